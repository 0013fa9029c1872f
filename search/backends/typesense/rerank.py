"""Telusur's ranking for Typesense's top hits: BM25F over the stored stems.

Typesense 0.24 ranks by its own text match, which ignores term frequency:
on one-word queries the top 250 hits share 2-3 ``text_match`` values and the
order falls back to the sort field (``../shared/notes/typesense-facts.md``).
So the engine asks for the top ``RERANK_K`` hits and orders them here the way
the Whoosh engine orders everything: most query clauses matched (the partial
fallback), then BM25F (title above body; an exact affixed form also scores,
as in the Whoosh index's ``*_exact`` fields), then the newer article.

Frequencies come from the hit's stored ``title_stems``/``body_stems`` and raw
text, idf and average lengths from the generation's ``Vocabulary``. A query
word's alternatives (``search.expand``) score at their weight, as on the
Whoosh engine, and count for their word in the partial fallback.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Mapping, Sequence

from indexer.analysis import tokens
from indexer.fields import TEXT_FIELDS
from indexer.typesense.schema import LENGTH_SUFFIX, STEMS_SUFFIX

B = 0.75
K1 = 1.2
# As the Whoosh schema's field_boost (indexer/schema.py): a title word weighs 2.5 body words.
FIELD_BOOST = {"title": 2.5, "body": 1.0}
RERANK_K = 50


def bm25f(doc: dict, stems: Iterable[str], forms: Iterable[str], vocab, weights: Mapping[str, float] = {}) -> tuple[set[str], float]:
    """(the ``stems`` the document holds, BM25F score) of one Typesense hit document.

    ``weights``: a factor below 1 for the stems that are only alternatives of the query's words."""
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
            score += weights.get(term, 1.0) * boost * idf * tf * (K1 + 1) / (tf + norm)
    return matched, score


def rerank(
    docs: list[dict], stems, forms, vocab, partial: bool, alternatives: Mapping[str, Sequence] = {}
) -> list[tuple[dict, float]]:
    """``docs`` (Typesense's order) in Telusur's: query words matched when partial, score, newer first.

    ``alternatives``: a query stem's ``search.expand.Alternative`` list; the
    word counts as matched where the article holds it or all of one
    alternative's stems."""
    stems = set(stems)
    weights: dict[str, float] = {}
    for alts in alternatives.values():
        for alt in alts:
            for s in alt.stems:
                if s not in stems:
                    weights[s] = max(weights.get(s, 0.0), alt.weight)
    scored = []
    for position, doc in enumerate(docs):
        held, score = bm25f(doc, stems | weights.keys(), forms, vocab, weights)
        matched = sum(1 for s in stems if s in held or any(held.issuperset(a.stems) for a in alternatives.get(s, ())))
        dated = bool(doc.get("dated"))
        key = (-(matched if partial else 0), -score, not dated, -(doc.get("date") or 0), position)
        scored.append((key, doc, score))
    scored.sort(key=lambda item: item[0])
    return [(doc, score) for _key, doc, score in scored]
