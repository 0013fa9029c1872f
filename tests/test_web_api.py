"""The JSON twin against real indexes: facets, filters, sorting, paging, errors, OpenAPI."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import jsonschema_rs
import pytest

from schemathesis.specs.openapi.definitions import OPENAPI_30

from search import request as search_request
from search.model import SELECTABLE_FACETS
from conftest import BACKENDS, app_config
from web import create_app


# Every contract test runs against both backends, built from the same articles.
@pytest.fixture(scope="module", params=BACKENDS)
def seed(request):
    return create_app(app_config(request, request.param, "seed")).test_client()


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request):
    return create_app(app_config(request, request.param, "sample")).test_client()


def ok(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def facet(body: dict, name: str) -> dict[str, dict]:
    return {fv["value"]: fv for fv in body["facets"][name]}


# --- shape and links -------------------------------------------------------------------------


def test_search_shape(seed):
    body = ok(seed, "/api/search?q=putin")
    assert {"query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion", "links"} <= set(body)
    assert body["query"] == "putin" and body["total"] == len(body["hits"]) > 0
    for hit in body["hits"]:
        assert {"id", "title", "url", "source", "date", "snippet", "score", "entities", "locations"} <= set(hit)
    for name in (*SELECTABLE_FACETS, "date"):
        assert name in body["facets"]
    assert body["facets"]["entity"], "the seeds name people"
    assert all(fv["type"] in ("person", "organization") for fv in body["facets"]["entity"])
    assert body["links"]["html"] == "/?q=putin"


def test_toggle_urls_select_and_unselect(sample):
    body = ok(sample, "/api/search?q=presiden")
    value = body["facets"]["entity"][0]
    assert value["toggle_url"].startswith("/api/search?")
    selected = ok(sample, value["toggle_url"])
    assert selected["total"] == value["count"]
    again = facet(selected, "entity")[value["value"]]
    assert again["selected"] is True
    assert ok(sample, again["toggle_url"])["total"] == body["total"]


# --- facet semantics -------------------------------------------------------------------------


def test_multi_select_within_a_facet_is_or_across_facets_is_and(sample):
    base = ok(sample, "/api/search")
    (s1, c1), (s2, c2) = [(fv["value"], fv["count"]) for fv in base["facets"]["source"][:2]]

    one = ok(sample, f"/api/search?source={quote(s1)}")
    assert one["total"] == c1
    # The selected facet keeps counting its other values (disjunctive facet).
    assert facet(one, "source")[s2]["count"] == c2
    assert facet(one, "source")[s1]["selected"] is True

    both = ok(sample, f"/api/search?source={quote(s1)}&source={quote(s2)}")
    assert both["total"] == c1 + c2, "one source per article: OR adds up"
    assert {h["source"] for h in both["hits"]} <= {s1, s2}

    category = base["facets"]["category"][0]["value"]
    cat_count = facet(one, "category").get(category, {"count": 0})["count"]
    anded = ok(sample, f"/api/search?source={quote(s1)}&category={quote(category)}")
    assert anded["total"] == cat_count <= c1


def test_entity_facet_or_is_union(sample):
    base = ok(sample, "/api/search")
    (e1, f1), (e2, f2) = list(facet(base, "entity").items())[:2]
    union = ok(sample, f"/api/search?entity={quote(e1)}&entity={quote(e2)}&per_page=100")
    assert max(f1["count"], f2["count"]) <= union["total"] <= f1["count"] + f2["count"]
    for hit in union["hits"]:
        assert e1 in hit["entities"] or e2 in hit["entities"]


def test_date_filter_matches_histogram_bucket(sample):
    base = ok(sample, "/api/search")
    buckets = base["facets"]["date"]
    assert buckets and all(re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", b["value"]) for b in buckets)
    biggest = max(buckets, key=lambda b: b["count"])
    filtered = ok(sample, biggest["toggle_url"])
    assert filtered["total"] == biggest["count"]
    prefix = biggest["value"]
    assert all(h["date"].startswith(prefix) for h in filtered["hits"])
    assert "date_from=" in filtered["links"]["self"]


def test_date_range_bounds_are_inclusive(sample):
    body = ok(sample, "/api/search?date_from=2019-09-10&date_to=2019-09-10&per_page=100")
    assert body["total"] > 0
    assert {h["date"] for h in body["hits"]} == {"2019-09-10"}


# --- sort and pages --------------------------------------------------------------------------


@pytest.mark.parametrize("sort, reverse", [("newest", True), ("oldest", False)])
def test_sort_by_date(sample, sort, reverse):
    body = ok(sample, f"/api/search?q=jakarta&sort={sort}&per_page=50")
    dates = [h["date"] for h in body["hits"] if h["date"]]
    assert len(dates) > 5 and dates == sorted(dates, reverse=reverse)


def test_relevance_is_by_score(sample):
    scores = [h["score"] for h in ok(sample, "/api/search?q=polisi&per_page=30")["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_pagination(sample):
    first = ok(sample, "/api/search?q=jakarta&per_page=5")
    second = ok(sample, first["links"]["next"])
    assert first["total"] == second["total"] > 10
    assert second["page"] == 2 and len(second["hits"]) == 5
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert first["links"]["prev"] is None and second["links"]["prev"] == first["links"]["self"]
    last_page = -(-first["total"] // 5)
    last = ok(sample, f"/api/search?q=jakarta&per_page=5&page={last_page}")
    assert last["links"]["next"] is None and 1 <= len(last["hits"]) <= 5
    beyond = ok(sample, f"/api/search?q=jakarta&per_page=5&page={last_page + 1}")
    assert beyond["hits"] == []


# --- text ------------------------------------------------------------------------------------


def test_stem_aware_highlight(seed):
    body = ok(seed, "/api/search?q=pertemuan")
    marked = {m.lower() for h in body["hits"] for m in re.findall(r"<mark>(.*?)</mark>", h["snippet"])}
    assert "bertemu" in marked or any("temu" in m and m != "pertemuan" for m in marked), marked
    assert body["total"] >= 3


def test_suggestion_for_a_misspelling(sample):
    body = ok(sample, "/api/search?q=presidem")
    assert body["suggestion"] == "presiden"


def test_documents_endpoint(seed):
    hit = ok(seed, "/api/search?q=putin")["hits"][0]
    doc = ok(seed, f"/api/documents/{hit['id']}")
    assert doc["id"] == hit["id"] and doc["title"] == hit["title"]
    missing = seed.get("/api/documents/tidak-ada")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


# --- refusals --------------------------------------------------------------------------------

BAD = [
    ("page=-1", "invalid_page"),
    ("page=0", "invalid_page"),
    ("page=abc", "invalid_page"),
    (f"page={10**9}", "page_too_deep"),
    ("per_page=100000", "invalid_per_page"),
    ("per_page=0", "invalid_per_page"),
    ("date_from=kemarin", "invalid_date"),
    ("date_to=2019-02-30", "invalid_date"),
    ("date_from=2019-09-10&date_to=2019-09-01", "invalid_date_range"),
    ("sort=acak", "invalid_sort"),
    ("facet_limit.warna=5", "unknown_facet"),
    ("facet_prefix.tokoh=jo", "unknown_facet"),
    ("facet_limit.entity=100000", "invalid_facet_limit"),
    ("q=" + "a" * 10_240, "query_too_long"),
    ("q=kim%00jong", "invalid_character"),
    ("entity=%00", "invalid_character"),
    ("q=%ff", "invalid_encoding"),
    ("entity=%c3%28", "invalid_encoding"),
    ("source=" + "x" * 300, "value_too_long"),
]


@pytest.mark.parametrize("query, code", BAD, ids=[code + ":" + q[:30] for q, code in BAD])
def test_bad_parameters_are_400_json(seed, query, code):
    response = seed.get("/api/search?" + query)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


ODD_QUERIES = [
    '"kim jong',
    "(putin",
    "putin)",
    "((((((((((",
    "OR",
    "NOT",
    "-",
    "- - -",
    "AND OR NOT",
    "a*",
    "p?",
    "*",
    "?",
    "**??",
    "judul:putin",
    "title:putin",
    "body:kim",
    "tanggal:2019",
    'putin OR "kim jong" -rusia',
    "\"'\\",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
    "kim " * 300,
]


@pytest.mark.parametrize("text", ODD_QUERIES)
def test_odd_queries_are_answered_fast(seed, text):
    start = time.perf_counter()
    response = seed.get("/api/search?q=" + quote(text))
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    assert "error" in response.get_json() or "hits" in response.get_json()
    assert time.perf_counter() - start < 3


@pytest.mark.parametrize("text", ["(" * 1000, "-(" * 500, "(a OR " * 160, "NOT (" * 200])
def test_deeply_nested_queries_are_not_500(seed, text):
    """A maximal-length query of open groups must not exhaust the parser's recursion."""
    assert len(text) <= search_request.MAX_QUERY_CHARS
    response = seed.get("/api/search?q=" + quote(text))
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]


def test_unknown_paths_and_methods_answer_json(seed):
    assert seed.get("/api/tidak-ada").get_json()["error"]["code"] == "not_found"
    response = seed.post("/api/search")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


# --- OpenAPI ---------------------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3(seed):
    doc = ok(seed, "/api/openapi.json")
    assert doc["openapi"].startswith("3.")
    jsonschema_rs.validator_for(OPENAPI_30).validate(doc)


def test_every_documented_parameter_is_read(seed):
    """A documented parameter given a valid value shows up in the canonical self link."""
    doc = ok(seed, "/api/openapi.json")
    examples = {"integer": "7", "string": "kim"}
    for param in doc["paths"]["/api/search"]["get"]["parameters"]:
        schema = param["schema"]
        if "enum" in schema:
            value = schema["enum"][-1]
        elif schema.get("format") == "date":
            value = "2023-09-13"
        elif schema["type"] == "array":
            value = "Kim Jong Un"
        else:
            value = examples[schema["type"]]
        body = ok(seed, f"/api/search?{quote(param['name'])}={quote(value)}")
        assert f"{quote(param['name'])}=" in body["links"]["self"], param["name"]


def test_documented_bounds_are_the_enforced_ones(seed):
    doc = ok(seed, "/api/openapi.json")
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert params["per_page"]["maximum"] == 100
    assert seed.get("/api/search?per_page=100").status_code == 200
    assert seed.get("/api/search?per_page=101").status_code == 400
    limit = params["q"]["maxLength"]
    assert limit == search_request.MAX_QUERY_CHARS
    assert seed.get("/api/search?q=" + "a" * limit).status_code == 200
    assert seed.get("/api/search?q=" + "a" * (limit + 1)).status_code == 400
