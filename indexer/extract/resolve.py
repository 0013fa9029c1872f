"""From an article's mentions to its entities: coreference, canonical names, ranking.

``resolve`` merges the mentions of one article (`Putin` joins `Vladimir Putin`,
`Komisi III` joins `Komisi III DPR`), refuses junk (``junk``) and returns the
people, organisations and places by importance.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from indexer.extract.aliases import fuller_orgs, merge_key, norm_key
from indexer.extract.corpus_aliases import variant_key
from indexer.extract.gazetteer import DISTRICT, REGENCY
from indexer.extract.junk import is_junk, known_type, match_sides
from indexer.extract.lexicon import bare_verb, common_words
from indexer.extract.mention import ORG, PERSON, PLACE, Mention
from indexer.extract.rules import MIN_WEAK_MENTIONS


def resolve(mentions: list[Mention]) -> tuple[list[str], list[str], list[str]]:
    """Merge one article's mentions; return people, organisations, places by importance.

    A one- or two-word person (`Putin`, `Kim`) joins the fuller name it is
    part of (`Vladimir Putin`, `Kim Jong Un`), spelling variants alike (`Rifki` / `Rifqi`); a
    regency name that is part of a person's name in the same article (`Bima` beside `Bima Arya`, the district
    `Bambang` beside `Bambang Soesatyo`) is that person; a "person" spelt like an
    organisation or a cued place of the same article (`Chosun Ilbo`, `Vostochny`
    beside `Kosmodrom Vostochny`) is that;
    an organisation's short form joins its one longer form (`Komisi III DPR`).
    """
    part_of: dict[str, Counter] = {}
    for m in mentions:
        if m.kind == PERSON and len(m.tokens) > 1:
            for part in m.tokens:
                part_of.setdefault(_part_key(part), Counter())[m.name] += 1
    org_keys = {merge_key(m.name): m.name for m in mentions if m.kind == ORG}
    place_parts = {
        merge_key(part): m.name for m in mentions if m.kind == PLACE for part in m.name.split()[1:]
    }
    seen = Counter(merge_key(m.name) for m in mentions if m.kind == PERSON)
    confirmed = {merge_key(m.name) for m in mentions if m.kind == PERSON and not m.weak}
    sure_groups = {m.group for m in mentions if m.kind == PERSON and not m.weak}
    people: list[tuple[str, int]] = []
    orgs: list[tuple[str, int]] = []
    locs: list[tuple[str, int]] = []
    for m in mentions:
        if m.kind == PERSON:
            key = merge_key(m.name)
            owner = _owner(m.tokens, part_of) if len(m.tokens) <= 2 else None
            if owner:
                people.append((owner, m.pos))
            elif key in org_keys:
                orgs.append((org_keys[key], m.pos))
            elif len(m.tokens) == 1 and key in place_parts:
                locs.append((place_parts[key], m.pos))
            elif not m.weak or key in confirmed or seen[key] >= MIN_WEAK_MENTIONS or m.group in sure_groups:
                people.append((m.name, m.pos))
        elif m.kind == PLACE:
            if m.level in (REGENCY, DISTRICT) and _part_key(m.name) in part_of:
                people.append((part_of[_part_key(m.name)].most_common(1)[0][0], m.pos))
            else:
                locs.append((m.name, m.pos))
        else:
            orgs.append((m.name, m.pos))
    fuller = fuller_orgs({name for name, _ in orgs})
    orgs = [(fuller.get(name, name), pos) for name, pos in orgs]
    return _guard(_rank(people, merge_key), _rank(orgs, norm_key), _rank(locs, norm_key))


def _guard(people: list[str], orgs: list[str], places: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The junk gate (``junk``): refuse what names nothing, retype what the tables know,
    drop a lone "person" that is an ordinary word (`Vera`: truly, in Indonesian) or a bare
    verb a title-case headline capitalised (`Tuai`, `Gaet`); a match string gives its sides
    (`Timnas Indonesia vs Thailand`)."""
    common = common_words()
    out: dict[str, list[str]] = {PERSON: [], ORG: [], PLACE: []}
    for kind, values in ((PERSON, people), (ORG, orgs), (PLACE, places)):
        for value in [side for v in values for side in (match_sides(v) or [v])]:  # a match: its two sides
            if kind == PERSON:
                value = _before_verb(value)
            low = value.lower()
            if is_junk(value) or (kind == PERSON and (low in common or (" " not in low and bare_verb(low)))):
                continue
            target = out[known_type(value) or kind]
            if value not in target:
                target.append(value)
    return out[PERSON], out[ORG], out[PLACE]


def _before_verb(name: str) -> str:
    """A person's name run on into a title-case headline's verb, cut before it (`Liam Gallagher
    Ancam ...`, `Thareq Habibie Beberkan`)."""
    words = name.split()
    for i, word in enumerate(words[1:], 1):
        if word[:1].isupper() and bare_verb(word.lower()):
            return " ".join(words[:i])
    return name


@lru_cache(maxsize=65536)
def _part_key(part: str) -> str:
    """The key a name part is matched by in its article: spelling variants agree (`Rifki` is the
    `Rifqi` of `Muhammad Rifqi Fitriadi`, `Soekarno` `Sukarno`: ``corpus_aliases.variant_key``)."""
    return variant_key(merge_key(part))


def _owner(parts: tuple[str, ...], part_of: dict[str, Counter]) -> str | None:
    """The longer name in the article that contains all of these name parts, if one does."""
    candidates: Counter | None = None
    for part in parts:
        owners = part_of.get(_part_key(part))
        if not owners:
            return None
        candidates = owners if candidates is None else Counter({k: v for k, v in candidates.items() if k in owners})
    if not candidates:
        return None
    best = max(candidates.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    return best if merge_key(best) != merge_key(" ".join(parts)) else None


def _rank(items: list[tuple[str, int]], key) -> list[str]:
    """Distinct names (first spelling wins), most mentioned first, then first mentioned."""
    count: Counter = Counter()
    first: dict[str, tuple[int, str]] = {}
    for name, pos in items:
        k = key(name)
        if not k:
            continue
        count[k] += 1
        if k not in first or pos < first[k][0]:
            first[k] = (pos, name)
    return [first[k][1] for k in sorted(count, key=lambda k: (-count[k], first[k][0]))]
