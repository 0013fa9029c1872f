"""Query expansion: colloquial spellings, synonyms and related terms, ranked below the query's own words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from search.backends.whoosh.engine import WhooshEngine
from search.expand import MAX_PER_QUERY, MIN_ALT_DF, MIN_DF_SHARE, SOURCES, Expander, expand_tree, slang, tables
from search.query import AltNode, parse
from search.request import parse_request
from tests.conftest import CORPUS

PER_KIND = 15


def _has(word: str, record: dict) -> bool:
    return re.search(rf"\b{word}\b", (record["title"] + " " + record["body"]).lower()) is not None


@pytest.fixture(scope="module")
def money_index(tmp_path_factory) -> Path:
    """Real articles: some say `duit`, others only `uang`, a few neither (`wafat` / `meninggal`)."""
    from indexer.build import build_index

    duit, uang, died = [], [], []
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if _has("duit", r) and len(duit) < PER_KIND:
                duit.append(r)
            elif _has("uang", r) and not _has("duit", r) and len(uang) < PER_KIND:
                uang.append(r)
            elif _has("meninggal", r) and not _has("wafat", r) and len(died) < 5:
                died.append(r)
            if len(duit) == len(uang) == PER_KIND and len(died) == 5:
                break
    folder = tmp_path_factory.mktemp("money")
    src = folder / "money.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in duit + uang + died), encoding="utf-8")
    build_index([src], folder / "index")
    return folder / "index"


@pytest.fixture(scope="module")
def expanded(money_index) -> WhooshEngine:
    return WhooshEngine(money_index)


@pytest.fixture(scope="module")
def plain(money_index) -> WhooshEngine:
    return WhooshEngine(money_index, expander=None)


def ids(engine: WhooshEngine, query: str) -> list[str]:
    return [h.id for h in engine.search(parse_request({"q": [query], "per_page": ["100"]})).hits]


@pytest.mark.parametrize("query", ["duit", "duit rakyat", "uang duit"])
def test_articles_with_the_own_words_rank_above_expansion_only(plain, expanded, query):
    own = set(ids(plain, query)) if plain.search(parse_request({"q": [query]})).notice is None else set()
    ranked = ids(expanded, query)
    assert own and own <= set(ranked)
    first_other = next((i for i, d in enumerate(ranked) if d not in own), len(ranked))
    assert all(d not in own for d in ranked[first_other:]), "an expansion-only article outranked one with the query's words"


def test_synonym_finds_the_article_in_other_words(plain, expanded):
    only_uang = set(ids(expanded, "duit")) - set(ids(plain, "duit"))
    assert len(only_uang) >= PER_KIND // 2  # `duit` ~ `uang` from the thesaurus


def test_wafat_reaches_meninggal(plain, expanded):
    assert not ids(plain, "wafat")
    assert ids(expanded, "wafat")


@pytest.mark.parametrize(
    "word,standard",
    [("gak", "tidak"), ("nggak", "tidak"), ("ortu", "orang tua"), ("ngutang", "berutang"), ("udah", "sudah")],
)
def test_colloquial_normalisation(word, standard):
    assert slang.standard(word) == standard


@pytest.mark.parametrize("word", ["kpk", "dpr", "tni", "presiden", "jokowi", "bpk", "bp", "pn", "bpn"])
def test_acronyms_and_standard_words_are_not_normalised(word):
    assert slang.standard(word) is None


def test_colloquial_stop_words_are_dropped_names_kept(expanded):
    snap = expanded._snapshot
    assert Expander().is_stop("gak", snap)
    r = expanded.search(parse_request({"q": ["duit gak"]}))
    assert r.notice is None and r.total >= PER_KIND  # `gak` (= `tidak`) asks nothing of the articles


def test_names_are_not_expanded(sample_index):
    snap = WhooshEngine(sample_index)._snapshot
    names = [w for w in ("jakarta", "jokowi", "habibie", "indonesia") if snap.is_name(w)]
    assert names
    for word in names:
        assert Expander().alternatives(word, snap) == []


def test_each_source_alone(expanded):
    snap = expanded._snapshot
    synonym = {a.stems for a in Expander(["synonym"]).alternatives("duit", snap)}
    assert ("uang",) in synonym
    assert {a.source for a in Expander(["related"]).alternatives("duit", snap)} <= {"related"}
    with pytest.raises(ValueError):
        Expander(["thesaurus"])


@pytest.fixture(scope="module")
def feedback(money_index) -> WhooshEngine:
    return WhooshEngine(money_index, expander=Expander(SOURCES))


@pytest.mark.parametrize("query", ["duit rakyat negara", "uang duit rakyat pemerintah"])
def test_feedback_keeps_the_own_words_first(plain, feedback, query):
    own = set(ids(plain, query)) if plain.search(parse_request({"q": [query]})).notice is None else set()
    ranked = ids(feedback, query)
    first_other = next((i for i, d in enumerate(ranked) if d not in own), len(ranked))
    assert all(d not in own for d in ranked[first_other:]), "feedback let an expansion-only article outrank the query's words"


def test_feedback_only_reranks(expanded, feedback):
    """The second pass adds to the scores of the matches: the same articles, in another order."""
    query = "uang rakyat pemerintah"
    without, with_feedback = ids(expanded, query), ids(feedback, query)
    assert sorted(without) == sorted(with_feedback) and len(without) >= 3
    assert without != with_feedback


def test_every_word_of_a_long_query_gets_alternatives(expanded):
    """The query's alternatives are dealt a round at a time: the last word is expanded too."""
    snap = expanded._snapshot
    words = ["duit", "wafat", "duit", "wafat", "duit", "wafat", "duit", "wafat", "duit", "wafat", "duit", "wafat"]
    expansion = expand_tree(parse(" ".join(words))[0], Expander(), snap)
    alts = [node for node in expansion.tree.items if isinstance(node, AltNode)]
    assert len(alts) == len(words) and not expansion.truncated
    assert sum(len(a.alternatives) for a in alts) <= MAX_PER_QUERY


def test_a_common_word_is_not_expanded_to_a_rare_one(sample_index):
    """`harga` ~ `gengsi`, `pakai` ~ `sarung`: a synonym far rarer than the word typed is left out."""
    snap = WhooshEngine(sample_index)._snapshot
    df = snap.doc_frequency
    rare = []
    for word in ("harga", "pakai", "gagal", "terbang", "nasib", "serang"):
        floor = MIN_DF_SHARE * df(word)
        offered = {a.stems for a in Expander().alternatives(word, snap)}
        for table in (tables.synonyms(), tables.related()):
            for stems, _ in table.get(word, ()):
                if all(df(s) >= MIN_ALT_DF for s in stems) and min(map(df, stems)) < floor:
                    rare.append(stems)
                    assert stems not in offered, f"{word} -> {' '.join(stems)}"
    assert rare  # the tables do offer such words: the rule has something to leave out


@pytest.fixture(scope="module")
def sugar_index(tmp_path_factory) -> Path:
    """Real articles: some say `diabetes` and neither `sakit` nor `gula`, others `sakit` and `gula` but not `diabetes`."""
    from indexer.build import build_index

    diabetes, sugar = [], []
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if _has("diabetes", r) and not (_has("sakit", r) or _has("gula", r)) and len(diabetes) < 8:
                diabetes.append(r)
            elif _has("sakit", r) and _has("gula", r) and not _has("diabetes", r) and len(sugar) < 8:
                sugar.append(r)
            if len(diabetes) == len(sugar) == 8:
                break
    folder = tmp_path_factory.mktemp("sugar")
    src = folder / "sugar.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in diabetes + sugar), encoding="utf-8")
    build_index([src], folder / "index")
    return folder / "index"


def test_a_phrase_reaches_its_one_word_synonym(sugar_index):
    """`sakit gula` -> `diabetes`: matched on the query's word sequence, the alternative joins both words."""
    assert ("diabetes",) in {alt for alt, _ in tables.synonyms()["sakit gula"]}
    plain, expanded = WhooshEngine(sugar_index, expander=None), WhooshEngine(sugar_index)
    own = ids(plain, "sakit gula")
    ranked = ids(expanded, "sakit gula")
    assert own and len(ranked) > len(own)
    assert ranked[: len(own)] == own, "an article saying only `diabetes` outranked one with `sakit gula`"
    for query in ("sakit gula", "sakit yang gula"):  # a stop word between neither joins nor breaks the run
        expansion = expand_tree(parse(query)[0], Expander(["synonym"]), expanded._snapshot)
        alts = [n for n in expansion.tree.items if isinstance(n, AltNode)]
        assert [n.own.text for n in alts] == ["sakit", "gula"]
        assert all(("diabetes",) in {a.stems for a in n.alternatives} for n in alts)


@pytest.mark.parametrize("query", ["sakit OR gula", "gula sakit", "sakit -gula", '"sakit gula"', "sakit title:gula"])
def test_a_phrase_is_only_its_words_in_order(sugar_index, query):
    """Not across an OR, in another order, under a negation, inside quotes or across a field."""
    snap = WhooshEngine(sugar_index)._snapshot
    expansion = expand_tree(parse(query)[0], Expander(["synonym"]), snap)
    assert ("diabetes",) not in {a.stems for a in expansion.alternatives}


@pytest.mark.parametrize("word,stop", [("yg", "yang"), ("tdk", "tidak"), ("utk", "untuk")])
def test_vowelless_shorthand_of_stop_words_is_still_read(word, stop):
    """The acronym rule (`bpk` is the audit board) keeps chat shorthand for stop words, dropped as such."""
    assert slang.standard(word) == stop


def test_bpk_is_searched_as_typed(sample_index):
    snap = WhooshEngine(sample_index)._snapshot
    assert Expander().alternatives("bpk", snap) == [] and not Expander().is_stop("bpk", snap)


@pytest.mark.parametrize("word,gone", [("pakai", "baju"), ("baju", "pakai"), ("atur", "tentu"), ("tentu", "atur")])
def test_a_derived_nouns_synonyms_do_not_land_on_its_root(word, gone):
    """`pakaian` ~ `baju` stemmed would be `pakai` ~ `baju`; `ketentuan` ~ `aturan` would be `tentu` ~ `atur`."""
    assert (gone,) not in {alt for alt, _ in tables.synonyms().get(word, ())}


@pytest.mark.parametrize("word,kept", [("tangkap", "ciduk"), ("ciduk", "tangkap"), ("duit", "uang"), ("wafat", "tinggal")])
def test_verb_forms_keep_their_synonyms(word, kept):
    """`menciduk` ~ `menangkap`, `meninggal` ~ `wafat`: a verb's affixes keep its root's sense."""
    assert (kept,) in {alt for alt, _ in tables.synonyms()[word]}
