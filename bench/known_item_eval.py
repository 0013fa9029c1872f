"""Known-item retrieval quality: MRR@10 and success@10 per query kind.

    python bench/known_item_eval.py [--index DIR] [--sources none,slang,synonym,related,all] [--show-misses]

``bench/known_items.jsonl`` holds queries written from one article's content
the way a reader would ask for it (not its title copied), each naming that
article's id and its kind:

- ``inflection``: the article's own words, in other inflections or order;
- ``paraphrase``: other words for the same thing (``duit`` for ``uang``,
  ``dikuburkan`` for ``dimakamkan``);
- ``colloquial``: everyday or slang spelling (``gak``, ``udah``, ``ngutang``).

Each query asks page 1 (10 hits) of the 22k index; the reciprocal rank of the
article (0 past 10) averages into MRR@10, its presence into success@10.
``--sources`` runs the set once per expansion configuration, so each source
is measured alone and together against no expansion at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.query_bench import CORPUS, OUT, ensure_index  # noqa: E402
from search.backends.whoosh.engine import WhooshEngine  # noqa: E402
from search.expand import SOURCES, Expander  # noqa: E402
from search.request import parse_request  # noqa: E402

ITEMS = ROOT / "bench" / "known_items.jsonl"
K = 10


def load_items(path: Path = ITEMS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rank_of(engine: WhooshEngine, query: str, target: str) -> int | None:
    """1-based rank of ``target`` in the first ``K`` hits, or None."""
    result = engine.search(parse_request({"q": [query], "per_page": [str(K)]}))
    for i, hit in enumerate(result.hits, 1):
        if hit.id == target:
            return i
    return None


def evaluate(engine: WhooshEngine, items: list[dict]) -> tuple[dict[str, tuple[float, float, int]], list[tuple]]:
    """Per kind (and "all"): (MRR@10, success@10, n); and the misses (kind, query, rank)."""
    rr: dict[str, list[float]] = defaultdict(list)
    misses = []
    for item in items:
        rank = rank_of(engine, item["q"], item["id"])
        value = 1.0 / rank if rank else 0.0
        rr[item["kind"]].append(value)
        rr["all"].append(value)
        if rank != 1:
            misses.append((item["kind"], item["q"], rank))
    table = {kind: (sum(v) / len(v), sum(1 for x in v if x > 0) / len(v), len(v)) for kind, v in rr.items()}
    return table, misses


def print_table(label: str, table: dict[str, tuple[float, float, int]]) -> None:
    cells = [f"{kind} {mrr:.3f}/{succ:.3f} (n={n})" for kind, (mrr, succ, n) in sorted(table.items())]
    print(f"{label:<10} MRR@10/success@10: " + "; ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an existing index of the 22k corpus")
    parser.add_argument(
        "--sources",
        default="none,slang,synonym,related,all",
        help="comma-separated configurations: none, all, a source, or sources joined by +",
    )
    parser.add_argument("--show-misses", action="store_true", help="print every query not ranked first")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    index_dir = args.index or ensure_index(CORPUS, OUT / "index-22k")
    items = load_items()
    for config in args.sources.split(","):
        engine = make_engine(index_dir, config)
        table, misses = evaluate(engine, items)
        print_table(config, table)
        if args.show_misses:
            for kind, query, rank in misses:
                print(f"   {kind:<10} {rank or '-':>2}  {query}")


def make_engine(index_dir: Path, config: str) -> WhooshEngine:
    """``none``: the query's own words; a source name: that source alone; ``all``: every source."""
    if config == "none":
        return WhooshEngine(index_dir, expander=None)
    return WhooshEngine(index_dir, expander=Expander(SOURCES if config == "all" else config.split("+")))


if __name__ == "__main__":
    main()
