"""Colloquial -> standard Indonesian, from the lexicon ``nahiarhdnlp`` ships (MIT).

``nahiarhdNLP/datasets/slang.csv`` maps ~15,600 informal spellings to standard
ones (``gak`` -> ``tidak``, ``ortu`` -> ``orang tua``, ``ngutang`` ->
``berutang``); only its data file is read, none of its code runs. Entries are
dropped where normalising would lose meaning rather than spelling: an acronym
spelled out (``kpk`` -> ``komisi pemberantasan korupsi``: the index knows
``kpk`` better than the words), run-together phrases, values over three
words, and a key without a vowel unless it abbreviates stop words only
(``yg``, ``tdk``: dropped as such): news spells its acronyms that way
(``bpk`` is the audit board, not ``bapak``; ``pn``, ``bpn``). A value that
is itself an entry is followed once (``nggak`` -> ``enggak`` -> ``tidak``).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from indexer.analysis import analyze

MAX_WORDS = 3
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
_VOWEL = re.compile(r"[aeiou]")


def _acronym(key: str, words: list[str]) -> bool:
    return len(words) > 1 and key == "".join(w[0] for w in words)


@cache
def lexicon() -> dict[str, str]:
    """Informal word -> its standard spelling (one or more words)."""
    raw: dict[str, str] = {}
    path = resources.files("nahiarhdNLP") / "datasets" / "slang.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key, value = (row.get("slang") or "").strip().lower(), (row.get("formal") or "").strip().lower()
            words = value.split()
            if (
                key != value
                and _WORD.fullmatch(key)
                and 0 < len(words) <= MAX_WORDS
                and all(_WORD.fullmatch(w) for w in words)
                and not _acronym(key, words)
            ):
                raw.setdefault(key, value)
    followed = {k: raw.get(v, v) if v in raw and raw.get(v) != k else v for k, v in raw.items()}
    return {k: v for k, v in followed.items() if _VOWEL.search(k) or not analyze(v)}


def standard(word: str) -> str | None:
    """The standard spelling of a colloquial word, or None when it has none."""
    return lexicon().get(word.lower())
