"""The query language, backend-neutral: a small parser of our own instead of Whoosh's QueryParser.

Whoosh's default parser also understands fuzzy ``~``, ranges, boosts ``^``,
``field:`` on any field and unbounded wildcards; each is a way to make one
request expensive or surprising. This grammar is deliberately small::

    query  := item*                 words are ANDed (a news reader expects all words)
    item   := unary ("OR" unary)*
    unary  := ("-" | "NOT") unary | atom
    atom   := "(" query ")" | word | "phrase" | field ":" (word | "phrase")

Fields: ``title:`` (title only), and the facets' query prefixes
(``search.facet_spec``: ``entity:``, ``location:``, ``source:``,
``category:``), whose value a backend resolves against the facet's values
case-insensitively (``entity:putin`` -> ``Vladimir Putin``). Any other ``x:y``
is plain text. A query that does not parse is searched as plain words, with
``notice="plain"``; nothing here raises to the caller.

The syntax tree names no backend field: ``TermNode.field`` is None (any text),
``"title"``, or a facet's name. Each backend compiles the tree its own way
(``search.backends.whoosh.compile``); ``query_terms`` gives every backend the
same analysed words for highlighting and the did-you-mean. ``*``/``?`` expand
only after a prefix of ``MIN_WILDCARD_PREFIX`` letters (``wildcard_prefix``)
and to at most ``MAX_EXPANSION`` terms; a shorter one is searched as the
literal word and makes the query "plain".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from indexer.analysis import analyze, stem
from search.facet_spec import QUERY_PREFIXES

TITLE = "title"
FIELD_PREFIXES = (TITLE, *QUERY_PREFIXES)
MIN_WILDCARD_PREFIX = 3
MAX_EXPANSION = 64
_KEYWORDS = ("OR", "AND", "NOT")
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)", re.S)
WILDCARD_RE = re.compile(r"[*?]")


class ParseError(ValueError):
    pass


# --- syntax tree ----------------------------------------------------------------


@dataclass
class TermNode:
    text: str
    field: str | None = None  # None: any text; "title"; or a facet's name (``search.facet_spec``)
    phrase: bool = False

    @property
    def facet(self) -> str | None:
        return self.field if self.field not in (None, TITLE) else None


@dataclass
class AltNode:
    """A query word ORed with other words it may mean (``search.expand.expand_tree``).

    ``alternatives`` are ``search.expand.Alternative``: stems, all required,
    scored at their weight (below 1); a backend ranks an article holding the
    query's own words above one reached only through alternatives.
    """

    own: TermNode
    alternatives: list


@dataclass
class AndNode:
    items: list


@dataclass
class OrNode:
    items: list


@dataclass
class NotNode:
    item: object


# --- lexer / parser ------------------------------------------------------------


def _lex(text: str) -> list[tuple]:
    """Tokens: ("(",) (")",) ("OR",) ("AND",) ("NOT",) ("TERM", TermNode)."""
    out: list[tuple] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append((c,))
            i += 1
        elif c == "-":
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                raise ParseError("a lone '-'")
            out.append(("NOT",))
            i += 1
        elif c == '"':
            phrase, i = _read_phrase(text, i)
            out.append(("TERM", TermNode(phrase, phrase=True)))
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            i = j
            m = _FIELD_RE.fullmatch(word)
            if word in _KEYWORDS:
                out.append((word,))
            elif m and m.group(1).lower() in FIELD_PREFIXES:
                prefix, value = m.group(1).lower(), m.group(2)
                fname = QUERY_PREFIXES[prefix].name if prefix in QUERY_PREFIXES else prefix
                if value:
                    out.append(("TERM", TermNode(value, fname)))
                elif i < n and text[i] == '"':
                    phrase, i = _read_phrase(text, i)
                    out.append(("TERM", TermNode(phrase, fname, phrase=True)))
                else:
                    raise ParseError(f"'{fname}:' with nothing after it")
            else:
                out.append(("TERM", TermNode(word)))
    return out


def _read_phrase(text: str, i: int) -> tuple[str, int]:
    j = text.find('"', i + 1)
    if j < 0:
        raise ParseError("an unbalanced quote")
    return text[i + 1 : j], j + 1


# Deeper nesting than a person writes is read as plain words, not recursed into.
MAX_NESTING = 16


class _Parser:
    def __init__(self, tokens: list[tuple]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> str:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else "EOF"

    def take(self) -> tuple:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> AndNode:
        items = self.sequence()
        if self.peek() != "EOF":
            raise ParseError("an unbalanced ')'")
        return AndNode(items)

    def sequence(self) -> list:
        items: list = []
        while self.peek() not in (")", "EOF"):
            if self.peek() == "AND":
                self.take()
                if not items or self.peek() in (")", "EOF", "OR", "AND"):
                    raise ParseError("a dangling AND")
                continue
            items.append(self.alternatives())
        return items

    def alternatives(self):
        items = [self.unary()]
        while self.peek() == "OR":
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else OrNode(items)

    def unary(self):
        kind = self.peek()
        if kind in ("NOT", "(") and self.depth >= MAX_NESTING:
            raise ParseError("nesting deeper than %d levels" % MAX_NESTING)
        if kind == "NOT":
            self.take()
            self.depth += 1
            node = NotNode(self.unary())
            self.depth -= 1
            return node
        if kind == "(":
            self.take()
            self.depth += 1
            items = self.sequence()
            self.depth -= 1
            if self.peek() != ")":
                raise ParseError("an unbalanced '('")
            self.take()
            if not items:
                raise ParseError("empty parentheses")
            return AndNode(items)
        if kind == "TERM":
            return self.take()[1]
        raise ParseError(f"a dangling {kind}" if kind != "EOF" else "an operator with nothing after it")


def parse(text: str) -> tuple[AndNode, bool]:
    """The syntax tree, and whether the text had to be read as plain words."""
    try:
        return _Parser(_lex(text)).parse(), False
    except ParseError:
        return plain_words(text), True


_PLAIN_STRIP_RE = re.compile(r"\b(?:%s):|\b(?:OR|AND|NOT)\b|[()\"]" % "|".join(FIELD_PREFIXES), re.I)


def plain_words(text: str) -> AndNode:
    """The query's words with the syntax removed: the fallback for a query that does not parse."""
    cleaned = _PLAIN_STRIP_RE.sub(" ", text)
    return AndNode([TermNode(w.lstrip("-")) for w in cleaned.split() if w.lstrip("-")])


# --- what every backend highlights and spell-checks ---------------------------------


@dataclass
class QueryTerms:
    """The analysed positive words of a query (nothing under ``-``).

    ``stems`` / ``forms`` feed highlighting (a backend adds the terms a
    wildcard expanded to), ``words`` the spelling suggestion; ``plain`` is set
    when a wildcard was too short to expand and was searched as a word.
    """

    stems: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)
    plain: bool = False


def wildcard_prefix(text: str) -> str | None:
    """A wildcard term's literal prefix when it may be expanded, else None (searched as the literal word)."""
    prefix = WILDCARD_RE.split(text.lower(), 1)[0]
    return prefix if len(prefix) >= MIN_WILDCARD_PREFIX and prefix.isalnum() else None


def literal(node: TermNode) -> TermNode:
    """A too-short wildcard as the words it spells (``ab*`` -> ``ab``)."""
    return TermNode(WILDCARD_RE.sub(" ", node.text), node.field)


def is_wildcard(node: TermNode) -> bool:
    return not node.phrase and node.facet is None and bool(WILDCARD_RE.search(node.text))


def leaves(tree, negated: bool = False) -> Iterator[tuple[object, bool]]:
    """Every leaf of the tree (a term, or an ``AltNode``), with whether a ``NOT`` stands above it."""
    if isinstance(tree, (AndNode, OrNode)):
        for item in tree.items:
            yield from leaves(item, negated)
    elif isinstance(tree, NotNode):
        yield from leaves(tree.item, True)
    else:
        yield tree, negated


def query_terms(tree: AndNode) -> QueryTerms:
    """Walk the tree once: the forms and stems to highlight, the words to spell-check."""
    out = QueryTerms()
    for node, negated in leaves(tree):
        if node.facet is not None:
            continue
        if is_wildcard(node):
            if wildcard_prefix(node.text) is not None:
                continue  # the backend adds what it expands to
            out.plain = True
            node = literal(node)
        forms = analyze(node.text, stemmed=False)
        if forms and not negated:
            out.forms.update(forms)
            out.stems.update(stem(f) for f in forms)
            if not node.phrase:
                out.words.append(node.text)
    return out
