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
from whoosh.util.times import datetime_to_long

from indexer.analysis import add_stems, stem
from indexer.backends import BackendConfig
from indexer.extract.corpus_aliases import AliasTable
from indexer.fields import DATE_FIELD, EXACT_SUFFIX, TEXT_FIELDS
from indexer.stemstore import StemStore
from search.backends.whoosh.compile import CompiledQuery, compile_query
from search.backends.whoosh.facets import NO_DATE, DateColumn, EntityFacet, ValueFacet, read_column
from search.columns import NAME_FACETS, NameWords, ValueColumn
from search import profile
from search.backends.whoosh import profiles
from search.backends.whoosh.scoring import Budget, Postings, check_codec, phrase_docs
from search.backends.whoosh.stories import StoryColumn
from search.backends.whoosh.vocabulary import WhooshVocabulary
from search.facet_plan import RangeFilter, ValueFilter, plan_facets
from search.facet_spec import FACETS
from search.document import document_dict, hit, version
from search.backends.whoosh import scoring as sc
from search.expand import Expander, feedback
from search.model import (
    FEW_HITS,
    MAX_VERSIONS_SHOWN,
    SELECTABLE_FACETS,
    FacetValue,
    SearchError,
    SearchRequest,
    SearchResult,
)
from search.suggest import speller_for, suggest
from search.coverage import SCORE_SHARE, idf_shares

# Wildcard expansion reads at most this many lexicon terms after the prefix.
MAX_EXPANSION_SCAN = 5000
MAX_RESOLVED_VALUES = 50
# A story page lists at most this many versions (the largest story of the 22k corpus has 12).
MAX_STORY_VERSIONS = 200
STORY_FIELD = "story"
# Posting lists of terms in at least this many documents are read when a generation loads:
# reading one costs ~1.4 us a posting, so a request's cold reads stay under ~0.7 ms a term.
READ_AHEAD_DF = 500
# What a request's query evaluation may cost before it degrades (notice "budget"): the rest of a
# request (facets, the page's stored fields and snippets) stays well under the 250 ms bound.
EVALUATION_CPU_SECONDS = 0.15
_CACHED_PHRASES = 512
_EXPANDED_FIELDS = tuple(f + suffix for f in reversed(TEXT_FIELDS) for suffix in ("", EXACT_SUFFIX))
_USEC_PER_DAY = 86_400_000_000
_MAX_DATE_LONG = datetime_to_long(dt.datetime.max)


class _Snapshot:
    """One index generation: a searcher and the arrays read from its columns.

    Everything a first request would otherwise pay for is read here, while
    the generation loads (``bench/hostile.py`` measures requests on a fresh
    engine): the stems kept with the index (highlighting stems the hits'
    text; Sastrawi is ~0.4 ms a new word), the expansion tables, the
    SymSpell dictionary, the facet columns and their word indexes.
    """

    def __init__(self, ix: windex.Index, index_dir: Path, expander: Expander | None = None):
        self.index_dir = index_dir
        self._aliases: AliasTable | None = None
        add_stems(StemStore(index_dir).load(repair=False))
        if expander is not None:
            expander.load()
        self.searcher = ix.searcher()
        self.lock = threading.Lock()
        self.users = 0
        self.retired = False
        reader = self.searcher.reader()
        for segment, _ in reader.leaf_readers():
            check_codec(segment)  # before anything reads through an internal the scoring relies on
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
        self.facets, self.dates = self._read_facets(reader, days)
        self.stories = StoryColumn.read(reader, STORY_FIELD, self.live)
        self.vocabulary = WhooshVocabulary(reader)
        speller_for(self.vocabulary)  # built with the generation, not by the first request that misspells
        self.names = NameWords([self.facets[f].column for f in NAME_FACETS])
        self._phrases: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}  # least recently used first
        self.postings = Postings(self.searcher, TEXT_FIELDS + tuple(f + EXACT_SUFFIX for f in TEXT_FIELDS))
        self.postings.read_ahead(self.vocabulary.frequent(READ_AHEAD_DF))
        for segment, _ in reader.leaf_readers():
            if segment.doc_count_all():
                segment.stored_fields(0)  # opens the segment's stored-fields column (~40 ms each)

    @staticmethod
    def _read_dates(reader, n: int) -> np.ndarray:
        """Raw date longs (microseconds since year 1); ``NO_DATE`` where absent.

        An absent date reads as the column default, the int64 maximum, which
        overflows ``datetime``: hence raw values, never translated ones.
        """
        out = np.full(n, NO_DATE, dtype=np.int64)
        for segment, offset in reader.leaf_readers():
            if segment.has_column(DATE_FIELD):
                column = segment.column_reader(DATE_FIELD, translate=False)
                raw = [v if 0 <= v <= _MAX_DATE_LONG else NO_DATE for v in column]
                out[offset : offset + len(raw)] = raw
        return out

    def _read_facets(self, reader, days: np.ndarray) -> tuple[dict[str, ValueFacet], dict[str, DateColumn]]:
        """The declared facets (``search.facet_spec.FACETS``) as arrays; each column read once."""
        columns: dict[str, ValueColumn] = {}

        def column(field: str) -> ValueColumn:
            if field not in columns:
                columns[field] = read_column(reader, field)
            return columns[field]

        facets: dict[str, ValueFacet] = {}
        dates: dict[str, DateColumn] = {}
        for spec in FACETS:
            if spec.kind == "date":
                dates[spec.name] = DateColumn.from_days(days) if spec.field == DATE_FIELD else DateColumn.from_values(column(spec.field))
            elif spec.kind == "entity":
                typed = [(column(field), kind) for field, kind in spec.type_fields]
                facets[spec.name] = EntityFacet(spec.name, column(spec.field), typed)
            else:
                facets[spec.name] = ValueFacet(spec.name, column(spec.field))
        return facets, dates

    def aliases(self) -> AliasTable:
        """The corpus alias table written with this index (``indexer.extract.corpus_aliases``), read once."""
        if self._aliases is None:
            self._aliases = AliasTable.load(self.index_dir)
        return self._aliases

    def source_of(self, docnum: int) -> str | None:
        column = self.facets["source"].column
        ids = column.ids[column.indptr[docnum] : column.indptr[docnum + 1]]
        return column.values[int(ids[0])] if len(ids) else None

    def filter_mask(self, selection: ValueFilter | RangeFilter) -> np.ndarray:
        """The documents passing one facet's selection."""
        if isinstance(selection, RangeFilter):
            return self.dates[selection.facet].filter(selection, self.n_docs)
        return self.facets[selection.facet].filter(selection, self.n_docs)

    # -- compile.Lexicon -----------------------------------------------------------

    def expand(self, pattern: str, limit: int) -> list[tuple[str, str]]:
        """The ``limit`` most frequent (field, term) matches among the first ``MAX_EXPANSION_SCAN``
        lexicon entries after the prefix, all lexicons and segments together.

        Segment by segment: a MultiReader merges lexicons in Python, ~7x slower.
        """
        rx = re.compile(fnmatch.translate(pattern))
        prefix = re.split(r"[*?]", pattern, 1)[0]
        found: dict[tuple[str, str], int] = {}
        scanned = 0
        for field in _EXPANDED_FIELDS:
            for segment, _ in self.reader.leaf_readers():
                for term, info in segment.iter_prefix(field, prefix):
                    scanned += 1
                    if scanned > MAX_EXPANSION_SCAN:
                        return sorted(found, key=lambda ft: -found[ft])[:limit]
                    term = term.decode("utf-8") if isinstance(term, bytes) else term
                    if rx.fullmatch(term):
                        found[field, term] = found.get((field, term), 0) + info.doc_frequency()
        return sorted(found, key=lambda ft: -found[ft])[:limit]

    def resolve_facet(self, facet: str, text: str) -> list[str]:
        return self.facets[facet].column.containing(text, MAX_RESOLVED_VALUES)

    # -- search.expand.IndexStats ---------------------------------------------------

    def doc_frequency(self, stem: str) -> int:
        return max(self.vocabulary.doc_frequency(field, stem) for field in TEXT_FIELDS)

    def is_name(self, word: str) -> bool:
        return self.names.is_name(word, self.doc_frequency(stem(word)))

    # -- scoring.Context -----------------------------------------------------------

    def phrase_docs(self, field: str, stems: list[str], budget: Budget) -> np.ndarray | None:
        """Documents holding the phrase (``scoring.phrase_docs``); the last ``_CACHED_PHRASES`` are kept."""
        key = (field, tuple(stems))
        docs = self._phrases.pop(key, None)
        if docs is None:
            docs = phrase_docs(self.postings, self.live, field, stems, budget)
            if docs is None:
                return None  # not verified: nothing to keep
            if len(self._phrases) >= _CACHED_PHRASES:
                del self._phrases[next(iter(self._phrases))]
        self._phrases[key] = docs
        return docs

    def facet_docs(self, facet: str, values: list[str]) -> np.ndarray:
        column = self.facets[facet].column
        return column.docs_with([column.index[v] for v in values if v in column.index], self.n_docs)

    def close(self) -> None:
        self.searcher.close()


def open_engine(config: BackendConfig, check_interval: float = 1.0, expander: Expander | None = Expander()) -> "WhooshEngine":
    """The registry's factory (``search.backends.ENGINES``)."""
    return WhooshEngine(config.index_dir, check_interval=check_interval, expander=expander)


class WhooshEngine:
    """Searches one index directory; safe to share between threads."""

    backend = "whoosh"

    def __init__(
        self,
        index_dir: str | Path,
        check_interval: float = 1.0,
        expander: Expander | None = Expander(),
        cpu_budget: float | None = EVALUATION_CPU_SECONDS,
    ):
        """``check_interval``: seconds between checks for a new index generation.

        0 checks on every request and makes that request wait for the new
        generation, so each answer reflects every commit made before it.
        ``expander``: where query words' alternatives come from
        (``search.expand.DEFAULT_SOURCES`` by default; None searches the query's own words only).
        ``cpu_budget``: CPU seconds a request's query evaluation may take before
        it degrades (``scoring.Budget``, notice ``budget``); None for no limit.
        """
        self.expander = expander
        self.cpu_budget = cpu_budget
        self.index_dir = Path(index_dir)
        if not windex.exists_in(str(self.index_dir)):
            raise SearchError("no_index", f"no index in {self.index_dir}; build one with `python -m indexer build`")
        self._ix = windex.open_dir(str(self.index_dir))
        self.check_interval = check_interval
        self._snapshot = _Snapshot(self._ix, self.index_dir, expander)
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
                fresh = _Snapshot(self._ix, self.index_dir, self.expander)
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
            result = _Search(snap, request, self.expander, self.cpu_budget).run()
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
            story = snap.stories.story_of(docnum)
        doc = document_dict(stored)
        doc["story"] = {"id": story[0], "size": story[1]} if story else None
        return doc

    def story(self, story_id: str) -> dict | None:
        """A story's versions, oldest first; None for an unknown (or emptied) story."""
        with self._lease() as snap:
            docs = snap.stories.members(story_id)
            if not len(docs):
                return None
            size = len(docs)
            docs = docs[np.lexsort((docs, snap.date_raw[docs]))][:MAX_STORY_VERSIONS]
            with snap.lock:
                versions = [version(snap.searcher.stored_fields(int(d))) for d in docs]
        outlets = sorted({v["source"] for v in versions if v["source"]})
        return {"id": story_id, "size": size, "outlets": outlets, "versions": versions}

    def profile(self, facet: str, name: str, limit: int = 10) -> dict | None:
        """A person's, organisation's (``entity``) or place's (``location``) page; None for an unknown name."""
        profile.check_facet(facet)
        with self._lease() as snap:
            column = snap.facets[facet].column
            vid = column.lookup(name)
            if vid is None:
                return None
            canonical = column.values[vid]
            mask = profiles.subject_mask(snap, facet, vid)
            count = int(np.count_nonzero(mask))
            related = profiles.related(snap, mask, count, (facet, vid))
            interval, buckets = profiles.histogram(snap, mask)
            latest_docs = profiles.newest(snap, mask, limit)
            with snap.lock:
                latest = [version(snap.searcher.stored_fields(d)) for d in latest_docs]
            aliases = snap.aliases().aliases_of(canonical)
            kind = snap.facets[facet].type_of(vid) or "location"
        relevant = profile.relevant(self.search, facet, canonical, limit)
        return profile.page(
            canonical, facet, kind, aliases, count, (interval, buckets), related, latest, relevant,
        )

    def similar(self, doc_id: str, limit: int = 5) -> dict | None:
        """The ``limit`` articles most like this one, and its story's other versions apart; None for an unknown id."""
        with self._lease() as snap, snap.lock:
            docnum = snap.searcher.document_number(id=doc_id)
            if docnum is None:
                return None
            stored = snap.searcher.stored_fields(docnum)
            terms = profiles.weighted_terms(snap, stored.get("title") or "", stored.get("body") or "")
            scores = np.zeros(snap.n_docs, dtype=np.float32)
            if terms:
                search = _Search(snap, SearchRequest(query=" OR ".join(terms)), None, self.cpu_budget)  # the article's own stems, not expanded
                search._match(compile_query(search.request.query, snap, None))
                scores = search.scores
            excluded = ~snap.live
            excluded[docnum] = True
            same = snap.stories.others(docnum)
            excluded[same] = True
            picks = profiles.most_similar(scores, profiles.shared_names(snap, docnum), excluded, limit)
            similar = [version(snap.searcher.stored_fields(d)) for d in picks]
            same_story = [version(snap.searcher.stored_fields(int(d))) for d in same[:MAX_STORY_VERSIONS]]
        return {"id": doc_id, "terms": terms, "similar": similar, "same_story": same_story}


class _Evaluation:
    """One request's ``scoring.Context``: the snapshot's arrays and caches, the request's own CPU budget."""

    def __init__(self, snap: _Snapshot, budget: Budget):
        self.snap = snap
        self.n_docs = snap.n_docs
        self.live = snap.live
        self.postings = snap.postings
        self.budget = budget

    def phrase_docs(self, field: str, stems: list[str]) -> np.ndarray | None:
        return self.snap.phrase_docs(field, stems, self.budget)

    def facet_docs(self, facet: str, values: list[str]) -> np.ndarray:
        return self.snap.facet_docs(facet, values)


class _Search:
    """One request against one snapshot."""

    def __init__(self, snap: _Snapshot, request: SearchRequest, expander: Expander | None, cpu_budget: float | None = None):
        """``cpu_budget``: seconds of CPU the query's evaluation may take (``scoring.Budget``)."""
        self.snap = snap
        self.budget = Budget(cpu_budget)
        self.request = request
        self.expander = expander
        self.notice: str | None = None
        self.coverage: np.ndarray | None = None  # share of the query's words covered per doc, partial mode
        self.score_bound = 1.0  # the query's best possible BM25F score, partial mode
        self.own_full: np.ndarray | None = None  # holds every one of the query's own words, when expanded
        self.scores: np.ndarray | None = None  # BM25F per doc (0 where unmatched)

    def run(self) -> SearchResult:
        snap, request = self.snap, self.request
        with snap.lock:
            compiled = compile_query(request.query, snap, self.expander)
            matched, full_count = self._match(compiled)
        if self.budget.exceeded:  # the answer is approximate: say so above anything else
            self.notice = "budget"
        elif compiled.truncated:  # the reader must know part of the query was not searched
            self.notice = "truncated"
        elif compiled.plain and self.notice is None:  # "partial" says more about the hits
            self.notice = "plain"

        plan = plan_facets(request)
        masks = {name: snap.filter_mask(selection) for name, selection in plan.filters.items()}
        passing: dict[frozenset, tuple[np.ndarray, int]] = {}

        def counted(names: tuple[str, ...]) -> tuple[np.ndarray, int]:
            """The matches passing these filters, and how many (shared by facets counted alike)."""
            key = frozenset(names)
            if key not in passing:
                mask = _and(matched, [masks[n] for n in names])
                passing[key] = mask, int(np.count_nonzero(mask))
            return passing[key]

        hits, total = counted(plan.all_filters)
        if self._wants_feedback(compiled):
            self._feedback(compiled, hits, total)
        facets: dict[str, list[FacetValue]] = {}
        for count in plan.counts:
            facets[count.facet] = snap.facets[count.facet].values(*counted(count.filters), count)
        intervals = {}
        for histogram in plan.histograms:
            intervals[histogram.facet], facets[histogram.facet] = snap.dates[histogram.facet].histogram(
                counted(histogram.filters)[0], histogram
            )
        facets = {spec.name: facets[spec.name] for spec in FACETS}

        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        collapse = request.collapse == "story"
        ranked, collapsed_total = self._rank(compiled, hits, total, end, collapse)
        ranked = ranked[start:end]
        with snap.lock:
            stored = [snap.searcher.stored_fields(d) for d, _ in ranked]
            stories = [self._story(d, collapse) for d, _ in ranked]
            suggestion = None
            if full_count < FEW_HITS and compiled.words and not self.budget.exceeded:
                suggestion = suggest(snap.vocabulary, request.query, compiled.words)
        hit_list = [hit(fields, score, compiled.stems, compiled.forms) for (_, score), fields in zip(ranked, stored)]
        for h, story in zip(hit_list, stories):
            h.story = story
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
            date_intervals=intervals,
            collapsed_total=collapsed_total if collapse else None,
        )

    def _wants_feedback(self, compiled: CompiledQuery) -> bool:
        """Feedback re-ranks relevance results of queries of ``feedback.MIN_WORDS`` words or more,
        within the request's CPU budget (a second pass is the first thing a slow request drops)."""
        return (
            self.expander is not None
            and not self.budget.spent()
            and "feedback" in self.expander.sources
            and self.request.sort == "relevance"
            and len(compiled.own) >= feedback.MIN_WORDS
        )

    def _feedback(self, compiled: CompiledQuery, hits: np.ndarray, total: int) -> None:
        """Add the second pass (``search.expand.feedback``) to the scores of the ``hits``.

        Scaled so that it weighs ``feedback.WEIGHT`` of the best first-pass
        score; the sort keys above the score are untouched.
        """
        snap = self.snap
        top, _ = self._rank(compiled, hits, total, feedback.DOCS, False)
        if len(top) < 2:
            return
        with snap.lock:
            stored = [snap.searcher.stored_fields(d) for d, _ in top]
            docs = [(f.get("title") or "", f.get("body") or "", score) for f, (_, score) in zip(stored, top)]
            found = feedback.terms(docs, compiled.stems, snap.doc_frequency, snap.n_docs)
            extra = np.zeros(snap.n_docs, dtype=np.float32)
            ctx = _Evaluation(snap, self.budget)
            for term, weight in found:
                extra += np.float32(weight) * sc.Terms([(f, term) for f in TEXT_FIELDS]).evaluate(ctx)[1]
        first = [d for d, _ in top]
        peak, best = float(extra[first].max()), float(self.scores[first].max())
        if peak > 0 and best > 0:
            self.scores = self.scores + np.where(hits, np.float32(feedback.WEIGHT * best / peak) * extra, 0)

    def _story(self, docnum: int, listed: bool) -> dict | None:
        """A hit's story: id, size, how many other outlets ran it and, when ``listed``, its other versions.

        Called holding the snapshot's lock (it reads stored fields)."""
        snap = self.snap
        story = snap.stories.story_of(docnum)
        if story is None:
            return None
        others = snap.stories.others(docnum)
        own = snap.source_of(docnum)
        outlets = {snap.source_of(int(d)) for d in others} - {own, None}
        shown = []
        if listed and len(others):
            others = others[np.lexsort((others, snap.date_raw[others]))][:MAX_VERSIONS_SHOWN]
            shown = [version(snap.searcher.stored_fields(int(d))) for d in others]
        return {"id": story[0], "size": story[1], "other_outlets": len(outlets), "others": shown}

    def _match(self, compiled: CompiledQuery) -> tuple[np.ndarray, int]:
        """Mask of every document the query matches, and how many match its own words fully.

        Sets ``self.scores``. With two or more words and fewer than
        ``FEW_HITS`` full matches of the query's own words, the documents
        matching any word (or an alternative of it) are taken instead, ranked
        by how much of the query they cover (``_coverage``), and the notice
        says so. Expansion only adds matches: the mode is decided on the
        query's own words, and ``self.own_full`` ranks the documents that hold
        all of them above those reached through alternatives.
        """
        snap = self.snap
        if compiled.is_empty:
            self.scores = np.zeros(snap.n_docs, dtype=np.float32)
            return snap.live.copy(), snap.n_docs
        ctx = _Evaluation(snap, self.budget)
        excluded = compiled.exclude.evaluate(ctx)[0] if compiled.exclude is not None else None
        results = []
        for clause in compiled.clauses:
            if results and self.budget.spent():
                break  # the first clauses answer; the notice says the rest was not searched
            results.append(clause.evaluate(ctx))
        own = [clause.evaluate(ctx) for clause in compiled.own[: len(results)]] if compiled.expanded else results
        if not results:  # exclusions only
            results = own = [(snap.live, None)]
        full_own = _all_of([m for m, _ in own], excluded)
        full = int(np.count_nonzero(full_own))
        self.scores = sum((np.where(m, s, 0) for m, s in results if s is not None), np.zeros(snap.n_docs, np.float32))
        if compiled.expanded:
            self.own_full = full_own
        if full < FEW_HITS and len(results) >= 2:
            counts = sum(m.astype(np.int16) for m, _ in results)
            partial = counts > 0
            if excluded is not None:
                partial &= ~excluded
            if np.count_nonzero(partial) > full:
                self._coverage(results)
                self.notice = "partial"
                return partial, full
        return (_all_of([m for m, _ in results], excluded) if compiled.expanded else full_own), full

    def _coverage(self, results: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """Set ``self.coverage``: per document the share of the query's words it holds, each word (a
        clause, its alternatives included) weighted by its idf, so an article that misses a common
        word beats one that misses the rare one; and ``self.score_bound``, the sum of each word's
        best score, which no article exceeds.

        Ranking by this plus ``SCORE_SHARE`` of the score (not by the number of words matched, then
        the score) lets an article that holds the rare words many times, in its title, beat one
        that only mentions one more common word (known items, dev part: paraphrase MRR@10 0.817 -> 0.851).
        """
        n = self.snap.n_docs
        coverage = np.zeros(n, dtype=np.float32)
        for (m, _), weight in zip(results, idf_shares([int(np.count_nonzero(m)) for m, _ in results], n)):
            coverage += np.float32(weight) * m
        self.coverage = coverage
        self.score_bound = sum(float(s[m].max()) for m, s in results if m.any()) or 1.0

    def _rank(
        self, compiled: CompiledQuery, hits: np.ndarray, total: int, end: int, collapse: bool
    ) -> tuple[list[tuple[int, float]], int]:
        """(docnum, score) of the first ``end`` hits in the requested order, and how many results there are.

        Relevance: the query's own words all present (when expanded), then
        the score (partial mode: coverage plus ``SCORE_SHARE`` of the score
        over its bound), then the newer article; browsing and the date sorts: by date, dateless last.
        Collapsing keeps each story's best hit, so every hit is ranked first
        (a numpy sort of the matches) and the result count is the stories'.
        """
        if not total:
            return [], 0
        docs = np.flatnonzero(hits)
        date = self.snap.date_raw[docs]
        scores = self.scores[docs]
        if compiled.clauses and self.request.sort == "relevance":
            own = self.own_full[docs].astype(np.int16) if self.own_full is not None else np.zeros(len(docs), np.int16)
            relevance = scores
            if self.coverage is not None:
                relevance = self.coverage[docs] + np.float32(SCORE_SHARE / self.score_bound) * scores
            if len(docs) > end and not collapse:  # keep the top `end` by (own words, relevance) and everything tied with the last
                key = own.astype(np.float64) * 1e12 + relevance
                cut = np.partition(key, len(key) - end)[len(key) - end]
                keep = key >= cut
                docs, date, scores, relevance, own = docs[keep], date[keep], scores[keep], relevance[keep], own[keep]
            order = np.lexsort((docs, -date, -relevance, -own))
        elif self.request.sort == "oldest":
            order = np.lexsort((docs, np.where(date == NO_DATE, np.iinfo(np.int64).max, date)))
        else:
            order = np.lexsort((docs, -date))
        results = total
        if collapse:
            order = order[self.snap.stories.first_of_each(docs[order])]
            results = len(order)
        order = order[:end]
        return list(zip(docs[order].tolist(), scores[order].tolist())), results


def _all_of(masks: list[np.ndarray], excluded: np.ndarray | None) -> np.ndarray:
    out = masks[0].copy()
    for m in masks[1:]:
        out &= m
    if excluded is not None:
        out &= ~excluded
    return out


def _and(mask: np.ndarray, others: list[np.ndarray]) -> np.ndarray:
    out = mask
    for m in others:
        out = out & m
    return out
