"""The corpus alias table in a real index: an alias taught later re-canonicalises what is indexed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index

from indexer.build import build_index
from indexer.extract.alias_table import AliasTable

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
# Real articles of the 22k corpus: two write only `Kemenkeu`, two only `Kementerian
# Keuangan`, and one defines the short form, `Kementerian Keuangan (Kemenkeu)`.
SHORT = ("f4958562ce171388", "0ac180da26dbe422")
LONG = ("9867feac0b4460ee", "e96e4f63d812f38b")
DEFINES = "ce910729feea3455"


def _records(ids) -> list[dict]:
    wanted = set(ids)
    with CORPUS.open(encoding="utf-8") as f:
        return [rec for rec in map(json.loads, f) if rec["id"] in wanted]


def _organisations(ix_dir: Path) -> dict[str, set[str]]:
    with index.open_dir(str(ix_dir)).searcher() as searcher:
        return {doc["id"]: set(doc.get("organization") or []) for doc in searcher.documents()}


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_an_alias_taught_later_leaves_one_value_in_the_facet(tmp_path):
    first, later = tmp_path / "first.jsonl", tmp_path / "later.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in _records(SHORT + LONG)), encoding="utf-8")
    later.write_text("".join(json.dumps(r) + "\n" for r in _records([DEFINES])), encoding="utf-8")
    ix = tmp_path / "ix"

    build_index([first], ix, workers=1)
    orgs = _organisations(ix)
    assert all("Kemenkeu" in orgs[i] for i in SHORT) and all("Kementerian Keuangan" in orgs[i] for i in LONG)

    summary = build_index([later], ix, workers=1)
    orgs = _organisations(ix)
    assert summary.recanonicalised >= 2  # the `Kemenkeu` articles were rewritten
    values = set().union(*orgs.values())
    assert "Kemenkeu" not in values and "Kementerian Keuangan" in values
    assert all("Kementerian Keuangan" in orgs[i] for i in SHORT + LONG + (DEFINES,))
    table = AliasTable.load(ix)
    assert "Kemenkeu" in table.aliases_of("Kementerian Keuangan")

    # `extract --index` answers with the index's own values.
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "extract", "--index", str(ix)],
        input=json.dumps({"id": 1, "text": "Juru bicara Kemenkeu menjelaskan."}) + "\n",
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["organizations"] == ["Kementerian Keuangan"]


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_a_first_build_writes_every_document_once_with_its_final_values(tmp_path):
    src = tmp_path / "all.jsonl"
    # The definition comes last: a one-pass build would have written the `Kemenkeu` articles first.
    src.write_text("".join(json.dumps(r) + "\n" for r in _records(SHORT + LONG) + _records([DEFINES])), encoding="utf-8")
    ix = tmp_path / "ix"
    summary = build_index([src], ix, workers=2, batch_size=2)
    assert summary.recanonicalised == 0
    opened = index.open_dir(str(ix))
    assert opened.doc_count_all() == opened.doc_count() == 5, "no document was deleted to be rewritten"
    orgs = _organisations(ix)
    assert all("Kementerian Keuangan" in orgs[i] and "Kemenkeu" not in orgs[i] for i in SHORT + LONG + (DEFINES,))


def test_a_table_that_only_types_names_is_applied():
    """A small corpus may teach types (corpus votes) and no alias yet: that table still applies."""
    from indexer.canonical import facet_values

    table = AliasTable({}, {"Marchand Hype": "location"})
    assert facet_values(["person|Marchand Hype", "location|Marchand Hype"], table)["person"] == []


def _people(ix_dir: Path) -> dict[str, set[str]]:
    with index.open_dir(str(ix_dir)).searcher() as searcher:
        return {doc["id"]: set(doc.get("person") or []) for doc in searcher.documents()}


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_a_lone_name_merged_later_by_the_articles_naming_it_beside_its_fuller_form(tmp_path):
    """`Alex mengatakan` (KPK news) alone is one value; articles indexed later that name
    `Wakil Ketua KPK Alexander Marwata` and then `Alex` teach the merge: one value left."""
    alone, beside = "aba1df9fcb88da6d", ("4dc95f4478aa31bf", "1eb6c49d829a6d5d", "545d78a5c22725ea", "8437f0a442928730")
    first, later = tmp_path / "first.jsonl", tmp_path / "later.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in _records([alone])), encoding="utf-8")
    later.write_text("".join(json.dumps(r) + "\n" for r in _records(beside)), encoding="utf-8")
    ix = tmp_path / "ix"
    build_index([first], ix, workers=1)
    assert "Alex" in _people(ix)[alone]
    summary = build_index([later], ix, workers=1)
    people = _people(ix)
    assert summary.recanonicalised >= 1
    assert "Alex" not in set().union(*people.values())
    assert "Alexander Marwata" in people[alone], people[alone]
    assert "Alex" in AliasTable.load(ix).aliases_of("Alexander Marwata")


def test_the_table_is_the_same_whatever_order_the_documents_come_in(sample_index):
    """A build's workers and an incremental build (kept documents first) hand the same
    documents in other orders: the table, ties included, must not change with it."""
    import random

    from indexer import canonical
    from indexer.extract.alias_table import typed
    from indexer.extract.corpus_aliases import learn
    from indexer.extract.mention import ORG

    evidence = list(canonical.indexed_evidence(index.open_dir(str(sample_index)), set()).values())
    shuffled = evidence[:]
    random.Random(3).shuffle(shuffled)
    # Two bodies named as often beside one place are neither's short form there.
    sited = [[typed(ORG, "Dinas Perhubungan"), typed(ORG, f"Dinas Perhubungan {body} Bekasi")]
             for body in ("Kota", "Kabupaten") for _ in range(3)]
    tables = [learn(docs).to_json() for docs in (evidence + sited, (evidence + sited)[::-1], sited + shuffled)]
    assert tables[0] == tables[1] == tables[2]
    assert "Bekasi" not in json.loads(tables[0])["sited"].get("Dinas Perhubungan", {})
