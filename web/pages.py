"""The HTML face: the search page ``/`` and the article page ``/dokumen/<id>``.

Everything works as plain links and one GET form; ``static/app.js`` only
submits that form when a checkbox or the sort order changes.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from search import request as search_request
from search.model import SearchError
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


# The page speaks Indonesian; the engine's English message stays as the detail.
REFUSALS = {
    "invalid_character": "Permintaan berisi karakter yang tidak diizinkan.",
    "invalid_encoding": "Alamat berisi karakter yang rusak.",
    "invalid_date": "Tanggal harus berformat TTTT-BB-HH dan benar-benar ada di kalender.",
    "invalid_date_range": "Tanggal awal harus sebelum tanggal akhir.",
    "invalid_sort": "Urutan hanya bisa relevansi, terbaru, atau terlama.",
    "invalid_page": "Nomor halaman harus bilangan bulat mulai dari 1.",
    "invalid_per_page": "Jumlah hasil per halaman harus antara 1 dan 100.",
    "invalid_facet_limit": "Jumlah nilai filter yang diminta tidak valid.",
    "page_too_deep": "Halaman itu terlalu jauh; persempit pencarian dengan kata kunci atau filter.",
    "query_too_long": "Kata kunci terlalu panjang.",
    "too_long": "Alamat permintaan terlalu panjang.",
    "too_many_parameters": "Terlalu banyak parameter dalam permintaan.",
    "too_many_values": "Terlalu banyak nilai filter dipilih sekaligus.",
    "value_too_long": "Nilai filter terlalu panjang.",
    "unknown_facet": "Filter itu tidak dikenal.",
}


@bp.errorhandler(SearchError)
def refused(exc: SearchError):
    """The search page again, with the parser's message and the query the user can fix."""
    try:
        query = read_params(request.query_string).get("q", [""])[0]
    except SearchError:
        query = ""
    explanation = REFUSALS.get(exc.code, "Parameter pencarian tidak valid.")
    return render_template("refused.html", explanation=explanation, message=exc.message, code=exc.code, query=query), 400
