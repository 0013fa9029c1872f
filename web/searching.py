"""One search, as both faces run it: raw query string in, request and result out."""

from __future__ import annotations

from flask import abort, current_app, request

from search.engine import Engine
from search.model import SearchRequest, SearchResult
from search.request import parse_request
from web.params import read_params
from web.view import checked_name


def engine() -> Engine:
    """The app's engine (opened once by ``create_app``)."""
    return current_app.extensions["telusur.engine"]


def parse_current() -> SearchRequest:
    """The current HTTP request's parameters, strictly decoded and validated.

    Raises ``SearchError`` (answered with a 400) for anything the parser refuses.
    """
    return parse_request(read_params(request.query_string))


def found(what: str, key: str, *args: str) -> dict:
    """``engine().<what>(*args, key)`` for a page and its twin, or the 404 both answer."""
    result = getattr(engine(), what)(*args, checked_name(key))
    if result is None:
        abort(404, description=NOT_FOUND[what])
    return result


NOT_FOUND = {
    "story": "Cerita tidak ditemukan.",
    "profile": "Nama itu tidak ditemukan.",
    "similar": "Dokumen tidak ditemukan.",
}


def run(req: SearchRequest) -> SearchResult:
    return engine().search(req)
