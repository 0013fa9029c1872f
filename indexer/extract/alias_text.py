"""What one article's text teaches the corpus alias table (``corpus_aliases``): the acronym
definitions it spells out (``definitions``, checked letter by letter: ``abbreviates``) and the
fuller spellings of its lone people (``spellings``). Pure functions of one text, run by
``indexer.extract.extract`` per article; the table learns from what they return.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.extract.vocab import ORG_HEADS

# `Komisi Pemberantasan Korupsi (KPK)` and `KPK (Komisi Pemberantasan Korupsi)`.
_NAME = r"[A-Z][\w'’.-]*(?:,?\s+(?:(?:dan|&|of|the|for|de)\s+)?[A-Z][\w'’.-]*){1,9}"
_ACRONYM = r"[A-Z][A-Za-z]{1,9}"
# Both forms start with a capital and hold `(` before one: the leading lookahead lets the
# engine skip every other position, and a text without `(` + capital is not searched.
DEFINITION_RE = re.compile(rf"(?=[A-Z])(?:({_NAME})\s*\(({_ACRONYM})\)|\b({_ACRONYM})\s*\(({_NAME})\))")
_OPENS_NAME_RE = re.compile(r"\([A-Z]")
# `Komisi Hukum atau Komisi III`, `Komisi III atau Komisi Hukum`: a numbered body and its field's name
# (searched only in a text that says ` atau `, from capitals only).
NUMBERED_RE = re.compile(r"(?=[A-Z])\b([A-Z][a-z]+) (?:([A-Z][a-z]+) atau \1 ([IVX]+)|([IVX]+) atau \1 ([A-Z][a-z]+))\b")


def definitions(text: str) -> list[tuple[str, str]]:
    """(short, long) acronym definitions a text spells out, checked letter by letter, and
    numbered bodies named by their field (`Komisi Hukum atau Komisi III`: ``NUMBERED_RE``).

    Words before the defined name are dropped (`Jakarta, Kementerian Keuangan
    (Kemenkeu)`); a head the acronym leaves out names the short form with it
    (`Kementerian Pekerjaan Umum dan Perumahan Rakyat (PUPR)` defines `Kementerian PUPR`).
    """
    numbered = NUMBERED_RE.finditer(text) if " atau " in text else ()
    out = [(f"{m[1]} {m[3] or m[4]}", f"{m[1]} {m[2] or m[5]}") for m in numbered]
    if _OPENS_NAME_RE.search(text) is None:
        return out
    for m in DEFINITION_RE.finditer(text):
        long, short = (m[1], m[2]) if m[1] else (m[4], m[3])
        if sum(c.isupper() for c in short) < 2 and len(short) < 4:
            continue
        words = long.replace(",", " ").split()
        starts = range(len(words) - 1)
        hit = next((i for i in starts if abbreviates(short, " ".join(words[i:]))), None)
        if hit is not None:
            out.append((short, " ".join(words[hit:])))
            if hit and words[hit - 1].lower() in ORG_HEADS:  # `Kementerian PUPR` too
                out.append((f"{words[hit - 1]} {short}", " ".join(words[hit - 1:])))
            continue
        hit = next((i for i in starts if i + 2 < len(words) and abbreviates(short, " ".join(words[i + 1:]))), None)
        if hit is not None:
            out.append((f"{words[hit]} {short}", " ".join(words[hit:])))
    return out


# A capitalised word right before or after a lone name: `Luna` | ` Maya`, `Lucinta ` | `Luna`.
_WORD_AFTER = r"[^\S\n]+([A-Z][\w'’-]*)"
_WORD_BEFORE = r"\b([A-Z][\w'’-]*)[^\S\n]+"
# At most this many fuller spellings of a lone name are kept as evidence.
MAX_SPELLINGS = 6


def spellings(text: str, people: list[str]) -> list[tuple[str, str]]:
    """(lone name, fuller spelling) for each one-word person value the text also writes with a
    capitalised word before or after it (`Luna` / `Luna Maya` in a title-case headline, where
    `maya`, an ordinary word, kept the finders to the first name): the article's own evidence
    ``AliasTable.apply`` resolves a lone name by, when the corpus knows that fuller person."""
    out: list[tuple[str, str]] = []
    for name in people:
        if " " in name or not name[:1].isupper() or not _beside_capital(text, name):
            continue
        found: dict[str, None] = {}
        for m in _spelling_pattern(name).finditer(text):
            found[f"{m[1]} {name}" if m[1] else f"{name} {m[2]}"] = None
            if len(found) >= MAX_SPELLINGS:
                break
        out += [(name, fuller) for fuller in found]
    return out


@lru_cache(maxsize=4096)
def _spelling_pattern(name: str) -> re.Pattern[str]:
    lone = re.escape(name)
    return re.compile(rf"(?={_WORD_BEFORE}{lone}\b)|(?<![\w'’-]){lone}{_WORD_AFTER}")


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # the regex module's \w


def _run_char(c: str) -> bool:
    return _word_char(c) or c in "'’-"


def _beside_capital(text: str, name: str) -> bool:
    """Whether some occurrence of ``name`` could match ``_spelling_pattern`` (a capitalised
    word before it or after it, across horizontal whitespace): a necessary condition only,
    checked with string scans so that most names never compile their pattern (compiling one
    per name and article was ~1 CPU-ms an article)."""
    i = text.find(name)
    while i >= 0:
        after = i + len(name)
        j = after
        while j < len(text) and text[j] != "\n" and text[j].isspace():
            j += 1
        if j > after and j < len(text) and "A" <= text[j] <= "Z":
            return True
        k = i
        while k > 0 and text[k - 1] != "\n" and text[k - 1].isspace():
            k -= 1
        if k < i:  # a run of word characters, ' ’ and - ending at k, holding a capital after a non-word character
            q = k
            while q > 0 and _run_char(text[q - 1]):
                q -= 1
                if "A" <= text[q] <= "Z" and (q == 0 or not _word_char(text[q - 1])):
                    return True
        i = text.find(name, i + 1)
    return False


def abbreviates(short: str, long: str) -> bool:
    """`KPK` / `Komisi Pemberantasan Korupsi`, `Kemenkeu` / `Kementerian Keuangan`: the short
    form's letters, in order, start at the long form's first letter and touch each of the
    long form's capitalised words at its initial."""
    s = short.lower()
    words = [w for w in re.split(r"[\s-]+", long) if w]
    if len(words) < 2 or not s or s[0] != words[0][0].lower():
        return False
    caps = [w for w in words if w[:1].isupper()]
    return _covers(s, [w.lower() for w in caps], syllabic=not short.isupper()) if len(caps) >= 2 else False


# A syllabic short form takes a word after its derivational prefix: `Kemenhub` is `Kementerian
# (Per)hubungan`, `Kementan` `Kementerian (Per)tanian`, `Kemendikbud` `(Pen)didikan (Ke)budayaan`;
# or its initial and then the stem: `Bakamla` is `Badan K(e)amanan Laut`.
_DERIVATIONAL = ("per", "pen", "pem", "peng", "pe", "ke")


def _covers(s: str, words: list[str], syllabic: bool = False) -> bool:
    """Whether s splits into non-empty prefixes of the words, in order, each word used
    (a word may give only its initial; after the first, a syllabic short form may start a
    word after its derivational prefix, or take its initial and then the stem)."""
    def walk(i: int, k: int) -> bool:
        if k == len(words):
            return i == len(s)
        word = words[k]
        stems = [word[len(p):] for p in _DERIVATIONAL if syllabic and k and word.startswith(p)]
        starts = [word] + stems + [word[0] + stem for stem in stems]
        for start in starts:
            n = 1
            while i + n <= len(s) and n <= len(start) and s[i:i + n] == start[:n]:
                if walk(i + n, k + 1):
                    return True
                n += 1
        return False

    return walk(0, 0)

