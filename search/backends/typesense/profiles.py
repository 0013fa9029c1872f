"""An entity's or a place's page, and "more like this", as Typesense searches.

A page is one ``multi_search``: the name's articles (newest first, counted,
with the names most often mentioned with them as facet counts) and its
publication histogram; the "most relevant" list is a search within the name
(``search.profile.relevant``).

"More like this" has no OR query to rank with on Typesense 0.24 (``q`` ANDs
its words, and ``drop_tokens_threshold`` only drops the last words, so every
candidate would hold the first), so candidates come from one
``multi_search`` of small searches over the article's own highest-weighted
stems (``search.profile.weighted_terms``, best first): every pair of the top
``PAIR_TERMS`` (articles sharing two telling words), every term alone (a
rare one finds only a few articles), and the top ``NAMED_TERMS`` alone among
the articles naming one of its people, organisations or places (33 searches
at most, ``PER_SEARCH`` ids each). Each candidate is known to hold some of the
terms; the ``RANKED`` whose known terms weigh most (idf) are fetched with
their stems and ranked as on Whoosh: BM25F of the terms (``rerank.bm25f``),
normalised to the best, plus ``ENTITY_WEIGHT`` times the share of the
article's names they also name. The article's own story is listed apart,
never as "similar".
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import TYPE_CHECKING, Callable

from indexer.typesense.schema import KEY_SUFFIX, STORY_FIELD, facet_value, id_filter
from search.backends.typesense.histogram import histogram_of, histogram_searches
from search.backends.typesense.rerank import bm25f
from search.backends.typesense.stories import MAX_STORY_VERSIONS, VERSION_FIELDS, members_search
from search.backends.typesense.translate import QUERY_BY, key_filter
from search.document import version
from search.facet_plan import DateHistogram
from search.facet_spec import BY_NAME, PUBLICATION
from search.profile import (
    ENTITY_WEIGHT,
    PROFILE_FACETS,
    RELATED_LIMIT,
    SIMILAR_TERMS,
    page,
    related,
    relevant,
    weighted_terms,
)

if TYPE_CHECKING:
    from search.backends.typesense.engine import TypesenseEngine
    from search.backends.typesense.vocabulary import Vocabulary

PAIR_TERMS = 6  # 15 pairs
SINGLE_TERMS = SIMILAR_TERMS  # every term alone: rare ones find few articles
NAMED_TERMS = 3  # the top terms among the articles sharing a name
PER_SEARCH = 10
RANKED = 40  # candidates fetched with their stems and ranked
CANDIDATE_FIELDS = "id,date,dated,day,title,source,url,title_stems,body_stems,title_len,body_len,entity,location," + STORY_FIELD
STRICT = {"num_typos": 0, "prefix": "false", "drop_tokens_threshold": 0, "typo_tokens_threshold": 0}


def profile(
    engine: "TypesenseEngine", vocab: "Vocabulary", facet: str, name: str, limit: int, stored: Callable[[dict], dict]
) -> dict | None:
    """``Engine.profile`` on Typesense; None for a name the index does not hold."""
    field = BY_NAME[facet].field
    column = vocab.columns[field]
    vid = column.lookup(name)
    if vid is None:
        return None
    canonical = column.values[vid]
    subject = key_filter(field, [canonical])
    slack = RELATED_LIMIT * 3 + 1 + 20  # ties at the cut are broken by value over a wider list
    plan = DateHistogram(PUBLICATION.name, PUBLICATION.field, (), None, None)
    counted = {"q": "*", "query_by": QUERY_BY, "filter_by": subject, "per_page": 0}
    days, months = histogram_searches(plan)
    listed, *dated = engine.multi_search([
        {
            "q": "*", "query_by": QUERY_BY, "filter_by": subject, "per_page": limit,
            "sort_by": "dated:desc,date:desc", "include_fields": VERSION_FIELDS, "highlight_fields": "none",
            "facet_by": ",".join(BY_NAME[f].field + KEY_SUFFIX for f in PROFILE_FACETS), "max_facet_values": slack,
        },
        {**counted, **days},
        {**counted, **months},
    ])
    interval, buckets, _cut = histogram_of(plan, *dated, days["max_facet_values"], months["max_facet_values"])
    histogram = (interval, buckets)
    return page(
        canonical,
        facet,
        vocab.entity_type(facet, canonical) or "location",
        vocab.aliases.aliases_of(canonical),
        listed["found"],
        histogram,
        _related(vocab, listed, (field, canonical)),
        [version(stored(h["document"])) for h in listed["hits"]],
        relevant(engine.search, facet, canonical, limit),
    )


def _related(vocab: "Vocabulary", answer: dict, subject: tuple[str, str]) -> dict[str, list[dict]]:
    """The people, organisations and places most often named in the subject's articles (``profile.related``)."""

    def ranked(facet: str):
        field = BY_NAME[facet].field
        counts: dict[str, int] = {}
        for result in answer.get("facet_counts", []):
            if result["field_name"] == field + KEY_SUFFIX:
                counts = {facet_value(c["value"]): c["count"] for c in result["counts"]}
        if subject[0] == field:
            counts.pop(subject[1], None)
        for value, count in sorted(counts.items(), key=lambda vc: (-vc[1], vc[0])):
            yield value, count, vocab.entity_type(facet, value) or "location"

    return related(ranked(f) for f in PROFILE_FACETS)


def similar(engine: "TypesenseEngine", vocab: "Vocabulary", doc: dict, limit: int, stored: Callable[[dict], dict]) -> dict:
    """``Engine.similar`` for one stored document."""
    terms = weighted_terms(doc.get("title") or "", doc.get("body") or "", vocab.doc_frequency, vocab.n_docs)
    story = doc.get(STORY_FIELD)
    names = {f: set(doc.get(BY_NAME[f].field) or ()) for f in PROFILE_FACETS}
    shared = " || ".join(key_filter(BY_NAME[f].field, sorted(v)) for f, v in names.items() if v)
    probes: list[tuple[str, ...]] = [*combinations(terms[:PAIR_TERMS], 2), *((t,) for t in terms[:SINGLE_TERMS])]
    base = {"query_by": QUERY_BY, **STRICT, "per_page": PER_SEARCH, "include_fields": "id", "highlight_fields": "none"}
    searches = [{**base, "q": " ".join(p)} for p in probes]
    if shared:
        searches += [{**base, "q": t, "filter_by": shared} for t in terms[:NAMED_TERMS]]
        probes += [(t,) for t in terms[:NAMED_TERMS]]
    if story:
        searches.append(members_search([story], MAX_STORY_VERSIONS))
    answers = engine.multi_search(searches) if searches else []
    same = [h["document"] for h in answers[-1]["hits"] if h["document"]["id"] != doc["id"]] if story else []
    excluded = {doc["id"]} | {d["id"] for d in same}
    known: dict[str, set[str]] = {}  # candidate -> the terms it is known to hold
    for probe, answer in zip(probes, answers):
        for h in answer["hits"]:
            if h["document"]["id"] not in excluded:
                known.setdefault(h["document"]["id"], set()).update(probe)
    idf = {t: math.log(max(vocab.n_docs, 1) / max(vocab.doc_frequency(t), 1)) for t in terms}
    best = sorted(known, key=lambda i: (-sum(idf[t] for t in known[i]), i))[:RANKED]
    candidates = _fetch(engine, best)
    picks = _most_similar(candidates, terms, names, vocab, limit)
    return {
        "id": doc["id"],
        "terms": terms,
        "similar": [version(stored(d)) for d in picks],
        "same_story": [version(stored(d)) for d in same],
    }


def _fetch(engine: "TypesenseEngine", ids: list[str]) -> list[dict]:
    """The candidates with their stems and names, in ``ids``' order."""
    if not ids:
        return []
    answer = engine.multi_search([{
        "q": "*", "query_by": QUERY_BY, "filter_by": id_filter(ids), "per_page": len(ids),
        "include_fields": CANDIDATE_FIELDS, "highlight_fields": "none",
    }])[0]
    by_id = {h["document"]["id"]: h["document"] for h in answer["hits"]}
    return [by_id[i] for i in ids if i in by_id]


def _most_similar(candidates: list[dict], terms: list[str], names: dict[str, set[str]], vocab, limit: int) -> list[dict]:
    total = sum(len(v) for v in names.values())
    scored = []
    for position, cand in enumerate(candidates):
        text = bm25f(cand, terms, (), vocab)[1]
        shared = sum(len(names[f] & set(cand.get(BY_NAME[f].field) or ())) for f in PROFILE_FACETS)
        scored.append((text, shared / total if total else 0.0, position, cand))
    top = max((s[0] for s in scored), default=0.0)
    ranked = [((t / top if top > 0 else t) + ENTITY_WEIGHT * share, -position, cand) for t, share, position, cand in scored]
    ranked = [r for r in ranked if r[0] > 0]
    ranked.sort(key=lambda r: (-r[0], -r[1]))
    return [cand for _score, _pos, cand in ranked[:limit]]

