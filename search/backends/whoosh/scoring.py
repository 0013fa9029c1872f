"""BM25F over numpy arrays: match sets and scores for every matching document.

Whoosh's own matchers walk postings one document at a time in Python
(~90 ms for a two-word query on 22k documents, measured) and its top-N
collector skips postings, which makes counts from it short. Here each
(field, term) posting list is read once per index generation into arrays of
document numbers and BM25 scores (Whoosh's formula, idf and field lengths,
so scores equal Whoosh's BM25F), and a query is evaluated as vector
operations on dense per-document masks and score arrays.

A compiled query is a tree of small nodes, each with
``evaluate(ctx) -> (mask, score)``; ``ctx`` is the open snapshot
(``engine._Snapshot``). Phrases need positions: ``phrase_docs`` verifies
them on the candidates the posting arrays give, reading only the posting
blocks that hold a candidate (``Blocks``, noted while the arrays are read).

This reads Whoosh's private W3 codec (``whoosh-reloaded==2.7.5``): the
per-segment length columns (``_perdoc._cached_reader``, ``_lenfield``,
``LENGTHS_COLUMN``, ``byte_to_length``), the segment's terms reader
(``_terms.matcher``, ``_text_to_bytes``: the codec's matcher without the
``FilterMatcher`` deletions wrap it in, which walks postings one by one), a
block matcher's ``_read_ids`` / ``_read_weights`` / ``_ids`` / ``_weights`` /
``_next_block``, and where its block's data lies (``_postfile``,
``_dataoffset``, ``_nextoffset``, ``_compression``: a pickled
``(ids, weights, values)``, zlib-compressed, as ``_read_data`` reads it).
``check_codec`` refuses to load a snapshot when any of them is missing
(``IncompatibleWhoosh``) rather than score with zero lengths or fall back
to a per-posting walk in silence; tests/test_scoring_guard.py compares the
scores with ``whoosh.scoring.BM25F`` and the phrases with ``whoosh.query.Phrase``,
reads each block's values both ways, and fails when the block path is not taken.
"""

from __future__ import annotations

import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.compat import loads
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length

B = 0.75
K1 = 1.2
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_CACHED_TERMS = 4096

Match = tuple[np.ndarray, np.ndarray]  # (bool mask, float32 score) per document
# What the block path calls on a W3 block matcher.
_BLOCK_METHODS = ("_read_ids", "_read_weights", "_next_block", "is_active")


class IncompatibleWhoosh(RuntimeError):
    """The installed Whoosh lacks a codec internal the numpy scoring reads: re-check ``scoring`` against it."""


def check_codec(segment) -> None:
    """Raise ``IncompatibleWhoosh`` unless ``segment`` offers every internal this module reads."""
    missing = [f"W3LeafMatcher.{name}" for name in _BLOCK_METHODS if not callable(getattr(W3LeafMatcher, name, None))]
    owner = type(segment).__name__
    if not callable(getattr(getattr(segment, "_perdoc", None), "_cached_reader", None)):
        missing.append(f"{owner}._perdoc._cached_reader")
    if not callable(getattr(getattr(segment, "_terms", None), "matcher", None)):
        missing.append(f"{owner}._terms.matcher")
    if not callable(getattr(segment, "_text_to_bytes", None)):
        missing.append(f"{owner}._text_to_bytes")
    if missing:
        raise IncompatibleWhoosh(
            "the numpy BM25F reads Whoosh internals this Whoosh does not have: " + ", ".join(missing)
        )


def _length_column(segment, field: str):
    """A segment's field-length column; None only when no document of the segment has the field."""
    column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None and segment.field_length(field):
        raise IncompatibleWhoosh(
            f"a segment holds {segment.field_length(field)} {field!r} tokens"
            f" but no length column {_lenfield(field)!r}"
        )
    return column


class Budget:
    """The CPU time one request may spend evaluating its query, on its own thread's clock.

    Checked between the query's clauses and while phrases are verified: once
    it is spent, later clauses are not searched and a phrase is searched as
    its words, and ``exceeded`` says the answer is approximate. ``None``
    seconds is no limit.
    """

    def __init__(self, seconds: float | None):
        self.deadline = None if seconds is None else time.thread_time() + seconds
        self.exceeded = False

    def spent(self) -> bool:
        if not self.exceeded and self.deadline is not None and time.thread_time() > self.deadline:
            self.exceeded = True
        return self.exceeded


class Context(Protocol):
    n_docs: int
    live: np.ndarray
    postings: "Postings"
    budget: Budget

    def phrase_docs(self, field: str, stems: list[str]) -> np.ndarray | None:
        """Live documents holding the phrase; None when the budget ran out before they were known."""

    def facet_docs(self, facet: str, values: list[str]) -> np.ndarray: ...


class Postings:
    """Per index generation: field lengths, and per term its documents and BM25 scores (LRU-cached)."""

    def __init__(self, searcher, fields: tuple[str, ...]):
        self.searcher = searcher
        reader = searcher.reader()
        self.n_docs = reader.doc_count_all()
        self.lengths: dict[str, np.ndarray] = {}
        segments = reader.leaf_readers()
        for segment, _ in segments:
            check_codec(segment)
        for field in fields:
            lengths = np.zeros(self.n_docs, dtype=np.float32)
            for segment, offset in segments:
                column = _length_column(segment, field)
                if column is not None:
                    raw = np.fromiter(column, dtype=np.uint8, count=segment.doc_count_all())
                    lengths[offset : offset + len(raw)] = _LENGTH_OF_BYTE[raw]
            self.lengths[field] = lengths
        self._cache: OrderedDict[tuple[str, str], _Term] = OrderedDict()
        self._pinned: dict[tuple[str, str], _Term] = {}

    def read_ahead(self, pairs: list[tuple[str, str]]) -> None:
        """Read these (field, term) posting lists now and keep them for the generation's life."""
        for field, text in pairs:
            if field in self.lengths:
                self._pinned[field, text] = self._scored(field, text)

    def term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 scores) of one term; callers hold the snapshot lock."""
        entry = self._entry(field, text)
        return entry.ids, entry.scores

    def blocks(self, field: str, text: str) -> tuple[np.ndarray, Blocks]:
        """(document numbers, where their posting blocks lie) of one term, for reading positions."""
        entry = self._entry(field, text)
        return entry.ids, entry.blocks

    def _entry(self, field: str, text: str) -> _Term:
        key = (field, text)
        hit = self._pinned.get(key)
        if hit is not None:
            return hit
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        value = self._cache[key] = self._scored(field, text)
        if len(self._cache) > _CACHED_TERMS:
            self._cache.popitem(last=False)
        return value

    def _scored(self, field: str, text: str) -> _Term:
        ids, weights, blocks = self._read(field, text)
        if len(ids):
            searcher = self.searcher
            idf = searcher.idf(field, text)
            avg = searcher.avg_field_length(field) or 1.0
            fl = self.lengths[field][ids]
            scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avg))
        else:
            scores = np.zeros(0, dtype=np.float32)
        return _Term(ids, scores.astype(np.float32), blocks)

    def _read(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray, Blocks]:
        """Whole posting list as arrays, block by block (Whoosh 2.7's W3 codec), and where each block lies.

        Deleted documents are read too (``segment.postings`` would wrap the
        matcher in a ``FilterMatcher`` that walks it); every query node masks
        with ``live``.
        """
        all_ids, all_weights = [], []
        blocks = Blocks()
        read = 0
        for segment, offset in self.searcher.reader().leaf_readers():
            if (field, text) not in segment:
                continue
            tbytes = segment._text_to_bytes(field, text)
            m = segment._terms.matcher(field, tbytes, segment.schema[field].format)
            ids, weights = read_postings(m, blocks, read)
            read += len(ids)
            all_ids.append(np.asarray(ids, dtype=np.int64) + offset)
            all_weights.append(np.asarray(weights, dtype=np.float32))
        blocks.done(read)
        if not all_ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), blocks
        return np.concatenate(all_ids), np.concatenate(all_weights), blocks


@dataclass(frozen=True)
class _Term:
    ids: np.ndarray
    scores: np.ndarray
    blocks: Blocks


class Blocks:
    """Where each posting block of one term lies, so that positions are read from the blocks holding
    a phrase's candidates only, without opening the term's matchers again (``_positions``).

    ``starts[k]`` is the index in the term's posting arrays of block ``k``'s first posting (and
    ``starts[-1]`` their length); a block is the codec's (postings file, offset and length of its
    data, compressed), or the values themselves where the postings are inlined in the term info.
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self.sources: list = []
        self.starts = np.zeros(1, dtype=np.int64)

    def add(self, start: int, source) -> None:
        self._starts.append(start)
        self.sources.append(source)

    def done(self, end: int) -> Blocks:
        self.starts = np.array([*self._starts, end], dtype=np.int64)
        del self._starts
        return self

    def values(self, k: int) -> tuple:
        """Block ``k``'s encoded values, as ``W3LeafMatcher._read_data`` / ``_read_values`` read them."""
        source = self.sources[k]
        if not isinstance(source, _Extent):
            return source
        raw = source.postfile.get(source.offset, source.length)
        return loads(zlib.decompress(raw) if source.compressed else raw)[2]


@dataclass(frozen=True)
class _Extent:
    postfile: object
    offset: int
    length: int
    compressed: bool


def _extent(m: W3LeafMatcher) -> _Extent:
    """Where the block ``m`` stands on lies in its postings file."""
    try:
        return _Extent(m._postfile, m._dataoffset, m._nextoffset - m._dataoffset, bool(m._compression))
    except AttributeError as e:
        raise IncompatibleWhoosh(f"a W3 block matcher has no {e.name!r}: the phrase check cannot find its blocks") from e


def read_postings(m, blocks: Blocks, start: int) -> tuple[list, list]:
    """(document numbers, weights) of one segment's codec matcher: whole blocks when it is a W3 block
    matcher. Each block's place is added to ``blocks``, its first posting being ``start`` onwards."""
    ids: list = []
    weights: list = []
    positions = m.format.supports("positions")
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            if positions:  # in the block's data, with its ids and weights
                blocks.add(start + len(ids), _extent(m))
            ids.extend(m._ids)
            weights.extend(m._weights)
            m._next_block()
    elif isinstance(m, ListMatcher):  # postings inlined in the term info: a handful
        values = []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            values.append(m.value() if positions else None)
            m.next()
        if positions:
            blocks.add(start, tuple(values))
    else:
        raise IncompatibleWhoosh(f"unexpected posting matcher {type(m).__name__}")
    return ids, weights


def phrase_docs(postings: Postings, live: np.ndarray, field: str, stems: list[str], budget: Budget) -> np.ndarray | None:
    """Live documents whose ``field`` holds ``stems`` as adjacent words in order (Whoosh's ``Phrase``
    with its default slop of 1), or None when ``budget`` runs out first.

    The candidates are the documents holding every word (numpy, from the
    posting arrays); positions are decoded for candidates only, rarest word
    first, and each further word only for the documents still possible, so
    a phrase of common words costs its rare words' positions. Only the
    posting blocks holding a candidate are read, found from the arrays
    (``Blocks``): walking each word's matchers again over every segment to
    find them was half the cost. Whoosh's own phrase matcher walks every
    posting of every word in Python (~4x slower).
    """
    lists = [postings.term(field, text)[0] for text in stems]
    order = sorted(range(len(stems)), key=lambda i: len(lists[i]))
    candidates = lists[order[0]]
    for i in order[1:]:
        candidates = np.intersect1d(candidates, lists[i], assume_unique=True)
    candidates = np.sort(candidates[live[candidates]])
    starts: dict[int, set[int]] | None = None  # candidate -> positions the phrase may start at
    for i in order:
        if not len(candidates):
            break
        found = _positions(postings, field, stems[i], candidates, budget)
        if found is None:
            return None
        if starts is None:
            starts = {d: {p - i for p in ps} for d, ps in found.items()}
        else:
            narrowed = {}
            for d, possible in starts.items():
                possible = possible.intersection([p - i for p in found.get(d, ())])
                if possible:
                    narrowed[d] = possible
            starts = narrowed
        candidates = np.fromiter(sorted(starts), dtype=np.int64, count=len(starts))
    return candidates


def _positions(postings: Postings, field: str, text: str, docs: np.ndarray, budget: Budget) -> dict[int, list[int]] | None:
    """Positions of ``text`` in each of ``docs`` (sorted live document numbers, all holding it), read
    from the blocks that hold them only (``Blocks``). None when ``budget`` runs out."""
    ids, blocks = postings.blocks(field, text)
    at = np.searchsorted(ids, docs)  # each document's index in the term's postings (both sorted)
    at = at[ids[np.minimum(at, len(ids) - 1)] == docs] if len(ids) else at[:0]
    if len(at) and len(blocks.starts) < 2:
        raise IncompatibleWhoosh(f"{field!r} has no positions to read")
    block = np.searchsorted(blocks.starts, at, side="right") - 1
    decode = postings.searcher.schema[field].format.decode_positions
    out: dict[int, list[int]] = {}
    bounds = np.flatnonzero(np.diff(block)) + 1  # where the next block's documents begin
    for run in np.split(np.arange(len(at)), bounds) if len(at) else ():
        if budget.spent():
            return None
        k = int(block[run[0]])
        values = blocks.values(k)
        first = int(blocks.starts[k])
        for j in run.tolist():
            index = int(at[j])
            out[int(ids[index])] = decode(values[index - first])
    return out


# --- query nodes -------------------------------------------------------------------


def _empty(ctx: Context) -> Match:
    return np.zeros(ctx.n_docs, dtype=bool), np.zeros(ctx.n_docs, dtype=np.float32)


@dataclass
class Terms:
    """Any of some (field, term) pairs; scores add up (one word in several fields)."""

    pairs: list[tuple[str, str]]

    def evaluate(self, ctx: Context) -> Match:
        mask, score = _empty(ctx)
        for field, text in self.pairs:
            ids, scores = ctx.postings.term(field, text)
            mask[ids] = True
            score[ids] += scores
        return mask & ctx.live, score


@dataclass
class AllOf:
    items: list

    def evaluate(self, ctx: Context) -> Match:
        mask, score = self.items[0].evaluate(ctx)
        for item in self.items[1:]:
            m, s = item.evaluate(ctx)
            mask = mask & m
            score = score + s
        return mask, np.where(mask, score, 0)


@dataclass
class AnyOf:
    items: list

    def evaluate(self, ctx: Context) -> Match:
        mask, score = _empty(ctx)
        for item in self.items:
            m, s = item.evaluate(ctx)
            mask |= m
            score += np.where(m, s, 0)
        return mask, score


@dataclass
class Scaled:
    """The item's matches with its score times ``weight``: an expansion counts less than the word typed."""

    item: object
    weight: float

    def evaluate(self, ctx: Context) -> Match:
        mask, score = self.item.evaluate(ctx)
        return mask, score * np.float32(self.weight)


@dataclass
class Without:
    item: object
    excluded: object

    def evaluate(self, ctx: Context) -> Match:
        mask, score = self.item.evaluate(ctx)
        out, _ = self.excluded.evaluate(ctx)
        mask = mask & ~out
        return mask, np.where(mask, score, 0)


@dataclass
class Inverse:
    """Every live document the item does not match (a negation inside OR)."""

    item: object

    def evaluate(self, ctx: Context) -> Match:
        m, _ = self.item.evaluate(ctx)
        return ctx.live & ~m, np.zeros(ctx.n_docs, dtype=np.float32)


class Everything:
    def evaluate(self, ctx: Context) -> Match:
        return ctx.live.copy(), np.zeros(ctx.n_docs, dtype=np.float32)


class Nothing:
    def evaluate(self, ctx: Context) -> Match:
        return _empty(ctx)


@dataclass
class PhraseOf:
    """The words in order, in any of the fields; scored as the sum of their terms."""

    fields: tuple[str, ...]
    stems: list[str]

    def evaluate(self, ctx: Context) -> Match:
        mask, score = _empty(ctx)
        for field in self.fields:
            if not all(len(ctx.postings.term(field, text)[0]) for text in self.stems):
                continue  # a word missing from every document's field: no positions to read
            docs = ctx.phrase_docs(field, self.stems)
            if docs is None:  # out of time: the words, in any order
                m, s = AllOf([Terms([(field, text)]) for text in self.stems]).evaluate(ctx)
                mask |= m
                score += s
                continue
            if not len(docs):
                continue
            mask[docs] = True
            for text in self.stems:
                ids, scores = ctx.postings.term(field, text)
                hit = np.isin(ids, docs, assume_unique=True)
                score[ids[hit]] += scores[hit]
        return mask, score


@dataclass
class FacetMatch:
    """Documents holding any of the facet values; a constant score of 1."""

    facet: str
    values: list[str]

    def evaluate(self, ctx: Context) -> Match:
        mask = ctx.facet_docs(self.facet, self.values) & ctx.live
        return mask, mask.astype(np.float32)
