"""Query-string handling shared by the page and the JSON twin.

Werkzeug decodes query strings leniently (``%ff`` becomes U+FFFD), which would
let a malformed URL search for a replacement character; parsing the raw bytes
here turns bad encodings and absurd sizes into a
``SearchError`` the app answers with a 400 before the engine sees anything.

URLs the app builds (facet toggles, chip removals, pages) are derived from the
*parsed* ``SearchRequest`` rather than the raw parameters, so a value that the
parser normalised (trimmed, case-folded) can still be removed by the link that
shows it.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from typing import Mapping
from urllib.parse import unquote_to_bytes, urlencode

from search.facet_spec import BY_NAME, DATE_FACETS, PUBLICATION
from search.model import SELECTABLE_FACETS, SearchError, SearchRequest
from search.param_spec import facet_param

Params = dict[str, list[str]]

# Far above what a form or a link produces; keeps parsing bounded.
MAX_PARAMETERS = 200
MAX_QUERY_STRING_BYTES = 64 * 1024

DEFAULTS = SearchRequest()


def read_params(query_string: bytes) -> Params:
    """Strictly decode a raw query string into ``name -> values`` (validation is ``parse_request``'s)."""
    if len(query_string) > MAX_QUERY_STRING_BYTES:
        raise SearchError("too_long", "Alamat permintaan terlalu panjang.")
    fields = [f for f in query_string.split(b"&") if f]
    if len(fields) > MAX_PARAMETERS:
        raise SearchError("too_many_parameters", "Terlalu banyak parameter.")
    params: Params = {}
    for item in fields:
        raw_name, _, raw_value = item.partition(b"=")
        try:
            name, value = (unquote_to_bytes(x.replace(b"+", b" ")).decode("utf-8") for x in (raw_name, raw_value))
        except UnicodeDecodeError:
            raise SearchError("invalid_encoding", "Parameter harus berupa teks UTF-8 yang sah.") from None
        params.setdefault(name, []).append(value)
    return params


def request_params(req: SearchRequest) -> Params:
    """The canonical parameters of a parsed request (defaults left out)."""
    params: Params = {}
    if req.query:
        params["q"] = [req.query]
    for name in SELECTABLE_FACETS:
        if req.selected.get(name):
            params[name] = list(req.selected[name])
    for facet in DATE_FACETS:
        for name, day in zip(facet.range_params, req.date_range(facet.name)):
            if day:
                params[name] = [day.isoformat()]
    if req.sort != DEFAULTS.sort:
        params["sort"] = [req.sort]
    if req.per_page != DEFAULTS.per_page:
        params["per_page"] = [str(req.per_page)]
    for name, limit in sorted(req.facet_limit.items()):
        params[facet_limit_param(name)] = [str(limit)]
    for name, prefix in sorted(req.facet_prefix.items()):
        params[facet_prefix_param(name)] = [prefix]
    if req.page != DEFAULTS.page:
        params["page"] = [str(req.page)]
    return params


def facet_limit_param(facet: str) -> str:
    """The parameter that asks for more values of one facet."""
    return facet_param("facet_limit", facet)


def facet_prefix_param(facet: str) -> str:
    """The parameter that filters one facet's values by prefix."""
    return facet_param("facet_prefix", facet)


def encode(params: Mapping[str, list[str]]) -> str:
    """``?a=1&b=2`` (or ``""``) in the parameters' own order."""
    query = urlencode([(name, value) for name, values in params.items() for value in values])
    return f"?{query}" if query else ""


def with_page(params: Params, page: int) -> Params:
    """The same search on another page."""
    out = {k: v for k, v in params.items() if k != "page"}
    if page != DEFAULTS.page:
        out["page"] = [str(page)]
    return out


def replace(params: Params, name: str, values: list[str]) -> Params:
    """``params`` with one parameter set (or dropped when ``values`` is empty), back on page 1."""
    out = {k: v for k, v in params.items() if k not in (name, "page")}
    if values:
        out[name] = values
    return out


def toggle(params: Params, facet: str, value: str) -> Params:
    """Select ``value`` in ``facet`` if it is not selected, unselect it if it is."""
    current = params.get(facet, [])
    values = [v for v in current if v != value] if value in current else [*current, value]
    return replace(params, facet, values)


def bucket_range(bucket: str) -> tuple[dt.date, dt.date]:
    """First and last day of a histogram bucket (``2019-09`` or ``2019-09-10``)."""
    if len(bucket) == 7:
        year, month = int(bucket[:4]), int(bucket[5:])
        return dt.date(year, month, 1), dt.date(year, month, monthrange(year, month)[1])
    day = dt.date.fromisoformat(bucket)
    return day, day


def is_bucket_selected(params: Params, bucket: str, facet: str = PUBLICATION.name) -> bool:
    """Whether a date facet's range is exactly this bucket (not merely inside or around it)."""
    start, end = bucket_range(bucket)
    lo, hi = BY_NAME[facet].range_params
    return params.get(lo) == [start.isoformat()] and params.get(hi) == [end.isoformat()]


def toggle_date(params: Params, bucket: str, facet: str = PUBLICATION.name) -> Params:
    """Narrow a date facet's range to one histogram bucket, or drop it if it is that bucket already.

    A month filter is drawn as day buckets that all lie inside it: clicking one
    drills down to that day rather than clearing the filter.
    """
    lo, hi = BY_NAME[facet].range_params
    if is_bucket_selected(params, bucket, facet):
        return replace(replace(params, lo, []), hi, [])
    start, end = bucket_range(bucket)
    return replace(replace(params, lo, [start.isoformat()]), hi, [end.isoformat()])
