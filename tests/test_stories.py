"""Stories at index time, on real near-duplicates of the 22k corpus: joins, merges, deletions."""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index

from conftest import CORPUS, corpus_records
from indexer.build import build_index, delete_documents
from indexer.sources import iter_sources
from indexer import stories
from indexer.prepare import document_fields
from indexer.stories import StoryTable, fingerprint, same_story

# okezone.com and sindonews.com: one syndicated text (Pangkalan Bun smog).
SYNDICATED = ("4b4b6bc1a6d1d06e", "09c59359972edf44")
# okezone.com and sindonews.com: one event (600 police guard Habibie's funeral), rewritten: little shared wording.
REWRITTEN = ("925b51c59f5429bc", "85db4a2391d1c25f")
# kompas.com's gold price on two days: one template, two stories.
APART = ("0e354d9c5639068f", "f52904b5d4456935")
STORY_IDS = SYNDICATED + REWRITTEN + APART
# tempo.co and tribunnews.com the same evening: Abdullah Puteh sentenced, each in its own words.
RETOLD = ("a733527acfb3d1ae", "ada8b0cefcb8c6ed")


def corpus_by_id(ids: set[str]) -> dict[str, dict]:
    out = {}
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            if any(i in line[:40] for i in ids):
                rec = json.loads(line)
                if rec["id"] in ids:
                    out[rec["id"]] = rec
    assert set(out) == ids
    return out


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def stories_in(index_dir: Path) -> dict[str, str]:
    """Article id -> the story id stored in the index."""
    with index.open_dir(str(index_dir)).searcher() as searcher:
        return {doc["id"]: doc["story"] for doc in searcher.documents()}


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return corpus_by_id(set(STORY_IDS))


def test_real_copies_share_a_story_and_templates_stay_apart(tmp_path, records):
    build_index([write_jsonl(tmp_path / "a.jsonl", list(records.values()))], tmp_path / "ix")
    story = stories_in(tmp_path / "ix")
    assert story[SYNDICATED[0]] == story[SYNDICATED[1]]
    assert story[REWRITTEN[0]] == story[REWRITTEN[1]]
    assert story[APART[0]] != story[APART[1]]
    assert len(set(story.values())) == 4
    # The rewritten pair is found through its lead words, not its wording.
    articles = {a.id: a for a in iter_sources([tmp_path / "a.jsonl"])}
    body, lead = (fingerprint(a.title, a.body, a.date, a.source) for a in (articles[i] for i in REWRITTEN))
    assert body.similarity(lead)[0] < 0.2
    # The table beside the index agrees with the stored field.
    table = StoryTable(tmp_path / "ix")
    assert {i: table.story(i) for i in STORY_IDS} == story
    table.close()


def test_a_later_build_joins_the_existing_story(tmp_path, records):
    ix = tmp_path / "ix"
    build_index([write_jsonl(tmp_path / "1.jsonl", [records[SYNDICATED[0]], records[APART[0]]])], ix)
    first = stories_in(ix)
    build_index([write_jsonl(tmp_path / "2.jsonl", [records[SYNDICATED[1]]])], ix)
    after = stories_in(ix)
    assert after[SYNDICATED[1]] == after[SYNDICATED[0]] == first[SYNDICATED[0]]
    assert after[APART[0]] == first[APART[0]] != after[SYNDICATED[0]]


def halves(rec: dict) -> tuple[dict, dict]:
    """Two articles that each share half of ``rec``'s text and nothing with each other."""
    paragraphs = rec["body"].split("\n\n")
    mid = len(paragraphs) // 2
    first = {**rec, "id": "aaaa000000000001", "source": "outlet-a.test", "title": "Bagian pertama laporan",
             "body": "\n\n".join(paragraphs[:mid])}
    second = {**rec, "id": "aaaa000000000002", "source": "outlet-b.test", "title": "Bagian kedua laporan",
              "body": "\n\n".join(paragraphs[mid:])}
    return first, second


def test_a_bridging_article_merges_two_stories_and_a_deletion_keeps_the_rest(tmp_path, records):
    ix = tmp_path / "ix"
    whole = records[SYNDICATED[0]]
    first, second = halves(whole)
    build_index([write_jsonl(tmp_path / "1.jsonl", [first, second])], ix)
    before = stories_in(ix)
    assert before[first["id"]] != before[second["id"]], "the halves share no wording"

    build_index([write_jsonl(tmp_path / "2.jsonl", [whole])], ix)  # matches both halves
    after = stories_in(ix)
    assert after[first["id"]] == after[second["id"]] == after[whole["id"]]
    assert after[whole["id"]] in set(before.values()), "the merged story keeps one of the old ids"

    assert delete_documents(ix, [whole["id"]]) == 1
    left = stories_in(ix)
    assert set(left) == {first["id"], second["id"]}
    assert left[first["id"]] == left[second["id"]] == after[whole["id"]]


def test_an_updated_article_is_matched_afresh(tmp_path, records):
    ix = tmp_path / "ix"
    build_index([write_jsonl(tmp_path / "1.jsonl", [records[i] for i in SYNDICATED])], ix)
    story = stories_in(ix)
    assert story[SYNDICATED[0]] == story[SYNDICATED[1]]
    other = records[APART[0]]
    changed = {**records[SYNDICATED[1]], "title": other["title"], "body": other["body"], "date": other["date"]}
    build_index([write_jsonl(tmp_path / "2.jsonl", [changed])], ix)
    after = stories_in(ix)
    assert after[SYNDICATED[1]] != after[SYNDICATED[0]]
    assert len(after) == 2


def named_fingerprints(path: Path) -> dict:
    """Each article's fingerprint as the build computes it: with the people and organisations extraction finds."""
    return {
        a.id: fingerprint(a.title, a.body, a.date, a.source, document_fields(a).get("entity", ()))
        for a in iter_sources([path])
    }


@pytest.fixture(scope="module")
def retold() -> dict[str, dict]:
    return corpus_by_id(set(RETOLD))


def test_a_retelling_with_little_shared_wording_joins_through_title_and_names(tmp_path, retold):
    a, b = (named_fingerprints(write_jsonl(tmp_path / "both.jsonl", list(retold.values())))[i] for i in RETOLD)
    body, lead = a.similarity(b)
    assert body < stories.BODY_SAME and lead < stories.LEAD_SAME, "the wording and lead paths miss it"
    assert stories.retold(a, b, body, lead) and same_story(a, b)
    # Without the people both name, the same two texts stay apart.
    assert not same_story(replace(a, names=frozenset()), replace(b, names=frozenset()))
    # A day apart, they would too.
    assert not same_story(a, replace(b, day=b.day + 1))
    # Through two builds: the table keeps the first article's title stems and names for the second.
    ix = tmp_path / "ix"
    build_index([write_jsonl(tmp_path / "1.jsonl", [retold[RETOLD[0]]])], ix)
    build_index([write_jsonl(tmp_path / "2.jsonl", [retold[RETOLD[1]]])], ix)
    story = stories_in(ix)
    assert story[RETOLD[0]] == story[RETOLD[1]]


def test_a_table_written_before_the_looser_path_is_upgraded_in_place(tmp_path, records):
    first, second = (a for a in iter_sources([write_jsonl(tmp_path / "a.jsonl", [records[i] for i in SYNDICATED])]))
    fp = fingerprint(first.title, first.body, first.date, first.source)
    old = sqlite3.connect(tmp_path / stories.TABLE_FILE)
    old.executescript(
        """
        CREATE TABLE articles (id TEXT PRIMARY KEY, story TEXT NOT NULL, day INTEGER, source TEXT,
                               body BLOB NOT NULL, lead BLOB NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO meta VALUES ('next_story', 8);
        """
    )
    old.execute(
        "INSERT INTO articles VALUES (?, 'c7', ?, ?, ?, ?)",
        (first.id, fp.day, fp.source, fp.body.hashvalues.astype("uint32").tobytes(), fp.lead.hashvalues.astype("uint32").tobytes()),
    )
    old.commit()
    old.close()
    table = StoryTable(tmp_path)
    found = table.assign([(second.id, fingerprint(second.title, second.body, second.date, second.source))])
    assert found.stories == {second.id: "c7"}, "the old row still matches by its wording"
    assert {"title", "names"} <= {row[1] for row in table.db.execute("PRAGMA table_info(articles)")}
    table.close()


def test_unloading_days_keeps_memory_bounded_and_every_story_the_same(tmp_path, monkeypatch):
    """A long build unloads the days a batch does not need; the stories are those of every day loaded."""
    sample = sorted(corpus_records(step=2)[:3000], key=lambda r: r.get("date") or "")  # day after day
    path = write_jsonl(tmp_path / "a.jsonl", sample)
    fps = [(a.id, fingerprint(a.title, a.body, a.date, a.source)) for a in iter_sources([path])]
    batches = [fps[k : k + 200] for k in range(0, len(fps), 200)]

    def assign_all(folder: Path, limit: int) -> tuple[list, int]:
        monkeypatch.setattr(stories, "MAX_LOADED", limit)
        folder.mkdir()
        table = StoryTable(folder)
        out, most = [], 0
        for batch in batches:
            found = table.assign(batch)
            out.append((found.stories, found.moved))
            most = max(most, len(table.loaded))
        table.close()
        return out, most

    everything, most_kept = assign_all(tmp_path / "all", 10**9)
    bounded, most_bounded = assign_all(tmp_path / "bounded", 0)
    assert bounded == everything
    assert sum(len(s) for s, _ in everything) == len(fps) and len({v for s, _ in everything for v in s.values()}) < len(fps)
    assert most_bounded < most_kept / 2, "days the batch does not need were unloaded"


def test_a_staged_table_assigns_ahead_and_commits_each_batch_alone(tmp_path, records):
    """The build assigns batches before their index commits: the table on disk holds only committed batches,
    and the stories are a one-process assignment's."""
    whole = records[SYNDICATED[0]]
    sample = corpus_records(step=2)[:600]
    sample[100:100] = halves(whole)  # two stories in the first batch, merged by the whole in the second
    sample[400:400] = [whole]
    path = write_jsonl(tmp_path / "a.jsonl", sample)
    fps = [(a.id, fingerprint(a.title, a.body, a.date, a.source)) for a in iter_sources([path])]
    batches = [fps[k : k + 300] for k in range(0, len(fps), 300)]
    alone = StoryTable(None)
    expected = [alone.assign(batch) for batch in batches]
    rows = sorted(alone.db.execute("SELECT * FROM articles"))
    assert any(e.moved for e in expected), "the sample has a merge across batches"

    staged = StoryTable(tmp_path, staged=True)
    found = [staged.assign(batch) for batch in batches]  # every batch ahead of any commit
    assert [(f.stories, f.moved) for f in found] == [(e.stories, e.moved) for e in expected]
    staged.commit(found[0])
    on_disk = StoryTable(tmp_path)
    assert {r[0] for r in on_disk.db.execute("SELECT id FROM articles")} == {i for i, _ in batches[0]}
    assert {i: on_disk.story(i) for i, _ in batches[0]} == expected[0].stories, "as the first batch left them"
    on_disk.close()
    for f in found[1:]:
        staged.commit(f)
    staged.close()
    assert not (tmp_path / stories.WORK_FILE).exists()
    reopened = StoryTable(tmp_path)
    assert sorted(reopened.db.execute("SELECT * FROM articles")) == rows
    assert reopened.db.execute("SELECT value FROM meta").fetchall() == alone.db.execute("SELECT value FROM meta").fetchall()
    reopened.close()
    alone.close()


def test_a_build_assigns_the_stories_one_assignment_in_the_articles_order_gives(tmp_path, records):
    """The parent assigns while the workers prepare and write, batch after batch: the stories are the ones
    one in-memory table gives all the articles at once, in the order read."""
    whole = records[SYNDICATED[0]]
    sample = corpus_records(step=4)[:300]
    sample[50:50] = halves(whole)  # two stories in the first batch, merged by the whole in the third
    sample[280:280] = [whole]
    ix = tmp_path / "ix"
    build_index([write_jsonl(tmp_path / "a.jsonl", sample)], ix, batch_size=100)
    built = stories_in(ix)
    assert built[whole["id"]] == built[sample[50]["id"]] == built[sample[51]["id"]]
    table = StoryTable(ix)
    rows = table.db.execute("SELECT id, story, day, source, body, lead, title, names FROM articles").fetchall()
    table.close()
    assert {r[0]: r[1] for r in rows} == built, "the table beside the index agrees with it"
    fps = {doc_id: stories.stored_fingerprint(*stored) for doc_id, _story, *stored in rows}
    alone = StoryTable(None)
    assert alone.assign([(r["id"], fps[r["id"]]) for r in sample]).stories == built
    alone.close()


def test_a_signature_is_the_one_datasketch_computes(records):
    """``stories._minhash`` runs datasketch's CPU path without a MinHash object each time (its pre-mix and
    permutations are datasketch internals): the signatures must stay what ``MinHash.update_batch`` gives,
    or every stored fingerprint and story would silently change."""
    from datasketch import MinHash

    texts = [f"{r['title']} {r['body']}" for r in list(records.values())[:20]]
    for items in [set(t.lower().encode().split()) for t in texts] + [set(), {b""}]:
        expected = MinHash(num_perm=stories.NUM_PERM, permutations=stories._SCHEME.permutations, scheme=stories._SCHEME.scheme, hashfunc=zlib.crc32)
        expected.update_batch(list(items))
        got = stories._minhash(items)
        assert (got.seed, got.scheme) == (expected.seed, expected.scheme)
        assert got.hashvalues.dtype == expected.hashvalues.dtype
        assert list(got.hashvalues) == list(expected.hashvalues)
