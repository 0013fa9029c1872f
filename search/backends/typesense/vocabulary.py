"""What the Typesense engine knows about the whole index, read once per generation.

Typesense cannot list its terms with document frequencies, nor a facet's
values with their case, so the engine exports, per generation, the fields
that hold them (``terms``, the token counts, the facet value lists) and
derives:

* document frequencies of stems and affixed forms: did-you-mean, wildcard
  expansion and the BM25 idf of re-ranking;
* each affixed form's stem, as the build's analysis found it (``affixed`` /
  ``affixed_stems``): a wildcard expands to the stems of the forms it
  matches by looking them up, and the stems are handed to the analyzer's
  memo (``indexer.analysis.add_stems``, as the Whoosh engine loads its stem
  store), so the indexed words of a query are never sent through Sastrawi
  inside a request (the first ``mem*`` cost ~0.5 s of CPU so); the terms
  that are neither an affixed form nor a form's stem were indexed as they
  stand, their own stems, and are handed on too (~69k of the 22k's 99k
  terms), so highlighting a fresh process's first snippets looks them up
  instead of sending each through Sastrawi (~25-50 ms of a request's CPU);
  a wildcard's scan reads arrays of each term's stem and frequency, made
  once per generation;
* average field lengths (BM25's length normalisation);
* the words of the name facets' values (``search.columns.NameWords``), so
  that query expansion (``search.expand.IndexStats``) leaves names alone;
* per facet field, the values as written with their document frequencies
  (``search.columns.ValueColumn``, the arrays the Whoosh engine counts with too), which
  resolve ``entity:putin`` and a selected ``nasional`` to the exact values,
  answer ``facet_prefix``, and give each entity its type;
* the whole index's facet counts and publication days (``top_values``,
  ``days``): a request that matches every article (the front page) takes its
  facets from here instead of having Typesense count the whole collection
  (~250 ms of server CPU on 22k articles), each facet's values ranked once
  at load; and, newest first, from which day on so many were published
  (``since``): the sample a very large set's value facets count (``bound``).

On 22k articles the export is a few seconds of background work; a build
changes the generation every batch, so reloads are spaced by
``RELOAD_INTERVAL_S`` and requests keep the previous vocabulary meanwhile.
"""

from __future__ import annotations

import bisect
import fnmatch
import json
import re
from collections import Counter
from typing import Iterator

import numpy as np

from indexer.analysis import add_stems, stem
from indexer.canonical import AliasTable
from indexer.fields import FACET_FIELDS, TEXT_FIELDS
from indexer.typesense.schema import AFFIXED, AFFIXED_STEMS, LENGTH_SUFFIX
from search.columns import NAME_FACETS, NameWords, TypedValues, ValueColumn
from search.facet_spec import BY_NAME, FACETS

RELOAD_INTERVAL_S = 30.0
MAX_EXPANSION_SCAN = 5000
MAX_EXPANSION = 64
MAX_RESOLVED_VALUES = 50
EXPORT_FIELDS = ("id", "terms", AFFIXED, AFFIXED_STEMS, "day", *(f + LENGTH_SUFFIX for f in TEXT_FIELDS), *FACET_FIELDS)


class Vocabulary:
    """Terms, lengths and facet values of one generation of the index."""

    def __init__(self, generation: int, export_lines, aliases: AliasTable | None = None):
        """``aliases``: the corpus alias table the build learnt (the meta collection's), for entity pages."""
        self.generation = generation
        self.aliases = aliases or AliasTable()
        df: Counter[str] = Counter()
        stem_of: dict[str, str] = {}
        lengths = {f: 0 for f in TEXT_FIELDS}
        per_field: dict[str, tuple[dict[str, int], list[str], list[int], list[int]]] = {
            f: ({}, [], [0], []) for f in FACET_FIELDS
        }
        n = 0
        days: Counter[str] = Counter()
        for line in export_lines:
            if not line:
                continue
            doc = json.loads(line)
            n += 1
            if doc.get("day"):
                days[doc["day"]] += 1
            df.update(doc.get("terms") or ())
            stem_of.update(zip(doc.get(AFFIXED) or (), doc.get(AFFIXED_STEMS) or ()))
            for f in TEXT_FIELDS:
                lengths[f] += doc.get(f + LENGTH_SUFFIX) or 0
            for f in FACET_FIELDS:
                index, values, indptr, ids = per_field[f]
                for v in doc.get(f) or ():
                    vid = index.get(v)
                    if vid is None:
                        vid = index[v] = len(values)
                        values.append(v)
                    ids.append(vid)
                indptr.append(len(ids))
        self.n_docs = n
        self.df = df
        self.stem_of = stem_of  # affixed form -> its stem (a term not in it is a stem)
        add_stems(stem_of)
        roots = set(stem_of.values())
        add_stems({t: t for t in df if t not in stem_of and t not in roots})  # indexed as they stand
        self.days = dict(days)  # publication day -> articles
        self._newest = sorted(days, reverse=True)
        self._published_since = np.cumsum([days[d] for d in self._newest], dtype=np.int64)
        self.terms = sorted(df)
        # Per term (in ``terms`` order): its stem's number in ``_stems`` and its document frequency.
        self._stems, stem_number = [], {}
        for term in self.terms:
            root = stem_of.get(term, term)
            if root not in stem_number:
                stem_number[root] = len(self._stems)
                self._stems.append(root)
        self._term_stem = np.fromiter((stem_number[stem_of.get(t, t)] for t in self.terms), np.int64, len(self.terms))
        self._term_df = np.fromiter((df[t] for t in self.terms), np.int64, len(self.terms))
        self.avg_length = {f: (lengths[f] / n if n else 1.0) or 1.0 for f in TEXT_FIELDS}
        self.columns = {
            f: ValueColumn(f, values, np.asarray(indptr, dtype=np.int64), np.asarray(ids, dtype=np.int32))
            for f, (_index, values, indptr, ids) in per_field.items()
        }
        self.entity_types = {
            spec.name: TypedValues(self.columns[spec.field], [(self.columns[f], t) for f, t in spec.type_fields])
            for spec in FACETS
            if spec.kind == "entity"
        }
        self.names = NameWords([self.columns[BY_NAME[f].field] for f in NAME_FACETS])
        self._ranked = {f: _ranked(column) for f, column in self.columns.items()}

    # -- terms (and ``search.suggest.Vocabulary``) ---------------------------------------

    def doc_frequency(self, term: str) -> int:
        return self.df.get(term, 0)

    def is_name(self, word: str) -> bool:
        return self.names.is_name(word, self.doc_frequency(stem(word)))

    def known(self, stemmed: str) -> bool:
        return stemmed in self.df

    def near(self, word: str, maxdist: int) -> Iterator[tuple[str, int]]:
        """Terms sharing ``word``'s first letter within ``maxdist`` edits, with their document frequencies."""
        lo = bisect.bisect_left(self.terms, word[:1])
        hi = bisect.bisect_left(self.terms, word[:1] + "\U0010ffff")
        for term in self.terms[lo:hi]:
            if abs(len(term) - len(word)) <= maxdist and _edits(word, term, maxdist) <= maxdist:
                yield term, self.df[term]

    def words(self) -> Iterator[tuple[str, int]]:
        return iter(self.df.items())

    def expand(self, pattern: str) -> list[str]:
        """Stems of the indexed terms (stems and affixed forms) matching a wildcard, most frequent first."""
        prefix = re.split(r"[*?]", pattern, 1)[0]
        # `mem*`, the common kind, is its prefix alone: no pattern to match each term against.
        rx = None if pattern == prefix + "*" and "[" not in prefix else re.compile(fnmatch.translate(pattern))
        start = bisect.bisect_left(self.terms, prefix)
        end = min(bisect.bisect_left(self.terms, prefix + "\U0010ffff"), start + MAX_EXPANSION_SCAN)
        scanned = np.arange(start, end)
        if rx is not None:
            scanned = scanned[[rx.fullmatch(self.terms[i]) is not None for i in range(start, end)]]
        if not len(scanned):
            return []
        stems, dfs = self._term_stem[scanned], self._term_df[scanned]
        # Each stem at its most frequent form's frequency, most frequent first, ties in term order.
        found, first, where = np.unique(stems, return_index=True, return_inverse=True)
        best = np.zeros(len(found), dtype=np.int64)
        np.maximum.at(best, where, dfs)
        order = np.lexsort((first, -best))[:MAX_EXPANSION]
        return [self._stems[i] for i in found[order].tolist()]

    def since(self, n: int) -> str | None:
        """The latest publication day on or after which at least ``n`` articles were published
        (None: fewer were published in all)."""
        i = int(np.searchsorted(self._published_since, n))
        return self._newest[i] if i < len(self._newest) else None

    # -- facet values -----------------------------------------------------------------

    def resolve_facet(self, facet: str, text: str) -> list[str]:
        return self.columns[BY_NAME[facet].field].containing(text, MAX_RESOLVED_VALUES)

    def exact(self, field: str, value: str) -> str | None:
        """The indexed value a selection means: itself, else the most frequent one equal ignoring case."""
        column = self.columns[field]
        vid = column.lookup(value)
        return column.values[vid] if vid is not None else None

    def with_prefix(self, field: str, prefix: str) -> list[str]:
        column = self.columns[field]
        return [column.values[i] for i in column.with_prefix(prefix).tolist()]

    def top_values(self, field: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` values of a facet field most articles hold, (value, articles), ties by value."""
        return self._ranked[field][:limit]

    def entity_type(self, facet: str, value: str) -> str | None:
        types = self.entity_types.get(facet)
        if types is None:
            return None
        vid = types.column.index.get(value)
        return types.type_of(vid)


def _ranked(column: ValueColumn) -> list[tuple[str, int]]:
    """A column's values with their articles, most held first, ties by value."""
    freq = column.doc_freq.tolist()
    order = sorted(range(len(column.values)), key=lambda i: (-freq[i], column.values[i]))
    return [(column.values[i], freq[i]) for i in order]


def _edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once every path exceeds ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
