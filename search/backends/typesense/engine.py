"""``TypesenseEngine``: a Telusur index held in a Typesense cluster (a ``search.engine.Engine``).

One request is one ``multi_search`` (two in the rare cases below), built so
that every count means what it means on the Whoosh engine:

* the main search: the query, every facet selection and the date range,
  the page of hits, and the counts of every facet nothing is selected in;
* per facet with a selection: the same without that facet's own selection
  (multi-select: values within a facet are ORed, facets ANDed, each facet
  counted without its own selection), or with a ``facet_prefix``: only the
  prefix's candidate values;
* the date histogram: everything but the date range, bucketed by day
  (``day``), or by ``month`` when the counted articles span
  ``DAY_INTERVAL_MAX_DAYS`` or more, ordered by date (Typesense orders by
  count).

A second round counts selected values that did not make a facet's top list
(their count is the ``found`` of a search for them), and the partial
fallback (fewer than ``FEW_HITS`` full matches of two or more clauses)
searches again for any clause. Facet values come back through their hex
keys (``indexer.typesense.schema``), so their case is exactly as indexed.

Ranking: Typesense's text match orders the candidates; the top
``RERANK_K`` are re-ranked with Telusur's BM25F (``rerank``). Snippets are
Telusur's highlighter over the stored raw body; did-you-mean reads the
generation's ``Vocabulary``.

A cluster that does not answer raises ``BackendDown`` (the web's 503).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from typesense import exceptions as tse

from cluster.client import Cluster, ConfigError, Connection, Unavailable
from indexer.backends import BackendConfig, BackendUnavailable
from indexer.typesense.schema import (
    DEFAULT_PREFIX,
    GENERATION_ID,
    KEY_SUFFIX,
    articles_collection,
    epoch,
    facet_value,
    meta_collection,
)
from search.backends.typesense.rerank import RERANK_K, rerank
from search.backends.typesense.translate import NOTHING, QUERY_BY, Translated, key_filter, quoted, translate
from search.backends.typesense.vocabulary import EXPORT_FIELDS, RELOAD_INTERVAL_S, Vocabulary
from search.backends.whoosh.facets import DAY_INTERVAL_MAX_DAYS
from search.facet_spec import FACETS, PUBLICATION, SELECTABLE
from search.highlight import snippet
from search.model import DEFAULT_FACET_LIMIT, BackendDown, FacetValue, Hit, SearchError, SearchRequest, SearchResult
from search.suggest import suggest

FEW_HITS = 3
# Typesense is asked for this many more values than shown, so ties at the
# cut are broken by value (as the Whoosh engine does) over a wider list.
FACET_SLACK = 20
MAX_PREFIX_CANDIDATES = 250
MAX_PREFIX_VALUES = 1000
MAX_DAY_BUCKETS = 4000
MULTI_SEARCH_LIMIT = 50  # Typesense's default limit of searches in one multi_search
DISPLAY_FIELDS = "id,title,body,url,source,entity,location,day,date,dated"
# The re-ranking window: stems and lengths, and the raw title for exact forms (the raw
# bodies of 50 hits would double the request's cost; the page's are fetched after).
RANK_FIELDS = "id,date,dated,title,title_stems,body_stems,title_len,body_len"
# Exact matching of the pre-stemmed words: no typos, prefixes or dropped words.
STRICT = {"num_typos": 0, "prefix": "false", "drop_tokens_threshold": 0, "typo_tokens_threshold": 0}


def open_engine(config: BackendConfig, check_interval: float = 1.0) -> "TypesenseEngine":
    try:
        connection = Connection.from_options(list(config.typesense_urls), config.typesense_key)
    except ConfigError as exc:
        raise BackendUnavailable(str(exc)) from None
    return TypesenseEngine(connection, check_interval=check_interval)


class TypesenseEngine:
    """Searches one Telusur index in a Typesense cluster; safe to share between threads."""

    backend = "typesense"

    def __init__(
        self,
        connection: Connection,
        prefix: str = DEFAULT_PREFIX,
        check_interval: float = 1.0,
        rerank_k: int = RERANK_K,
    ):
        """``check_interval``: seconds between looks at the index generation (0: every request, waiting).

        ``rerank_k``: how many top hits Telusur's BM25F re-ranks (0: Typesense's order, as the
        relevance benchmark compares).
        """
        self.rerank_k = rerank_k
        self.articles = articles_collection(prefix)
        self.meta = meta_collection(prefix)
        self.cluster = Cluster(connection, self.articles)
        self.check_interval = check_interval
        try:
            self.cluster.require()
        except Unavailable as exc:  # at start: a clear error and an exit, not a 503 page
            raise BackendUnavailable(str(exc)) from None
        self._vocab = self._load(self._generation())
        self._checked = time.monotonic()
        self._loaded = time.monotonic()
        self._reloading = threading.Lock()

    # -- generations ------------------------------------------------------------------

    def _generation(self) -> int:
        try:
            doc = self._read(lambda c: c.collections[self.meta].documents[GENERATION_ID].retrieve())
        except tse.ObjectNotFound:
            raise SearchError(
                "no_index", f"no Telusur index in the cluster ({self.articles}); build one with"
                " `python -m indexer build SOURCE --backend typesense`"
            ) from None
        return doc["generation"]

    def _load(self, generation: int) -> Vocabulary:
        params = {"include_fields": ",".join(EXPORT_FIELDS)}
        text = self._read(lambda c: c.collections[self.articles].documents.export(params), slow=True)
        return Vocabulary(generation, text.split("\n"))

    def vocabulary(self) -> Vocabulary:
        """The current generation's vocabulary; a newer one is loaded aside (or waited for, interval 0)."""
        now = time.monotonic()
        if now - self._checked >= self.check_interval and self._reloading.acquire(blocking=False):
            self._checked = now
            if self.check_interval == 0:
                self._reload(force=True)
            else:
                threading.Thread(target=self._reload, name="telusur-typesense-vocabulary", daemon=True).start()
        return self._vocab

    def _reload(self, force: bool = False) -> None:
        try:
            generation = self._generation()
            spaced = time.monotonic() - self._loaded >= RELOAD_INTERVAL_S
            if generation != self._vocab.generation and (force or spaced):
                self._vocab = self._load(generation)
                self._loaded = time.monotonic()
        except (BackendDown, SearchError):
            pass  # keep answering from the vocabulary we have
        finally:
            self._reloading.release()

    # -- calls --------------------------------------------------------------------------

    def _read(self, call, slow: bool = False):
        try:
            return self.cluster.read(call, slow=slow)
        except Unavailable as exc:
            raise BackendDown(f"the Typesense cluster did not answer: {exc}") from None

    def multi_search(self, searches: list[dict]) -> list[dict]:
        out: list[dict] = []
        for start in range(0, len(searches), MULTI_SEARCH_LIMIT):
            body = {"searches": searches[start : start + MULTI_SEARCH_LIMIT]}
            common = {"collection": self.articles}
            answer = self._read(lambda c, b=body: c.multi_search.perform(b, common))
            for result in answer["results"]:
                if "error" in result:
                    raise RuntimeError(f"Typesense refused a search: {result['error']}")
                out.append(result)
        return out

    # -- the Engine protocol ---------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        result = _Search(self, self.vocabulary(), request).run()
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def document(self, doc_id: str) -> dict | None:
        try:
            doc = self._read(lambda c: c.collections[self.articles].documents[_path_id(doc_id)].retrieve())
        except tse.ObjectNotFound:
            return None
        return document_dict(doc)

    def stats(self) -> dict:
        vocab = self.vocabulary()
        count = self._read(lambda c: c.collections[self.articles].retrieve())["num_documents"]
        return {
            "backend": self.backend,
            "documents": count,
            "facets": {spec.name: len(vocab.columns[spec.field].values) for spec in SELECTABLE},
            "nodes": [vars(s) for s in self.cluster.probe()],
        }

    def close(self) -> None:
        self.cluster.close()


def _path_id(doc_id: str) -> str:
    return urllib.parse.quote(doc_id, safe="")


def _iso_day(doc: dict) -> str | None:
    return doc.get("day") or None


def document_dict(doc: dict) -> dict:
    """The public shape of one article (the Whoosh engine's ``document_dict``)."""
    people = set(doc.get("person") or ())
    return {
        "id": doc["id"],
        "title": doc.get("title") or "",
        "url": doc.get("url"),
        "source": (doc.get("source") or [None])[0],
        "category": (doc.get("category") or [None])[0],
        "subcategory": doc.get("subcategory"),
        "date": _iso_day(doc),
        "body": doc.get("body") or "",
        "entities": [
            {"name": e, "type": "person" if e in people else "organization"} for e in doc.get("entity") or ()
        ],
        "locations": list(doc.get("location") or ()),
        "mentioned": list(doc.get("mentioned") or ()),
    }


@dataclass
class _Counted:
    """One facet's search in the multi_search and how to read it."""

    spec: object
    index: int  # position of its result
    candidates: set[str] | None = None  # facet_prefix: only these values
    base: list[str] = field(default_factory=list)  # its filter without candidates (for second-round counts)


class _Search:
    """One request against the cluster, with one generation's vocabulary."""

    def __init__(self, engine: TypesenseEngine, vocab: Vocabulary, request: SearchRequest):
        self.engine = engine
        self.vocab = vocab
        self.request = request
        self.unknown = set(request.selected) - {s.name for s in SELECTABLE}
        if self.unknown:
            raise SearchError("unknown_facet", f"unknown facet {sorted(self.unknown)[0]!r}")

    # -- filters ------------------------------------------------------------------------

    def selected(self, spec) -> list[str]:
        """The indexed values a facet's selection means: each as indexed, matched ignoring case.

        A value the vocabulary does not know yet (added since it was loaded) is taken as given.
        """
        return list(dict.fromkeys(self.vocab.exact(spec.field, v) or v for v in self.request.selected.get(spec.name, ())))

    def selection(self, spec) -> str | None:
        values = self.selected(spec)
        return key_filter(spec.field, values) if values else None

    def date_range(self) -> str | None:
        lo, hi = self.request.date_range(PUBLICATION.name)
        if lo is None and hi is None:
            return None
        parts = ["dated:=1"]
        if lo is not None:
            parts.append(f"date:>={epoch(lo)}")
        if hi is not None:
            parts.append(f"date:<{epoch(hi + dt.timedelta(days=1))}")
        return " && ".join(parts)

    # -- the run ----------------------------------------------------------------------

    def run(self) -> SearchResult:
        request = self.request
        tq = translate(request.query, self.vocab)
        notice = "plain" if tq.plain else None
        ranked = request.sort == "relevance" and bool(tq.clauses)
        answers, plan = self.execute(tq.q, tq.filters, ranked)
        full = answers[0]["found"]
        partial = False
        if full < FEW_HITS and len(tq.clauses) >= 2:
            q_any = " ".join(["*"] + ["-" + e for e in tq.excluded])
            wider, wider_plan = self.execute(q_any, [tq.partial_filter()], ranked)
            if wider[0]["found"] > full:
                answers, plan, partial, notice = wider, wider_plan, True, "partial"
        facets = self.facets(answers, plan)
        interval, facets[PUBLICATION.name] = self.histogram(answers[plan["histogram"]])
        hits = self.hits(answers[0], tq, partial, plan)
        suggestion = None
        if full < FEW_HITS and tq.words:
            suggestion = suggest(_VocabularyReader(self.vocab), request.query, tq.words)
        return SearchResult(
            query=request.query,
            total=answers[0]["found"],
            page=request.page,
            per_page=request.per_page,
            took_ms=0.0,
            hits=hits,
            facets=facets,
            suggestion=suggestion,
            notice=notice,
            date_interval=interval,
        )

    def execute(self, q: str, query_filters: list[str], ranked: bool) -> tuple[list[dict], dict]:
        """The request's multi_search for one query: (answers, plan: which answer holds what)."""
        request = self.request
        selections = {spec.name: self.selection(spec) for spec in SELECTABLE}
        date = self.date_range()
        base = {"q": q, "query_by": QUERY_BY, **STRICT}

        def search(filters: list[str | None], **params) -> dict:
            clauses = [f for f in filters if f]
            return {**base, **({"filter_by": " && ".join(clauses)} if clauses else {}), **params}

        main_facets = [
            s for s in SELECTABLE if selections[s.name] is None and s.name not in request.facet_prefix
        ]
        page, window = self.page_params(q, ranked)
        searches = [search([*query_filters, *selections.values(), date], **page)]
        if main_facets:
            searches[0]["facet_by"] = ",".join(s.field + KEY_SUFFIX for s in main_facets)
            searches[0]["max_facet_values"] = max(self.limit(s) for s in main_facets) + FACET_SLACK
        counted = {s.name: _Counted(s, 0) for s in main_facets}
        for spec in SELECTABLE:
            if spec.name in counted:
                continue
            own = [*query_filters, *(v for k, v in selections.items() if k != spec.name), date]
            entry = _Counted(spec, len(searches), base=[f for f in own if f])
            prefix = request.facet_prefix.get(spec.name)
            extra: list[str] = []
            max_values = self.limit(spec) + FACET_SLACK
            if prefix:
                candidates = self._prefix_candidates(spec, prefix)
                entry.candidates = set(candidates)
                extra = [key_filter(spec.field, candidates) if candidates else NOTHING]
                max_values = MAX_PREFIX_VALUES
            searches.append(
                search(own + extra, per_page=0, facet_by=spec.field + KEY_SUFFIX, max_facet_values=max_values)
            )
            counted[spec.name] = entry
        histogram = len(searches)
        searches.append(
            search(
                [*query_filters, *selections.values()],
                per_page=0,
                facet_by="day,month",
                max_facet_values=MAX_DAY_BUCKETS,
            )
        )
        plan = {"facets": counted, "histogram": histogram, "q": q, "window": window}
        return self.engine.multi_search(searches), plan

    def page_params(self, q: str, ranked: bool) -> tuple[dict, bool]:
        """The main search's paging and order, and whether it fetches the re-ranking window instead of a page."""
        request = self.request
        if request.sort == "oldest":
            sort_by = "dated:desc,date:asc"
        elif ranked and not q.startswith("*"):
            sort_by = "_text_match:desc,dated:desc,date:desc"
        else:
            sort_by = "dated:desc,date:desc"
        common = {"sort_by": sort_by, "highlight_fields": "none"}
        window = _window(self.engine.rerank_k, request.per_page)
        if ranked and window and request.page * request.per_page <= window:
            # The first pages come from Telusur's re-ranking of the top hits.
            return {**common, "page": 1, "per_page": window, "include_fields": RANK_FIELDS}, True
        return {**common, "page": request.page, "per_page": request.per_page, "include_fields": DISPLAY_FIELDS}, False

    def limit(self, spec) -> int:
        return self.request.facet_limit.get(spec.name, DEFAULT_FACET_LIMIT)

    def _prefix_candidates(self, spec, prefix: str) -> list[str]:
        values = self.vocab.with_prefix(spec.field, prefix)
        column = self.vocab.columns[spec.field]
        values.sort(key=lambda v: -column.doc_freq[column.index[v]])
        return values[:MAX_PREFIX_CANDIDATES]

    # -- facets -------------------------------------------------------------------------

    def facets(self, answers: list[dict], plan: dict) -> dict[str, list[FacetValue]]:
        counts: dict[str, dict[str, int]] = {}
        for name, entry in plan["facets"].items():
            spec = entry.spec
            found: dict[str, int] = {}
            for facet in answers[entry.index].get("facet_counts", []):
                if facet["field_name"] == spec.field + KEY_SUFFIX:
                    found = {facet_value(c["value"]): c["count"] for c in facet["counts"]}
            if entry.candidates is not None:
                found = {v: c for v, c in found.items() if v in entry.candidates}
            counts[name] = found
        self._count_missing_selections(counts, plan)
        out: dict[str, list[FacetValue]] = {}
        for spec in SELECTABLE:
            found = counts[spec.name]
            top = sorted(((v, c) for v, c in found.items() if c > 0), key=lambda vc: (-vc[1], vc[0]))
            chosen = dict(top[: self.limit(spec)])
            selected = self.selected(spec)
            for value in selected:
                chosen[value] = found.get(value, 0)
            values = [
                FacetValue(v, c, v in selected, self.vocab.entity_type(spec.name, v)) for v, c in chosen.items()
            ]
            values.sort(key=lambda f: (-f.count, f.value))
            out[spec.name] = values
        return out

    def _count_missing_selections(self, counts: dict[str, dict[str, int]], plan: dict) -> None:
        """Selected values outside a facet's returned list: counted by one search each, in one round."""
        missing: list[tuple[str, str]] = []
        searches = []
        for name, entry in plan["facets"].items():
            for value in self.selected(entry.spec):
                if value not in counts[name]:
                    missing.append((name, value))
                    filters = entry.base + [key_filter(entry.spec.field, [value])]
                    searches.append(
                        {"q": plan["q"], "query_by": QUERY_BY, **STRICT, "per_page": 0, "filter_by": " && ".join(filters)}
                    )
        if not searches:
            return
        for (name, value), answer in zip(missing, self.engine.multi_search(searches)):
            counts[name][value] = answer["found"]

    # -- histogram ----------------------------------------------------------------------

    def histogram(self, answer: dict) -> tuple[str, list[FacetValue]]:
        days: dict[str, int] = {}
        months: dict[str, int] = {}
        for facet in answer.get("facet_counts", []):
            target = days if facet["field_name"] == "day" else months
            target.update({c["value"]: c["count"] for c in facet["counts"]})
        if not days:
            return "month", []
        lo, hi = self.request.date_range(PUBLICATION.name)
        first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
        complete = len(days) < MAX_DAY_BUCKETS
        if complete and (last - first).days < DAY_INTERVAL_MAX_DAYS:
            return "day", [
                FacetValue(d, days[d], (lo is not None or hi is not None) and _inside(d, d, lo, hi))
                for d in sorted(days)
            ]
        out = []
        for m in sorted(months):
            year, month = map(int, m.split("-"))
            start = dt.date(year, month, 1)
            end = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)
            selected = (lo is not None or hi is not None) and _inside(start.isoformat(), end.isoformat(), lo, hi)
            out.append(FacetValue(m, months[m], selected))
        return "month", out

    # -- hits ---------------------------------------------------------------------------

    def hits(self, answer: dict, tq: Translated, partial: bool, plan: dict) -> list[Hit]:
        request = self.request
        docs = [h["document"] for h in answer["hits"]]
        if not plan["window"]:
            return [self._hit(doc, 0.0, tq) for doc in docs]
        start = (request.page - 1) * request.per_page
        ranked = rerank(docs, tq.stems, tq.forms, self.vocab, partial)[start : start + request.per_page]
        if not ranked:
            return []
        ids = [doc["id"] for doc, _ in ranked]
        shown = self.engine.multi_search([{
            "q": "*", "query_by": QUERY_BY, "per_page": len(ids), "include_fields": DISPLAY_FIELDS,
            "filter_by": "id:[" + ",".join(quoted(i) for i in ids) + "]", "highlight_fields": "none",
        }])[0]
        by_id = {h["document"]["id"]: h["document"] for h in shown["hits"]}
        return [self._hit(by_id[doc["id"]], score, tq) for doc, score in ranked if doc["id"] in by_id]

    @staticmethod
    def _hit(doc: dict, score: float, tq: Translated) -> Hit:
        return Hit(
            id=doc["id"],
            title=doc.get("title") or "",
            url=doc.get("url"),
            source=(doc.get("source") or [None])[0],
            date=_iso_day(doc),
            snippet=snippet(doc.get("body") or "", tq.stems, tq.forms),
            score=round(score, 4),
            entities=list(doc.get("entity") or ()),
            locations=list(doc.get("location") or ()),
        )


def _window(k: int, per_page: int) -> int:
    """How many top hits are re-ranked: ``k`` rounded up to whole pages (Typesense pages them)."""
    return -(-k // per_page) * per_page


def _inside(start: str, end: str, lo: dt.date | None, hi: dt.date | None) -> bool:
    return (lo is None or end >= lo.isoformat()) and (hi is None or start <= hi.isoformat())


class _VocabularyReader:
    """The generation's vocabulary in the shape ``search.suggest`` reads (a Whoosh reader's two calls)."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab

    def doc_frequency(self, _field: str, term: str) -> int:
        return self.vocab.doc_frequency(term)

    def terms_within(self, _field: str, word: str, maxdist: int, prefix: int = 1):
        return self.vocab.within(word, maxdist)
