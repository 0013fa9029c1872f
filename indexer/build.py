"""Building and updating an index: worker processes prepare, one writer commits.

Analysis and extraction are the cost, so they run in Whoosh's own
multiprocessing writer (``MpWriter``): each worker process turns articles into
fields (extraction + Sastrawi analysis, with a per-process stem cache) and
writes its own segment; the parent reads the sources, deletes replaced
documents by id and commits. Commits happen every ``batch_size`` articles, so a
killed build loses at most one batch and never committed data.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import multiprocessing
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import index
from whoosh.multiproc import MpWriter, SubWriterTask

from indexer import canonical
from indexer.analysis import add_stems, stem_words, unstemmed_words
from indexer.categories import canonical_category
from indexer.extract import Extraction, extract
from indexer.merge import merge_tiers
from indexer.schema import FACET_FIELDS, build_schema
from indexer.sources import Article, Repaired, Skipped, iter_sources
from indexer.stories import StoryTable, fingerprint

log = logging.getLogger("telusur.indexer")

DEFAULT_BATCH_SIZE = 5000
WRITER_MEMORY_MB = 256
BUILD_LOCK = "TELUSUR_BUILD_LOCK"
# Whoosh's own lock is only contended by a foreign writer once ours is held.
WHOOSH_LOCK_WAIT = 10.0


@dataclass
class BuildSummary:
    indexed: int = 0  # new documents
    updated: int = 0  # documents that replaced one with the same id
    skipped: int = 0
    repaired: int = 0
    seconds: float = 0.0
    documents: int = 0  # in the index afterwards
    recanonicalised: int = 0  # documents rewritten because the corpus taught an alias

    def line(self) -> str:
        rate = (self.indexed + self.updated) / self.seconds if self.seconds else 0.0
        return (
            f"indexed {self.indexed}, updated {self.updated}, skipped {self.skipped}"
            f" (repaired {self.repaired}) in {self.seconds:.1f} s ({rate:.0f} docs/s);"
            f" {self.documents} documents in the index"
        )


class IndexLocked(RuntimeError):
    """Another build holds the index's write lock."""


def document_fields(article: Article, story: str | None = None) -> dict:
    """The Whoosh fields of one article: text, facets, what extraction finds and its story id."""
    published = article.date.date() if article.date else None
    try:
        found = extract(f"{article.title}\n{article.body}", published)
    except Exception as exc:  # a faulty rule must not cost the article its place in the index
        _worker_warning(f"{article.origin}: facet extraction failed ({exc!r}); indexed without extracted facets")
        found = Extraction()
    mentioned = set(found.dates)
    if published:
        mentioned.add(published.isoformat())
    fields = {
        "id": article.id,
        "title": article.title,
        "title_exact": article.title,
        "body": article.body,
        "body_exact": article.body,
        "url": article.url,
        "subcategory": article.subcategory,
        "date": article.date,
        "source": article.source,
        "category": canonical_category(article.category),
        "mentioned": sorted(mentioned),
        "story": story,
    }
    fields.update(_entity_fields(found))
    return {name: value for name, value in fields.items() if value is not None}


# --- corpus aliases (indexer/canonical.py): write-time canonical entity values -------------


def _entity_fields(found: Extraction) -> dict:
    """The entity facets through the corpus alias table, and the evidence that teaches it."""
    from indexer.extract.corpus_aliases import evidence_values

    evidence = evidence_values(found.people, found.organizations, found.locations, found.defined)
    return {canonical.EVIDENCE: evidence, **canonical.facet_values(evidence)}


def _rewrite(writer, stored: dict, entity_fields: dict) -> None:
    """Re-add one document with new entity values (``canonical.refresh``)."""
    fields = {**stored, **entity_fields, "title_exact": stored.get("title"), "body_exact": stored.get("body")}
    # Every facet column gets a value, if only an empty list: a segment lacking a column
    # that older segments have breaks Whoosh's multi-segment column reader.
    fields.update({name: [] for name in FACET_FIELDS if fields.get(name) is None})
    writer.update_document(**{k: v for k, v in fields.items() if v is not None})


def _refresh_aliases(ix, index_dir, summary: BuildSummary) -> None:
    """After the batches: re-learn the alias table, rewrite the documents it changes (one commit)."""
    refreshed = canonical.refresh(ix, index_dir, _rewrite)
    summary.recanonicalised = refreshed.rewritten


# ------------------------------------------------------------------------------------------


def _worker_warning(message: str) -> None:
    """Worker processes cannot reach the build's ``warn``; stderr is where the user looks."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build process dies.

    Writer workers inherit the index's write lock (a ``flock`` on a file they
    share with the parent); an orphan left by a killed build would hold it
    forever and block the re-run that completes the build.
    """
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: orphans exit when their job queue closes


class _PreparingTask(SubWriterTask):
    """A writer process that prepares each article itself, so extraction runs in parallel."""

    def run(self):
        _die_with_parent()
        super().run()

    def _process_file(self, filename, doc_count):
        import pickle

        tempstorage = self.writer.temp_storage()
        with tempstorage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                _code, args = pickle.load(f)
                article = args["article"]
                try:
                    self.writer.add_document(**document_fields(article, args.get("story")))
                except Exception as exc:  # one bad document must not kill the worker and stall the build
                    _worker_warning(f"skipped {article.origin}: could not be indexed ({exc!r})")
        tempstorage.delete_file(filename)


class _PreparingWriter(MpWriter):
    def _new_task(self):
        task = _PreparingTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task


def open_or_create(index_dir: str | Path) -> index.Index:
    path = Path(index_dir)
    path.mkdir(parents=True, exist_ok=True)
    if index.exists_in(str(path)):
        return _with_new_fields(index.open_dir(str(path)))
    return index.create_in(str(path), build_schema())


def _with_new_fields(ix: index.Index) -> index.Index:
    """An index written before a field existed (``story``) gets it, empty, so builds can fill it."""
    schema = build_schema()
    missing = [name for name in schema.names() if name not in ix.schema]
    if missing:
        writer = ix.writer(timeout=WHOOSH_LOCK_WAIT)
        for name in missing:
            writer.add_field(name, schema[name])
        writer.commit()
    return ix


@contextmanager
def exclusive(index_dir: str | Path, lock_wait: float, notify: Callable[[str], None]) -> Iterator[None]:
    """Hold the index for one whole build or delete.

    Whoosh's own write lock is taken per commit, so two builds would
    interleave batch by batch; this lock spans the whole run. It is a
    ``flock``: the kernel releases it when the process dies, so a killed build
    never leaves a stale lock behind.
    """
    path = Path(index_dir) / BUILD_LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + lock_wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"the index at {index_dir} is being written by another build; try again later"
                    ) from None
                if not told:
                    notify(f"the index is being written by another build; waiting up to {lock_wait:.0f} s")
                    told = True
                time.sleep(0.25)
        yield
    finally:
        os.close(fd)  # releases the lock


def _writer(ix: index.Index, workers: int) -> MpWriter:
    return _PreparingWriter(
        ix, procs=workers, batchsize=100, multisegment=True, limitmb=WRITER_MEMORY_MB, timeout=WHOOSH_LOCK_WAIT
    )


def build_index(
    sources: Iterable[str | Path],
    index_dir: str | Path,
    *,
    progress: bool = False,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    lock_wait: float = 0.0,
    warn: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Add or update (by id) every article of ``sources`` in the index at ``index_dir``."""
    warn = warn or (lambda msg: log.warning(msg))
    workers = workers or min(2, os.cpu_count() or 1)
    started = time.monotonic()
    summary = BuildSummary()
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    _warm_up()
    with exclusive(index_dir, lock_wait, warn):
        ix = open_or_create(index_dir)
        canonical.use_table(canonical.AliasTable.load(index_dir))
        bar = _progress_bar() if progress else None
        stories = StoryTable(index_dir)
        try:
            with multiprocessing.Pool(workers, initializer=_die_with_parent) as stemmers:
                batch: list[Article] = []
                batch_ids: set[str] = set()
                for item in iter_sources(sources):
                    if isinstance(item, (Skipped, Repaired)):
                        _report(item, summary, warn)
                        continue
                    # A repeated id must see the earlier copy committed to replace it.
                    if len(batch) >= batch_size or item.id in batch_ids:
                        _write_batch(ix, batch, summary, stemmers, workers, bar, warn, stories)
                        batch, batch_ids = [], set()
                    batch.append(item)
                    batch_ids.add(item.id)
                _write_batch(ix, batch, summary, stemmers, workers, bar, warn, stories)
            _refresh_aliases(ix, index_dir, summary)
        finally:
            stories.close()
            if bar is not None:
                bar.close()
        summary.documents = ix.doc_count()
    summary.seconds = time.monotonic() - started
    return summary


def _report(item: Skipped | Repaired, summary: BuildSummary, warn: Callable[[str], None]) -> None:
    if isinstance(item, Skipped):
        summary.skipped += 1
        warn(f"skipped {item.origin}: {item.reason}")
    else:
        summary.repaired += 1
        warn(f"repaired {item.origin}: {item.reason}")


def _warm_up() -> None:
    """Load the stemmer dictionary and gazetteers before worker processes fork and share them."""
    extract("Presiden Joko Widodo bertemu Gubernur Jawa Barat di Bandung, Rabu (11/9/2019).", dt.date(2019, 9, 11))
    stem_words(["pertemuan"])


def _prestem(batch: list[Article], stemmers, workers: int) -> None:
    """Stem the batch's new words across processes, so each writer process only looks stems up."""
    words = sorted(unstemmed_words(text for a in batch for text in (a.title, a.body)))
    if not words:
        return
    size = max(500, len(words) // (workers * 4) + 1)
    chunks = [words[i : i + size] for i in range(0, len(words), size)]
    for stems in stemmers.imap_unordered(stem_words, chunks):
        add_stems(stems)


def _write_batch(ix, batch, summary, stemmers, workers, bar, warn, stories: StoryTable) -> None:
    """One commit: a kill loses at most this batch, never what was committed before.

    The story table commits right after the index; a kill between the two
    leaves the batch's articles unknown to it, and the re-run that completes
    the batch assigns them again.
    """
    if not batch:
        return
    _prestem(batch, stemmers, workers)
    assigned = stories.assign([(a.id, fingerprint(a.title, a.body, a.date, a.source)) for a in batch])
    before, indexed_before = ix.doc_count(), summary.indexed
    writer = _writer(ix, workers)
    try:
        with writer.searcher() as committed:
            for article in batch:
                if writer.delete_by_term("id", article.id, searcher=committed):
                    summary.updated += 1
                else:
                    summary.indexed += 1
                writer.add_document(article=article, story=assigned.stories[article.id])
                if bar is not None:
                    bar.update(1)
            _restamp(writer, committed, assigned.moved)
        writer.commit(mergetype=merge_tiers)
    except BaseException:
        writer.cancel()
        stories.rollback()
        raise
    stories.commit()
    missing = before + summary.indexed - indexed_before - ix.doc_count()
    if missing > 0:  # a worker skipped a document, or died
        summary.indexed -= missing
        summary.skipped += missing
        warn(f"{missing} article(s) of the last batch were not indexed (see the warnings above); run the build again to retry them")


def _restamp(writer, committed, moved: dict[str, str]) -> None:
    """Rewrite the indexed articles a merge moved to another story (rare, a few per batch)."""
    for doc_id, story in moved.items():
        docnum = committed.document_number(id=doc_id)
        if docnum is None:
            continue
        stored = committed.stored_fields(docnum)
        writer.delete_by_term("id", doc_id, searcher=committed)
        writer.add_document(article=_stored_article(stored), story=story)


def _stored_article(stored: dict) -> Article:
    """An indexed article back as an ``Article``, from its stored fields."""
    def first(name: str) -> str | None:  # facet fields are stored as lists
        value = stored.get(name)
        return (value[0] if value else None) if isinstance(value, (list, tuple)) else value

    return Article(
        id=stored["id"],
        title=stored.get("title") or "",
        body=stored.get("body") or "",
        date=stored.get("date"),
        source=first("source"),
        category=first("category"),
        subcategory=stored.get("subcategory"),
        url=stored.get("url"),
        origin=f"story merge of {stored['id']}",
    )


def _progress_bar():
    from tqdm import tqdm

    return tqdm(unit="docs", unit_scale=False, file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def delete_documents(index_dir: str | Path, ids: Iterable[str], lock_wait: float = 0.0) -> int:
    """Remove documents by id; returns how many were removed."""
    ix = index.open_dir(str(index_dir))
    with exclusive(index_dir, lock_wait, lambda msg: log.warning(msg)):
        writer = ix.writer(timeout=WHOOSH_LOCK_WAIT)
        ids = list(ids)
        removed = sum(writer.delete_by_term("id", doc_id) for doc_id in ids)
        writer.commit(mergetype=merge_tiers)
        stories = StoryTable(index_dir)
        stories.remove(ids)  # the rest of each story stays grouped
        stories.commit()
        stories.close()
    return removed
