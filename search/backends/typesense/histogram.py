"""Date histograms from Typesense facet counts: day buckets, months, the zoom to a selected range.

Typesense orders facet buckets by count and has no date histogram, so each
date facet is counted on a string field of days (``day`` for the
publication date, ``mentioned_key`` for the event dates: one bucket per
mentioned day, an article in every day it mentions) and one of months
(``month``; ``mentioned_month``, a month once per mentioned day, so that a
month's count is the sum of its days'), and put in date order here.

What a histogram costs Typesense is mostly the buckets it returns (0.24.1
reads a stored document per facet value: ~0.1 ms each), and an index of many
years holds thousands of mentioned days. So the days are asked in a search
of their own, at most ``day_max_days + 1`` of them: fewer came back, they are
all the days (a day histogram when they span under ``day_max_days``);
that many, the counted articles span ``day_max_days`` or more and the months
(their own search) are the histogram. Both are exact.

Over a large set the months ride on the main search and the days are asked
in a second round only when the months found cannot show that the articles
span ``day_max_days`` or more (``months_span``): over most of the 22k the
day buckets cost Typesense ~15-25 ms, and the months always decide there.

A selected range zooms to the days inside it (an article's other mentioned
days are not counted), as the Whoosh engine does: the event dates' months are
then summed from the days inside the range, asked up to ``RANGED_DAYS``.
Over a large set the engine asks the months with a lower cap (``bound``).
When a cap cuts buckets, ``histogram_of`` says so (``cut``: the engine's
notice ``facets``); the buckets shown keep their exact counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from indexer.typesense.schema import KEY_SUFFIX, MENTIONED_MONTH, facet_value
from search.facet_plan import DateHistogram
from search.facet_spec import PUBLICATION
from search.model import FacetValue

# Months an unbounded histogram may show (a century).
MAX_MONTHS = 1200
# The event dates' days inside a selected range (a zoomed histogram sums its months from them).
RANGED_DAYS = 400


@dataclass(frozen=True)
class Fields:
    """What a date facet's histogram counts: its day buckets (hex keys or not) and its month buckets."""

    day: str
    month: str
    day_is_key: bool


HISTOGRAM_FIELDS = {PUBLICATION.field: Fields("day", "month", day_is_key=False)}


def _fields(field: str) -> Fields:
    return HISTOGRAM_FIELDS.get(field) or Fields(field + KEY_SUFFIX, MENTIONED_MONTH, day_is_key=True)


def _sums_days(plan: DateHistogram) -> bool:
    """Whether the months are summed from the days: an event-date range zooms (an article's days
    outside it do not count); an article has one publication day, so its range needs no zoom."""
    return plan.field != PUBLICATION.field and (plan.start is not None or plan.end is not None)


def histogram_searches(plan: DateHistogram) -> tuple[dict, dict | None]:
    """The ``facet_by`` / ``max_facet_values`` of the day search and of the month search (None:
    not needed, the months are summed from the days)."""
    fields = _fields(plan.field)
    if _sums_days(plan):
        return {"facet_by": fields.day, "max_facet_values": RANGED_DAYS}, None
    days = {"facet_by": fields.day, "max_facet_values": plan.day_max_days + 1}
    return days, {"facet_by": fields.month, "max_facet_values": MAX_MONTHS}


def _counts(answer: dict | None, field: str) -> dict[str, int]:
    for facet in (answer or {}).get("facet_counts", []):
        if facet["field_name"] == field:
            return {c["value"]: c["count"] for c in facet["counts"]}
    return {}


def month_counts(plan: DateHistogram, answer: dict) -> dict[str, int]:
    """The month buckets of a histogram in an answer (``YYYY-MM`` -> articles)."""
    return _counts(answer, _fields(plan.field).month)


def months_span(plan: DateHistogram, months: dict[str, int]) -> bool:
    """Whether articles in these months certainly span ``plan.day_max_days`` days or more (their
    histogram is by month whatever their days): the first month's end to the last month's start."""
    if not months:
        return False
    year, month = map(int, min(months).split("-"))
    first_end = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)
    last_start = dt.date.fromisoformat(max(months) + "-01")
    return (last_start - first_end).days >= plan.day_max_days


def histogram_of(
    plan: DateHistogram, day_answer: dict, month_answer: dict | None, day_cap: int, month_cap: int
) -> tuple[str, list[FacetValue], bool]:
    """(interval, buckets in date order, cut): by day under ``plan.day_max_days``, else by month.

    ``day_cap`` / ``month_cap``: the ``max_facet_values`` the answers were asked with (at least
    ``plan.day_max_days + 1`` days). ``cut``: a cap left buckets out (the shown ones keep their
    exact counts)."""
    fields = _fields(plan.field)
    days = _counts(day_answer, fields.day)
    all_days = len(days) < day_cap
    if fields.day_is_key:
        days = {facet_value(k): c for k, c in days.items()}
    if month_answer is None:  # summed from the days inside the range
        return buckets(plan, days, None, all_days)
    months = _counts(month_answer, fields.month)
    return buckets(plan, days, months, all_days, len(months) >= month_cap)


def buckets(
    plan: DateHistogram, days: dict[str, int], months: dict[str, int] | None, all_days: bool = True, months_cut: bool = False
) -> tuple[str, list[FacetValue], bool]:
    """``histogram_of`` from day counts (``all_days``: every day the articles hold) and month
    counts (None: summed from the days, e.g. the whole index's from the vocabulary)."""
    lo, hi = plan.start, plan.end
    ranged = lo is not None or hi is not None
    if ranged:
        days = {d: c for d, c in days.items() if _inside(d, d, lo, hi)}
    if all_days:
        if not days:
            return "month", [], False
        first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
        if (last - first).days < plan.day_max_days:
            return "day", [FacetValue(d, days[d], ranged and _inside(d, d, lo, hi)) for d in sorted(days)], False
    cut = months_cut
    if months is None:
        cut = not all_days
        months = {}
        for d, c in days.items():
            months[d[:7]] = months.get(d[:7], 0) + c
    out = []
    for m in sorted(months):
        year, month = map(int, m.split("-"))
        end = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)
        out.append(FacetValue(m, months[m], ranged and _inside(f"{m}-01", end.isoformat(), lo, hi)))
    return "month", out, cut


def _inside(start: str, end: str, lo: dt.date | None, hi: dt.date | None) -> bool:
    return (lo is None or end >= lo.isoformat()) and (hi is None or start <= hi.isoformat())
