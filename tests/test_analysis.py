"""The analysis is pure Python; Whoosh's analyzers agree with it; indexes written before the split still work."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

from whoosh import index
from whoosh.query import Phrase, Term

from conftest import DEMO_DIR, ROOT
from indexer.analysis import analyse_text, analyze, stem, tokens
from indexer.build import build_index

# The five demo articles indexed by commit 2bd750b, before the Whoosh analyzer
# classes moved out of indexer/analysis.py: its pickled schema names
# indexer.analysis.SastrawiStemFilter and indexer.analysis.AffixedOnlyFilter.
OLD_INDEX = Path(__file__).parent / "data" / "seed-index-2bd750b.tar.gz"


def test_importing_the_analysis_and_the_preparation_does_not_import_whoosh():
    script = (
        "import sys, json; import indexer.analysis as a; import indexer.prepare;"
        "t = a.analyse_text('Pertemuan Kim Jong-un dengan Putin');"
        "print(json.dumps({'stems': t.stems, 'whoosh': sorted(m for m in sys.modules if m.split('.')[0] == 'whoosh')}))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["stems"] == ["temu", "kim", "jong", "un", "putin"]
    assert result["whoosh"] == []


def test_one_pass_analysis_equals_the_whoosh_analyzers(sample_records):
    from indexer.whoosh_analysis import exact_analyzer, stemmed_analyzer

    stemmed, exact = stemmed_analyzer(), exact_analyzer()
    for rec in sample_records[:120]:
        for text in (rec["title"], rec["body"]):
            analysed = analyse_text(text)
            assert analysed.stems == [t.text for t in stemmed(text)]
            assert analysed.affixed == [t.text for t in exact(text)]
            assert analysed.stems == analyze(text)
    assert analyse_text("İstanbul").stems == [t.text for t in stemmed("İstanbul")]


def test_affixed_forms_are_exactly_the_tokens_whose_stem_differs():
    text = "Pertemuan para menteri di Jakarta membahas kunjungan presiden"
    analysed = analyse_text(text)
    assert analysed.affixed == [w for w in tokens(text) if stem(w) != w] == ["pertemuan", "membahas", "kunjungan"]
    assert analysed.stemmed_text() == "temu menteri jakarta bahas kunjung presiden"


def _old_index(tmp_path: Path) -> Path:
    target = tmp_path / "old"
    with tarfile.open(OLD_INDEX) as tar:
        tar.extractall(target, filter="data")
    return target


def test_an_index_written_before_the_split_opens_and_searches(tmp_path, seed_index):
    old = _old_index(tmp_path)
    ix = index.open_dir(str(old))
    from indexer.whoosh_analysis import AffixedOnlyFilter, SastrawiStemFilter

    assert any(isinstance(f, SastrawiStemFilter) for f in ix.schema["body"].analyzer.items)
    assert any(isinstance(f, AffixedOnlyFilter) for f in ix.schema["body_exact"].analyzer.items)
    new = index.open_dir(str(seed_index))
    queries = [Term("body", stem("pertemuan")), Term("title", "putin"), Term("body_exact", "bertemu"),
               Phrase("body", analyze("Kim Jong Un")), Term("entity", "Vladimir Putin")]
    with ix.searcher() as old_s, new.searcher() as new_s:
        for query in queries:
            found = sorted(hit["id"] for hit in old_s.search(query, limit=None))
            assert found, query
            assert found == sorted(hit["id"] for hit in new_s.search(query, limit=None)), query

    # The product's own search answers from it, as from an index built today.
    def cli(index_dir: Path) -> list[str]:
        out = subprocess.run([sys.executable, "-m", "search", "pertemuan kim", "--index", str(index_dir), "--json"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return [hit["id"] for hit in json.loads(out.stdout)["hits"]]

    assert cli(old) == cli(seed_index) != []


def test_a_build_updates_an_index_written_before_the_split(tmp_path, sample_records):
    old = _old_index(tmp_path)
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps(sample_records[0]) + "\n", encoding="utf-8")
    assert (build_index([DEMO_DIR], old).updated, build_index([extra], old).indexed) == (5, 1)
    with index.open_dir(str(old)).searcher() as searcher:
        assert searcher.doc_count() == 6
        title_stems = analyze(sample_records[0]["title"])
        assert sample_records[0]["id"] in {h["id"] for h in searcher.search(Term("title", title_stems[0]), limit=None)}
