"""Date histograms from Typesense facet counts: day buckets, months, the zoom to a selected range.

Typesense orders facet buckets by count and has no date histogram, so each
date facet is counted on a string field of days (``day`` for the
publication date, ``mentioned_key`` for the event dates: one bucket per
mentioned day, an article in every day it mentions) and put in date order
here; months come from the ``month`` facet or are summed from the days. A
selected range zooms to the days inside it (an article's other mentioned
days are not counted), as the Whoosh engine does.
"""

from __future__ import annotations

import datetime as dt

from indexer.typesense.schema import KEY_SUFFIX, facet_value
from search.facet_plan import DateHistogram
from search.facet_spec import PUBLICATION
from search.model import FacetValue

MAX_DAY_BUCKETS = 4000
# Per date facet field, what its histogram counts: (the day buckets, the month buckets or None: summed from the days).
HISTOGRAM_FIELDS = {PUBLICATION.field: ("day", "month")}
# The event dates: each mentioned day (hex keys); an article may mention many, so more buckets are read.
MAX_EVENT_DAY_BUCKETS = 20000


def histogram_facets(field: str) -> dict:
    """The ``facet_by`` / ``max_facet_values`` of a search counting a date field's histogram."""
    day, month = _histogram_fields(field)
    limit = MAX_DAY_BUCKETS if month else MAX_EVENT_DAY_BUCKETS
    return {"facet_by": ",".join(f for f in (day, month) if f), "max_facet_values": limit}


def histogram_of(plan: DateHistogram, answer: dict) -> tuple[str, list[FacetValue]]:
    """(interval, buckets in date order): by day under ``plan.day_max_days``, else by month.

    A selected range zooms to the days inside it (an article's other mentioned days are not counted).
    """
    day_field, month_field = _histogram_fields(plan.field)
    days: dict[str, int] = {}
    months: dict[str, int] = {}
    for facet in answer.get("facet_counts", []):
        counts = {c["value"]: c["count"] for c in facet["counts"]}
        if facet["field_name"] == day_field:
            days.update(counts if month_field else {facet_value(k): c for k, c in counts.items()})
        elif facet["field_name"] == month_field:
            months.update(counts)
    lo, hi = plan.start, plan.end
    ranged = lo is not None or hi is not None
    if ranged:
        days = {d: c for d, c in days.items() if _inside(d, d, lo, hi)}
    if not days:
        return "month", []
    first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
    if len(days) < MAX_DAY_BUCKETS and (last - first).days < plan.day_max_days:
        return "day", [FacetValue(d, days[d], ranged and _inside(d, d, lo, hi)) for d in sorted(days)]
    if not months or len(days) < MAX_DAY_BUCKETS:
        months = {}
        for d, c in days.items():
            months[d[:7]] = months.get(d[:7], 0) + c
    out = []
    for m in sorted(months):
        year, month = map(int, m.split("-"))
        end = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)
        out.append(FacetValue(m, months[m], ranged and _inside(f"{m}-01", end.isoformat(), lo, hi)))
    return "month", out


def _histogram_fields(field: str) -> tuple[str, str | None]:
    """What a date field's histogram counts: (its day buckets, its month buckets or None: summed from the days)."""
    return HISTOGRAM_FIELDS.get(field, (field + KEY_SUFFIX, None))


def _inside(start: str, end: str, lo: dt.date | None, hi: dt.date | None) -> bool:
    return (lo is None or end >= lo.isoformat()) and (hi is None or start <= hi.isoformat())
