"""The query language: a small parser of our own instead of Whoosh's QueryParser.

Whoosh's default parser also understands fuzzy ``~``, ranges, boosts ``^``,
``field:`` on any field and unbounded wildcards; each is a way to make one
request expensive or surprising. This grammar is deliberately small::

    query  := item*                 words are ANDed (a news reader expects all words)
    item   := unary ("OR" unary)*
    unary  := ("-" | "NOT") unary | atom
    atom   := "(" query ")" | word | "phrase" | field ":" (word | "phrase")

Fields: ``title:`` (title only), and the facet fields ``entity:``,
``location:``, ``source:``, ``category:``, whose value is resolved against the
facet vocabulary case-insensitively (``entity:putin`` -> ``Vladimir Putin``).
Any other ``x:y`` is plain text. A query that does not parse is searched as
plain words, with ``notice="plain"``; nothing here raises to the caller.

Words go through the index's own analyzer: the stem is searched in
``title``/``body`` and, for an affixed form, the form in
``title_exact``/``body_exact`` (which hold affixed forms only), so an exact
form outranks a stem-only match. ``*``/``?`` expand over both lexicons, only after a prefix of ``MIN_WILDCARD_PREFIX`` letters and to at
most ``MAX_EXPANSION`` terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from indexer.analysis import analyze, stem
from indexer.fields import EXACT_SUFFIX
from search.backends.whoosh import scoring as sc
from search.facet_spec import QUERY_PREFIXES

FACET_PREFIXES = tuple(QUERY_PREFIXES)
FIELD_PREFIXES = ("title",) + FACET_PREFIXES
MIN_WILDCARD_PREFIX = 3
MAX_EXPANSION = 64
_KEYWORDS = ("OR", "AND", "NOT")
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)", re.S)
_WILDCARD_RE = re.compile(r"[*?]")


class Vocabulary(Protocol):
    """What the compiler needs from the open index."""

    def expand(self, pattern: str) -> list[str]:
        """Indexed terms (stems and affixed forms) matching a wildcard pattern (bounded)."""

    def resolve_facet(self, facet: str, text: str) -> list[str]:
        """Facet values equal to ``text`` or containing it as whole words, any case."""


class ParseError(ValueError):
    pass


# --- syntax tree ----------------------------------------------------------------


@dataclass
class TermNode:
    text: str
    field: str | None = None
    phrase: bool = False


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
                fname, value = m.group(1).lower(), m.group(2)
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


# --- compiled query --------------------------------------------------------------


@dataclass
class CompiledQuery:
    """A parsed query ready for evaluation (``search.scoring`` nodes).

    ``clauses`` are the top-level positive items (the "words" a partial match
    counts), ``exclude`` what ``-`` removed. ``stems`` / ``forms`` feed
    highlighting, ``words`` the spelling suggestion.
    """

    clauses: list
    exclude: object | None
    stems: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)
    plain: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.clauses and self.exclude is None


def compile_query(text: str, vocab: Vocabulary) -> CompiledQuery:
    """Parse and compile a user query; never raises."""
    tree, plain = parse(text)
    compiler = _Compiler(vocab)
    clauses, excludes = compiler.split(tree.items)
    return CompiledQuery(
        clauses=clauses,
        exclude=_any(excludes),
        stems=compiler.stems,
        forms=compiler.forms,
        words=compiler.words,
        plain=plain or compiler.plain,
    )


def _any(nodes: Sequence) -> object | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else sc.AnyOf(list(nodes))


def _all(nodes: Sequence) -> object:
    if not nodes:
        return sc.Everything()
    return nodes[0] if len(nodes) == 1 else sc.AllOf(list(nodes))


class _Compiler:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.stems: set[str] = set()
        self.forms: set[str] = set()
        self.words: list[str] = []
        self.plain = False
        self.negated = 0

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
        if node.field in FACET_PREFIXES:
            facet = QUERY_PREFIXES[node.field].name
            values = self.vocab.resolve_facet(facet, node.text)
            return sc.FacetMatch(facet, values) if values else sc.Nothing()
        fields = ("title",) if node.field == "title" else ("title", "body")
        if not node.phrase and _WILDCARD_RE.search(node.text):
            return self.wildcard(node.text, fields)
        forms = analyze(node.text, stemmed=False)
        if not forms:
            return None  # only stop words or punctuation
        stems = [stem(f) for f in forms]
        if not self.negated:
            self.forms.update(forms)
            self.stems.update(stems)
            if not node.phrase:
                self.words.append(node.text)
        if node.phrase and len(stems) > 1:
            return sc.PhraseOf(fields, stems)
        return _all([self.word(f, s, fields) for f, s in zip(forms, stems)])

    @staticmethod
    def word(form: str, stemmed: str, fields: Sequence[str]):
        """The stem is required; an affixed form also scores in the exact fields (roots are not indexed there)."""
        pairs = [(f, stemmed) for f in fields]
        if form != stemmed:
            pairs += [(f + EXACT_SUFFIX, form) for f in fields]
        return sc.Terms(pairs)

    def wildcard(self, text: str, fields: Sequence[str]):
        pattern = text.lower()
        prefix = _WILDCARD_RE.split(pattern, 1)[0]
        if len(prefix) < MIN_WILDCARD_PREFIX or not prefix.isalnum():
            # Too short to expand safely: searched as the literal word instead.
            self.plain = True
            return self.term(TermNode(_WILDCARD_RE.sub(" ", text), fields[0] if len(fields) == 1 else None))
        terms = self.vocab.expand(pattern)
        if not terms:
            return sc.Nothing()
        if not self.negated:
            self.forms.update(terms)
        return sc.Terms([(f + suffix, t) for t in terms for f in fields for suffix in ("", EXACT_SUFFIX)])
