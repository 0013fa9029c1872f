"""Did-you-mean from the index's own vocabulary, behind a backend-neutral ``Vocabulary``.

A query word whose stem is not in the index is replaced by its nearest indexed
word: smallest edit distance first, then the highest document frequency
(``pyongyan`` -> ``pyongyang``, not the rarer ``pyongan``). Candidates are the
stems and the affixed forms (roots are not indexed as affixed forms). Each
backend provides a ``Vocabulary`` per index generation; ``words()`` is what a
SymSpell dictionary would be built from, once per generation. The Whoosh
vocabulary's automaton walk over a ~100k-term lexicon costs ~15-50 ms a word
on 22k documents, so this runs only on zero or few hits, distance 1 before
distance 2.
"""

from __future__ import annotations

import re
from typing import Iterable, Protocol, Sequence

from indexer.analysis import analyze, stem

MIN_WORD = 4  # shorter words have too many neighbours to guess from
MAX_CORRECTED_WORDS = 4


class Vocabulary(Protocol):
    """The searchable words of one index generation, with document frequencies."""

    def known(self, stemmed: str) -> bool:
        """Whether any document's title or body holds this stem."""

    def near(self, word: str, maxdist: int) -> Iterable[tuple[str, int]]:
        """(word, document frequency) of the indexed stems and affixed forms within ``maxdist`` edits
        that share ``word``'s first letter."""

    def words(self) -> Iterable[tuple[str, int]]:
        """Every candidate (word, document frequency): the stems and affixed forms of the bodies."""


def suggest(vocabulary: Vocabulary, query: str, words: Sequence[str]) -> str | None:
    """The whole query with misspelt words corrected, or None when nothing needs correcting."""
    corrected = query
    changed = 0
    for word in words:
        forms = analyze(word, stemmed=False)
        if len(forms) != 1 or not forms[0].isalpha() or len(forms[0]) < MIN_WORD:
            continue
        form = forms[0]
        if vocabulary.known(stem(form)):
            continue
        fix = _nearest(vocabulary, form)
        if fix is None:
            continue
        corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", fix, corrected, count=1, flags=re.I)
        changed += 1
        if changed >= MAX_CORRECTED_WORDS:
            break
    return corrected if changed and corrected != query else None


def _nearest(vocabulary: Vocabulary, form: str) -> str | None:
    for maxdist in (1, 2) if len(form) >= 6 else (1,):
        best = max(((df, term) for term, df in vocabulary.near(form, maxdist)), default=None)
        if best:
            return best[1]
    return None
