"""Query expansion: other words a reader may mean, as weighted alternatives.

A query word may reach its article through words it does not contain: the
reader writes ``duit`` and the article ``uang``, ``diciduk`` for
``ditangkap``, ``ngutang`` for ``berutang``. ``Expander.alternatives`` gives,
for one query word, the stems to search besides its own, each with a weight
below 1 and the source it came from:

- ``slang``: colloquial -> standard spelling (``search.expand.slang``);
- ``synonym``: the mythes-id thesaurus, kept to the senses this corpus uses
  (``search.expand.tables.synonyms``), phrases included: a run of query
  words may mean one word (``kencing manis`` -> ``diabetes``) or another
  phrase (``Expander.phrase_alternatives``, matched on the query's word
  sequence by ``expand_tree``);
- ``related``: neighbours in word vectors trained on the corpus
  (``search.expand.tables.related``), not used unless asked for (``DEFAULT_SOURCES``);
- ``feedback``: not a word's alternatives but a second pass over the whole
  query, the stems the first pass's best articles share
  (``search.expand.feedback``), applied by the engine.

Everything here is pure: the index is consulted only through ``IndexStats``
(a stem's document frequency, whether a word belongs to a name), so that an
alternative the index does not hold is never searched, a colloquial word the
index itself uses more than its standard spelling is left alone, and names
(``kate``, ``malang``) are never expanded. How alternatives are scored is the query
compiler's business; the rule it keeps is that an article matching the
query's own words ranks above one that matches only alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol, Sequence

from indexer.analysis import analyze, stem
from search.expand import slang, tables
from search.query import AltNode, AndNode, NotNode, OrNode, TermNode, is_wildcard, leaves

SOURCES = ("slang", "synonym", "related", "feedback")
# What the engines use unless told. A source ships when it helps alone on the known items' dev part:
# slang and synonyms do; related terms do not (dev none 0.858, related alone 0.858) and cost
# a third more CPU, so they stay a source to measure, not a default.
DEFAULT_SOURCES = ("slang", "synonym")
# Per source, chosen on the dev part (related 0, 0.25, 0.4 tried with the synonyms; the synonym
# weight hardly matters: 0.6, 0.75 and 0.9 rank the dev part alike, an alternative covering its
# word in the partial mode's coverage whatever its weight).
WEIGHTS = {"slang": 0.9, "synonym": 0.9, "related": 0.25}
MAX_PER_WORD = 4
MAX_PER_QUERY = 12  # a thousand-word query expands its first words only ("truncated")
MIN_ALT_DF = 3  # an alternative the index barely holds only adds noise
MAX_PHRASE = 3  # the longest run of query words looked up as one key (``pesawat tanpa awak``)
_TABLES = (("synonym", tables.synonyms), ("related", tables.related))  # word -> stems tables, by source
# A synonym or related term the index holds in under this share of the articles
# that hold the word typed is seldom what an article says instead (`harga` ~
# `gengsi`, `pakai` ~ `sarung`): the reader's rarer word is worth its commoner
# synonym, a common word rarely its rare one (chosen on the known items' dev part).
MIN_DF_SHARE = 0.1


class IndexStats(Protocol):
    def doc_frequency(self, stem: str) -> int: ...

    def is_name(self, word: str) -> bool: ...


@dataclass(frozen=True)
class Alternative:
    """Stems to search instead of one query word, all of them (one alternative may be two words)."""

    stems: tuple[str, ...]
    weight: float
    source: str


class Expander:
    """Alternatives for query words from the chosen ``sources``."""

    def __init__(self, sources: Iterable[str] = DEFAULT_SOURCES):
        self.sources = tuple(sources)
        unknown = set(self.sources) - set(SOURCES)
        if unknown:
            raise ValueError(f"unknown expansion source {sorted(unknown)[0]!r}")

    def load(self) -> None:
        """Read the tables of this expander's sources now (the slang lexicon alone is ~0.3 s of CPU),
        so that a search engine pays for them when it opens an index, not in its first request."""
        if "slang" in self.sources:
            slang.lexicon()
        for source, table in _TABLES:
            if source in self.sources:
                table()

    def is_stop(self, form: str, index: IndexStats) -> bool:
        """Whether ``form`` is a colloquial spelling of stop words only (``gak`` -> ``tidak``), not a name."""
        if "slang" not in self.sources or index.is_name(form):
            return False
        normal = slang.standard(form)
        return normal is not None and not analyze(normal)

    def alternatives(self, form: str, index: IndexStats) -> list[Alternative]:
        """At most ``MAX_PER_WORD`` alternatives for the unstemmed word ``form``, best first."""
        if index.is_name(form):
            return []
        df = index.doc_frequency
        own = stem(form)
        found: dict[tuple[str, ...], Alternative] = {}
        bases = [(own, 1.0)]
        if "slang" in self.sources:
            normal = slang.standard(form)
            if normal is not None:
                stems = tuple(analyze(normal))
                if stems and stems != (own,) and df(own) < min(df(s) for s in stems):
                    found[stems] = Alternative(stems, WEIGHTS["slang"], "slang")
                    if len(stems) == 1:
                        bases.append((stems[0], WEIGHTS["slang"]))
        for source, table in _TABLES:
            if source not in self.sources:
                continue
            for base, base_weight in bases:
                for stems, cos in table().get(base, ()):
                    weight = round(WEIGHTS[source] * cos * base_weight, 3)
                    if stems == (own,) or weight <= found.get(stems, Alternative((), 0.0, "")).weight:
                        continue
                    found[stems] = Alternative(stems, weight, source)
        return _usable(found.values(), df, MIN_DF_SHARE * df(own))

    def phrase_alternatives(self, forms: Sequence[str], index: IndexStats) -> list[Alternative]:
        """Alternatives for a run of two or more consecutive query words as one unit (``kencing manis``
        -> ``diabetes``), from the tables' multi-word keys; none where a word belongs to a name.

        The share floor is taken from the run's rarest word: no article holds the phrase more often."""
        if len(forms) < 2 or any(index.is_name(f) for f in forms):
            return []
        df = index.doc_frequency
        stems = tuple(stem(f) for f in forms)
        found: dict[tuple[str, ...], Alternative] = {}
        for source, table in _TABLES:
            if source not in self.sources:
                continue
            for alt, cos in table().get(" ".join(stems), ()):
                weight = round(WEIGHTS[source] * cos, 3)
                if alt != stems and weight > found.get(alt, Alternative((), 0.0, "")).weight:
                    found[alt] = Alternative(alt, weight, source)
        return _usable(found.values(), df, MIN_DF_SHARE * min(map(df, stems)))


def _usable(found: Iterable[Alternative], df, floor: float) -> list[Alternative]:
    """The ``MAX_PER_WORD`` best alternatives the index holds often enough (``MIN_ALT_DF``, ``MIN_DF_SHARE``)."""
    usable = [
        a
        for a in found
        if all(df(s) >= MIN_ALT_DF for s in a.stems) and (a.source == "slang" or min(map(df, a.stems)) >= floor)
    ]
    return sorted(usable, key=lambda a: -a.weight)[:MAX_PER_WORD]


@dataclass
class Expansion:
    """``tree`` with alternatives (``AltNode``), ``own`` the same tree with the query's own words only.

    Both drop the same words (a colloquial spelling of stop words, ``gak``),
    so a backend compiling both gets clauses that pair up one to one.
    """

    tree: AndNode
    own: AndNode
    alternatives: list[Alternative] = field(default_factory=list)
    truncated: bool = False


def expand_tree(tree: AndNode, expander: Expander, index: IndexStats) -> Expansion:
    """Alternatives for the plain words of a parsed query (not phrases, wildcards, facets or negations).

    A run of consecutive plain words (stop words between them skipped) is also
    looked up as one key (``Expander.phrase_alternatives``); its alternatives
    join each of the run's words, so an article saying ``diabetes`` matches
    both ``kencing`` and ``manis``. An alternative holding a stem the query excludes (``presiden -wapres``) is
    not used. The ``MAX_PER_QUERY`` alternatives a query may add are dealt out
    a round at a time, every word's best before any word's second, so the
    last words of a long query are expanded too; ``truncated`` says that a
    word went without any.
    """
    out = Expansion(tree, tree)
    excluded = _negated_stems(tree)
    found: dict[int, list[Alternative]] = {}

    def visit(node, negated: bool, build: bool):
        if isinstance(node, (AndNode, OrNode)):
            items = [x for x in (visit(i, negated, build) for i in node.items) if x is not None]
            if isinstance(node, AndNode) and not negated and not build:
                phrases(items)
            return type(node)(items) if items or node is tree else None
        if isinstance(node, NotNode):
            inner = visit(node.item, True, build)
            return NotNode(inner) if inner is not None else None
        if negated or node.phrase or node.facet is not None or is_wildcard(node):
            return node
        forms = analyze(node.text, stemmed=False)
        if forms and all(expander.is_stop(f, index) for f in forms):
            return None
        if len(forms) != 1:
            return node
        if not build:
            alts = [a for a in expander.alternatives(forms[0], index) if not excluded.intersection(a.stems)]
            if alts:
                found[id(node)] = alts
            return node
        alts = found.get(id(node), [])
        return AltNode(node, alts) if alts else node

    def phrases(items: list) -> None:
        """Each run of plain one-word items (stop words already dropped), looked up longest first."""
        run: list[tuple[TermNode, str]] = []
        for item in [*items, None]:
            forms = _plain_forms(item)
            if forms == []:
                continue  # a stop word (`pesawat tanpa awak`) neither joins nor breaks the run
            if forms is not None and len(forms) == 1:
                run.append((item, forms[0]))
                continue
            for i in range(len(run)):
                for n in range(min(MAX_PHRASE, len(run) - i), 1, -1):
                    part = run[i : i + n]
                    alts = [
                        a
                        for a in expander.phrase_alternatives([f for _, f in part], index)
                        if not excluded.intersection(a.stems)
                    ]
                    if alts:
                        for node, _ in part:
                            found[id(node)] = _merge(found.get(id(node), []), alts)
                        break
            run = []

    visit(tree, False, False)
    dealt = _deal(list(found.values()), MAX_PER_QUERY)
    out.truncated = any(not d for d in dealt)
    for key, alts in zip(list(found), dealt):
        found[key] = alts
    out.alternatives = [a for alts in dealt for a in alts]
    out.tree = visit(tree, False, True)
    out.own = own_words(out.tree)
    return out


def _plain_forms(node) -> list[str] | None:
    """The unstemmed words of a plain word node (no phrase, field or wildcard), else None."""
    if not isinstance(node, TermNode) or node.phrase or node.facet is not None or node.field is not None or is_wildcard(node):
        return None
    return analyze(node.text, stemmed=False)


def _merge(own: list[Alternative], more: list[Alternative]) -> list[Alternative]:
    """Both lists' alternatives, one per stems (the heavier), best first, at most ``MAX_PER_WORD``."""
    best: dict[tuple[str, ...], Alternative] = {}
    for a in [*own, *more]:
        if a.weight > best.get(a.stems, Alternative((), 0.0, "")).weight:
            best[a.stems] = a
    return sorted(best.values(), key=lambda a: -a.weight)[:MAX_PER_WORD]


def _deal(lists: list[list[Alternative]], room: int) -> list[list[Alternative]]:
    """Each list's first items, a round at a time, until ``room`` are taken (the lists' order breaks ties)."""
    dealt: list[list[Alternative]] = [[] for _ in lists]
    for depth in range(max(map(len, lists), default=0)):
        for i, alts in enumerate(lists):
            if depth < len(alts) and room > 0:
                dealt[i].append(alts[depth])
                room -= 1
    return dealt


def _negated_stems(tree: AndNode) -> set[str]:
    return {
        stem(f)
        for node, negated in leaves(tree)
        if negated and node.facet is None and not is_wildcard(node)
        for f in analyze(node.text, stemmed=False)
    }


def own_words(node):
    """The tree with every ``AltNode`` replaced by the word typed."""
    if isinstance(node, AltNode):
        return node.own
    if isinstance(node, (AndNode, OrNode)):
        return type(node)([own_words(i) for i in node.items])
    if isinstance(node, NotNode):
        return NotNode(own_words(node.item))
    return node
