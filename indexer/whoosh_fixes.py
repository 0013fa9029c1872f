"""A fix to whoosh-reloaded 2.7.5 that every index reader needs (applied by ``indexer.schema``).

``MultiReader.column_reader`` leaves out the segments that lack a column file
while keeping the others' document offsets, so a document of such a segment is
read from the wrong segment, past its end (``IndexError``). A segment lacks a
column whenever none of its documents has that field: an incremental build or a
re-canonicalisation that rewrites only dateless or sourceless articles (the demo
seeds) made ``indexer stats`` and facet counts crash. Each segment reader already
answers a missing column with the field's default; the fix lets it.
"""

from __future__ import annotations

from whoosh import columns, reading


def _column_reader(self, fieldname, column=None, reverse=False, translate=True):
    readers = [
        r.column_reader(fieldname, column=column, reverse=reverse, translate=translate) for r in self.readers
    ]
    return columns.MultiColumnReader(readers, list(self.doc_offsets))


reading.MultiReader.column_reader = _column_reader
