"""Telusur's ranking for Typesense's top hits: BM25F over the stored stems.

Typesense 0.24 ranks by its own text match, which ignores term frequency:
on one-word queries the top 250 hits share 2-3 ``text_match`` values and the
order falls back to the sort field (``../shared/notes/typesense-facts.md``).
So the engine asks for the top ``RERANK_K`` hits and orders them here the way
the Whoosh engine orders everything: most query clauses matched (the partial
fallback), then BM25F (title above body; an exact affixed form also scores,
as in the Whoosh index's ``*_exact`` fields), then the newer article.

Frequencies come from the hit's stored ``title_stems``/``body_stems`` and raw
text, idf and average lengths from the generation's ``Vocabulary``.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from indexer.analysis import tokens
from indexer.fields import TEXT_FIELDS
from indexer.typesense.schema import LENGTH_SUFFIX, STEMS_SUFFIX

B = 0.75
K1 = 1.2
# As the Whoosh schema's field_boost (indexer/schema.py): a title word weighs 2.5 body words.
FIELD_BOOST = {"title": 2.5, "body": 1.0}
RERANK_K = 50


def bm25f(doc: dict, stems: Iterable[str], forms: Iterable[str], vocab) -> tuple[int, float]:
    """(query stems the document holds, BM25F score) of one Typesense hit document."""
    stems = set(stems)
    forms = {f for f in forms if f not in stems}
    n = max(vocab.n_docs, 1)
    matched: set[str] = set()
    score = 0.0
    for field in TEXT_FIELDS:
        length = doc.get(field + LENGTH_SUFFIX) or 0
        norm = K1 * ((1 - B) + B * length / vocab.avg_length[field])
        boost = FIELD_BOOST.get(field, 1.0)
        counts = Counter(t for t in (doc.get(field + STEMS_SUFFIX) or "").split() if t in stems)
        if forms:
            counts.update(t for t in tokens(doc.get(field) or "") if t in forms)
        for term, tf in counts.items():
            if term in stems:
                matched.add(term)
            idf = math.log(n / (vocab.doc_frequency(term) + 1)) + 1
            score += boost * idf * tf * (K1 + 1) / (tf + norm)
    return len(matched), score


def rerank(docs: list[dict], stems, forms, vocab, partial: bool) -> list[tuple[dict, float]]:
    """``docs`` (Typesense's order) in Telusur's: clauses matched when partial, score, newer first."""
    scored = []
    for position, doc in enumerate(docs):
        matched, score = bm25f(doc, stems, forms, vocab)
        dated = bool(doc.get("dated"))
        key = (-(matched if partial else 0), -score, not dated, -(doc.get("date") or 0), position)
        scored.append((key, doc, score))
    scored.sort(key=lambda item: item[0])
    return [(doc, score) for _key, doc, score in scored]
