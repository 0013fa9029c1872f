"""Reading articles from JSON lines, CSV and folders of raw text.

Every reader yields ``Article`` or ``Skipped``: a broken record never stops a
build, and the warning names the file, the line and the reason. Reads are
bounded (line and file size caps) so a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Union

from indexer.clean import clean_body, clean_lines, repair_mojibake
from indexer.stages import CLOCK

MAX_RECORD_BYTES = 8 * 1024 * 1024  # one JSON line or CSV row
MAX_TEXT_FILE_BYTES = 8 * 1024 * 1024  # one raw .txt article
MAX_BODY_CHARS = 1_000_000  # longer bodies are truncated, with a warning
TEXT_SUFFIXES = {".txt"}
FIELDS = ("id", "title", "date", "source", "category", "subcategory", "url", "body")


@dataclass
class Article:
    id: str
    title: str
    body: str
    date: dt.datetime | None = None
    source: str | None = None
    category: str | None = None
    subcategory: str | None = None
    url: str | None = None
    origin: str = ""  # "file:line", for messages


@dataclass
class Skipped:
    origin: str  # "file:line" or "file"
    reason: str


@dataclass
class Repaired:
    """A record indexed with a change the user should know about."""

    origin: str
    reason: str


Item = Union[Article, Skipped, Repaired]


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Articles from any mix of .jsonl/.json files, .csv files and folders of .txt."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from read_text_folder(path)
        elif not path.exists():
            yield Skipped(str(path), "no such file or folder")
        elif path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
            yield from read_jsonl(path)
        elif path.suffix.lower() == ".csv":
            yield from read_csv(path)
        elif path.suffix.lower() in TEXT_SUFFIXES:
            yield from read_text_file(path, path.parent)
        else:
            yield Skipped(str(path), f"unknown source type {path.suffix or '(no suffix)'!r}")


# --- records (JSON lines, CSV) ------------------------------------------------


def parse_date(value: object) -> dt.datetime | None:
    """An ISO date or datetime as a naive local datetime; raises ValueError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"date must be a string, not {type(value).__name__}")
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"unreadable date {text[:40]!r}") from None
    # Keep the local wall-clock time the outlet printed.
    return parsed.replace(tzinfo=None)


def article_from_record(rec: object, origin: str) -> list[Item]:
    """Validate one record; returns the article and any repair notes, or a Skipped."""
    if not isinstance(rec, dict):
        return [Skipped(origin, "record is not a JSON object")]
    notes: list[Item] = []
    body = rec.get("body")
    if not isinstance(body, str) or not body.strip():
        return [Skipped(origin, "empty or missing body")]
    url = _text(rec.get("url"))
    doc_id = _text(rec.get("id")) or (_hash_id(url) if url else None)
    if not doc_id:
        return [Skipped(origin, "missing id (and no url to derive one from)")]
    try:
        date = parse_date(rec.get("date"))
    except ValueError as exc:
        date = None
        notes.append(Repaired(origin, f"{exc}; indexed without a date"))
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        notes.append(Repaired(origin, f"body longer than {MAX_BODY_CHARS} characters; truncated"))
    with CLOCK.stage("clean"):
        cleaned = clean_body(body)
    if not cleaned:
        return [Skipped(origin, "body is only boilerplate")]
    title = repair_mojibake(_text(rec.get("title")) or "") or _title_from_body(cleaned)
    article = Article(
        id=doc_id,
        title=title,
        body=cleaned,
        date=date,
        source=_text(rec.get("source")),
        category=_text(rec.get("category")),
        subcategory=_text(rec.get("subcategory")),
        url=url,
        origin=origin,
    )
    return [article, *notes]


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, (str, int, float)) else ""
    return text[:2000] or None


def _hash_id(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def read_jsonl(path: Path) -> Iterator[Item]:
    with path.open("rb") as raw:
        stream, note = _text_stream(raw, str(path))
        if note:
            yield note
        for lineno, line in _bounded_lines(stream, str(path)):
            origin = f"{path}:{lineno}"
            if isinstance(line, Skipped):
                yield line
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError) as exc:
                reason = "JSON nested too deeply" if isinstance(exc, RecursionError) else f"bad JSON: {exc}"
                yield Skipped(origin, reason)
                continue
            yield from article_from_record(rec, origin)


def read_csv(path: Path) -> Iterator[Item]:
    csv.field_size_limit(MAX_RECORD_BYTES)
    with path.open("rb") as raw:
        stream, note = _text_stream(raw, str(path))
        if note:
            yield note
        reader = csv.DictReader(stream)
        if not reader.fieldnames or "body" not in reader.fieldnames:
            yield Skipped(str(path), "CSV header must name at least a 'body' column")
            return
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield Skipped(f"{path}:{reader.line_num}", f"bad CSV row: {exc}")
                continue
            yield from article_from_record(row, f"{path}:{reader.line_num}")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _text_stream(raw: IO[bytes], origin: str) -> tuple[IO[str], Repaired | None]:
    """A text stream in the file's encoding: UTF-8, or what its byte-order mark says.

    Undecodable bytes in a UTF-8 file are taken as Latin-1 per line (see
    ``_bounded_lines``) rather than losing the record.
    """
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            note = None if encoding == "utf-8-sig" else Repaired(origin, f"read as {encoding} (byte-order mark)")
            return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""), note
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline=""), None


def _bounded_lines(stream: IO[str], origin: str) -> Iterator[tuple[int, str | Skipped]]:
    """Lines with their numbers; an over-long line is skipped without holding it in memory."""
    lineno = 0
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        lineno += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith("\n"):
            while True:  # drain the rest of the line in bounded chunks
                rest = stream.readline(MAX_RECORD_BYTES)
                if not rest or rest.endswith("\n"):
                    break
            yield lineno, Skipped(f"{origin}:{lineno}", f"line longer than {MAX_RECORD_BYTES} bytes")
            continue
        yield lineno, _repair_undecodable(line)


def _repair_undecodable(line: str) -> str:
    """Lone surrogates mark bytes that were not UTF-8: read those lines as Latin-1."""
    try:
        line.encode("utf-8")
        return line
    except UnicodeEncodeError:
        return line.encode("utf-8", "surrogateescape").decode("latin-1")


# --- folders of raw text -------------------------------------------------------

# "Rabu (13/9/2023)": the dateline Indonesian outlets put in the first paragraphs.
_DATELINE = re.compile(
    r"\b(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)\s*,?\s*\(\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*\)",
    re.IGNORECASE,
)
# A seed file named "000_82ff82e2c3e225b8.txt" carries its id.
_ID_IN_NAME = re.compile(r"(?:^|_)([0-9a-f]{16})$")
_HEADLINE_MAX_CHARS = 160


def read_text_folder(folder: Path) -> Iterator[Item]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        yield Skipped(str(folder), "folder holds no .txt files")
    for path in files:
        yield from read_text_file(path, folder)


def read_text_file(path: Path, root: Path) -> Iterator[Item]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_FILE_BYTES:
            yield Skipped(origin, f"file larger than {MAX_TEXT_FILE_BYTES // (1024 * 1024)} MB")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(origin, f"unreadable: {exc.strerror or exc}")
        return
    text, note = decode_text(data, origin)
    if text is None:
        yield Skipped(origin, note.reason if note else "not text")
        return
    if note:
        yield note
    article = article_from_text(text, doc_id=text_file_id(path, root), origin=origin)
    if article is None:
        yield Skipped(origin, "no article text (empty or only boilerplate)")
    else:
        yield article


def decode_text(data: bytes, origin: str) -> tuple[str | None, Repaired | None]:
    """Text from bytes: BOM-marked UTF-16/32, UTF-8, else Latin-1 with a note; None for binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), None
    if b"\x00" in data[:8192]:
        return None, Repaired(origin, "binary file (NUL bytes)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), Repaired(origin, "not UTF-8; read as Windows-1252")


def text_file_id(path: Path, root: Path) -> str:
    """Stable across re-indexing: the id in the file name, else a hash of the folder-relative path."""
    match = _ID_IN_NAME.search(path.stem)
    if match:
        return match.group(1)
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    return _hash_id(rel)


def article_from_text(text: str, doc_id: str, origin: str) -> Article | None:
    with CLOCK.stage("clean"):
        lines = clean_lines(text[:MAX_BODY_CHARS])
    if not lines:
        return None
    title = None
    if len(lines) > 1 and _is_headline(lines[0]):
        title, lines = lines[0], lines[1:]
    body = "\n\n".join(lines)
    return Article(
        id=doc_id,
        title=title or _title_from_body(body),
        body=body,
        date=find_dateline(body),
        origin=origin,
    )


def _is_headline(line: str) -> bool:
    """A headline is short and does not end like a sentence; a lede paragraph does."""
    return len(line) <= _HEADLINE_MAX_CHARS and not line.rstrip().endswith((".", ",", ";", ":", '"', "”"))


def find_dateline(text: str) -> dt.datetime | None:
    """The first `Hari (d/m/yyyy)` in the text; None when there is none (never today)."""
    for match in _DATELINE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.datetime(year, month, day)
        except ValueError:
            continue
    return None


def _title_from_body(body: str, limit: int = 90) -> str:
    """A stand-in headline: the first sentence, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s", body.split("\n", 1)[0], maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut + "…"
