"""Telusur's query tree (``search.query.parse``) as Typesense parameters.

Typesense's ``q`` ANDs its words over ``title_stems,body_stems`` (with typos,
prefixes and token dropping turned off), understands ``"phrases"`` and
``-word`` / ``-"phrase"``, but has no OR. So:

* top-level words and phrases go into ``q`` as stems (the same analyzer as
  the index), exclusions as ``-stem``;
* everything ``q`` cannot say becomes a ``filter_by`` clause ANDed to it:
  ``title:`` (the title's tokens), ``entity:``/``location:``/... (the facet
  values the text resolves to, ``<field>_key:=[...]``), wildcards (the
  vocabulary's expansions), and ``OR`` groups, whose alternatives are token
  filters (``title_stems:[a] || body_stems:[a]``): the set is right, the
  ranking comes from the rest of ``q`` and Telusur's re-ranking;
* a filter cannot match a phrase's word order, so a phrase inside ``OR`` or
  ``title:`` matches its words in any order (the one gap here); a negated
  group that is not plain words is dropped and the notice says ``plain``.

The result also carries what highlighting (stems, forms), did-you-mean
(words) and the partial fallback (one filter per top-level clause) need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from indexer.analysis import stem, tokens
from indexer.typesense.schema import KEY_SUFFIX, STEMS_SUFFIX, facet_key, quoted
from search.facet_spec import BY_NAME
from search.query import (
    MAX_EXPANSION,
    TITLE as TITLE_PREFIX,
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

TITLE = "title" + STEMS_SUFFIX
BODY = "body" + STEMS_SUFFIX
QUERY_BY = f"{TITLE},{BODY}"
NOTHING = "dated:=-1"  # matches no document (``dated`` is 0 or 1)


class Vocabulary(Protocol):
    def expand(self, pattern: str) -> list[str]:
        """Indexed stems matching a wildcard pattern (bounded)."""

    def resolve_facet(self, facet: str, text: str) -> list[str]:
        """Facet values equal to ``text`` or containing it as whole words, any case."""


@dataclass
class Translated:
    q_words: list[str] = field(default_factory=list)  # stems and "quoted phrases", ANDed
    excluded: list[str] = field(default_factory=list)  # -stem / -"phrase"
    filters: list[str] = field(default_factory=list)  # ANDed filter_by clauses
    clauses: list[str] = field(default_factory=list)  # one filter per top-level positive item
    stems: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)
    plain: bool = False

    @property
    def q(self) -> str:
        parts = self.q_words + ["-" + e for e in self.excluded]
        if not self.q_words:
            parts.insert(0, "*")
        return " ".join(parts)

    @property
    def is_empty(self) -> bool:
        return not self.q_words and not self.excluded and not self.filters

    def partial_filter(self) -> str:
        """Documents matching any top-level clause: the set the partial fallback ranks."""
        return "(" + " || ".join(self.clauses) + ")"


def key_filter(field_name: str, values: list[str], negate: bool = False) -> str:
    """``<field>_key:=[...]``: exact facet values, through their case-proof keys."""
    op = ":!=" if negate else ":="
    return f"{field_name}{KEY_SUFFIX}{op}[" + ",".join(quoted(facet_key(v)) for v in values) + "]"


def _token_filter(stems: list[str], fields: tuple[str, ...]) -> str:
    """Every stem in one of ``fields`` (a filter matches tokens, in any order)."""
    parts = []
    for s in dict.fromkeys(stems):
        alts = [f"{f}:[{quoted(s)}]" for f in fields]
        parts.append(alts[0] if len(alts) == 1 else "(" + " || ".join(alts) + ")")
    return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"


def translate(text: str, vocab: Vocabulary) -> Translated:
    """Parse and translate a user query; never raises."""
    tree, plain = parse(text)
    terms = query_terms(tree)
    out = Translated(stems=set(terms.stems), forms=set(terms.forms), words=list(terms.words), plain=plain or terms.plain)
    _Translator(vocab, out).top(tree.items)
    return out


class _Translator:
    def __init__(self, vocab: Vocabulary, out: Translated):
        self.vocab = vocab
        self.out = out

    def top(self, items: list) -> None:
        for item in items:
            if isinstance(item, AndNode):  # parentheses at the top level: the same conjunction
                self.top(item.items)
            elif isinstance(item, NotNode):
                self.exclude(item.item)
            elif isinstance(item, TermNode) and item.facet is None and not is_wildcard(item):
                self.top_term(item)
            else:
                expr = self.expr(item)
                if expr is not None:
                    self.out.filters.append(expr)
                    self.out.clauses.append(expr)

    def top_term(self, node: TermNode) -> None:
        stems = _stems(node)
        if not stems:
            return
        if node.phrase and len(stems) > 1:
            self.out.q_words.append('"' + " ".join(stems) + '"')
        else:
            self.out.q_words.extend(stems)
        if node.field == TITLE_PREFIX:
            self.out.filters.append(_token_filter(stems, (TITLE,)))
        self.out.clauses.append(_token_filter(stems, (TITLE,) if node.field == TITLE_PREFIX else (TITLE, BODY)))

    def exclude(self, node) -> None:
        """``-x``: words and phrases through ``q``; facet values through a ``!=`` filter."""
        if isinstance(node, TermNode) and node.facet is not None:
            values = self.vocab.resolve_facet(node.facet, node.text)
            if values:
                self.out.filters.append(key_filter(BY_NAME[node.facet].field, values, negate=True))
            return
        if isinstance(node, OrNode):  # -(a OR b) = -a -b
            for item in node.items:
                self.exclude(item)
            return
        if isinstance(node, TermNode) and node.field is None and not is_wildcard(node):
            stems = [stem(t) for t in tokens(node.text)]
            if len(stems) == 1:
                self.out.excluded.append(stems[0])
            elif stems:
                self.out.excluded.append('"' + " ".join(stems) + '"')
            return
        self.out.plain = True  # a negated group or field q cannot express: dropped

    def expr(self, node) -> str | None:
        """A positive node as one filter expression (None: nothing to match, e.g. only stop words)."""
        if isinstance(node, TermNode):
            return self.term_expr(node)
        if isinstance(node, AndNode):
            parts = []
            for item in node.items:
                if isinstance(item, NotNode):
                    self.out.plain = True  # a negation inside a group: dropped
                    continue
                e = self.expr(item)
                if e is not None:
                    parts.append(e)
            return None if not parts else parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"
        if isinstance(node, OrNode):
            parts = []
            for item in node.items:
                if isinstance(item, NotNode):
                    self.out.plain = True
                    continue
                e = self.expr(item)
                if e is not None:
                    parts.append(e)
            return None if not parts else parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"
        self.out.plain = True
        return None

    def term_expr(self, node: TermNode) -> str | None:
        if node.facet is not None:
            values = self.vocab.resolve_facet(node.facet, node.text)
            return key_filter(BY_NAME[node.facet].field, values) if values else NOTHING
        fields = (TITLE,) if node.field == TITLE_PREFIX else (TITLE, BODY)
        if is_wildcard(node):
            if wildcard_prefix(node.text) is None:  # too short to expand safely: the literal word
                return self.term_expr(literal(node))
            return self.wildcard(node, fields)
        stems = _stems(node)
        return _token_filter(stems, fields) if stems else None

    def wildcard(self, node: TermNode, fields: tuple[str, ...]) -> str | None:
        terms = self.vocab.expand(node.text.lower())[:MAX_EXPANSION]
        if not terms:
            return NOTHING
        self.out.forms.update(terms)
        self.out.stems.update(terms)
        alts = [f"{f}:[" + ",".join(quoted(t) for t in terms) + "]" for f in fields]
        return alts[0] if len(alts) == 1 else "(" + " || ".join(alts) + ")"


def _stems(node: TermNode) -> list[str]:
    return [stem(f) for f in tokens(node.text)]
