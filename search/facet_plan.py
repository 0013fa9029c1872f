"""The facet plan: which counts a request needs, as a plain description any backend can execute.

Multi-select semantics (Elasticsearch's post_filter, Solr's tag/exclude):
values within one facet are ORed, facets are ANDed, and each facet is counted
over the documents matching the query and every *other* facet's selection, so
its own other values stay selectable. Selected values are always listed, with
``selected: true``, even when their count is 0. A date histogram counts the
documents matching the query and every filter, its own range included: a
selected range is drawn zoomed in (a dense month by day), its buckets marked
selected; documents without a date are in no bucket (and pass no range) but are
found by searches without one.

``plan_facets(request)`` turns a ``SearchRequest`` into a ``FacetPlan``:

* ``filters``: one ``ValueFilter`` / ``RangeFilter`` per facet with a
  selection; the hits are the query's matches passing all of them;
* ``counts``: per value facet, the names of the filters that apply when it is
  counted (all but its own), its limit, prefix and selected values;
* ``histograms``: per date facet, the filters that apply, its selected range
  and the interval rule (by day when the counted documents span fewer than
  ``day_max_days`` days, else by month).

The Whoosh adapter executes it with masks over arrays; a Typesense adapter as
one ``multi_search`` (the main search with every filter, plus one search per
distinct set of ``filters`` names). ``FacetCount.filters`` equal to
``FacetPlan.all_filters`` means "the hits themselves".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from search.facet_spec import DATE_FACETS, SELECTABLE
from search.model import DEFAULT_FACET_LIMIT, SearchRequest

# Histogram by day when the counted documents span fewer days than this.
DAY_INTERVAL_MAX_DAYS = 62


@dataclass(frozen=True)
class ValueFilter:
    """Documents holding any of ``values`` in ``field``."""

    facet: str
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class RangeFilter:
    """Documents whose ``field`` date lies in [start, end] (either end open when None)."""

    facet: str
    field: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class FacetCount:
    """Count a value facet's values over the query's matches passing ``filters``."""

    facet: str
    field: str
    kind: str  # "value" | "entity" (values also carry their type, from ``type_fields``)
    filters: tuple[str, ...]  # names of the FacetPlan.filters that apply
    limit: int
    prefix: str | None  # only values starting with it (or with a word starting with it), ignoring case
    selected: tuple[str, ...]  # always listed, count 0 when absent
    type_fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DateHistogram:
    """Bucket a date field's values over the query's matches passing ``filters``."""

    facet: str
    field: str
    filters: tuple[str, ...]
    start: dt.date | None  # the selected range: buckets inside it are marked selected
    end: dt.date | None
    day_max_days: int = DAY_INTERVAL_MAX_DAYS


@dataclass(frozen=True)
class FacetPlan:
    filters: dict[str, ValueFilter | RangeFilter]  # facet name -> its selection
    counts: tuple[FacetCount, ...]
    histograms: tuple[DateHistogram, ...]

    @property
    def all_filters(self) -> tuple[str, ...]:
        return tuple(self.filters)


def plan_facets(request: SearchRequest) -> FacetPlan:
    """The counts ``request`` needs, in ``FACETS`` order."""
    filters: dict[str, ValueFilter | RangeFilter] = {}
    for spec in SELECTABLE:
        values = request.selected.get(spec.name)
        if values:
            filters[spec.name] = ValueFilter(spec.name, spec.field, tuple(values))
    for spec in DATE_FACETS:
        start, end = request.date_range(spec.name)
        if start or end:
            filters[spec.name] = RangeFilter(spec.name, spec.field, start, end)

    def others(name: str) -> tuple[str, ...]:
        return tuple(f for f in filters if f != name)

    counts = tuple(
        FacetCount(
            facet=spec.name,
            field=spec.field,
            kind=spec.kind,
            filters=others(spec.name),
            limit=request.facet_limit.get(spec.name, DEFAULT_FACET_LIMIT),
            prefix=request.facet_prefix.get(spec.name),
            selected=tuple(request.selected.get(spec.name, ())),
            type_fields=spec.type_fields,
        )
        for spec in SELECTABLE
    )
    histograms = tuple(
        DateHistogram(spec.name, spec.field, tuple(filters), *request.date_range(spec.name)) for spec in DATE_FACETS
    )
    return FacetPlan(filters, counts, histograms)
