"""Stories for a Typesense build: the Whoosh build's ``StoryTable``, with the cluster as its source of truth.

Every article's story id is a field of its document in the cluster, so any
machine can build into the cluster and the stories stay one: nothing is kept
beside the build. A build's ``ClusterStoryTable`` is ``indexer.stories.StoryTable``
(the same matching rules, the same LSH) over an in-memory table that it fills
from the cluster as it needs it:

* the days a batch needs (+- ``WINDOW_DAYS``): the articles the cluster holds
  on those days, fingerprinted again from their stored text (only ids the
  table does not know yet are fetched in full);
* a merge: every article of the story merged away, whatever its day, so all
  of them move (the build rewrites them: ``Assignment.moved``);
* the next story number: ``next_story`` in the meta collection, reserved
  (written) before the batch that uses it is imported, so a killed build
  skips numbers and never reuses one.

A build's own articles are matched from what it computed (the workers'
fingerprints of the raw article, as the Whoosh build does); an article loaded
from the cluster is fingerprinted from its stored title, body, date and
canonical outlet and people and organisations (canonical, where the build's own are
before the alias table). Two builds must not run at once on one index (the counter
is read once per build), as with the alias refresh.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Iterable

from indexer.stories import StoryTable, days_around, fingerprint
from indexer.typesense.schema import SCHEMA_VERSION, STORY_FIELD, id_filter, quoted

if TYPE_CHECKING:
    from indexer.typesense.sink import Sink

STORIES_ID = "stories"  # the meta collection's document holding ``next_story``
STORED_FIELDS = "id,title,body,date,dated,source,entity," + STORY_FIELD
ID_CHUNK = 200  # ids per ``filter_by`` list


class ClusterStoryTable(StoryTable):
    """``StoryTable`` whose rows come from (and whose results go to) the cluster's documents."""

    def __init__(self, sink: "Sink"):
        super().__init__(None)
        self.sink = sink
        self.touched: set[str] = set()  # ids this build assigned or removed: the table's rows are newer
        self.reserved = self._stored_next()
        self.db.execute("INSERT INTO meta (key, value) VALUES ('next_story', ?)", (self.reserved,))

    # -- the cluster's rows ---------------------------------------------------------

    def _export(self, filter_by: str, fields: str) -> list[dict]:
        params = {"filter_by": filter_by, "include_fields": fields}
        articles = self.sink.articles
        text = self.sink.cluster.read(lambda c: c.collections[articles].documents.export(params), slow=True)
        return [json.loads(line) for line in text.split("\n") if line]

    def _known(self, doc_id: str) -> bool:
        return doc_id in self.touched or self.db.execute("SELECT 1 FROM articles WHERE id = ?", (doc_id,)).fetchone()

    def _fetch(self, filter_by: str) -> None:
        """Add the cluster's articles matching ``filter_by`` that the table lacks, with their stored story."""
        wanted = [d["id"] for d in self._export(filter_by, "id") if not self._known(d["id"])]
        for start in range(0, len(wanted), ID_CHUNK):
            for doc in self._export(id_filter(wanted[start : start + ID_CHUNK]), STORED_FIELDS):
                if doc.get(STORY_FIELD):
                    self._insert(doc)

    def _insert(self, doc: dict) -> None:
        date = dt.datetime.utcfromtimestamp(doc["date"]) if doc.get("dated") else None
        source = (doc.get("source") or [None])[0]
        fp = fingerprint(doc.get("title") or "", doc.get("body") or "", date, source, doc.get("entity") or ())
        self._insert_row(doc["id"], doc[STORY_FIELD], fp, keep_existing=True)

    def _load_days(self, days: set[int]) -> None:
        wanted = days_around(days) - self.days_loaded
        if wanted:
            listed = ",".join(quoted(dt.date.fromordinal(d).isoformat()) for d in sorted(wanted))
            self._fetch(f"day:=[{listed}]")
        super()._load_days(days)

    def _merge(self, old: str, new: str) -> list[str]:
        self._fetch(f"{STORY_FIELD}:=[{quoted(old)}]")
        return super()._merge(old, new)

    # -- bookkeeping --------------------------------------------------------------

    def assign(self, articles):
        self.touched.update(doc_id for doc_id, _ in articles)
        return super().assign(articles)

    def remove(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self.touched.update(ids)
        super().remove(ids)

    def _stored_next(self) -> int:
        from typesense import exceptions as tse

        meta = self.sink.meta
        try:
            doc = self.sink.cluster.read(lambda c: c.collections[meta].documents[STORIES_ID].retrieve())
        except tse.ObjectNotFound:
            return 1
        return int(doc["next_story"])

    def reserve(self) -> None:
        """Write the next story number to the cluster before the articles that used the numbers below it."""
        number = self.db.execute("SELECT value FROM meta WHERE key = 'next_story'").fetchone()[0]
        if number != self.reserved:
            record = {"id": STORIES_ID, "generation": 0, "schema": SCHEMA_VERSION, "next_story": number}
            meta = self.sink.meta
            self.sink.cluster.write(lambda c: c.collections[meta].documents.upsert(record))
            self.reserved = number
