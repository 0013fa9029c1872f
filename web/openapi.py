"""The OpenAPI 3 description of the JSON twin, built from the declarations the code checks by.

Parameter names, types, bounds and enums come from ``search.param_spec`` (and
the facets from ``search.facet_spec``), so the document cannot drift from what
the endpoints accept; the fuzz test replays it against the app.
"""

from __future__ import annotations

from typing import Any

from search.facet_spec import DATE_FACETS, FACETS
from search.model import NOTICES, SELECTABLE_FACETS
from search.param_spec import FACET_PARAMS, MAX_PER_PAGE, MAX_VALUE_CHARS, PARAMS, Param, facet_param

# Text parameters may hold anything but NUL (refused with 400 `invalid_character`).
NO_NUL = "^[^\\x00]*$"


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


def _schema(param: Param) -> dict[str, Any]:
    """The JSON schema of one declared parameter."""
    if param.kind == "text":
        return {"type": "string", "maxLength": param.max_chars, "pattern": NO_NUL}
    if param.kind == "values":
        return {
            "type": "array",
            "maxItems": param.max_items,
            "items": {"type": "string", "maxLength": param.max_chars, "pattern": NO_NUL},
        }
    if param.kind == "date":
        return {"type": "string", "format": "date"}
    if param.kind == "choice":
        return {"type": "string", "enum": list(param.choices), "default": param.default}
    return {"type": "integer", "minimum": param.minimum, "maximum": param.maximum, "default": param.default}


def _describe(param: Param, name: str | None = None, **fmt: str) -> dict[str, Any]:
    extra = {"style": "form", "explode": True} if param.kind == "values" else {}
    return _query(name or param.name, _schema(param), param.description.format(**fmt), **extra)


def parameters() -> list[dict[str, Any]]:
    """The query parameters of ``/api/search`` (and of the page ``/``), from ``search.param_spec``."""
    out = [_describe(param) for param in PARAMS]
    for kind in FACET_PARAMS:
        out += [_describe(kind, facet_param(kind.name, name), facet=name) for name in SELECTABLE_FACETS]
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
            "story": _nullable(
                {
                    "type": "object",
                    "description": "The story (the same news across outlets) the article belongs to. `others`: its "
                    "other versions, listed when the search collapsed (`collapse=story`).",
                    "properties": {
                        "id": {"type": "string"},
                        "size": {"type": "integer", "minimum": 1},
                        "other_outlets": {"type": "integer", "minimum": 0},
                        "others": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
                    },
                }
            ),
        },
    },
    "Version": {
        "type": "object",
        "required": ["id", "title", "source", "date", "url"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "source": _nullable({"type": "string"}),
            "date": _nullable({"type": "string", "format": "date"}),
            "url": _nullable({"type": "string"}),
        },
        "additionalProperties": True,
    },
    "Story": {
        "type": "object",
        "required": ["id", "size", "outlets", "versions"],
        "properties": {
            "id": {"type": "string"},
            "size": {"type": "integer", "minimum": 1},
            "outlets": {"type": "array", "items": {"type": "string"}},
            "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
        },
        "additionalProperties": True,
    },
    "Profile": {
        "type": "object",
        "description": "A person's, organisation's or place's page.",
        "required": ["name", "type", "aliases", "articles", "dates", "people", "organizations", "locations",
                     "latest", "relevant"],
        "properties": {
            "name": {"type": "string", "description": "The canonical name."},
            "type": {"type": "string", "enum": ["person", "organization", "location"]},
            "aliases": {"type": "array", "items": {"type": "string"}, "description": "Names merged into it."},
            "articles": {"type": "integer", "minimum": 1},
            "dates": {"type": "array", "items": {"type": "object"}, "description": "Publication histogram."},
            "people": {"type": "array", "items": {"type": "object"}},
            "organizations": {"type": "array", "items": {"type": "object"}},
            "locations": {"type": "array", "items": {"type": "object"}},
            "latest": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
            "relevant": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
        },
        "additionalProperties": True,
    },
    "Similar": {
        "type": "object",
        "required": ["id", "similar", "same_story"],
        "properties": {
            "id": {"type": "string"},
            "similar": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
            "same_story": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
        },
        "additionalProperties": True,
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
            "suggestion", "notice", "date_interval", "date_intervals", "links",
        ],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0, "description": "Matching articles (facet counts are per article too)."},
            "collapsed_total": _nullable(
                {"type": "integer", "minimum": 0, "description": "With collapse=story: the stories the pages run over."}
            ),
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "took_ms": {"type": "number", "minimum": 0},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "description": ", ".join(f.name for f in FACETS)
                + " (date kinds: histogram buckets). Counted per article, never per story, also with collapse=story.",
                "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
            },
            "suggestion": _nullable({"type": "string", "description": "Did-you-mean query."}),
            "notice": _nullable(
                {
                    "type": "string",
                    "enum": [*NOTICES, None],
                    "description": "; ".join(f"{code}: {english}" for code, (english, _) in NOTICES.items()),
                }
            ),
            "date_interval": {"type": "string", "enum": ["month", "day"], "description": "How the publication histogram is bucketed."},
            "date_intervals": {
                "type": "object",
                "description": "Per date facet (" + ", ".join(f.name for f in DATE_FACETS) + "): how its histogram is bucketed.",
                "additionalProperties": {"type": "string", "enum": ["month", "day"]},
            },
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
            "/api/documents/{id}/similar": _one_path(
                "similar", "The 5 articles most like this one; its story's other versions apart.", "id", "Similar",
                "No article has this id.",
            ),
            "/api/stories/{id}": _one_path(
                "story", "Every version of one story (the same news across outlets).", "id", "Story",
                "No story has this id.",
            ),
            "/api/entities/{name}": _one_path(
                "entity", "A person's or organisation's page.", "name", "Profile", "No person or organisation has this name.",
            ),
            "/api/locations/{name}": _one_path(
                "location", "A place's page.", "name", "Profile", "No place has this name.",
            ),
        },
        "components": {"schemas": SCHEMAS},
    }


def _one_path(operation: str, summary: str, name: str, schema: str, missing: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation,
            "summary": summary,
            "parameters": [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "maxLength": MAX_VALUE_CHARS, "pattern": NO_NUL},
                }
            ],
            "responses": {
                "200": _json(f"#/components/schemas/{schema}", summary),
                "400": _json(ERROR, "The name is too long."),
                "404": _json(ERROR, missing),
            },
        }
    }
