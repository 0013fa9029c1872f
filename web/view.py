"""What the search page shows, worked out in Python so the templates stay declarative.

Facet blocks, active-filter chips, histogram bars and pagination are plain
data here; the templates only lay them out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from flask import url_for
from markupsafe import Markup, escape

from search import request as search_request
from search.facet_spec import DATE_FACETS, FACETS, PUBLICATION, SELECTABLE, FacetSpec
from search.model import NOTICES, SELECTABLE_FACETS, SearchError, SearchRequest, SearchResult
from web.links import PAGE_ENDPOINT, Links
from web.params import facet_limit_param, facet_prefix_param

# Headings, chip labels and filter-box placeholders come from the facet declarations.
FACET_LABELS = {f.name: f.label for f in FACETS}
FILTER_HINTS = {f.name: f.hint for f in SELECTABLE}
SORT_LABELS = {"relevance": "Relevansi", "newest": "Terbaru", "oldest": "Terlama"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# The page asks for this many values per facet, shows the first SHOWN_VALUES
# and keeps the rest behind a "Lainnya" expander that needs no script.
PAGE_FACET_LIMIT = 30
SHOWN_VALUES = 8
# Histogram drawing box (SVG user units; the CSS stretches it to the column).
CHART_WIDTH, CHART_HEIGHT = 600, 90
# Entity / location tags shown under a hit (an article can name dozens).
TAG_LIMITS = {"entity": 6, "location": 4}
# Up to this many bars each get an axis label; more get only the first and last.
LABELLED_BARS = 10
# How many page numbers either side of the current one.
PAGE_WINDOW = 2

_NON_MARK_TAG = re.compile(r"<(?!/?mark>)")


def page_request(req: SearchRequest) -> SearchRequest:
    """The request the page runs: more facet values than the API's default, unless asked otherwise."""
    limits = {name: PAGE_FACET_LIMIT for name in SELECTABLE_FACETS}
    limits.update(req.facet_limit)
    return replace(req, facet_limit=limits)


def is_web_url(url: Any) -> bool:
    """Only http(s) URLs with a host become links; ``javascript:`` and friends stay text."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def snippet_html(snippet: str) -> Markup:
    """Mark the engine's snippet safe: it is escaped text with ``<mark>`` around matches.

    Trusting it is the engine's contract; as a second line of defence any tag
    other than ``<mark>``/``</mark>`` makes the whole snippet plain text.
    """
    if _NON_MARK_TAG.search(snippet):
        return escape(snippet)
    return Markup(snippet)


def human_date(iso: str | None) -> str:
    """``2019-09-10`` -> ``10 Sep 2019``; ``2019-09`` -> ``Sep 2019``."""
    if not iso:
        return ""
    try:
        if len(iso) == 7:
            return f"{MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"
        day = dt.date.fromisoformat(iso[:10])
    except (ValueError, IndexError):
        return iso
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(iso: str) -> str:
    """Axis label: ``2019-09`` -> ``Sep 2019``, ``2019-09-10`` -> ``10 Sep``."""
    label = human_date(iso)
    return label if len(iso) == 7 else label.rsplit(" ", 1)[0]


@dataclass
class FacetBlock:
    name: str
    label: str
    values: list[dict[str, Any]]  # the API's facet values, each with toggle_url
    hidden_selected: list[str]  # selected values not in the list (kept in the form)
    prefix: str
    prefix_param: str
    more_url: str | None  # ask for more values than were returned

    @property
    def shown(self) -> list[dict[str, Any]]:
        return self.values[:SHOWN_VALUES]

    @property
    def rest(self) -> list[dict[str, Any]]:
        return self.values[SHOWN_VALUES:]


@dataclass
class Chip:
    label: str
    value: str
    remove_url: str


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    short: str  # axis label under the bar
    count: int
    selected: bool
    url: str


@dataclass
class PageLink:
    number: int | None  # None: an ellipsis
    url: str | None
    current: bool = False


@dataclass
class SearchView:
    req: SearchRequest
    result: dict[str, Any]
    links: Links
    facets: list[FacetBlock] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    pages: list[PageLink] = field(default_factory=list)
    last_page: int = 0
    dense: DenseMonth | None = None
    date_sections: list[DateSection] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)  # form state without a visible input
    notice: str | None = None  # what the engine did to the query, in Indonesian


def facet_blocks(req: SearchRequest, ran: SearchRequest, result: dict[str, Any], links: Links) -> list[FacetBlock]:
    blocks = []
    for name in SELECTABLE_FACETS:
        values = result["facets"].get(name, [])
        listed = {fv["value"] for fv in values}
        limit = ran.facet_limit.get(name, PAGE_FACET_LIMIT)
        more = min(limit * 4, search_request.MAX_FACET_LIMIT)
        blocks.append(
            FacetBlock(
                name=name,
                label=FACET_LABELS[name],
                values=values,
                hidden_selected=[v for v in req.selected.get(name, ()) if v not in listed],
                prefix=req.facet_prefix.get(name, ""),
                prefix_param=facet_prefix_param(name),
                more_url=links.with_value(facet_limit_param(name), str(more))
                if len(values) >= limit and more > limit
                else None,
            )
        )
    return blocks


def chips(req: SearchRequest, links: Links) -> list[Chip]:
    out = [
        Chip(FACET_LABELS[name], value, links.toggle(name, value))
        for name in SELECTABLE_FACETS
        for value in req.selected.get(name, ())
    ]
    for facet in DATE_FACETS:
        lo, hi = req.date_range(facet.name)
        if lo or hi:
            span = f"{human_date(lo and lo.isoformat()) or '…'} – {human_date(hi and hi.isoformat()) or '…'}"
            out.append(Chip(facet.label, span, links.without(*facet.range_params)))
    return out


def histogram(buckets: list[dict[str, Any]], links: Links, facet: str = PUBLICATION.name) -> list[Bar]:
    """One bar per bucket, heights relative to the tallest; tiny counts stay visible."""
    if not buckets:
        return []
    top = max(b["count"] for b in buckets) or 1
    slot = CHART_WIDTH / len(buckets)
    gap = min(slot * 0.2, 6)
    bars = []
    for i, bucket in enumerate(buckets):
        height = max(bucket["count"] / top * (CHART_HEIGHT - 4), 2 if bucket["count"] else 0)
        bars.append(
            Bar(
                x=round(i * slot + gap / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                label=human_date(bucket["value"]),
                short=short_date(bucket["value"]),
                count=bucket["count"],
                selected=links.date_selected(bucket["value"], facet),
                url=bucket["toggle_url"],
            )
        )
    return bars


# A month bucket holding at least this share of the counted articles gets a "per day" link.
DENSE_SHARE = 0.5


@dataclass
class DateSection:
    """A date facet other than the publication date (the event dates): its range inputs and histogram,
    drawn and drilled into like the publication date's."""

    name: str
    label: str
    params: tuple[str, str]
    selected: tuple[Any, Any]
    bars: list[Bar]
    interval: str  # "month" | "day"
    dense: DenseMonth | None


@dataclass
class DenseMonth:
    label: str
    share: int  # percent
    url: str


def dense_month(buckets: list[dict[str, Any]], links: Links) -> DenseMonth | None:
    """The month that dwarfs the others' bars (92% of the articles in one), and the link that draws it by day."""
    total = sum(b["count"] for b in buckets)
    if len(buckets) < 2 or not total or len(buckets[0]["value"]) != 7:
        return None
    top = max(buckets, key=lambda b: b["count"])
    if top["count"] < DENSE_SHARE * total:
        return None
    return DenseMonth(human_date(top["value"]), round(100 * top["count"] / total), top["toggle_url"])


def date_section(spec: FacetSpec, req: SearchRequest, data: dict[str, Any], links: Links) -> DateSection:
    buckets = data["facets"].get(spec.name, [])
    return DateSection(
        spec.name, spec.label, spec.range_params, req.date_range(spec.name),
        histogram(buckets, links, spec.name), data["date_intervals"][spec.name], dense_month(buckets, links),
    )


def last_page(total: int, per_page: int) -> int:
    """The last page a link may point to: the parser refuses pages past ``MAX_WINDOW`` results."""
    return min(-(-total // per_page), search_request.MAX_WINDOW // per_page)


def pagination(page: int, last: int, links: Links) -> list[PageLink]:
    """``1 … 4 5 [6] 7 8 … 20``."""
    if last <= 1:
        return []
    numbers = sorted({1, last, *range(max(1, page - PAGE_WINDOW), min(last, page + PAGE_WINDOW) + 1)})
    out: list[PageLink] = []
    for n in numbers:
        if out and out[-1].number is not None and n - out[-1].number > 1:
            out.append(PageLink(None, None))
        out.append(PageLink(n, links.page(n), current=n == page))
    return out


def build(req: SearchRequest, ran: SearchRequest, result: SearchResult, links: Links) -> SearchView:
    """The page's view of ``result``; ``ran`` is the request actually run (``page_request(req)``)."""
    data = links.annotate(result.to_dict())
    last = last_page(result.result_count, result.per_page)
    return SearchView(
        req=req,
        result=data,
        links=links,
        facets=facet_blocks(req, ran, data, links),
        chips=chips(req, links),
        bars=histogram(data["facets"].get(PUBLICATION.name, []), links),
        dense=dense_month(data["facets"].get(PUBLICATION.name, []), links),
        date_sections=[date_section(spec, req, data, links) for spec in DATE_FACETS if spec is not PUBLICATION],
        pages=pagination(result.page, last, links),
        last_page=last,
        hidden=form_state(links),
        notice=NOTICES[result.notice][1] if result.notice else None,
    )


def form_state(links: Links) -> list[tuple[str, str]]:
    """Parameters the page's form must carry as hidden inputs (page size, expanded facets)."""
    names = {"per_page", *(facet_limit_param(name) for name in SELECTABLE_FACETS)}
    return [(name, value) for name, values in links.params.items() if name in names for value in values]



def document_facets(doc: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """``(label, facet, values)`` rows of an article page, each value a link to that filter."""
    entities = [e["name"] if isinstance(e, dict) else e for e in doc.get("entities") or ()]
    rows = [
        ("source", [doc.get("source")]),
        ("category", [doc.get("category")]),
        ("entity", entities),
        ("location", list(doc.get("locations") or ())),
    ]
    return [(FACET_LABELS[name], name, [v for v in values if v]) for name, values in rows if any(values)]


# Facets with a page per value: (page endpoint, API endpoint).
PROFILE_ENDPOINTS = {
    "entity": ("pages.entity_page", "api.entity"),
    "location": ("pages.location_page", "api.location"),
}
PROFILE_KINDS = {"person": "entity", "organization": "entity", "location": "location"}
PROFILE_LABELS = {"person": "Tokoh", "organization": "Organisasi", "location": "Lokasi"}


def checked_name(name: str) -> str:
    """A page's name from the URL, bounded like a facet value (``SearchError`` otherwise)."""
    if "\x00" in name:
        raise SearchError("invalid_character", "the name contains a NUL byte")
    if len(name) > search_request.MAX_VALUE_CHARS:
        raise SearchError("value_too_long", f"the name is longer than {search_request.MAX_VALUE_CHARS} characters")
    return name


def profile_url(kind: str, name: str, api: bool = False) -> str:
    """The page (or JSON twin) of a person, organisation or place."""
    page, twin = PROFILE_ENDPOINTS[PROFILE_KINDS.get(kind, kind)]
    return url_for(twin if api else page, name=name)


def annotate_profile(data: dict[str, Any]) -> dict[str, Any]:
    """Links of a profile (``Engine.profile``): its twin, the search within it, every name and article."""
    facet, name = data["facet"], data["name"]
    within = Links(SearchRequest(selected={facet: (name,)}), PAGE_ENDPOINT)
    data["links"] = {
        "self": profile_url(facet, name, api=True),
        "html": profile_url(facet, name),
        "search": within.current(),
    }
    for kind in ("people", "organizations", "locations"):
        for item in data[kind]:
            item["page"] = profile_url({"people": "person", "organizations": "organization"}.get(kind, "location"), item["name"])
    for item in data["latest"] + data["relevant"]:
        item["page"] = url_for("pages.document", doc_id=item["id"])
    for bucket in data["dates"]:
        bucket["toggle_url"] = within.date(bucket["value"])
    return data


def annotate_versions(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in versions:
        item["page"] = url_for("pages.document", doc_id=item["id"])
    return versions
