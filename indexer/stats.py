"""What an index holds: documents, fields, facet cardinalities, size on disk."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from whoosh import index

from indexer.fields import FACET_FIELDS


def require_index(index_dir: str | Path) -> None:
    if not index.exists_in(str(index_dir)):
        raise FileNotFoundError(f"no index at {index_dir} (build one with `python -m indexer build`)")


def index_stats(index_dir: str | Path) -> dict:
    ix = index.open_dir(str(index_dir))
    size = sum(p.stat().st_size for p in Path(index_dir).iterdir() if p.is_file())
    with ix.searcher() as searcher:
        reader = searcher.reader()
        facets = {}
        for name in FACET_FIELDS:
            column = reader.column_reader(name)
            counts = Counter(v for docnum in reader.all_doc_ids() for v in column[docnum])
            facets[name] = {"values": len(counts), "top": counts.most_common(5)}
        return {
            "index": str(index_dir),
            "documents": reader.doc_count(),
            "deleted": reader.doc_count_all() - reader.doc_count(),
            "segments": len(ix._segments()),
            "generation": ix.latest_generation(),
            "fields": {name: type(field).__name__ for name, field in ix.schema.items()},
            "facets": facets,
            "size_bytes": size,
        }


def format_stats(stats: dict) -> str:
    lines = [
        f"index      {stats['index']}",
        f"documents  {stats['documents']} ({stats['deleted']} deleted, not yet merged away)",
        f"segments   {stats['segments']} (generation {stats['generation']})",
        f"size       {stats['size_bytes'] / 1e6:.1f} MB",
        "fields     " + ", ".join(f"{n} ({t})" for n, t in stats["fields"].items()),
        "facets",
    ]
    for name, facet in stats["facets"].items():
        top = "; ".join(f"{v} ({c})" for v, c in facet["top"])
        lines.append(f"  {name:<13}{facet['values']:>7} values   {top}")
    return "\n".join(lines)
