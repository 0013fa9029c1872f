"""The seam between the backend-neutral core and a backend: registry, config, declarations."""

from __future__ import annotations

import html
import subprocess
import sys

import pytest

from conftest import ROOT
from indexer.backends import SINKS, BackendConfig, BackendUnavailable, add_backend_arguments, backend_config, open_sink
from search import __main__ as search_cli
from search.backends import ENGINES, open_engine
from search.engine import Engine
from search.facet_spec import FACETS, SELECTABLE
from search.param_spec import ERRORS, FACET_PARAMS, PARAMS, facet_param
from search.request import parse_request
from web import __main__ as web_cli
from web import create_app


@pytest.fixture()
def no_typesense(monkeypatch):
    """Whatever is registered, ``typesense`` is not (so this holds before and after it lands)."""
    monkeypatch.delitem(ENGINES, "typesense", raising=False)
    monkeypatch.delitem(SINKS, "typesense", raising=False)


@pytest.mark.parametrize(
    "cli, argv",
    [
        (search_cli, ["banjir"]),
        (web_cli, []),
    ],
)
def test_an_unregistered_backend_is_a_clear_error(no_typesense, capsys, tmp_path, cli, argv):
    assert cli.main([*argv, "--backend", "typesense", "--index", str(tmp_path)]) == 2
    assert "backend typesense is not installed/available" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing was created


def test_a_backend_that_cannot_be_imported_is_unavailable(monkeypatch, tmp_path):
    monkeypatch.setitem(ENGINES, "typesense", "search.backends.no_such_backend:open_engine")
    with pytest.raises(BackendUnavailable, match="backend typesense is not installed/available: No module"):
        open_engine(BackendConfig(name="typesense"))
    monkeypatch.setitem(SINKS, "typesense", "indexer.no_such_sink:Sink")
    with pytest.raises(BackendUnavailable, match="backend typesense is not installed/available: No module"):
        open_sink(BackendConfig(name="typesense"))
    with pytest.raises(BackendUnavailable, match="backend elastic is not installed/available"):
        open_sink(BackendConfig(name="elastic"))


def test_typesense_options_come_from_flags_or_the_environment(tmp_path):
    import argparse

    parser = argparse.ArgumentParser()
    add_backend_arguments(parser)
    env = {"TELUSUR_TYPESENSE_URLS": "http://127.0.0.1:1, http://127.0.0.1:2", "TELUSUR_TYPESENSE_KEY": "k"}
    config = backend_config(parser.parse_args(["--backend", "typesense"]), env)
    assert (config.name, config.typesense_urls, config.typesense_key) == (
        "typesense", ("http://127.0.0.1:1", "http://127.0.0.1:2"), "k",
    )
    flags = parser.parse_args(["--typesense", "http://h:3", "--typesense", "http://h:4", "--typesense-key", "f"])
    config = backend_config(flags, env)
    assert (config.typesense_urls, config.typesense_key) == (("http://h:3", "http://h:4"), "f")


@pytest.mark.parametrize(
    "modules,forbidden",
    [
        # ``web`` reaches a backend only through the registry, at ``create_app`` time.
        ("web, web.api, web.pages, web.view, web.openapi, web.links, web.__main__", "search.backends."),
        # No backend imports another: what both use lives in neutral ``search/`` (``search.columns``).
        ("search.backends.typesense.engine", "search.backends.whoosh"),
    ],
)
def test_modules_import_no_backend_they_must_not(modules, forbidden):
    code = (
        f"import sys, {modules}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] == 'whoosh' or m.startswith({forbidden!r}))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_create_app_takes_an_engine_or_a_factory(seed_index):
    engine = open_engine(BackendConfig(index_dir=seed_index))
    assert isinstance(engine, Engine) and engine.backend == "whoosh"
    app = create_app({"ENGINE": engine, "TESTING": True})
    assert app.extensions["telusur.engine"] is engine
    assert app.test_client().get("/api/search?q=putin").get_json()["total"] > 0
    made = []
    app = create_app({"ENGINE_FACTORY": lambda: made.append(engine) or engine, "TESTING": True})
    assert made == [engine] and app.extensions["telusur.engine"] is engine


def test_engine_stats(seed_index):
    stats = open_engine(BackendConfig(index_dir=seed_index)).stats()
    assert stats["backend"] == "whoosh" and stats["documents"] == 5
    assert set(stats["facets"]) == {f.name for f in SELECTABLE}
    assert stats["facets"]["entity"] > 0


def test_every_declared_parameter_is_parsed_described_and_explained(seed_index):
    from web import openapi

    described = [p["name"] for p in openapi.parameters()]
    declared = [p.name for p in PARAMS] + [facet_param(k.name, f.name) for k in FACET_PARAMS for f in SELECTABLE]
    assert described == declared
    for param in (*PARAMS, *FACET_PARAMS):
        assert param.code in ERRORS and (param.over_code is None or param.over_code in ERRORS)
    help_text = subprocess.run(
        [sys.executable, "-m", "search", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    for param in PARAMS:
        if param.cli:
            assert param.cli in help_text


def test_every_declared_facet_is_selectable_counted_and_labelled(seed_index):
    client = create_app({"INDEX_DIR": str(seed_index), "TESTING": True}).test_client()
    body = client.get("/api/search").get_json()
    assert list(body["facets"]) == [f.name for f in FACETS]
    page = client.get("/").get_data(as_text=True)
    for facet in SELECTABLE:
        values = body["facets"][facet.name]
        if values:
            assert html.escape(facet.label) in page
            req = parse_request({facet.name: [values[0]["value"]]})
            assert req.selected == {facet.name: (values[0]["value"],)}
            picked = client.get(values[0]["toggle_url"]).get_json()
            assert picked["total"] == values[0]["count"]


def test_the_facet_plan_counts_each_facet_without_its_own_selection():
    import datetime as dt

    from search.facet_plan import RangeFilter, ValueFilter, plan_facets

    req = parse_request(
        {"entity": ["Joko Widodo"], "source": ["kompas.com"], "date_from": ["2019-09-01"], "facet_limit.location": ["5"]}
    )
    plan = plan_facets(req)
    assert plan.filters == {
        "entity": ValueFilter("entity", "entity", ("Joko Widodo",)),
        "source": ValueFilter("source", "source", ("kompas.com",)),
        "date": RangeFilter("date", "date", dt.date(2019, 9, 1), None),
    }
    counts = {c.facet: c for c in plan.counts}
    assert counts["entity"].filters == ("source", "date") and counts["entity"].selected == ("Joko Widodo",)
    assert counts["location"].filters == plan.all_filters and counts["location"].limit == 5
    assert counts["entity"].type_fields == (("person", "person"), ("organization", "organization"))
    histogram, event = plan.histograms
    # A histogram counts within its own range too: a selected range is drawn zoomed in.
    assert histogram.filters == plan.all_filters and histogram.start == dt.date(2019, 9, 1)
    assert event.facet == "event" and event.field == "mentioned" and event.start is None


def test_the_syntax_tree_names_no_backend_field():
    from search.query import AndNode, NotNode, TermNode, parse, query_terms

    tree, plain = parse('Entity:putin title:"rapat warga" -pertemuan banjir*')
    assert not plain
    assert tree == AndNode(
        [
            TermNode("putin", "entity"),
            TermNode("rapat warga", "title", phrase=True),
            NotNode(TermNode("pertemuan")),
            TermNode("banjir*"),
        ]
    )
    terms = query_terms(tree)
    assert terms.forms == {"rapat", "warga"} and terms.words == [] and not terms.plain
    assert query_terms(parse("ab* rapat")[0]).plain


def test_the_whoosh_vocabulary_lists_its_words_with_frequencies(seed_index):
    from search.backends.whoosh.vocabulary import WhooshVocabulary
    from whoosh import index

    with index.open_dir(str(seed_index)).searcher() as searcher:
        vocabulary = WhooshVocabulary(searcher.reader())
        words = dict(vocabulary.words())
        assert words["pyongyang"] > 0 and all(isinstance(w, str) and df > 0 for w, df in words.items())
        assert vocabulary.known("temu") and not vocabulary.known("pyongyan")
