"""Tokens and capitalised runs: the one pass over the text everything else reads.

A single compiled regex walks the text once (C speed); Python then only looks
at capitalised words, which are a fraction of an article. Sentence starts are
tracked because a capital there says nothing about a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word: letters (any script), optionally joined by hyphens or apostrophes
# (`Kim Jong-un`, `O'Neill`), or a number. Everything else is a gap.
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+")

# Abbreviations whose trailing dot does not end a sentence (`Tn. Putin`).
ABBREVIATIONS = frozenset(
    "tn ny nn dr drs dra ir prof h hj kh st sdr bpk ibu jl jln no kec kab kel ds gg "
    "mr mrs ms jr sr vs".split()
)


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool  # first word of a sentence, paragraph or quotation
    joined: bool  # only spaces (or an abbreviation dot) separate it from the previous word

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str) -> list[Token]:
    """All word tokens with the facts the name finder needs about their left gap."""
    out: list[Token] = []
    prev_end = 0
    prev_text = ""
    for m in WORD_RE.finditer(text):
        start = m.start()
        gap = text[prev_end:start]
        if not out:
            sentence_start, joined = True, False
        else:
            stripped = gap.replace("\xa0", " ").strip(" \t")
            abbrev_dot = stripped == "." and (
                prev_text.lower() in ABBREVIATIONS or (len(prev_text) == 1 and prev_text.isupper())
            )
            joined = stripped == "" or abbrev_dot
            sentence_start = (not joined) and _ends_sentence(gap)
        word = m.group()
        if word.endswith(("'s", "’s")):  # `Editor’s`: English possessive
            word = word[:-2]
        parts = _split_compound(word)
        if parts is None:
            out.append(Token(word, start, m.end(), sentence_start, joined))
        else:
            # `Korea Utara-Rusia`, `Putin-Kim`: two names, so the run breaks between them.
            pos = start
            for i, part in enumerate(parts):
                out.append(Token(part, pos, pos + len(part), sentence_start and i == 0, joined and i == 0))
                pos += len(part) + 1
        prev_end = m.end()
        prev_text = word
    return out


# Name particles that keep their hyphen: `Al-Azhar`, `El-Sisi`.
_PARTICLES = frozenset("al el ar as at an ad ash ad-din bin abu".split())


def _split_compound(word: str) -> list[str] | None:
    """Parts of a hyphenated word whose later part is capitalised, else None."""
    if "-" not in word:
        return None
    parts = word.split("-")
    if len(set(p.lower() for p in parts)) == 1:  # reduplication: `Bangsa-Bangsa`
        return None
    if parts[0].lower() in _PARTICLES:
        return None
    if any(p[:1].isupper() for p in parts[1:]):
        return parts
    return None


def _ends_sentence(gap: str) -> bool:
    """A gap with a full stop, question/exclamation mark, newline, bullet or opening quote."""
    for ch in gap:
        if ch in ".!?\n\"“”'‘:;•|–—([-":
            return True
    return False
