"""Entity and place pages, "more like this" and collapsed search on the 22k index: p50/p95.

    .venv/bin/python bench/pages_bench.py --index DIR   # an index of ../shared/corpus/berita-22k.jsonl
    .venv/bin/python bench/pages_bench.py               # builds one in a temporary folder first

Times, on one warm engine, ``profile`` for the 60 most frequent people and
organisations and 40 places (plus 40 names picked further down the list),
``similar`` for 100 articles spread over the index, and the query bench's
requests with ``collapse=story`` and with ``collapse=none``. Targets: p95 <=
100 ms for pages, <= 50 ms for similar. Prints wall and CPU time and the host's
steal (wall time is inflated by the neighbours' load, CPU time is not).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from bench.query_bench import CORPUS, ROUNDS, Timings, cases  # noqa: E402
from indexer.build import build_index  # noqa: E402
from search.backends.whoosh.engine import WhooshEngine  # noqa: E402
from search.request import parse_request  # noqa: E402


def names(engine: WhooshEngine, facet: str, top: int, tail: int) -> list[str]:
    """The ``top`` most frequent values of a facet and ``tail`` spread over the rest."""
    result = engine.search(parse_request({f"facet_limit.{facet}": ["500"]}))
    values = [v.value for v in result.facets[facet]]
    rest = values[top:]
    step = max(1, len(rest) // max(1, tail))
    return values[:top] + rest[::step][:tail]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=None)
    args = parser.parse_args()
    folder = None
    if args.index is None:
        folder = Path(tempfile.mkdtemp(prefix="telusur-pages-"))
        build_index([CORPUS], folder / "ix", progress=True)
        args.index = folder / "ix"
    try:
        engine = WhooshEngine(args.index)
        people = names(engine, "entity", 60, 20)
        places = names(engine, "location", 40, 20)
        docs = [h.id for h in engine.search(parse_request({"per_page": ["100"], "sort": ["newest"]})).hits]
        requests = [parse_request(p) for p in cases()]
        flat = [parse_request({**p, "collapse": ["none"]}) for p in cases()]
        pages, similar, collapsed, plain = Timings(), Timings(), Timings(), Timings()
        with HostMeter() as host:
            for round_ in range(ROUNDS + 1):
                timed = round_ > 0  # the first round warms the caches
                for name in people:
                    (pages.time if timed else _call)(engine.profile, "entity", name)
                for name in places:
                    (pages.time if timed else _call)(engine.profile, "location", name)
                for doc_id in docs:
                    (similar.time if timed else _call)(engine.similar, doc_id)
                for r in requests:
                    (collapsed.time if timed else _call)(engine.search, r)
                for r in flat:
                    (plain.time if timed else _call)(engine.search, r)
        print(f"index            {args.index} ({engine.stats()['documents']} documents)")
        print(pages.line(f"entity/place pages ({len(people) + len(places)} names x {ROUNDS})", " (target p95 <= 100 ms)"))
        print(similar.line(f"similar ({len(docs)} articles x {ROUNDS})", " (target p95 <= 50 ms)"))
        print(collapsed.line(f"search, collapse=story ({len(requests)} requests x {ROUNDS})"))
        print(plain.line(f"search, collapse=none  ({len(flat)} requests x {ROUNDS})"))
        print(host.line())
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _call(run, *args) -> None:
    run(*args)


if __name__ == "__main__":
    sys.exit(main())
