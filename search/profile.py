"""What an entity's or a place's page and "more like this" are, whichever backend counts them.

A backend finds the numbers (the name's articles, the names most often
mentioned with it, its histogram, the article's nearest neighbours) its own
way; the rules and the shape are declared here once: how many related names
a page lists, which terms describe an article, how shared names weigh against
the text, the "most relevant" articles (a search within the name) and the
page's JSON (``Engine.profile``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import islice
from typing import Callable, Iterable

from indexer.analysis import analyze
from search.model import FacetValue, SearchError, SearchRequest

# Facets with a page of their own: people and organisations, places.
PROFILE_FACETS = ("entity", "location")
# How many names of each kind a page lists beside the subject.
RELATED_LIMIT = 12
# "More like this": the article's stems with the highest tf-idf make the query.
SIMILAR_TERMS = 15
# Weight of the shared entities and places against the (max-normalised) text score.
ENTITY_WEIGHT = 0.5
# The title counts this many times in an article's term weights (titles say what matters).
TITLE_REPEAT = 2


def check_facet(facet: str) -> None:
    if facet not in PROFILE_FACETS:
        raise SearchError("unknown_facet", f"no pages for the {facet!r} facet")


def weighted_terms(title: str, body: str, doc_frequency: Callable[[str], int], n_docs: int) -> list[str]:
    """The article's stems by tf-idf (title counted ``TITLE_REPEAT`` times); stems in one article only are left out."""
    tf = Counter(analyze(" ".join([title] * TITLE_REPEAT + [body])))
    n = max(1, n_docs)
    weights = {}
    for term, freq in tf.items():
        df = doc_frequency(term)
        if df >= 2 and not term.isdigit():
            weights[term] = freq * math.log(n / df)
    return sorted(weights, key=lambda t: -weights[t])[:SIMILAR_TERMS]


def related(per_facet: Iterable[Iterable[tuple[str, int, str]]]) -> dict[str, list[dict]]:
    """A page's related names: per facet, its (name, count, kind) most frequent first, the subject left
    out; the first ``RELATED_LIMIT * 3`` of each are dealt to their kind, ``RELATED_LIMIT`` a kind."""
    out: dict[str, list[dict]] = {"person": [], "organization": [], "location": []}
    for ranked in per_facet:
        for name, count, kind in islice(ranked, RELATED_LIMIT * 3):
            if len(out[kind]) < RELATED_LIMIT:
                out[kind].append({"name": name, "count": count})
    return out


def relevant(search: Callable[[SearchRequest], object], facet: str, name: str, limit: int) -> list[dict]:
    """The name's most relevant articles: a search for its words within its articles, every version."""
    words = " ".join(re.findall(r"\w+", name))
    if not words:
        return []
    found = search(SearchRequest(query=words, selected={facet: (name,)}, per_page=limit, collapse="none"))
    return [
        {"id": h.id, "title": h.title, "source": h.source, "date": h.date, "url": h.url, "snippet": h.snippet}
        for h in found.hits
    ]


def page(
    name: str,
    facet: str,
    kind: str,
    aliases: list[str],
    articles: int,
    histogram: tuple[str, list[FacetValue]],
    related: dict[str, list[dict]],
    latest: list[dict],
    relevant_articles: list[dict],
) -> dict:
    """``Engine.profile``'s answer; ``related``: kind (person, organization, location) -> [{name, count}]."""
    interval, buckets = histogram
    return {
        "name": name,
        "facet": facet,
        "type": kind,
        "aliases": aliases,
        "articles": articles,
        "date_interval": interval,
        "dates": [{"value": b.value, "count": b.count} for b in buckets],
        "people": related["person"],
        "organizations": related["organization"],
        "locations": related["location"],
        "latest": latest,
        "relevant": relevant_articles,
    }
