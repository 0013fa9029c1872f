"""The build's shape: prepared documents, the stem store kept with the index, CPU per stage."""

from __future__ import annotations

import json

import pytest
from whoosh import index

import indexer.analysis as analysis
from conftest import DEMO_DIR
from indexer.build import build_index
from indexer.prepare import prepare
from indexer.sources import iter_sources
from indexer.stages import STAGES
from indexer.stemstore import FILENAME, StemStore


def test_prepare_gives_fields_facets_and_both_analysed_texts():
    article = next(a for a in iter_sources([DEMO_DIR]) if "Putin" in a.title)
    doc = prepare(article)
    assert doc.fields["id"] == article.id and doc.fields["body"] == article.body
    assert "Vladimir Putin" in doc.fields["entity"] and "Vladimir Putin" in doc.fields["person"]
    assert doc.body.stems == analysis.analyze(article.body)
    assert doc.body.affixed == [w for w in analysis.tokens(article.body) if analysis.is_affixed(w)]
    assert not {"title_exact", "body_exact"} & set(doc.fields)  # a sink decides how to store the forms


def test_stems_are_kept_with_the_index_and_a_rebuild_stems_nothing_again(tmp_path, monkeypatch):
    # Builds in fresh processes: nothing stemmed yet.
    monkeypatch.setattr(analysis, "_stem_cache", {})
    monkeypatch.setattr(analysis, "_new_stems", {})
    ix = tmp_path / "ix"
    first = build_index([DEMO_DIR], ix)
    stored = StemStore(ix).load()
    assert first.stems_known == 0 and stored
    words = {w for a in iter_sources([DEMO_DIR]) for text in (a.title, a.body) for w in analysis.tokens(text)}
    assert stored["pertemuan"] == "temu" and stored["bertemu"] == "temu"
    assert len(set(stored) & words) > 100
    assert all(analysis.stem(word) == root for word, root in stored.items())
    assert not set(stored) & set(analysis.STEM_EXCEPTIONS)

    # A build in a fresh process knows only what the store gives it: with
    # Sastrawi unavailable, the rebuild must find every stem there.
    monkeypatch.setattr(analysis, "_stem_cache", {})
    monkeypatch.setattr(analysis, "_sastrawi", lambda: pytest.fail("a known word was stemmed again"))
    again = build_index([DEMO_DIR], ix)
    assert (again.updated, again.stems_known) == (5, len(stored))
    with index.open_dir(str(ix)).searcher() as searcher:
        assert searcher.doc_count() == 5


def test_a_stem_store_cut_short_by_a_kill_keeps_its_whole_lines(tmp_path):
    store = StemStore(tmp_path)
    store.append({"pertemuan": "temu", "membahas": "bahas"})
    with (tmp_path / FILENAME).open("a", encoding="utf-8") as f:
        f.write("mentar")  # the kill came mid-line
    reopened = StemStore(tmp_path)
    assert reopened.load() == {"pertemuan": "temu", "membahas": "bahas"}
    reopened.append({"kunjungan": "kunjung"})
    assert StemStore(tmp_path).load() == {"pertemuan": "temu", "membahas": "bahas", "kunjungan": "kunjung"}


def test_a_store_from_another_sastrawi_version_is_ignored(tmp_path):
    (tmp_path / FILENAME).write_text("# sastrawi 0.0\npertemuan\tpertemu\n", encoding="utf-8")
    store = StemStore(tmp_path)
    assert store.load() == {}
    store.append({"pertemuan": "temu"})
    assert StemStore(tmp_path).load() == {"pertemuan": "temu"}


def test_a_build_reports_cpu_per_stage_and_leaves_no_segments_in_progress(tmp_path, sample_records):
    src = tmp_path / "some.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in sample_records[:80]), encoding="utf-8")
    summary = build_index([src], tmp_path / "ix", batch_size=30, workers=2)
    assert (summary.indexed, summary.documents) == (80, 80)
    assert all(summary.stage_cpu.get(stage, 0) > 0 for stage in STAGES), summary.stage_cpu
    assert not (tmp_path / "ix" / "incoming").exists()
    assert not (tmp_path / "ix" / "spool").exists(), "a finished build leaves no prepared articles behind"


@pytest.mark.parametrize("blocklimit", [128, 3])  # 3: terms of several posting blocks
def test_the_fast_merge_writes_the_bytes_whoosh_merges(tmp_path, sample_records, blocklimit):
    """``_SegmentWriter.add_reader`` reads the merged segments' postings a term at a time instead of
    through Whoosh's pool: the merged segment, with deletions and a document added beside, stays the same."""
    import shutil

    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import NO_MERGE, OPTIMIZE, SegmentWriter

    from indexer.schema import build_schema
    from indexer.segments import _SegmentWriter, whoosh_fields

    src = tmp_path / "some.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in sample_records[:40]), encoding="utf-8")
    docs = [prepare(a) for a in iter_sources([src])]
    sources = tmp_path / "sources"
    sources.mkdir()
    ix = index.create_in(str(sources), build_schema())
    for part in (docs[:15], docs[15:30], docs[30:39]):  # three segments
        writer = SegmentWriter(ix, codec=W3Codec(blocklimit=blocklimit))
        for doc in part:
            writer.add_document(**whoosh_fields(doc, "c1"))
        writer.commit(mergetype=NO_MERGE)
    writer = ix.writer()
    for doc in docs[16:20] + docs[33:34]:  # deletions in two of them
        writer.delete_by_term("id", doc.fields["id"])
    writer.commit(mergetype=NO_MERGE)
    assert len(ix._segments()) == 3

    files = {}
    for name, writer_class in (("whoosh", SegmentWriter), ("fast", _SegmentWriter)):
        folder = tmp_path / name
        shutil.copytree(sources, folder)
        ix = index.open_dir(str(folder))
        writer = writer_class(ix, codec=W3Codec(blocklimit=blocklimit), compound=False)
        writer.add_document(**whoosh_fields(docs[39], "c2"))  # as a commit adds a restamped article
        assert writer._merge_segments(OPTIMIZE, None, None) == []
        segment = writer._finalize_segment()
        writer._close_segment()
        writer._finish()
        assert segment.doc_count_all() == 40 - 5
        prefix = segment.segment_id()
        files[name] = {p.name.replace(prefix, ""): p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)}
    assert {".trm", ".pst"} <= set(files["fast"])
    assert files["fast"].keys() == files["whoosh"].keys()
    for ext in files["whoosh"]:
        assert files["fast"][ext] == files["whoosh"][ext], ext


@pytest.mark.parametrize("blocklimit", [128, 3])  # 3: terms of several posting blocks
def test_the_fast_postings_writer_writes_the_bytes_whoosh_writes(tmp_path, sample_records, blocklimit):
    """``indexer.postings`` replaces Whoosh's per-posting work (adding and writing); every segment file must stay the same."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    from indexer.schema import build_schema
    from indexer.segments import _SegmentWriter, whoosh_fields

    src = tmp_path / "some.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in sample_records[:40]), encoding="utf-8")
    docs = [prepare(a) for a in iter_sources([src])]
    files = {}
    # "pooled": the fast writer past its memory limit, its postings handed to Whoosh's pool as it goes.
    for name, writer_class in (("whoosh", SegmentWriter), ("fast", _SegmentWriter), ("pooled", _SegmentWriter)):
        folder = tmp_path / name
        folder.mkdir()
        ix = index.create_in(str(folder), build_schema())
        writer = writer_class(ix, codec=W3Codec(blocklimit=blocklimit), compound=False)
        if name == "pooled":
            writer._max_postings = 500
        for n, doc in enumerate(docs):
            writer.add_document(**whoosh_fields(doc, f"c{n % 7}"))
        segment = writer._finalize_segment()
        writer._close_segment()
        prefix = segment.segment_id()
        files[name] = {p.name.replace(prefix, ""): p.read_bytes() for p in folder.iterdir() if p.name.startswith(prefix)}
    assert {".trm", ".pst"} <= set(files["fast"])
    for fast in ("fast", "pooled"):
        assert files[fast].keys() == files["whoosh"].keys()
        for ext in files["whoosh"]:
            assert files[fast][ext] == files["whoosh"][ext], (fast, ext)
