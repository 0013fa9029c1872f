"""Pseudo-relevance feedback: the words the first pass's best articles share, to re-rank the matches.

A reader who writes ``pesawat nirawak`` for an article about ``drone`` finds
it among several that hold some of the words; the first pass's best articles
mostly speak of the same event, and the stems they have in common
(``drone``, ``karhutla``, ``pantau``) tell the target from an article that
only shares the query's commonest words. RM3-style: each of the top
``DOCS`` articles (title counted twice, the body's lead only, which bounds
the text analysed per request) votes for its stems in proportion to its own
score, a stem's vote is its share of the article's words times its idf, and
the ``TERMS`` best stems the query does not hold become a second pass.

The second pass only re-ranks: it adds to the score of articles the query
already matched, so it never lets an article in, and the engine keeps its
first sort key (the query's own words all present) above the score, so an article holding all of the query's own words still ranks
above one reached through alternatives.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from indexer.analysis import analyze

DOCS = 5  # first-pass articles read
TERMS = 10  # stems added
BODY_CHARS = 1500  # of each article's body: its lead says what it is about
WEIGHT = 0.3  # the feedback's share of the final score, at its best article
MIN_WORDS = 3  # shorter queries are names or topics: the first pass is the answer
MIN_DF = 2  # a stem in one article only says nothing about the others


def terms(
    docs: Iterable[tuple[str, str, float]], query_stems: set[str], doc_frequency, n_docs: int
) -> list[tuple[str, float]]:
    """The ``TERMS`` stems the feedback articles share, each with a weight (they sum to 1).

    ``docs``: (title, body, first-pass score) of the best articles.
    ``doc_frequency(stem)`` is the index's (``search.expand.IndexStats``).
    """
    votes: Counter = Counter()
    for title, body, score in docs:
        stems = analyze(" ".join([title, title, body[:BODY_CHARS]]))
        if not stems or score <= 0:
            continue
        tf = Counter(s for s in stems if s not in query_stems and not s.isdigit())
        for s, n in tf.items():
            votes[s] += score * n / len(stems)
    weighted = {}
    for s, vote in votes.items():
        df = doc_frequency(s)
        if df >= MIN_DF:
            weighted[s] = vote * math.log(n_docs / df)
    best = sorted(weighted, key=lambda s: -weighted[s])[:TERMS]
    total = sum(weighted[s] for s in best)
    return [(s, weighted[s] / total) for s in best] if total > 0 else []
