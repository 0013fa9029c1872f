"""Did-you-mean from the index's own vocabulary.

A query word whose stem is not in the index is replaced by its nearest indexed
word: smallest edit distance first, then the highest document frequency
(``pyongyan`` -> ``pyongyang``, not the rarer ``pyongan``). Candidates come
from the ``body`` lexicon (roots and stems) and ``body_exact`` (the affixed
forms; roots are not indexed there). Whoosh's automaton walk over a ~100k-term
lexicon costs ~15-50 ms a word on 22k documents, so this runs only on zero or
few hits, distance 1 before distance 2.
"""

from __future__ import annotations

import re
from typing import Sequence

from indexer.analysis import analyze, stem

KNOWN = ("body", "title")
CANDIDATES = ("body", "body_exact")
MIN_WORD = 4  # shorter words have too many neighbours to guess from
MAX_CORRECTED_WORDS = 4


def suggest(reader, query: str, words: Sequence[str]) -> str | None:
    """The whole query with misspelt words corrected, or None when nothing needs correcting."""
    corrected = query
    changed = 0
    for word in words:
        forms = analyze(word, stemmed=False)
        if len(forms) != 1 or not forms[0].isalpha() or len(forms[0]) < MIN_WORD:
            continue
        form = forms[0]
        if any(reader.doc_frequency(f, stem(form)) for f in KNOWN):
            continue
        fix = _nearest(reader, form)
        if fix is None:
            continue
        corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", fix, corrected, count=1, flags=re.I)
        changed += 1
        if changed >= MAX_CORRECTED_WORDS:
            break
    return corrected if changed and corrected != query else None


def _nearest(reader, form: str) -> str | None:
    for maxdist in (1, 2) if len(form) >= 6 else (1,):
        best: tuple[int, str] | None = None
        for field in CANDIDATES:
            for term in reader.terms_within(field, form, maxdist, prefix=1):
                df = reader.doc_frequency(field, term)
                if best is None or (df, term) > best:
                    best = (df, term)
        if best:
            return best[1]
    return None
