"""`python -m search "query" [--entity V]... [--json] [--backend whoosh|typesense]`: the search endpoint on the command line.

Flags are made from the parameter declarations (``search.param_spec``) and
become the same parameters the web sends, validated by the same
``parse_request``; ``--json`` prints exactly what the JSON endpoint returns.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys

from indexer.backends import DEFAULT_INDEX, BackendUnavailable, add_backend_arguments, backend_config
from search.backends import open_engine
from search.model import NOTICES, SearchError, SearchResult
from search.param_spec import PARAMS
from search.request import parse_request

_MARK_RE = re.compile(r"</?mark>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search", description="Search a Telusur index.")
    parser.add_argument("query", nargs="?", default="", help="the query (empty: browse everything)")
    add_backend_arguments(parser, DEFAULT_INDEX)
    flagged = [p for p in PARAMS if p.cli]
    for param in flagged:
        if param.kind == "values":
            parser.add_argument(param.cli, dest=param.name, action="append", default=[], metavar="V",
                                help=f"{param.description.split(';')[0]} (repeatable)")
        else:
            metavar = "YYYY-MM-DD" if param.kind == "date" else None
            choices = f" ({' | '.join(param.choices)})" if param.choices else ""
            parser.add_argument(param.cli, dest=param.name, default="", metavar=metavar,
                                help=param.description.split(";")[0] + choices)
    parser.add_argument("--json", action="store_true", help="print the JSON the web endpoint returns")
    args = parser.parse_args(argv)

    params = {"q": [args.query]}
    for param in flagged:
        value = getattr(args, param.name)
        params[param.name] = value if isinstance(value, list) else [value]
    try:
        request = parse_request(params)
        engine = open_engine(backend_config(args))
        result = engine.search(request)
    except SearchError as e:
        print(f"error ({e.code}): {e.message}", file=sys.stderr)
        return 2
    except BackendUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
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
    if result.notice:
        lines.append(f"({NOTICES[result.notice][0]})")
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
