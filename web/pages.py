"""The HTML face: the search page ``/`` and the article page ``/dokumen/<id>``.

Everything works as plain links and one GET form; ``static/app.js`` only
submits that form when a checkbox or the sort order changes.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from search import request as search_request
from search.model import SearchError
from search.param_spec import ERRORS
from web import searching, view
from web.links import PAGE_ENDPOINT, Links
from web.params import read_params

bp = Blueprint("pages", __name__)


@bp.app_template_filter("tanggal")
def tanggal(iso: str | None) -> str:
    return view.human_date(iso)


@bp.app_template_filter("snippet")
def snippet(text: str):
    return view.snippet_html(text)


@bp.app_template_test("web_url")
def web_url(url: object) -> bool:
    return view.is_web_url(url)


@bp.app_context_processor
def page_constants() -> dict:
    return {
        "max_query_length": search_request.MAX_QUERY_CHARS,
        "hints": view.FILTER_HINTS,
        "sort_labels": view.SORT_LABELS,
        "width": view.CHART_WIDTH,
        "height": view.CHART_HEIGHT,
        "labelled_bars": view.LABELLED_BARS,
        "tag_limits": view.TAG_LIMITS,
        "query": "",
    }


@bp.get("/")
def search() -> str:
    req = searching.parse_current()
    ran = view.page_request(req)
    result = searching.run(ran)
    page = view.build(req, ran, result, Links(req, PAGE_ENDPOINT))
    return render_template("search.html", view=page)


@bp.get("/dokumen/<doc_id>")
def document(doc_id: str) -> str:
    doc = searching.engine().document(doc_id)
    if doc is None:
        abort(404, description="Artikel tidak ditemukan.")
    return render_template("document.html", doc=doc, rows=view.document_facets(doc))


@bp.errorhandler(SearchError)
def refused(exc: SearchError):
    """The search page again, with the parser's message and the query the user can fix.

    The page speaks Indonesian (``search.param_spec.ERRORS``); the engine's English message stays as the detail.
    """
    try:
        query = read_params(request.query_string).get("q", [""])[0]
    except SearchError:
        query = ""
    explanation = ERRORS.get(exc.code, "Parameter pencarian tidak valid.")
    return render_template("refused.html", explanation=explanation, message=exc.message, code=exc.code, query=query), 400
