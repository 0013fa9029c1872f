"""The OpenAPI 3 description of the JSON twin, built from the same constants the code checks.

Enums and bounds come from ``search.model`` / ``search.request`` and the
parameter names from ``web.params``, so the document cannot drift from what
the endpoints accept; the fuzz test replays it against the app.
"""

from __future__ import annotations

from typing import Any

from search import request as search_request
from search.model import MAX_PER_PAGE, SELECTABLE_FACETS, SORTS, SearchRequest
from web.params import facet_limit_param, facet_prefix_param

DEFAULTS = SearchRequest()

# Text parameters may hold anything but NUL (refused with 400 `invalid_character`).
NO_NUL = "^[^\\x00]*$"

FACET_LABELS = {
    "entity": "people and organisations",
    "location": "places",
    "source": "outlets",
    "category": "the outlets' section labels",
}


def _query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    # Blank values are ignored (an empty form field means "not given").
    return {
        "name": name,
        "in": "query",
        "required": False,
        "allowEmptyValue": True,
        "description": description,
        "schema": schema,
        **extra,
    }


def parameters() -> list[dict[str, Any]]:
    """The query parameters of ``/api/search`` (and of the page ``/``)."""
    text = {"type": "string", "maxLength": search_request.MAX_QUERY_CHARS, "pattern": NO_NUL}
    out = [
        _query("q", text, "Search words; `\"phrases\"`, `OR`, `-word` and `word*` are understood."),
    ]
    for name in SELECTABLE_FACETS:
        out.append(
            _query(
                name,
                {
                    "type": "array",
                    "maxItems": search_request.MAX_VALUES_PER_FACET,
                    "items": {"type": "string", "maxLength": search_request.MAX_VALUE_CHARS, "pattern": NO_NUL},
                },
                f"Select values of the {name} facet ({FACET_LABELS[name]}); repeat to select several: "
                "values of one facet are ORed, facets are ANDed.",
                style="form",
                explode=True,
            )
        )
    out += [
        _query("date_from", {"type": "string", "format": "date"}, "First publication day (YYYY-MM-DD), inclusive."),
        _query(
            "date_to",
            {"type": "string", "format": "date"},
            "Last publication day (YYYY-MM-DD), inclusive; before `date_from` is a 400 `invalid_date_range`.",
        ),
        _query("sort", {"type": "string", "enum": list(SORTS), "default": DEFAULTS.sort}, "Result order."),
        _query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": search_request.MAX_WINDOW, "default": DEFAULTS.page},
            f"Result page, from 1; `page * per_page` may not pass {search_request.MAX_WINDOW} (400 `page_too_deep`).",
        ),
        _query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULTS.per_page},
            "Hits per page.",
        ),
    ]
    for name in SELECTABLE_FACETS:
        out.append(
            _query(
                facet_limit_param(name),
                {"type": "integer", "minimum": 1, "maximum": search_request.MAX_FACET_LIMIT},
                f"How many values of the {name} facet to return.",
            )
        )
    for name in SELECTABLE_FACETS:
        out.append(
            _query(
                facet_prefix_param(name),
                {"type": "string", "maxLength": search_request.MAX_VALUE_CHARS, "pattern": NO_NUL},
                f"Only return {name} facet values starting with this text (case-insensitive).",
            )
        )
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "Stable, machine-readable."},
                    "message": {"type": "string", "description": "For people (Indonesian)."},
                },
            }
        },
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "url", "source", "date", "snippet", "score", "entities", "locations"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "url": _nullable({"type": "string"}),
            "source": _nullable({"type": "string"}),
            "date": _nullable({"type": "string", "format": "date"}),
            "snippet": {"type": "string", "description": "HTML: escaped text, matches in <mark>."},
            "score": {"type": "number"},
            "entities": {"type": "array", "items": {"type": "string"}},
            "locations": {"type": "array", "items": {"type": "string"}},
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count", "selected"],
        "properties": {
            "value": {"type": "string", "description": "For `date`: `YYYY-MM` or `YYYY-MM-DD`."},
            "count": {"type": "integer", "minimum": 0},
            "selected": {"type": "boolean"},
            "type": _nullable({"type": "string", "enum": ["person", "organization", None]}),
            "toggle_url": {"type": "string", "description": "This search with the value (un)selected."},
        },
    },
    "SearchResult": {
        "type": "object",
        "required": [
            "query", "total", "page", "per_page", "took_ms", "hits", "facets",
            "suggestion", "notice", "date_interval", "links",
        ],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "took_ms": {"type": "number", "minimum": 0},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "description": "entity, location, source, category, and date (the histogram).",
                "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
            },
            "suggestion": _nullable({"type": "string", "description": "Did-you-mean query."}),
            "notice": _nullable(
                {
                    "type": "string",
                    "enum": ["partial", "plain", None],
                    "description": "partial: fewer words matched; plain: searched as plain words.",
                }
            ),
            "date_interval": {"type": "string", "enum": ["month", "day"]},
            "links": {
                "type": "object",
                "required": ["self", "html", "next", "prev"],
                "properties": {
                    "self": {"type": "string"},
                    "html": {"type": "string", "description": "The same search as a page."},
                    "next": _nullable({"type": "string"}),
                    "prev": _nullable({"type": "string"}),
                },
            },
        },
    },
    "Document": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}},
        "additionalProperties": True,
    },
}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


ERROR = "#/components/schemas/Error"


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Telusur",
            "version": "1.0",
            "description": "Faceted full-text search over Indonesian news. Every page at `/` has this twin.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search articles, with facet counts and a date histogram.",
                    "parameters": parameters(),
                    "responses": {
                        "200": _json("#/components/schemas/SearchResult", "One page of hits."),
                        "400": _json(ERROR, "A parameter was refused."),
                    },
                }
            },
            "/api/documents/{id}": {
                "get": {
                    "operationId": "document",
                    "summary": "One stored article.",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": _json("#/components/schemas/Document", "The article."),
                        "404": _json(ERROR, "No article has this id."),
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
