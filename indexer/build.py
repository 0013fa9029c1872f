"""Building and updating an index: worker processes prepare, one writer commits.

Analysis and extraction are the cost, so they run in Whoosh's own
multiprocessing writer (``MpWriter``): each worker process turns articles into
fields (extraction + Sastrawi analysis, with a per-process stem cache) and
writes its own segment; the parent reads the sources, deletes replaced
documents by id and commits. Commits happen every ``batch_size`` articles, so a
killed build loses at most one batch and never committed data.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import LockError

from indexer.categories import canonical_category
from indexer.extract import extract
from indexer.schema import build_schema
from indexer.sources import Article, Repaired, Skipped, iter_sources

log = logging.getLogger("telusur.indexer")

DEFAULT_BATCH_SIZE = 5000
WRITER_MEMORY_MB = 256


@dataclass
class BuildSummary:
    indexed: int = 0  # new documents
    updated: int = 0  # documents that replaced one with the same id
    skipped: int = 0
    repaired: int = 0
    seconds: float = 0.0
    documents: int = 0  # in the index afterwards

    def line(self) -> str:
        rate = (self.indexed + self.updated) / self.seconds if self.seconds else 0.0
        return (
            f"indexed {self.indexed}, updated {self.updated}, skipped {self.skipped}"
            f" (repaired {self.repaired}) in {self.seconds:.1f} s ({rate:.0f} docs/s);"
            f" {self.documents} documents in the index"
        )


class IndexLocked(RuntimeError):
    """Another build holds the index's write lock."""


def document_fields(article: Article) -> dict:
    """The Whoosh fields of one article: text, facets and what extraction finds."""
    published = article.date.date() if article.date else None
    found = extract(f"{article.title}\n{article.body}", published)
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
        "entity": found.people + found.organizations,
        "person": found.people,
        "organization": found.organizations,
        "location": found.locations,
        "mentioned": sorted(mentioned),
    }
    return {name: value for name, value in fields.items() if value is not None}


class _PreparingTask(SubWriterTask):
    """A writer process that prepares each article itself, so extraction runs in parallel."""

    def _process_file(self, filename, doc_count):
        import pickle

        tempstorage = self.writer.temp_storage()
        with tempstorage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                _code, args = pickle.load(f)
                self.writer.add_document(**document_fields(args["article"]))
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
        return index.open_dir(str(path))
    return index.create_in(str(path), build_schema())


def _writer(ix: index.Index, workers: int, lock_wait: float, notify: Callable[[str], None]):
    """Take the write lock, telling the user when another build holds it."""
    deadline = time.monotonic() + lock_wait
    told = False
    while True:
        try:
            return _PreparingWriter(
                ix, procs=workers, batchsize=100, multisegment=True, limitmb=WRITER_MEMORY_MB
            )
        except LockError:
            if time.monotonic() >= deadline:
                raise IndexLocked(
                    f"the index at {ix.storage.folder} is being written by another build; try again later"
                ) from None
            if not told:
                notify(f"index is locked by another build; waiting up to {lock_wait:.0f} s")
                told = True
            time.sleep(0.5)


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
    ix = open_or_create(index_dir)
    bar = _progress_bar() if progress else None

    writer = None
    batch_ids: set[str] = set()
    try:
        for item in iter_sources(sources):
            if isinstance(item, Skipped):
                summary.skipped += 1
                warn(f"skipped {item.origin}: {item.reason}")
                continue
            if isinstance(item, Repaired):
                summary.repaired += 1
                warn(f"repaired {item.origin}: {item.reason}")
                continue
            if item.id in batch_ids or len(batch_ids) >= batch_size:
                # A repeated id must see the earlier copy committed to replace it.
                _commit(writer)
                writer, batch_ids = None, set()
            if writer is None:
                writer = _writer(ix, workers, lock_wait, warn)
            if writer.delete_by_term("id", item.id):
                summary.updated += 1
            else:
                summary.indexed += 1
            writer.add_document(article=item)
            batch_ids.add(item.id)
            if bar is not None:
                bar.update(1)
        _commit(writer)
        writer = None
    finally:
        if writer is not None:
            writer.cancel()
        if bar is not None:
            bar.close()
    summary.seconds = time.monotonic() - started
    summary.documents = ix.doc_count()
    return summary


def _commit(writer) -> None:
    if writer is not None:
        writer.commit()


def _progress_bar():
    from tqdm import tqdm

    return tqdm(unit="docs", unit_scale=False, file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def delete_documents(index_dir: str | Path, ids: Iterable[str], lock_wait: float = 0.0) -> int:
    """Remove documents by id; returns how many were removed."""
    ix = index.open_dir(str(index_dir))
    deadline = time.monotonic() + lock_wait
    while True:
        try:
            writer = ix.writer()
            break
        except LockError:
            if time.monotonic() >= deadline:
                raise IndexLocked(f"the index at {index_dir} is being written by another build") from None
            time.sleep(0.5)
    removed = sum(writer.delete_by_term("id", doc_id) for doc_id in ids)
    writer.commit()
    return removed
