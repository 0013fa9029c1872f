"""Known-item retrieval quality: MRR@10 and success@10 per query kind, on a dev and a test part.

    python bench/known_item_eval.py [--index DIR] [--sources none,slang,synonym,related,feedback,default,all]
                                    [--items FILE] [--split dev,test] [--show-misses] [--backend typesense]

``bench/known_items.jsonl`` holds queries written from one article's content
the way a reader would ask for it (not its title copied), each naming that
article's id and its kind:

- ``inflection``: the article's own words, in other inflections or order;
- ``paraphrase``: other words for the same thing (``duit`` for ``uang``,
  ``dikuburkan`` for ``dimakamkan``);
- ``colloquial``: everyday or slang spelling (``gak``, ``udah``, ``ngutang``).

The set is split by a hash of the target article's id (``split_of``): tune on
``dev`` only and read ``test`` as the estimate of unseen queries (the split
is stable when a query is rewritten). Each query asks page 1 (10 hits) of the
22k index; the target counts as found where it is a hit or another version of
a hit's story (the page shows one version per story), or one of the item's
``also``: other outlets' reports of the same event that answer the query as
well as the target (judged by reading them; the story table groups only some
of them). The reciprocal rank
(0 past 10) averages into MRR@10, its presence into success@10. ``--sources``
runs the set once per expansion configuration, so each source is measured
alone and together against no expansion at all; each configuration also
prints the CPU time of one request (p50/p95, this thread's CPU, which the
host's steal does not inflate). ``--backend typesense`` asks a fresh
single Typesense node holding the 22k corpus instead (started and stopped
here, ``bench/backend_bench.typesense_22k``), and adds the server's CPU per
request.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from bench.query_bench import CORPUS, OUT, ensure_index  # noqa: E402
from search.backends.whoosh.engine import WhooshEngine  # noqa: E402
from search.expand import DEFAULT_SOURCES, SOURCES, Expander  # noqa: E402
from search.request import parse_request  # noqa: E402

ITEMS = ROOT / "bench" / "known_items.jsonl"
K = 10
SPLITS = ("dev", "test")


def load_items(path: Path = ITEMS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(item: dict) -> str:
    """``dev`` or ``test``, by the target id's hash: half and half, the same on every machine."""
    return SPLITS[int(hashlib.sha1(item["id"].encode()).hexdigest(), 16) % 2]


def rank_of(engine: WhooshEngine, query: str, targets: set[str]) -> tuple[int | None, float]:
    """1-based rank of the first of ``targets`` (or of its story) in the first ``K`` hits, or None; and the request's CPU seconds."""
    request = parse_request({"q": [query], "per_page": [str(K)]})
    started = time.thread_time()
    result = engine.search(request)
    cpu = time.thread_time() - started
    for i, hit in enumerate(result.hits, 1):
        versions = {hit.id} | {v["id"] for v in (hit.story or {}).get("others", ())}
        if targets & versions:
            return i, cpu
    return None, cpu


Table = dict[str, tuple[float, float, int]]


def evaluate(engine: WhooshEngine, items: list[dict]) -> tuple[dict[str, Table], list[tuple], list[float]]:
    """Per split (and "all"), per kind (and "all"): (MRR@10, success@10, n); the misses; CPU seconds per query."""
    rr: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    misses, cpu = [], []
    for item in items:
        rank, seconds = rank_of(engine, item["q"], {item["id"], *item.get("also", ())})
        cpu.append(seconds)
        value = 1.0 / rank if rank else 0.0
        for part in (split_of(item), "all"):
            rr[part][item["kind"]].append(value)
            rr[part]["all"].append(value)
        if rank != 1:
            misses.append((split_of(item), item["kind"], item["q"], rank))
    tables = {
        part: {kind: (sum(v) / len(v), sum(1 for x in v if x > 0) / len(v), len(v)) for kind, v in kinds.items()}
        for part, kinds in rr.items()
    }
    return tables, misses, cpu


def print_table(label: str, part: str, table: Table) -> None:
    order = ("inflection", "paraphrase", "colloquial", "all")
    cells = [f"{kind} {table[kind][0]:.3f}/{table[kind][1]:.3f} (n={table[kind][2]})" for kind in order if kind in table]
    print(f"{label:<16} {part:<4} MRR@10/success@10: " + "; ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an existing index of the 22k corpus")
    parser.add_argument(
        "--sources",
        default="none,slang,synonym,related,feedback,default,all",
        help="comma-separated configurations: none, default, all, a source, or sources joined by +",
    )
    parser.add_argument("--items", type=Path, default=ITEMS, help="a known-item file (default: bench/known_items.jsonl)")
    parser.add_argument("--split", default="dev,test", help="which parts to print: dev, test, all (comma-separated)")
    parser.add_argument("--show-misses", action="store_true", help="print every query not ranked first")
    parser.add_argument("--backend", choices=("whoosh", "typesense"), default="whoosh")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    typesense = args.backend == "typesense"
    index_dir = None if typesense else args.index or ensure_index(CORPUS, OUT / "index-22k")
    items = load_items(args.items)
    parts = args.split.split(",")
    if typesense:
        from bench.backend_bench import server_cpu_seconds, typesense_22k
    with HostMeter() as host, (typesense_22k() if typesense else nullcontext()) as node:
        for config in args.sources.split(","):
            engine = make_engine(node[1] if typesense else index_dir, config)
            evaluate(engine, items[:5])  # warm the generation's caches: the CPU figures are per request
            server = server_cpu_seconds(node[0]) if typesense else 0.0
            tables, misses, cpu = evaluate(engine, items)
            for part in parts:
                print_table(config, part, tables[part])
            ms = np.percentile(np.array(cpu) * 1000, [50, 95])
            extra = f", server {(server_cpu_seconds(node[0]) - server) * 1000 / len(items):.1f} ms mean" if typesense else ""
            print(f"{config:<16} CPU per request: p50 {ms[0]:.1f} ms, p95 {ms[1]:.1f} ms (n={len(cpu)}){extra}", flush=True)
            if args.show_misses:
                for part, kind, query, rank in misses:
                    if part in parts or "all" in parts:
                        print(f"   {part:<4} {kind:<10} {rank or '-':>2}  {query}")
            engine.close()
    print(host.line())


def make_engine(index, config: str):
    """``none``: the query's own words; a source name: that source alone; ``default``: what the engine
    uses unless told (``search.expand.DEFAULT_SOURCES``); ``all``: every source.

    ``index``: a Whoosh index folder, or a ``cluster.client.Connection`` to a Typesense node."""
    named = {"all": SOURCES, "default": DEFAULT_SOURCES}
    expander = None if config == "none" else Expander(named.get(config) or config.split("+"))
    if isinstance(index, Path):
        return WhooshEngine(index, expander=expander)
    from search.backends.typesense.engine import TypesenseEngine

    return TypesenseEngine(index, check_interval=60, expander=expander)


if __name__ == "__main__":
    main()
