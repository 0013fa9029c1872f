"""Whoosh vs Typesense (one node, a 3-node cluster) on the 22k corpus, in one run.

    python bench/backend_bench.py [--index DIR] [--items 300] [--nodes 1,3]

1. Builds: the 22k corpus into a Whoosh index (``bench/out/index-22k``, reused
   when present, as ``query_bench.py`` does) and, prepared once with the
   build's own preparation (extraction, analysis), imported into a fresh
   single node and a fresh 3-node cluster in 1,000-document upserts.
2. The query bench (``query_bench.cases()``: 58 requests, every facet, the
   histogram, multi-select) on each, p50/p95 wall and client CPU per request,
   the servers' CPU per request, and the ratios to Whoosh.
   The requests collapse by story (the default); the same requests with
   ``collapse=none`` are timed too, and the pages beside search: an entity's
   and a place's page (``profile``, the 10 most named of each), "more like
   this" (``similar``, 20 articles) and a story's versions (``story``, 20
   stories of several versions).
3. Resident memory per Typesense node.
4. Relevance on known-item queries: for ``--items`` articles, the three most
   common words of the title (the ambiguous, ranking-dependent case) must
   find that article; MRR@10 and success@1/@10 for Whoosh, Typesense's own
   order, and Typesense re-ranked at the top with Telusur's BM25F.

``--hostile`` runs only ``bench/hostile.py``'s requests on a fresh single
node instead: each one's answer (200 and its notice, 400 and its code, 503),
client CPU, the server's CPU, wall time and client + server CPU together (what
the 250 ms bound counts), and the worst of each.

Everything binds 127.0.0.1; nodes are stopped by pid at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from bench.query_bench import CORPUS, OUT, ROUNDS, Timings, cases, ensure_index  # noqa: E402
from cluster.client import Connection  # noqa: E402
from cluster.nodes import LocalCluster  # noqa: E402
from indexer.analysis import stop_words, tokens  # noqa: E402
from indexer.build import _die_with_parent, _warm_up  # noqa: E402
from indexer.sources import Article, iter_sources  # noqa: E402
from indexer.stories import StoryTable  # noqa: E402
from indexer.typesense.schema import SCHEMA_VERSION, STORY_FIELD  # noqa: E402
from indexer.typesense.sink import DEFAULT_BATCH_SIZE, Sink, prepare  # noqa: E402
from search.backends.typesense.engine import TypesenseEngine  # noqa: E402
from search.backends.whoosh.engine import WhooshEngine  # noqa: E402
from search.profile import PROFILE_FACETS  # noqa: E402
from search.request import parse_request  # noqa: E402

PREPARED = OUT / f"typesense-22k-v{SCHEMA_VERSION}.jsonl"
PAGE_SUBJECTS = 10  # names of each kind for the profile timings
PAGE_ITEMS = 20  # articles for similar, stories for story
SNAPSHOT_OFF_S = 24 * 3600  # a single bench node's Raft snapshot interval


def prepared_documents() -> list[dict]:
    """The 22k corpus as Typesense documents with their stories, prepared once (cached in ``bench/out``)."""
    if PREPARED.exists():
        with PREPARED.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    print("preparing the 22k corpus for Typesense (extraction + analysis, 2 processes) ...", flush=True)
    _warm_up()
    started = time.perf_counter()
    articles = [a for a in iter_sources([CORPUS]) if isinstance(a, Article)]
    with multiprocessing.Pool(min(2, os.cpu_count() or 1), initializer=_die_with_parent) as pool:
        prepared = [d for d in pool.imap(prepare, articles, chunksize=16) if not isinstance(d, str)]
    table = StoryTable(None)  # the build's story assignment, in corpus order
    stories = table.assign([(doc["id"], fp) for doc, fp in prepared]).stories
    docs = [{**doc, STORY_FIELD: stories[doc["id"]]} for doc, _fp in prepared]
    print(f"  {len(docs)} documents prepared in {time.perf_counter() - started:.1f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with PREPARED.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return docs


def server_cpu_seconds(cluster: LocalCluster) -> float:
    """User + system CPU seconds the cluster's processes have used so far."""
    total = 0
    for node in cluster.nodes:
        fields = Path(f"/proc/{node.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load(cluster: LocalCluster, docs: list[dict]) -> tuple[float, float]:
    """Import ``docs``: (seconds until the last batch was acknowledged, seconds until every node holds all)."""
    sink = Sink(Connection(tuple(cluster.urls), cluster.api_key))
    sink.ensure_collections()
    started = time.perf_counter()
    for start in range(0, len(docs), DEFAULT_BATCH_SIZE):
        refused = sink.upsert(docs[start : start + DEFAULT_BATCH_SIZE])
        assert not refused, refused[:1]
    sink.bump_generation()
    acknowledged = time.perf_counter() - started
    counts = cluster.wait_documents(sink.articles, len(docs), timeout=300)
    assert counts == [len(docs)] * cluster.size, counts
    return acknowledged, time.perf_counter() - started


@contextmanager
def typesense_22k() -> Iterator[tuple[LocalCluster, Connection]]:
    """A fresh single node holding the 22k corpus (``prepared_documents``), stopped by pid on exit."""
    docs = prepared_documents()
    # No Raft snapshot while requests are timed: one of 22k articles costs the node more CPU than
    # any request, and would land in whichever request's figures it falls.
    with LocalCluster(1, snapshot_interval=SNAPSHOT_OFF_S) as cluster:
        acked, _ = load(cluster, docs)
        print(f"typesense 1 node import {len(docs)} docs: {acked:.1f} s", flush=True)
        yield cluster, Connection(tuple(cluster.urls), cluster.api_key)


def query_bench(engine, requests) -> Timings:
    for r in requests:  # first pass: caches warm up
        engine.search(r)
    times = Timings()
    for _ in range(ROUNDS):
        for r in requests:
            times.time(engine.search, r)
    return times


def page_cases(whoosh, docs: list[dict]) -> dict[str, list[tuple]]:
    """Per page kind, the (method, *args) calls to time: the same on every engine."""
    facets = whoosh.search(parse_request({})).facets
    rng = random.Random(12)
    sizes: dict[str, int] = {}
    for doc in docs:
        sizes[doc[STORY_FIELD]] = sizes.get(doc[STORY_FIELD], 0) + 1
    several = sorted(s for s, n in sizes.items() if n > 1)
    return {
        "profile": [("profile", f, v.value) for f in PROFILE_FACETS for v in facets[f][:PAGE_SUBJECTS]],
        "similar": [("similar", d["id"]) for d in rng.sample(docs, PAGE_ITEMS)],
        "story": [("story", s) for s in rng.sample(several, min(PAGE_ITEMS, len(several)))],
    }


def page_bench(engine, calls: list[tuple]) -> Timings:
    for name, *args in calls:  # first pass: caches warm up
        getattr(engine, name)(*args)
    times = Timings()
    for _ in range(ROUNDS):
        for name, *args in calls:
            times.time(getattr(engine, name), *args)
    return times


def pages(engine, label: str, requests_none, pages_cases, reference: dict | None) -> dict[str, Timings]:
    """Times of the uncollapsed requests and of each page kind, printed (with the ratio to ``reference``)."""
    out = {"collapse=none": query_bench(engine, requests_none)}
    out.update({kind: page_bench(engine, calls) for kind, calls in pages_cases.items()})
    for kind, times in out.items():
        ratio = ""
        if reference is not None:
            (wp50, wp95), (tp50, tp95) = reference[kind].p50_p95("wall"), times.p50_p95("wall")
            ratio = f"; /whoosh {tp50 / wp50:.1f}x at p50, {tp95 / wp95:.1f}x at p95"
        print(times.line(f"{label} {kind:<14}") + ratio, flush=True)
    return out


def known_items(docs: list[dict], vocab, n: int) -> list[tuple[str, str]]:
    """(query, id): the three most common title words (document frequency >= 2) of ``n`` articles."""
    rng = random.Random(22)
    stops = stop_words()
    out = []
    for doc in rng.sample(docs, len(docs)):
        words = [w for w in dict.fromkeys(tokens(doc["title"])) if w.isalpha() and len(w) >= 3 and w not in stops]
        words = sorted(words, key=lambda w: -vocab.doc_frequency(w))
        words = [w for w in words if vocab.doc_frequency(w) >= 2][:3]
        if len(words) == 3:
            out.append((" ".join(words), doc["id"]))
        if len(out) == n:
            break
    return out


def relevance(engine, items: list[tuple[str, str]]) -> str:
    reciprocal, at1, at10 = 0.0, 0, 0
    for query, target in items:
        ids = [h.id for h in engine.search(parse_request({"q": [query]})).hits]
        if target in ids:
            rank = ids.index(target) + 1
            reciprocal += 1 / rank
            at1 += rank == 1
            at10 += 1
    n = len(items)
    return f"MRR@10 {reciprocal / n:.3f}, success@1 {at1 / n:.3f}, success@10 {at10 / n:.3f}"


def hostile() -> None:
    """``bench/hostile.py``'s cases on a fresh 22k node, expanded (the engine's default), each asked twice."""
    from bench.hostile import CPU_BOUND_MS, hostile_cases
    from search.model import BackendDown, SearchError

    with HostMeter() as meter, typesense_22k() as (cluster, connection):
        engine = TypesenseEngine(connection, check_interval=60)
        worst: dict[str, tuple[float, str]] = {}
        for label, params in hostile_cases():
            for run in ("cold", "warm"):  # the same request twice
                client, server, wall = time.thread_time(), server_cpu_seconds(cluster), time.perf_counter()
                try:
                    answer = f"200 notice={engine.search(parse_request(params)).notice}"
                except SearchError as e:
                    answer = f"400 {e.code}"
                except BackendDown:
                    answer = "503"
                figures = {
                    "client CPU": (time.thread_time() - client) * 1000,
                    "server CPU": (server_cpu_seconds(cluster) - server) * 1000,
                    "wall": (time.perf_counter() - wall) * 1000,
                }
                figures["together"] = figures["client CPU"] + figures["server CPU"]  # what the bound counts
                print(f"  hostile {label:<34} {run} " + ", ".join(f"{k} {v:6.1f} ms" for k, v in figures.items()) + f"  {answer}", flush=True)
                for k, v in figures.items():
                    if v > worst.get(k, (0.0, ""))[0]:
                        worst[k] = (v, f"{label}, {run}")
        print("worst: " + "; ".join(f"{k} {v:.1f} ms ({label})" for k, (v, label) in worst.items()))
        together = worst["together"][0]
        print(f"worst CPU client+server: {together:.1f} ms (bound {CPU_BOUND_MS}: {'met' if together <= CPU_BOUND_MS else 'MISSED'})")
        engine.close()
    print(meter.line())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=OUT / "index-22k", help="the Whoosh index (built if missing)")
    parser.add_argument("--items", type=int, default=300, help="known-item queries for the relevance comparison (0: none)")
    parser.add_argument("--nodes", default="1,3", help="the Typesense cluster sizes to run (default 1,3)")
    parser.add_argument("--hostile", action="store_true", help="only bench/hostile.py's requests, on one node")
    args = parser.parse_args()
    if args.hostile:
        hostile()
        return 0

    with HostMeter() as meter:
        started = time.perf_counter()
        whoosh_dir = ensure_index(CORPUS, args.index)
        print(f"whoosh index ready in {time.perf_counter() - started:.1f} s ({whoosh_dir})", flush=True)
        docs = prepared_documents()
        requests = [parse_request(p) for p in cases()]
        requests_none = [parse_request({**p, "collapse": ["none"]}) for p in cases()]
        whoosh = WhooshEngine(whoosh_dir)
        results = {"whoosh": query_bench(whoosh, requests)}
        print(results["whoosh"].line("whoosh              ") + " (collapse=story)", flush=True)
        pages_cases = page_cases(whoosh, docs)
        whoosh_pages = pages(whoosh, "whoosh              ", requests_none, pages_cases, None)
        relevance_lines = {}
        items: list = []
        for size in map(int, args.nodes.split(",")):
            label = "typesense 1 node    " if size == 1 else "typesense 3 nodes   "
            with LocalCluster(size) as cluster:
                acked, everywhere = load(cluster, docs)
                print(f"{label} import {len(docs)} docs: {acked:.1f} s acknowledged, {everywhere:.1f} s on every node", flush=True)
                engine = TypesenseEngine(Connection(tuple(cluster.urls), cluster.api_key), check_interval=60)
                cpu_before = server_cpu_seconds(cluster)
                times = query_bench(engine, requests)
                server_ms = (server_cpu_seconds(cluster) - cpu_before) * 1000 / (len(requests) * (ROUNDS + 1))
                results[label] = times
                wp50, wp95 = results["whoosh"].p50_p95("wall")
                tp50, tp95 = times.p50_p95("wall")
                print(
                    f"{times.line(label)} (collapse=story); server CPU {server_ms:.1f} ms a request;"
                    f" /whoosh {tp50 / wp50:.1f}x at p50, {tp95 / wp95:.1f}x at p95",
                    flush=True,
                )
                pages(engine, label, requests_none, pages_cases, whoosh_pages)
                rss = [cluster.rss_bytes(i) / 2**20 for i in range(size)]
                print(f"{label} RSS per node: " + ", ".join(f"{r:.0f} MiB" for r in rss), flush=True)
                if size == 1 and args.items:
                    items = known_items(docs, engine.vocabulary(), args.items)
                    relevance_lines["whoosh"] = relevance(whoosh, items)
                    relevance_lines["typesense, its own order"] = relevance(
                        TypesenseEngine(engine.cluster.connection, check_interval=60, rerank_k=0), items
                    )
                    relevance_lines["typesense, top 50 re-ranked"] = relevance(engine, items)
                    relevance_lines["typesense, top 100 re-ranked"] = relevance(
                        TypesenseEngine(engine.cluster.connection, check_interval=60, rerank_k=100), items
                    )
                engine.close()
        if items:
            print(f"relevance, {len(items)} known-item queries (three most common title words):")
        for name, line in relevance_lines.items():
            print(f"  {name:<30}{line}")
    print(meter.line())
    print(f"bench CPU {meter.cpu_seconds:.0f} s, wall {meter.wall_seconds:.0f} s (client side; servers are separate processes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
