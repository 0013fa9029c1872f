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

    def near(self, word: str, maxdist: int) -> Iterator[tuple[str, int]]:
        for field in CANDIDATES:
            for term in self.reader.terms_within(field, word, maxdist, prefix=1):
                yield term, self.reader.doc_frequency(field, term)

    def words(self) -> Iterator[tuple[str, int]]:
        for field in CANDIDATES:
            for term, info in self.reader.iter_field(field):
                yield (term.decode("utf-8") if isinstance(term, bytes) else term), info.doc_frequency()
