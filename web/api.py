"""The JSON twin: ``/api/search``, ``/api/documents/<id>`` (and ``/similar``), ``/api/stories/<id>``,
``/api/entities/<name>``, ``/api/locations/<name>``, ``/api/openapi.json``.

``/api/search`` returns ``SearchResult.to_dict()`` plus, Datasette style, the
URL that toggles each facet value and ``links`` to the neighbouring pages and
to the HTML page showing the same search.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, url_for

from search.model import SearchError
from web import openapi, searching, view
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
    last = last_page(result.result_count, result.per_page)
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


@bp.get("/documents/<doc_id>/similar")
def similar(doc_id: str) -> Response:
    found = searching.found("similar", doc_id)
    view.annotate_versions(found["similar"])
    view.annotate_versions(found["same_story"])
    return jsonify(found)


@bp.get("/stories/<story_id>")
def story(story_id: str) -> Response:
    found = searching.found("story", story_id)
    view.annotate_versions(found["versions"])
    found["links"] = {"self": url_for("api.story", story_id=story_id), "html": url_for("pages.story", story_id=story_id)}
    return jsonify(found)


def _profile(facet: str, name: str) -> Response:
    return jsonify(view.annotate_profile(searching.found("profile", name, facet)))


@bp.get("/entities/<path:name>")
def entity(name: str) -> Response:
    return _profile("entity", name)


@bp.get("/locations/<path:name>")
def location(name: str) -> Response:
    return _profile("location", name)


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(openapi.document())


@bp.errorhandler(SearchError)
def refused(exc: SearchError):
    return json_error(400, exc.code, exc.message)
