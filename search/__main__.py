"""`python -m search "query" [--entity V]... [--json]`: the search endpoint on the command line.

Flags become the same parameters the web sends, validated by the same
``parse_request``; ``--json`` prints exactly what the JSON endpoint returns.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from search.engine import SearchEngine
from search.model import SearchError, SearchResult
from search.request import parse_request

DEFAULT_INDEX = Path("index_data") / "default"  # the indexer's default too
_MARK_RE = re.compile(r"</?mark>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search", description="Search a Telusur index.")
    parser.add_argument("query", nargs="?", default="", help="the query (empty: browse everything)")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX, help=f"index folder (default {DEFAULT_INDEX})")
    for facet in ("entity", "location", "source", "category"):
        parser.add_argument(f"--{facet}", action="append", default=[], metavar="V", help=f"select a {facet} (repeatable)")
    parser.add_argument("--from", dest="date_from", default="", metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", default="", metavar="YYYY-MM-DD")
    parser.add_argument("--sort", default="", help="relevance | newest | oldest")
    parser.add_argument("--page", default="")
    parser.add_argument("--per-page", default="")
    parser.add_argument("--json", action="store_true", help="print the JSON the web endpoint returns")
    args = parser.parse_args(argv)

    params = {
        "q": [args.query],
        "entity": args.entity,
        "location": args.location,
        "source": args.source,
        "category": args.category,
        "date_from": [args.date_from],
        "date_to": [args.date_to],
        "sort": [args.sort],
        "page": [args.page],
        "per_page": [args.per_page],
    }
    try:
        request = parse_request(params)
        result = SearchEngine(args.index).search(request)
    except SearchError as e:
        print(f"error ({e.code}): {e.message}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render(result))
    return 0


def render(result: SearchResult) -> str:
    """Readable text: matches shown as [..]."""
    lines = []
    if result.notice == "partial":
        lines.append("(no article has every word; showing those with the most)")
    elif result.notice == "plain":
        lines.append("(the query was read as plain words)")
    if result.suggestion:
        lines.append(f"Did you mean: {result.suggestion}")
    first = (result.page - 1) * result.per_page + 1
    lines.append(f"{result.total} results ({result.took_ms:.1f} ms), page {result.page}")
    for n, hit in enumerate(result.hits, first):
        lines.append("")
        lines.append(f"{n}. {hit.title}")
        lines.append(f"   {hit.source or '-'} | {hit.date or 'no date'} | {hit.url or ''}")
        text = html.unescape(_MARK_RE.sub(lambda m: "]" if m.group().startswith("</") else "[", hit.snippet))
        lines.append(f"   {text}")
    for name, values in result.facets.items():
        if values:
            shown = ", ".join(f"{'*' if v.selected else ''}{v.value} ({v.count})" for v in values[:10])
            lines.append(f"\n{name}: {shown}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
