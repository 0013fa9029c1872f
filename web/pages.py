"""The HTML face: the search page ``/``, the article page ``/dokumen/<id>``, a story's versions
``/cerita/<id>``, and a page per person or organisation (``/tokoh/<name>``) and place (``/lokasi/<name>``).

Everything works as plain links and one GET form; ``static/app.js`` only
submits that form when a checkbox or the sort order changes.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from search import request as search_request
from search.model import SearchError, SearchRequest
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
        "profile_url": view.profile_url,
        "profile_facets": view.PROFILE_ENDPOINTS,
        "profile_labels": view.PROFILE_LABELS,
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
    related = searching.engine().similar(doc_id) or {"similar": [], "same_story": []}
    return render_template("document.html", doc=doc, rows=view.document_facets(doc), related=related)


@bp.get("/cerita/<story_id>")
def story(story_id: str) -> str:
    return render_template("story.html", story=searching.found("story", story_id))


def _profile(facet: str, name: str) -> str:
    data = view.annotate_profile(searching.found("profile", name, facet))
    within = Links(SearchRequest(selected={facet: (data["name"],)}), PAGE_ENDPOINT)
    return render_template("profile.html", p=data, bars=view.histogram(data["dates"], within), query="")


@bp.get("/tokoh/<path:name>")
def entity_page(name: str) -> str:
    return _profile("entity", name)


@bp.get("/lokasi/<path:name>")
def location_page(name: str) -> str:
    return _profile("location", name)


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
