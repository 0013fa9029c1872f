"""Faults on a real 3-node cluster: the leader SIGKILLed during an import.

The import must finish (batches refused while there is no leader are
retried), and after the killed node is restarted every node must hold every
acknowledged article: counted, and compared id by id, on each node itself.
"""

from __future__ import annotations

import subprocess

from conftest import ROOT
from test_typesense_indexer import PYTHON, _ids, _wait_for, flags

ARTICLES = "telusur_articles"


def test_import_survives_a_leader_kill(typesense_cluster, sample_jsonl, sample_records):
    cluster = typesense_cluster
    expected = sorted({r["id"] for r in sample_records})
    args = ["-m", "indexer", "build", str(sample_jsonl), "--quiet", "--batch-size", "10", *flags(cluster)]
    proc = subprocess.Popen([PYTHON, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    leader = cluster.leader()
    assert leader is not None
    try:
        _wait_for(lambda: (cluster.documents(leader, ARTICLES) or 0) >= 60, proc)
        cluster.kill(leader)
        assert proc.poll() is None, "the leader died mid-import"
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"{len(expected)} documents in the index" in out, out

    cluster.start_node(leader)
    cluster.wait_ready()
    counts = cluster.wait_documents(ARTICLES, len(expected))
    assert counts == [len(expected)] * 3, f"documents per node after the restart: {counts}"
    for i in range(3):
        assert sorted(_ids(cluster, i)) == expected, f"node {i} differs"
