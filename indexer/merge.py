"""When a commit merges segments: by size tiers, as Lucene's LogMergePolicy does.

Every batch a build commits adds one segment per worker process, and a
search reads every segment, so segments must be merged. whoosh-reloaded's
default policy (``MERGE_SMALL``) merges *every* segment up to a Fibonacci
threshold, and once about twenty segments have piled up that threshold takes
them all: a commit of 500 articles then rewrites the whole index in the
building process (minutes on the 22k corpus, hours at ten times that). Here
segments are grouped by the order of magnitude of their size, and a commit
merges only the smallest group that has ``MERGE_FACTOR`` members, so each
article is rewritten about once per tier, and a commit's merge cost stays in
proportion to the segments it merges.
"""

from __future__ import annotations

import math

from whoosh.reading import SegmentReader

MERGE_FACTOR = 10


def _tier(segment) -> int:
    return int(math.log10(max(segment.doc_count_all(), 1)))


def merge_tiers(writer, segments: list) -> list:
    """A Whoosh merge policy: merges one full tier into ``writer``, returns the segments kept."""
    tiers: dict[int, list] = {}
    for segment in segments:
        tiers.setdefault(_tier(segment), []).append(segment)
    smallest_full = min((tier for tier, members in tiers.items() if len(members) >= MERGE_FACTOR), default=None)
    if smallest_full is None:
        return segments
    for segment in tiers.pop(smallest_full):
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for members in tiers.values() for segment in members]
