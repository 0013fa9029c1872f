"""The Typesense collections: what each field holds, and one article as a document.

Typesense 0.24.1 is not Telusur's analyzer, and its string facets and ``:=``
filters compare values case-insensitively (``Nasional`` and ``nasional``
merge: ``../shared/notes/typesense-facts.md``). So:

* ``title_stems`` / ``body_stems`` hold the text already through Telusur's
  analyzer (tokens, stop list, Sastrawi stems, space-joined): ``q`` searches
  them, and a query is analysed the same way before it is sent;
* ``title`` / ``body`` hold the raw text, stored but not indexed, for display
  and for snippets made by Telusur's own highlighter;
* each facet field is faceted and filtered through ``<field>_key``, the
  value's UTF-8 bytes in hex: lowercase letters only, so case-insensitive
  comparison cannot merge two values, and the exact value comes back by
  decoding it; ``<field>`` keeps the value list as written, for display;
* ``date`` is an int64 (seconds, the outlet's wall clock read as UTC) with
  ``dated`` beside it, so either sort puts dateless articles last;
  ``month`` / ``day`` are the histogram's buckets as strings;
* ``story`` is the article's story id (``indexer.stories``; faceted, so a
  search can ``group_by`` it), assigned by the build against the stories the
  cluster already holds (``indexer.typesense.stories``); a story's size and
  other versions are read at query time, so a join or a merge rewrites only
  the articles whose id changes;
* ``mentioned_day`` holds the mentioned dates (``mentioned``) as day
  ordinals, for the event-date range filter (an int array matches when any
  element is in the range); their histogram counts ``mentioned_key`` (the
  days) and ``mentioned_month`` (each mentioned day's month, once per day,
  so a month's count is the sum of its days' and a histogram over many
  articles asks for its months instead of every day: ``search.backends.
  typesense.histogram``);
* ``terms`` lists the article's distinct stems and affixed forms, and
  ``title_len`` / ``body_len`` count its tokens (not indexed): the
  vocabulary and field lengths that did-you-mean and BM25 re-ranking read;
  ``affixed`` / ``affixed_stems`` list its affixed forms and, in the same
  order, their stems (not indexed): the build's Sastrawi answers, so that
  a server expands a wildcard (``mem*`` -> ``bantu`` for ``membantu``) and
  stems the indexed words of a query by looking them up, never by running
  Sastrawi inside a request (~0.3 ms a word).

A second collection holds the *generation* document (a build or delete
changes it after every batch, so a server knows when to reload what it
derives from the articles: the vocabulary) and the corpus alias table
(``indexer.canonical``) the last build learnt from every article's
``evidence``, which a build loads before it prepares articles.
"""

from __future__ import annotations

import calendar
import datetime as dt

from indexer.analysis import stem
from indexer.canonical import EVIDENCE
from indexer.fields import FACET_FIELDS, TEXT_FIELDS
from indexer.prepare import PreparedDocument

SCHEMA_VERSION = 4  # 2: story, mentioned_day; 3: mentioned_month; 4: affixed, affixed_stems
DEFAULT_PREFIX = "telusur"
STEMS_SUFFIX = "_stems"
KEY_SUFFIX = "_key"
LENGTH_SUFFIX = "_len"
GENERATION_ID = "generation"
STORY_FIELD = "story"
MENTIONED_DAY = "mentioned_day"  # the ``mentioned`` dates as day ordinals (range filters)
MENTIONED_MONTH = "mentioned_month"  # each mentioned day's month (the event histogram's month buckets)
AFFIXED = "affixed"  # an article's affixed forms (stored only) ...
AFFIXED_STEMS = "affixed_stems"  # ... and their stems, in the same order
ALIASES_ID = "aliases"  # the corpus alias table (indexer.canonical), in the meta collection


def articles_collection(prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}_articles"


def meta_collection(prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}_meta"


def _stored(name: str, kind: str = "string") -> dict:
    return {"name": name, "type": kind, "index": False, "optional": True}


def articles_schema(name: str) -> dict:
    """The collection of articles (``name`` from ``articles_collection``)."""
    fields: list[dict] = []
    for text in TEXT_FIELDS:
        fields.append({"name": text + STEMS_SUFFIX, "type": "string"})
        fields.append(_stored(text))
        fields.append(_stored(text + LENGTH_SUFFIX, "int32"))
    for facet in FACET_FIELDS:
        fields.append({"name": facet + KEY_SUFFIX, "type": "string[]", "facet": True, "optional": True})
        fields.append(_stored(facet, "string[]"))
    fields += [
        {"name": "date", "type": "int64"},
        {"name": "dated", "type": "int32"},
        {"name": "month", "type": "string", "facet": True, "optional": True},
        {"name": "day", "type": "string", "facet": True, "optional": True},
        {"name": STORY_FIELD, "type": "string", "facet": True, "optional": True},
        {"name": MENTIONED_DAY, "type": "int32[]", "optional": True},
        {"name": MENTIONED_MONTH, "type": "string[]", "facet": True, "optional": True},
        _stored("url"),
        _stored("subcategory"),
        _stored("terms", "string[]"),
        _stored(AFFIXED, "string[]"),
        _stored(AFFIXED_STEMS, "string[]"),
        _stored(EVIDENCE, "string[]"),
    ]
    return {"name": name, "fields": fields, "default_sorting_field": "date"}


def meta_schema(name: str) -> dict:
    return {
        "name": name,
        "fields": [{"name": "generation", "type": "int64"}, {"name": "schema", "type": "int32"}],
    }


def facet_key(value: str) -> str:
    """The case-proof form Typesense facets and filters on."""
    return value.encode("utf-8").hex()


def quoted(value: str) -> str:
    """A ``filter_by`` value in backticks (which cannot be escaped inside them: dropped)."""
    return "`" + value.replace("`", "") + "`"


def id_filter(ids) -> str:
    """``filter_by`` for documents by id."""
    return "id:[" + ",".join(quoted(i) for i in ids) + "]"


def facet_value(key: str) -> str:
    return bytes.fromhex(key).decode("utf-8")


def epoch(moment: dt.datetime | dt.date) -> int:
    """Seconds since 1970 of a naive wall-clock time (or the start of a day), read as UTC."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return calendar.timegm(moment.timetuple())


def to_document(prepared: PreparedDocument, story: str | None = None) -> dict:
    """One article's Typesense document from the build's preparation (``indexer.prepare.prepare``) and its story."""
    fields = prepared.fields
    doc: dict = {"id": fields["id"]}
    terms: set[str] = set()
    affixed: set[str] = set()
    for text in TEXT_FIELDS:
        analysed = getattr(prepared, text)
        doc[text + STEMS_SUFFIX] = analysed.stemmed_text()
        doc[text] = fields.get(text) or ""
        doc[text + LENGTH_SUFFIX] = len(analysed.stems)
        terms.update(analysed.stems)
        affixed.update(analysed.affixed)
    terms |= affixed
    for facet in FACET_FIELDS:
        value = fields.get(facet)
        values = [value] if isinstance(value, str) else list(value or [])
        values = list(dict.fromkeys(v for v in values if v))
        if values:
            doc[facet] = values
            doc[facet + KEY_SUFFIX] = [facet_key(v) for v in values]
    if doc.get("mentioned"):
        doc[MENTIONED_DAY] = sorted({dt.date.fromisoformat(d).toordinal() for d in doc["mentioned"]})
        doc[MENTIONED_MONTH] = [d[:7] for d in doc["mentioned"]]  # one per day: Typesense counts repeats
    if story:
        doc[STORY_FIELD] = story
    published = fields.get("date")
    doc["date"] = epoch(published) if published else 0
    doc["dated"] = 1 if published else 0
    if published:
        doc["month"] = published.strftime("%Y-%m")
        doc["day"] = published.strftime("%Y-%m-%d")
    for name in ("url", "subcategory"):
        if fields.get(name):
            doc[name] = fields[name]
    doc["terms"] = sorted(terms)
    if affixed:
        doc[AFFIXED] = sorted(affixed)
        doc[AFFIXED_STEMS] = [stem(form) for form in doc[AFFIXED]]  # (memoised: the analysis just stemmed them)
    if fields.get(EVIDENCE):
        doc[EVIDENCE] = list(fields[EVIDENCE])
    return doc


def entity_document(doc_id: str, values: dict[str, list[str]]) -> dict:
    """The partial update that gives one article new entity values (a corpus alias learnt later)."""
    doc: dict = {"id": doc_id}
    for name, listed in values.items():
        doc[name] = listed
        doc[name + KEY_SUFFIX] = [facet_key(v) for v in listed]
    return doc
