"""Query expansion on the Typesense backend: the same alternatives as on Whoosh, the own words first.

On a real node (the session's ``typesense_node``), over the real articles of
``tests/test_expand.py``'s money corpus (some say ``duit``, others only
``uang``, a few ``meninggal``) and over the corpus sample.
"""

from __future__ import annotations

import pytest

from indexer.analysis import analyze
from search.backends.typesense.engine import TypesenseEngine
from search.backends.typesense.translate import translate
from search.backends.whoosh.engine import WhooshEngine
from search.expand import MAX_PER_QUERY, Expander
from search.request import parse_request
from tests.conftest import _typesense_index
from tests.test_expand import money_index  # noqa: F401  (the fixture: its folder holds the source)


@pytest.fixture(scope="module")
def money_connection(typesense_node, money_index):  # noqa: F811
    return _typesense_index(typesense_node, [money_index.parent / "money.jsonl"], "money")


def both(connection, prefix: str) -> tuple[TypesenseEngine, TypesenseEngine]:
    """(without expansion, with the default one) over one index."""
    engines = (TypesenseEngine(connection, prefix=prefix, check_interval=0, expander=e) for e in (None, Expander()))
    return tuple(engines)


@pytest.fixture(scope="module")
def money(money_connection) -> tuple[TypesenseEngine, TypesenseEngine]:
    return both(money_connection, "money")


@pytest.fixture(scope="module")
def plain(money) -> TypesenseEngine:
    return money[0]


@pytest.fixture(scope="module")
def expanded(money) -> TypesenseEngine:
    return money[1]


def ids(engine, query: str, **params) -> list[str]:
    request = {"q": [query], "per_page": ["100"], **{k: [v] for k, v in params.items()}}
    return [h.id for h in engine.search(parse_request(request)).hits]


@pytest.fixture(scope="module")
def samples(typesense_sample) -> tuple[TypesenseEngine, TypesenseEngine]:
    return both(typesense_sample, "sample")


@pytest.mark.parametrize("word,standard", [("ortu", ("orang", "tua")), ("nyari", ("cari",)), ("ngomong", ("bicara",))])
def test_a_colloquial_word_finds_the_article_with_the_standard_one(samples, word, standard):
    """The slang lexicon: `ortu` -> `orang tua`, `nyari` -> `mencari`; the hits say the standard words."""
    sample_plain, sample = samples
    assert (standard, "slang") in {(a.stems, a.source) for a in Expander().alternatives(word, sample.vocabulary())}
    found = ids(sample, word)
    assert len(found) > len(ids(sample_plain, word))
    for doc_id in found[:5]:
        doc = sample.document(doc_id)
        text = set(analyze(doc["title"] + " " + doc["body"]))
        assert set(standard) <= text or word in text


def test_a_synonym_finds_its_article(plain, expanded):
    """`wafat` (the thesaurus) -> `meninggal` (stem `tinggal`): no article says `wafat`."""
    assert not ids(plain, "wafat")
    alternatives = Expander().alternatives("wafat", expanded.vocabulary())
    assert ("tinggal",) in {a.stems for a in alternatives} and {a.source for a in alternatives} == {"synonym"}
    found = ids(expanded, "wafat")
    assert found
    for doc_id in found:
        doc = expanded.document(doc_id)
        held = set(analyze(doc["title"] + " " + doc["body"]))
        assert any(held.issuperset(a.stems) for a in alternatives)


@pytest.mark.parametrize("query", ["duit", "uang duit", "duit pemerintah", "wafat duit"])
@pytest.mark.parametrize("collapse", ["story", "none"])
def test_articles_with_the_own_words_rank_above_expansion_only(plain, expanded, query, collapse):
    """Where the own words match fully; a partial match (`duit pemerintah`) ranks by words matched."""
    full = plain.search(parse_request({"q": [query]})).notice is None
    own = set(ids(plain, query, collapse=collapse)) if full else set()
    ranked = ids(expanded, query, collapse=collapse)
    assert own <= set(ranked) and len(ranked) > len(own)
    first_other = next(i for i, d in enumerate(ranked) if d not in own)
    assert all(d not in own for d in ranked[first_other:]), "an expansion-only article outranked one with the query's words"


def test_the_expanded_set_is_counted_and_faceted(plain, expanded):
    """Totals and facet counts are the expanded set's, as on Whoosh."""
    got, own = (e.search(parse_request({"q": ["duit"]})) for e in (expanded, plain))
    assert got.total > own.total
    assert sum(v.count for v in got.facets["source"]) >= got.total


def test_names_and_acronyms_are_not_expanded(samples, sample_index):
    """The same words count as names on both backends; neither they nor `kpk` get alternatives."""
    vocab, whoosh = samples[1].vocabulary(), WhooshEngine(sample_index)._snapshot
    words = ("jakarta", "jokowi", "habibie", "indonesia", "malang", "bunga", "polisi")
    names = [w for w in words if vocab.is_name(w)]
    assert names and len(names) < len(words) and names == [w for w in words if whoosh.is_name(w)]
    for word in [*names, "kpk"]:
        assert Expander().alternatives(word, vocab) == []
        assert translate(word, vocab, Expander()).expanded is None


def test_a_long_query_is_truncated_with_a_notice(expanded, money_index):  # noqa: F811
    """More expandable words than ``MAX_PER_QUERY`` alternatives: the last words go without, and the notice says so."""
    query = " ".join(["duit", "wafat"] * (MAX_PER_QUERY // 2 + 1))
    tq = translate(query, expanded.vocabulary(), Expander())
    assert tq.truncated and sum(map(len, tq.alternatives.values())) <= MAX_PER_QUERY
    assert expanded.search(parse_request({"q": [query]})).notice == "truncated"
    assert WhooshEngine(money_index).search(parse_request({"q": [query]})).notice == "truncated"


@pytest.mark.parametrize("query", ["wafat", "duit rakyat", "uang duit", "duit pemerintah", "wafat duit"])
def test_the_same_results_as_whoosh(expanded, money_index, query):  # noqa: F811
    """The same expansion on both backends: the same set, the same top article.

    (The two BM25F figures differ by a few percent, so articles at near-equal scores, as the
    top three for `duit` here, may come in another order.)"""
    whoosh = WhooshEngine(money_index)
    request = parse_request({"q": [query], "collapse": ["none"]})
    mine, theirs = expanded.search(request), whoosh.search(request)
    assert (mine.total, mine.notice) == (theirs.total, theirs.notice)
    assert mine.hits[0].id == theirs.hits[0].id



def test_a_long_query_finds_its_article_in_the_partial_fallback(samples, sample_index, sample_records):
    """A reader's query holds words the article lacks: fewer than 3 full matches, the partial fallback.

    Its any-word set is most of the index and its own order the date; the candidates ranked by
    Typesense's text match (pairs of the rarest words, dropped words) must find what Whoosh finds."""
    from indexer.analysis import stop_words, tokens

    whoosh, typesense = WhooshEngine(sample_index), samples[1]
    vocab, stops = typesense.vocabulary(), stop_words()
    found = {"whoosh": 0, "typesense": 0}
    asked = 0
    for record in sample_records[::13]:
        words = [w for w in dict.fromkeys(tokens(record["title"])) if w.isalpha() and w not in stops and vocab.doc_frequency(w) > 1]
        if len(words) < 3:
            continue
        query = " ".join(words[:4] + ["gempa", "sepak", "bola"])  # words most articles lack
        request = parse_request({"q": [query], "collapse": ["none"]})
        results = {"whoosh": whoosh.search(request), "typesense": typesense.search(request)}
        if results["typesense"].notice != "partial":
            continue
        asked += 1
        for name, result in results.items():
            found[name] += record["id"] in [h.id for h in result.hits]
    assert asked >= 10
    assert found["typesense"] >= found["whoosh"] - 1 and found["whoosh"] >= asked * 0.7, (asked, found)
