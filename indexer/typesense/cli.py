"""``python -m indexer build|delete|stats --backend typesense``: the same commands, on a cluster.

A cluster that cannot be reached, a refused key or bad URLs end with one
``error:`` line and exit status 3, never a traceback.
"""

from __future__ import annotations

import json
import sys

from typesense.exceptions import ObjectNotFound

from cluster.client import ConfigError, Connection, Unavailable
from indexer.typesense.sink import DEFAULT_BATCH_SIZE, SchemaMismatch, Sink, build_typesense


def run_typesense(args) -> int:
    try:
        sink = Sink(Connection.from_options(args.typesense, args.typesense_key))
        if args.command == "build":
            return _build(sink, args)
        if args.command == "delete":
            return _delete(sink, args)
        return _stats(sink, args)
    except (ConfigError, Unavailable, SchemaMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except ObjectNotFound:
        print(f"error: the cluster holds no Telusur index ({sink.articles}); build one with"
              " `python -m indexer build SOURCE --backend typesense`", file=sys.stderr)
        return 3


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _build(sink: Sink, args) -> int:
    summary = build_typesense(
        args.sources,
        sink,
        progress=not args.quiet,
        workers=args.workers,
        batch_size=args.batch_size or DEFAULT_BATCH_SIZE,
        warn=_warn,
    )
    print(summary.line())
    return 0 if summary.indexed + summary.updated or not summary.skipped else 1


def _delete(sink: Sink, args) -> int:
    sink.cluster.require()
    removed = sink.delete(args.ids)
    missing = len(set(args.ids)) - removed
    print(f"deleted {removed} document(s)" + (f"; {missing} id(s) not found" if missing > 0 else ""))
    return 0


def _stats(sink: Sink, args) -> int:
    sink.cluster.require()
    stats = sink.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    lines = [f"index      {stats['index']}", f"documents  {stats['documents']}", "facets"]
    for name, facet in stats["facets"].items():
        top = "; ".join(f"{v} ({c})" for v, c in facet["top"])
        lines.append(f"  {name:<13}{facet['values']:>7} values   {top}")
    lines.append("nodes")
    for node in stats["nodes"]:
        state = "leader" if node["leader"] else ("healthy" if node["healthy"] else f"DOWN ({node['error']})")
        lines.append(f"  {node['url']:<28}{state:<10} {node['documents']} documents")
    print("\n".join(lines))
    return 0
