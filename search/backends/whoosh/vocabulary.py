"""The ``search.suggest.Vocabulary`` of one Whoosh reader: the stemmed and the affixed-form lexicons.

The text fields' lexicons are walked once, when a generation loads, into
plain dictionaries of document frequencies: the SymSpell dictionary is built
from them, and a request's frequency lookups (the spelling check, query
expansion's gates, which posting lists to read ahead) are dictionary probes
instead of a lexicon search in every segment (~0.3 ms a word on a cold
index of twelve segments, measured).
"""

from __future__ import annotations

from typing import Iterator

from indexer.fields import EXACT_SUFFIX, TEXT_FIELDS

BODY = TEXT_FIELDS[1]
KNOWN = TEXT_FIELDS  # a stem in a title or a body is a real word
CANDIDATES = (BODY, BODY + EXACT_SUFFIX)  # stems and affixed forms
FIELDS = TEXT_FIELDS + tuple(f + EXACT_SUFFIX for f in TEXT_FIELDS)


class WhooshVocabulary:
    """Document frequencies per text field and term, read from the reader's lexicons at construction."""

    def __init__(self, reader):
        self.frequencies: dict[str, dict[str, int]] = {}
        for field in FIELDS:
            df: dict[str, int] = {}
            # Per segment: a MultiReader merges lexicons in Python, ten times slower.
            for segment, _ in reader.leaf_readers():
                if field not in segment.schema:
                    continue
                for term, info in segment.iter_field(field):
                    term = term.decode("utf-8") if isinstance(term, bytes) else term
                    df[term] = df.get(term, 0) + info.doc_frequency()
            self.frequencies[field] = df

    def doc_frequency(self, field: str, term: str) -> int:
        """As ``reader.doc_frequency``: summed over segments, deleted documents included."""
        return self.frequencies.get(field, {}).get(term, 0)

    def known(self, stemmed: str) -> bool:
        return any(stemmed in self.frequencies[f] for f in KNOWN)

    def words(self) -> Iterator[tuple[str, int]]:
        """The body's stems and affixed forms, frequencies summed over both fields."""
        df: dict[str, int] = {}
        for field in CANDIDATES:
            for term, n in self.frequencies[field].items():
                df[term] = df.get(term, 0) + n
        yield from df.items()

    def frequent(self, min_df: int) -> list[tuple[str, str]]:
        """(field, term) of every term in at least ``min_df`` documents: the posting lists worth reading ahead."""
        return [(f, t) for f, df in self.frequencies.items() for t, n in df.items() if n >= min_df]
