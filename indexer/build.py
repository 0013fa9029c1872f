"""Building and updating an index: worker processes prepare and write, the parent reads and commits.

The work has three parts, each kept busy: the parent reads and cleans the
sources and hands chunks of articles to the worker processes (the one with
room in its queue first); each worker prepares its articles (extraction and
Sastrawi analysis, ``indexer.prepare``) and fingerprints them for story
detection (``indexer.stories``), and keeps them; once a batch of
``batch_size`` articles is prepared the parent gives each article its story
(``StoryTable.assign``, in the batch's order) and each worker writes its share,
pre-analysed, into a Whoosh segment of its own (``indexer.segments``), which
the parent publishes in one commit, while the workers already prepare the next
batch. A killed build keeps every committed batch and loses the one being
committed and the next one in preparation; re-running it completes the index. Stems are memoised per
process, kept with the index (``indexer.stemstore``) and passed between the
workers, so no build stems a known word twice.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import multiprocessing
import os
import queue
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import index

from indexer import canonical
from indexer.analysis import add_stems, stem, take_new_stems
from indexer.extract import extract
from indexer.merge import merge_tiers
from indexer.schema import FACET_FIELDS, build_schema
from indexer.segments import Sealed, commit_segments, reset_incoming, restamped, work
from indexer.sources import Article, Repaired, Skipped, iter_sources
from indexer.prepare import document_fields  # noqa: F401 (other sinks import it from here)
from indexer.stages import CLOCK
from indexer.stemstore import StemStore
from indexer.stories import StoryTable

log = logging.getLogger("telusur.indexer")

DEFAULT_BATCH_SIZE = 5000
BUILD_LOCK = "TELUSUR_BUILD_LOCK"
# Whoosh's own lock is only contended by a foreign writer once ours is held.
WHOOSH_LOCK_WAIT = 10.0
CHUNK = 16  # articles a worker is handed at once
PREFETCH = 4  # chunks waiting in each worker's queue
AHEAD = 1  # batches prepared while an earlier one is written and committed


@dataclass
class BuildSummary:
    indexed: int = 0  # new documents
    updated: int = 0  # documents that replaced one with the same id
    skipped: int = 0
    repaired: int = 0
    seconds: float = 0.0
    documents: int = 0  # in the index afterwards
    stage_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage, all processes
    worker_idle: float = 0.0  # seconds worker processes waited for work, summed
    stems_known: int = 0  # stems the index's stem store gave the build
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


# --- corpus aliases (indexer/canonical.py): write-time canonical entity values -------------


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
        writer.commit(mergetype=merge_tiers)
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
    with exclusive(index_dir, lock_wait, warn):
        ix = open_or_create(index_dir)
        canonical.use_table(canonical.AliasTable.load(index_dir))  # before the workers fork
        stems = StemStore(index_dir)
        known = stems.load()
        add_stems(known)
        summary.stems_known = len(known)
        _warm_up()
        bar = _progress_bar() if progress else None
        stories = StoryTable(index_dir)
        pipeline = _Pipeline(ix, index_dir, workers, stems, stories, summary, bar, warn)
        try:
            batch_ids: set[str] = set()
            items = iter_sources(sources)
            while True:
                with CLOCK.stage("read"):
                    item = next(items, None)
                if item is None:
                    break
                if isinstance(item, (Skipped, Repaired)):
                    _report(item, summary, warn)
                    continue
                # A repeated id must see the earlier copy committed to replace it.
                if len(batch_ids) >= batch_size or item.id in batch_ids:
                    pipeline.seal()
                    batch_ids = set()
                pipeline.add(item)
                batch_ids.add(item.id)
            pipeline.seal()
            pipeline.finish()
            _refresh_aliases(ix, index_dir, summary)
        except BaseException:
            stories.rollback()
            raise
        finally:
            pipeline.stop()
            stories.close()
            if bar is not None:
                bar.close()
        summary.documents = ix.doc_count()
    parent = CLOCK.take()
    parent["read"] = parent.get("read", 0.0) - parent.get("clean", 0.0)  # cleaning runs inside reading
    for name, seconds in parent.items():
        summary.stage_cpu[name] = summary.stage_cpu.get(name, 0.0) + seconds
    summary.seconds = time.monotonic() - started
    return summary


class _Pipeline:
    """The parent's side of a build.

    Batches go through three steps, in order: handed out (chunks to whichever
    worker has room), prepared (every worker sent back its articles'
    fingerprints: the parent assigns the stories and tells each worker to write
    its segment), committed (every worker's segment published, then the story
    table). A batch is assigned only once the one before it is committed, so
    the story table always commits with its own batch, and at most ``AHEAD``
    batches are handed out beyond the one being committed, which bounds
    the memory the workers hold.
    """

    def __init__(self, ix, index_dir, workers: int, stems: StemStore, stories: StoryTable, summary: BuildSummary, bar, warn):
        self.ix, self.stems, self.stories, self.summary, self.bar, self.warn = ix, stems, stories, summary, bar, warn
        self.incoming = reset_incoming(index_dir, ix.schema, workers)
        context = multiprocessing.get_context("fork")  # workers share the loaded dictionaries
        self.outbox = context.Queue()
        self.inboxes = [context.Queue(PREFETCH) for _ in range(workers)]
        self.processes = [
            context.Process(target=work, args=(n, self.incoming, inbox, self.outbox, _die_with_parent), daemon=True)
            for n, inbox in enumerate(self.inboxes)
        ]
        for process in self.processes:
            process.start()
        self.chunk: list[Article] = []
        self.handing = 0  # the batch being handed out
        self.batches: dict[int, _Batch] = {0: _Batch()}
        self.committed = 0  # batches before this one are committed
        self.reports: dict[int, list[Sealed]] = {}
        self.unshared: list[dict[str, str]] = [{} for _ in range(workers)]  # stems each worker lacks
        self.new_stems = take_new_stems()  # for the stem store, at the next commit (the warm-up's too)
        self.next_worker = 0

    def add(self, article: Article) -> None:
        self.chunk.append(article)
        self.batches[self.handing].ids.append(article.id)
        if len(self.chunk) >= CHUNK:
            self._hand_out()

    def seal(self) -> None:
        """End the batch being handed out; it is written once all of it is prepared."""
        self._hand_out()
        if not self.batches[self.handing].ids:
            return
        self.batches[self.handing].sealed = True
        self._advance()
        self.handing += 1
        self.batches[self.handing] = _Batch()
        while self.handing - self.committed > AHEAD:
            self._collect(block=True)

    def finish(self) -> None:
        """Wait until every sealed batch is committed, then let the workers exit."""
        while self.committed < self.handing:
            self._collect(block=True)
        for inbox in self.inboxes:
            inbox.put(None)
        for process in self.processes:
            process.join()

    def stop(self) -> None:
        """Make sure no worker outlives the build (after an error, uncommitted work is dropped)."""
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join()
        for inbox in self.inboxes:
            # Chunks still buffered for a killed worker would keep this process
            # from exiting: the queue's feeder thread waits for a reader forever.
            inbox.cancel_join_thread()
        shutil.rmtree(self.incoming, ignore_errors=True)

    def _hand_out(self) -> None:
        if not self.chunk:
            return
        chunk, self.chunk = self.chunk, []
        batch = self.batches[self.handing]
        while True:  # the first worker with room, starting after the last one served
            for k in range(len(self.inboxes)):
                n = (self.next_worker + k) % len(self.inboxes)
                try:
                    self.inboxes[n].put_nowait(("docs", self.handing, chunk, self.unshared[n]))
                except queue.Full:
                    continue
                self.unshared[n] = {}
                self.next_worker = n + 1
                batch.owner.update((a.id, n) for a in chunk)
                if self.bar is not None:
                    self.bar.update(len(chunk))
                return
            self._collect(block=True, timeout=0.02)

    def _put(self, n: int, message) -> None:
        while True:
            try:
                return self.inboxes[n].put_nowait(message)
            except queue.Full:
                self._collect(block=True, timeout=0.02)

    def _collect(self, block: bool, timeout: float = 1.0) -> None:
        """Take one report from the workers and move the batches on."""
        try:
            report = self.outbox.get(block, timeout)
        except queue.Empty:
            dead = [n for n, p in enumerate(self.processes) if not p.is_alive()]
            if dead:
                raise RuntimeError(f"indexing worker {dead[0]} died (out of memory?); committed batches are kept")
            return
        if report[0] == "error":
            raise RuntimeError(f"indexing worker {report[1]} failed: {report[2]}")
        if report[0] == "prepared":
            _, worker, number, fingerprints, stems = report
            self.batches[number].fingerprints.update(fingerprints)
            for n, others in enumerate(self.unshared):
                if n != worker:
                    others.update(stems)
            self.new_stems.update(stems)
        else:
            sealed: Sealed = report[1]
            self.reports.setdefault(sealed.batch, []).append(sealed)
            if len(self.reports[self.committed]) == len(self.processes):
                self._commit(self.reports.pop(self.committed))
        self._advance()

    def _advance(self) -> None:
        """Assign the oldest fully prepared batch its stories once the batch before it is committed."""
        batch = self.batches.get(self.committed)
        if batch is None or batch.assigned or not batch.sealed or len(batch.fingerprints) < len(batch.ids):
            return
        with CLOCK.stage("story"):
            prepared = [(i, batch.fingerprints[i]) for i in batch.ids if batch.fingerprints[i] is not None]
            batch.assignment = self.stories.assign(prepared)
        batch.assigned = True
        for n in range(len(self.inboxes)):
            mine = {i: s for i, s in batch.assignment.stories.items() if batch.owner.get(i) == n}
            self._put(n, ("write", self.committed, mine))

    def _commit(self, reports: list[Sealed]) -> None:
        number = self.committed
        batch = self.batches.pop(number)
        failed = {i for i, fp in batch.fingerprints.items() if fp is None} | {i for r in reports for i in r.failed}
        added = sum(r.added for r in reports)
        with CLOCK.stage("commit"):
            replaced = commit_segments(
                self.ix,
                reports,
                [i for i in batch.ids if i not in failed],
                lambda writer, committed: restamped(writer, committed, batch.assignment.moved),
                merge_tiers,
                WHOOSH_LOCK_WAIT,
            )
            self.stories.commit()
            self.stems.append(self.new_stems)
            self.new_stems = {}
        self.committed = number + 1
        self.summary.updated += replaced
        self.summary.indexed += added - replaced
        self.summary.skipped += len(failed)
        for r in reports:
            self.summary.worker_idle += r.idle
            for name, seconds in r.cpu.items():
                self.summary.stage_cpu[name] = self.summary.stage_cpu.get(name, 0.0) + seconds
        if failed:
            self.warn(f"{len(failed)} article(s) of the last batch were not indexed (see the warnings above); run the build again to retry them")


@dataclass
class _Batch:
    ids: list[str] = field(default_factory=list)  # in the order read
    owner: dict[str, int] = field(default_factory=dict)  # id -> the worker preparing it
    fingerprints: dict = field(default_factory=dict)  # id -> Fingerprint, None when it could not be prepared
    sealed: bool = False
    assigned: bool = False
    assignment: object = None  # stories.Assignment


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
    stem("pertemuan")


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
