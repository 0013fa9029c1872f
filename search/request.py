"""HTTP / CLI parameters -> a validated ``SearchRequest``.

The web page, the JSON endpoint and the CLI all come through here, so a bad
parameter is refused the same way everywhere: ``SearchError(code, message)``,
which the web maps to a 400. What each parameter accepts (type, bounds, error
code) is declared in ``search.param_spec``; this module only applies it.
Unknown plain parameters (a cache buster, a UI flag) are ignored so the web
can add its own; an unknown facet name in a ``facet_limit.<facet>`` /
``facet_prefix.<facet>`` parameter is an error, because it can only be a typo.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Mapping, Sequence

from search.facet_spec import DATE_FACETS, PUBLICATION
from search.model import SELECTABLE_FACETS, SearchError, SearchRequest
from search.param_spec import (  # noqa: F401 (the bounds are read from here too)
    BY_NAME,
    DEFAULT_PER_PAGE,
    FACET_PARAM_KINDS,
    MAX_FACET_LIMIT,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_VALUE_CHARS,
    MAX_VALUES_PER_FACET,
    MAX_WINDOW,
    Param,
)

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT_RE = re.compile(r"[0-9]{1,18}")

Params = Mapping[str, Sequence[str]]


def parse_request(params: Params) -> SearchRequest:
    """Validate request parameters (each a list of values, as in a query string).

    Single-valued parameters use their first value; empty values count as absent.
    """
    for name, values in params.items():
        for v in values:
            if "\x00" in v or "\x00" in name:
                raise SearchError("invalid_character", f"parameter {name!r} contains a NUL byte")

    query = _text(params, BY_NAME["q"])

    selected: dict[str, tuple[str, ...]] = {}
    for facet in SELECTABLE_FACETS:
        values = _values(params, BY_NAME[facet])
        if values:
            selected[facet] = values

    ranges: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    for facet in DATE_FACETS:
        lo_name, hi_name = facet.range_params
        lo, hi = _date(params, BY_NAME[lo_name]), _date(params, BY_NAME[hi_name])
        if lo and hi and lo > hi:
            raise SearchError("invalid_date_range", f"{lo_name} {lo} is after {hi_name} {hi}")
        if lo or hi:
            ranges[facet.name] = (lo, hi)
    date_from, date_to = ranges.pop(PUBLICATION.name, (None, None))

    sort = _choice(params, BY_NAME["sort"])
    page = _int(params, BY_NAME["page"])
    per_page = _int(params, BY_NAME["per_page"])
    if page * per_page > MAX_WINDOW:
        raise SearchError(
            "page_too_deep",
            f"page {page} x per_page {per_page} goes past result {MAX_WINDOW}; narrow the search instead",
        )

    facet_limit: dict[str, int] = {}
    facet_prefix: dict[str, str] = {}
    for name in params:
        kind, dot, facet = name.partition(".")
        if not dot or kind not in FACET_PARAM_KINDS:
            continue
        if facet not in SELECTABLE_FACETS:
            raise SearchError(
                "unknown_facet", f"unknown facet {facet!r} in {name!r}; facets: {', '.join(SELECTABLE_FACETS)}"
            )
        spec = FACET_PARAM_KINDS[kind]
        if spec.kind == "int":
            facet_limit[facet] = _int(params, spec, name)
        else:
            prefix = _text(params, spec, name)
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
        ranges=ranges,
    )


def _first(params: Params, name: str) -> str:
    values = params.get(name) or ()
    return values[0] if values else ""


def _text(params: Params, spec: Param, name: str | None = None) -> str:
    name = name or spec.name
    value = _first(params, name).strip()
    if spec.max_chars is not None and len(value) > spec.max_chars:
        what = "the query" if spec.name == "q" else name
        raise SearchError(spec.code, f"{what} is longer than {spec.max_chars} characters")
    return value


def _values(params: Params, spec: Param) -> tuple[str, ...]:
    """A repeatable parameter: stripped, de-duplicated, bounded."""
    out: dict[str, None] = {}
    for v in params.get(spec.name) or ():
        v = v.strip()
        if not v:
            continue
        if len(v) > spec.max_chars:
            raise SearchError(spec.code, f"a {spec.name} value is longer than {spec.max_chars} characters")
        out[v] = None
    if len(out) > spec.max_items:
        raise SearchError("too_many_values", f"more than {spec.max_items} {spec.name} values selected")
    return tuple(out)


def _choice(params: Params, spec: Param) -> str:
    value = _first(params, spec.name) or spec.default
    if value not in spec.choices:
        raise SearchError(spec.code, f"{spec.name} must be one of {', '.join(spec.choices)}, not {value!r}")
    return value


def _date(params: Params, spec: Param) -> dt.date | None:
    raw = _first(params, spec.name).strip()
    if not raw:
        return None
    if not _DATE_RE.fullmatch(raw):
        raise SearchError(spec.code, f"{spec.name} must be a date as YYYY-MM-DD, not {raw[:40]!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise SearchError(spec.code, f"{spec.name} {raw!r} is not a calendar date") from None


def _int(params: Params, spec: Param, name: str | None = None) -> int:
    name = name or spec.name
    raw = _first(params, name).strip()
    if not raw:
        return spec.default
    if not _INT_RE.fullmatch(raw):
        raise SearchError(spec.code, f"{name} must be a whole number, not {raw[:40]!r}")
    value = int(raw)
    lo, hi = spec.minimum, spec.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        code = spec.over_code if hi is not None and value > hi and spec.over_code else spec.code
        raise SearchError(code, f"{name} must be {bounds}, not {value}")
    return value
