"""Keep an index's entity values canonical as the corpus teaches new aliases.

Write-time canonicalisation, not read-time: the facet values a backend holds are
already the canonical names, so every backend (Whoosh here, Typesense, which counts
facets itself) shows one value per entity without knowing about aliases. The cost
is that an article indexed later can teach an alias (`Kementerian Keuangan
(Kemenkeu)`) that changes values already indexed; ``refresh`` therefore, after a
build, re-learns the table from every document's ``evidence`` (the raw values
extraction found plus the acronym definitions of its text, kept in their own
field) and rewrites only the documents whose values change. On the 22k corpus
that is a few percent of the documents (``bench/extract_eval.py`` prints it).

The table is saved beside the index (``aliases.json``) and read by
``python -m indexer extract --index DIR`` and by the build's workers, so a
document written after the table exists is canonical from the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.extract.corpus_aliases import AliasTable, learn, untyped
from indexer.extract.mention import ORG, PERSON, PLACE

EVIDENCE = "evidence"
# The table the build's worker processes canonicalise with (forked: set before they start).
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
    people, orgs, places = (table or _current).apply(raw[PERSON], raw[ORG], raw[PLACE])
    return {"entity": people + orgs, "person": people, "organization": orgs, "location": places}


@dataclass
class RefreshSummary:
    aliases: int
    rewritten: int


def refresh(ix, index_dir: str | Path, rewrite) -> RefreshSummary:
    """Re-learn the alias table from the index and rewrite the documents it changes.

    ``rewrite(writer, stored_fields, facet_fields)`` re-adds one document (the build's
    own ``document_fields`` path, so the analysis is the same).
    """
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if EVIDENCE not in ix.schema.names() or not reader.has_column(EVIDENCE):
            return RefreshSummary(0, 0)
        docnums = list(reader.all_doc_ids())
        evidence_col = reader.column_reader(EVIDENCE)
        evidence = {d: [v for v in evidence_col[d]] for d in docnums}
        table = learn(list(evidence.values()))
        stale = []
        columns = {f: reader.column_reader(f) for f in ("person", "organization", "location")}
        for d in docnums:
            if not evidence[d]:
                continue
            want = facet_values(evidence[d], table)
            if any(list(columns[f][d]) != want[f] for f in columns):
                stale.append((d, {**want, EVIDENCE: evidence[d]}))
        stored = [(searcher.stored_fields(d), want) for d, want in stale]
    table.save(index_dir)
    use_table(table)
    if stored:
        from indexer.merge import merge_tiers  # Whoosh's side: the preparation imports this module

        writer = ix.writer()
        try:
            for fields, want in stored:
                rewrite(writer, fields, want)
            writer.commit(mergetype=merge_tiers)
        except BaseException:
            writer.cancel()
            raise
    return RefreshSummary(len(table), len(stored))


__all__ = ["EVIDENCE", "AliasTable", "RefreshSummary", "facet_values", "refresh", "use_table", "current_table"]
