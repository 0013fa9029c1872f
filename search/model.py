"""What a search is asked and what it answers.

The web page, the JSON endpoint and the CLI all render a ``SearchResult``;
``SearchResult.to_dict()`` *is* the JSON the endpoint returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "oldest")
# Facets a request may select values in; the date facet is the histogram plus
# date_from/date_to.
SELECTABLE_FACETS = ("entity", "location", "source", "category")
MAX_PER_PAGE = 100


class SearchError(ValueError):
    """A request the engine refuses; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    # facet name -> selected values; values within a facet are ORed, facets ANDed
    selected: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    # facet name -> how many values to return (default 10)
    facet_limit: dict[str, int] = field(default_factory=dict)
    # facet name -> prefix that values must start with (case-insensitive)
    facet_prefix: dict[str, str] = field(default_factory=dict)


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool
    type: str | None = None  # "person" | "organization", entity facet only


@dataclass
class Hit:
    id: str
    title: str
    url: str | None
    source: str | None
    date: str | None  # ISO date, YYYY-MM-DD
    snippet: str  # HTML: escaped text with <mark> around matches
    score: float
    entities: list[str]
    locations: list[str]


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    # "entity", "location", "source", "category" -> values; "date" -> histogram
    # buckets ({value: "2019-09" or "2019-09-10", count, selected})
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    # Set when the engine changed the query: "partial" (fewer words matched),
    # "plain" (the query did not parse and was searched as plain words)
    notice: str | None = None
    # how the date histogram is bucketed: "month" or "day"
    date_interval: str = "month"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape; ``type`` appears on entity values only."""
        out = asdict(self)
        for values in out["facets"].values():
            for v in values:
                if v["type"] is None:
                    del v["type"]
        return out
