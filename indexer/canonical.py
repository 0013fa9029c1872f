"""Keep an index's entity values canonical as the corpus teaches new aliases.

Write-time canonicalisation, not read-time: the facet values a backend holds are
already the canonical names, so every backend (Whoosh here, Typesense, which counts
facets itself) shows one value per entity without knowing about aliases. The cost
is that an article indexed later can teach an alias (`Kementerian Keuangan
(Kemenkeu)`) that changes values already indexed.

The Whoosh build therefore learns the table before it writes anything
(``indexer.build``'s two passes): from the ``evidence`` (the raw values
extraction found plus the acronym definitions of its text, kept in their own
field) of every document already indexed that the build does not replace
(``indexed_evidence``) and of every article it prepared, so a build's own
documents are written once, with their final values; then ``rewrite_stale``
rewrites only the documents indexed earlier whose values the new table changes
(none on a first build; an incremental build that teaches an alias rewrites
the articles holding it).

The table is saved beside the index (``aliases.json``) and read by
``python -m indexer extract --index DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from indexer.extract.alias_table import AliasTable, spelt_values, untyped
from indexer.extract.corpus_aliases import learn
from indexer.extract.mention import ORG, PERSON, PLACE

EVIDENCE = "evidence"
ENTITY_COLUMNS = ("person", "organization", "location")
# The table ``indexer.prepare`` canonicalises with (the build's, in every process).
_current = AliasTable()


def use_table(table: AliasTable) -> None:
    global _current
    _current = table


def current_table() -> AliasTable:
    return _current


def facet_values(evidence: list[str], table: AliasTable | None = None) -> dict[str, list[str]]:
    """The entity facet fields of one document from its evidence, through the table."""
    raw: dict[str, list[str]] = {PERSON: [], ORG: [], PLACE: []}
    for value in evidence:
        kind, name = untyped(value)
        if kind in raw:
            raw[kind].append(name)
    people, orgs, places = (table or _current).apply(raw[PERSON], raw[ORG], raw[PLACE], spelt_values(evidence))
    return {"entity": people + orgs, "person": people, "organization": orgs, "location": places}


def indexed_evidence(ix, skip: set[str]) -> dict[str, list[str]]:
    """id -> evidence of every indexed document whose id is not in ``skip``, in index order."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if EVIDENCE not in ix.schema.names() or not reader.has_column(EVIDENCE) or not reader.doc_count():
            return {}
        ids, evidence = reader.column_reader("id"), reader.column_reader(EVIDENCE)
        out = {}
        for d in reader.all_doc_ids():
            doc_id = ids[d]
            if doc_id not in skip:
                out[doc_id] = list(evidence[d])
        return out


def learn_table(index_dir: str | Path, indexed: Iterable[list[str]], new: Iterable[list[str]]) -> AliasTable:
    """The table of the index as it will be (``indexed``: documents kept; ``new``: the build's), saved beside it."""
    table = learn([*indexed, *new])
    table.save(index_dir)
    use_table(table)
    return table


def rewrite_stale(ix, table: AliasTable, evidence: dict[str, list[str]], rewrite: Callable) -> int:
    """Rewrite the documents of ``evidence`` (id -> evidence) whose entity values the table changes; how many.

    ``rewrite(writer, stored_fields, facet_fields)`` re-adds one document.
    """
    if not evidence:
        return 0
    stale = []
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = reader.column_reader("id")
        columns = {f: reader.column_reader(f) for f in ENTITY_COLUMNS}
        for d in reader.all_doc_ids():
            values = evidence.get(ids[d])
            if not values:
                continue
            want = facet_values(values, table)
            if any(list(columns[f][d]) != want[f] for f in columns):
                stale.append((searcher.stored_fields(d), {**want, EVIDENCE: values}))
    if stale:
        from indexer.merge import merge_tiers  # Whoosh's side: the preparation imports this module

        writer = ix.writer()
        try:
            for fields, want in stale:
                rewrite(writer, fields, want)
            writer.commit(mergetype=merge_tiers)
        except BaseException:
            writer.cancel()
            raise
    return len(stale)


__all__ = ["EVIDENCE", "AliasTable", "facet_values", "indexed_evidence", "learn_table", "rewrite_stale", "use_table", "current_table"]
