"""Capitalised runs: the only part of a text the name finder reads word by word.

A compiled regex finds each run of capitalised words (`Presiden Rusia Vladimir
Putin`) in C; Python then looks only at those words (~15% of an article) and
at the one word either side of a run, which is where Indonesian news puts its
cues (`juru bicara Kremlin ...`, `... mengatakan`). A capital at a sentence
start says nothing about a name, so each run knows whether it opens one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAP_WORD = rf"[{_UPPER}][^\W_]*(?:[-'’][^\W_]+)*"
# Abbreviations whose dot does not end the name (`Tn. Putin`, `M. Hendra`).
_ABBR = rf"(?:Tn|Ny|Nn|Dr|Drs|Dra|Prof|Ir|Hj|KH|St|Jl|Jln|Mr|Mrs|Ms|Jr|Sr|Bpk|Sdr|[{_UPPER}])\."
_CONNECT = r"(?:bin|binti|van|von|der|den|de|da|dos|del|la|le|al|of|the|for|and)"
_SP = r"[ \t\u00a0]+"
_RUN = rf"(?<![\w'’-])(?:{_ABBR}|{_CAP_WORD})(?:(?:{_SP}{_CONNECT})?{_SP}(?:{_ABBR}|{_CAP_WORD}))*"
# The leading lookahead lets the engine skip every position that is not a capital.
RUN_RE = re.compile(rf"(?=[{_UPPER}]){_RUN}")
_NEXT_WORD_RE = re.compile(rf"{_SP}([^\W_]+)")
_SPACES = " \t\u00a0"
_NUMBER_RE = re.compile(rf"{_SP}(\d+)\b")
_CONTINUE_RE = re.compile(rf"{_SP}({_RUN})")

# Any word, for counting the corpus lexicon.
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\d*|\d+")

# Characters that end a sentence (or open a quotation, list item or heading).
SENTENCE_BREAKS = frozenset(".!?\n\"“”'‘:;•|–—([-")

# Name particles that keep their hyphen: `Al-Azhar`, `El-Sisi`.
_PARTICLES = frozenset("al el ar as at an ad ash bin abu".split())

@dataclass(slots=True)
class Token:
    text: str
    start: int
    sentence_start: bool  # first word of a sentence, paragraph or quotation


@dataclass(slots=True)
class Run:
    tokens: list[Token]
    before: str  # the word right before the run if only spaces separate them, else ""
    after: str  # the same for the word right after


def sentence_start(text: str, pos: int) -> bool:
    """Whether the word at pos opens a sentence: only spaces back to a break or the start."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in SENTENCE_BREAKS


def find_runs(
    text: str, numbered_heads: frozenset[str] = frozenset(), skip_word: frozenset[str] = frozenset()
) -> list[Run]:
    """Every run of capitalised words, split where a hyphen joins two names (`Korea Utara-Rusia`).

    A run whose words include one of ``numbered_heads`` takes the numbers that
    follow it (`SMA Negeri 24 Bandung`). A one-word run whose lowercase form is
    in ``skip_word`` (`Namun`, `Dia`: half of all runs) is dropped unbuilt.
    """
    runs: list[Run] = []
    consumed = 0  # a numbered name may have swallowed the runs that follow its number
    for m in RUN_RE.finditer(text):
        start, end = m.span()
        if start < consumed:
            continue
        word = m.group()
        if word.lower() in skip_word:
            continue
        tokens = _run_tokens(text, word, start)
        after = _NEXT_WORD_RE.match(text, end)
        after = after.group(1) if after else None
        num = _NUMBER_RE.match(text, end) if numbered_heads else None
        if num is not None and not numbered_heads.isdisjoint(t.text.lower() for t in tokens):
            while num is not None:
                tokens.append(Token(num.group(1), num.start(1), False))
                end, after = num.end(), None
                more = _CONTINUE_RE.match(text, end)
                if more is None:
                    break
                tokens += _run_tokens(text, more.group(1), more.start(1))
                end = more.end()
                num = _NUMBER_RE.match(text, end)
        consumed = end
        before = _word_before(text, start)
        after = (after or "").lower()
        parts = _split_at_compounds(tokens) if "-" in word else [tokens]
        for i, part in enumerate(parts):
            runs.append(Run(part, before if i == 0 else "", after if i == len(parts) - 1 else ""))
    return runs


def _word_before(text: str, start: int) -> str:
    """The lowercase word right before ``start`` if only spaces separate them, else ""."""
    i = start - 1
    while i >= 0 and text[i] in _SPACES:
        i -= 1
    if i == start - 1:
        return ""
    j = i
    while j >= 0 and text[j].isalnum():
        j -= 1
    word = text[j + 1:i + 1]
    return word if word[:1].islower() else ""


def _run_tokens(text: str, run: str, start: int) -> list[Token]:
    out = []
    pos = start
    for raw in run.split():
        pos = text.index(raw, pos)
        word = raw.rstrip(".")
        if word.endswith(("'s", "’s")):  # `Editor’s`: English possessive
            word = word[:-2]
        if word:
            out.append(Token(word, pos, False))
        pos += len(raw)
    if out:
        out[0].sentence_start = sentence_start(text, start)
    return out


def _split_at_compounds(tokens: list[Token]) -> list[list[Token]]:
    """`Korea Utara-Rusia`, `Putin-Kim`: two names, so the run breaks between them."""
    if not any("-" in t.text for t in tokens):
        return [tokens]
    parts: list[list[Token]] = [[]]
    for tok in tokens:
        pieces = _compound_parts(tok.text)
        if pieces is None:
            parts[-1].append(tok)
            continue
        offset = tok.start
        for i, piece in enumerate(pieces):
            if i:
                parts.append([])
            parts[-1].append(Token(piece, offset, tok.sentence_start and i == 0))
            offset += len(piece) + 1
    return [p for p in parts if p]


def _compound_parts(word: str) -> list[str] | None:
    """Parts of a hyphenated word whose later part is capitalised, else None."""
    if "-" not in word:
        return None
    parts = word.split("-")
    if len({p.lower() for p in parts}) == 1:  # reduplication: `Bangsa-Bangsa`
        return None
    if parts[0].lower() in _PARTICLES or len(parts[0]) == 1 or len(parts[-1]) == 1:
        return None  # `Al-Azhar`, `K-Pop`, `PDI-P`
    if any(p[:1].isupper() for p in parts[1:]):
        return parts
    return None
