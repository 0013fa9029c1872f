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
  group that is not plain words is dropped and the notice says ``plain``;
* the request is bounded (``MAX_CLAUSES``, ``MAX_PHRASE_WORDS``,
  ``MAX_FILTER_TOKENS``, ``MAX_WILDCARD_TERMS``): the clauses past the
  bound, a phrase's words past it, an ``OR`` group's alternatives past it and
  the wildcard expansions past it are left out, and ``truncated`` says so.

With an ``Expander`` (``search.expand``) the query is translated twice: its
own words (the ``Translated`` itself) and, when some word has alternatives,
the expanded tree (``expanded``), where each expanded word is a filter
clause ``(own || alternative || ...)`` (an alternative of several words is
their AND) instead of a ``q`` word. The engine counts and pages the expanded
set and ranks the own words' matches first.

The result also carries what highlighting (stems, forms), did-you-mean
(words) and the partial fallback (one filter per top-level clause) need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from indexer.analysis import stem, tokens
from indexer.typesense.schema import KEY_SUFFIX, STEMS_SUFFIX, facet_key, quoted
from search.expand import Alternative, Expander, Expansion, IndexStats, expand_tree
from search.facet_spec import BY_NAME
from search.query import (
    MAX_EXPANSION,
    TITLE as TITLE_PREFIX,
    AltNode,
    AndNode,
    NotNode,
    OrNode,
    TermNode,
    is_wildcard,
    leaves,
    literal,
    parse,
    query_terms,
    wildcard_prefix,
)

TITLE = "title" + STEMS_SUFFIX
BODY = "body" + STEMS_SUFFIX
QUERY_BY = f"{TITLE},{BODY}"
NOTHING = "dated:=-1"  # matches no document (``dated`` is 0 or 1)
# What one request may ask, whatever its text: at most MAX_CLAUSES top-level words, phrases and
# groups (Whoosh's compiler has the same 12), and a filter_by of at most MAX_FILTER_TOKENS tokens
# (operands, operators, parentheses): Typesense 0.24 refuses one of more than ~100 (measured: 97
# accepted, 111 refused), and the facets' filters need the rest. What is cut makes the query
# ``truncated``.
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 6  # a longer phrase is searched as its first words (Whoosh: as its words)
MAX_FILTER_TOKENS = 72
# The words all of a request's wildcards may expand to: Typesense evaluates a token list per search
# (several per request), ~40 ms of server CPU for 9 wildcards of 64 common words each.
MAX_WILDCARD_TERMS = 128
_FILTER_TOKEN = re.compile(r"\w+:|&&|\|\||[()]")


@lru_cache(maxsize=256)  # a request's clauses and filters (at most a few dozen), asked again and again
def _filter_tokens(expr: str) -> int:
    """Filter tokens in ``expr``: operands, operators, parentheses."""
    return len(_FILTER_TOKEN.findall(expr))


class Vocabulary(IndexStats, Protocol):
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
    # With an expander: the expanded query (None when no word has alternatives), each expanded
    # word's alternatives (by its stem), and whether the expansion was cut (``search.expand``).
    expanded: "Translated | None" = None
    alternatives: dict[str, list[Alternative]] = field(default_factory=dict)
    truncated: bool = False

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


def translate(text: str, vocab: Vocabulary, expander: Expander | None = None) -> Translated:
    """Parse and translate a user query, with its expansion when an ``expander`` is given; never raises."""
    tree, plain = parse(text)
    expansion = expand_tree(tree, expander, vocab) if expander is not None else None
    own_tree = expansion.own if expansion is not None else tree
    terms = query_terms(own_tree)
    out = Translated(stems=set(terms.stems), forms=set(terms.forms), words=list(terms.words), plain=plain or terms.plain)
    own = _Translator(vocab, out)
    own.top(own_tree.items)
    out.truncated = bool(own.cuts) or (expansion is not None and expansion.truncated)
    while expansion is not None and expansion.alternatives:
        wide = Translated(stems=set(out.stems), forms=set(terms.forms), words=out.words, plain=out.plain)
        translator = _Translator(vocab, wide)
        translator.top(expansion.tree.items)
        if translator.cuts > own.cuts:  # the alternatives would push a clause out: fewer of them
            _drop_one(expansion)
            out.truncated = True
            continue
        wide.stems.update(s for a in expansion.alternatives for s in a.stems)
        out.expanded = wide
        out.alternatives = {
            _stems(node.own)[0]: node.alternatives for node, _ in leaves(expansion.tree) if isinstance(node, AltNode)
        }
        break
    return out


def _drop_one(expansion: Expansion) -> None:
    """Drop the lightest alternative of the word that has the most (each word keeps its best longest)."""
    nodes = [node for node, _ in leaves(expansion.tree) if isinstance(node, AltNode) and node.alternatives]
    node = max(nodes, key=lambda n: len(n.alternatives))  # the first such word on ties
    gone = node.alternatives.pop()
    expansion.alternatives = [a for a in expansion.alternatives if a is not gone]


class _Translator:
    def __init__(self, vocab: Vocabulary, out: Translated):
        self.vocab = vocab
        self.out = out
        self.cuts = 0  # clauses and OR alternatives left out by the bounds
        self.wildcard_terms = 0  # words the wildcards expanded to so far

    def tokens(self) -> int:
        """The filter tokens of the larger of what the request sends: the filters ANDed (``&&``
        between them), or the clauses ORed (``partial_filter``: ``||`` between, in parentheses).
        Counted per part, each part once (asked after every top-level item, a whole join's count
        was quadratic in the query's length: ~50 ms of a 1,000-character query)."""
        out = self.out
        anded = sum(map(_filter_tokens, out.filters)) + max(len(out.filters) - 1, 0)
        ored = sum(map(_filter_tokens, out.clauses)) + 2 + max(len(out.clauses) - 1, 0)
        return max(anded, ored)

    def top(self, items: list) -> None:
        out = self.out
        for item in items:
            if isinstance(item, AndNode):  # parentheses at the top level: the same conjunction
                self.top(item.items)
                continue
            if not isinstance(item, NotNode) and len(out.clauses) >= MAX_CLAUSES:
                self.cuts += 1
                continue
            saved = [(part, len(part)) for part in (out.q_words, out.excluded, out.filters, out.clauses)]
            self.item(item)
            if self.tokens() > MAX_FILTER_TOKENS:
                for part, n in saved:
                    del part[n:]
                self.cuts += 1

    def item(self, item) -> None:
        """One top-level item: a ``q`` word or phrase, an exclusion, or a filter clause."""
        if isinstance(item, NotNode):
            self.exclude(item.item)
        elif isinstance(item, TermNode) and item.facet is None and not is_wildcard(item):
            self.top_term(item)
        else:
            expr = self.alt_expr(item) if isinstance(item, AltNode) else self.expr(item)
            if expr is not None:
                self.out.filters.append(expr)
                self.out.clauses.append(expr)

    def stems(self, node: TermNode) -> list[str]:
        """The node's stems, at most ``MAX_PHRASE_WORDS``."""
        stems = _stems(node)
        if len(stems) > MAX_PHRASE_WORDS:
            self.cuts += 1
        return stems[:MAX_PHRASE_WORDS]

    def top_term(self, node: TermNode) -> None:
        stems = self.stems(node)
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
        if isinstance(node, AltNode):
            return self.alt_expr(node)
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
            parts: list[str] = []
            counted = 0  # the filter tokens of ``parts``
            for item in node.items:
                if isinstance(item, NotNode):
                    self.out.plain = True
                    continue
                e = self.expr(item)
                if e is None:
                    continue
                n = _filter_tokens(e)
                if parts and self.tokens() + counted + n + len(parts) + 3 > MAX_FILTER_TOKENS:  # (``||`` between)
                    self.cuts += 1  # the group's first alternatives only: the bound
                    break
                parts.append(e)
                counted += n
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
        stems = self.stems(node)
        return _token_filter(stems, fields) if stems else None

    def alt_expr(self, node: AltNode) -> str:
        """A word or any of its alternatives (each all its stems), in the word's fields: one token
        list for the word and its one-word alternatives, an AND per longer alternative."""
        fields = (TITLE,) if node.own.field == TITLE_PREFIX else (TITLE, BODY)
        single = list(dict.fromkeys([*_stems(node.own), *(a.stems[0] for a in node.alternatives if len(a.stems) == 1)]))
        one = [f"{f}:[" + ",".join(quoted(t) for t in single) + "]" for f in fields]
        parts = [one[0] if len(one) == 1 else "(" + " || ".join(one) + ")"]
        parts += [_token_filter(list(a.stems), fields) for a in node.alternatives if len(a.stems) > 1]
        return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"

    def wildcard(self, node: TermNode, fields: tuple[str, ...]) -> str | None:
        terms = self.vocab.expand(node.text.lower())[:MAX_EXPANSION]
        room = MAX_WILDCARD_TERMS - self.wildcard_terms
        if len(terms) > room:
            self.cuts += 1
            terms = terms[: max(room, 1)]  # (one word at least: the clause keeps its meaning's start)
        self.wildcard_terms += len(terms)
        if not terms:
            return NOTHING
        self.out.forms.update(terms)
        self.out.stems.update(terms)
        alts = [f"{f}:[" + ",".join(quoted(t) for t in terms) + "]" for f in fields]
        return alts[0] if len(alts) == 1 else "(" + " || ".join(alts) + ")"


def _stems(node: TermNode) -> list[str]:
    return list(_text_stems(node.text))


@lru_cache(maxsize=4096)  # a long query's words, translated again for each expansion tried
def _text_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(f) for f in tokens(text))
