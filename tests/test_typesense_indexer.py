"""Indexing into real Typesense nodes: the CLI, idempotent re-runs, a killed build, bad settings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import DEMO_DIR, ROOT

PYTHON = sys.executable


def indexer(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "indexer", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, **kwargs
    )


def flags(nodes, prefix: str | None = None) -> list[str]:
    out = [f for url in nodes.urls for f in ("--typesense", url)] + ["--typesense-key", nodes.api_key]
    return ["--backend", "typesense", *out]


@pytest.fixture()
def fresh_node():
    """A node of its own: these tests write and delete."""
    from cluster.nodes import LocalCluster

    with LocalCluster(1) as node:
        yield node


def test_build_rerun_stats_delete(fresh_node):
    first = indexer("build", str(DEMO_DIR), "--quiet", *flags(fresh_node))
    assert first.returncode == 0, first.stderr
    assert "indexed 5, updated 0" in first.stdout and "5 documents" in first.stdout
    again = indexer("build", str(DEMO_DIR), "--quiet", *flags(fresh_node))
    assert again.returncode == 0 and "indexed 0, updated 5" in again.stdout, again.stdout

    stats = indexer("stats", "--json", *flags(fresh_node))
    assert stats.returncode == 0, stats.stderr
    body = json.loads(stats.stdout)
    assert body["documents"] == 5
    assert dict(body["facets"]["location"]["top"])["Korea Utara"] == 5, "exact-case values, counted"
    assert body["nodes"][0]["healthy"] and body["nodes"][0]["documents"] == 5

    doc_id = _ids(fresh_node)[0]
    gone = indexer("delete", doc_id, "no-such-id", *flags(fresh_node))
    assert gone.returncode == 0 and "deleted 1 document(s); 1 id(s) not found" in gone.stdout
    assert fresh_node.documents(0, "telusur_articles") == 4


def test_environment_variables_name_the_cluster(fresh_node):
    env = dict(os.environ, TELUSUR_TYPESENSE_URLS=",".join(fresh_node.urls), TELUSUR_TYPESENSE_KEY=fresh_node.api_key)
    built = indexer("build", str(DEMO_DIR), "--quiet", "--backend", "typesense", env=env)
    assert built.returncode == 0 and "indexed 5" in built.stdout, built.stderr


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--typesense", "http://127.0.0.1:1", "--typesense-key", "k"], "no Typesense node is reachable"),
        (["--typesense", "127.0.0.1:8108", "--typesense-key", "k"], "must be given as http(s)://HOST:PORT"),
        (["--typesense-key", "k"], "no Typesense node given"),
    ],
)
def test_bad_cluster_settings_are_one_clear_error(extra, message):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELUSUR_TYPESENSE")}
    for command in (["build", str(DEMO_DIR)], ["stats"], ["delete", "x"]):
        done = indexer(*command, "--backend", "typesense", *extra, env=env)
        assert done.returncode == 3, (command, done.stdout, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_refused_key_and_missing_index_are_clear(fresh_node):
    wrong = indexer("stats", "--backend", "typesense", "--typesense", fresh_node.urls[0], "--typesense-key", "wrong")
    assert wrong.returncode == 3 and "refused the API key" in wrong.stderr
    empty = indexer("stats", *flags(fresh_node))
    assert empty.returncode == 3 and "holds no Telusur index" in empty.stderr and "Traceback" not in empty.stderr


def test_killed_build_completes_on_rerun_without_duplicates(fresh_node, sample_jsonl, sample_records):
    expected = {r["id"] for r in sample_records}
    args = ["build", str(sample_jsonl), "--quiet", "--batch-size", "20", *flags(fresh_node)]
    proc = subprocess.Popen([PYTHON, "-m", "indexer", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: (fresh_node.documents(0, "telusur_articles") or 0) >= 40, proc)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    partial = _settled_count(fresh_node)
    assert 0 < partial < len(expected), "the kill landed mid-build"
    rerun = indexer(*args)
    assert rerun.returncode == 0, rerun.stderr
    assert f"updated {partial}" in rerun.stdout, rerun.stdout
    assert sorted(_ids(fresh_node)) == sorted(expected)


def _settled_count(nodes) -> int:
    """The article count once an import the killed build had in flight is applied (or not)."""
    last = -1
    while True:
        now = nodes.documents(0, "telusur_articles")
        if now == last:
            return now
        last = now
        time.sleep(0.5)


def _wait_for(condition, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the build made no progress"
        time.sleep(0.05)


def _ids(nodes, i: int = 0) -> list[str]:
    """Every article id node ``i`` holds (its own export, not another node's)."""
    import urllib.request

    req = urllib.request.Request(
        f"{nodes.nodes[i].url}/collections/telusur_articles/documents/export?include_fields=id",
        headers={"X-TYPESENSE-API-KEY": nodes.api_key},
    )
    with urllib.request.urlopen(req, timeout=30) as response:
        lines = response.read().decode().splitlines()
    return [json.loads(line)["id"] for line in lines if line]
