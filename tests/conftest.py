"""Session fixtures: real indexes built once from real articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "demo"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "berita-22k.jsonl"
NER_DATA = SHARED / "ner" / "nergrit-train.bio"
# Every 60th record: ~390 articles spread over all outlets and both years.
SAMPLE_STEP = 60


def corpus_records(step: int = SAMPLE_STEP) -> list[dict]:
    """A deterministic sample of the 22k corpus."""
    out = []
    with CORPUS.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % step == 0:
                out.append(json.loads(line))
    return out


@pytest.fixture(scope="session")
def sample_records() -> list[dict]:
    return corpus_records()


@pytest.fixture(scope="session")
def sample_jsonl(tmp_path_factory, sample_records) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "sample.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for rec in sample_records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the five demo articles; read-only for tests."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("seed_index")
    build_index([DEMO_DIR], index_dir)
    return index_dir


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_jsonl) -> Path:
    """An index of the corpus sample; read-only for tests (copy it to mutate)."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("sample_index")
    build_index([sample_jsonl], index_dir)
    return index_dir


# --- Typesense: real server processes on free loopback ports, stopped by pid ---------------


@pytest.fixture(scope="session")
def typesense_node():
    """One Typesense node (~0.3 s to start) for everything that does not need a cluster."""
    from cluster.nodes import LocalCluster

    with LocalCluster(1) as node:
        yield node


@pytest.fixture(scope="session")
def typesense_cluster():
    """One 3-node cluster per session (~12 s to elect a leader); tests that kill a node restart it."""
    from cluster.nodes import LocalCluster

    with LocalCluster(3) as cluster:
        yield cluster


def _typesense_index(node, sources: list, prefix: str):
    """``sources`` built into ``<prefix>_*`` collections on ``node``; the connection to search them."""
    from cluster.client import Connection
    from indexer.typesense.sink import Sink, build_typesense

    connection = Connection(tuple(node.urls), node.api_key)
    build_typesense([str(s) for s in sources], Sink(connection, prefix), warn=lambda message: None)
    return connection


@pytest.fixture(scope="session")
def typesense_seed(typesense_node):
    """The five demo articles in Typesense (prefix ``seed``); read-only for tests."""
    return _typesense_index(typesense_node, [DEMO_DIR], "seed")


@pytest.fixture(scope="session")
def typesense_sample(typesense_node, sample_jsonl):
    """The corpus sample in Typesense (prefix ``sample``); read-only for tests."""
    return _typesense_index(typesense_node, [sample_jsonl], "sample")


BACKENDS = ("whoosh", "typesense")


def app_config(request, backend: str, which: str) -> dict:
    """``create_app`` config serving the ``seed`` or ``sample`` index from ``backend``."""
    if backend == "whoosh":
        return {"INDEX_DIR": str(request.getfixturevalue(f"{which}_index")), "TESTING": True}
    from search.backends.typesense.engine import TypesenseEngine

    engine = TypesenseEngine(request.getfixturevalue(f"typesense_{which}"), prefix=which, check_interval=0)
    return {"ENGINE": engine, "TESTING": True}
