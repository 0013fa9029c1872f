"""Guards on what the numpy BM25F reads from Whoosh's private W3 codec (search/backends/whoosh/scoring.py).

The scores must equal ``whoosh.scoring.BM25F``'s on a real index (so zeroed or
misread field lengths fail here), posting lists must be read block by block
(the per-posting walk is ~10x slower and was silently taken for segments with
deletions), and a Whoosh without one of the internals must refuse to load.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from whoosh import index
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F

from indexer.analysis import analyze
from search.backends.whoosh.engine import WhooshEngine
from search.backends.whoosh.scoring import Budget, IncompatibleWhoosh, Postings, phrase_docs
from search.request import parse_request

FIELDS = ("title", "body", "title_exact", "body_exact")
# Frequent and rare words of the sample, stems and affixed forms.
WORDS = ("indonesia", "jakarta", "presiden", "gempa", "harga", "pemerintah", "mengatakan", "pertemuan", "banjir")


def sample_terms(reader, field: str) -> set[str]:
    """The field's 15 most frequent terms, every 400th of its lexicon, and ``WORDS``."""
    frequent = {t.decode() if isinstance(t, bytes) else t for _, t in reader.most_frequent_terms(field, 15)}
    spread = {t.decode() if isinstance(t, bytes) else t for k, t in enumerate(reader.lexicon(field)) if k % 400 == 0}
    return frequent | spread | set(WORDS)


def whoosh_scores(searcher, field: str, text: str) -> dict[int, float]:
    """Whoosh's own BM25F for one term over every matching document."""
    return {hit.docnum: hit.score for hit in searcher.search(wq.Term(field, text), limit=None)}


@pytest.fixture(scope="module")
def searcher(sample_index):
    with index.open_dir(str(sample_index)).searcher(weighting=BM25F()) as s:
        yield s


def test_term_scores_equal_whooshs_bm25f(searcher):
    postings = Postings(searcher, FIELDS)
    reader = searcher.reader()
    compared = 0
    for field in FIELDS:
        for text in sample_terms(reader, field):
            ids, scores = postings.term(field, text)
            live = np.array([not reader.is_deleted(d) for d in ids.tolist()], dtype=bool)
            ids, scores = ids[live], scores[live]  # deleted documents are read, then masked by every query node
            expected = whoosh_scores(searcher, field, text)
            assert sorted(ids.tolist()) == sorted(expected), (field, text)
            if not expected:
                continue
            want = np.array([expected[d] for d in ids.tolist()], dtype=np.float64)
            assert np.allclose(scores, want, rtol=1e-6, atol=1e-6), (field, text)
            compared += len(ids)
    assert compared > 2000  # the comparison is not vacuous


def test_query_scores_equal_whooshs_bm25f(sample_index, searcher):
    """A whole word as the engine scores it: stem in title and body, affixed form in the exact fields.

    Without query expansion, whose alternatives add their own weighted scores.
    """
    engine = WhooshEngine(sample_index, expander=None)
    result = engine.search(parse_request({"q": ["pertemuan"], "per_page": ["100"]}))
    assert result.total > 3
    q = wq.Or([wq.Term(f, "temu") for f in ("title", "body")] + [wq.Term(f, "pertemuan") for f in FIELDS[2:]])
    expected = {searcher.stored_fields(h.docnum)["id"]: h.score for h in searcher.search(q, limit=None)}
    for hit in result.hits:
        assert hit.score == pytest.approx(expected[hit.id], abs=1e-4)


def test_long_posting_lists_take_the_block_path(sample_index, tmp_path, monkeypatch):
    """Reading never walks a block matcher posting by posting, with or without deletions."""
    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy)
    with index.open_dir(str(copy)).searcher() as s:
        first_ids = [s.stored_fields(d)["id"] for d in range(3)]
    writer = index.open_dir(str(copy)).writer()
    for doc_id in first_ids:
        writer.delete_by_term("id", doc_id)
    writer.commit(merge=False)

    for folder in (sample_index, copy):
        with index.open_dir(str(folder)).searcher() as s:
            expected = {field: Postings(s, FIELDS).term(field, "indonesia") for field in ("title", "body")}
            assert len(expected["body"][0]) > 100
            for name in ("id", "weight", "next", "skip_to", "all_ids"):
                monkeypatch.setattr(whoosh3.W3LeafMatcher, name, _slow_path, raising=True)
            for field, (ids, scores) in expected.items():
                got_ids, got_scores = Postings(s, FIELDS).term(field, "indonesia")
                assert np.array_equal(got_ids, ids) and np.array_equal(got_scores, scores)
            monkeypatch.undo()


def _slow_path(*args, **kwargs):
    raise AssertionError("a W3 block matcher was walked posting by posting")


@pytest.mark.parametrize(
    "owner, name",
    [
        (whoosh3.W3LeafMatcher, "_read_ids"),
        (whoosh3.W3LeafMatcher, "_read_weights"),
        (whoosh3.W3LeafMatcher, "_next_block"),
        (whoosh3.W3PerDocReader, "_cached_reader"),
        (IndexReader, "_text_to_bytes"),
    ],
)
def test_a_missing_codec_internal_refuses_the_snapshot(sample_index, monkeypatch, owner, name):
    monkeypatch.delattr(owner, name)
    with pytest.raises(IncompatibleWhoosh, match=name):
        WhooshEngine(sample_index)


def test_a_missing_length_column_refuses_the_snapshot(sample_index, monkeypatch):
    monkeypatch.setattr(whoosh3.W3PerDocReader, "_cached_reader", lambda self, field, column: None)
    with pytest.raises(IncompatibleWhoosh, match="no length column '_title_len'"):
        WhooshEngine(sample_index)


# Phrases of the sample: frequent pairs, a name, words that repeat, a rare word next to a common one.
PHRASES = (
    "joko widodo", "presiden joko widodo", "harga minyak", "kota baru", "tahun depan", "wakil presiden",
    "komisi pemberantasan korupsi", "rumah sakit", "banjir jakarta", "indonesia indonesia", "sri mulyani",
)


def test_phrase_docs_equal_whooshs_phrase_query(sample_index, tmp_path):
    """The numpy-guided position check finds exactly what ``whoosh.query.Phrase`` finds, deletions included."""
    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy)
    writer = index.open_dir(str(copy)).writer()
    with index.open_dir(str(copy)).searcher() as s:
        hits = list(s.docs_for_query(wq.Phrase("body", ["joko", "widodo"])))
        for d in hits[:3]:
            writer.delete_by_term("id", s.stored_fields(d)["id"])
    writer.commit(merge=False)
    found = 0
    with index.open_dir(str(copy)).searcher() as s:
        reader = s.reader()
        assert reader.has_deletions()
        live = np.zeros(reader.doc_count_all(), dtype=bool)
        live[list(reader.all_doc_ids())] = True
        postings = Postings(s, FIELDS)
        for text in PHRASES:
            stems = analyze(text)
            assert len(stems) >= 2, text
            for field in ("title", "body"):
                expected = sorted(s.docs_for_query(wq.Phrase(field, stems)))
                assert phrase_docs(postings, live, field, stems, Budget(None)).tolist() == expected, (field, text)
                found += len(expected)
    assert found > 50  # the comparison is not vacuous


def test_blocks_read_the_values_the_codec_reads(searcher):
    """``Blocks.values`` reads each block's data itself, as ``W3LeafMatcher._read_data`` does: the same
    values as the matcher's ``_read_values``, block by block, in every segment."""
    postings = Postings(searcher, FIELDS)
    compared = longest = 0
    for text in WORDS:
        expected = []
        for segment, _ in searcher.reader().leaf_readers():
            if ("body", text) not in segment:
                continue
            m = segment._terms.matcher("body", segment._text_to_bytes("body", text), segment.schema["body"].format)
            while m.is_active():
                m._read_values()
                expected.append(tuple(m._values))
                m._next_block()
        ids, blocks = postings.blocks("body", text)
        assert [tuple(blocks.values(k)) for k in range(len(blocks.starts) - 1)] == expected, text
        assert blocks.starts[-1] == len(ids) == sum(map(len, expected))
        compared += len(expected)
        longest = max(longest, len(expected))
    assert compared >= 10 and longest >= 2  # several blocks, and a word over more than one


def test_a_block_matcher_that_keeps_its_data_offset_elsewhere_refuses(searcher, monkeypatch):
    """A Whoosh whose block matcher names ``_dataoffset`` otherwise still reads, but not our blocks."""
    goto, read_data = whoosh3.W3LeafMatcher._goto, whoosh3.W3LeafMatcher._read_data

    def renamed_goto(self, position):
        goto(self, position)
        self._data_start = self.__dict__.pop("_dataoffset")

    def renamed_read_data(self):
        self._dataoffset = self._data_start
        read_data(self)
        del self._dataoffset

    monkeypatch.setattr(whoosh3.W3LeafMatcher, "_goto", renamed_goto)
    monkeypatch.setattr(whoosh3.W3LeafMatcher, "_read_data", renamed_read_data)
    with pytest.raises(IncompatibleWhoosh, match="_dataoffset"):
        Postings(searcher, FIELDS).term("body", "indonesia")


def test_phrase_docs_give_up_when_the_budget_is_spent(sample_index):
    with index.open_dir(str(sample_index)).searcher() as s:
        live = np.ones(s.reader().doc_count_all(), dtype=bool)
        assert phrase_docs(Postings(s, FIELDS), live, "body", ["joko", "widodo"], Budget(0.0)) is None
