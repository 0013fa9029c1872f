"""What a search is asked and what it answers.

The web page, the JSON endpoint and the CLI all render a ``SearchResult``;
``SearchResult.to_dict()`` *is* the JSON the endpoint returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from search.facet_spec import DATE_FACETS, PUBLICATION, SELECTABLE

SORTS = ("relevance", "newest", "oldest")
# collapse=story shows each story once, by its best hit; collapse=none every version.
COLLAPSES = ("story", "none")
# Facets a request may select values in (``search.facet_spec``); a date facet
# is its histogram plus a ``<name>_from`` / ``<name>_to`` range.
SELECTABLE_FACETS = tuple(f.name for f in SELECTABLE)
DEFAULT_FACET_LIMIT = 10
# Fewer full matches than this: a backend falls back to partial matches (notice
# "partial", ranked by how much of the query each holds) and suggests a spelling.
FEW_HITS = 3
# Other versions of a story listed under a collapsed hit.
MAX_VERSIONS_SHOWN = 5

# What the engine did to a query, declared once: code -> (the CLI's English, the page's Indonesian).
NOTICES: dict[str, tuple[str, str]] = {
    "partial": (
        "no article has every word; showing those with the most",
        "Tidak ada artikel yang memuat semua kata; ditampilkan artikel yang memuat sebagian kata.",
    ),
    "plain": (
        "the query was read as plain words",
        "Kueri tidak dapat diurai sebagai operator, jadi dicari sebagai kata biasa.",
    ),
    "budget": (
        "the request ran out of time: only its first part was searched exactly",
        "Waktu pencarian habis, jadi hanya bagian awal kueri yang dicari dengan tepat.",
    ),
    "truncated": (
        "the query was too large: only its first part was searched",
        "Kueri terlalu besar, jadi hanya bagian awalnya yang dicari.",
    ),
    "facets": (
        "too many results to count every facet value: some values or histogram bars are left out (the counts shown are exact)",
        "Hasilnya terlalu banyak untuk menghitung semua nilai filter, jadi sebagian nilai atau batang histogram"
        " tidak ditampilkan; jumlah yang ditampilkan tetap tepat.",
    ),
    "sampled": (
        "too many results to count every facet: facet values are counted over the newest results only,"
        " and some histogram bars may be left out (the total and the bars shown count every result)",
        "Hasilnya terlalu banyak, jadi jumlah pada nilai filter dihitung dari hasil terbaru saja dan sebagian"
        " batang histogram mungkin tidak ditampilkan; jumlah hasil dan batang yang ditampilkan tetap"
        " menghitung semua hasil.",
    ),
}

class SearchError(ValueError):
    """A request the engine refuses; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class BackendDown(RuntimeError):
    """The backend's storage did not answer (a cluster without a leader, a node down): the web's 503."""

    code = "backend_unavailable"

    def __init__(self, message: str):
        super().__init__(message)
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
    # date facets other than the publication date (date_from/date_to): name -> (first, last day)
    ranges: dict[str, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    collapse: str = "story"

    def date_range(self, facet: str) -> tuple[dt.date | None, dt.date | None]:
        """The selected (first, last) day of a date facet; (None, None) when it has no range."""
        if facet == PUBLICATION.name:
            return self.date_from, self.date_to
        return self.ranges.get(facet, (None, None))


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
    # {"id", "size", "other_outlets", "others": [{id, title, source, date, url}]}: the article's
    # story; "others" (the other versions, up to MAX_VERSIONS_SHOWN) only when the search collapsed
    story: dict[str, Any] | None = None


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    # facet name (``search.facet_spec.FACETS``) -> values; a date facet's are
    # histogram buckets ({value: "2019-09" or "2019-09-10", count, selected})
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    # Set when the engine changed the query: a key of NOTICES
    notice: str | None = None
    # how the publication histogram is bucketed: "month" or "day" (``date_intervals["date"]``)
    date_interval: str = "month"
    # every date facet's bucketing, facet name -> "month" | "day"; a backend that passes only
    # ``date_interval`` gets it for the publication date and "month" for the others
    date_intervals: dict[str, str] = field(default_factory=dict)
    # collapse=story: how many results (stories) the pages run over; None with collapse=none.
    # ``total`` and the facet counts stay per article.
    collapsed_total: int | None = None

    def __post_init__(self) -> None:
        given = {f.name: "month" for f in DATE_FACETS} | {PUBLICATION.name: self.date_interval}
        self.date_intervals = given | self.date_intervals
        self.date_interval = self.date_intervals[PUBLICATION.name]

    @property
    def result_count(self) -> int:
        """What the pages run over: stories when collapsed, else articles."""
        return self.total if self.collapsed_total is None else self.collapsed_total

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape; ``type`` appears on entity values only."""
        out = asdict(self)
        for values in out["facets"].values():
            for v in values:
                if v["type"] is None:
                    del v["type"]
        return out
