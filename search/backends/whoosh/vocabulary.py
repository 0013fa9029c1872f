"""The ``search.suggest.Vocabulary`` of one Whoosh reader: the stemmed and the affixed-form lexicons."""

from __future__ import annotations

from typing import Iterator

from indexer.fields import EXACT_SUFFIX, TEXT_FIELDS

BODY = TEXT_FIELDS[1]
KNOWN = TEXT_FIELDS  # a stem in a title or a body is a real word
CANDIDATES = (BODY, BODY + EXACT_SUFFIX)  # stems and affixed forms


class WhooshVocabulary:
    """Reads the reader's lexicons; callers hold the snapshot's lock (Whoosh readers keep state)."""

    def __init__(self, reader):
        self.reader = reader

    def known(self, stemmed: str) -> bool:
        return any(self.reader.doc_frequency(f, stemmed) for f in KNOWN)

    def words(self) -> Iterator[tuple[str, int]]:
        """Per segment (a MultiReader merges lexicons in Python, ten times slower), frequencies summed."""
        df: dict[bytes, int] = {}
        for segment, _ in self.reader.leaf_readers():
            for field in CANDIDATES:
                for term, info in segment.iter_field(field):
                    df[term] = df.get(term, 0) + info.doc_frequency()
        for term, n in df.items():
            yield (term.decode("utf-8") if isinstance(term, bytes) else term), n
