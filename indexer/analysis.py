"""Indonesian text analysis shared by every index sink and the query side.

Pure Python: no search engine is imported here, so a sink that is not Whoosh
(Typesense receives pre-stemmed text and stemmed queries) uses the very same
analysis. The Whoosh analyzer classes live in ``indexer.whoosh_analysis``.

What the analysis does:

* ``tokens(text)``: Unicode word tokens (hyphens, slashes and apostrophes
  split), lowercased, minus a stop list pruned of news words.
* ``stem(word)``: Sastrawi's stem, memoised per unique token and corrected by
  ``STEM_EXCEPTIONS``.
* the exact-form rule, ``is_affixed(word)``: an exact field holds only the
  forms that differ from their stem (`pertemuan`, not `temu`), so an exact
  affixed form can score above a match that only shares the stem. Roots are
  left out: their exact form is their stem, already in the stemmed field, and
  leaving them out saves ~70% of the exact field's postings (measured on the
  22k corpus), which is indexing time.
* ``analyse_text(text)``: both of the above from one tokenisation and one stem
  lookup per token, which is what an index sink is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
# shares; every entry is checked by tests/test_indexer.py.
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
_new_stems: dict[str, str] = {}  # Sastrawi's answers not yet handed on (to the stem store, other workers)


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
        result = _new_stems[word] = _sastrawi().stem_word(word) or word
    _stem_cache[word] = result
    return result


def add_stems(stems: dict[str, str]) -> None:
    """Adopt Sastrawi stems computed earlier or in another process, so this one only looks them up.

    Words of ``STEM_EXCEPTIONS`` are left out: the table wins over any stem
    computed before an entry was added to it.
    """
    _stem_cache.update((word, root) for word, root in stems.items() if word not in STEM_EXCEPTIONS)


def take_new_stems() -> dict[str, str]:
    """The words this process has sent through Sastrawi since the last call, with their stems."""
    global _new_stems
    new, _new_stems = _new_stems, {}
    return new


def tokens(text: str) -> list[str]:
    """The lowercase word tokens of ``text`` that are not stop words, in order.

    Each token is lowercased after tokenising, as a tokenizer-then-lowercase
    pipeline does (lowercasing first would split `İ`, whose lowercase form
    carries a combining dot).
    """
    stops = stop_words()
    out = []
    for word in _WORD.findall(text):
        word = word.lower()
        if word not in stops:
            out.append(word)
    return out


def is_affixed(word: str) -> bool:
    """The exact-form rule: a token is kept in the exact field when its stem differs from it."""
    return stem(word) != word


def analyze(text: str, stemmed: bool = True) -> list[str]:
    """The stemmed (or plain, unstemmed) terms of a text, as the index sees them."""
    words = tokens(text)
    return [stem(w) for w in words] if stemmed else words


@dataclass
class AnalysedText:
    """A text as an index sink receives it: the stem of every token, and the affixed forms.

    ``stems[i]`` is the i-th token's stem (its position is ``i``); ``affixed``
    lists, in order, the tokens the exact-form rule keeps.
    """

    stems: list[str]
    affixed: list[str]

    def stemmed_text(self) -> str:
        """The stems joined by spaces: pre-stemmed text for a sink that tokenises on spaces."""
        return " ".join(self.stems)


def analyse_text(text: str) -> AnalysedText:
    """One tokenisation and one stem lookup per token for both the stemmed and the exact forms."""
    stems: list[str] = []
    affixed: list[str] = []
    cache = _stem_cache
    for word in tokens(text):
        root = cache.get(word) or stem(word)
        stems.append(root)
        if root != word:
            affixed.append(word)
    return AnalysedText(stems, affixed)


# Indexes written before the Whoosh analyzer classes moved to
# ``indexer.whoosh_analysis`` pickled them under this module's name; they
# resolve here, importing Whoosh only when such a schema is unpickled.
_MOVED_TO_WHOOSH = ("SastrawiStemFilter", "AffixedOnlyFilter")


def __getattr__(name: str):
    if name in _MOVED_TO_WHOOSH:
        from indexer import whoosh_analysis

        return getattr(whoosh_analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
