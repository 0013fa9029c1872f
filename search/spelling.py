"""Did-you-mean from the index's own vocabulary, with SymSpell (``symspellpy``).

Walking Whoosh's Levenshtein automaton over a ~100k-term lexicon cost 0.5-0.9 s
for `pyongyan` and 6.4 s of CPU for one 300-letter word. SymSpell instead
precomputes, once per index generation, the deletions of every indexed word
(``Speller``), so a lookup is a few dictionary probes: microseconds, whatever
the query. Candidates are ranked by edit distance, then document frequency
(``pyongyan`` -> ``pyongyang``, not the rarer ``pyongan``). A word with no
close neighbour may be several words typed together: ``kimjongun`` ->
``kim jong un`` when every part is indexed.

Only words the index does not know are corrected: names, acronyms (``kpk``)
and any indexed word stay as typed.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from symspellpy import SymSpell, Verbosity

MAX_DISTANCE = 2
PREFIX_LENGTH = 7
MIN_WORD = 4  # shorter words have too many neighbours to guess from
MAX_WORD = 32  # longer "words" are not words: not corrected, not split
MIN_DF = 2  # a term seen once is as likely a typo as a word
MAX_PARTS = 3
MIN_PART = 2
MAX_CORRECTED_WORDS = 4
_ALPHA = re.compile(r"[^\W\d_]+")


class Speller:
    """SymSpell's deletion index over (term, document frequency) pairs."""

    def __init__(self, terms: Iterable[tuple[str, int]]):
        self._sym = SymSpell(max_dictionary_edit_distance=MAX_DISTANCE, prefix_length=PREFIX_LENGTH)
        self.size = 0
        for term, df in terms:
            if df >= MIN_DF and MIN_PART <= len(term) <= MAX_WORD and _ALPHA.fullmatch(term):
                self._sym.create_dictionary_entry(term, df)
                self.size += 1

    def correct_word(self, word: str) -> str | None:
        """The nearest indexed word (or words, for a run-together word), or None."""
        if not (MIN_WORD <= len(word) <= MAX_WORD) or not _ALPHA.fullmatch(word):
            return None
        max_distance = MAX_DISTANCE if len(word) >= 6 else 1
        found = self._sym.lookup(word, Verbosity.CLOSEST, max_edit_distance=max_distance, transfer_casing=False)
        best = found[0] if found and found[0].distance > 0 else None
        if best is not None and best.distance == 1:
            return best.term
        split = self._split(word)
        if split is not None:
            return split
        return best.term if best is not None else None

    def _split(self, word: str) -> str | None:
        """``word`` as 2-3 indexed words typed together, or None."""
        if len(word) < 2 * MIN_PART + 1:
            return None
        seg = self._sym.word_segmentation(word, max_edit_distance=0, max_segmentation_word_length=MAX_WORD)
        parts = seg.corrected_string.split()
        if not 2 <= len(parts) <= MAX_PARTS or "".join(parts) != word:
            return None
        if any(len(p) < MIN_PART or self._sym.words.get(p) is None for p in parts):
            return None
        return " ".join(parts)


def suggest(speller: Speller, query: str, words: Sequence[str], known: Callable[[str], bool]) -> str | None:
    """The whole query with its unknown words corrected, or None when nothing needs correcting.

    ``words``: the query's plain words as typed; ``known(word)``: whether the
    index holds it (its stem), so it is left alone.
    """
    corrected = query
    changed = 0
    for word in words:
        lowered = word.lower()
        if known(lowered):
            continue
        fix = speller.correct_word(lowered)
        if fix is None:
            continue
        corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", fix, corrected, count=1, flags=re.I)
        changed += 1
        if changed >= MAX_CORRECTED_WORDS:
            break
    return corrected if changed and corrected != query else None
