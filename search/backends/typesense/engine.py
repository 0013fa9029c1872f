"""``TypesenseEngine``: a Telusur index held in a Typesense cluster (a ``search.engine.Engine``).

One request is one ``multi_search`` (two in the rare cases below) executing
the request's facet plan (``search.facet_plan``), so that every count means
what it means on the Whoosh engine:

* the main search: the query, every filter of the plan, the page of hits
  (or the re-ranking window), and the facets counted over the hits themselves;
* one search per other facet count: the query and the plan's filters for it
  (all but the facet's own selection), ``per_page=0``; with a
  ``facet_prefix``, restricted to the prefix's candidate values, which the
  generation's vocabulary finds (case-insensitive, value or word prefix);
* per date histogram: its filters, bucketed by ``day`` or, when the counted
  articles span ``day_max_days`` or more, by ``month``; put in date order
  (Typesense orders buckets by count). The event dates are counted on
  ``mentioned_key`` (one bucket per mentioned day, an article in every day it
  mentions, months summed from the days) and filtered on ``mentioned_day``;
  a selected range zooms the histogram to the days inside it, as on Whoosh.

``collapse=story`` groups the main search by ``story`` (``group_limit`` 1:
each story's best hit; ``found`` is then the number of stories), and one more
search without grouping gives the per-article total and the facets counted
over the hits (over a large set the first stories are collapsed here from the
top articles instead: ``bound``); a second round reads the stories of the
page's hits (their sizes, other outlets and versions: ``stories.attach``).

A second round counts selected values that did not make a facet's top list
(their count is the ``found`` of a search for them), and the partial
fallback (fewer than ``FEW_HITS`` full matches of two or more clauses)
searches again for any clause; its re-ranking window adds candidates ranked
by Typesense's text match (its own dropping of words, each pair of the
``RARE_WORDS`` rarest words), since the any-word set's own order is the date. Facet values come back through their hex
keys (``indexer.typesense.schema``), so their case is exactly as indexed.

Ranking: Typesense's text match orders the candidates; the top
``RERANK_K`` are re-ranked with Telusur's BM25F (``rerank``).

Query expansion (``search.expand``, the same expander and gates as on
Whoosh; ``translate`` gives both queries): the expanded query is the one
counted, faceted and paged, so totals and counts are Whoosh's. Its ranking
window is merged from the same multi_search: the query's own words' top
``RERANK_K``, re-ranked, come first, then the other candidates, re-ranked:
the expanded search's top and, so that an alternative's articles are
ranked by Typesense's text match rather than by date, one search per
alternative with that alternative in place of its word (the heaviest
``MAX_ALT_SEARCHES``, ``ALT_WINDOW`` hits each). An article holding all the
query's own words thus ranks above one reached only through alternatives
on the re-ranked pages; the pages past the window come in Typesense's order
of the expanded set. The expansion's caps (``search.expand.MAX_PER_QUERY``,
and the bounds of what one request may ask in ``translate``) set the
notice ``truncated``. Snippets are
Telusur's highlighter over the stored raw body; did-you-mean reads the
generation's ``Vocabulary``.

The server-side cost bound (``bound``): histograms ask capped days and
their months, facets over common words return at most ``facet_fetch_cap``
values, a request that may match more than ``large_set`` articles is counted
first (over that, its histograms' months ride on the main search, its days
asked only when needed, and a collapsed page is collapsed here; over
``sample_set``, the value facets count the newest hits only, notice
``sampled``; a few hits share one histogram search; every article: the
vocabulary's counts), a long query is counted before its plan, and a cap
that left values out sets the notice ``facets``.

A cluster that does not answer raises ``BackendDown`` (the web's 503), and so
does one that answers a multi_search 408 (overloaded).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
import urllib.parse
from dataclasses import dataclass

from typesense import exceptions as tse

from cluster.client import Cluster, ConfigError, Connection, Unavailable
from indexer.backends import BackendConfig, BackendUnavailable
from indexer.canonical import AliasTable
from indexer.typesense.schema import (
    ALIASES_ID,
    DEFAULT_PREFIX,
    GENERATION_ID,
    KEY_SUFFIX,
    MENTIONED_DAY,
    STORY_FIELD,
    articles_collection,
    epoch,
    facet_value,
    id_filter,
    meta_collection,
)
from search import profile
from search.backends.typesense import profiles, stories
from search.backends.typesense.bound import Bound
from search.backends.typesense.histogram import (
    MAX_MONTHS,
    buckets,
    histogram_of,
    histogram_searches,
    month_counts,
    months_span,
)
from search.backends.typesense.rerank import RERANK_K, rerank
from search.backends.typesense.translate import NOTHING, QUERY_BY, Translated, key_filter, translate
from search.backends.typesense.vocabulary import EXPORT_FIELDS, RELOAD_INTERVAL_S, Vocabulary
from search.document import document_dict, hit
from search.expand import Expander
from search.facet_plan import DateHistogram, FacetCount, FacetPlan, RangeFilter, ValueFilter, plan_facets
from search.facet_spec import FACETS, PUBLICATION, SELECTABLE
from search.model import BackendDown, FacetValue, Hit, SearchError, SearchRequest, SearchResult
from search.suggest import speller_for, suggest

FEW_HITS = 3
# Typesense is asked for this many more values than shown, so ties at the
# cut are broken by value (as the Whoosh engine does) over a wider list.
FACET_SLACK = 20
MAX_PREFIX_CANDIDATES = 250
MAX_PREFIX_VALUES = 1000
MULTI_SEARCH_LIMIT = 50  # Typesense's default limit of searches in one multi_search
DISPLAY_FIELDS = "id,title,body,url,source,entity,location,day,dated,story"
# The re-ranking window: stems and lengths, and the raw title for exact forms (the raw
# bodies of 50 hits would double the request's cost; the page's are fetched after).
RANK_FIELDS = "id,date,dated,title,title_stems,body_stems,title_len,body_len,story"
# Exact matching of the pre-stemmed words: no typos, prefixes or dropped words.
STRICT = {"num_typos": 0, "prefix": "false", "drop_tokens_threshold": 0, "typo_tokens_threshold": 0}
# Expansion: at most this many searches with one alternative in place of its word, this many hits each.
MAX_ALT_SEARCHES = 4
ALT_WINDOW = 20
# The partial fallback's candidates: each pair of the query's RARE_WORDS rarest words, PAIR_WINDOW hits each.
RARE_WORDS = 4
PAIR_WINDOW = 10
TEXT_ORDER = "_text_match:desc,dated:desc,date:desc"
# Collapsed over a large set: this many times the stories wanted are fetched as articles and collapsed here.
COLLAPSE_SLACK = 2
# A query of this many top-level clauses has its own words' full matches counted before its plan is asked.
PRECOUNT_CLAUSES = 4


def open_engine(config: BackendConfig, check_interval: float = 1.0, expander: Expander | None = Expander()) -> "TypesenseEngine":
    try:
        connection = Connection.from_options(list(config.typesense_urls), config.typesense_key)
    except ConfigError as exc:
        raise BackendUnavailable(str(exc)) from None
    return TypesenseEngine(connection, check_interval=check_interval, expander=expander)


class TypesenseEngine:
    """Searches one Telusur index in a Typesense cluster; safe to share between threads."""

    backend = "typesense"

    def __init__(
        self,
        connection: Connection,
        prefix: str = DEFAULT_PREFIX,
        check_interval: float = 1.0,
        rerank_k: int = RERANK_K,
        expander: Expander | None = Expander(),
        bound: Bound = Bound(),
    ):
        """``check_interval``: seconds between looks at the index generation (0: every request, waiting).

        ``rerank_k``: how many top hits Telusur's BM25F re-ranks (0: Typesense's order, as the
        relevance benchmark compares). ``expander``: query expansion (None: the query's own words).
        ``bound``: the server-side cost bound's thresholds (``bound``).
        """
        self.rerank_k = rerank_k
        self.bound = bound
        self.expander = expander
        if expander is not None:
            expander.load()
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
        try:
            record = self._read(lambda c: c.collections[self.meta].documents[ALIASES_ID].retrieve())
            aliases = AliasTable.from_json(record["table"])
        except tse.ObjectNotFound:
            aliases = None
        vocab = Vocabulary(generation, text.split("\n"), aliases)
        speller_for(vocab)  # built with the generation, not by the first request that misspells (~4 s on 22k)
        return vocab

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
            common: dict = {"collection": self.articles}
            if self.bound.search_cutoff_ms is not None:
                common["search_cutoff_ms"] = self.bound.search_cutoff_ms
            try:
                answer = self._read(lambda c, b=body: c.multi_search.perform(b, common))
            except tse.TypesenseClientError as exc:
                if "408" not in str(exc):
                    raise
                # Typesense 0.24.1 answers a whole multi_search 408 when its clock (from the request's
                # start) ran out before one of its searches found anything: an overloaded node.
                raise BackendDown(f"the Typesense cluster is overloaded: {exc}") from None
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
        story_id = doc.get(STORY_FIELD)
        story = {"id": story_id, "size": stories.size_of(self.multi_search, story_id)} if story_id else None
        return {**document_dict(stored(doc)), "story": story}

    def story(self, story_id: str) -> dict | None:
        """A story's versions, oldest first; None for an unknown (or emptied) story."""
        return stories.story(self.multi_search, story_id, stored)

    def profile(self, facet: str, name: str, limit: int = 10) -> dict | None:
        """A person's, organisation's (``entity``) or place's (``location``) page; None for an unknown name."""
        profile.check_facet(facet)
        return profiles.profile(self, self.vocabulary(), facet, name, limit, stored)

    def similar(self, doc_id: str, limit: int = 5) -> dict | None:
        """The ``limit`` articles most like this one, and its story's other versions apart; None for an unknown id."""
        try:
            doc = self._read(lambda c: c.collections[self.articles].documents[_path_id(doc_id)].retrieve())
        except tse.ObjectNotFound:
            return None
        return profiles.similar(self, self.vocabulary(), doc, limit, stored)

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


def stored(doc: dict) -> dict:
    """A Typesense document as the stored fields ``search.document`` reads (``date`` a datetime or absent)."""
    out = dict(doc)
    out["date"] = dt.datetime.fromisoformat(doc["day"]) if doc.get("dated") and doc.get("day") else None
    return out


@dataclass
class _Placed:
    """Where a histogram's counts are in a multi_search's answers: its days' and months' searches
    (None: not asked) and their value caps."""

    histogram: DateHistogram
    day: int | None = None
    month: int | None = None
    day_cap: int = 0
    month_cap: int = 0
    on_main: bool = False  # the months ride on the main search: their cap is the main search's
    whole: bool = False  # every article: the vocabulary's days
    days_search: dict | None = None  # on main: the days' search, sent only when the months leave the interval open


@dataclass
class _Counted:
    """Where one facet count's answer is in the multi_search, and how to read it."""

    count: FacetCount
    index: int
    base: list[str]  # its filter clauses (for counting a selected value outside its top list)
    max_values: int  # the search's max_facet_values
    candidates: set[str] | None = None  # facet_prefix: only these values
    whole: bool = False  # counted over every article: the vocabulary's counts


class _Search:
    """One request against the cluster, with one generation's vocabulary."""

    def __init__(self, engine: TypesenseEngine, vocab: Vocabulary, request: SearchRequest):
        self.engine = engine
        self.vocab = vocab
        self.request = request
        unknown = set(request.selected) - {s.name for s in SELECTABLE}
        if unknown:
            raise SearchError("unknown_facet", f"unknown facet {sorted(unknown)[0]!r}")
        self.plan = plan_facets(request)
        self.collapse = request.collapse == "story"

    # -- filters ------------------------------------------------------------------------

    def exact(self, field: str, values) -> list[str]:
        """The indexed values a selection means: each as indexed, matched ignoring case.

        A value the vocabulary does not know yet (added since it was loaded) is taken as given.
        """
        return list(dict.fromkeys(self.vocab.exact(field, v) or v for v in values))

    def clause(self, selection: ValueFilter | RangeFilter) -> str:
        if isinstance(selection, ValueFilter):
            return key_filter(selection.field, self.exact(selection.field, selection.values))
        if selection.field != PUBLICATION.field:  # the event dates: any mentioned day in the range
            lo = selection.start.toordinal() if selection.start else 1
            hi = selection.end.toordinal() if selection.end else dt.date.max.toordinal()
            # Typesense 0.24 counts an article once per array element in a range; intersecting
            # with a filter every article passes counts it once.
            return f"{MENTIONED_DAY}:[{lo}..{hi}] && dated:[0..1]"
        parts = ["dated:=1"]
        if selection.start is not None:
            parts.append(f"date:>={epoch(selection.start)}")
        if selection.end is not None:
            parts.append(f"date:<{epoch(selection.end + dt.timedelta(days=1))}")
        return " && ".join(parts)

    # -- the run ----------------------------------------------------------------------

    def run(self) -> SearchResult:
        request = self.request
        tq = translate(request.query, self.vocab, self.engine.expander)
        wide = tq.expanded or tq
        notice = "plain" if tq.plain else None
        ranked = request.sort == "relevance" and bool(wide.clauses)
        answers: list[dict] | None = None
        # The query's own words' full matches, as on Whoosh, decide the partial fallback. A long query
        # seldom has three: it is counted before its plan is asked, which is asked only if it does.
        full = self.count_own(tq) if len(wide.clauses) >= PRECOUNT_CLAUSES else FEW_HITS
        if full >= FEW_HITS:
            answers, layout = self.execute(wide.q, wide.filters, ranked, tq, self.estimate(wide))
            full = answers[layout["full"]]["found"]
        partial = False
        if full < FEW_HITS and len(wide.clauses) >= 2:
            q_any = " ".join(["*"] + ["-" + e for e in wide.excluded])
            wider, wider_layout = self.execute(q_any, [wide.partial_filter()], ranked, tq, self.vocab.n_docs, partial=True)
            if wider[wider_layout["total"]]["found"] > full:
                answers, layout, partial, notice = wider, wider_layout, True, "partial"
        if answers is None:  # (the any-word set is no larger: the full matches after all)
            answers, layout = self.execute(wide.q, wide.filters, ranked, tq, self.estimate(wide))
        facets, cut = self.facets(answers, layout)
        intervals = {}
        answers = self._ask_days(answers, layout["histograms"])
        for placed in layout["histograms"]:
            histogram = placed.histogram
            if placed.whole:
                interval, values, cut_here = buckets(histogram, self._whole_days(histogram), None)
            elif placed.day is None:  # the months alone decide: a month histogram
                months = month_counts(histogram, answers[placed.month])
                interval, values, cut_here = buckets(histogram, {}, months, False, len(months) >= placed.month_cap)
            else:
                month_answer = None if placed.month is None else answers[placed.month]
                interval, values, cut_here = histogram_of(
                    histogram, answers[placed.day], month_answer, placed.day_cap, placed.month_cap
                )
            intervals[histogram.facet], facets[histogram.facet] = interval, values
            cut = cut or cut_here
        if cut:  # counts shown are exact, but a cap left values or buckets out
            notice = "facets"
        if tq.truncated:  # the reader must know part of the query was not expanded
            notice = "truncated"
        if layout["sampled"]:  # the value facets count the newest hits only: said above all but budget
            notice = "sampled"
        if any(a.get("search_cutoff") for a in answers):  # Typesense stopped a search: counts may be short
            notice = "budget"
        suggestion = suggest(self.vocab, request.query, tq.words) if full < FEW_HITS and tq.words else None
        return SearchResult(
            query=request.query,
            total=answers[layout["total"]]["found"],
            page=request.page,
            per_page=request.per_page,
            took_ms=0.0,
            hits=self.hits(answers, tq, partial, layout),
            facets={spec.name: facets.get(spec.name, []) for spec in FACETS},
            suggestion=suggestion,
            notice=notice,
            date_intervals=intervals,
            collapsed_total=self._stories(answers, layout) if self.collapse else None,
        )

    def _stories(self, answers: list[dict], layout: dict) -> int:
        """How many stories the hits belong to: the grouped search's ``found``, or the story facet's values."""
        if layout["regroup"] is None:
            return answers[0]["found"]
        return sum(f.get("stats", {}).get("total_values", 0) for f in layout["hit_count"].get("facet_counts", []))

    def _ask_days(self, answers: list[dict], histograms: list[_Placed]) -> list[dict]:
        """``answers`` and, in one more round, the days of the histograms whose months rode on the
        main search and cannot show that the articles span ``day_max_days`` (``months_span``)."""
        asked = [
            p for p in histograms
            if p.days_search is not None and not months_span(p.histogram, month_counts(p.histogram, answers[p.month]))
        ]
        if not asked:
            return answers
        out = answers + self.engine.multi_search([p.days_search for p in asked])
        for index, placed in enumerate(asked, len(answers)):
            placed.day, placed.day_cap = index, placed.days_search["max_facet_values"]
        return out

    def _whole_days(self, histogram) -> dict[str, int]:
        """Articles per day over the whole index: published on it, or (event dates) mentioning it."""
        if histogram.field == PUBLICATION.field:
            return self.vocab.days
        return dict(self.vocab.top_values(histogram.field, len(self.vocab.columns[histogram.field].values)))

    def estimate(self, t: Translated) -> int:
        """At most how many articles ``t`` and the selections match, from the vocabulary alone:
        the rarest of its ``q`` words (phrases: their rarest word), the selected values' articles."""
        bound = self.vocab.n_docs
        for word in t.q_words:
            bound = min(bound, *(self.vocab.doc_frequency(s) for s in word.strip('"').split()))
        for selection in self.plan.filters.values():
            if isinstance(selection, ValueFilter):
                column = self.vocab.columns[selection.field]
                held = [column.index.get(v) for v in self.exact(selection.field, selection.values)]
                bound = min(bound, sum(int(column.doc_freq[i]) for i in held if i is not None))
        return bound

    def count_own(self, tq: Translated) -> int:
        """How many articles the query's own words match (no facet filter): one search, a round of its own."""
        parts = {"filter_by": " && ".join(tq.filters)} if tq.filters else {}
        return self.engine.multi_search([{"q": tq.q, "query_by": QUERY_BY, **STRICT, **parts, "per_page": 0}])[0]["found"]

    def count_hits(self, search: dict, estimate: int, stories: bool) -> dict | None:
        """The answer of one search without hits counting what ``search`` (the main search) matches,
        a round of its own, when the ``estimate`` cannot rule out more than ``large_set``; None when
        it can. With ``stories`` it also counts the stories (the story facet's number of values,
        ~15 ms over most of the 22k), which a large set then takes instead of Typesense's grouping."""
        if estimate <= self.engine.bound.large_set:
            return None
        count = {k: v for k, v in search.items() if k in ("q", "query_by", "filter_by", *STRICT)}
        facet = {"facet_by": STORY_FIELD, "max_facet_values": 1} if stories else {}
        return self.engine.multi_search([{**count, "per_page": 0, **facet}])[0]

    def execute(
        self, q: str, query_filters: list[str], ranked: bool, tq: Translated, estimate: int, partial: bool = False
    ) -> tuple[list[dict], dict]:
        """The plan as one multi_search for one query: (answers, layout: which answer holds what).

        ``estimate``: at most how many articles the query matches (``estimate``), which sets the
        caps of the server-side bound.

        ``tq``: the query's own words, counted apart (``full``). When ``q`` is their expansion or
        the ``partial`` fallback's any-word set, whose own order (text match on the words ``q``
        keeps, or the date) misses the best articles, the re-ranking window also gets candidates
        ranked by Typesense's text match (``windows``, merged by ``_ranked``): the own words' top,
        then one alternative in place of its word, and, partial, Typesense's own dropping of words
        (``drop_tokens_threshold``) and each pair of the ``RARE_WORDS`` rarest words."""
        plan: FacetPlan = self.plan
        clauses = {name: self.clause(selection) for name, selection in plan.filters.items()}
        base = {"q": q, "query_by": QUERY_BY, **STRICT}

        def filters(names: tuple[str, ...]) -> list[str]:
            return [*query_filters, *(clauses[n] for n in names)]

        def search(parts: list[str], **params) -> dict:
            return {**base, **({"filter_by": " && ".join(parts)} if parts else {}), **params}

        page, window = self.page_params(q, ranked)
        searches = [search(filters(plan.all_filters), **page)]
        if self.collapse:  # the articles (the total, the facets over the hits) counted ungrouped
            searches.append(search(filters(plan.all_filters), per_page=0))
        total = len(searches) - 1
        bound = self.engine.bound
        depth = page["page"] * page["per_page"]  # the stories (or articles) down to the page's last
        shallow = self.collapse and depth * COLLAPSE_SLACK <= stories.MAX_PER_PAGE  # may be collapsed here
        hit_count = self.count_hits(searches[total], estimate, stories=shallow)
        hits = None if hit_count is None else hit_count["found"]
        large = hits is not None and hits > bound.large_set
        grouped = {**searches[0], "group_by": STORY_FIELD, "group_limit": 1}  # each story's best hit
        regroup = None
        if shallow and large:
            # Over most of the index group_by costs Typesense ~60 ms: the first stories are collapsed
            # here from the top articles instead (the same stories: each at its best hit), and counted
            # by the count's story facet, Typesense grouping only when too few. The ungrouped page
            # counts the articles itself: the total's own search (one evaluation of the query) goes.
            searches[0].update(page=1, per_page=depth * COLLAPSE_SLACK)
            regroup = grouped
            del searches[1:]
            total = 0
        elif self.collapse:
            searches[0] = grouped
        # Every article, as the vocabulary counted them: its facet counts are the vocabulary's.
        whole = q == "*" and not query_filters and not plan.filters and hits == self.vocab.n_docs
        cap = bound.facet_fetch_cap if estimate > bound.fetch_cap_set else None
        # Over more than sample_set hits the value facets count the newest of them (``bound``).
        sample = self._sample(hits) if hits is not None and hits > bound.sample_set and not whole else []

        def max_values(limit: int) -> int:
            return limit + FACET_SLACK if cap is None else min(limit + FACET_SLACK, cap)

        # Facets counted over the hits themselves ride on the search that gives the total, and so,
        # over a large set, do the histograms' months (one evaluation of the query less each), cut at
        # the search's one max_facet_values; their days are asked after, when the months leave the
        # interval open (``_ask_days``).
        # Sampled, they ride together on one search of the sample instead.
        on_main = [c for c in plan.counts if c.filters == plan.all_filters and not c.prefix and not whole]
        main = searches[total]
        facet_by = [c.field + KEY_SUFFIX for c in on_main]
        main_values = max_values(max(c.limit for c in on_main)) if on_main else 0
        counted_at, counted_values = total, 0
        if sample and on_main:
            counted_at, counted_values = len(searches), main_values
            searches.append(search(filters(plan.all_filters) + sample, per_page=0, facet_by=",".join(facet_by), max_facet_values=main_values))
            facet_by, main_values = [], 0
        histograms: list[_Placed] = []
        # Counted first, no more hits than a histogram shows days: the histograms over the hits share
        # one search (one evaluation of the query, not one per field), which returns every day and
        # month they hold (a few dozen: asked up to MAX_MONTHS), so nothing is cut.
        few = hits is not None and hits <= min((h.day_max_days for h in plan.histograms), default=0)
        shared_fields: list[str] = []
        shared_at = len(searches)
        if few and not whole and any(h.filters == plan.all_filters for h in plan.histograms):
            searches.append(search(filters(plan.all_filters), per_page=0, max_facet_values=MAX_MONTHS))
        for histogram in plan.histograms:
            days, months = histogram_searches(histogram)
            if whole:
                histograms.append(_Placed(histogram, whole=True))
                continue
            if few and histogram.filters == plan.all_filters:
                shared_fields += [days["facet_by"], *([months["facet_by"]] if months is not None else [])]
                month = None if months is None else shared_at
                histograms.append(_Placed(histogram, shared_at, month, day_cap=MAX_MONTHS, month_cap=MAX_MONTHS))
                continue
            if large and months is not None and histogram.filters == plan.all_filters:
                facet_by.append(months["facet_by"])
                main_values = max(main_values, days["max_facet_values"])
                days_search = search(filters(histogram.filters), per_page=0, **days)
                histograms.append(_Placed(histogram, month=total, on_main=True, days_search=days_search))
                continue
            placed = _Placed(histogram, len(searches), day_cap=days["max_facet_values"])
            searches.append(search(filters(histogram.filters), per_page=0, **days))
            if months is not None:
                placed.month, placed.month_cap = len(searches), months["max_facet_values"]
                searches.append(search(filters(histogram.filters), per_page=0, **months))
            histograms.append(placed)
        if shared_fields:
            searches[shared_at]["facet_by"] = ",".join(shared_fields)
        for placed in histograms:
            if placed.on_main:
                placed.month_cap = main_values
        if facet_by:
            main.update(facet_by=",".join(facet_by), max_facet_values=main_values)
        counted = {c.facet: _Counted(c, counted_at, filters(c.filters) + sample, counted_values or main_values) for c in on_main}
        for count in plan.counts:
            if count.facet in counted:
                continue
            if whole and not count.prefix:
                counted[count.facet] = _Counted(count, total, [], 0, whole=True)
                continue
            # (a facet_prefix's candidates are few values: counted exactly over every hit)
            entry = _Counted(count, len(searches), filters(count.filters) + ([] if count.prefix else sample), max_values(count.limit))
            extra: list[str] = []
            if count.prefix:
                candidates = self._prefix_candidates(count)
                entry.candidates = set(candidates)
                extra = [key_filter(count.field, candidates) if candidates else NOTHING]
                entry.max_values = MAX_PREFIX_VALUES
            searches.append(
                search(entry.base + extra, per_page=0, facet_by=count.field + KEY_SUFFIX, max_facet_values=entry.max_values)
            )
            counted[count.facet] = entry
        # How many articles the query's own words alone match (no facet filter): what decides the
        # partial fallback and the did-you-mean, as on the Whoosh engine (the total itself when
        # nothing was expanded or selected).
        layout = {
            "facets": counted, "histograms": histograms, "q": q, "window": window, "full": total,
            "total": total, "windows": [], "depth": depth, "regroup": regroup,
            "hit_count": hit_count,  # (collapsed: its story facet counts the stories when not grouped)
            "sampled": bool(sample) and any(not c.prefix for c in plan.counts),
        }
        if not partial and (q != tq.q or query_filters != list(tq.filters) or plan.filters):  # (partial: known)
            layout["full"] = len(searches)
            searches.append(search(list(tq.filters), q=tq.q, per_page=0))
        if window and (tq.expanded is not None or partial):
            selected = [clauses[n] for n in plan.all_filters]
            own = [*tq.filters, *selected]
            # (collapsed: grouped by Typesense, or over a large set collapsed here, as the page is)
            grouping = {"group_by": STORY_FIELD, "group_limit": 1} if self.collapse and regroup is None else {}
            text = {**page, "sort_by": TEXT_ORDER, **grouping}
            candidates = [search(own, **{**text, "q": tq.q})]
            candidates += [search(own, **{**text, "q": alt_q, "per_page": ALT_WINDOW}) for alt_q in _substitutes(tq)]
            if partial and tq.q_words:  # (without words, Typesense has nothing to drop: the whole index)
                candidates.append(search(selected, **{**text, "q": tq.q, "drop_tokens_threshold": page["per_page"]}))
                candidates += [search(selected, **{**text, "q": pair, "per_page": PAIR_WINDOW}) for pair in _pairs(tq, self.vocab)]
            layout["windows"] = list(range(len(searches), len(searches) + len(candidates)))
            searches += candidates
        return self.engine.multi_search(searches), layout

    def _sample(self, hits: int) -> list[str]:
        """The publication-date clause of the newest articles among which about ``facet_sample`` of the
        ``hits`` are expected (their share of the index), or none when that is every dated article."""
        day = self.vocab.since(-(-self.engine.bound.facet_sample * self.vocab.n_docs // hits))
        return [] if day is None else [f"dated:=1 && date:>={epoch(dt.date.fromisoformat(day))}"]

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

    def _prefix_candidates(self, count: FacetCount) -> list[str]:
        values = self.vocab.with_prefix(count.field, count.prefix)
        column = self.vocab.columns[count.field]
        values.sort(key=lambda v: -column.doc_freq[column.index[v]])
        return values[:MAX_PREFIX_CANDIDATES]

    # -- facets -------------------------------------------------------------------------

    def facets(self, answers: list[dict], layout: dict) -> tuple[dict[str, list[FacetValue]], bool]:
        """The value facets, and whether a cap of the bound left values out (``Bound.facet_fetch_cap``)."""
        counts: dict[str, dict[str, int]] = {}
        cut = False
        for name, entry in layout["facets"].items():
            found: dict[str, int] = {}
            for facet in answers[entry.index].get("facet_counts", []) if not entry.whole else ():
                if facet["field_name"] == entry.count.field + KEY_SUFFIX:
                    found = {facet_value(c["value"]): c["count"] for c in facet["counts"]}
            if entry.whole:
                found = dict(self.vocab.top_values(entry.count.field, entry.count.limit))
            if entry.candidates is None and not entry.whole and entry.max_values < entry.count.limit and len(found) >= entry.max_values:
                cut = True  # the reader asked for more values than the bound lets Typesense return
            if entry.candidates is not None:
                found = {v: c for v, c in found.items() if v in entry.candidates}
            counts[name] = found
        self._count_missing_selections(counts, layout)
        out: dict[str, list[FacetValue]] = {}
        for name, entry in layout["facets"].items():
            count, found = entry.count, counts[name]
            top = sorted(((v, c) for v, c in found.items() if c > 0), key=lambda vc: (-vc[1], vc[0]))
            chosen = dict(top[: count.limit])
            selected = self.exact(count.field, count.selected)
            for value in selected:
                chosen[value] = found.get(value, 0)
            values = [FacetValue(v, c, v in selected, self.vocab.entity_type(name, v)) for v, c in chosen.items()]
            values.sort(key=lambda f: (-f.count, f.value))
            out[name] = values
        return out, cut

    def _count_missing_selections(self, counts: dict[str, dict[str, int]], layout: dict) -> None:
        """Selected values outside a facet's returned list: counted by one search each, in one round."""
        missing: list[tuple[str, str]] = []
        searches = []
        for name, entry in layout["facets"].items():
            for value in self.exact(entry.count.field, entry.count.selected):
                if value not in counts[name]:
                    missing.append((name, value))
                    parts = entry.base + [key_filter(entry.count.field, [value])]
                    searches.append(
                        {"q": layout["q"], "query_by": QUERY_BY, **STRICT, "per_page": 0, "filter_by": " && ".join(parts)}
                    )
        if not searches:
            return
        for (name, value), answer in zip(missing, self.engine.multi_search(searches)):
            counts[name][value] = answer["found"]

    # -- hits ---------------------------------------------------------------------------

    def hits(self, answers: list[dict], tq: Translated, partial: bool, layout: dict) -> list[Hit]:
        """The page's hits, each with its story (its other versions listed when collapsed)."""
        shown = self._page(answers, tq, partial, layout)
        wide = tq.expanded or tq
        out = [hit(stored(doc), score, wide.stems, wide.forms) for doc, score in shown]
        story_of = {doc["id"]: doc.get(STORY_FIELD) for doc, _ in shown}
        stories.attach(self.engine.multi_search, out, story_of, self.collapse, stored)
        return out

    def _page(self, answers: list[dict], tq: Translated, partial: bool, layout: dict) -> list[tuple[dict, float]]:
        request = self.request
        docs = self._main_docs(answers[0], layout)
        if not layout["window"]:
            return [(doc, 0.0) for doc in docs]
        start = (request.page - 1) * request.per_page
        ranked = self._ranked(answers, docs, tq, partial, layout)[start : start + request.per_page]
        if not ranked:
            return []
        ids = [doc["id"] for doc, _ in ranked]
        found = self.engine.multi_search([{
            "q": "*", "query_by": QUERY_BY, "per_page": len(ids), "include_fields": DISPLAY_FIELDS,
            "filter_by": id_filter(ids), "highlight_fields": "none",
        }])[0]
        by_id = {h["document"]["id"]: h["document"] for h in found["hits"]}
        return [(by_id[doc["id"]], score) for doc, score in ranked if doc["id"] in by_id]

    def _main_docs(self, answer: dict, layout: dict) -> list[dict]:
        """The main search's page (or re-ranking window); collapsed here (``regroup``), its stories
        cut from the top articles', or grouped by Typesense when these hold too few."""
        docs = self._docs(answer)
        regroup, depth = layout["regroup"], layout["depth"]
        if regroup is None:
            return docs
        if len(docs) < depth and len(answer["hits"]) < answer["found"]:  # a few stories hold most top hits
            return self._docs(self.engine.multi_search([regroup])[0])
        per_page = regroup["per_page"]
        return docs[depth - per_page : depth]

    def _docs(self, answer: dict) -> list[dict]:
        """An answer's documents; collapsed, each story's best hit (Typesense's groups, or the first
        hit of each story in an ungrouped answer)."""
        if "grouped_hits" in answer:  # group_limit 1
            return [g["hits"][0]["document"] for g in answer["grouped_hits"] if g["hits"]]
        docs = [h["document"] for h in answer["hits"]]
        return _first_per_story(docs, lambda d: d) if self.collapse else docs

    def _ranked(self, answers: list[dict], docs: list[dict], tq: Translated, partial: bool, layout: dict) -> list[tuple[dict, float]]:
        """The re-ranking window in Telusur's order; expanded, the own words' window first, then the rest."""
        wide = tq.expanded or tq
        if not layout["windows"]:
            return rerank(docs, wide.stems, wide.forms, self.vocab, partial)
        own_window, *alt_windows = layout["windows"]
        own = self._docs(answers[own_window])
        seen = {doc["id"] for doc in own}
        rest = []
        for doc in [*docs, *(d for i in alt_windows for d in self._docs(answers[i]))]:
            if doc["id"] not in seen:
                seen.add(doc["id"])
                rest.append(doc)
        ranked = [
            *rerank(own, tq.stems, wide.forms, self.vocab, partial, tq.alternatives),
            *rerank(rest, tq.stems, wide.forms, self.vocab, partial, tq.alternatives),
        ]
        if self.collapse:  # one hit per story over both lists
            ranked = _first_per_story(ranked, lambda pair: pair[0])
        return ranked


def _first_per_story(items: list, doc_of) -> list:
    """``items`` with only the first of each story (``doc_of(item)``: its document; no story: its own)."""
    seen: set = set()
    kept = []
    for item in items:
        doc = doc_of(item)
        story = doc.get(STORY_FIELD) or doc["id"]
        if story not in seen:
            seen.add(story)
            kept.append(item)
    return kept


def _substitutes(tq: Translated) -> list[str]:
    """``q`` with one alternative in place of its word, for the ``MAX_ALT_SEARCHES`` heaviest alternatives
    of the words ``q`` holds (a word inside an OR group or a phrase is in a filter)."""
    pairs = [(alt, s) for s, alts in tq.alternatives.items() if s in tq.q_words for alt in alts]
    pairs.sort(key=lambda pair: -pair[0].weight)
    out = []
    for alt, own in pairs[:MAX_ALT_SEARCHES]:
        words = [" ".join(alt.stems) if w == own else w for w in tq.q_words]
        out.append(" ".join(words + ["-" + e for e in tq.excluded]))
    return out


def _pairs(tq: Translated, vocab: Vocabulary) -> list[str]:
    """``q`` for each pair of the query's ``RARE_WORDS`` rarest indexed words: the partial fallback's
    candidates (an article a long query describes holds its telling words, seldom all of them)."""
    words = [w for w in dict.fromkeys(tq.q_words) if not w.startswith('"') and vocab.doc_frequency(w) > 0]
    rare = sorted(words, key=vocab.doc_frequency)[:RARE_WORDS]
    excluded = ["-" + e for e in tq.excluded]
    return [" ".join([a, b, *excluded]) for a, b in itertools.combinations(rare, 2)]


def _window(k: int, per_page: int) -> int:
    """How many top hits are re-ranked: ``k`` rounded up to whole pages (Typesense pages them)."""
    return -(-k // per_page) * per_page
