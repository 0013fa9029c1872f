"""JSON-lines face of ``extract``: the public contract for evaluating extraction.

Input, one object a line: ``{"id": ..., "text": ..., "date": "YYYY-MM-DD"}``
(``date`` optional; a full ISO datetime is accepted too); ``--index DIR`` maps the
values through that index's corpus alias table, as the index shows them. Output, one line per
good input line, in input order::

    {"id": ..., "people": [...], "organizations": [...], "locations": [...], "dates": [...]}

A bad line (not JSON, not an object, ``text`` missing or not a string, a
``date`` that is not ISO) is reported on stderr as ``line N: reason`` and
skipped; the rest is still processed. Blank lines are ignored.

Exit codes: 0 when at least one line was extracted, or there was nothing to
do (empty input): bad lines are already reported one by one, and a batch job
should not fail on one bad record; 1 when there were lines and none could be
extracted (wrong file, wrong format), so a pipeline notices.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TextIO

from indexer.extract import extract
from indexer.extract.alias_table import AliasTable

EXIT_OK, EXIT_FAILED = 0, 1


class BadLine(ValueError):
    """Why one input line could not be extracted."""


def parse_line(line: str) -> tuple[Any, str, dt.date | None]:
    """(id, text, published) of one input line, or BadLine saying what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise BadLine("not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise BadLine('"text" missing or not a string')
    return record.get("id"), text, parse_date(record.get("date"))


def parse_date(value: Any) -> dt.date | None:
    """`YYYY-MM-DD` or a full ISO datetime; None or "" means unknown."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadLine('"date" is not a string')
    try:
        return dt.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise BadLine(f'"date" is not an ISO date: {value[:40]!r}') from None


def run(stdin: TextIO, stdout: TextIO, stderr: TextIO, table: AliasTable | None = None) -> int:
    """Extract every line of stdin to stdout; report bad lines on stderr; return an exit code.

    With ``table`` (an index's corpus alias table) the values are the index's own.
    """
    good = bad = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            doc_id, text, published = parse_line(line)
        except BadLine as exc:
            bad += 1
            print(f"line {number}: {exc}", file=stderr)
            continue
        result = extract(text, published)
        if table is not None:
            result.people, result.organizations, result.locations = table.apply(
                result.people, result.organizations, result.locations, result.spelt
            )
        stdout.write(
            json.dumps(
                {
                    "id": doc_id,
                    "people": result.people,
                    "organizations": result.organizations,
                    "locations": result.locations,
                    "dates": result.dates,
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        good += 1
    return EXIT_FAILED if bad and not good else EXIT_OK


if __name__ == "__main__":
    import sys

    raise SystemExit(run(sys.stdin, sys.stdout, sys.stderr))
