"""Building and updating an index: worker processes prepare and write, the parent reads, assigns stories and commits.

A build has two passes. Preparing: the parent reads and cleans the sources
and hands chunks of articles to the worker processes (the one with room in
its queue first); each worker prepares its articles (extraction and Sastrawi
analysis, ``indexer.prepare``), fingerprints them for story detection
(``indexer.stories``) and spools them to disk (``indexer.spool``), sending
back only what teaches the corpus alias table. Meanwhile, between handing
out chunks, the parent gives each article its story (``StoryTable.assign``),
batch after batch in the order read, as soon as a batch is prepared. The
table is then learnt once (``indexer.canonical``), so that writing, batch by
batch, gives every document its final canonical values and no document is
written twice: each worker writes its share of the spooled batch,
pre-analysed, into a Whoosh segment of its own (``indexer.segments``), and
the parent publishes them in one commit while the workers write the next
batch. Documents indexed by earlier builds are rewritten only when the new
table changes their values.

Stories are assigned ahead of the commits on a scratch copy of the story
table, each batch's assignment kept in the spool until the batch is written;
its rows reach the table only with the batch's index commit
(``StoryTable(staged=True)``). A killed build keeps every committed batch,
and the story table agrees with it, and every prepared chunk: the re-run
prepares only what was not spooled, writes only what was not committed, and
completes the index. Stems are memoised per process, kept with the index
(``indexer.stemstore``) and passed between the workers, so no build stems a
known word twice.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gc
import logging
import multiprocessing
import os
import queue
import resource
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
from indexer.spool import FOLDER as SPOOL, Spool
from indexer.sources import Article, Repaired, Skipped, iter_sources
from indexer.prepare import document_fields  # noqa: F401 (other sinks import it from here)
from indexer.stages import CLOCK
from indexer.stemstore import StemStore
from indexer.stories import Assignment, StoryTable

log = logging.getLogger("telusur.indexer")

DEFAULT_BATCH_SIZE = 5000
BUILD_LOCK = "TELUSUR_BUILD_LOCK"
# Whoosh's own lock is only contended by a foreign writer once ours is held.
WHOOSH_LOCK_WAIT = 10.0
CHUNK = 16  # articles a worker is handed at once
PREFETCH = 4  # chunks waiting in each worker's queue
STORY_STEP = 16  # articles the parent assigns stories to between two looks at the workers


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
    writing_idle: float = 0.0  # of which while the build wrote (its second pass)
    parent_cpu: dict[str, float] = field(default_factory=dict)  # of ``stage_cpu``, the parent process's (serial) part
    stems_known: int = 0  # stems the index's stem store gave the build
    recanonicalised: int = 0  # documents indexed earlier, rewritten because the corpus taught an alias
    reused: int = 0  # articles a killed build had prepared (``indexer.spool``), not prepared again
    peak_rss: list[float] = field(default_factory=list)  # the parent's peak RSS (MB) after each batch's commit

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
    """Re-add one document indexed earlier with new entity values (``canonical.rewrite_stale``)."""
    fields = {**stored, **entity_fields, "title_exact": stored.get("title"), "body_exact": stored.get("body")}
    # Every facet column gets a value, if only an empty list: a segment lacking a column
    # that older segments have breaks Whoosh's multi-segment column reader.
    fields.update({name: [] for name in FACET_FIELDS if fields.get(name) is None})
    writer.update_document(**{k: v for k, v in fields.items() if v is not None})


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
        stories = StoryTable(index_dir, staged=True)  # assigned ahead, each batch's rows committed with it
        spooled = Spool(index_dir)
        pipeline = _Pipeline(ix, index_dir, workers, stems, stories, spooled, summary, progress, warn)
        try:
            for batch in _batches(iter_sources(sources), batch_size, summary, warn):
                pipeline.prepare(batch)
            pipeline.write()
            pipeline.finish()
            spooled.remove()
        except BaseException:
            stories.rollback()
            raise
        finally:
            pipeline.stop()
            stories.close()
        summary.documents = ix.doc_count()
    summary.parent_cpu = CLOCK.take()
    for name, seconds in summary.parent_cpu.items():
        summary.stage_cpu[name] = summary.stage_cpu.get(name, 0.0) + seconds
    summary.seconds = time.monotonic() - started
    return summary


def _batches(items, batch_size: int, summary: BuildSummary, warn) -> Iterator[list[Article]]:
    """The articles in batches of ``batch_size`` (each committed at once), in the order read."""
    batch: list[Article] = []
    ids: set[str] = set()
    while True:
        with CLOCK.stage("read"):
            item = next(items, None)
        if item is None:
            break
        if isinstance(item, (Skipped, Repaired)):
            _report(item, summary, warn)
            continue
        # A repeated id must see the earlier copy committed to replace it.
        if len(batch) >= batch_size or item.id in ids:
            yield batch
            batch, ids = [], set()
        batch.append(item)
        ids.add(item.id)
    if batch:
        yield batch


@dataclass
class _Chunk:
    key: str
    ids: list[str]
    evidence: dict[str, list[str] | None] | None = None  # id -> evidence, None when it failed; None until prepared
    committed: bool = False  # by an earlier, killed build


class _Pipeline:
    """The parent's side of a build, in two passes.

    Preparing: the articles go out in chunks to whichever worker has room,
    which prepares, fingerprints and spools each chunk (``indexer.spool``) and
    sends back its evidence; a chunk already spooled by a killed build is not
    prepared again. While the workers' queues are full the parent assigns the
    stories (``_assign_some``: ``STORY_STEP`` articles at a time, batch after
    batch in the order read, a batch once all of it is prepared), so the
    assignment costs the workers no wait. Then the alias table is learnt once,
    from the evidence of the index's other documents and of every prepared
    article (``indexer.canonical``). Writing: batch by batch, the workers each
    write their share of the spooled chunks into a segment with the final
    canonical values and the batch's stories, and the parent publishes them
    in one commit, with the batch's rows of the story table, while the workers
    write the next batch. Last, the documents indexed before this build whose
    values the new table changes are rewritten.
    """

    def __init__(self, ix, index_dir, workers: int, stems: StemStore, stories: StoryTable, spooled: Spool, summary: BuildSummary, progress: bool, warn):
        self.ix, self.index_dir, self.stems, self.stories, self.spool = ix, index_dir, stems, stories, spooled
        self.summary, self.progress, self.warn = summary, progress, warn
        self.bar = _progress_bar("preparing") if progress else None
        self.incoming = reset_incoming(index_dir, ix.schema, workers)
        context = multiprocessing.get_context("fork")  # workers share the loaded dictionaries
        self.outbox = context.Queue()
        self.inboxes = [context.Queue(PREFETCH) for _ in range(workers)]
        self.processes = [
            context.Process(target=work, args=(n, self.incoming, spooled.path, inbox, self.outbox, _die_with_parent), daemon=True)
            for n, inbox in enumerate(self.inboxes)
        ]
        for process in self.processes:
            process.start()
        self.batches: list[list[_Chunk]] = []
        self.waiting: dict[str, _Chunk] = {}  # chunks handed out, not yet prepared
        # Per batch, in order: True once assigned (the ``Assignment`` waits in the spool: a 10x
        # corpus's rows are ~0.4 GB), None when there is nothing to write.
        self.assignments: list[bool | None] = []
        self.writing: dict[int, Assignment] = {}  # the batches handed to the workers, not committed yet
        self.assigning: Iterator[Assignment | None] | None = None  # the next batch's assignment, under way
        self.sealed: dict[int, list[Sealed]] = {}  # per batch, the workers' segments
        self.unshared: list[dict[str, str]] = [{} for _ in range(workers)]  # stems each worker lacks
        self.new_stems = take_new_stems()  # for the stem store, at the next commit (the warm-up's too)
        self.next_worker = 0

    # -- pass 1: prepare -----------------------------------------------------------

    def prepare(self, articles: list[Article]) -> None:
        number = len(self.batches)
        chunks = []
        for start in range(0, len(articles), CHUNK):
            part = articles[start : start + CHUNK]
            chunk = _Chunk(self.spool.key(part), [a.id for a in part])
            chunks.append(chunk)
            evidence = self.spool.prepared(chunk.key)
            if evidence is not None:  # spooled by a killed build
                chunk.evidence = {i: (p[1] if p else None) for i, p in evidence.items()}
                chunk.committed = self.spool.is_committed(chunk.key)
                self.summary.reused += len(part)
                self._progress(len(part))
            else:
                self.waiting[chunk.key] = chunk
                self._hand_out(("docs", number, chunk.key, part), len(part))
        self.batches.append(chunks)

    def _hand_out(self, message: tuple, size: int) -> None:
        while True:  # the first worker with room, starting after the last one served
            for k in range(len(self.inboxes)):
                n = (self.next_worker + k) % len(self.inboxes)
                try:
                    self.inboxes[n].put_nowait((*message, self.unshared[n]))
                except queue.Full:
                    continue
                self.unshared[n] = {}
                self.next_worker = n + 1
                self._progress(size)
                return
            self._wait()

    def _wait(self) -> None:
        """Take a worker's report if one came; until one does, assign stories (the parent's own work)."""
        if self._assign_some():
            self._collect(block=False)
        else:
            self._collect(block=True, timeout=0.02)

    def _progress(self, size: int) -> None:
        if self.bar is not None:
            self.bar.update(size)

    # -- stories: assigned by the parent while the workers work -----------------------

    def _assign_some(self) -> bool:
        """Assign up to ``STORY_STEP`` articles their story, batch after batch in the order read,
        once a batch is prepared (its fingerprints spooled); False when no batch is ready."""
        if self.assigning is None:
            number = len(self.assignments)
            if number >= len(self.batches) or any(c.evidence is None for c in self.batches[number]):
                return False
            todo = [c for c in self.batches[number] if not c.committed]
            if not todo:
                self.assignments.append(None)
                return True
            self.assigning = self._assigning(todo)
        with CLOCK.stage("story"):
            for _ in range(STORY_STEP):
                result = next(self.assigning)
                if result is not None:
                    self.spool.keep_assignment(len(self.assignments), result)
                    self.assignments.append(True)
                    self.assigning = None
                    break
        return True

    def _assigning(self, chunks: list[_Chunk]) -> Iterator[Assignment | None]:
        prepared = []
        for chunk in chunks:
            for doc_id, entry in self.spool.prepared(chunk.key).items():
                if entry is not None:
                    prepared.append((doc_id, entry[0]))
        yield from self.stories.assigning(prepared)

    # -- the alias table -----------------------------------------------------------

    def _learn(self) -> dict[str, list[str]]:
        """Learn the table every document of this build is written with; the kept documents' evidence."""
        with CLOCK.stage("alias"):
            written: dict[str, list[str]] = {}  # the last copy of each id this build writes
            for chunks in self.batches:
                for chunk in chunks:
                    if not chunk.committed:
                        written.update((i, e) for i, e in chunk.evidence.items() if e is not None)
            skip = set(written) | {i for chunks in self.batches for c in chunks if not c.committed for i in c.ids}
            kept = canonical.indexed_evidence(self.ix, skip)
            table = canonical.learn_table(self.index_dir, kept.values(), written.values())
        for inbox in self.inboxes:
            inbox.put(("table", table))
        return kept

    # -- pass 2: write ---------------------------------------------------------------

    def write(self) -> None:
        """Wait for every chunk, learn the table, write and commit batch by batch, rewrite what the table changes.

        A batch's segments are written while the parent commits the batch before."""
        while self.waiting:
            self._wait()
        if self.bar is not None:
            self.bar.close()
            self.bar = _progress_bar("writing") if self.progress else None
        kept = self._learn()
        written = None  # (batch, chunks, workers) handed to the workers, not committed yet
        for number, chunks in enumerate(self.batches):
            todo = [c for c in chunks if not c.committed]
            if todo:
                after = (number, todo, self._write_batch(number, todo))
                if written is not None:
                    self._commit_batch(*written)
                written = after
        if written is not None:
            self._commit_batch(*written)
        with CLOCK.stage("alias"):
            self.summary.recanonicalised = canonical.rewrite_stale(self.ix, canonical.current_table(), kept, _rewrite)

    def _write_batch(self, number: int, chunks: list[_Chunk]) -> int:
        """Hand the batch's chunks to the workers, each a share for a segment; how many workers it went to."""
        while len(self.assignments) <= number:
            self._assign_some()
        assignment = self.writing[number] = self.spool.assignment(number)
        stories = assignment.stories
        shares = [chunks[n :: len(self.inboxes)] for n in range(len(self.inboxes))]
        busy = [n for n, share in enumerate(shares) if share]
        for n in busy:
            self._put(n, ("write", number, [c.key for c in shares[n]], stories))
        return len(busy)

    def _commit_batch(self, number: int, chunks: list[_Chunk], workers: int) -> None:
        while len(self.sealed.get(number, ())) < workers:
            self._wait()
        self._commit(chunks, self.sealed.pop(number), self.writing.pop(number))
        self._progress(sum(len(c.ids) for c in chunks))

    def _put(self, n: int, message) -> None:
        while True:
            try:
                return self.inboxes[n].put_nowait(message)
            except queue.Full:
                self._wait()

    def _collect(self, block: bool, timeout: float = 1.0) -> None:
        """Take one report from the workers."""
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
            _, worker, _, key, evidence, stems, cpu, idle = report
            self.waiting.pop(key).evidence = {i: _interned(e) for i, e in evidence.items()}
            for n, others in enumerate(self.unshared):
                if n != worker:
                    others.update(stems)
            self.new_stems.update(stems)
            self._account(cpu, idle)
        else:
            self.sealed.setdefault(report[1].batch, []).append(report[1])

    def _account(self, cpu: dict[str, float], idle: float) -> None:
        self.summary.worker_idle += idle
        for name, seconds in cpu.items():
            self.summary.stage_cpu[name] = self.summary.stage_cpu.get(name, 0.0) + seconds

    def _commit(self, chunks: list[_Chunk], reports: list[Sealed], assignment) -> None:
        ids = [i for c in chunks for i in c.ids]
        failed = {i for c in chunks for i, e in c.evidence.items() if e is None} | {i for r in reports for i in r.failed}
        added = sum(r.added for r in reports)
        with CLOCK.stage("commit"):
            replaced = commit_segments(
                self.ix,
                reports,
                [i for i in ids if i not in failed],
                lambda writer, committed: restamped(writer, committed, assignment.moved),
                merge_tiers,
                WHOOSH_LOCK_WAIT,
            )
            self.stories.commit(assignment)  # right after the index's: a kill between the two is what they disagree on
            self.stems.append(self.new_stems)
            self.new_stems = {}
            self.spool.mark_committed([c.key for c in chunks])
            # Whoosh's searchers and readers hold reference cycles, and a closed segment stays
            # mapped until the cycle collector frees the last view of its memory map: uncollected,
            # every commit's maps of the whole index stayed (the 10x corpus's parent: 22.6 GB).
            gc.collect()
        self.summary.updated += replaced
        self.summary.indexed += added - replaced
        self.summary.peak_rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        self.summary.skipped += len(failed)
        for r in reports:
            self._account(r.cpu, r.idle)
            self.summary.writing_idle += r.idle
        if failed:
            self.warn(f"{len(failed)} article(s) of the last batch were not indexed (see the warnings above); run the build again to retry them")

    def finish(self) -> None:
        """Let the workers exit."""
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
        if self.bar is not None:
            self.bar.close()


def _interned(evidence: list[str] | None) -> list[str] | None:
    """Evidence values repeat across articles: one string each keeps a 10x corpus's evidence small."""
    return None if evidence is None else [sys.intern(v) for v in evidence]


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


def _progress_bar(desc: str):
    from tqdm import tqdm

    return tqdm(desc=desc, unit="docs", unit_scale=False, file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


def delete_documents(index_dir: str | Path, ids: Iterable[str], lock_wait: float = 0.0) -> int:
    """Remove documents by id; returns how many were removed."""
    ix = index.open_dir(str(index_dir))
    with exclusive(index_dir, lock_wait, lambda msg: log.warning(msg)):
        # A killed build's spool would be trusted to say its committed chunks are still indexed.
        shutil.rmtree(Path(index_dir) / SPOOL, ignore_errors=True)
        writer = ix.writer(timeout=WHOOSH_LOCK_WAIT)
        ids = list(ids)
        removed = sum(writer.delete_by_term("id", doc_id) for doc_id in ids)
        writer.commit(mergetype=merge_tiers)
        stories = StoryTable(index_dir)
        stories.remove(ids)  # the rest of each story stays grouped
        stories.commit()
        stories.close()
    return removed
