"""The Typesense engine's server-side cost bound (``search.backends.typesense.bound``) on the sample.

The thresholds are scaled down to the sample's 390 articles (``SMALL``), so
the paths the 22k corpus takes for a request over most of the index run here
on the session's real node: the answer is a 200 with the notice ``facets``,
the facets and histograms are cut to the caps, and every count shown is the
exact one (the same as the unbounded engine's, and as Whoosh's); over a very
large set the value facets are exact over the newest articles and say
``sampled``. The cost itself is measured by ``bench/backend_bench.py
--hostile``, not asserted.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest

from indexer.typesense.schema import STORY_FIELD
from search.facet_plan import DAY_INTERVAL_MAX_DAYS as DAY_MAX_DAYS
from search.model import NOTICES
from search.request import parse_request

SMALL = {"fetch_cap_set": 50, "facet_fetch_cap": 5, "large_set": 100}
MOST = "q=-pertemuan&facet_limit.entity=500"  # most articles, and every entity asked for
# Over a large set the histograms ride on the main search: every facet there is cut at one
# max_facet_values, the larger of the value facets' cap and a histogram's days (62 + 1).
SHARED_CAP = 63


def _request(query: str):
    return parse_request(parse_qs(query, keep_blank_values=True))


@pytest.fixture(scope="module")
def engines(sample_index, typesense_sample):
    """(Whoosh, Typesense with the default bound, Typesense with the ``SMALL`` bound), on the sample."""
    from search.backends.typesense.bound import Bound
    from search.backends.typesense.engine import TypesenseEngine
    from search.backends.whoosh.engine import WhooshEngine

    return (
        WhooshEngine(sample_index),
        TypesenseEngine(typesense_sample, prefix="sample", check_interval=0),
        TypesenseEngine(typesense_sample, prefix="sample", check_interval=0, bound=Bound(**SMALL)),
    )


def _recording(engine) -> list[dict]:
    """Every search ``engine`` sends from now on (its ``multi_search`` wrapped)."""
    sent: list[dict] = []
    send = engine.multi_search

    def record(searches):
        sent.extend(searches)
        return send(searches)

    engine.multi_search = record
    return sent


def test_a_request_over_most_of_the_index_is_cut_and_says_so(engines):
    _, unbounded, bounded = engines
    request = _request(MOST)
    full, cut = unbounded.search(request), bounded.search(request)
    assert cut.total == full.total > SMALL["large_set"]
    assert full.notice is None and cut.notice == "facets"
    # The entity facet asked for 500 values: the bound lets Typesense return the shared cap.
    assert len(full.facets["entity"]) > SHARED_CAP and len(cut.facets["entity"]) == SHARED_CAP
    exact = {v.value: v.count for v in full.facets["entity"]}
    assert all(v.count == exact[v.value] for v in cut.facets["entity"])  # the counts shown are exact
    # The event histogram's months: exact counts, at most the cap.
    months = {v.value: v.count for v in full.facets["event"]}
    assert cut.date_intervals["event"] == "month" and 0 < len(cut.facets["event"]) <= SHARED_CAP
    assert all(v.count == months[v.value] for v in cut.facets["event"])
    assert [v.value for v in cut.facets["event"]] == sorted(v.value for v in cut.facets["event"])
    # The publication dates span fewer months than the cap: shown whole, exact.
    assert [(v.value, v.count) for v in cut.facets["date"]] == [(v.value, v.count) for v in full.facets["date"]]


def test_an_ordinary_request_is_untouched(engines):
    """Under the thresholds nothing is cut: the bounded engine answers what the unbounded one does."""
    _, unbounded, bounded = engines
    request = _request("q=banjir&source=kompas.com")
    full, same = unbounded.search(request), bounded.search(request)
    assert same.total == full.total < SMALL["fetch_cap_set"] and same.notice == full.notice
    assert {n: [(v.value, v.count, v.selected) for v in vs] for n, vs in same.facets.items()} == {
        n: [(v.value, v.count, v.selected) for v in vs] for n, vs in full.facets.items()
    }


def test_every_article_is_counted_from_the_vocabulary(engines):
    """The front page matches every article: its counts are the generation vocabulary's, Typesense
    counts no facet, and they are Whoosh's (the sample is far under the default threshold, so
    the unbounded engine has Typesense count the same request)."""
    whoosh, unbounded, bounded = engines
    sent = _recording(bounded)
    request = _request("")
    mine, theirs, want = bounded.search(request), unbounded.search(request), whoosh.search(request)
    assert {s["facet_by"] for s in sent if "facet_by" in s} <= {STORY_FIELD}  # (the page's stories' sizes)
    assert mine.total == want.total and mine.notice is None
    assert mine.date_intervals == want.date_intervals
    for name, expected in want.facets.items():
        for other in (expected, theirs.facets[name]):
            _same_but_ties(mine.facets[name], other, name)


def _same_but_ties(got_values, want_values, name: str) -> None:
    """The same values and counts, in the same order of counts; values may differ only among ties at the cut."""
    got = {v.value: v.count for v in got_values}
    want = {v.value: v.count for v in want_values}
    assert [v.count for v in got_values] == [v.count for v in want_values], name
    cut = min(want.values(), default=0)
    assert all(got[v] == want[v] for v in got.keys() & want.keys()), name
    assert all(got[v] == cut for v in got.keys() - want.keys()), name


def test_a_search_typesense_cuts_short_says_so_or_is_a_503(typesense_sample):
    """``search_cutoff_ms`` 0: Typesense stops every search at its first look at the clock (before
    each facet count). What it found is answered with the notice ``budget``; when a search had found
    nothing, 0.24.1 answers the whole multi_search 408: the backend is overloaded, never a 500."""
    from search.backends.typesense.bound import Bound
    from search.backends.typesense.engine import TypesenseEngine
    from search.model import BackendDown

    engine = TypesenseEngine(typesense_sample, prefix="sample", check_interval=0, bound=Bound(search_cutoff_ms=0))
    assert engine.search(_request("q=presiden OR jakarta OR polisi")).notice == "budget"
    with pytest.raises(BackendDown):
        engine.search(_request("q=xyzzyqwerty"))


def test_the_page_says_it_in_indonesian(engines):
    from web import create_app

    client = create_app({"ENGINE": engines[2], "TESTING": True}).test_client()
    params = parse_qs(MOST)
    assert client.get("/api/search?" + urlencode(params, doseq=True)).get_json()["notice"] == "facets"
    page = client.get("/?" + urlencode(params, doseq=True)).get_data(as_text=True)
    assert NOTICES["facets"][1] in page


@pytest.fixture(scope="module")
def story_engines(typesense_node, tmp_path_factory, sample_records):
    """(Typesense grouping, the ``SMALL`` bound) over part of the sample and the real near-duplicates
    of ``test_stories`` (stories of two articles)."""
    from cluster.client import Connection
    from indexer.typesense.sink import Sink, build_typesense
    from search.backends.typesense.bound import Bound
    from search.backends.typesense.engine import TypesenseEngine
    from test_stories import STORY_IDS, corpus_by_id, write_jsonl

    records = [r for r in sample_records[:160] if r["id"] not in STORY_IDS] + list(corpus_by_id(set(STORY_IDS)).values())
    path = write_jsonl(tmp_path_factory.mktemp("bound_stories") / "articles.jsonl", records)
    connection = Connection(tuple(typesense_node.urls), typesense_node.api_key)
    build_typesense([str(path)], Sink(connection, "bstories"), warn=lambda message: None)
    return tuple(
        TypesenseEngine(connection, prefix="bstories", check_interval=0, bound=bound) for bound in (Bound(), Bound(**SMALL))
    )


@pytest.mark.parametrize("slack", [2, 1])
def test_a_collapsed_page_over_most_of_the_index_is_collapsed_without_group_by(story_engines, slack, monkeypatch):
    """Over a large set Typesense does not group (``group_by`` costs it ~60 ms over most of the 22k):
    the stories are collapsed from the top articles and counted by the story facet, and every page,
    the story count and every total are those of the engine that has Typesense group; where the top
    articles hold too few stories (forced with a slack of 1), Typesense groups after all (pages
    deeper than ``stories.MAX_PER_PAGE / COLLAPSE_SLACK`` stories are grouped by Typesense)."""
    from search.backends.typesense import engine as module

    monkeypatch.setattr(module, "COLLAPSE_SLACK", slack)
    grouping, bounded = story_engines
    regrouped = 0
    pages = [f"q=-xyzzy&sort={order}&page={p}&per_page=20" for order in ("newest", "oldest") for p in range(1, 7)]
    for query in ["q=-xyzzy", "q=tahun OR hari OR indonesia OR jakarta OR baru OR mengatakan", *pages]:  # (166 articles: oldest and newest cover them)
        sent = _recording(bounded)
        cut, full = bounded.search(_request(query)), grouping.search(_request(query))
        del bounded.multi_search  # (the recording undone)
        assert cut.total == full.total > SMALL["large_set"], query
        assert cut.collapsed_total == full.collapsed_total < cut.total, query
        assert [h.id for h in cut.hits] == [h.id for h in full.hits] and cut.hits, query
        assert [h.story for h in cut.hits] == [h.story for h in full.hits], query
        regrouped += sum("group_by" in s for s in sent)
    assert (regrouped > 0) == (slack == 1)


def test_a_wildcard_is_expanded_from_the_generation_without_stemming(engines, monkeypatch):
    """The first ``mem*`` of a fresh process once sent each of its forms through Sastrawi (~0.5 s on
    the 22k): the forms' stems now come with the generation's vocabulary (the build's own answers),
    loaded into the analyzer's memo with the words indexed as they stand, so neither the expansion nor
    the highlighting runs Sastrawi on them."""
    from indexer import analysis

    engine = engines[1]
    forms = [t for t in engine.vocabulary().terms if t.startswith("mem") and t in engine.vocabulary().stem_of]
    assert len(forms) > 20
    stem_of = engine.vocabulary().stem_of
    as_is = set(engine.vocabulary().df) - set(stem_of) - set(stem_of.values())  # indexed as they stand
    for word in [*stem_of, *as_is]:  # as in a process that never stemmed them ...
        monkeypatch.delitem(analysis._stem_cache, word, raising=False)
    monkeypatch.setattr(engine, "_vocab", engine._load(engine._generation()))  # ... loading the generation
    vocab = engine.vocabulary()
    stemmer = analysis._sastrawi()
    calls: list[str] = []
    original = stemmer.stem_word
    monkeypatch.setattr(stemmer, "stem_word", lambda word: calls.append(word) or original(word))
    result = engine.search(_request("q=mem*"))
    assert result.total > 0 and result.hits
    assert not set(calls) & (set(vocab.stem_of) | as_is)  # (a word that is also a form's stem may still be)
    assert any(w in analysis._stem_cache for w in as_is if analysis._MAY_HAVE_AFFIX.search(w))
    expanded = vocab.expand("mem*")
    assert all(stem not in vocab.stem_of for stem in expanded)  # stems, not the forms themselves
    assert set(expanded) & {vocab.stem_of[f] for f in forms}


def test_over_a_large_set_the_days_are_asked_only_when_the_months_leave_the_interval_open(engines):
    """Over a large set the histograms' months ride on the main search; their days (~15-25 ms of
    Typesense's CPU over most of the 22k) are asked in a second round only when the months do not
    show a span of ``day_max_days`` or more. Either way the histograms are the unbounded engine's."""
    from search.backends.typesense.bound import Bound
    from search.backends.typesense.engine import TypesenseEngine

    _, unbounded, small = engines
    tiny = TypesenseEngine(small.cluster.connection, prefix="sample", check_interval=0, bound=Bound(large_set=5))
    day_fields = {"day", "mentioned_key"}
    for query, engine, intervals, asked in (
        ("source=okezone.com", tiny, {"date": "day", "event": "month"}, True),  # (77 articles, in Sep-Oct 2019)
        ("q=-pertemuan", small, {"date": "month", "event": "month"}, False),
    ):
        sent = _recording(engine)
        got, want = engine.search(_request(query)), unbounded.search(_request(query))
        assert got.total == want.total > DAY_MAX_DAYS, query  # (fewer share one search: the next test)
        assert got.date_intervals == want.date_intervals == intervals, query
        for name in ("date", "event"):
            assert [(v.value, v.count) for v in got.facets[name]] == [(v.value, v.count) for v in want.facets[name]]
        days = [s for s in sent if set(s.get("facet_by", "").split(",")) & day_fields]
        assert bool(days) == asked and all(s["facet_by"] in day_fields for s in days), query


def test_few_hits_counted_first_share_one_search_for_every_histogram(engines):
    """Counted first (the vocabulary could not rule out a large set), no more hits than a histogram
    shows days: every histogram's days and months come from one search (each search of a multi_search
    evaluates the query again: ~15 ms apiece for nine wildcards on the 22k), nothing cut, as unbounded."""
    from search.backends.typesense.bound import Bound
    from search.backends.typesense.engine import TypesenseEngine

    _, unbounded, small = engines
    tiny = TypesenseEngine(small.cluster.connection, prefix="sample", check_interval=0, bound=Bound(large_set=5))
    sent = _recording(tiny)
    got, want = tiny.search(_request("q=mahasiswa")), unbounded.search(_request("q=mahasiswa"))
    assert 5 < got.total == want.total <= DAY_MAX_DAYS
    fields = {"day", "month", "mentioned_key", "mentioned_month"}
    histogram_searches = [s for s in sent if set(s.get("facet_by", "").split(",")) & fields]
    assert [set(s["facet_by"].split(",")) for s in histogram_searches] == [fields]
    assert got.date_intervals == want.date_intervals and got.notice == want.notice
    assert {n: [(v.value, v.count) for v in vs] for n, vs in got.facets.items()} == {
        n: [(v.value, v.count) for v in vs] for n, vs in want.facets.items()
    }


def test_value_facets_over_a_very_large_set_count_its_newest_articles_and_say_so(engines):
    """Over more than ``sample_set`` hits the value facets count the articles published since the
    day from which about ``facet_sample`` hits are expected: exactly what Whoosh counts for the same
    request with that ``date_from``, a selection's own facet included; the total and the publication
    histogram stay every hit's, and the notice says ``sampled`` (the page, in Indonesian)."""
    from search.backends.typesense.bound import Bound
    from search.backends.typesense.engine import TypesenseEngine
    from web import create_app

    whoosh, unbounded, small = engines
    sampled = TypesenseEngine(
        small.cluster.connection, prefix="sample", check_interval=0, bound=Bound(large_set=100, sample_set=150, facet_sample=60)
    )
    vocab = sampled.vocabulary()
    for query in ("q=-pertemuan", "q=-xyzzy&source=okezone.com&source=tempo.co&source=sindonews.com"):
        got, full = sampled.search(_request(query)), unbounded.search(_request(query))
        assert got.total == full.total > 150 and got.notice == "sampled" and full.notice is None, query
        assert [(v.value, v.count) for v in got.facets["date"]] == [(v.value, v.count) for v in full.facets["date"]]
        day = vocab.since(-(-60 * vocab.n_docs // got.total))
        newest = whoosh.search(_request(f"{query}&date_from={day}"))
        assert 0 < newest.total < got.total, query
        for name in ("entity", "location", "source", "category"):
            _same_but_ties(got.facets[name], newest.facets[name], name)
            assert [v.selected for v in got.facets[name]] == [v.selected for v in newest.facets[name]], name
    client = create_app({"ENGINE": sampled, "TESTING": True}).test_client()
    assert client.get("/api/search?q=-pertemuan").get_json()["notice"] == "sampled"
    assert NOTICES["sampled"][1] in client.get("/?q=-pertemuan").get_data(as_text=True)


def test_a_long_query_without_a_full_match_is_counted_before_its_plan(engines):
    """A query of ``PRECOUNT_CLAUSES`` or more clauses is counted first; with fewer than ``FEW_HITS``
    full matches its plan is never asked (the partial fallback's is), and the answer is the same."""
    from search.backends.typesense import engine as module

    whoosh, unbounded, _ = engines
    query = "q=presiden banjir sepakbola selebriti harga"
    rounds: list[list[dict]] = []
    send = unbounded.multi_search
    unbounded.multi_search = lambda searches: rounds.append(searches) or send(searches)
    try:
        got = unbounded.search(_request(query))
    finally:
        del unbounded.multi_search
    want = whoosh.search(_request(query))
    assert got.notice == want.notice == "partial" and got.total == want.total
    assert len(rounds[0]) == 1 and rounds[0][0]["per_page"] == 0 and module.PRECOUNT_CLAUSES <= 5
    assert all(s["q"].startswith("*") for s in rounds[1] if "filter_by" in s and s.get("facet_by"))  # (the any-word set's)
