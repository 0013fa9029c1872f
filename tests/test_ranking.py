"""Partial-match ranking on real articles: how much of the query an article covers, rare words weighing more."""

from __future__ import annotations

import pytest

from indexer.analysis import analyze
from search.backends.whoosh.engine import WhooshEngine
from search.request import parse_request

# Words a fifth to a third of the sample's articles hold; the test takes two that an article lacks.
COMMON = ("indonesia", "tahun", "pemerintah", "jakarta", "orang", "hari", "baru", "besar")


def _search(engine: WhooshEngine, query: str):
    return engine.search(parse_request({"q": [query], "per_page": ["50"]}))


@pytest.fixture(scope="module")
def plain(sample_index) -> WhooshEngine:
    return WhooshEngine(sample_index, expander=None)  # ranking alone, no alternatives


def _rare_word_and_common_pair(engine: WhooshEngine, records: list[dict]) -> tuple[dict, str, str, str]:
    """An article, a title word only it holds, and two common words it lacks that other articles hold together."""
    for record in records:
        text = set(analyze(record["title"] + " " + record["body"]))
        lacking = [w for w in COMMON if analyze(w)[0] not in text]
        if len(lacking) < 2:
            continue
        for form in analyze(record["title"], stemmed=False):
            if form.isalpha() and len(form) > 4 and _search(engine, form).total == 1:
                return record, form, lacking[0], lacking[1]
    raise AssertionError("no article with a word of its own in the sample")


def test_a_rare_word_covers_more_of_the_query_than_two_common_ones(plain, sample_records):
    record, rare, common1, common2 = _rare_word_and_common_pair(plain, sample_records)
    both = _search(plain, f"{common1} {common2}")
    assert both.notice is None and both.total >= 3, "the common pair must be held together by other articles"
    result = _search(plain, f"{rare} {common1} {common2}")
    assert result.notice == "partial"  # no article holds all three words
    assert result.hits[0].id == record["id"], (
        f"{record['id']} holds {rare!r} (one article) but {result.hits[0].id} ranked first with "
        f"{common1!r} and {common2!r}: words are counted alike, not by how rare they are"
    )
