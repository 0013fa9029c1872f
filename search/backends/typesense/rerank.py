"""Telusur's ranking for Typesense's top hits: BM25F over the stored stems.

Typesense 0.24 ranks by its own text match, which ignores term frequency:
on one-word queries the top 250 hits share 2-3 ``text_match`` values and the
order falls back to the sort field (``../shared/notes/typesense-facts.md``).
So the engine asks for the top ``RERANK_K`` hits and orders them here the way
the Whoosh engine orders everything: BM25F (title above body; an exact
affixed form also scores, as in the Whoosh index's ``*_exact`` fields), then
the newer article; in the partial fallback, by the share of the query's words
an article covers, each word weighted by its idf, plus ``SCORE_SHARE`` of its
BM25F over the best the window's articles score per word (the Whoosh engine's
``_coverage``: an article holding the rare words beats one that only adds a
common one).

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
from search.coverage import SCORE_SHARE, idf_shares

B = 0.75
K1 = 1.2
# As the Whoosh schema's field_boost (indexer/schema.py): a title word weighs 2.5 body words.
FIELD_BOOST = {"title": 2.5, "body": 1.0}
RERANK_K = 50


def bm25f(doc: dict, stems: Iterable[str], forms: Iterable[str], vocab, weights: Mapping[str, float] = {}) -> tuple[set[str], float]:
    """(the ``stems`` the document holds, BM25F score) of one Typesense hit document.

    ``weights``: a factor below 1 for the stems that are only alternatives of the query's words."""
    matched, per_term = _bm25f_terms(doc, stems, forms, vocab, weights)
    return matched, sum(per_term.values())


def _bm25f_terms(doc: dict, stems: Iterable[str], forms: Iterable[str], vocab, weights: Mapping[str, float]) -> tuple[set[str], Counter]:
    """(the ``stems`` the document holds, each term's BM25F contribution)."""
    stems = set(stems)
    forms = {f for f in forms if f not in stems}
    n = max(vocab.n_docs, 1)
    matched: set[str] = set()
    score: Counter = Counter()
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
            score[term] += weights.get(term, 1.0) * boost * idf * tf * (K1 + 1) / (tf + norm)
    return matched, score


def rerank(
    docs: list[dict], stems, forms, vocab, partial: bool, alternatives: Mapping[str, Sequence] = {}
) -> list[tuple[dict, float]]:
    """``docs`` (Typesense's order) in Telusur's: the score (partial: the idf-weighted share of the
    query's words held plus ``SCORE_SHARE`` of the score over its bound), newer first.

    ``alternatives``: a query stem's ``search.expand.Alternative`` list; the
    word counts as held where the article holds it or all of one
    alternative's stems, and its alternatives' scores count for it."""
    stems = set(stems)
    weights: dict[str, float] = {}
    for alts in alternatives.values():
        for alt in alts:
            for s in alt.stems:
                if s not in stems:
                    weights[s] = max(weights.get(s, 0.0), alt.weight)
    rows = []
    for doc in docs:
        held, per_term = _bm25f_terms(doc, stems | weights.keys(), forms, vocab, weights)
        covered = {s for s in stems if s in held or any(held.issuperset(a.stems) for a in alternatives.get(s, ()))}
        rows.append((doc, covered, per_term))
    relevance = [sum(per_term.values()) for _doc, _covered, per_term in rows]
    if partial and stems:
        ordered = sorted(stems)
        share = dict(zip(ordered, idf_shares([vocab.doc_frequency(s) for s in ordered], max(vocab.n_docs, 1)).tolist()))
        word_of = {t: s for s in stems for a in alternatives.get(s, ()) for t in a.stems if t not in stems}
        best: dict[str, float] = {}
        for _doc, _covered, per_term in rows:
            by_word = Counter()
            for term, value in per_term.items():
                by_word[term if term in stems else word_of.get(term, term)] += value
            for word, value in by_word.items():
                best[word] = max(best.get(word, 0.0), value)
        bound = sum(best.values()) or 1.0
        relevance = [
            sum(share[s] for s in covered) + SCORE_SHARE * score / bound
            for (_doc, covered, _terms), score in zip(rows, relevance)
        ]
    scored = []
    for position, ((doc, _covered, per_term), value) in enumerate(zip(rows, relevance)):
        key = (-value, not doc.get("dated"), -(doc.get("date") or 0), position)
        scored.append((key, doc, sum(per_term.values())))
    scored.sort(key=lambda item: item[0])
    return [(doc, score) for _key, doc, score in scored]

