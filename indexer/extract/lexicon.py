"""Which capitalised words are ordinary words: a lexicon learnt from the corpus.

Indonesian capitalises titles (`Menteri Sumber Daya Alam`), headings and
sentence starts, so a capital alone does not make a name. A word that the
news corpus mostly writes in lowercase mid-sentence (`sumber`, `pembicaraan`,
`menurut`) is an ordinary word; a word it nearly always capitalises
(`putin`, `kozlov`, `malang`) is a name. The list is derived once from
`../shared/corpus/berita-22k.jsonl` by ``python -m indexer.extract.lexicon``
and committed (``data/lexicon.txt``, ~135 KB) so nothing reads the corpus at
run time.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from indexer.extract.tokens import WORD_RE, sentence_start

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.txt"
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "berita-22k.jsonl"

# A word is ordinary when seen lowercase at least MIN_LOWER times and at least
# a quarter as often as capitalised away from a sentence start: institution
# words (`Rakyat`, `Nasional`, `Umum`) are capitalised more often than not but
# are never a name on their own, while names (`Malang` 9%, `Budi` 5%) stay out.
MIN_LOWER = 3
MIN_LOWER_SHARE = 0.25
# One- and two-letter words are name parts as often as words (`Kim Jong Un`, `Ir`); the
# stop list covers the short function words.
MIN_LENGTH = 3


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lowercased words that are ordinary vocabulary, not names: the lexicon plus the stop list
    (which covers shouted particles like `LAH`, `KALIAN`)."""
    from indexer.analysis import stop_words

    with LEXICON_PATH.open(encoding="utf-8") as f:
        return frozenset(line.rstrip("\n") for line in f if line.strip()) | stop_words()


@lru_cache(maxsize=1)
def _roots() -> frozenset[str]:
    """Sastrawi's ~30k Indonesian root words (a list in the package: no stemmer is built)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(StemmerFactory().get_words())


_PREFIXES = (
    ("meng", "k"), ("meny", "s"), ("mem", "p"), ("men", "t"), ("peng", "k"), ("peny", "s"),
    ("pem", "p"), ("pen", "t"), ("meng", ""), ("mem", ""), ("men", ""), ("me", ""), ("peng", ""),
    ("pem", ""), ("pen", ""), ("per", ""), ("pe", ""), ("ber", ""), ("be", ""), ("ter", ""),
    ("di", ""), ("ke", ""), ("se", ""), ("", ""),
)
_SUFFIXES = ("nya", "kan", "lah", "kah", "an", "i", "")
# Roots shorter than this match too many names once affixes are peeled (`Dimas` = di+mas).
MIN_ROOT = 4


@lru_cache(maxsize=32768)
def affixed_word(word: str) -> bool:
    """Whether a lowercase word is an Indonesian root with affixes (`kontribusinya`,
    `pembicaraan`), which a sentence start capitalises but which is never a name.

    A cheap stand-in for a stemmer: peel one suffix and one prefix, restore the
    consonant a nasal prefix swallowed, look the root up.
    """
    roots = _roots()
    for suffix in _SUFFIXES:
        if suffix and not word.endswith(suffix):
            continue
        body = word[: len(word) - len(suffix)] if suffix else word
        for prefix, restore in _PREFIXES:
            if not (prefix or suffix) or not body.startswith(prefix):
                continue
            root = restore + body[len(prefix):]
            if len(root) >= MIN_ROOT and root in roots:
                return True
    return False


def _active_forms(word: str) -> list[str]:
    """The `me-` forms of a verb by its first letter (`tuai` -> `menuai`, `curi` -> `mencuri`,
    `gaet` -> `menggaet`, `sebut` -> `menyebut`, `pimpin` -> `memimpin`), and `memper-`."""
    first, rest = word[0], word[1:]
    if first in "lmnrwy":
        forms = ["me" + word]
    elif first in "bfv":
        forms = ["mem" + word]
    elif first == "p":
        forms = ["mem" + rest, "mem" + word]
    elif first in "dcjz":
        forms = ["men" + word]
    elif first == "t":
        forms = ["men" + rest]
    elif first in "aiueogh":
        forms = ["meng" + word]
    elif first == "k":
        forms = ["meng" + rest]
    elif first == "s":
        forms = ["meny" + rest]
    else:
        forms = []
    return forms + ["memper" + word]


@lru_cache(maxsize=32768)
def bare_verb(word: str) -> bool:
    """Whether a lowercase word is a verb without its `me-` prefix, whose active form the
    corpus writes in lowercase (`tuai`/`menuai`, `beberkan`/`membeberkan`, `tanggapi`/
    `menanggapi`): what a title-case headline capitalises (`Farhat Abbas ... Malah Tuai
    Cibiran`), never a name (`besari` has no `membesari`)."""
    if len(word) < MIN_ROOT:
        return False
    common = common_words()
    return any(form in common for form in _active_forms(word))


def count_case(texts) -> tuple[Counter, Counter, Counter]:
    """Per lowercased word: lowercase uses, mid-sentence capitalised uses, any capitalised use."""
    lower: Counter = Counter()
    cap_mid: Counter = Counter()
    cap_any: Counter = Counter()
    for text in texts:
        for m in WORD_RE.finditer(text):
            w = m.group()
            if w.isdigit():
                continue
            key = w.lower()
            if w == key:
                lower[key] += 1
            elif w[0].isupper():
                cap_any[key] += 1
                if not sentence_start(text, m.start()):
                    cap_mid[key] += 1
    return lower, cap_mid, cap_any


def derive(lower: Counter, cap_mid: Counter, cap_any: Counter) -> list[str]:
    """Ordinary words that the corpus also capitalises somewhere (the only ones worth listing)."""
    return sorted(
        w
        for w, n in lower.items()
        if len(w) >= MIN_LENGTH and n >= MIN_LOWER and n >= MIN_LOWER_SHARE * cap_mid[w] and cap_any[w] > 0
    )


def _corpus_texts(path: Path):
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            yield f"{rec.get('title') or ''}\n{rec.get('body') or ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild data/lexicon.txt from the news corpus.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    words = derive(*count_case(_corpus_texts(args.corpus)))
    LEXICON_PATH.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {LEXICON_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
