"""HTTP / CLI parameters -> a validated ``SearchRequest``.

The web page, the JSON endpoint and the CLI all come through here, so a bad
parameter is refused the same way everywhere: ``SearchError(code, message)``,
which the web maps to a 400. Unknown plain parameters (a cache buster, a
UI flag) are ignored so the web can add its own; an unknown facet name in a
``facet_limit.<facet>`` / ``facet_prefix.<facet>`` parameter is an error,
because it can only be a typo.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Mapping, Sequence

from search.model import MAX_PER_PAGE, SELECTABLE_FACETS, SORTS, SearchError, SearchRequest

MAX_QUERY_CHARS = 1000
# Deepest result a request may reach (page * per_page): deeper pages cost a
# top-N heap that big on every request and nobody reads them.
MAX_WINDOW = 10_000
MAX_FACET_LIMIT = 500
MAX_VALUE_CHARS = 200
MAX_VALUES_PER_FACET = 50
DEFAULT_PER_PAGE = 10

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT_RE = re.compile(r"[0-9]{1,18}")


def parse_request(params: Mapping[str, Sequence[str]]) -> SearchRequest:
    """Validate request parameters (each a list of values, as in a query string).

    Single-valued parameters use their first value; empty values count as absent.
    """
    for name, values in params.items():
        for v in values:
            if "\x00" in v or "\x00" in name:
                raise SearchError("invalid_character", f"parameter {name!r} contains a NUL byte")

    query = _first(params, "q").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError("query_too_long", f"the query is longer than {MAX_QUERY_CHARS} characters")

    selected: dict[str, tuple[str, ...]] = {}
    for facet in SELECTABLE_FACETS:
        values = _values(params, facet)
        if values:
            selected[facet] = values

    date_from = _date(params, "date_from")
    date_to = _date(params, "date_to")
    if date_from and date_to and date_from > date_to:
        raise SearchError("invalid_date_range", f"date_from {date_from} is after date_to {date_to}")

    sort = _first(params, "sort") or "relevance"
    if sort not in SORTS:
        raise SearchError("invalid_sort", f"sort must be one of {', '.join(SORTS)}, not {sort!r}")

    page = _int(params, "page", 1, 1, None, "invalid_page")
    per_page = _int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, "invalid_per_page")
    if page * per_page > MAX_WINDOW:
        raise SearchError(
            "page_too_deep",
            f"page {page} x per_page {per_page} goes past result {MAX_WINDOW}; narrow the search instead",
        )

    facet_limit: dict[str, int] = {}
    facet_prefix: dict[str, str] = {}
    for name in params:
        kind, dot, facet = name.partition(".")
        if not dot or kind not in ("facet_limit", "facet_prefix"):
            continue
        if facet not in SELECTABLE_FACETS:
            raise SearchError(
                "unknown_facet", f"unknown facet {facet!r} in {name!r}; facets: {', '.join(SELECTABLE_FACETS)}"
            )
        if kind == "facet_limit":
            facet_limit[facet] = _int(params, name, 10, 1, MAX_FACET_LIMIT, "invalid_facet_limit")
        else:
            prefix = _first(params, name).strip()
            if len(prefix) > MAX_VALUE_CHARS:
                raise SearchError("value_too_long", f"{name} is longer than {MAX_VALUE_CHARS} characters")
            if prefix:
                facet_prefix[facet] = prefix

    return SearchRequest(
        query=query,
        selected=selected,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        per_page=per_page,
        facet_limit=facet_limit,
        facet_prefix=facet_prefix,
    )


def _first(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params.get(name) or ()
    return values[0] if values else ""


def _values(params: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    """A repeatable facet parameter: stripped, de-duplicated, bounded."""
    out: dict[str, None] = {}
    for v in params.get(name) or ():
        v = v.strip()
        if not v:
            continue
        if len(v) > MAX_VALUE_CHARS:
            raise SearchError("value_too_long", f"a {name} value is longer than {MAX_VALUE_CHARS} characters")
        out[v] = None
    if len(out) > MAX_VALUES_PER_FACET:
        raise SearchError("too_many_values", f"more than {MAX_VALUES_PER_FACET} {name} values selected")
    return tuple(out)


def _date(params: Mapping[str, Sequence[str]], name: str) -> dt.date | None:
    raw = _first(params, name).strip()
    if not raw:
        return None
    if not _DATE_RE.fullmatch(raw):
        raise SearchError("invalid_date", f"{name} must be a date as YYYY-MM-DD, not {raw[:40]!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise SearchError("invalid_date", f"{name} {raw!r} is not a calendar date") from None


def _int(
    params: Mapping[str, Sequence[str]], name: str, default: int, lo: int, hi: int | None, code: str
) -> int:
    raw = _first(params, name).strip()
    if not raw:
        return default
    if not _INT_RE.fullmatch(raw):
        raise SearchError(code, f"{name} must be a whole number, not {raw[:40]!r}")
    value = int(raw)
    if value < lo or (hi is not None and value > hi):
        bounds = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise SearchError(code, f"{name} must be {bounds}, not {value}")
    return value
