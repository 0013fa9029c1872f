"""One article's public shape (``/api/documents/<id>``, the article page) and a hit, from its stored fields.

Backend-neutral: every backend stores the fields the indexer wrote
(``indexer.build.document_fields``: facet fields as value lists, ``date`` as a
datetime or absent) and hands them here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Collection, Mapping

from search.highlight import snippet
from search.model import Hit

def _one(value) -> str | None:
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value or None


def _many(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _iso_date(value) -> str | None:
    return value.date().isoformat() if isinstance(value, dt.datetime) else None


def document_dict(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The public shape of one article's stored fields."""
    people = set(_many(stored.get("person")))
    return {
        "id": stored.get("id"),
        "title": stored.get("title") or "",
        "url": stored.get("url"),
        "source": _one(stored.get("source")),
        "category": _one(stored.get("category")),
        "subcategory": stored.get("subcategory"),
        "date": _iso_date(stored.get("date")),
        "body": stored.get("body") or "",
        "entities": [
            {"name": e, "type": "person" if e in people else "organization"} for e in _many(stored.get("entity"))
        ],
        "locations": _many(stored.get("location")),
        "mentioned": _many(stored.get("mentioned")),
    }


def hit(stored: Mapping[str, Any], score: float, stems: Collection[str], forms: Collection[str]) -> Hit:
    """One result: the article's public fields and a snippet marking the query's stems and forms."""
    doc = document_dict(stored)
    return Hit(
        id=doc["id"],
        title=doc["title"],
        url=doc["url"],
        source=doc["source"],
        date=doc["date"],
        snippet=snippet(doc["body"], stems, forms),
        score=round(score, 4),
        entities=[e["name"] for e in doc["entities"]],
        locations=doc["locations"],
    )
