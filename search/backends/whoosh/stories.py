"""Stories on the Whoosh side: the ``story`` column as arrays, collapsing, a story's versions.

The indexer writes one story id per article (``indexer.stories``); per index
generation this reads the column once into ``StoryColumn``: the story of each
document and each story's live size. Collapsing a ranked hit list keeps the
first (best) hit of every story: one ``np.unique`` over the ranked keys.
"""

from __future__ import annotations

import numpy as np

from search.backends.whoosh.facets import read_column
from search.columns import ValueColumn


class StoryColumn:
    """Per document its story (a value id, -1 for none); per story its number of live articles."""

    def __init__(self, column: ValueColumn, live: np.ndarray):
        self.ids = column.values
        self.index = column.index
        of = np.full(len(live), -1, dtype=np.int64)
        of[column.doc_of] = column.ids
        self.of = of
        self.size = np.bincount(of[(of >= 0) & live], minlength=len(self.ids))
        self.live = live

    @classmethod
    def read(cls, reader, fieldname: str, live: np.ndarray) -> "StoryColumn":
        """The story column; an index written before stories has none, and every article is its own story."""
        if fieldname in reader.schema:
            return cls(read_column(reader, fieldname), live)
        empty = np.zeros(len(live) + 1, dtype=np.int64)
        return cls(ValueColumn(fieldname, [], empty, np.zeros(0, dtype=np.int32)), live)

    def keys(self, docs: np.ndarray) -> np.ndarray:
        """A collapse key per document: its story, or a key of its own when it has none."""
        story = self.of[docs]
        return np.where(story >= 0, story, -1 - docs)

    def first_of_each(self, ranked: np.ndarray) -> np.ndarray:
        """Positions in ``ranked`` (docnums, best first) of each story's first (best-ranked) document."""
        if not len(ranked):
            return np.zeros(0, dtype=np.int64)
        _, first = np.unique(self.keys(ranked), return_index=True)
        return np.sort(first)

    def story_of(self, docnum: int) -> tuple[str, int] | None:
        """(story id, live size) of one document."""
        vid = int(self.of[docnum])
        return (self.ids[vid], int(self.size[vid])) if vid >= 0 else None

    def members(self, story_id: str) -> np.ndarray:
        """The live documents of a story, by docnum."""
        vid = self.index.get(story_id)
        if vid is None:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero((self.of == vid) & self.live)

    def others(self, docnum: int) -> np.ndarray:
        """The other live documents of a document's story."""
        vid = int(self.of[docnum])
        if vid < 0 or self.size[vid] <= 1:
            return np.zeros(0, dtype=np.int64)
        docs = np.flatnonzero((self.of == vid) & self.live)
        return docs[docs != docnum]
