"""Facet values as arrays, backend-neutral: what every backend's facet code and vocabulary build on.

``ValueColumn`` is a multi-valued facet column (a value vocabulary and, per
document, the ids of its values in CSR form) with the lookups a request
needs: a value ignoring case, values by prefix or by word, values containing
a phrase. ``TypedValues`` gives each value of an entity facet its type. The
Whoosh engine reads its columns from the index (``search.backends.whoosh.facets``),
the Typesense engine from a generation's export (``search.backends.typesense.vocabulary``).
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

import numpy as np

# Below this fraction of documents a mask is counted by gathering the matched
# documents' rows; above it, by one pass over every (document, value) entry.
_GATHER_FRACTION = 0.125


class ValueColumn:
    """A multi-valued facet column as arrays (value vocabulary + CSR of value ids)."""

    def __init__(self, name: str, values: list[str], indptr: np.ndarray, ids: np.ndarray):
        self.name = name
        self.values = values
        self.indptr = indptr
        self.ids = ids
        self.index = {v: i for i, v in enumerate(values)}
        self.doc_of = np.repeat(np.arange(len(indptr) - 1, dtype=np.int32), np.diff(indptr))
        self.doc_freq = np.bincount(ids, minlength=len(values))

    def count(self, mask: np.ndarray, n_docs: int) -> np.ndarray:
        """How many masked documents hold each value (``n_docs`` = mask.sum(), to pick the method)."""
        if n_docs < _GATHER_FRACTION * len(mask):
            docs = np.flatnonzero(mask)
            starts = self.indptr[docs]
            lengths = self.indptr[docs + 1] - starts
            total = int(lengths.sum())
            if not total:
                return np.zeros(len(self.values), dtype=np.int64)
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
            vals = self.ids[offsets]
        else:
            vals = self.ids[mask[self.doc_of]]
        return np.bincount(vals, minlength=len(self.values))

    def docs_with(self, value_ids: list[int], n_docs: int) -> np.ndarray:
        """Mask of the documents holding any of the values."""
        mask = np.zeros(n_docs, dtype=bool)
        if value_ids:
            mask[self.doc_of[np.isin(self.ids, value_ids)]] = True
        return mask

    def lookup(self, value: str) -> int | None:
        """A value's id: exact, else the most frequent value equal to it ignoring case."""
        vid = self.index.get(value)
        if vid is not None:
            return vid
        same = self._by_lower.get(value.lower())
        return max(same, key=lambda i: self.doc_freq[i]) if same else None

    @cached_property
    def _by_lower(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, v in enumerate(self.values):
            out.setdefault(v.lower(), []).append(i)
        return out

    @cached_property
    def _sorted_lower(self) -> tuple[list[str], np.ndarray]:
        order = sorted(range(len(self.values)), key=lambda i: self.values[i].lower())
        return [self.values[i].lower() for i in order], np.asarray(order, dtype=np.int64)

    def with_prefix(self, prefix: str) -> np.ndarray:
        """Ids of the values starting with ``prefix`` (ignoring case) or with a word starting with it."""
        keys, order = self._sorted_lower
        p = prefix.lower()
        lo = bisect.bisect_left(keys, p)
        hi = bisect.bisect_left(keys, p + "\U0010ffff")
        ids = set(order[lo:hi].tolist())
        word_keys, word_ids = self.word_index
        lo = bisect.bisect_left(word_keys, p)
        hi = bisect.bisect_left(word_keys, p + "\U0010ffff")
        for i in range(lo, hi):
            ids.update(word_ids[i])
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    @cached_property
    def word_index(self) -> tuple[list[str], list[list[int]]]:
        """Lowercase words of the values -> value ids, sorted by word (for prefix and word lookups)."""
        words: dict[str, list[int]] = {}
        for i, v in enumerate(self.values):
            for w in set(_WORD_RE.findall(v.lower())):
                words.setdefault(w, []).append(i)
        keys = sorted(words)
        return keys, [words[k] for k in keys]

    def containing(self, text: str, limit: int) -> list[str]:
        """Values equal to ``text`` or containing it as whole words, ignoring case; most frequent first."""
        target = _WORD_RE.findall(text.lower())
        if not target:
            return []
        keys, ids = self.word_index
        k = bisect.bisect_left(keys, target[0])
        if k == len(keys) or keys[k] != target[0]:
            return []
        phrase = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, target)) + r"(?!\w)")
        found = [i for i in ids[k] if phrase.search(self.values[i].lower())]
        found.sort(key=lambda i: -self.doc_freq[i])
        return [self.values[i] for i in found[:limit]]


_WORD_RE = re.compile(r"\w+")

NAME_FACETS = ("entity", "location")  # their values' words are names: never expanded (``search.expand``)


class NameWords:
    """Per word of a person's, organisation's or place's name, about how many articles name it.

    What both engines answer ``search.expand.IndexStats.is_name`` with; read
    from the name facets' columns' word indexes, which this also builds
    before the first ``entity:`` query needs them.
    """

    def __init__(self, columns: list[ValueColumn]):
        self.named: dict[str, int] = {}
        for column in columns:
            for word, ids in zip(*column.word_index):
                self.named[word] = self.named.get(word, 0) + int(column.doc_freq[ids].sum())

    def is_name(self, word: str, doc_frequency: int) -> bool:
        """Mostly seen in names: ``kate``, ``malang`` (the city); not ``bunga``, which names a few people.

        ``doc_frequency``: the index's for the word's stem."""
        named = self.named.get(word, 0)
        return named > 0 and 2 * named >= doc_frequency


class TypedValues:
    """Each value's type: the type column holding the value in most documents (entity kind)."""

    def __init__(self, column: ValueColumn, typed: list[tuple[ValueColumn, str]]):
        """``typed``: (column, type name) pairs; ties go to the first, unknown values are the first type."""
        self.column = column
        self.default_type = typed[0][1]
        types = []
        for value in column.values:
            best = max(typed, key=lambda ct: ct[0].doc_freq[ct[0].index[value]] if value in ct[0].index else 0)
            n = best[0].doc_freq[best[0].index[value]] if value in best[0].index else 0
            types.append(best[1] if n else self.default_type)
        self.types = types

    def type_of(self, value_id: int | None) -> str | None:
        return self.types[value_id] if value_id is not None else self.default_type
