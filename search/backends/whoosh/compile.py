"""The query syntax tree (``search.query``) -> numpy scoring nodes (``scoring``) over Whoosh's fields.

Words go through the index's own analyzer: the stem is searched in
``title``/``body`` and, for an affixed form, the form in
``title_exact``/``body_exact`` (which hold affixed forms only), so an exact
form outranks a stem-only match. Wildcards expand over both lexicons; a facet
prefix (``entity:putin``) is resolved against the facet's values.

What one request may cost is bounded here, whatever its text: at most
``MAX_TERMS`` words, phrases and field terms are searched (a thousand-word
query is searched by its first ones), at most ``MAX_PHRASES`` phrases of at
most ``MAX_PHRASE_WORDS`` words need positions (further phrases are searched
as their words), and all the query's wildcards together expand to at most
``MAX_EXPANSION`` terms (and at most ``MAX_WILDCARDS`` of them expand; the
others are searched as their literal words). Whatever is cut makes the query
``truncated``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

from indexer.analysis import analyze, stem
from indexer.fields import EXACT_SUFFIX, TEXT_FIELDS
from search.backends.whoosh import scoring as sc
from search.expand import Alternative, Expander, IndexStats, expand_tree
from search.query import (
    MAX_EXPANSION,
    TITLE,
    AltNode,
    AndNode,
    NotNode,
    OrNode,
    TermNode,
    is_wildcard,
    literal,
    parse,
    query_terms,
    wildcard_prefix,
)


MAX_TERMS = 12
MAX_PHRASES = 1
MAX_PHRASE_WORDS = 6
MAX_WILDCARDS = 4


class Lexicon(IndexStats, Protocol):
    """What the compiler needs from the open index."""

    def expand(self, pattern: str, limit: int) -> list[tuple[str, str]]:
        """(field, term) of at most ``limit`` indexed stems and affixed forms matching a wildcard pattern."""

    def resolve_facet(self, facet: str, text: str) -> list[str]:
        """Facet values equal to ``text`` or containing it as whole words, any case."""


@dataclass
class CompiledQuery:
    """A parsed query ready for evaluation (``scoring`` nodes).

    ``clauses`` are the top-level positive items (the "words" a partial match
    counts), each with its words' alternatives ORed in at a lower weight;
    ``own`` the same clauses with the query's own words only (the same list
    when nothing was expanded), which rank first. ``exclude`` is what ``-``
    removed. ``stems`` / ``forms`` feed highlighting (with the wildcards' and
    alternatives' terms), ``words`` the spelling suggestion; ``alternatives``
    is what the expansion added, ``truncated`` that it stopped early.
    """

    clauses: list
    exclude: object | None
    own: list = field(default_factory=list)
    stems: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    plain: bool = False
    truncated: bool = False

    @property
    def expanded(self) -> bool:
        return self.own is not self.clauses

    @property
    def is_empty(self) -> bool:
        return not self.clauses and self.exclude is None


def compile_query(text: str, lexicon: Lexicon, expander: Expander | None = None) -> CompiledQuery:
    """Parse and compile a user query; never raises.

    With an ``expander`` the query's own words and the expanded tree are
    compiled side by side (``own`` and ``clauses``).
    """
    tree, plain = parse(text)
    expansion = expand_tree(tree, expander, lexicon) if expander is not None else None
    own_tree = expansion.own if expansion is not None else tree
    terms = query_terms(own_tree)
    compiler = _Compiler(lexicon)
    own, excludes = compiler.split(own_tree.items)
    truncated = compiler.truncated or (expansion is not None and expansion.truncated)
    compiled = CompiledQuery(
        clauses=own,
        exclude=_any(excludes),
        own=own,
        stems=terms.stems,
        forms=terms.forms | compiler.expanded,
        words=terms.words,
        plain=plain or terms.plain,
        truncated=truncated,
    )
    if expansion is not None and expansion.alternatives:
        compiled.clauses, _ = _Compiler(lexicon).split(expansion.tree.items)
        compiled.alternatives = expansion.alternatives
        compiled.stems = terms.stems | {s for a in expansion.alternatives for s in a.stems}
    return compiled


def _any(nodes: Sequence) -> object | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else sc.AnyOf(list(nodes))


def _all(nodes: Sequence) -> object:
    if not nodes:
        return sc.Everything()
    return nodes[0] if len(nodes) == 1 else sc.AllOf(list(nodes))


class _Compiler:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.expanded: set[str] = set()  # wildcard expansions outside negations (highlighted)
        self.negated = 0
        self.terms = 0  # words, phrases and field terms compiled (``MAX_TERMS``)
        self.phrases = 0
        self.wildcards = 0
        self.wildcard_terms = 0
        self.truncated = False

    def split(self, items: list) -> tuple[list, list]:
        positive, negative = [], []
        for item in items:
            if isinstance(item, NotNode):
                self.negated += 1
                q = self.node(item.item)
                self.negated -= 1
                if q is not None:
                    negative.append(q)
            else:
                q = self.node(item)
                if q is not None:
                    positive.append(q)
        return positive, negative

    def node(self, node):
        if isinstance(node, TermNode):
            return self.term(node)
        if isinstance(node, AltNode):
            return self.alternatives(node)
        if isinstance(node, AndNode):
            positive, negative = self.split(node.items)
            if not positive and not negative:
                return None
            pos = _all(positive)
            return sc.Without(pos, _any(negative)) if negative else pos
        if isinstance(node, OrNode):
            return _any([q for q in (self.node(i) for i in node.items) if q is not None])
        if isinstance(node, NotNode):  # a negation inside OR
            self.negated += 1
            q = self.node(node.item)
            self.negated -= 1
            return sc.Inverse(q) if q is not None else None
        raise TypeError(node)

    def term(self, node: TermNode):
        if self.terms >= MAX_TERMS:
            self.truncated = True
            return None
        self.terms += 1
        if node.facet is not None:
            values = self.lexicon.resolve_facet(node.facet, node.text)
            return sc.FacetMatch(node.facet, values) if values else sc.Nothing()
        fields = (TITLE,) if node.field == TITLE else TEXT_FIELDS
        if is_wildcard(node):
            if wildcard_prefix(node.text) is None:
                return self.term(literal(node))  # too short to expand safely: the literal word
            if self.wildcards >= MAX_WILDCARDS:
                self.truncated = True
                return self.term(literal(node))
            self.wildcards += 1
            return self.wildcard(node.text, fields)
        forms = analyze(node.text, stemmed=False)
        if not forms:
            return None  # only stop words or punctuation
        stems = [stem(f) for f in forms]
        if node.phrase and len(stems) > 1:
            if self.phrases < MAX_PHRASES:
                self.phrases += 1
                self.truncated |= len(stems) > MAX_PHRASE_WORDS
                return sc.PhraseOf(fields, stems[:MAX_PHRASE_WORDS])
            self.truncated = True  # searched as its words
        return _all([self.word(f, s, fields) for f, s in zip(forms, stems)])

    def alternatives(self, node: AltNode):
        """The word typed, ORed with each alternative scaled to its weight."""
        own = self.term(node.own)
        if own is None:
            return None
        fields = (TITLE,) if node.own.field == TITLE else TEXT_FIELDS
        scaled = [
            sc.Scaled(_all([sc.Terms([(f, s) for f in fields]) for s in alt.stems]), alt.weight)
            for alt in node.alternatives
        ]
        return sc.AnyOf([own, *scaled])

    @staticmethod
    def word(form: str, stemmed: str, fields: Sequence[str]):
        """The stem is required; an affixed form also scores in the exact fields (roots are not indexed there)."""
        pairs = [(f, stemmed) for f in fields]
        if form != stemmed:
            pairs += [(f + EXACT_SUFFIX, form) for f in fields]
        return sc.Terms(pairs)

    def wildcard(self, text: str, fields: Sequence[str]):
        room = MAX_EXPANSION - self.wildcard_terms
        pairs = self.lexicon.expand(text.lower(), room) if room > 0 else []
        self.truncated |= room <= 0 or len(pairs) >= room
        self.wildcard_terms += len(pairs)
        wanted = set(fields) | {f + EXACT_SUFFIX for f in fields}
        pairs = [(f, t) for f, t in pairs if f in wanted]
        if not pairs:
            return sc.Nothing()
        if not self.negated:
            self.expanded.update(t for _, t in pairs)
        return sc.Terms(pairs)
