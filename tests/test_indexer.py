"""The indexer on real articles: the demo seeds and a sample of the 22k corpus."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index
from whoosh.query import Term

from indexer.canonical import facet_values
from indexer.extract.corpus_aliases import AliasTable

from conftest import DEMO_DIR, ROOT
from indexer.analysis import analyze
from indexer.build import build_index, delete_documents
from indexer.stats import index_stats

BOILERPLATE = ("SHARE", "Baca Juga", "[iklan_2]", "Komentar (0)", "Editor’s Picks", "Baca artikel IDN Times", "Follow Us")


def stored(index_dir: Path) -> dict[str, dict]:
    with index.open_dir(str(index_dir)).searcher() as searcher:
        return {doc["id"]: doc for doc in searcher.documents()}


def test_seeds_give_five_documents_with_titles_and_dates(seed_index):
    docs = stored(seed_index)
    assert len(docs) == 5
    by_file = {path.name[:3]: docs[path.stem.split("_")[1]] for path in DEMO_DIR.glob("*.txt")}
    assert by_file["000"]["date"].date() == dt.date(2023, 9, 13)
    assert by_file["002"]["date"].date() == dt.date(2023, 9, 13)
    assert by_file["004"]["date"].date() == dt.date(2023, 9, 14)
    # No dateline in the text: no date, never today's.
    assert "date" not in by_file["001"] and "date" not in by_file["003"]
    assert by_file["000"]["title"] == "Usai bertemu Putin, Kim Jong Un Kembali ke Pyong yang"
    assert by_file["004"]["title"] == "Kim Jong Un Undang Putin ke Korut, Kapan?"
    for doc in docs.values():
        assert doc["title"] and doc["body"]
        for junk in BOILERPLATE:
            assert junk not in doc["body"], (doc["id"], junk)
        assert "Foto: Sputnik" not in doc["body"]


def test_reindexing_the_seed_folder_updates_instead_of_duplicating(tmp_path):
    first = build_index([DEMO_DIR], tmp_path)
    again = build_index([DEMO_DIR], tmp_path)
    assert (first.indexed, first.updated) == (5, 0)
    assert (again.indexed, again.updated, again.documents) == (0, 5, 5)


def test_sample_round_trips_counts_ids_and_dates(sample_index, sample_records):
    docs = stored(sample_index)
    assert len(docs) == len(sample_records)
    for rec in sample_records:
        doc = docs[rec["id"]]
        assert doc["title"] == rec["title"]
        assert doc["source"] == rec["source"]
        expected = dt.datetime.fromisoformat(rec["date"]).replace(tzinfo=None)
        assert doc["date"] == expected


def test_updating_and_deleting_by_id(tmp_path, sample_index, sample_records):
    work = tmp_path / "ix"
    shutil.copytree(sample_index, work)
    changed = dict(sample_records[3], title="Judul yang diperbarui", body="Isi baru tentang banjir bandang di Garut.")
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    summary = build_index([src], work)
    assert (summary.indexed, summary.updated, summary.documents) == (0, 1, len(sample_records))
    ix = index.open_dir(str(work))
    with ix.searcher() as searcher:
        assert searcher.document(id=changed["id"])["title"] == "Judul yang diperbarui"
        assert len(searcher.search(Term("body", "banjir"), limit=None)) >= 1

    assert delete_documents(work, [changed["id"], "no-such-id"]) == 1
    with index.open_dir(str(work)).searcher() as searcher:
        assert searcher.document(id=changed["id"]) is None
        assert searcher.doc_count() == len(sample_records) - 1


def test_segments_of_final_size_are_never_merged(tmp_path, sample_jsonl, monkeypatch):
    # A batch's segment is final (``merge.FINAL_DOCS``): merging it again costs more than writing it.
    import indexer.merge as merge

    monkeypatch.setattr(merge, "FINAL_DOCS", 10)
    monkeypatch.setattr(merge, "MERGE_FACTOR", 3)
    records = sample_jsonl.read_text(encoding="utf-8").splitlines(keepends=True)[:60]
    src = tmp_path / "some.jsonl"
    src.write_text("".join(records), encoding="utf-8")
    summary = build_index([src], tmp_path / "ix", batch_size=12, workers=1)
    assert (summary.indexed, summary.documents) == (60, 60)
    sizes = sorted(s.doc_count_all() for s in index.open_dir(str(tmp_path / "ix"))._segments())
    # Five batches of 12: five segments of 12, never merged (three of one tier were, before
    # FINAL_DOCS); small ones (articles a story merge moved) at most MERGE_FACTOR - 1 left.
    assert sizes.count(12) == 5 and max(sizes) == 12, sizes
    assert len([n for n in sizes if n < 10]) < 3, sizes


def test_a_rebuild_of_every_article_leaves_no_dead_segment(tmp_path, sample_jsonl, monkeypatch):
    # A segment's tier is its live documents: the final segments a rebuild deleted entirely are
    # dropped, not kept on disk and in every search (counted with their deleted documents, they stayed).
    import indexer.merge as merge

    monkeypatch.setattr(merge, "FINAL_DOCS", 10)
    monkeypatch.setattr(merge, "MERGE_FACTOR", 3)
    records = [json.loads(line) for line in sample_jsonl.read_text(encoding="utf-8").splitlines()[:36]]
    src = tmp_path / "some.jsonl"
    for edition in ("", " (diperbarui)"):
        src.write_text("".join(json.dumps({**r, "title": r["title"] + edition}) + "\n" for r in records))
        summary = build_index([src], tmp_path / "ix", batch_size=12, workers=1)
    assert (summary.updated, summary.documents) == (36, 36)
    segments = index.open_dir(str(tmp_path / "ix"))._segments()
    assert all(s.doc_count() for s in segments), [(s.doc_count(), s.doc_count_all()) for s in segments]
    assert sum(s.doc_count_all() for s in segments) < 2 * 36


def test_many_small_commits_merge_segments_and_keep_every_facet(tmp_path, sample_jsonl, sample_index):
    # Small batches leave small segments, which Whoosh merges on a later
    # commit by re-reading their postings, facet postings included.
    records = sample_jsonl.read_text(encoding="utf-8").splitlines(keepends=True)[:90]
    src = tmp_path / "some.jsonl"
    src.write_text("".join(records), encoding="utf-8")
    summary = build_index([src], tmp_path / "ix", batch_size=6, workers=1)
    assert (summary.indexed, summary.documents) == (90, 90)
    stats = index_stats(tmp_path / "ix")
    # 15 one-segment commits: the first ten segments (one order of magnitude)
    # merged into one at the 11th, then five more (and one more when the corpus
    # alias table re-canonicalised documents after the batches).
    assert stats["segments"] == 6 + (1 if summary.recanonicalised else 0)
    ids = {json.loads(r)["id"] for r in records}
    merged, whole = stored(tmp_path / "ix"), stored(sample_index)
    assert set(merged) == ids
    # Entity values depend on each index's own corpus alias table (a smaller corpus
    # teaches fewer aliases): they must be what the merged index's evidence column,
    # read back after the merges, gives through its table.
    for doc_id in ids:
        for facet in ("mentioned", "source", "category"):
            assert sorted(merged[doc_id].get(facet) or []) == sorted(whole[doc_id].get(facet) or []), (doc_id, facet)
    table = AliasTable.load(tmp_path / "ix")
    with index.open_dir(str(tmp_path / "ix")).searcher() as searcher:
        evidence = searcher.reader().column_reader("evidence")
        for docnum in searcher.reader().all_doc_ids():
            doc = searcher.stored_fields(docnum)
            want = facet_values(list(evidence[docnum]), table)
            for facet in ("entity", "person", "organization", "location"):
                assert (doc.get(facet) or []) == want[facet], (doc["id"], facet)
    with index.open_dir(str(tmp_path / "ix")).searcher() as searcher:
        some = next(doc for doc in merged.values() if doc.get("location"))
        value = some["location"][0]
        filtered = {d["id"] for d in searcher.search(Term("location", value), limit=None)}
        assert filtered == {d for d, doc in merged.items() if value in (doc.get("location") or [])}


def test_query_side_pertemuan_meets_index_side_bertemu():
    assert analyze("pertemuan") == analyze("bertemu") == ["temu"]


@pytest.mark.parametrize(
    "word,stem",
    [("mengunjungi", "kunjung"), ("kunjungan", "kunjung"), ("pengunjung", "kunjung"), ("pemilu", "pemilu"),
     ("pemerintahan", "pemerintah"), ("pengadilan", "pengadilan"), ("penyidikan", "sidik"), ("penyidik", "sidik")],
)
def test_stem_exceptions_join_word_families(word, stem):
    assert analyze(word) == [stem]


def test_news_words_are_not_stop_words_and_names_split_at_hyphens():
    assert analyze("bulan baru hari") == ["bulan", "baru", "hari"]
    assert analyze("Kim Jong-un di Komsomolsk-on-Amur") == ["kim", "jong", "un", "komsomolsk", "on", "amur"]


def test_a_broken_jsonl_line_skips_only_that_line(tmp_path, sample_records):
    lines = [json.dumps(r) for r in sample_records[:6]]
    lines.insert(3, '{"id": "broken", "title": "tanpa penutup"')
    src = tmp_path / "broken.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings: list[str] = []
    summary = build_index([src], tmp_path / "ix", warn=warnings.append)
    assert (summary.indexed, summary.skipped, summary.documents) == (6, 1, 6)
    assert any(f"{src}:4" in w and "bad JSON" in w for w in warnings), warnings


def test_csv_and_bad_records_are_reported_with_file_and_line(tmp_path, sample_records):
    import csv

    src = tmp_path / "articles.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "title", "date", "source", "category", "url", "body"])
        writer.writeheader()
        for rec in sample_records[:3]:
            writer.writerow({k: rec.get(k) for k in writer.fieldnames})
        writer.writerow({"id": "kosong", "title": "Tanpa isi", "body": ""})
        writer.writerow({"id": "tanggal", "title": "Tanggal aneh", "date": "31/2/2023", "body": "Isi berita."})
    warnings: list[str] = []
    summary = build_index([src], tmp_path / "ix", warn=warnings.append)
    assert (summary.indexed, summary.skipped, summary.repaired) == (4, 1, 1)
    kosong_line = next(i for i, line in enumerate(src.read_text().splitlines(), 1) if line.startswith("kosong,"))
    assert any(f"{src}:{kosong_line}: empty or missing body" in w for w in warnings), warnings
    assert any("indexed without a date" in w for w in warnings), warnings


def test_cli_build_stats_delete(tmp_path):
    ix = tmp_path / "ix"
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "indexer", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    built = run("build", str(DEMO_DIR), "--index", str(ix))
    assert built.returncode == 0, built.stderr
    assert "indexed 5, updated 0, skipped 0" in built.stdout
    stats = run("stats", "--index", str(ix), "--json")
    assert json.loads(stats.stdout)["documents"] == 5
    deleted = run("delete", "82ff82e2c3e225b8", "--index", str(ix))
    assert "deleted 1 document" in deleted.stdout
    assert index_stats(ix)["documents"] == 4
    missing = run("stats", "--index", str(tmp_path / "nothing"))
    assert missing.returncode == 3 and "no index" in missing.stderr


def test_affix_free_shortcut_agrees_with_sastrawi(sample_records):
    from indexer.analysis import _MAY_HAVE_AFFIX, _sastrawi, tokens

    words = {w for rec in sample_records[:150] for w in tokens(rec["body"])}
    skipped = [w for w in words if w.isalpha() and len(w) >= 4 and not _MAY_HAVE_AFFIX.search(w)]
    assert len(skipped) > 1000
    assert [w for w in skipped if _sastrawi().stem_word(w) != w] == []


def test_mac_roman_mojibake_is_repaired_in_stored_text(sample_index):
    from indexer.clean import clean_body

    assert clean_body("Ia berkata, ‚ÄúSaya yakin‚Äù dan pergi.") == "Ia berkata, “Saya yakin” dan pergi."
    assert not [d["id"] for d in stored(sample_index).values() if "‚Ä" in d["body"] + d["title"]]
