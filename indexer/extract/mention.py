"""A mention: one typed name at one place in a text, whoever found it (rules or tagger)."""

from __future__ import annotations

from dataclasses import dataclass, field

# The three entity types, as the facets name them: declared once, here.
PERSON, ORG, PLACE = "person", "organization", "location"
KINDS = (PERSON, ORG, PLACE)


@dataclass(slots=True)
class Mention:
    kind: str
    name: str
    pos: int
    level: str = ""  # places: gazetteer level, or "cued" for `Pulau X`-style names
    tokens: tuple[str, ...] = field(default=())
    weak: bool = False  # a lone unknown word with no cue: kept only if the article confirms it
    group: int = 0  # mentions in one list (`A, B dan C`) share a group
    end: int = 0  # end offset, where the finder knows it (the tagger does)
    source: str = "rules"  # "rules" or "tagger"
