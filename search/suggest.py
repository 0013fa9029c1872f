"""Did-you-mean from the index's own vocabulary.

A query word whose surface form is in neither exact lexicon (``title_exact``,
``body_exact``) is replaced by its nearest indexed form: smallest edit
distance first, then the highest document frequency (``pyongyan`` ->
``pyongyang``, not the rarer ``pyongan``). Whoosh's automaton walk over the
~100k-term lexicon costs ~15-50 ms a word on 22k documents, so it runs only on
zero or few hits, distance 1 before distance 2.
"""

from __future__ import annotations

import re
from typing import Sequence

from indexer.analysis import analyze

LEXICONS = ("body_exact", "title_exact")
# Candidates come from the body lexicon alone: titles add little and would double the walk.
CANDIDATES = "body_exact"
MIN_WORD = 4  # shorter words have too many neighbours to guess from
MAX_SUGGESTED_WORDS = 4


def suggest(reader, query: str, words: Sequence[str]) -> str | None:
    """The whole query with misspelt words corrected, or None when nothing needs correcting."""
    corrected = query
    changed = 0
    for word in words:
        forms = analyze(word, stemmed=False)
        if len(forms) != 1 or not forms[0].isalpha() or len(forms[0]) < MIN_WORD:
            continue
        form = forms[0]
        if any(reader.doc_frequency(f, form) for f in LEXICONS):
            continue
        fix = _nearest(reader, form)
        if fix is None:
            continue
        corrected = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", fix, corrected, count=1, flags=re.I)
        changed += 1
        if changed >= MAX_SUGGESTED_WORDS:
            break
    return corrected if changed and corrected != query else None


def _nearest(reader, form: str) -> str | None:
    for maxdist in (1, 2) if len(form) >= 6 else (1,):
        best: tuple[int, str] | None = None
        for term in reader.terms_within(CANDIDATES, form, maxdist, prefix=1):
            df = reader.doc_frequency(CANDIDATES, term)
            if best is None or (df, term) > best:
                best = (df, term)
        if best:
            return best[1]
    return None
