"""The Typesense engine against the Whoosh engine on the same sample: the same totals and counts.

Ranking may differ (Typesense ranks by its own text match, re-ranked at the
top with Telusur's BM25F); which articles match, every facet and histogram
count (the event dates too), the stories and the collapsed totals may not. Both expand the
query (``search.expand``, the engines' default) with the same alternatives.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from search.request import parse_request

REQUESTS = [
    "",
    "q=jakarta",
    "q=presiden jokowi",
    "q=banjir jakarta",  # two words, few full matches: the partial fallback
    "q=banjir jakarta&source=kompas.com",
    "q=presiden jokowi&source=tempo.co",  # the fallback is decided on the query alone, not its filters
    'q="dewan perwakilan"',
    "q=polisi -jakarta",
    "q=banjir OR gempa",
    "q=title:jakarta",
    "q=korup*",
    "q=entity:jokowi",
    "q=location:bandung polisi",
    "q=pertemuan",
    "q=jakarta&source=kompas.com",
    "q=jakarta&source=kompas.com&source=detik.com",
    "q=presiden&category=Nasional",
    "q=presiden&category=nasional",  # a selection in another case means the indexed value
    "location=Jakarta&entity=Joko Widodo",
    "q=polisi&date_from=2019-09-01&date_to=2019-09-30",
    "date_from=2019-09-10&date_to=2019-09-10",
    "q=jakarta&sort=newest&page=3&per_page=7",
    "q=jakarta&sort=oldest",
    "facet_prefix.location=jak&facet_limit.location=50",
    "q=jakarta&entity=Tidak Ada Orang Ini",
    "q=xyzzyqwerty",
    "q=jakarta&collapse=none",
    "q=presiden&sort=newest&collapse=none",
    "event_from=2019-09-13&event_to=2019-09-13",
    "q=polisi&event_from=2019-09-01&event_to=2019-09-30",
    "event_from=2019-01-01",
    "q=banjir&event_to=2019-08-31&collapse=none",
    "q=duit",  # expanded: `uang`
    "q=duit pemerintah&source=kompas.com",
    "q=wafat OR meninggal",
    "q=ngomong presiden",
]


@pytest.fixture(scope="module")
def engines(sample_index, typesense_sample):
    from search.backends.typesense.engine import TypesenseEngine
    from search.backends.whoosh.engine import WhooshEngine

    return WhooshEngine(sample_index), TypesenseEngine(typesense_sample, prefix="sample", check_interval=0)


@pytest.mark.parametrize("query", REQUESTS)
def test_totals_and_counts_agree(engines, query):
    request = parse_request(parse_qs(query, keep_blank_values=True))
    whoosh, typesense = (engine.search(request) for engine in engines)
    assert typesense.total == whoosh.total
    assert typesense.notice == whoosh.notice
    assert typesense.date_interval == whoosh.date_interval
    assert typesense.date_intervals == whoosh.date_intervals
    assert typesense.collapsed_total == whoosh.collapsed_total
    for name, expected in whoosh.facets.items():
        got = {v.value: (v.count, v.selected) for v in typesense.facets[name]}
        want = {v.value: (v.count, v.selected) for v in expected}
        assert len(got) == len(want), name
        common = got.keys() & want.keys()
        assert {v: got[v] for v in common} == {v: want[v] for v in common}, name
        # Values differing between the two lists may only be ties at the cut.
        cut = min((c for c, selected in want.values() if not selected), default=0)
        assert all(got[v][0] == cut for v in got.keys() - common), (name, cut, got, want)
    if request.sort != "relevance":
        assert [h.date for h in typesense.hits] == [h.date for h in whoosh.hits]
    # Every hit carries its story, with the same size and outlets on both backends.
    whoosh_stories = {h.id: h.story for h in whoosh.hits}
    for h in typesense.hits:
        if h.id in whoosh_stories:
            mine, theirs = h.story, whoosh_stories[h.id]
            assert (mine["size"], mine["other_outlets"]) == (theirs["size"], theirs["other_outlets"]), h.id
            assert sorted(v["id"] for v in mine["others"]) == sorted(v["id"] for v in theirs["others"]), h.id


def test_the_same_stories(engines, sample_records):
    """Both builds group the sample's articles into the same stories (ids may differ, the groups may not)."""
    whoosh, typesense = engines

    def groups(engine) -> set[frozenset]:
        out = set()
        for rec in sample_records:
            story = engine.document(rec["id"])["story"]
            out.add(frozenset(v["id"] for v in engine.story(story["id"])["versions"]))
        return out

    found = groups(typesense)
    assert found == groups(whoosh)
    assert any(len(g) > 1 for g in found), "the sample holds stories of several versions"


def test_facet_values_keep_their_exact_case(engines):
    _, typesense = engines
    values = [v.value for v in typesense.search(parse_request({})).facets["location"]]
    assert "Jakarta" in values and "JAKARTA" not in values and "jakarta" not in values


def test_documents_are_the_same(engines, sample_records):
    whoosh, typesense = engines
    for record in sample_records[:20]:
        got, want = typesense.document(record["id"]), whoosh.document(record["id"])
        assert got["story"]["size"] >= 1
        assert got == want  # the story too: the same table logic numbers the stories alike
    assert typesense.document("tidak-ada") is None


def test_hits_show_highlighted_raw_text(engines):
    _, typesense = engines
    hits = typesense.search(parse_request({"q": ["pertemuan"]})).hits
    assert hits and any("<mark>" in h.snippet for h in hits)  # a title-only match shows the lead
    marked = {m.lower() for h in hits for m in __import__("re").findall(r"<mark>(.*?)</mark>", h.snippet)}
    assert marked - {"pertemuan"}, "stem-aware: other forms of temu are marked too"


def test_did_you_mean_from_the_vocabulary(engines):
    _, typesense = engines
    assert typesense.search(parse_request({"q": ["presidem"]})).suggestion == "presiden"


@pytest.mark.parametrize("facet,name", [("entity", "Joko Widodo"), ("location", "Jakarta"), ("entity", "kpk")])
def test_the_same_entity_and_place_pages(engines, facet, name):
    whoosh, typesense = (engine.profile(facet, name) for engine in engines)
    assert whoosh is not None and typesense is not None
    for key in ("name", "type", "aliases", "articles", "date_interval", "dates"):
        assert typesense[key] == whoosh[key], key
    for key in ("people", "organizations", "locations"):
        got = {p["name"]: p["count"] for p in typesense[key]}
        want = {p["name"]: p["count"] for p in whoosh[key]}
        common = got.keys() & want.keys()
        assert {n: got[n] for n in common} == {n: want[n] for n in common}, key
        cut = min(want.values(), default=0)
        assert all(got[n] == cut for n in got.keys() - common), key  # only ties at the cut differ
    assert [a["date"] for a in typesense["latest"]] == [a["date"] for a in whoosh["latest"]]
    assert typesense["relevant"] and {a["id"] for a in typesense["relevant"]} <= {a["id"] for a in typesense["relevant"]}
    assert all(engine.profile(facet, "Tidak Ada Nama Ini") is None for engine in engines)


def test_similar_articles_overlap(engines, sample_records):
    """The two rankings differ (candidates by dropped words on Typesense, an OR query on Whoosh);
    both list ``limit`` others apart from the story, and mostly the same ones."""
    whoosh, typesense = engines
    shared = total = 0
    for rec in sample_records[:30]:
        want, got = whoosh.similar(rec["id"]), typesense.similar(rec["id"])
        assert got["terms"] and len(got["similar"]) == len(want["similar"]) == 5
        assert {v["id"] for v in got["same_story"]} == {v["id"] for v in want["same_story"]}
        assert rec["id"] not in {v["id"] for v in got["similar"]}
        shared += len({v["id"] for v in got["similar"]} & {v["id"] for v in want["similar"]})
        total += 5
    print(f"similar: {shared}/{total} of Whoosh's picks also on Typesense")
    assert shared >= total // 2
    assert typesense.similar("tidak-ada") is None
