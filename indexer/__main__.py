"""`python -m indexer build|delete|stats|extract`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

DEFAULT_INDEX = Path("index_data") / "default"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Build and manage a Telusur index.")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="add or update articles (by id) from .jsonl/.csv files and .txt folders")
    build.add_argument("sources", nargs="+", help="a .jsonl or .csv file, or a folder of .txt articles")
    build.add_argument("--index", type=Path, default=DEFAULT_INDEX, help=f"index folder (default {DEFAULT_INDEX})")
    build.add_argument("--workers", type=int, default=None, help="worker processes (default: 2 or the CPU count)")
    build.add_argument("--batch-size", type=int, default=None, help="articles per commit")
    build.add_argument("--wait", type=float, default=600.0, help="seconds to wait for another build's lock")
    build.add_argument("--quiet", action="store_true", help="no progress bar")

    delete = sub.add_parser("delete", help="remove documents by id")
    delete.add_argument("ids", nargs="+")
    delete.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    delete.add_argument("--wait", type=float, default=60.0)

    stats = sub.add_parser("stats", help="documents, fields, facet cardinalities, size on disk")
    stats.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    stats.add_argument("--json", action="store_true")

    extract = sub.add_parser("extract", help="JSON lines {id, text, date} on stdin -> people, organizations, locations, dates")
    extract.add_argument("--index", type=Path, help="canonicalise through this index's corpus alias table")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "build":
        return _build(args)
    if args.command == "delete":
        return _delete(args)
    if args.command == "stats":
        return _stats(args)
    from indexer.extract.cli import run
    from indexer.extract.corpus_aliases import AliasTable

    table = AliasTable.load(args.index) if args.index else None
    return run(sys.stdin, sys.stdout, sys.stderr, table)


def _build(args) -> int:
    from indexer.build import DEFAULT_BATCH_SIZE, IndexLocked, build_index

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    try:
        summary = build_index(
            args.sources,
            args.index,
            progress=not args.quiet,
            workers=args.workers,
            batch_size=args.batch_size or DEFAULT_BATCH_SIZE,
            lock_wait=args.wait,
            warn=warn,
        )
    except IndexLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(summary.line())
    return 0 if summary.indexed + summary.updated or not summary.skipped else 1


def _delete(args) -> int:
    from indexer.build import IndexLocked, delete_documents
    from indexer.stats import require_index

    try:
        require_index(args.index)
        removed = delete_documents(args.index, args.ids, lock_wait=args.wait)
    except (IndexLocked, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    missing = len(set(args.ids)) - removed
    print(f"deleted {removed} document(s)" + (f"; {missing} id(s) not found" if missing > 0 else ""))
    return 0


def _stats(args) -> int:
    import json

    from indexer.stats import format_stats, index_stats, require_index

    try:
        require_index(args.index)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    stats = index_stats(args.index)
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.json else format_stats(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
