"""Writing a segment's postings: Whoosh's own format, in fewer Python calls.

Flushing a segment's postings was the largest cost of a build after
extraction (2.5 CPU-ms an article on the 22k corpus): whoosh-reloaded's
``FieldWriter.add_postings`` makes a handful of method calls per posting and a
few dozen per term (a posting-list writer, a term-info object, the term
table's hash writer, ``tell()`` on every file write), and most terms of a
segment have a posting or two. ``write_terms`` does the same work in one
loop per term and writes each file through a buffer, producing the very bytes
Whoosh writes (``tests/test_build_pipeline.py`` compares the files of both),
so every reader, merge and search sees an ordinary Whoosh segment. Before
that, adding a document made a Token object and a pool tuple per posting,
and the pool sorted every tuple of the segment: ``token_postings`` turns a
pre-analysed token list into its postings in one pass, and ``TermPostings``
gathers them per term in document order, so only the terms are sorted and
``write_terms`` writes straight from them. A merge reads the merged
segments' postings a term at a time, block by block (``segment_terms``), and
writes them through the same loop (``merged_terms``): Whoosh's merge made a
pool tuple of every posting and sorted them all again.

It relies on whoosh-reloaded 2.7.5's W3 codec internals (``W3FieldWriter``,
``W3PostingsWriter._write_block``, ``W3TermInfo.to_bytes``,
``OrderedHashWriter.add``, ``W3TermsReader.items_from``, ``W3LeafMatcher``'s
block reads), as ``indexer.segments`` does: a Whoosh upgrade
must re-check it, and the test fails when the bytes differ.
"""

from __future__ import annotations

import heapq
import zlib
from array import array
from pickle import dumps
from typing import Callable, Iterable, Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.formats import Frequency, Positions
from whoosh.system import emptybytes, pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte

_FLUSH_BYTES = 1 << 20  # buffered bytes written out at once


class _Buffered:
    """Appends to a Whoosh ``StructFile`` through a buffer, knowing each byte's file offset without ``tell()``."""

    def __init__(self, structfile):
        self._file = structfile
        self._base = structfile.tell()
        self._buf = bytearray()

    def tell(self) -> int:
        return self._base + len(self._buf)

    def write(self, data: bytes) -> None:
        self._buf += data
        if len(self._buf) >= _FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        self._file.write(bytes(self._buf))
        self._base += len(self._buf)
        self._buf = bytearray()


def token_postings(fmt, tokens) -> list[tuple[bytes, int, float, bytes]] | None:
    """What ``field.index(tokens)`` yields for a pre-analysed token list in Whoosh's ``Positions`` or
    ``Frequency`` format (the text fields), without a Token object and a generator step per token;
    None for another format."""
    kind = type(fmt)
    if kind is not Positions and kind is not Frequency:
        return None
    seen: dict[str, list[int]] = {}
    for pos, text in enumerate(tokens):
        where = seen.get(text)
        if where is None:
            seen[text] = [pos]
        else:
            where.append(pos)
    boost = fmt.field_boost
    out = []
    if kind is Frequency:
        for text, where in seen.items():
            n = len(where)
            out.append((text.encode("utf-8"), n, float(n) * boost, pack_uint(n)))
        return out
    for text, where in seen.items():
        n = len(where)
        # Positions.encode: the count, then the pickled gaps. Each value a bytes object of its own,
        # as Whoosh's: pickle would write a shared one as a back-reference, and the block bytes would differ.
        value = pack_uint(n) + dumps(where if n == 1 else [b - a for a, b in zip([0, *where], where)], 2)
        out.append((text.encode("utf-8"), n, float(n) * boost, value))
    return out


class TermPostings:
    """A segment's postings gathered per term as its documents are added, in document order.

    Whoosh's pool keeps one tuple per posting and sorts them all at the end;
    here each term's postings are already in order, and only the terms are
    sorted. ``postings()`` gives the pool's tuples for a writer that must mix
    them with postings that came through the pool (a merge).
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self.count = 0  # postings held

    def add(self, fieldname: str, docnum: int, items: Iterable[tuple], boost: float) -> int:
        """Add one document's ``(btext, freq, weight, value)`` items of one field; the sum of their frequencies."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        length = 0
        for btext, freq, weight, value in items:
            length += freq
            postings = terms.get(btext)
            if postings is None:
                terms[btext] = ([docnum], [weight * boost], [value])
            else:
                postings[0].append(docnum)
                postings[1].append(weight * boost)
                postings[2].append(value)
            self.count += 1
        return length

    def terms(self) -> Iterator[tuple[str, bytes, list, list, list]]:
        """``(fieldname, btext, docnums, weights, values)`` per term, sorted as Whoosh's pool sorts."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for btext in sorted(terms):
                yield (fieldname, btext, *terms[btext])

    def postings(self) -> Iterator[tuple]:
        """The pool's ``(fieldname, btext, docnum, weight, value)`` tuples, sorted."""
        for fieldname, btext, ids, weights, values in self.terms():
            yield from ((fieldname, btext, d, w, v) for d, w, v in zip(ids, weights, values))

    def clear(self) -> None:
        self.fields.clear()
        self.count = 0


def segment_terms(reader, schema, base: int, docmap: dict[int, int] | None) -> Iterator[tuple[str, bytes, list, list, list]]:
    """A segment's postings per term, as ``TermPostings.terms`` gives a writer's: ``(fieldname, btext,
    docnums, weights, values)`` sorted by field name, then term; each docnum as the merged segment
    numbers it (``base`` + docnum, or ``docmap[docnum]`` when the segment has deletions: deleted
    documents, and a term left with none, are dropped, as Whoosh's merge drops them).

    A posting list is read block by block (``W3LeafMatcher``'s block reads), where Whoosh's merge
    makes four calls and a pool tuple per posting."""
    terms = reader._terms
    codec, postfile = terms._codec, terms._postfile
    for fieldname in sorted(terms.indexed_field_names()):
        if fieldname not in schema:
            continue
        fmt = schema[fieldname].format
        for (name, btext), info in terms.items_from(fieldname, b""):
            if name != fieldname:
                break
            if info.is_inlined():
                ids, weights, values = (list(part) for part in info.inlined_postings())
            else:
                ids, weights, values = _read_postings(codec.postings_reader(postfile, info, fmt))
            if docmap is None:
                ids = [base + d for d in ids]
            else:
                kept = [k for k, d in enumerate(ids) if d in docmap]
                if not kept:
                    continue
                if len(kept) < len(ids):
                    weights, values = [weights[k] for k in kept], [values[k] for k in kept]
                ids = [docmap[ids[k]] for k in kept]
            yield fieldname, btext, ids, weights, values


def _read_postings(m) -> tuple[list, list, list]:
    ids: list = []
    weights: list = []
    values: list = []
    while True:
        m._read_ids()
        m._read_weights()
        m._read_values()
        ids += m._ids
        weights += m._weights
        values += m._values
        if m._lastblock:
            return ids, weights, values
        m._next_block()


def merged_terms(streams: list[Iterable[tuple]]) -> Iterator[tuple[str, bytes, list, list, list]]:
    """Sorted per-term postings of several sources (``TermPostings.terms``, ``segment_terms``) as one
    sorted stream, each term's postings together in docnum order."""
    group: list[tuple] = []
    for term in heapq.merge(*streams, key=lambda t: (t[0], t[1])):
        if group and (term[0] != group[0][0] or term[1] != group[0][1]):
            yield _joined(group)
            group = []
        group.append(term)
    if group:
        yield _joined(group)


def _joined(group: list[tuple]) -> tuple[str, bytes, list, list, list]:
    if len(group) == 1:
        return group[0]
    group.sort(key=lambda t: t[2][0])
    fieldname, btext = group[0][0], group[0][1]
    ids, weights, values = [], [], []
    for _, _, i, w, v in group:
        if ids and i[0] < ids[-1]:  # interleaved sources (documents added after a merge began): sort them all
            triples = sorted(zip(ids + list(i), weights + list(w), values + list(v)), key=lambda x: x[0])
            ids, weights, values = (list(part) for part in zip(*triples))
            continue
        ids += i
        weights += w
        values += v
    return fieldname, btext, ids, weights, values


def write_terms(fw: W3FieldWriter, schema, field_lengths: Callable[[str], list | None], terms: Iterable[tuple]) -> None:
    """``fw.add_postings(schema, lengths, items)`` for a W3 field writer without term vectors, the
    postings grouped per term: sorted ``(fieldname, btext, docnums, weights, values)``
    (``TermPostings.terms``, ``grouped``, ``merged_terms``); ``field_lengths(fieldname)``: each
    document's length of that field, or None for a field without lengths."""
    codec = fw._codec
    if codec._inlinelimit > 1:  # Whoosh would inline short posting lists; this writer never does
        raise ValueError("write_terms needs a codec that does not inline postings")
    posts = _Buffered(fw._postfile)
    terms_file = _Buffered(fw._tindex.dbfile)
    try:
        _write(fw, schema, field_lengths, terms, posts, terms_file, codec._blocklimit, codec._compression)
    finally:
        posts.flush()
        terms_file.flush()


def grouped(items: Iterable[tuple]) -> Iterator[tuple[str, bytes, list, list, list]]:
    """The pool's sorted postings grouped per term (spelling words left out, as Whoosh does)."""
    term = None  # (fieldname, btext, ids, weights, values) being gathered
    for fieldname, btext, docnum, weight, value in items:
        if docnum == -1:  # a spelling word, not a posting
            continue
        if term is None or btext != term[1] or fieldname != term[0]:
            if term is not None:
                if fieldname < term[0]:
                    raise ValueError(f"postings out of order: field {term[0]!r} .. {fieldname!r}")
                if fieldname == term[0] and btext < term[1]:
                    raise ValueError(f"postings out of order: {fieldname}:{term[1]!r} .. {btext!r}")
                yield term
            term = (fieldname, btext, [], [], [])
        term[2].append(docnum)
        term[3].append(weight)
        term[4].append(value)
    if term is not None:
        yield term


def _write(fw, schema, field_lengths, terms: Iterable[tuple], posts: _Buffered, terms_file: _Buffered, blocklimit: int, compression: int) -> None:
    fieldmap = fw._fieldmap
    tindex = fw._tindex
    hashfn, buckets, positions = tindex.hashfn, tindex.buckets, tindex.index
    lastfield = None
    lastkey = tindex.lastkey
    prefix = b""
    fixed = None
    lengths = None
    for fieldname, btext, ids, weights, values in terms:
        if fieldname != lastfield:
            prefix = pack_ushort(fieldmap.setdefault(fieldname, len(fieldmap)))
            fixed = schema[fieldname].format.fixed_value_size()
            lengths = field_lengths(fieldname)
            lastfield = fieldname
        lens = [lengths[d] for d in ids] if lengths else None
        value = _posting_list(posts, ids, weights, values, lens, fixed, blocklimit, compression)
        key = prefix + btext
        if key <= lastkey:
            raise ValueError("Keys must increase: %r..%r" % (lastkey, key))
        pos = terms_file.tell()
        positions.append(pos)
        terms_file.write(_lengths.pack(len(key), len(value)) + key + value)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        lastkey = key
    tindex.lastkey = lastkey


def _posting_list(posts: _Buffered, ids, weights, values, lens, fixed, blocklimit: int, compression: int) -> bytes:
    """Write one term's posting blocks as ``W3PostingsWriter`` does; its ``W3TermInfo`` bytes.

    ``lens``: each posting's document length, None for a field without lengths."""
    t_weight, t_minlength, t_maxlength, t_maxweight = 0, None, 0, 0
    start = posts.tell()
    posts.write(WHOOSH3_HEADER_MAGIC)
    total = len(ids)
    for s in range(0, total, blocklimit):
        e = min(s + blocklimit, total)
        if total <= blocklimit:  # most terms: one block, nothing to slice
            bids, bvalues, blens = ids, values, lens
            bweights = array("f", weights)
        else:
            bids, bvalues, blens = ids[s:e], values[s:e], lens[s:e] if lens else None
            bweights = array("f", weights[s:e])
        n = e - s
        top = max(weights[s:e]) if n < total else max(weights)
        maxweight = top if top > 0 else 0  # Whoosh's running maximum starts at 0
        minlength, maxlength = None, 0
        if blens:
            known = [length for length in blens if length]
            if known:
                minlength, maxlength = min(known), max(known)
        # W3TermInfo.add_block
        t_weight += sum(bweights)
        t_minlength = minlength if t_minlength is None else min(t_minlength, minlength)
        t_maxlength = max(t_maxlength, maxlength)
        t_maxweight = max(t_maxweight, maxweight)
        # W3PostingsWriter._mini_ids/_mini_weights/_mini_values
        deltas = (bids[0],) if n == 1 else tuple(b - a for a, b in zip((0, *bids), bids))
        if bweights.count(1.0) == n:
            mweights = None
        elif bweights.count(bweights[0]) == n:
            mweights = bweights[0]
        else:
            mweights = tuple(bweights)
        if fixed == 0:
            mvalues = None
        else:  # Whoosh keeps only the non-empty values
            block_values = [v for v in bvalues if v]
            mvalues = tuple(block_values) if fixed is None or fixed < 0 else emptybytes.join(block_values)
        databytes = dumps((deltas, mweights, mvalues), 2)
        if compression:
            databytes = zlib.compress(databytes, compression)
        infobytes = dumps((n, bids[-1], maxweight, compression, _byte(minlength), _byte(maxlength)), 2)
        blocklength = len(infobytes) + len(databytes)
        if e == total:
            blocklength = -blocklength
        posts.write(pack_int(blocklength) + infobytes + databytes)
    length = posts.tell() - start
    info = W3TermInfo._struct.pack(
        False,
        t_weight,
        total,  # the term's document frequency
        0 if t_minlength is None else _byte(t_minlength),
        _byte(t_maxlength),
        t_maxweight,
        ids[0],  # a term has a posting at least: never Whoosh's NO_ID
        ids[-1],
    )
    return info + pack_long(start) + pack_int(length)


_BYTES: dict = {}  # length -> length_to_byte(length), memoised: a segment asks for a few hundred lengths


def _byte(length) -> int:
    code = _BYTES.get(length)
    if code is None:
        code = _BYTES[length] = length_to_byte(length)
    return code
