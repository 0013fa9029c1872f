"""The Whoosh schema: what each field holds and how it is analysed.

Facet fields keep their values as a *list* in a column (``FacetField``):
Whoosh's own multi-valued KEYWORD column stores one joined string and falls
back to reading postings on every search (~410 ms a query on 22k docs), while
a list column lets the search side load per-document value lists once per
index generation and count facets from them.
"""

from __future__ import annotations

from whoosh import columns, fields, formats
from whoosh.analysis import IDTokenizer

# Every process that opens one of our indexes unpickles this module's FacetField: the
# place to fix the Whoosh bug that multi-segment column reads hit (see the module).
from indexer import whoosh_fixes  # noqa: F401
from indexer.fields import EXACT_SUFFIX, FACET_FIELDS, TEXT_FIELDS  # noqa: F401 (re-exported)
from indexer.whoosh_analysis import exact_analyzer, stemmed_analyzer


class ValueListColumn(columns.VarBytesListColumn):
    """A list column that a segment without any value reads as empty lists."""

    _default = ()


class FacetField(fields.KEYWORD):
    """A multi-valued, case-preserving facet whose column holds the value list.

    Values are indexed verbatim (one term per value), so a filter is a plain
    ``Term(field, value)``; the column gives the search side every document's
    values without touching postings.
    """

    def __init__(self, stored: bool = True):
        super().__init__(stored=stored, analyzer=IDTokenizer())
        self.column_type = ValueListColumn()
        self.format = formats.Existence()

    def __setstate__(self, state: dict) -> None:
        # A posting only says "this document has this value": counts come from
        # the column. Indexes written before this format was set pickled
        # KEYWORD's Frequency format, whose 4-byte values their postings do
        # not hold, and Whoosh failed merging their segments
        # (``IndexError`` in ``value()``); read as Existence, they merge.
        self.__dict__.update(state)
        self.format = formats.Existence()

    def index(self, value, **kwargs):
        for v in sorted(set(_as_list(value))):
            yield v.encode("utf-8"), 1, 1.0, b""

    def to_column_value(self, value):
        return [v.encode("utf-8") for v in _as_list(value)]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]

    def spellable_words(self, value):
        return iter(())


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value if v]


def build_schema() -> fields.Schema:
    """The one schema every index is created with."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=fields.TEXT(analyzer=stemmed_analyzer(), stored=True, field_boost=2.5),
        body=fields.TEXT(analyzer=stemmed_analyzer(), stored=True),
        # Unstemmed forms that differ from their stem (`pertemuan`, not `temu`):
        # an exact affixed word outranks a stem-only match. Roots are absent,
        # so query these fields as optional boosts, never as required terms.
        title_exact=fields.TEXT(analyzer=exact_analyzer(), phrase=False, field_boost=2.5),
        body_exact=fields.TEXT(analyzer=exact_analyzer(), phrase=False),
        url=fields.STORED(),
        subcategory=fields.STORED(),
        date=fields.DATETIME(stored=True, sortable=True),
        source=FacetField(),
        category=FacetField(),
        # People and organisations together (the entity facet), and apart,
        # so each entity value knows its type.
        entity=FacetField(),
        person=FacetField(),
        organization=FacetField(),
        location=FacetField(),
        # ISO dates the article mentions, plus its publication date.
        mentioned=FacetField(),
        # The article's story (indexer/stories.py): one id shared by its versions across outlets.
        story=FacetField(),
        # What extraction found before the corpus alias table (typed values, acronym
        # definitions): indexer/canonical.py re-learns the table from it.
        evidence=FacetField(stored=False),
    )
