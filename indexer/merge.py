"""When a commit merges segments: the small ones, by size tiers, as Lucene's LogMergePolicy does.

Every batch a build commits adds one segment per worker process (its share of
the batch: 2,500 articles at the defaults), and small segments come too: the
articles a story merge moved, rewritten in the commit, an incremental build of
a few articles, a deletion. A search reads every segment, so the small ones
must be merged. whoosh-reloaded's default policy (``MERGE_SMALL``) merges
*every* segment up to a Fibonacci threshold, and once about twenty segments
have piled up that threshold takes them all: a commit of 500 articles then
rewrites the whole index in the building process. Here segments are grouped
by the order of magnitude of their size, and a commit merges only the
smallest group that has ``MERGE_FACTOR`` members, so each article is
rewritten about once per tier.

Segments of ``FINAL_DOCS`` documents or more are never merged. A merge runs in
the build's serial part and costs ~4 CPU-ms a document
(``indexer.segments._SegmentWriter.add_reader``; Whoosh's own ~7): merging the
10x corpus's 2,500-article segments ten at a time cost 6.44 ms an article,
more than writing them. A build of N articles at the defaults thus leaves
N / 2,500 segments and at most ``MERGE_FACTOR - 1`` small ones a tier.

A segment's size is its live documents: one that an update or a rebuild has
mostly deleted falls back into a lower tier and is merged (its deleted
documents dropped), and one with none left is dropped. Counted with its
deleted documents, a rebuild of every article would leave the old final
segments on disk and in every search forever.
"""

from __future__ import annotations

import math

from whoosh.reading import SegmentReader

MERGE_FACTOR = 10
FINAL_DOCS = 1000  # tier 3: a segment this large is never merged again


def _tier(segment) -> int:
    return int(math.log10(max(segment.doc_count(), 1)))


def merge_tiers(writer, segments: list) -> list:
    """A Whoosh merge policy: merges one full tier of small segments into ``writer``, returns the segments kept."""
    tiers: dict[int, list] = {}
    for segment in segments:
        if segment.doc_count():  # a segment with every document deleted is dropped
            tiers.setdefault(_tier(segment), []).append(segment)
    smallest_full = min(
        (tier for tier, members in tiers.items() if len(members) >= MERGE_FACTOR and 10**tier < FINAL_DOCS),
        default=None,
    )
    for segment in tiers.pop(smallest_full) if smallest_full is not None else ():
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for members in tiers.values() for segment in members]
