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
    out = []
    for m in mentions:
        if m.kind == PERSON:
            if m.name not in made:
                out.append(m)
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
