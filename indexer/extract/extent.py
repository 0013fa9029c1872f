"""Where a combined name really ends: the finders cut at `dan` and at commas, the text knows better.

A pure step between combining the finders (``combine``) and resolving an article's
entities (``resolve``): it returns new mentions and never edits the finders' own.

* Through `dan`: `dan` mostly joins two names, so neither finder runs through it; when the
  curated table knows the longer name (`Kementerian Pemuda` | `dan Olahraga`) the name is
  that organisation (``through_dan``).
* Cut at a comma: a body whose name lists its fields (`Pusat Data, Informasi dan Humas
  BNPB`) is cut by both finders at the first comma, leaving `Pusat Data`, which names no
  one; a name the text continues with `, Word[, Word] dan Word` whose words are no
  mention of their own is such a fragment and is dropped (``cut_at_comma``). A list of
  names (`KPK, Polri dan Kejaksaan`) is no fragment: its items are mentions.
* A product, not a person: a lone "person" the article writes once right after its maker or
  a product word (`Daihatsu Sigra`, `mobil Avanza`, `Sigra facelift`: ``junk.BRANDS``) is a
  product everywhere in the article (``products``).
* A headline person run into its headline's words: a title-case headline capitalises every
  word, so a finder reads `Kalahkan Sandiaga Uno` or `Christian Bale Komentari Casting Robert
  Pattinson` as one person; when the name is people the body names in two or more words plus
  words the body never writes, it is those people (``headline_people``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.extract.aliases import ORG_KEYS, norm_key, org_name
from indexer.extract.junk import BRANDS, PRODUCT_AFTER, PRODUCT_BEFORE
from indexer.extract.mention import ORG, PERSON, Mention

_DAN_RE = re.compile(r"[^\S\n]+dan[^\S\n]+[A-Z]\w*(?:[^\S\n]+[A-Z]\w*){0,2}")
# `, Informasi dan Humas`, `, Infromasi, dan Humas`: single capitalised words closed by `dan`.
_FIELDS_RE = re.compile(r",[^\S\n]*([A-Z]\w*)(?:,[^\S\n]*([A-Z]\w*))*,?[^\S\n]+dan[^\S\n]+([A-Z]\w*)")


def settle(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions with their true extent: run through `dan` into a known name, fragments cut
    at a comma and products dropped. A new list of new mentions; the input is left as it was."""
    starts = {m.pos for m in mentions}
    made = products(text, mentions)
    split = headline_people(text, mentions)
    out = []
    for i, m in enumerate(mentions):
        if m.kind == PERSON:
            if m.name not in made:
                out += split.get(i, [m])
            continue
        end = _end(text, m)
        if end is None:
            out.append(m)
        elif (longer := through_dan(text, m.pos, end)) != end:
            out.append(replace(m, kind=ORG, name=org_name(text[m.pos:longer]), end=longer))
        elif not cut_at_comma(text, end, starts):
            out.append(m)
    return out


def _end(text: str, m: Mention) -> int | None:
    """Where the mention ends in the text: the finder's end, or its name where the text spells it."""
    if m.end:
        return m.end
    return m.pos + len(m.name) if text.startswith(m.name, m.pos) else None


def through_dan(text: str, start: int, end: int) -> int:
    """Where an organisation (or what a finder took for a place: `di Kementerian Pemuda`)
    the finders cut at `dan` really ends, when the curated table knows the longer name
    (`Kementerian Pemuda` | `dan Olahraga`)."""
    m = _DAN_RE.match(text, end)
    if m is None:
        return end
    words = m.group().split()
    for k in range(len(words), 1, -1):
        if norm_key(text[start:end] + " " + " ".join(words[:k])) in ORG_KEYS:
            return text.index(words[k - 1], end) + len(words[k - 1])
    return end


def cut_at_comma(text: str, end: int, starts: set[int]) -> bool:
    """Whether the name ending at ``end`` is the start of a longer name the text continues with
    `, Word[, Word] dan Word` (`Pusat Data` | `, Informasi dan Humas`), none of those words a
    mention of its own (``starts``: where the article's mentions start)."""
    m = _FIELDS_RE.match(text, end)
    if m is None:
        return False
    words = [(g, m.start(i)) for i in range(1, 4) if (g := m.group(i))]
    return not any(pos in starts for _, pos in words)


_WORD_BEFORE_RE = re.compile(r"([\w-]+)[^\S\n]+$")
_WORD_AFTER_RE = re.compile(r"[^\S\n]+([\w-]+)")


def products(text: str, mentions: list[Mention]) -> set[str]:
    """Lone "people" of the article written at least once right after a maker or a product word,
    or right before a product word (`Daihatsu Sigra`, `Sigra facelift`): products."""
    out = set()
    for m in mentions:
        if m.kind != PERSON or " " in m.name or m.name in out:
            continue
        before = _WORD_BEFORE_RE.search(text, max(0, m.pos - 20), m.pos)
        after = _WORD_AFTER_RE.match(text, m.pos + len(m.name)) if text.startswith(m.name, m.pos) else None
        if (before and before[1].lower() in BRANDS | PRODUCT_BEFORE) or (after and after[1].lower() in PRODUCT_AFTER):
            out.add(m.name)
    return out


_WORD_RE = re.compile(r"[\w'-]+")


def headline_people(text: str, mentions: list[Mention]) -> dict[int, list[Mention]]:
    """Headline "people" (on the text's first line) made of people the body names in two or
    more words and of words the body never writes (`Kalahkan` | `Sandiaga Uno`): by index in
    ``mentions``, the body's people they hold, in their place. A headline name the body also
    writes whole, or shortens (`Vladimir Putin` beside a lone `Putin`), is left as it is."""
    title_end = text.find("\n")
    if title_end < 0:
        return {}
    headline = [(i, m.name.split()) for i, m in enumerate(mentions) if m.kind == PERSON and m.pos <= title_end]
    headline = [(i, words) for i, words in headline if len(words) >= 3]
    if not headline:  # most texts: the body's words are not needed
        return {}
    body_people = {tuple(m.name.split()) for m in mentions if m.kind == PERSON and m.pos > title_end and " " in m.name}
    if not body_people:
        return {}
    body_words = {w.lower() for w in _WORD_RE.findall(text, title_end)}
    out: dict[int, list[Mention]] = {}
    for i, words in headline:
        m = mentions[i]
        if tuple(words) in body_people:
            continue
        held = _held_people(words, body_people, body_words)
        if held:
            out[i] = [_part(m, words, a, b) for a, b in held]
    return out


def _part(m: Mention, words: list[str], a: int, b: int) -> Mention:
    """The mention of words ``a:b`` of a mention's name, where they start in it."""
    offset = len(" ".join(words[:a])) + (a > 0)
    return replace(m, name=" ".join(words[a:b]), tokens=tuple(words[a:b]), pos=m.pos + offset, end=0)


def _held_people(words: list[str], people: set[tuple[str, ...]], body_words: set[str]) -> list[tuple[int, int]]:
    """The word spans of ``words`` that are ``people``, longest first from the left, when every
    other word is one the body never writes and there is at least one such word; else []."""
    spans: list[tuple[int, int]] = []
    i = loose = 0
    while i < len(words):
        end = next((j for j in range(len(words), i + 1, -1) if tuple(words[i:j]) in people), None)
        if end:
            spans.append((i, end))
            i = end
        elif words[i].lower() in body_words:
            return []
        else:
            loose += 1
            i += 1
    return spans if spans and loose else []
