"""Stories built into Typesense, incrementally: the cluster's documents are the story table.

The same real near-duplicates as ``test_stories`` (Whoosh), each test in its
own collections on the session's node: a later build joins the story the
cluster holds, a bridging article merges two stories (the articles moved get
their new id), a deletion leaves the rest grouped, an update is matched afresh.
"""

from __future__ import annotations

import json

import pytest

from test_stories import APART, REWRITTEN, SYNDICATED, STORY_IDS, corpus_by_id, halves, write_jsonl


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return corpus_by_id(set(STORY_IDS))


@pytest.fixture
def sink(typesense_node, request):
    from cluster.client import Connection
    from indexer.typesense.sink import Sink

    prefix = "st_" + request.node.name.replace("test_", "")[:20]
    return Sink(Connection(tuple(typesense_node.urls), typesense_node.api_key), prefix)


def build(sink, path, records: list[dict]) -> None:
    from indexer.typesense.sink import build_typesense

    build_typesense([str(write_jsonl(path, records))], sink, warn=lambda message: None)


def stories_in(sink) -> dict[str, str]:
    """Article id -> the story id its document holds."""
    params = {"include_fields": "id,story"}
    text = sink.cluster.read(lambda c: c.collections[sink.articles].documents.export(params))
    return {d["id"]: d["story"] for d in map(json.loads, filter(None, text.split("\n")))}


def test_copies_share_a_story_and_a_later_build_joins_it(tmp_path, sink, records):
    build(sink, tmp_path / "1.jsonl", [records[SYNDICATED[0]], records[APART[0]], records[REWRITTEN[0]]])
    first = stories_in(sink)
    assert len(set(first.values())) == 3
    build(sink, tmp_path / "2.jsonl", [records[SYNDICATED[1]], records[APART[1]], records[REWRITTEN[1]]])
    after = stories_in(sink)
    assert after[SYNDICATED[1]] == after[SYNDICATED[0]] == first[SYNDICATED[0]]
    assert after[REWRITTEN[1]] == after[REWRITTEN[0]] == first[REWRITTEN[0]]
    assert after[APART[1]] != after[APART[0]] == first[APART[0]]
    assert len(set(after.values())) == 4, "a new story takes a number no story had"


def test_a_bridging_article_merges_two_stories_and_a_deletion_keeps_the_rest(tmp_path, sink, records):
    from search.backends.typesense.engine import TypesenseEngine

    whole = records[SYNDICATED[0]]
    first, second = halves(whole)
    build(sink, tmp_path / "1.jsonl", [first, second])
    before = stories_in(sink)
    assert before[first["id"]] != before[second["id"]], "the halves share no wording"

    build(sink, tmp_path / "2.jsonl", [whole])  # matches both halves: the article indexed earlier moves
    after = stories_in(sink)
    assert after[first["id"]] == after[second["id"]] == after[whole["id"]]
    assert after[whole["id"]] in set(before.values()), "the merged story keeps one of the old ids"
    engine = TypesenseEngine(sink.cluster.connection, prefix=sink.articles.removesuffix("_articles"), check_interval=0)
    story = engine.story(after[whole["id"]])
    assert story["size"] == 3 and {v["id"] for v in story["versions"]} == set(after)
    gone = [s for s in set(before.values()) if s != after[whole["id"]]]
    assert engine.story(gone[0]) is None

    assert sink.delete([whole["id"]]) == 1
    left = stories_in(sink)
    assert set(left) == {first["id"], second["id"]}
    assert left[first["id"]] == left[second["id"]] == after[whole["id"]]
    assert engine.document(first["id"])["story"] == {"id": after[whole["id"]], "size": 2}
    engine.close()


def test_an_updated_article_is_matched_afresh(tmp_path, sink, records):
    build(sink, tmp_path / "1.jsonl", [records[i] for i in SYNDICATED])
    story = stories_in(sink)
    assert story[SYNDICATED[0]] == story[SYNDICATED[1]]
    other = records[APART[0]]
    changed = {**records[SYNDICATED[1]], "title": other["title"], "body": other["body"], "date": other["date"]}
    build(sink, tmp_path / "2.jsonl", [changed])
    after = stories_in(sink)
    assert after[SYNDICATED[1]] != after[SYNDICATED[0]]
    assert len(after) == 2
