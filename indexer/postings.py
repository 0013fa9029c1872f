"""Writing a segment's postings: Whoosh's own format, in fewer Python calls.

Flushing a segment's postings was the largest cost of a build after
extraction (2.5 CPU-ms an article on the 22k corpus): whoosh-reloaded's
``FieldWriter.add_postings`` makes a handful of method calls per posting and a
few dozen per term (a posting-list writer, a term-info object, the term
table's hash writer, ``tell()`` on every file write), and most terms of a
segment have a posting or two. ``write_postings`` does the same work in one
loop per term and writes each file through a buffer, producing the very bytes
Whoosh writes (``tests/test_build_pipeline.py`` compares the files of both),
so every reader, merge and search sees an ordinary Whoosh segment.

It relies on whoosh-reloaded 2.7.5's W3 codec internals (``W3FieldWriter``,
``W3PostingsWriter._write_block``, ``W3TermInfo.to_bytes``,
``OrderedHashWriter.add``), as ``indexer.segments`` does: a Whoosh upgrade
must re-check it, and the test fails when the bytes differ.
"""

from __future__ import annotations

import zlib
from array import array
from pickle import dumps
from typing import Callable, Iterable

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
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


def write_postings(fw: W3FieldWriter, schema, field_lengths: Callable[[str], list | None], items: Iterable[tuple]) -> None:
    """``fw.add_postings(schema, lengths, items)`` for a W3 field writer without term vectors.

    ``items``: the pool's sorted ``(fieldname, btext, docnum, weight, value)``
    postings; ``field_lengths(fieldname)``: each document's length of that
    field, or None for a field without lengths.
    """
    codec = fw._codec
    if codec._inlinelimit > 1:  # Whoosh would inline short posting lists; this writer never does
        raise ValueError("write_postings needs a codec that does not inline postings")
    posts = _Buffered(fw._postfile)
    terms = _Buffered(fw._tindex.dbfile)
    try:
        _write(fw, schema, field_lengths, items, posts, terms, codec._blocklimit, codec._compression)
    finally:
        posts.flush()
        terms.flush()


def _write(fw, schema, field_lengths, items, posts: _Buffered, terms: _Buffered, blocklimit: int, compression: int) -> None:
    fieldmap = fw._fieldmap
    tindex = fw._tindex
    hashfn, buckets, positions = tindex.hashfn, tindex.buckets, tindex.index
    lastfield = None
    lastkey = tindex.lastkey
    fieldid = 0
    fixed = None
    lengths = None
    term = None  # (btext, ids, weights, values, lens) of the term being gathered

    def finish_term() -> None:
        nonlocal lastkey
        btext, ids, weights, values, lens = term
        value = _posting_list(posts, ids, weights, values, lens, fixed, blocklimit, compression)
        key = pack_ushort(fieldid) + btext
        if key <= lastkey:
            raise ValueError("Keys must increase: %r..%r" % (lastkey, key))
        pos = terms.tell()
        positions.append(pos)
        terms.write(_lengths.pack(len(key), len(value)) + key + value)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        lastkey = key

    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfield:
            if term is not None:
                finish_term()
                term = None
            if lastfield is not None and fieldname < lastfield:
                raise ValueError(f"postings out of order: field {lastfield!r} .. {fieldname!r}")
            fieldid = fieldmap.setdefault(fieldname, len(fieldmap))
            fixed = schema[fieldname].format.fixed_value_size()
            lengths = field_lengths(fieldname)
            lastfield = fieldname
        if docnum == -1:  # a spelling word, not a posting (Whoosh skips them too)
            continue
        if term is None or btext != term[0]:
            if term is not None:
                if btext < term[0]:
                    raise ValueError(f"postings out of order: {fieldname}:{term[0]!r} .. {btext!r}")
                finish_term()
            term = (btext, [], [], [], [])
        term[1].append(docnum)
        term[2].append(weight)
        term[3].append(value)
        term[4].append(lengths[docnum] if lengths else 0)
    if term is not None:
        finish_term()
    tindex.lastkey = lastkey


def _posting_list(posts: _Buffered, ids, weights, values, lens, fixed, blocklimit: int, compression: int) -> bytes:
    """Write one term's posting blocks as ``W3PostingsWriter`` does; its ``W3TermInfo`` bytes."""
    t_weight, t_minlength, t_maxlength, t_maxweight = 0, None, 0, 0
    start = posts.tell()
    posts.write(WHOOSH3_HEADER_MAGIC)
    total = len(ids)
    for s in range(0, total, blocklimit):
        e = min(s + blocklimit, total)
        bids = ids[s:e]
        bweights = array("f", weights[s:e])
        minlength, maxlength, maxweight = None, 0, 0
        for k in range(s, e):
            w = weights[k]
            if w > maxweight:
                maxweight = w
            length = lens[k]
            if length:
                if minlength is None or length < minlength:
                    minlength = length
                if length > maxlength:
                    maxlength = length
        # W3TermInfo.add_block
        t_weight += sum(bweights)
        t_minlength = minlength if t_minlength is None else min(t_minlength, minlength)
        t_maxlength = max(t_maxlength, maxlength)
        t_maxweight = max(t_maxweight, maxweight)
        # W3PostingsWriter._mini_ids/_mini_weights/_mini_values
        deltas, prev = [], 0
        for n in bids:
            deltas.append(n - prev)
            prev = n
        if all(w == 1.0 for w in bweights):
            mweights = None
        elif all(w == bweights[0] for w in bweights):
            mweights = bweights[0]
        else:
            mweights = tuple(bweights)
        if fixed == 0:
            mvalues = None
        else:  # Whoosh keeps only the non-empty values
            block_values = [v for v in values[s:e] if v]
            mvalues = tuple(block_values) if fixed is None or fixed < 0 else emptybytes.join(block_values)
        databytes = dumps((tuple(deltas), mweights, mvalues), 2)
        if compression:
            databytes = zlib.compress(databytes, compression)
        infobytes = dumps(
            (e - s, bids[-1], maxweight, compression, length_to_byte(minlength), length_to_byte(maxlength)), 2
        )
        blocklength = len(infobytes) + len(databytes)
        if e == total:
            blocklength = -blocklength
        posts.write(pack_int(blocklength) + infobytes + databytes)
    length = posts.tell() - start
    info = W3TermInfo._struct.pack(
        False,
        t_weight,
        total,  # the term's document frequency
        0 if t_minlength is None else length_to_byte(t_minlength),
        length_to_byte(t_maxlength),
        t_maxweight,
        ids[0],  # a term has a posting at least: never Whoosh's NO_ID
        ids[-1],
    )
    return info + pack_long(start) + pack_int(length)
