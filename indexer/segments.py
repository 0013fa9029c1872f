"""Whoosh segments written by worker processes, and the commit that publishes them.

Each worker process lives for the whole build. While the build prepares, it
takes chunks of articles off its own queue, prepares them
(``indexer.prepare``) and spools them (``indexer.spool``); while it writes, it
adds its share of each spooled batch, as pre-analysed token lists with the
final canonical entity values, to a Whoosh segment of its own and reports it.
Segments are written in the ``incoming`` folder inside the index: Whoosh's
commit deletes every segment file of the index that its new table of contents
does not list, which would take a segment still being written.
``commit_segments`` moves finished segments in and lists them in one Whoosh
commit, so a kill before it leaves the index as it was.

This module relies on whoosh-reloaded 2.7.5 internals (``SegmentWriter.
_finalize_segment``, ``_merge_segments``, ``_commit_toc``), as Whoosh's own
``MpWriter`` does; a Whoosh upgrade must re-check it.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index
from whoosh.fields import FieldType
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from indexer import canonical, spool
from indexer.analysis import add_stems, take_new_stems
from indexer.postings import TermPostings, grouped, merged_terms, segment_terms, token_postings, write_terms
from indexer.prepare import PreparedDocument, prepare, worker_warning
from indexer.sources import Article
from indexer.stages import CLOCK
from indexer.stories import article_fingerprint

INCOMING = "incoming"
WRITER_MEMORY_MB = 256


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer, adding documents and writing postings with ``indexer.postings`` (the same bytes, faster).

    ``add_document`` is Whoosh's, less its per-posting work: a pre-analysed
    token list becomes its postings in one pass (``token_postings``), and the
    postings are gathered per term (``TermPostings``) instead of one tuple each
    in Whoosh's pool, which sorts them all. A writer that holds more postings
    than its memory limit allows hands its own to the pool and writes as
    Whoosh does. ``add_reader`` (a merge) is Whoosh's for the stored fields,
    lengths and columns, but leaves the merged segments' postings where they
    are: the flush reads them a term at a time (``postings.segment_terms``) and
    writes them merged with the writer's own (``postings.merged_terms``),
    where Whoosh's merge sends every posting through its pool as a tuple of
    its own (~7 CPU-ms a document). Writing postings also asks for the length of every posting's
    document: Whoosh reads it from the length column each time and, for a
    field without lengths (every facet), checks on disk that the column file
    is missing, once a posting; here each field's lengths are read once.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._terms = TermPostings()
        self._merging: list[tuple[SegmentReader, int, dict | None]] = []  # (reader, first docnum, docmap)
        self._max_postings = self.pool.limit // _POSTING_BYTES
        # Term vectors and spelling words go through Whoosh's own ``add_document``.
        self._plain = not any(f.vector or f.separate_spelling() for _, f in self.schema.items())

    def add_document(self, **fields):
        if not self._plain:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    # A text field's token list (Whoosh's ``FieldType.index``; other fields index their own way).
                    items = token_postings(field.format, value) if isinstance(value, (list, tuple)) and type(field).index is FieldType.index else None
                    if items is None:
                        items = field.index(value)
                    added = self._terms.add(fieldname, docnum, items, self._field_boost(fields, fieldname, docboost))
                    if field.scorable:
                        length = added
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        if self._terms.count > self._max_postings:
            self._to_pool()

    def add_reader(self, reader):
        """Whoosh's ``add_reader`` less the postings, which the flush reads from the segment itself."""
        if not self._plain or not isinstance(reader, SegmentReader):
            return super().add_reader(reader)
        self._check_state()
        # Its own reader: the merge policy closes the one it hands over.
        own = SegmentReader(self.storage, self.schema, reader.segment())
        base = self.docnum
        fieldnames = set(self.schema.names()) | {n for n in own.indexed_field_names() if n in self.schema}
        docmap = self.write_per_doc(fieldnames, own)
        self._merging.append((own, base, docmap))
        self._added = True

    def _to_pool(self) -> None:
        add = self.pool.add
        for item in self._terms.postings():
            add(item)
        self._terms.clear()

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = _Lengths(self.per_document_reader(), self.schema, self.docnum)
        try:
            if self.pool.current or self.pool.runs:  # more postings than the memory limit
                self._to_pool()
                own = grouped(self.pool.iter_postings())
            else:
                own = self._terms.terms()
            merged = [segment_terms(r, self.schema, base, docmap) for r, base, docmap in self._merging]
            write_terms(self.fieldwriter, self.schema, lengths.field, merged_terms([own, *merged]) if merged else own)
        finally:
            self.fieldwriter.close()
            lengths.close()
            self._close_merged()

    def _close_merged(self) -> None:
        for reader, _, _ in self._merging:
            reader.close()
        self._merging = []

    def cancel(self):
        self._close_merged()
        super().cancel()


_POSTING_BYTES = 150  # about what Whoosh's pool counts a posting, for the writer's memory limit


class _Lengths:
    """Each field's document lengths from the per-document reader, read whole once."""

    def __init__(self, reader, schema, doc_count: int):
        self._reader, self._schema, self._doc_count = reader, schema, doc_count

    def field(self, fieldname: str) -> list[int] | None:
        """Every document's length of ``fieldname``; None for a field without lengths."""
        if fieldname not in self._schema or not self._schema[fieldname].scorable:
            return None
        return [self._reader.doc_field_length(d, fieldname) for d in range(self._doc_count)]

    def close(self) -> None:
        self._reader.close()


def whoosh_fields(doc: PreparedDocument, story: str | None = None) -> dict:
    """The Whoosh fields of a prepared article and its story: token lists for the text fields, the texts stored.

    Whoosh indexes a list as tokens that are already analysed (positions in
    list order), so no analyzer runs here; ``_stored_<field>`` is what Whoosh
    stores instead of the list.
    """
    fields = dict(doc.fields)
    for name, analysed in (("title", doc.title), ("body", doc.body)):
        fields[f"_stored_{name}"] = fields[name]
        fields[name] = analysed.stems
        fields[f"{name}_exact"] = analysed.affixed
    if story:
        fields["story"] = story
    return fields


def reset_incoming(index_dir: str | Path, schema, workers: int) -> Path:
    """One empty index folder per worker for its segments in progress; what a killed build left is dropped.

    One each, because a Whoosh writer's temporary files live in a folder named
    after the index, which the first writer to finish deletes whole.
    """
    path = Path(index_dir) / INCOMING
    shutil.rmtree(path, ignore_errors=True)
    for n in range(workers):
        (path / str(n)).mkdir(parents=True)
        index.create_in(str(path / str(n)), schema)
    return path


@dataclass
class Sealed:
    """What a worker reports when it has written its segment of a batch."""

    worker: int
    batch: int
    folder: str  # where the segment is
    segment: object | None  # a Whoosh segment, None when nothing was added
    added: int
    failed: list[str]  # ids it could not index
    cpu: dict[str, float] = field(default_factory=dict)
    idle: float = 0.0  # seconds spent waiting for work


def work(number: int, incoming: Path, spool_dir: Path, inbox, outbox, on_start: Callable[[], None]) -> None:
    """A worker process's loop, over the build's two passes.

    Preparing: ``("docs", batch, key, articles, stems)``: prepare and fingerprint
    the articles, spool them as the chunk ``key`` (``indexer.spool``), answer
    ``("prepared", worker, batch, key, {id: evidence or None}, new stems, cpu,
    idle)`` (the fingerprints stay in the spool until the stories are assigned). Writing: ``("table", AliasTable)``: the table
    every document is written with; ``("write", batch, keys, {id: story})``:
    write the spooled chunks into one segment, canonical values through the
    table, answer ``("sealed", Sealed)``. ``None``: stop.
    """
    on_start()
    try:
        folder = str(incoming / str(number))
        ix = index.open_dir(folder)
        table = None
        idle = 0.0
        while True:
            waited = time.monotonic()
            message = inbox.get()
            idle += time.monotonic() - waited
            if message is None:
                return
            kind = message[0]
            if kind == "docs":
                _, batch, key, articles, stems = message
                add_stems(stems)
                evidence = {i: (p[1] if p else None) for i, p in _prepare(articles, spool_dir, key).items()}
                outbox.put(("prepared", number, batch, key, evidence, take_new_stems(), CLOCK.take(), idle))
                idle = 0.0
            elif kind == "table":
                table = message[1]
            else:
                _, batch, keys, stories = message
                sealed = _write_segment(ix, spool.read_chunks(spool_dir, keys), stories, table)
                sealed.worker, sealed.batch, sealed.folder, sealed.idle = number, batch, folder, idle
                outbox.put(("sealed", sealed))
                idle = 0.0
    except BaseException as exc:
        outbox.put(("error", number, repr(exc)))
        raise


def _prepare(articles: list[Article], spool_dir: Path, key: str) -> dict[str, tuple | None]:
    """Prepare and fingerprint each article and spool the chunk; each id's (fingerprint, evidence), None when it failed."""
    prepared: dict[str, tuple | None] = {}
    docs = []
    for article in articles:
        prepared[article.id] = None
        try:
            doc = prepare(article)
            with CLOCK.stage("story"):
                fp = article_fingerprint(article, doc)
        except Exception as exc:  # one bad document must not stop the build
            worker_warning(f"skipped {article.origin}: could not be indexed ({exc!r})")
            continue
        prepared[article.id] = (fp, doc.fields.get(canonical.EVIDENCE, []))
        docs.append(doc)
    with CLOCK.stage("spool"):
        spool.write_chunk(spool_dir, key, prepared, docs)
    return prepared


def _write_segment(ix: index.Index, docs: Iterable[PreparedDocument], stories: dict[str, str], table) -> Sealed:
    segment, added, failed = None, 0, []
    writer = None
    for doc in docs:
        if writer is None:
            writer = _SegmentWriter(ix, _lk=False, limitmb=WRITER_MEMORY_MB)
        doc_id = doc.fields["id"]
        try:
            with CLOCK.stage("write"):
                if canonical.EVIDENCE in doc.fields:
                    doc.fields.update(canonical.facet_values(doc.fields[canonical.EVIDENCE], table))
                writer.add_document(**whoosh_fields(doc, stories.get(doc_id)))
            added += 1
        except Exception as exc:  # one bad document must not stop the build
            worker_warning(f"skipped {doc_id}: could not be indexed ({exc!r})")
            failed.append(doc_id)
    if writer is not None:
        with CLOCK.stage("commit"):
            if writer._added:
                segment = writer._finalize_segment()
                writer._finish()
            else:
                writer.cancel()
    return Sealed(-1, -1, "", segment, added, failed, CLOCK.take())


def commit_segments(ix: index.Index, sealed: list[Sealed], ids: list[str], also, merge, timeout: float) -> int:
    """One Whoosh commit: delete the older copies of ``ids``, call ``also(writer, committed)``
    for other changes, merge by ``merge``, publish the sealed segments.

    Returns how many older copies were deleted.
    """
    segments = [report.segment for report in sealed if report.segment is not None]
    for report in sealed:
        if report.segment is not None:
            prefix = report.segment.segment_id() + "."
            for path in Path(report.folder).iterdir():
                if path.name.startswith(prefix):
                    os.replace(path, Path(ix.storage.folder) / path.name)
    writer = _SegmentWriter(ix, timeout=timeout)  # a merge writes postings too: the fast lengths pay there
    try:
        with writer.searcher() as committed:
            deleted = sum(writer.delete_by_term("id", doc_id, searcher=committed) for doc_id in ids)
            also(writer, committed)
        with CLOCK.stage("merge"):
            final = writer._merge_segments(merge, None, None)
            if writer._added:
                final.append(writer._finalize_segment())
            else:
                writer._close_segment()
        writer._commit_toc(final + segments)
        writer._finish()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    return deleted


def restamped(writer, committed, moved: dict[str, str]) -> None:
    """Rewrite the indexed articles a story merge moved to another story (rare, a few per batch)."""
    for doc_id, story in moved.items():
        docnum = committed.document_number(id=doc_id)
        if docnum is None:
            continue
        stored = committed.stored_fields(docnum)
        writer.delete_by_term("id", doc_id, searcher=committed)
        writer.add_document(**whoosh_fields(prepare(_stored_article(stored)), story))


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
