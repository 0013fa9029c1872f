"""Did-you-mean from the index's own vocabulary, with SymSpell (``symspellpy``), behind a ``Vocabulary``.

Walking Whoosh's Levenshtein automaton over a ~100k-term lexicon cost 0.5-0.9 s
for ``pyongyan`` and 6.4 s of CPU for one 300-letter word. SymSpell instead
indexes the deletions of every vocabulary word once per index generation
(``speller_for``: one ``Speller`` per ``Vocabulary`` object, built from its
``words()`` the first time it is asked, so a backend builds it when it loads a
generation), and a lookup is a few dictionary probes, whatever the query. Candidates are ranked by edit
distance, then document frequency (``pyongyan`` -> ``pyongyang``, not the
rarer ``pyongan``); several words are corrected at once; a word with no close
neighbour may be words typed together (``kimjongun`` -> ``kim jong un``)
when every part is indexed. Only words the index does not know are
corrected: names, acronyms (``kpk``) and any indexed word stay as typed.
"""

from __future__ import annotations

import re
import threading
import weakref
from typing import Iterable, Protocol, Sequence

from symspellpy import SymSpell, Verbosity

from indexer.analysis import analyze, stem

MAX_DISTANCE = 2
PREFIX_LENGTH = 7
MIN_WORD = 4  # shorter words have too many neighbours to guess from
MAX_WORD = 32  # longer "words" are not words: not corrected, not split
MIN_PART = 2
MAX_PARTS = 3
MAX_CORRECTED_WORDS = 4
# In a vocabulary this large a term seen in one article is as likely a typo as a word: not a candidate.
TYPO_PRONE_WORDS = 50_000
_LETTERS = re.compile(r"[^\W\d_]+")


class Vocabulary(Protocol):
    """The searchable words of one index generation, with document frequencies."""

    def known(self, stemmed: str) -> bool:
        """Whether any document's title or body holds this stem."""

    def words(self) -> Iterable[tuple[str, int]]:
        """Every candidate (word, document frequency): the stems and affixed forms of the bodies."""


class Speller:
    """SymSpell's deletion index over a vocabulary; built once per index generation."""

    def __init__(self, words: Iterable[tuple[str, int]]):
        self._sym = SymSpell(max_dictionary_edit_distance=MAX_DISTANCE, prefix_length=PREFIX_LENGTH)
        words = list(words)
        min_df = 2 if len(words) >= TYPO_PRONE_WORDS else 1
        self.size = 0
        for word, df in words:
            if df >= min_df and MIN_PART <= len(word) <= MAX_WORD and _LETTERS.fullmatch(word):
                self._sym.create_dictionary_entry(word, df)
                self.size += 1

    def correct(self, word: str) -> str | None:
        """The nearest vocabulary word (or words, for a run-together word), or None."""
        if not (MIN_WORD <= len(word) <= MAX_WORD) or not _LETTERS.fullmatch(word):
            return None
        max_distance = MAX_DISTANCE if len(word) >= 6 else 1
        found = self._sym.lookup(word, Verbosity.CLOSEST, max_edit_distance=max_distance, transfer_casing=False)
        best = found[0] if found and found[0].distance > 0 else None
        if best is not None and best.distance == 1:
            return best.term
        return self._split(word) or (best.term if best is not None else None)

    def _split(self, word: str) -> str | None:
        """``word`` as 2-3 vocabulary words typed together, or None."""
        seg = self._sym.word_segmentation(word, max_edit_distance=0, max_segmentation_word_length=MAX_WORD)
        parts = seg.corrected_string.split()
        if not 2 <= len(parts) <= MAX_PARTS or "".join(parts) != word:
            return None
        if any(len(p) < MIN_PART or p not in self._sym.words for p in parts):
            return None
        return " ".join(parts)


_spellers: "weakref.WeakKeyDictionary[Vocabulary, Speller]" = weakref.WeakKeyDictionary()
_building = threading.Lock()


def speller_for(vocabulary: Vocabulary) -> Speller:
    """The vocabulary's speller, built on first use and kept as long as the vocabulary lives."""
    with _building:
        speller = _spellers.get(vocabulary)
        if speller is None:
            speller = _spellers[vocabulary] = Speller(vocabulary.words())
        return speller


def suggest(vocabulary: Vocabulary, query: str, words: Sequence[str]) -> str | None:
    """The whole query with its unknown words corrected, or None when nothing needs correcting."""
    speller = speller_for(vocabulary)
    corrected = query
    changed = 0
    for word in words:
        forms = analyze(word, stemmed=False)
        if len(forms) != 1 or not (MIN_WORD <= len(forms[0]) <= MAX_WORD) or vocabulary.known(stem(forms[0])):
            continue
        fix = speller.correct(forms[0])
        if fix is None:
            continue
        corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", fix, corrected, count=1, flags=re.I)
        changed += 1
        if changed >= MAX_CORRECTED_WORDS:
            break
    return corrected if changed and corrected != query else None
