"""Indonesian text analysis shared by the index and the query side.

Whoosh pickles the schema, analyzers included, so everything a field's
analyzer references must be importable from here; the Sastrawi stemmer itself
is a module-level singleton that is never pickled (``SastrawiStemFilter``
holds no state of its own).

Two analyzers:

* ``stemmed_analyzer()``: tokens, lowercase, a stop list pruned of news words,
  Sastrawi stems (memoised per unique token, corrected by ``STEM_EXCEPTIONS``).
* ``exact_analyzer()``: the unstemmed forms that differ from their stem
  (`pertemuan`, not `temu`), so an exact affixed form can score above a match
  that only shares the stem. Roots are left out: their exact form is their
  stem, already in the stemmed field, and leaving them out saves ~70% of the
  exact field's postings (measured on the 22k corpus), which is indexing time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

# Letters and digits; hyphens, slashes and apostrophes split tokens, so
# `Kim Jong-un` is findable as `jong` and `un`, and `13/9/2023` as its parts.
TOKEN_PATTERN = r"[^\W_]+"

# Sastrawi's 809 stop words include words that carry meaning in news
# (`bulan`, `hari`, `baru`, `kasus`, `ibu`...). These stay searchable.
NEWS_WORDS = frozenset(
    """
    akhir awal bagian bapak baru bawah bekerja belakang besar bulan bung
    datang dekat depan dini dua empat hari ibu jauh jawaban jumlah kasus
    keadaan kecil kedua kelima kerja keluar khusus lama lima luar masa
    masalah masuk mata menaiki naik orang pak panjang penting persoalan
    pertama pertanyaan pihak pukul salam satu siap tempat tiba tiga
    """.split()
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Sastrawi's stop list minus the news words above."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words()) - NEWS_WORDS


# Sastrawi mistakes that matter for news, measured on the 22k corpus (see
# README, "Stemming"). Each maps a surface form to the stem its word family
# shares; every entry is checked by tests/test_analysis.py.
STEM_EXCEPTIONS: dict[str, str] = {
    # `mengunjungi`/`pengunjung` -> `unjung`, `kunjungan`/`berkunjung` -> `kunjung`
    "mengunjungi": "kunjung",
    "mengunjunginya": "kunjung",
    "pengunjung": "kunjung",
    # `pemilu` (general election) -> `milu`
    "pemilu": "pemilu",
    "pemilunya": "pemilu",
    # `pemerintah`/`pemerintahan` -> `perintah` (command): news means government
    "pemerintah": "pemerintah",
    "pemerintahan": "pemerintah",
    "pemerintahnya": "pemerintah",
    # `perusahaan` (company) -> `usaha` (effort)
    "perusahaan": "perusahaan",
    "perusahaannya": "perusahaan",
    # `pengadilan` (court) -> `adil` (just)
    "pengadilan": "pengadilan",
    # `penyidikan` -> `sidi`, but `penyidik`/`disidik` -> `sidik`
    "penyidikan": "sidik",
}

_WORD = re.compile(TOKEN_PATTERN)
# Every affix Sastrawi can remove: prefixes, the infixes -el-/-em-/-er-/-in-,
# suffixes. A word without any of them comes back from Sastrawi unchanged,
# after its slowest path (~150 us a word); about half the corpus vocabulary
# skips it. tests/test_indexer.py checks the equivalence on corpus words.
_MAY_HAVE_AFFIX = re.compile(
    r"^(?:di|ke|se|be|me|pe|te|ku|kau)|^[a-z](?:el|em|er|in)|(?:i|an|kan|nya|lah|kah|tah|pun|ku|mu|is|isme)$"
)
_stemmer = None
_stem_cache: dict[str, str] = {}


def _sastrawi():
    global _stemmer
    if _stemmer is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        from Sastrawi.Stemmer.Stemmer import Stemmer
        from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary

        _stemmer = Stemmer(ArrayDictionary(StemmerFactory().get_words()))
    return _stemmer


def stem(word: str) -> str:
    """Stem one lowercase token; memoised because Sastrawi does ~26k words/s."""
    cached = _stem_cache.get(word)
    if cached is not None:
        return cached
    if word in STEM_EXCEPTIONS:
        result = STEM_EXCEPTIONS[word]
    elif len(word) < 4 or not word.isalpha() or not _MAY_HAVE_AFFIX.search(word):
        result = word  # numbers, codes, short and affix-free words stem to themselves
    else:
        result = _sastrawi().stem_word(word) or word
    _stem_cache[word] = result
    return result


def unstemmed_words(texts: Iterable[str]) -> set[str]:
    """The distinct tokens of ``texts`` that this process has not stemmed yet."""
    found: set[str] = set()
    for text in texts:
        found.update(_WORD.findall(text.lower()))
    return found.difference(_stem_cache)


def stem_words(words: list[str]) -> dict[str, str]:
    """Stems for a chunk of words: the unit of work a stemming process is given."""
    return {word: stem(word) for word in words}


def add_stems(stems: dict[str, str]) -> None:
    """Adopt stems computed in another process, so this one only looks them up."""
    _stem_cache.update(stems)


class SastrawiStemFilter(Filter):
    """Replaces each token's text with its Sastrawi stem."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable) -> Iterator:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


class AffixedOnlyFilter(Filter):
    """Keeps the tokens whose stem differs from the token itself."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable) -> Iterator:
        for t in tokens:
            if t.stopped or stem(t.text) != t.text:
                yield t


_TOKENIZER = RegexTokenizer(TOKEN_PATTERN)


def plain_analyzer():
    """Tokens, lowercase, stop list: what both indexed forms start from."""
    return _TOKENIZER | LowercaseFilter() | StopFilter(stoplist=stop_words(), minsize=1)


def stemmed_analyzer():
    return plain_analyzer() | SastrawiStemFilter()


def exact_analyzer():
    return plain_analyzer() | AffixedOnlyFilter()


def analyze(text: str, stemmed: bool = True) -> list[str]:
    """The stemmed (or plain, unstemmed) terms of a text, as the index sees them."""
    ana = stemmed_analyzer() if stemmed else plain_analyzer()
    return [t.text for t in ana(text)]
