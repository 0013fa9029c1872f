"""The server keeps answering from a consistent snapshot while a build commits, and sees each commit."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, corpus_records

BATCH = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def total(url: str) -> int:
    with urllib.request.urlopen(f"{url}/api/search?per_page=1&q=", timeout=30) as resp:
        assert resp.status == 200
        return json.load(resp)["total"]


def test_server_sees_new_commits_without_restart_and_never_fails(tmp_path, sample_index, sample_records):
    index_dir = tmp_path / "ix"
    shutil.copytree(sample_index, index_dir)
    known = {r["id"] for r in sample_records}
    extra = [r for r in corpus_records(step=23) if r["id"] not in known][:600]
    src = tmp_path / "extra.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in extra), encoding="utf-8")

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "web", "--index", str(index_dir), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                base = total(url)
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert base == len(sample_records)

        build = subprocess.Popen(
            [sys.executable, "-m", "indexer", "build", str(src), "--index", str(index_dir), "--quiet",
             "--batch-size", str(BATCH)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        seen = [base]
        while build.poll() is None:
            seen.append(total(url))  # never an error while the build commits
            time.sleep(0.05)
        assert build.returncode == 0, build.stderr.read()

        final = base + len(extra)
        # A wait, not a timed assert: the server loads the new generation (its vocabulary and
        # spelling index) beside whatever else the machine runs; 10 s once fell short under load.
        deadline = time.monotonic() + 60
        while seen[-1] != final and time.monotonic() < deadline:
            time.sleep(0.2)
            seen.append(total(url))
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert seen[-1] == final, "the new commits are served without a restart"
    assert seen == sorted(seen), "totals never go back"
    # Every answer came from a committed snapshot: the base plus whole batches.
    assert all((n - base) % BATCH == 0 or n == final for n in seen), sorted(set(seen))
