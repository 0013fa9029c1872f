"""The tagger's names and the rules' names, set side by side: who wins where.

The CRF finds names the rules cannot cue (recall, extent), the rules know what
no sentence shows (a curated organisation, a country in the gazetteer, a
nickname). They are combined twice:

* inside the CRF (``stacked``): the rules' mentions of the text are features of the
  tokens they cover (``features.RuleMarks``), and the model, trained with them on
  NERGRIT, learns how far to trust each kind of rule find;
* after it, by rule families (``FAMILIES``): a known organisation or curated person
  the rules find inside a tagger name replaces the tagger's cut of that stretch
  (``sure-org``, ``sure-person``), so does a cued organisation ending a tagger place
  (`Gedung Kemenko Polhukam` is the ministry: ``org-tail``), and outside every tagger name the rules' known
  organisations and people (``add-known``) and head-named organisations (`Komisi III
  DPR`, `Pemprov DKI Jakarta`: ``add-headed``) are kept.

``MODES`` names every combination ``bench/nergrit.py`` measures (each finder alone,
the tagger plus each family, the stacked model plus each family); ``shipped`` is
the one chosen on cross-validation inside NERGRIT's training part and on the
hand-annotated news, never on the held-out fifth (README, "The tagger: training").
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from indexer.extract.aliases import ORG_KEYS, PERSON_ALIASES, norm_key
from indexer.extract.gazetteer import CITY, COUNTRY, PROVINCE, REGION, club_name
from indexer.extract.mention import ORG, PERSON, PLACE, Mention
from indexer.extract.vocab import KNOWN_ORGS, ORG_HEADS, SCHOOL_HEADS

SURE_PLACE_LEVELS = frozenset({COUNTRY, PROVINCE, REGION, CITY})
# Rule families, each a way the rules' find may overrule or add to the tagger's:
# inside a tagger name, the rules' cut stands when a sure organisation / place / person
# starts in it (``sure-org`` ...), when a titled person sits in a non-person name
# (``disagree``), when the rules see two types there (``mixed``), when a cued organisation
# ends the tagger's place (``org-tail``), or a club without its town (``club``); outside every tagger name, sure mentions (``add-sure``), organisations
# named by their head word (``add-headed``), every cued one (``add-cued``) or all.
FAMILIES = (
    "sure-org", "sure-place", "sure-person", "disagree", "mixed", "org-tail", "club",
    "add-sure", "add-known", "add-headed", "add-cued", "add-all",
)


@lru_cache(maxsize=1)
def _known_orgs() -> frozenset[str]:
    return frozenset(norm_key(v) for v in ORG_KEYS.values()) | KNOWN_ORGS


@lru_cache(maxsize=1)
def _known_people() -> frozenset[str]:
    return frozenset(PERSON_ALIASES.values())


def sure(m: Mention) -> bool:
    """A rule mention the tables or a head word vouch for, whatever the sentence says."""
    return _sure_family(m) is not None


def _sure_family(m: Mention) -> str | None:
    if m.kind == ORG:
        return "sure-org" if norm_key(m.name) in _known_orgs() else None
    if m.kind == PLACE:
        # A school's name runs through its number and town (`SMA Negeri 24 Bandung`).
        school = m.level == "cued" and m.name.split()[0].lower() in SCHOOL_HEADS
        return "sure-place" if m.level in SURE_PLACE_LEVELS or school else None
    return "sure-person" if m.kind == PERSON and m.name in _known_people() else None


def combine(rules: list[Mention], tagged: list[Mention], families: frozenset[str]) -> list[Mention]:
    """One mention list in text order from both finders, the rule ``families`` (``FAMILIES``)
    deciding where the rules' find stands: see the module docstring and ``MODES``."""
    rules = sorted(rules, key=lambda m: m.pos)
    starts = [m.pos for m in rules]
    out: list[Mention] = []
    used: set[int] = set()
    for t in tagged:
        lo, hi = bisect_left(starts, t.pos), bisect_left(starts, t.end)
        if lo and rules[lo - 1].end > t.pos:
            lo -= 1  # a rule mention that starts before the tagger's and runs into it
        inside = [rules[i] for i in range(lo, hi)]
        used.update(range(lo, hi))
        if inside and _overrules(inside, t, families):
            out += [r for r in inside if r not in out[-3:]]
        elif inside and "club" in families and _club(inside[0], t):
            out.append(inside[0])
        else:
            out.append(t)
    for i, r in enumerate(rules):
        if i not in used and _adds(r, families):
            out.append(r)
    out.sort(key=lambda m: m.pos)
    return out


def _overrules(inside: list[Mention], t: Mention, families: frozenset[str]) -> bool:
    """Whether the rules' cut of a tagger name's stretch replaces the tagger's name."""
    if any(_sure_family(r) in families for r in inside):
        return True
    if "disagree" in families and any(_disagrees(r, t) for r in inside):
        return True
    if "org-tail" in families and any(_org_tail(r, t) for r in inside):
        return True
    return "mixed" in families and len({r.kind for r in inside}) >= 2


def _adds(r: Mention, families: frozenset[str]) -> bool:
    """Whether a rule mention outside every tagger name is kept."""
    return (
        "add-all" in families
        or ("add-sure" in families and sure(r))
        or ("add-known" in families and r.kind != PLACE and sure(r))
        or ("add-headed" in families and _headed_org(r))
        or ("add-cued" in families and not r.weak)
    )


def _disagrees(rule: Mention, tagged: Mention) -> bool:
    """A person the rules found by a title cue inside what the tagger calls something
    else (`Menteri Perhubungan Budi Karya Sumadi`: the tagger saw one place)."""
    return rule.kind == PERSON and tagged.kind != PERSON and not rule.weak and rule.pos > tagged.pos


def _org_tail(rule: Mention, tagged: Mention) -> bool:
    """A cued organisation the rules found ending where the tagger's place ends: the place is
    that body's building or unit (`Gedung Kemenko Polhukam`, `Satlantas Polres Metro Jakarta
    Selatan`, `Rumah Sakit Fatmawati`), and the facet wants the body (organisations are the
    tagger's weak type; a place cut short by a name inside it, `majalah Globe` | `Asia`, is not)."""
    return tagged.kind == PLACE and rule.kind == ORG and not rule.weak and rule.end >= tagged.end


def _headed_org(m: Mention) -> bool:
    """An organisation the rules named by its head word (`Komisi III DPR`, `Pemprov X`):
    the tagger's weak type, so the rules' find stands where the tagger saw nothing."""
    return m.kind == ORG and not m.weak and m.name.split()[0].lower() in _HEADS


_HEADS = ORG_HEADS | frozenset({"pemprov", "pemkab", "pemkot"})


def _club(rule: Mention, tagged: Mention) -> bool:
    """`Persib` (rules) inside `Persib Bandung` (tagger): a club named after its town."""
    return rule.kind == tagged.kind == ORG and rule.pos == tagged.pos and club_name(tagged.name) == rule.name != tagged.name


@dataclass(frozen=True)
class Mode:
    """One way to combine the finders: whether the CRF reads the rules' finds as features
    (``features.RuleMarks``; a model trained with them) and which rule families then act
    on its names."""

    stacked: bool
    families: frozenset[str] = frozenset()


# Named combinations, measured side by side in ``bench/nergrit.py``: each finder alone,
# the tagger plus each rule family, the rules as the CRF's features with and without them.
_SURE_MIX = frozenset({"sure-org", "sure-place", "sure-person", "disagree", "mixed", "club", "add-sure", "add-headed"})
# What a table vouches for (a known organisation, a gazetteer place, a curated person).
_TABLES = frozenset({"sure-org", "sure-place", "sure-person"})
MODES: dict[str, Mode | None] = {
    "rules": None,
    "tagger": Mode(False),
    **{"tagger+" + f: Mode(False, frozenset({f})) for f in FAMILIES},
    "tagger+sure-mix": Mode(False, _SURE_MIX),
    "stacked": Mode(True),
    **{"stacked+" + f: Mode(True, frozenset({f})) for f in FAMILIES},
    "stacked+sure-mix": Mode(True, _SURE_MIX),
    "stacked+tables": Mode(True, _TABLES),
    "stacked+known": Mode(True, frozenset({"sure-org", "sure-person"})),
    "stacked+known+add-sure": Mode(True, frozenset({"sure-org", "sure-person", "add-sure", "add-headed"})),
    "shipped": Mode(True, frozenset({"sure-org", "sure-person", "org-tail", "add-known", "add-headed"})),
}
DEFAULT_MODE = "shipped"
# The tagger reads this much of a text (~10 long articles); the rules read all of
# ``MAX_CHARS``. A pasted dump costs a bounded ~0.1 CPU-s of tagging.
TAGGER_MAX_CHARS = 30_000


def extract_names(text: str, mode: str = DEFAULT_MODE) -> tuple[list[str], list[str], list[str]]:
    """People, organisations and places of one text: both finders, combined, resolved."""
    from indexer.extract import tagger
    from indexer.extract.extent import settle
    from indexer.extract.resolve import resolve
    from indexer.extract.rules import find_mentions, skip_spans

    combination = MODES[mode]
    skip = skip_spans(text)
    wanted = combination is None or combination.stacked or combination.families
    found = find_mentions(text, skip) if wanted else []
    if combination is None:
        return resolve(settle(text, found))
    head = text[:TAGGER_MAX_CHARS]
    rules = [m for m in found if m.pos < TAGGER_MAX_CHARS] if combination.stacked else None
    tagged = [m for m in tagger.tagged_mentions(head, rules) if not any(a <= m.pos < b for a, b in skip)]
    return resolve(settle(text, combine(found, tagged, combination.families)))
