"""Serving from Typesense through the real web app: faults, and what a user sees when the cluster is down.

* the leader SIGKILLed during a stream of queries through ``python -m web``
  (waitress) on a 3-node cluster: every query answers 200 with the right
  total, and the restarted node catches up;
* a cluster down while serving: 503 ``backend_unavailable`` in JSON and an
  Indonesian message on the page, never a 500;
* a cluster unreachable at start: one clear error and a non-zero exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT
from test_typesense_indexer import flags
from test_web_cli import fetch, free_port

ARTICLES = "telusur_articles"
QUERIES = ("jakarta", "presiden", "banjir", "polisi", "")


def ensure_sample(cluster, sample_jsonl, expected: int) -> None:
    """The sample in the cluster's default collection (another test may have built it already)."""
    from cluster.client import Connection
    from indexer.typesense.sink import Sink, build_typesense

    if cluster.documents(cluster.leader() or 0, ARTICLES) != expected:
        build_typesense([str(sample_jsonl)], Sink(Connection(tuple(cluster.urls), cluster.api_key)), warn=lambda m: None)
    assert cluster.wait_documents(ARTICLES, expected) == [expected] * cluster.size


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_queries_survive_a_leader_kill(typesense_cluster, sample_jsonl, sample_records):
    cluster = typesense_cluster
    articles = len({r["id"] for r in sample_records})
    ensure_sample(cluster, sample_jsonl, articles)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "web", *flags(cluster), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/api/search?q="
    try:
        fetch(base, time.monotonic() + 60)
        expected = {q: get(base + q)[1]["total"] for q in QUERIES}
        leader = cluster.leader()
        answered, failures = 0, []
        killed_at = None
        stop = time.monotonic() + 120
        # Bounded: until 15 s after the kill (a new leader takes 6-9 s), two minutes at most.
        while time.monotonic() < stop and (killed_at is None or time.monotonic() < killed_at + 15):
            for q in QUERIES:
                status, body = get(base + q)
                answered += 1
                if status != 200 or body.get("total") != expected[q]:
                    failures.append((q, status, body.get("total"), body.get("error")))
            if killed_at is None and answered >= 20:
                cluster.kill(leader)
                killed_at = time.monotonic()
        assert killed_at is not None and answered > 40
        assert failures == [], f"{len(failures)} of {answered} queries failed: {failures[:5]}"

        cluster.start_node(leader)
        cluster.wait_ready()
        assert cluster.wait_documents(ARTICLES, articles) == [articles] * 3, "the restarted node caught up"
        for q in QUERIES:  # the restarted node serves its share again, with the same answers
            for _ in range(cluster.size):
                status, body = get(base + q)
                assert status == 200 and body["total"] == expected[q]
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert b"Traceback" not in server.stderr.read()


def test_cluster_down_while_serving_is_503_and_explained(sample_jsonl):
    from cluster.client import Connection
    from cluster.nodes import LocalCluster
    from indexer.typesense.sink import Sink, build_typesense
    from search.backends.typesense.engine import TypesenseEngine
    from web import create_app

    with LocalCluster(1) as node:
        connection = Connection(tuple(node.urls), node.api_key)
        build_typesense([str(ROOT / "demo")], Sink(connection), warn=lambda m: None)
        engine = TypesenseEngine(connection)
        client = create_app({"ENGINE": engine, "TESTING": True}).test_client()
        assert client.get("/api/search?q=putin").status_code == 200
        node.stop_node(0)
        engine.cluster.read_deadline = 1.0  # the test need not wait out a leader election
        response = client.get("/api/search?q=putin")
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "backend_unavailable"
        assert response.get_json()["error"]["message"]
        page = client.get("/?q=putin")
        assert page.status_code == 503 and "tidak tersedia" in page.get_data(as_text=True)
        assert client.get("/api/documents/x").status_code == 503


def test_cluster_unreachable_at_start_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELUSUR_TYPESENSE")}
    done = subprocess.run(
        [sys.executable, "-m", "web", "--backend", "typesense", "--typesense", f"http://127.0.0.1:{free_port()}",
         "--typesense-key", "k", "--port", str(free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env=env,
    )
    assert done.returncode != 0
    assert "no Typesense node is reachable" in done.stderr and "Traceback" not in done.stderr, done.stderr
