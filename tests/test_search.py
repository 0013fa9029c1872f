"""The search core on real indexes: counts checked against brute force from stored fields."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.__main__ import main as cli_main
from search.backends.whoosh.engine import WhooshEngine
from search.model import SearchError
from search.request import MAX_QUERY_CHARS, parse_request
from search.suggest import suggest

TINY = [
    {"id": "t1", "title": "Rapat warga", "body": "Warga menggelar pertemuan di balai desa. <script>alert(1)</script> & lainnya.",
     "date": "2019-09-10T10:00:00+07:00", "source": "a.com", "category": "News"},
    {"id": "t2", "title": "Rapat warga", "body": "Warga akan bertemu di balai desa. Tidak ada acara lain pada malam itu.",
     "date": "2019-09-11T10:00:00+07:00", "source": "b.com", "category": "News"},
    {"id": "t3", "title": "Harga cabai naik", "body": "Harga cabai rawit naik tajam di pasar induk.",
     "date": "2019-08-01T10:00:00+07:00", "source": "a.com", "category": "Ekonomi"},
    {"id": "t4", "title": "Tanpa tanggal", "body": "Harga beras stabil menurut pedagang.", "source": "b.com", "category": "Ekonomi"},
]


def q(**params) -> dict:
    return {k: v if isinstance(v, list) else [str(v)] for k, v in params.items()}


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory) -> Path:
    from indexer.build import build_index

    folder = tmp_path_factory.mktemp("tiny")
    src = folder / "tiny.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in TINY), encoding="utf-8")
    build_index([src], folder / "index")
    return folder / "index"


@pytest.fixture(scope="module")
def seed(seed_index) -> WhooshEngine:
    return WhooshEngine(seed_index)


@pytest.fixture(scope="module")
def sample(sample_index) -> WhooshEngine:
    return WhooshEngine(sample_index)


@pytest.fixture(scope="module")
def sample_docs(sample) -> list[dict]:
    """Every stored document of the sample index, read independently of the engine's arrays."""
    reader = sample._snapshot.searcher.reader()
    return [dict(fields) for _, fields in reader.iter_docs()]


def _one(v):
    return v[0] if isinstance(v, list) and v else (v or None)


# --- parse_request ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params, code",
    [
        (q(date_from="2019-13-01"), "invalid_date"),
        (q(date_from="yesterday"), "invalid_date"),
        (q(date_to="2019-9-1"), "invalid_date"),
        (q(date_from="2019-09-10", date_to="2019-09-01"), "invalid_date_range"),
        (q(sort="best"), "invalid_sort"),
        (q(page="0"), "invalid_page"),
        (q(page="x"), "invalid_page"),
        (q(page="-1"), "invalid_page"),
        (q(per_page="0"), "invalid_per_page"),
        (q(per_page="101"), "invalid_per_page"),
        (q(page="99999999999999"), "page_too_deep"),
        (q(page="1001", per_page="10"), "page_too_deep"),
        (q(q="a" * (MAX_QUERY_CHARS + 1)), "query_too_long"),
        (q(q="x" * 10_240), "query_too_long"),
        (q(q="banjir\x00"), "invalid_character"),
        ({"facet_limit.colour": ["5"]}, "unknown_facet"),
        ({"facet_prefix.mentioned": ["20"]}, "unknown_facet"),
        ({"facet_limit.entity": ["lots"]}, "invalid_facet_limit"),
        ({"facet_limit.entity": ["100000"]}, "invalid_facet_limit"),
        ({"entity": ["x" * 300]}, "value_too_long"),
        ({"source": [f"s{i}" for i in range(60)]}, "too_many_values"),
    ],
)
def test_parse_request_errors(params, code):
    with pytest.raises(SearchError) as e:
        parse_request(params)
    assert e.value.code == code and e.value.message


def test_parse_request_values():
    r = parse_request(
        {
            "q": [" banjir  "],
            "entity": ["Joko Widodo", " ", "Joko Widodo", "KPK"],
            "date_from": ["2019-09-01"],
            "sort": ["newest"],
            "page": ["3"],
            "per_page": ["20"],
            "facet_limit.entity": ["50"],
            "facet_prefix.location": ["jak"],
            "_": ["cache-buster"],
        }
    )
    assert r.query == "banjir" and r.selected == {"entity": ("Joko Widodo", "KPK")}
    assert (r.date_from.isoformat(), r.sort, r.page, r.per_page) == ("2019-09-01", "newest", 3, 20)
    assert r.facet_limit == {"entity": 50} and r.facet_prefix == {"location": "jak"}
    assert parse_request({}).sort == "relevance"


# --- query language ---------------------------------------------------------------


MALFORMED = ['"banjir jakarta', "banjir OR", "OR banjir", "title:", "NOT", "-", "banjir (jakarta", "banjir)",
             "()", "AND", "a* b?", "*", "entity:", 'title:"', "foo:bar banjir", "--x", "\\", "^2 ~1 [a TO b]"]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_queries_never_raise(sample, text):
    result = sample.search(parse_request(q(q=text)))
    assert result.total >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet='ab ()"-:*?ORNTtile\\^~', max_size=30))
def test_random_query_syntax_never_raises(seed, text):
    seed.search(parse_request(q(q=text)))


def test_unparsable_query_searched_as_plain_words(seed):
    r = seed.search(parse_request(q(q='"vladimir putin')))
    assert r.notice == "plain" and r.total == 5


def test_operators(sample):
    both = sample.search(parse_request(q(q="presiden jakarta"))).total
    either = sample.search(parse_request(q(q="presiden OR jakarta"))).total
    only_banjir = sample.search(parse_request(q(q="presiden"))).total
    without = sample.search(parse_request(q(q="presiden -jakarta"))).total
    assert 0 < both < only_banjir <= either
    assert without == only_banjir - both


def test_exact_form_outranks_stem_only(tiny_index):
    r = WhooshEngine(tiny_index).search(parse_request(q(q="pertemuan")))
    assert [h.id for h in r.hits] == ["t1", "t2"]  # t2 says `bertemu`: same stem, lower score
    assert r.hits[0].score > r.hits[1].score


def test_entity_prefix_resolves_against_vocabulary(seed):
    r = seed.search(parse_request(q(q="entity:putin")))
    assert r.total == 5
    assert seed.search(parse_request(q(q="entity:utin"))).total == 0  # whole words only
    assert seed.search(parse_request(q(q='entity:"vladimir putin"'))).total == 5


def test_partial_match_fallback(sample):
    r = sample.search(parse_request(q(q="harga qzxqzx")))
    assert r.notice == "partial" and r.total > 0
    assert r.total == sample.search(parse_request(q(q="harga"))).total


# --- facets -------------------------------------------------------------------------


def test_multi_select_counts_match_brute_force(sample, sample_docs):
    sources = Counter(_one(d.get("source")) for d in sample_docs)
    categories = Counter(_one(d.get("category")) for d in sample_docs)
    s1, s2 = [s for s, _ in sources.most_common(2)]
    cat = categories.most_common(1)[0][0]
    r = sample.search(parse_request({"source": [s1, s2], "category": [cat], "facet_limit.source": ["100"],
                                     "facet_limit.category": ["500"]}))

    in_sources = [d for d in sample_docs if _one(d.get("source")) in (s1, s2)]
    in_cat = [d for d in sample_docs if _one(d.get("category")) == cat]
    assert r.total == sum(1 for d in in_sources if _one(d.get("category")) == cat)
    # Each facet counts over the *other* facet's selection only.
    expect_sources = Counter(_one(d.get("source")) for d in in_cat)
    expect_cats = Counter(_one(d.get("category")) for d in in_sources)
    assert {v.value: v.count for v in r.facets["source"] if v.count} == dict(expect_sources)
    assert {v.value: v.count for v in r.facets["category"] if v.count} == dict(expect_cats)
    # Selected values are listed even when the other selections leave them at 0.
    assert {v.value for v in r.facets["source"] if v.selected} == {s1, s2}
    # Entities count over both selections.
    expect_entities = Counter(e for d in in_sources if _one(d.get("category")) == cat for e in set(d.get("entity") or []))
    top = r.facets["entity"]
    assert all(v.count == expect_entities[v.value] for v in top)
    if expect_entities:
        assert top[0].count == max(expect_entities.values())


def test_selected_value_listed_with_zero_count(sample):
    r = sample.search(parse_request(q(q="banjir", entity="Tidak Ada Orang Ini")))
    assert r.total == 0
    assert ("Tidak Ada Orang Ini", 0, True) in [(v.value, v.count, v.selected) for v in r.facets["entity"]]
    # The entity facet ignores its own selection: banjir's entities stay selectable.
    assert any(v.count > 0 and not v.selected for v in r.facets["entity"])


def test_facet_limit_and_prefix(sample):
    r = sample.search(parse_request({"facet_limit.category": ["3"]}))
    assert len(r.facets["category"]) == 3
    some = r.facets["source"][0].value
    r = sample.search(parse_request({"facet_prefix.source": [some[:3].upper()]}))
    assert r.facets["source"] and all(v.value.lower().startswith(some[:3].lower()) for v in r.facets["source"])


def test_to_dict_type_only_on_entities(seed):
    d = seed.search(parse_request({})).to_dict()
    assert set(d) >= {"query", "total", "page", "per_page", "took_ms", "hits", "facets", "suggestion", "notice"}
    assert all(v["type"] in ("person", "organization") for v in d["facets"]["entity"])
    assert all("type" not in v for v in d["facets"]["location"] + d["facets"]["date"])
    assert set(d["hits"][0]) == {"id", "title", "url", "source", "date", "snippet", "score", "entities", "locations"}


# --- dates, sorting, pagination -------------------------------------------------------


def test_date_filter_and_histogram(tiny_index):
    engine = WhooshEngine(tiny_index)
    everything = engine.search(parse_request({}))
    assert everything.total == 4  # the dateless article is found without a date filter
    assert sum(b.count for b in everything.facets["date"]) == 3
    r = engine.search(parse_request(q(date_from="2019-09-01", date_to="2019-09-30")))
    assert {h.id for h in r.hits} == {"t1", "t2"}
    # The histogram ignores the date filter itself and marks the selected range.
    assert {b.value: b.selected for b in r.facets["date"]} == {"2019-08-01": False, "2019-09-10": True, "2019-09-11": True}
    assert r.date_interval == "day"


def test_sort_and_pagination(sample):
    newest = sample.search(parse_request(q(q="indonesia", sort="newest", per_page=100)))
    dates = [h.date for h in newest.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    oldest = sample.search(parse_request(q(q="indonesia", sort="oldest", per_page=100)))
    dates = [h.date for h in oldest.hits if h.date]
    assert dates == sorted(dates)
    p1 = sample.search(parse_request(q(q="indonesia", per_page=5)))
    p2 = sample.search(parse_request(q(q="indonesia", per_page=5, page=2)))
    both = sample.search(parse_request(q(q="indonesia", per_page=10)))
    assert [h.id for h in p1.hits + p2.hits] == [h.id for h in both.hits]
    scores = [h.score for h in both.hits]
    assert scores == sorted(scores, reverse=True)
    past = sample.search(parse_request(q(q="indonesia", page=999)))
    assert past.hits == [] and past.total == both.total


# --- snippets, suggestions ------------------------------------------------------------


def test_stem_aware_highlight(seed):
    r = seed.search(parse_request(q(q="pertemuan")))
    assert any("<mark>bertemu</mark>" in h.snippet for h in r.hits)
    assert all(len(h.snippet) < 600 for h in r.hits)


def test_snippet_escapes_html(tiny_index):
    r = WhooshEngine(tiny_index).search(parse_request(q(q="pertemuan")))
    snippet = r.hits[0].snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet and "&amp;" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_title_only_match_snippet_falls_back_to_body_start(tiny_index):
    r = WhooshEngine(tiny_index).search(parse_request(q(q="rapat")))
    assert r.hits and all("<mark>" not in h.snippet for h in r.hits)
    assert r.hits[0].snippet.startswith("Warga")


def test_suggestion(seed):
    assert seed.search(parse_request(q(q="pyongyan"))).suggestion == "pyongyang"
    assert seed.search(parse_request(q(q="putin vostochni"))).suggestion == "putin vostochny"
    assert seed.search(parse_request(q(q="putin"))).suggestion is None


# --- documents, generations, CLI ------------------------------------------------------


def test_document(tiny_index):
    engine = WhooshEngine(tiny_index)
    doc = engine.document("t1")
    assert doc["title"] == "Rapat warga" and doc["date"] == "2019-09-10" and doc["source"] == "a.com"
    assert engine.document("t4")["date"] is None
    assert engine.document("nope") is None


def test_new_generation_picked_up_without_restart(tiny_index, tmp_path):
    from indexer.build import build_index

    copy = tmp_path / "index"
    shutil.copytree(tiny_index, copy)
    engine = WhooshEngine(copy, check_interval=0)
    assert engine.search(parse_request(q(q="gempa"))).total == 0
    src = tmp_path / "new.jsonl"
    src.write_text(json.dumps({"id": "t9", "title": "Gempa", "body": "Gempa mengguncang kota.", "source": "c.com"}) + "\n")
    build_index([src], copy)
    assert [h.id for h in engine.search(parse_request(q(q="gempa"))).hits] == ["t9"]


def test_serving_engine_loads_a_new_generation_in_the_background(tiny_index, tmp_path):
    from indexer.build import build_index

    copy = tmp_path / "index"
    shutil.copytree(tiny_index, copy)
    engine = WhooshEngine(copy, check_interval=0.01)
    before = engine.search(parse_request(q())).total
    src = tmp_path / "new.jsonl"
    src.write_text(json.dumps({"id": "t9", "title": "Gempa", "body": "Gempa mengguncang kota.", "source": "c.com"}) + "\n")
    build_index([src], copy)
    seen = []
    deadline = time.monotonic() + 10
    while not seen or (seen[-1] == before and time.monotonic() < deadline):
        time.sleep(0.02)
        seen.append(engine.search(parse_request(q())).total)  # old or new, never a half-loaded one
    assert set(seen) <= {before, before + 1} and seen[-1] == before + 1


def test_cli_json_and_errors(tiny_index, capsys):
    assert cli_main(["pertemuan", "--index", str(tiny_index), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 2 and out["hits"][0]["id"] == "t1"
    assert cli_main(["x", "--index", str(tiny_index), "--from", "2019-02-30"]) == 2
    assert "invalid_date" in capsys.readouterr().err
    assert cli_main(["pertemuan", "--index", str(tiny_index)]) == 0
    assert "[pertemuan]" in capsys.readouterr().out


def test_concurrent_searches_agree(sample):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["presiden", "banjir jakarta", "harga", "entity:jokowi", "korupsi -kpk", ""] * 5
    expected = {t: sample.search(parse_request(q(q=t))).to_dict() for t in set(queries)}
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: (t, sample.search(parse_request(q(q=t))).to_dict()), queries))
    for t, d in results:
        assert (d["total"], d["hits"], d["facets"]) == (expected[t]["total"], expected[t]["hits"], expected[t]["facets"])


# --- did-you-mean (SymSpell over the index vocabulary) ------------------------------------


@pytest.mark.parametrize(
    "index,typed,expected",
    [
        ("seed", "pyongyan", "pyongyang"),
        ("seed", "kimjongun", "kim jong un"),  # run-together words split
        ("sample", "presidn jokowi", "presiden jokowi"),  # the known word stays
        ("sample", "pemerintahn kotta", "pemerintah kota"),  # several words at once
        ("sample", "presidenjokowi", "presiden jokowi"),
    ],
)
def test_spelling_corrections(request, index, typed, expected):
    vocabulary = request.getfixturevalue(index)._snapshot.vocabulary
    assert suggest(vocabulary, typed, typed.split()) == expected


@pytest.mark.parametrize("typed", ["kpk", "jokowi", "presiden", "habibie", "a" * 300, "x" * 40, "🔥🔥🔥"])
def test_known_words_and_non_words_are_not_corrected(sample, typed):
    vocabulary = sample._snapshot.vocabulary
    assert suggest(vocabulary, typed, typed.split()) is None
