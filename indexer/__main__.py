"""`python -m indexer build|delete|stats|extract`; ``--backend`` chooses where the index lives."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from indexer.backends import DEFAULT_INDEX, BackendUnavailable, add_backend_arguments, backend_config, open_sink


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Build and manage a Telusur index.")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="add or update articles (by id) from .jsonl/.csv files and .txt folders")
    build.add_argument("sources", nargs="+", help="a .jsonl or .csv file, or a folder of .txt articles")
    add_backend_arguments(build, DEFAULT_INDEX)
    build.add_argument("--workers", type=int, default=None, help="worker processes (default: 2 or the CPU count)")
    build.add_argument("--batch-size", type=int, default=None, help="articles per commit")
    build.add_argument("--wait", type=float, default=600.0, help="seconds to wait for another build's lock")
    build.add_argument("--quiet", action="store_true", help="no progress bar")

    delete = sub.add_parser("delete", help="remove documents by id")
    delete.add_argument("ids", nargs="+")
    add_backend_arguments(delete, DEFAULT_INDEX)
    delete.add_argument("--wait", type=float, default=60.0)

    stats = sub.add_parser("stats", help="documents, fields, facet cardinalities, size on disk")
    add_backend_arguments(stats, DEFAULT_INDEX)
    stats.add_argument("--json", action="store_true")

    extract = sub.add_parser("extract", help="JSON lines {id, text, date} on stdin -> people, organizations, locations, dates")
    extract.add_argument("--index", type=Path, help="canonicalise through this index's corpus alias table")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "extract":
        from indexer.extract.cli import run
        from indexer.extract.corpus_aliases import AliasTable

        table = AliasTable.load(args.index) if args.index else None
        return run(sys.stdin, sys.stdout, sys.stderr, table)
    config = backend_config(args)
    if config.name == "typesense":  # its own runner (exit 3 on a cluster error) until it registers a Sink in SINKS
        from indexer.typesense.cli import run_typesense

        return run_typesense(args)
    try:
        sink = open_sink(config)
    except BackendUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return {"build": _build, "delete": _delete, "stats": _stats}[args.command](sink, args)


def _build(sink, args) -> int:
    from indexer.build import DEFAULT_BATCH_SIZE, IndexLocked

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    try:
        summary = sink.build(
            args.sources,
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


def _delete(sink, args) -> int:
    from indexer.build import IndexLocked

    try:
        removed = sink.delete(args.ids, lock_wait=args.wait)
    except (IndexLocked, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    missing = len(set(args.ids)) - removed
    print(f"deleted {removed} document(s)" + (f"; {missing} id(s) not found" if missing > 0 else ""))
    return 0


def _stats(sink, args) -> int:
    import json

    from indexer.stats import format_stats

    try:
        stats = sink.stats()
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.json else format_stats(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
