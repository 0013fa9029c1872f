"""Query-string plumbing of the web layer: strict decoding and canonical, round-tripping URLs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import request as search_request
from search.model import SELECTABLE_FACETS, SORTS, SearchError, SearchRequest
from search.request import parse_request
from web import params as p


def test_read_params_decodes_utf8_and_plus():
    got = p.read_params("q=kim+jong%20un&entity=J%C3%B3ko&entity=Putin".encode())
    assert got == {"q": ["kim jong un"], "entity": ["Jóko", "Putin"]}


@pytest.mark.parametrize("raw", [b"q=%ff", b"q=%c3", b"%fe=1", b"q=\xff"])
def test_read_params_refuses_invalid_utf8(raw):
    with pytest.raises(SearchError) as err:
        p.read_params(raw)
    assert err.value.code == "invalid_encoding"


def test_read_params_bounds_size_and_count():
    with pytest.raises(SearchError) as err:
        p.read_params(b"&".join(b"a=%d" % i for i in range(p.MAX_PARAMETERS + 1)))
    assert err.value.code == "too_many_parameters"
    with pytest.raises(SearchError) as err:
        p.read_params(b"q=" + b"a" * p.MAX_QUERY_STRING_BYTES)
    assert err.value.code == "too_long"


def test_toggle_adds_removes_and_resets_page():
    params = {"q": ["banjir"], "entity": ["Joko Widodo"], "page": ["3"]}
    assert p.toggle(params, "entity", "Prabowo") == {"q": ["banjir"], "entity": ["Joko Widodo", "Prabowo"]}
    assert p.toggle(params, "entity", "Joko Widodo") == {"q": ["banjir"]}


@pytest.mark.parametrize(
    "bucket, start, end",
    [
        ("2019-09", dt.date(2019, 9, 1), dt.date(2019, 9, 30)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("2019-09-10", dt.date(2019, 9, 10), dt.date(2019, 9, 10)),
    ],
)
def test_bucket_range(bucket, start, end):
    assert p.bucket_range(bucket) == (start, end)


def test_toggle_date_sets_then_clears():
    params = {"q": ["x"], "page": ["2"]}
    on = p.toggle_date(params, "2019-09")
    assert on == {"q": ["x"], "date_from": ["2019-09-01"], "date_to": ["2019-09-30"]}
    assert p.is_bucket_selected(on, "2019-09") and not p.is_bucket_selected(on, "2019-09-10")
    assert p.toggle_date(on, "2019-09") == {"q": ["x"]}


def test_day_bucket_inside_a_month_filter_drills_down():
    month = {"date_from": ["2019-09-01"], "date_to": ["2019-09-30"]}
    assert p.toggle_date(month, "2019-09-10") == {"date_from": ["2019-09-10"], "date_to": ["2019-09-10"]}


_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=40).map(
    str.strip
).filter(bool)
_dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))


@st.composite
def search_requests(draw) -> SearchRequest:
    per_page = draw(st.integers(1, 100))
    date_from, date_to = sorted([draw(_dates), draw(_dates)])
    facets = st.sampled_from(SELECTABLE_FACETS)
    return SearchRequest(
        query=draw(st.one_of(st.just(""), _text)),
        selected={f: tuple(dict.fromkeys(draw(st.lists(_text, min_size=1, max_size=3)))) for f in draw(st.sets(facets))},
        date_from=draw(st.one_of(st.none(), st.just(date_from))),
        date_to=draw(st.one_of(st.none(), st.just(date_to))),
        sort=draw(st.sampled_from(SORTS)),
        page=draw(st.integers(1, search_request.MAX_WINDOW // per_page)),
        per_page=per_page,
        facet_limit=draw(st.dictionaries(facets, st.integers(1, search_request.MAX_FACET_LIMIT))),
        facet_prefix=draw(st.dictionaries(facets, _text)),
    )


@settings(max_examples=200, deadline=None)
@given(search_requests())
def test_canonical_url_round_trips(req):
    """Every URL the app builds parses back to the very request it was built from."""
    query = p.encode(p.request_params(req)).lstrip("?")
    assert parse_request(p.read_params(query.encode("ascii"))) == req
