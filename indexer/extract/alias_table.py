"""The corpus alias table as an index stores and applies it (``AliasTable``: saved as
``aliases.json`` beside the index, applied to each article's values), and the evidence strings a
document stores for the table to learn from (``evidence_values``). ``corpus_aliases.learn`` makes
the table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.extract.aliases import fuller_orgs
from indexer.extract.mention import ORG, PERSON, PLACE

TABLE_FILE = "aliases.json"
SEP = "|"
SPELT = "spelt"  # evidence of a lone name's fuller spelling in its article (``alias_text.spellings``)


def typed(kind: str, name: str) -> str:
    return f"{kind}{SEP}{name}"


def untyped(value: str) -> tuple[str, str]:
    kind, _, name = value.partition(SEP)
    return kind, name



@dataclass
class AliasTable:
    """(kind, surface value) -> canonical value, the corpus' type for each name, the names
    that name no one (``refused``), the first names many people share (``ambiguous``: never
    a value either) and the generic regional bodies an article's place names (``sited``)."""

    canonical: dict[str, str] = field(default_factory=dict)  # typed value -> canonical name
    types: dict[str, str] = field(default_factory=dict)  # name -> the kind the corpus gives it
    refused: frozenset[str] = frozenset()  # names never shown as a value
    ambiguous: frozenset[str] = frozenset()  # `Bambang`, `Agus`: a dozen men each
    sited: dict[str, dict[str, str]] = field(default_factory=dict)  # `Balai Kota` -> {`Jakarta`: `Balai Kota DKI Jakarta`}
    people: frozenset[str] = frozenset()  # fuller people's names a lone name may resolve to (``spellings``)

    def name(self, kind: str, value: str) -> str:
        return self.canonical.get(typed(kind, value), value)

    def kind(self, kind: str, value: str) -> str:
        return self.types.get(value, kind)

    def aliases_of(self, canonical: str) -> list[str]:
        """Every other surface form that displays as ``canonical`` (for entity pages)."""
        return sorted({untyped(v)[1] for v, c in self.canonical.items() if c == canonical} - {canonical})

    def apply(self, people: list[str], orgs: list[str], places: list[str],
              spelt: list[tuple[str, str]] = ()) -> tuple[list[str], list[str], list[str]]:
        """An article's values through the table: canonical names, corpus types, refusals, order kept.
        A lone person name the article also writes as exactly one fuller person the corpus knows
        (``spelt``: ``spellings``) is that person, before any refusal (`Luna` of `Luna Maya`)."""
        resolved = self._resolved(spelt)
        out: dict[str, list[str]] = {PERSON: [], ORG: [], PLACE: []}
        for kind, values in ((PERSON, people), (ORG, orgs), (PLACE, places)):
            for value in values:
                name = resolved.get(value) if kind == PERSON else None
                name = name or self.name(kind, value)
                if name in self.refused or name in self.ambiguous:
                    continue
                target = out[self.kind(kind, name)]
                if name not in target:
                    target.append(name)
        fuller = fuller_orgs(set(out[ORG]), starts=False)
        for name in out[ORG]:
            sites = self.sited.get(name, {})
            site = next((sites[p] for p in out[PLACE] if p in sites), None)
            if site:
                fuller[name] = site
        out[ORG] = list(dict.fromkeys(fuller.get(name, name) for name in out[ORG]))
        return out[PERSON], out[ORG], out[PLACE]

    def _resolved(self, spelt: list[tuple[str, str]]) -> dict[str, str]:
        """Lone name -> the one fuller person of ``people`` its article spells it as, whose display
        still holds the lone name; not for a lone name the table already joins to a fuller one
        (`Ainun` is `Hasri Ainun Besari`, whatever a headline's `Habibie Ainun`)."""
        found: dict[str, set[str]] = defaultdict(set)
        for lone, fuller in spelt:
            name = self.name(PERSON, fuller)
            if " " not in self.name(PERSON, lone) and name in self.people and lone in name.split():
                found[lone].add(name)
        return {lone: names.pop() for lone, names in found.items() if len(names) == 1}

    def __len__(self) -> int:
        return len(self.canonical)

    def __bool__(self) -> bool:
        """A table that only types names (no alias yet) is still a table: `table or default`
        must not take it for none."""
        return bool(self.canonical or self.types or self.refused or self.ambiguous or self.sited or self.people)

    def to_json(self) -> str:
        data = {"canonical": self.canonical, "types": self.types, "refused": sorted(self.refused),
                "ambiguous": sorted(self.ambiguous), "sited": self.sited, "people": sorted(self.people)}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "AliasTable":
        data = json.loads(text)
        return cls(dict(data.get("canonical", {})), dict(data.get("types", {})), frozenset(data.get("refused", ())),
                   frozenset(data.get("ambiguous", ())), dict(data.get("sited", {})), frozenset(data.get("people", ())))

    def save(self, index_dir: str | Path) -> None:
        path = Path(index_dir) / TABLE_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)  # a reader never sees half a table

    @classmethod
    def load(cls, index_dir: str | Path) -> "AliasTable":
        path = Path(index_dir) / TABLE_FILE
        return cls.from_json(path.read_text(encoding="utf-8")) if path.exists() else cls()


def evidence_values(people: list[str], orgs: list[str], places: list[str], defined: list[tuple[str, str]],
                    spelt: list[tuple[str, str]] = ()) -> list[str]:
    """What one document teaches the table, as flat strings an index can hold as terms
    (in the extraction's order: most important first), and the fuller spellings of its
    lone names (``spellings``) the table resolves them by (``spelt_values``)."""
    out = [typed(PERSON, v) for v in people] + [typed(ORG, v) for v in orgs] + [typed(PLACE, v) for v in places]
    out += [f"def{SEP}{short}{SEP}{long}" for short, long in defined]
    out += [f"{SPELT}{SEP}{lone}{SEP}{fuller}" for lone, fuller in spelt]
    return list(dict.fromkeys(out))


def spelt_values(evidence: list[str]) -> list[tuple[str, str]]:
    """The (lone name, fuller spelling) pairs of a document's evidence (``evidence_values``)."""
    return [tuple(v.split(SEP)[1:]) for v in evidence if v.startswith(SPELT + SEP)]
