"""The Indonesian analysis as Whoosh analyzers, for the Whoosh schema.

Whoosh pickles the schema, analyzers included, into every index, so the
classes here are referenced by name from each index's table of contents; the
analysis itself is ``indexer.analysis`` (pure Python). The Sastrawi stemmer
is a module-level singleton there that is never pickled (the filters hold no
state of their own). Indexes written before this module existed refer to
``indexer.analysis.SastrawiStemFilter`` / ``AffixedOnlyFilter``, which
resolve to these classes.

The build hands Whoosh pre-analysed token lists (``indexer.analysis.
analyse_text``), so these analyzers run only for a text given to a field as a
string (a caller other than the build, or an older build).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

from indexer.analysis import TOKEN_PATTERN, stem, stop_words


class SastrawiStemFilter(Filter):
    """Replaces each token's text with its Sastrawi stem."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable) -> Iterator:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


class AffixedOnlyFilter(Filter):
    """Keeps the tokens whose stem differs from the token itself (the exact-form rule)."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens: Iterable) -> Iterator:
        for t in tokens:
            if t.stopped or stem(t.text) != t.text:
                yield t


_TOKENIZER = RegexTokenizer(TOKEN_PATTERN)


def plain_analyzer():
    """Tokens, lowercase, stop list: what both indexed forms start from."""
    return _TOKENIZER | LowercaseFilter() | StopFilter(stoplist=stop_words(), minsize=1)


def stemmed_analyzer():
    return plain_analyzer() | SastrawiStemFilter()


def exact_analyzer():
    return plain_analyzer() | AffixedOnlyFilter()
