"""A build killed at any moment, two builds at once, hostile input files: nothing lost, nothing corrupt."""

from __future__ import annotations

import codecs
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from whoosh import index

from conftest import ROOT, corpus_records
from indexer import stories
from indexer.build import CHUNK, build_index

BATCH = 250


def build_cmd(src: Path, ix: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "indexer", "build", str(src), "--index", str(ix), "--quiet", *extra]


def stored_ids(ix: Path) -> list[str]:
    with index.open_dir(str(ix)).searcher() as searcher:
        return [doc["id"] for doc in searcher.documents()]


def committed(ix: Path) -> int:
    try:
        return index.open_dir(str(ix)).doc_count() if index.exists_in(str(ix)) else 0
    except Exception:  # the first commit may be half-written while we look
        return 0


def build_past_its_first_commit(tmp_path: Path) -> tuple[list[dict], Path, Path, subprocess.Popen]:
    """1,500 articles being built in batches of ``BATCH``, returned once the first batch is committed."""
    records = corpus_records(step=15)[:1500]
    src = tmp_path / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ix = tmp_path / "ix"
    build = subprocess.Popen(build_cmd(src, ix, "--batch-size", str(BATCH)), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while committed(ix) == 0 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return records, src, ix, build


def test_killed_build_keeps_commits_and_rerun_completes_without_duplicates(tmp_path):
    records, src, ix, first = build_past_its_first_commit(tmp_path)
    try:
        assert first.poll() is None, "build ended before it could be killed"

        # A second build while the first holds the lock: a clear error, no damage.
        second = subprocess.run(build_cmd(src, ix, "--wait", "0"), cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert second.returncode == 3
        assert "being written by another build" in second.stderr

        time.sleep(0.7)  # into the middle of a later batch
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()

    ids = stored_ids(ix)  # the index opens
    assert 0 < len(ids) < len(records)
    assert len(ids) % BATCH == 0, "only whole committed batches survive"
    assert len(set(ids)) == len(ids)
    assert set(ids) <= {r["id"] for r in records}
    # Stories are assigned ahead of the commits; the table keeps only the committed batches'.
    assert table_stories(ix) == indexed_stories(ix)

    rerun = subprocess.run(build_cmd(src, ix, "--wait", "30"), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids = stored_ids(ix)
    assert sorted(ids) == sorted(r["id"] for r in records)
    assert table_stories(ix) == indexed_stories(ix)


def indexed_stories(ix: Path) -> dict[str, str]:
    with index.open_dir(str(ix)).searcher() as searcher:
        return {doc["id"]: doc["story"] for doc in searcher.documents()}


def table_stories(ix: Path) -> dict[str, str]:
    db = sqlite3.connect(ix / stories.TABLE_FILE)
    try:
        return dict(db.execute("SELECT id, story FROM articles"))
    finally:
        db.close()


def test_a_build_killed_while_preparing_is_resumed_from_its_spool(tmp_path):
    """Nothing is committed before every article is prepared; what was prepared survives a kill."""
    records = corpus_records(step=15)[:600]
    src = tmp_path / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ix = tmp_path / "ix"
    build = subprocess.Popen(build_cmd(src, ix, "--batch-size", str(BATCH)), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while len(spooled(ix)) < 8 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert build.poll() is None, "build ended before it could be killed"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()
    assert committed(ix) == 0, "nothing is written before the alias table is learnt"
    prepared = len(spooled(ix))
    assert 8 <= prepared < len(records) / CHUNK

    summary = build_index([src], ix, batch_size=BATCH, lock_wait=30)  # its workers die just after it
    assert summary.reused >= prepared * CHUNK - CHUNK  # only a chunk cut short by a skipped article is smaller
    assert summary.reused < len(records)
    ids = stored_ids(ix)
    assert sorted(ids) == sorted(r["id"] for r in records)
    assert not (ix / "spool").exists()


def spooled(ix: Path) -> list[Path]:
    """The chunks a build has prepared (whole files only)."""
    folder = ix / "spool"
    return [p for p in folder.iterdir() if "." not in p.name] if folder.exists() else []


def test_hostile_files_are_skipped_or_repaired_and_the_rest_indexed(tmp_path):
    good = corpus_records(step=500)[:3]
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "baik.txt").write_text("Banjir Melanda Garut\n\nBanjir bandang melanda Garut, Senin (2/9/2019).", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Kafe di Bandung\n\nSuasana kafé itu ramai, Selasa (3/9/2019).".encode("latin-1"))
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "Gempa di Palu\n\nGempa mengguncang Palu.".encode("utf-16-le"))
    (folder / "gambar.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "kosong.txt").write_text("SHARE\n\nBaca Juga\n", encoding="utf-8")
    with (folder / "raksasa.txt").open("w") as f:  # 50 MB
        chunk = "kata " * 200_000
        for _ in range(50):
            f.write(chunk)

    src = tmp_path / "hostile.jsonl"
    with src.open("w", encoding="utf-8") as f:
        f.write(json.dumps(good[0]) + "\n")
        f.write('{"id": "x", "body": "' + "a" * (100 * 1024 * 1024) + '"}\n')  # a 100 MB line
        f.write("[" * 100_000 + "]" * 100_000 + "\n")  # deeply nested
        f.write(json.dumps(dict(good[1], date="31/2/2023")) + "\n")
        f.write(json.dumps(dict(good[2], id="tahun-jauh", date="99999-01-01")) + "\n")
        f.write(json.dumps({"id": "tanpa-isi", "title": "Kosong", "body": "  "}) + "\n")
        f.write(json.dumps({"title": "Tanpa id", "body": "Isi."}) + "\n")
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(codecs.BOM_UTF16_LE + (json.dumps(dict(good[0], id="utf16-record")) + "\n").encode("utf-16-le"))
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps({"id": "latin-record", "title": "Kafe", "body": "kafé"}, ensure_ascii=False).encode("latin-1") + b"\n")

    script = (
        "import json, resource, sys; from indexer.build import build_index;"
        "w = [];"
        f"s = build_index([{str(folder)!r}, {str(src)!r}, {str(utf16)!r}, {str(latin)!r}], {str(tmp_path / 'ix')!r}, warn=w.append);"
        "print(json.dumps({'s': s.__dict__, 'w': w, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    summary, warnings = result["s"], "\n".join(result["w"])

    # indexed: baik, latin1, utf16 (folder); good[0..2] (jsonl); utf16-record; latin-record
    assert summary["indexed"] == 8, warnings
    assert summary["skipped"] == 7, warnings  # binary, boilerplate-only, 50 MB, 100 MB line, nesting, empty body, no id
    for expected in ("binary file", "only boilerplate", "larger than", "line longer than", "nested too deeply",
                     "empty or missing body", "missing id", "indexed without a date", "Windows-1252", "utf-16"):
        assert expected in warnings, expected
    assert result["rss_mb"] < 600, "reading stays bounded"

    with index.open_dir(str(tmp_path / "ix")).searcher() as searcher:
        docs = {d["id"]: d for d in searcher.documents()}
    assert "kafé" in docs["latin-record"]["body"]
    assert "date" not in docs[good[1]["id"]] and "date" not in docs["tahun-jauh"]
    assert any("kafé" in d["body"] for d in docs.values() if d["id"] != "latin-record")


def test_build_reports_missing_source(tmp_path):
    warnings: list[str] = []
    summary = build_index([tmp_path / "nope.jsonl"], tmp_path / "ix", warn=warnings.append)
    assert summary.skipped == 1 and "no such file" in warnings[0]


def test_a_worker_killed_mid_build_fails_the_build_clearly_and_keeps_the_commits(tmp_path):
    _, _, ix, build = build_past_its_first_commit(tmp_path)
    try:
        children = Path(f"/proc/{build.pid}/task/{build.pid}/children").read_text().split()
        assert build.poll() is None and children, "build ended before a worker could be killed"
        os.kill(int(children[0]), signal.SIGKILL)
        _, stderr = build.communicate(timeout=120)  # it exits: nothing waits for the dead worker
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode != 0
    assert "indexing worker" in stderr and "died" in stderr
    ids = stored_ids(ix)
    assert ids and len(ids) % BATCH == 0 and len(set(ids)) == len(ids)
