"""Stories on Typesense: a story's versions and the story of each hit, read at query time.

Each document holds its ``story`` id (``indexer.typesense.schema``); a
story's size and its other versions are one filtered search, so they are
always those of the live articles (a deletion shrinks the story at once, a
join or merge rewrites only the articles whose id changes). A search page
needs one ``multi_search`` for the stories of all its hits.
"""

from __future__ import annotations

from typing import Callable

from indexer.typesense.schema import STORY_FIELD, quoted
from search.document import version
from search.model import MAX_VERSIONS_SHOWN, Hit

# A story page lists at most this many versions (the largest story of the 22k corpus has 12), as on Whoosh.
MAX_STORY_VERSIONS = 200
MAX_PER_PAGE = 250  # Typesense's cap
VERSION_FIELDS = "id,title,source,day,dated,date,url," + STORY_FIELD
# Oldest first, dateless first (as the Whoosh engine's raw date order, where a missing date is -1).
OLDEST_FIRST = "dated:asc,date:asc"

MultiSearch = Callable[[list[dict]], list[dict]]


def story_filter(story_ids) -> str:
    return f"{STORY_FIELD}:=[" + ",".join(quoted(s) for s in story_ids) + "]"


def members_search(story_ids: list[str], per_page: int) -> dict:
    """The live articles of these stories, oldest first, with a count per story."""
    return {
        "q": "*", "query_by": "title_stems", "filter_by": story_filter(story_ids), "per_page": per_page,
        "include_fields": VERSION_FIELDS, "sort_by": OLDEST_FIRST, "highlight_fields": "none",
        "facet_by": STORY_FIELD, "max_facet_values": len(story_ids),
    }


def sizes(answer: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for facet in answer.get("facet_counts", []):
        if facet["field_name"] == STORY_FIELD:
            out.update({c["value"]: c["count"] for c in facet["counts"]})
    return out


def story(multi_search: MultiSearch, story_id: str, stored: Callable[[dict], dict]) -> dict | None:
    """``Engine.story``: every version (up to ``MAX_STORY_VERSIONS``), oldest first; None for an unknown story."""
    answer = multi_search([members_search([story_id], MAX_STORY_VERSIONS)])[0]
    if not answer["found"]:
        return None
    versions = [version(stored(h["document"])) for h in answer["hits"]]
    outlets = sorted({v["source"] for v in versions if v["source"]})
    return {"id": story_id, "size": answer["found"], "outlets": outlets, "versions": versions}


def size_of(multi_search: MultiSearch, story_id: str) -> int:
    search = {"q": "*", "query_by": "title_stems", "filter_by": story_filter([story_id]), "per_page": 0}
    return multi_search([search])[0]["found"]


def attach(multi_search: MultiSearch, hits: list[Hit], story_of: dict[str, str], listed: bool, stored) -> None:
    """Set each hit's ``story``: id, size, how many other outlets ran it and, when ``listed``, its other versions."""
    wanted = list(dict.fromkeys(story_of[h.id] for h in hits if story_of.get(h.id)))
    if not wanted:
        return
    answer = multi_search([members_search(wanted, MAX_PER_PAGE)])[0]
    size = sizes(answer)
    members: dict[str, list[dict]] = {}
    for h in answer["hits"]:
        doc = h["document"]
        members.setdefault(doc[STORY_FIELD], []).append(doc)
    for h in hits:
        sid = story_of.get(h.id)
        if not sid:
            continue
        others = [d for d in members.get(sid, []) if d["id"] != h.id]
        outlets = {s for d in others for s in (d.get("source") or [])[:1]} - {h.source, None}
        shown = [version(stored(d)) for d in others[:MAX_VERSIONS_SHOWN]] if listed else []
        h.story = {"id": sid, "size": size.get(sid, 1), "other_outlets": len(outlets), "others": shown}
