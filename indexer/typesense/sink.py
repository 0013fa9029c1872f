"""Builds into Typesense: the same preparation as a Whoosh build, written as idempotent upserts.

Sources, cleaning, analysis and extraction are the Whoosh build's own
(``indexer.sources``, ``indexer.prepare.prepare``); worker processes
prepare articles and the parent imports them ``batch_size`` at a time with
``action=upsert`` by id, so a batch sent twice (a retry after a timeout, a
re-run after SIGKILL) leaves one copy of each article. Imports go through
``cluster.client.Cluster.write``: refused while the cluster has no leader,
they are retried with backoff until a new leader takes them.

Before a batch is imported its articles get their story ids
(``indexer.typesense.stories.ClusterStoryTable``: the Whoosh build's
``StoryTable`` over the stories the cluster holds), in the batch's order; the
articles a merge moved to another story get a partial update of ``story``.
After every batch the generation document changes, so a serving engine
knows the articles changed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import urllib.parse
from typing import Callable, Iterable, Iterator

from typesense import exceptions as tse

from cluster.client import Cluster, Connection, Retryable
from indexer import canonical
from indexer.build import BuildSummary, _die_with_parent, _progress_bar, _report, _warm_up
from indexer.prepare import prepare as prepare_article
from indexer.extract.corpus_aliases import learn
from indexer.fields import FACET_FIELDS
from indexer.sources import Article, Repaired, Skipped, iter_sources
from indexer.stories import Fingerprint, article_fingerprint
from indexer.typesense.stories import ClusterStoryTable
from indexer.typesense.schema import (
    ALIASES_ID,
    DEFAULT_PREFIX,
    GENERATION_ID,
    KEY_SUFFIX,
    SCHEMA_VERSION,
    articles_collection,
    articles_schema,
    entity_document,
    facet_value,
    id_filter,
    meta_collection,
    STORY_FIELD,
    meta_schema,
    to_document,
)

DEFAULT_BATCH_SIZE = 1000
# Per-document import errors that mean "not now" (no leader, lagging), not "bad document".
_TRANSIENT_IMPORT = ("not ready", "lagging", "leader", "timed out")


class SchemaMismatch(RuntimeError):
    """The collection was made by another version of Telusur."""


def prepare(article: Article) -> tuple[dict, Fingerprint] | str:
    """An article as a Typesense document (its story still to assign) and its story fingerprint,
    or the reason it cannot be one (runs in a worker)."""
    try:
        doc = prepare_article(article)
        fp = article_fingerprint(article, doc)
        return to_document(doc), fp
    except Exception as exc:  # one bad article must not stop the build
        return f"skipped {article.origin}: could not be indexed ({exc!r})"


class Sink:
    """One Telusur index held in a Typesense cluster (its two collections)."""

    def __init__(self, connection: Connection, prefix: str = DEFAULT_PREFIX):
        self.articles = articles_collection(prefix)
        self.meta = meta_collection(prefix)
        self.cluster = Cluster(connection, self.articles)

    def ensure_collections(self) -> None:
        """Create the collections if missing; refuse ones made by another schema version."""
        existing = {c["name"] for c in self.cluster.write(lambda c: c.collections.retrieve())}
        for name, schema in ((self.meta, meta_schema(self.meta)), (self.articles, articles_schema(self.articles))):
            if name not in existing:
                try:
                    self.cluster.write(lambda c, s=schema: c.collections.create(s))
                except tse.ObjectAlreadyExists:
                    pass  # a retried create that had gone through
        version = self.schema_version()
        if version is None:
            self.bump_generation()
        elif version != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"the Typesense collection {self.articles} has schema version {version}, this Telusur writes"
                f" {SCHEMA_VERSION}: delete the collections (or use another cluster) and build again"
            )

    def schema_version(self) -> int | None:
        try:
            doc = self.cluster.read(lambda c: c.collections[self.meta].documents[GENERATION_ID].retrieve())
        except tse.ObjectNotFound:
            return None
        return doc.get("schema")

    def alias_table(self) -> canonical.AliasTable:
        """The alias table the last build learnt (empty before the first)."""
        try:
            doc = self.cluster.read(lambda c: c.collections[self.meta].documents[ALIASES_ID].retrieve())
        except tse.ObjectNotFound:
            return canonical.AliasTable()
        return canonical.AliasTable.from_json(doc["table"])

    def refresh_aliases(self) -> int:
        """Re-learn the alias table from every article's evidence; update the articles it changes.

        What ``indexer.canonical.learn_table`` and ``rewrite_stale`` do for a Whoosh build, for a
        cluster: the table is kept in the meta collection, and a changed article gets a partial
        update of its entity fields.
        """
        fields = ("id", canonical.EVIDENCE, "person", "organization", "location")
        params = {"include_fields": ",".join(fields)}
        text = self.cluster.read(lambda c: c.collections[self.articles].documents.export(params), slow=True)
        docs = [json.loads(line) for line in text.split("\n") if line]
        table = learn([d.get(canonical.EVIDENCE) or [] for d in docs])
        stale = []
        for doc in docs:
            evidence = doc.get(canonical.EVIDENCE)
            if not evidence:
                continue
            want = canonical.facet_values(evidence, table)
            if any((doc.get(f) or []) != want[f] for f in ("person", "organization", "location")):
                stale.append(entity_document(doc["id"], want))
        self.update(stale)
        record = {"id": ALIASES_ID, "generation": 0, "schema": SCHEMA_VERSION, "table": table.to_json()}
        self.cluster.write(lambda c: c.collections[self.meta].documents.upsert(record))
        canonical.use_table(table)
        return len(stale)

    def bump_generation(self) -> None:
        doc = {"id": GENERATION_ID, "generation": time.time_ns(), "schema": SCHEMA_VERSION}
        self.cluster.write(lambda c: c.collections[self.meta].documents.upsert(doc))

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` the collection already holds (to count updates apart from new articles)."""
        searches = [
            {
                "collection": self.articles,
                "q": "*",
                "filter_by": id_filter(ids[start : start + 250]),
                "per_page": 250,
                "include_fields": "id",
            }
            for start in range(0, len(ids), 250)
        ]
        # A POST (a GET's query string is capped at 4,000 characters), through ``write``: any
        # node, and the long deadline of a build riding out a leader change.
        answer = self.cluster.write(lambda c: c.multi_search.perform({"searches": searches}, {}))
        found: set[str] = set()
        for result in answer["results"]:
            if "error" in result:
                raise RuntimeError(f"Typesense refused a search: {result['error']}")
            found.update(hit["document"]["id"] for hit in result["hits"])
        return found

    def upsert(self, docs: list[dict]) -> list[tuple[dict, str]]:
        """Import ``docs`` by id; returns the (document, error) pairs Typesense refused for good."""
        pending = docs
        refused: list[tuple[dict, str]] = []

        def attempt(client):
            nonlocal pending
            answers = client.collections[self.articles].documents.import_(pending, {"action": "upsert"})
            retry = []
            for doc, answer in zip(pending, answers):
                if answer.get("success"):
                    continue
                error = str(answer.get("error", "refused"))
                if any(word in error.lower() for word in _TRANSIENT_IMPORT):
                    retry.append(doc)
                else:
                    refused.append((doc, error))
            pending = retry
            if retry:
                raise Retryable(f"{len(retry)} document(s) refused for now: {error}")

        self.cluster.write(attempt)
        return refused

    def update(self, docs: list[dict]) -> None:
        """Partial updates by id (an article deleted meanwhile answers "not found": nothing to change)."""
        for start in range(0, len(docs), DEFAULT_BATCH_SIZE):
            chunk = docs[start : start + DEFAULT_BATCH_SIZE]
            self.cluster.write(lambda c, ch=chunk: c.collections[self.articles].documents.import_(ch, {"action": "update"}))

    def delete(self, ids: Iterable[str]) -> int:
        removed = 0
        for doc_id in dict.fromkeys(ids):
            try:
                self.cluster.write(lambda c, i=doc_id: c.collections[self.articles].documents[_path_id(i)].delete())
                removed += 1
            except tse.ObjectNotFound:
                pass
        if removed:
            self.bump_generation()
        return removed

    def count(self) -> int:
        return self.cluster.read(lambda c: c.collections[self.articles].retrieve())["num_documents"]

    def stats(self) -> dict:
        """Documents, facet cardinalities and top values, and how each node is."""
        params = {
            "q": "*",
            "per_page": 0,
            "facet_by": ",".join(f + KEY_SUFFIX for f in FACET_FIELDS),
            "max_facet_values": 5,
        }
        result = self.cluster.read(lambda c: c.collections[self.articles].documents.search(params))
        facets = {}
        for counts in result.get("facet_counts", []):
            name = counts["field_name"][: -len(KEY_SUFFIX)]
            facets[name] = {
                "values": counts.get("stats", {}).get("total_values", len(counts["counts"])),
                "top": [(facet_value(c["value"]), c["count"]) for c in counts["counts"]],
            }
        return {
            "index": f"typesense {', '.join(self.cluster.connection.urls)} ({self.articles})",
            "documents": result["found"],
            "facets": {name: facets.get(name, {"values": 0, "top": []}) for name in FACET_FIELDS},
            "nodes": [vars(s) for s in self.cluster.probe()],
        }


def _path_id(doc_id: str) -> str:
    return urllib.parse.quote(doc_id, safe="")


def build_typesense(
    sources: Iterable[str],
    sink: Sink,
    *,
    progress: bool = False,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    warn: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Add or update (by id) every article of ``sources`` in the cluster."""
    warn = warn or print
    workers = workers or min(2, os.cpu_count() or 1)
    started = time.monotonic()
    summary = BuildSummary()
    sink.cluster.require()
    sink.ensure_collections()
    # Workers fork with this table: articles are canonical from the start (indexer.canonical).
    canonical.use_table(sink.alias_table())
    _warm_up()
    bar = _progress_bar() if progress else None
    stories = ClusterStoryTable(sink)
    try:
        with multiprocessing.Pool(workers, initializer=_die_with_parent) as pool:
            batch: list[tuple[dict, Fingerprint]] = []
            for item in pool.imap(prepare, _articles(sources, summary, warn), chunksize=8):
                if isinstance(item, str):
                    summary.skipped += 1
                    warn(item)
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    _write(sink, stories, batch, summary, bar, warn)
                    batch = []
            _write(sink, stories, batch, summary, bar, warn)
    finally:
        stories.close()
        if bar is not None:
            bar.close()
    summary.recanonicalised = sink.refresh_aliases()
    sink.bump_generation()
    summary.documents = sink.count()
    summary.seconds = time.monotonic() - started
    return summary


def _articles(sources: Iterable[str], summary: BuildSummary, warn) -> Iterator[Article]:
    for item in iter_sources(sources):
        if isinstance(item, (Skipped, Repaired)):
            _report(item, summary, warn)
        else:
            yield item


def _write(sink: Sink, stories: ClusterStoryTable, batch: list[tuple[dict, Fingerprint]], summary: BuildSummary, bar, warn) -> None:
    if not batch:
        return
    # A repeated id within one batch: the last copy wins, as a later batch would.
    latest = {doc["id"]: (doc, fp) for doc, fp in batch}
    assignment = stories.assign([(doc_id, fp) for doc_id, (_doc, fp) in latest.items()])
    unique = [{**doc, STORY_FIELD: assignment.stories[doc["id"]]} for doc, _fp in latest.values()]
    stories.reserve()
    known = sink.existing_ids([doc["id"] for doc in unique])
    refused = sink.upsert(unique)
    # The articles a merge moved to another story (already imported).
    sink.update([{"id": doc_id, STORY_FIELD: story} for doc_id, story in assignment.moved.items()])
    stories.commit()
    refused_ids = {doc["id"] for doc, _ in refused}
    for doc, error in refused:
        warn(f"skipped {doc['id']}: Typesense refused it ({error})")
    summary.skipped += len(refused)
    summary.updated += sum(1 for d in unique if d["id"] in known and d["id"] not in refused_ids)
    summary.indexed += sum(1 for d in unique if d["id"] not in known and d["id"] not in refused_ids)
    sink.bump_generation()
    if bar is not None:
        bar.update(len(batch))
