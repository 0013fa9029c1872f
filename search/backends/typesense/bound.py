"""The server-side cost bound of one search request on Typesense, and what degrades when it binds.

Measured on Typesense 0.24.1 over the 22k corpus (one node, DEVELOPERS.md
"The cost of a request on Typesense"): a facet count costs the server ~2 ms
per 1,000 counted articles (the entity facet; the others less) plus ~0.1 ms
per value it returns (0.24.1 reads a stored document for every facet value),
``group_by`` (collapse=story) ~3 ms per 1,000 hits, and every search of a
multi_search evaluates the query's filter again (~40 ms for nine wildcards of
64 words each). So the engine:

* with a query whose words could match more than ``fetch_cap_set`` articles
  (the vocabulary's document frequencies bound it), lets a value facet return
  at most ``facet_fetch_cap`` values: a larger ``facet_limit`` is cut;
* counts the hits first (a search without facets, a round of its own) when
  the vocabulary cannot rule out more than ``large_set``; over more, the
  histograms' months ride on the main search (one evaluation of the query
  each fewer), so they are cut at its one ``max_facet_values`` (the value
  facets' cap, at least ``day_max_days + 1``: 63), and their days are asked
  only when the months leave the interval open (``histogram.months_span``);
  a collapsed page of the first stories is collapsed from the top articles
  instead of by Typesense's ``group_by`` (``engine.COLLAPSE_SLACK``: the same
  stories), counted by the hit count's story facet, and that ungrouped page
  counts the articles too (no search of its own for the total); counted
  first and no more hits than a histogram shows days (62), the histograms
  share one search, every day and month returned; when the hits are
  every article (the front page), the facets and histograms are the
  generation vocabulary's counts and Typesense counts nothing;
* when the hits counted first are more than ``sample_set`` (~45 ms of value
  facets each 10,000; the entity facet alone ~61 ms over the whole 22k), the
  value facets are counted over the newest of them only: the articles
  published since the day from which about ``facet_sample`` of the hits are
  expected (``Vocabulary.since``, scaled by the hits' share of the index), a
  publication-date clause added to their searches. Those counts are exact
  over that sample, and the notice ``sampled`` says what they count; the
  total, the stories and the histograms still count every hit;
* counts a query of ``engine.PRECOUNT_CLAUSES`` (4) or more clauses before
  asking its plan: a reader's long query seldom has ``FEW_HITS`` full
  matches, and then only the partial fallback's plan is asked;
* sends no ``search_cutoff_ms`` unless given one. Typesense 0.24.1 measures it
  in wall time from the HTTP request's start, for the whole multi_search, so
  on a loaded host it cuts ordinary requests; a cut search answers what it
  has with ``search_cutoff: true`` (the engine's notice ``budget``), and when
  one had found nothing the whole multi_search answers 408 (``BackendDown``,
  the web's 503). The caps above bound the work; a wall-clock cut would only
  make counts short.

The client's share is bounded too: a wildcard's expansion and the query's
stems are the generation vocabulary's (``Vocabulary.stem_of``), never
Sastrawi inside a request.

Counts shown stay exact; what a cap leaves out is said by the notice
``facets`` (values or histogram months left out), and value facets counted
over the newest hits only by ``sampled``, never silently. Tests pass a small
``Bound`` to reach these paths on the sample.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    fetch_cap_set: int = 1000
    facet_fetch_cap: int = 100
    large_set: int = 5000
    sample_set: int = 10_000
    facet_sample: int = 2000
    search_cutoff_ms: int | None = None
