"""``WhooshEngine``: one open Whoosh index, searched and counted (a ``search.engine.Engine``).

Per index generation the engine opens one searcher and reads the facet,
date and field-length columns into numpy arrays (``_Snapshot``). A request
then costs:

1. the query evaluated over cached posting arrays (``scoring``): the
   full match set as a mask and a BM25F score for every match;
2. facet counts from masks and the arrays (``facets``): exact,
   because nothing depends on a top-N collector (whoosh-facts.md, "Traps");
3. a numpy sort for the requested page; stored fields and snippets for that
   page only.

Threads (waitress) share the engine. Whoosh readers keep per-reader state, so
Whoosh calls on one snapshot are serialised by its lock; the numpy work runs
outside it. The generation is checked at most every ``check_interval``
seconds; a new generation is loaded by a background thread while requests
keep answering from the old snapshot, which is closed when its last user is
done (with ``check_interval=0`` the request that notices it waits for it).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
from whoosh import index as windex
from whoosh import query as wq
from whoosh.util.times import datetime_to_long

from indexer.backends import BackendConfig
from indexer.fields import EXACT_SUFFIX, FACET_FIELDS, TEXT_FIELDS
from search.backends.whoosh.facets import NO_DATE, DateFacet, EntityFacet, ValueColumn, ValueFacet
from search.highlight import snippet
from search.model import SELECTABLE_FACETS, FacetValue, Hit, SearchError, SearchRequest, SearchResult
from search.query import MAX_EXPANSION, CompiledQuery, compile_query
from search.backends.whoosh.scoring import Postings
from search.suggest import suggest

# Fewer full matches than this: fall back to partial matches, suggest a spelling.
FEW_HITS = 3
# Wildcard expansion reads at most this many lexicon terms after the prefix.
MAX_EXPANSION_SCAN = 5000
MAX_RESOLVED_VALUES = 50
_USEC_PER_DAY = 86_400_000_000
_MAX_DATE_LONG = datetime_to_long(dt.datetime.max)


class _Snapshot:
    """One index generation: a searcher and the arrays read from its columns."""

    def __init__(self, ix: windex.Index):
        self.searcher = ix.searcher()
        self.lock = threading.Lock()
        self.users = 0
        self.retired = False
        reader = self.searcher.reader()
        self.reader = reader
        self.generation = reader.generation()
        n = self.n_docs = reader.doc_count_all()
        self.live = np.ones(n, dtype=bool)
        if reader.has_deletions():
            self.live[:] = False
            self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.date_raw = self._read_dates(reader, n)
        has_date = self.date_raw != NO_DATE
        days = np.full(n, NO_DATE, dtype=np.int64)
        days[has_date] = self.date_raw[has_date] // _USEC_PER_DAY + 1
        columns = {f: ValueColumn.read(reader, f) for f in FACET_FIELDS if f != "mentioned"}
        self.facets: dict[str, ValueFacet] = {
            "entity": EntityFacet("entity", columns["entity"], columns["person"], columns["organization"]),
            "location": ValueFacet("location", columns["location"]),
            "source": ValueFacet("source", columns["source"]),
            "category": ValueFacet("category", columns["category"]),
        }
        self.date = DateFacet(days)
        self.postings = Postings(self.searcher, TEXT_FIELDS + tuple(f + EXACT_SUFFIX for f in TEXT_FIELDS))

    @staticmethod
    def _read_dates(reader, n: int) -> np.ndarray:
        """Raw date longs (microseconds since year 1); ``NO_DATE`` where absent.

        An absent date reads as the column default, the int64 maximum, which
        overflows ``datetime``: hence raw values, never translated ones.
        """
        out = np.full(n, NO_DATE, dtype=np.int64)
        for segment, offset in reader.leaf_readers():
            if segment.has_column("date"):
                raw = [v if 0 <= v <= _MAX_DATE_LONG else NO_DATE for v in segment.column_reader("date", translate=False)]
                out[offset : offset + len(raw)] = raw
        return out

    # -- search.query.Vocabulary -------------------------------------------------

    def expand(self, pattern: str) -> list[str]:
        rx = re.compile(fnmatch.translate(pattern))
        prefix = re.split(r"[*?]", pattern, 1)[0]
        found: dict[str, int] = {}
        for field in ("body", "body_exact", "title", "title_exact"):
            for k, term in enumerate(self.reader.expand_prefix(field, prefix)):
                if k >= MAX_EXPANSION_SCAN:
                    break
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                if term not in found and rx.fullmatch(term):
                    found[term] = self.reader.doc_frequency(field, term)
        return sorted(found, key=lambda t: -found[t])[:MAX_EXPANSION]

    def resolve_facet(self, facet: str, text: str) -> list[str]:
        return self.facets[facet].column.containing(text, MAX_RESOLVED_VALUES)

    # -- search.scoring.Context ---------------------------------------------------

    def phrase_docs(self, q: wq.Query) -> np.ndarray:
        return np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)

    def facet_docs(self, facet: str, values: list[str]) -> np.ndarray:
        column = self.facets[facet].column
        return column.docs_with([column.index[v] for v in values if v in column.index], self.n_docs)

    def close(self) -> None:
        self.searcher.close()


def open_engine(config: BackendConfig, check_interval: float = 1.0) -> "WhooshEngine":
    """The registry's factory (``search.backends.ENGINES``)."""
    return WhooshEngine(config.index_dir, check_interval=check_interval)


class WhooshEngine:
    """Searches one index directory; safe to share between threads."""

    backend = "whoosh"

    def __init__(self, index_dir: str | Path, check_interval: float = 1.0):
        """``check_interval``: seconds between checks for a new index generation.

        0 checks on every request and makes that request wait for the new
        generation, so each answer reflects every commit made before it.
        """
        self.index_dir = Path(index_dir)
        if not windex.exists_in(str(self.index_dir)):
            raise SearchError("no_index", f"no index in {self.index_dir}; build one with `python -m indexer build`")
        self._ix = windex.open_dir(str(self.index_dir))
        self.check_interval = check_interval
        self._snapshot = _Snapshot(self._ix)
        self._checked = time.monotonic()
        self._swap = threading.Lock()
        self._refreshing = threading.Lock()

    # -- generations ---------------------------------------------------------------

    def _maybe_refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.check_interval:
            return
        self._checked = now
        if self._ix.latest_generation() == self._snapshot.generation:
            return
        if not self._refreshing.acquire(blocking=False):
            return  # another thread is loading it; answer from the current one
        if self.check_interval == 0:
            self._load_latest()  # "every request sees the latest commit": wait for it
        else:
            # Loading a generation reads every column (seconds on a large
            # index); no reader should wait for that, so it happens aside.
            threading.Thread(target=self._load_latest, name="telusur-reload", daemon=True).start()

    def _load_latest(self) -> None:
        """Load the newest generation and swap it in; runs holding ``_refreshing``."""
        try:
            if self._ix.latest_generation() != self._snapshot.generation:
                fresh = _Snapshot(self._ix)
                with self._swap:
                    old, self._snapshot = self._snapshot, fresh
                    old.retired = True
                    if old.users == 0:
                        old.close()
        finally:
            self._refreshing.release()

    @contextmanager
    def _lease(self) -> Iterator[_Snapshot]:
        self._maybe_refresh()
        with self._swap:
            snap = self._snapshot
            snap.users += 1
        try:
            yield snap
        finally:
            with self._swap:
                snap.users -= 1
                if snap.retired and snap.users == 0:
                    snap.close()

    # -- search --------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a validated request (see ``search.request.parse_request``)."""
        started = time.perf_counter()
        unknown = set(request.selected) - set(SELECTABLE_FACETS)
        if unknown:
            raise SearchError("unknown_facet", f"unknown facet {sorted(unknown)[0]!r}")
        with self._lease() as snap:
            result = _Search(snap, request).run()
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def stats(self) -> dict:
        """Documents, generation and each facet's number of distinct values, from the open snapshot."""
        with self._lease() as snap:
            return {
                "backend": self.backend,
                "index": str(self.index_dir),
                "documents": int(np.count_nonzero(snap.live)),
                "generation": snap.generation,
                "facets": {name: len(facet.column.values) for name, facet in snap.facets.items()},
            }

    def close(self) -> None:
        with self._swap:
            self._snapshot.retired = True
            if self._snapshot.users == 0:
                self._snapshot.close()

    def document(self, doc_id: str) -> dict | None:
        """Every stored field of one article, or None if the id is unknown."""
        with self._lease() as snap, snap.lock:
            docnum = snap.searcher.document_number(id=doc_id)
            if docnum is None:
                return None
            stored = snap.searcher.stored_fields(docnum)
        return document_dict(stored)


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


def document_dict(stored: dict) -> dict:
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


class _Search:
    """One request against one snapshot."""

    def __init__(self, snap: _Snapshot, request: SearchRequest):
        self.snap = snap
        self.request = request
        self.notice: str | None = None
        self.match_counts: np.ndarray | None = None  # clauses matched per doc, partial mode
        self.scores: np.ndarray | None = None  # BM25F per doc (0 where unmatched)

    def run(self) -> SearchResult:
        snap, request = self.snap, self.request
        with snap.lock:
            compiled = compile_query(request.query, snap)
            matched, full_count = self._match(compiled)
        if compiled.plain and self.notice is None:  # "partial" says more about the hits
            self.notice = "plain"

        filters = {name: f.filter(request, snap.n_docs) for name, f in snap.facets.items()}
        date_filter = snap.date.filter(request, snap.n_docs)
        base = matched if date_filter is None else matched & date_filter
        hits = _and(base, [m for m in filters.values() if m is not None])
        total = int(np.count_nonzero(hits))

        facets: dict[str, list[FacetValue]] = {}
        for name, facet in snap.facets.items():
            others = [m for other, m in filters.items() if other != name and m is not None]
            mask = hits if filters[name] is None else _and(base, others)
            facets[name] = facet.values(mask, int(np.count_nonzero(mask)), request)
        date_mask = _and(matched, [m for m in filters.values() if m is not None])
        interval, facets["date"] = snap.date.histogram(date_mask, request)

        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        ranked = self._rank(compiled, hits, total, end)[start:end]
        with snap.lock:
            stored = [snap.searcher.stored_fields(d) for d, _ in ranked]
            suggestion = None
            if full_count < FEW_HITS and compiled.words:
                suggestion = suggest(snap.reader, request.query, compiled.words)
        hit_list = [self._hit(fields, score, compiled) for (_, score), fields in zip(ranked, stored)]
        return SearchResult(
            query=request.query,
            total=total,
            page=request.page,
            per_page=request.per_page,
            took_ms=0.0,
            hits=hit_list,
            facets=facets,
            suggestion=suggestion,
            notice=self.notice,
            date_interval=interval,
        )

    def _match(self, compiled: CompiledQuery) -> tuple[np.ndarray, int]:
        """Mask of every document the query matches, and how many match it fully.

        Sets ``self.scores``. With two or more words and fewer than
        ``FEW_HITS`` full matches, the documents matching any word are taken
        instead, ranked by how many words they match (``self.match_counts``),
        and the notice says so.
        """
        snap = self.snap
        if compiled.is_empty:
            self.scores = np.zeros(snap.n_docs, dtype=np.float32)
            return snap.live.copy(), snap.n_docs
        excluded = compiled.exclude.evaluate(snap)[0] if compiled.exclude is not None else None
        results = [clause.evaluate(snap) for clause in compiled.clauses] or [(snap.live, None)]
        mask = results[0][0].copy()
        for m, _ in results[1:]:
            mask &= m
        if excluded is not None:
            mask &= ~excluded
        full = int(np.count_nonzero(mask))
        self.scores = sum((np.where(m, s, 0) for m, s in results if s is not None), np.zeros(snap.n_docs, np.float32))
        if full < FEW_HITS and len(results) >= 2:
            counts = sum(m.astype(np.int16) for m, _ in results)
            partial = counts > 0
            if excluded is not None:
                partial &= ~excluded
            if np.count_nonzero(partial) > full:
                self.match_counts = counts
                self.notice = "partial"
                return partial, full
        return mask, full

    def _rank(self, compiled: CompiledQuery, hits: np.ndarray, total: int, end: int) -> list[tuple[int, float]]:
        """(docnum, score) of the first ``end`` hits in the requested order.

        Relevance: most words matched (partial mode), then score, then the
        newer article; browsing and the date sorts: by date, dateless last.
        """
        if not total:
            return []
        docs = np.flatnonzero(hits)
        date = self.snap.date_raw[docs]
        scores = self.scores[docs]
        if compiled.clauses and self.request.sort == "relevance":
            counts = self.match_counts[docs] if self.match_counts is not None else np.zeros(len(docs), np.int16)
            if len(docs) > end:  # keep the top `end` by (count, score) and everything tied with the last
                key = counts.astype(np.float64) * 1e9 + scores
                cut = np.partition(key, len(key) - end)[len(key) - end]
                keep = key >= cut
                docs, date, scores, counts = docs[keep], date[keep], scores[keep], counts[keep]
            order = np.lexsort((docs, -date, -scores, -counts))
        elif self.request.sort == "oldest":
            order = np.lexsort((docs, np.where(date == NO_DATE, np.iinfo(np.int64).max, date)))
        else:
            order = np.lexsort((docs, -date))
        order = order[:end]
        return list(zip(docs[order].tolist(), scores[order].tolist()))

    def _hit(self, stored: dict, score: float, compiled: CompiledQuery) -> Hit:
        doc = document_dict(stored)
        return Hit(
            id=doc["id"],
            title=doc["title"],
            url=doc["url"],
            source=doc["source"],
            date=doc["date"],
            snippet=snippet(doc["body"], compiled.stems, compiled.forms),
            score=round(score, 4),
            entities=[e["name"] for e in doc["entities"]],
            locations=doc["locations"],
        )


def _and(mask: np.ndarray, others: list[np.ndarray]) -> np.ndarray:
    out = mask
    for m in others:
        out = out & m
    return out
