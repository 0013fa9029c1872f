"""One search, as both faces run it: raw query string in, request and result out."""

from __future__ import annotations

from flask import current_app, request

from search.engine import Engine
from search.model import SearchRequest, SearchResult
from search.request import parse_request
from web.params import read_params


def engine() -> Engine:
    """The app's engine (opened once by ``create_app``)."""
    return current_app.extensions["telusur.engine"]


def parse_current() -> SearchRequest:
    """The current HTTP request's parameters, strictly decoded and validated.

    Raises ``SearchError`` (answered with a 400) for anything the parser refuses.
    """
    return parse_request(read_params(request.query_string))


def run(req: SearchRequest) -> SearchResult:
    return engine().search(req)
