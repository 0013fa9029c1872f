"""The JSON twin: ``/api/search``, ``/api/documents/<id>``, ``/api/openapi.json``.

``/api/search`` returns ``SearchResult.to_dict()`` plus, Datasette style, the
URL that toggles each facet value and ``links`` to the neighbouring pages and
to the HTML page showing the same search.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify

from search.model import SearchError
from web import openapi, searching
from web.errors import json_error
from web.links import API_ENDPOINT, Links
from web.view import last_page

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    req = searching.parse_current()
    result = searching.run(req)
    links = Links(req, API_ENDPOINT)
    body = links.annotate(result.to_dict())
    last = last_page(result.total, result.per_page)
    body["links"] = {
        "self": links.current(),
        "html": links.twin(),
        "next": links.page(result.page + 1) if result.page < last else None,
        "prev": links.page(result.page - 1) if result.page > 1 else None,
    }
    return jsonify(body)


@bp.get("/documents/<doc_id>")
def document(doc_id: str) -> Response:
    doc = searching.engine().document(doc_id)
    if doc is None:
        abort(404, description="Dokumen tidak ditemukan.")
    return jsonify(doc)


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(openapi.document())


@bp.errorhandler(SearchError)
def refused(exc: SearchError):
    return json_error(400, exc.code, exc.message)
