"""The tagger's names and the rules' names, set side by side: who wins where.

The CRF finds names the rules cannot cue (recall, extent), the rules know what
no sentence shows (a curated organisation, a country in the gazetteer, a
nickname). Measured on NERGRIT (``bench/extract_eval.py``, every combination),
the best mix is ``sure``: every tagger name stands unless a *sure* rule mention
starts inside it (a known organisation, a gazetteer country/province/city, a
curated person alias), and then the rules' cut of that stretch replaces it; rule
mentions outside every tagger name are kept only when sure. ``cued`` and ``all``
also keep the rules' other mentions; ``tagger`` and ``rules`` are each alone.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from indexer.extract.aliases import ORG_KEYS, PERSON_ALIASES, norm_key
from indexer.extract.gazetteer import CITY, COUNTRY, PROVINCE, REGION, places
from indexer.extract.mention import ORG, PERSON, PLACE, Mention
from indexer.extract.vocab import KNOWN_ORGS, ORG_HEADS, SCHOOL_HEADS

SURE_PLACE_LEVELS = frozenset({COUNTRY, PROVINCE, REGION, CITY})
# What the rules add outside the tagger's names: "sure" only, or every non-weak mention too.
MODES = ("tagger", "sure", "cued", "all", "fill", "rules")


@lru_cache(maxsize=1)
def _known_orgs() -> frozenset[str]:
    return frozenset(norm_key(v) for v in ORG_KEYS.values()) | KNOWN_ORGS


@lru_cache(maxsize=1)
def _known_people() -> frozenset[str]:
    return frozenset(PERSON_ALIASES.values())


def sure(m: Mention) -> bool:
    """A rule mention the tables or a head word vouch for, whatever the sentence says."""
    if m.kind == ORG:
        return norm_key(m.name) in _known_orgs()
    if m.kind == PLACE:
        # A school's name runs through its number and town (`SMA Negeri 24 Bandung`).
        return m.level in SURE_PLACE_LEVELS or m.level == "cued" and m.name.split()[0].lower() in SCHOOL_HEADS
    return m.kind == PERSON and m.name in _known_people()


def combine(rules: list[Mention], tagged: list[Mention], mode: str = "sure") -> list[Mention]:
    """One mention list in text order from both finders (see the module docstring).

    Inside one tagger name the rules' cut stands when a table vouches for part of it
    (`Presiden Rusia Vladimir Putin` is Rusia and Vladimir Putin); a club the rules
    name without its town keeps that name (`Persib Bandung` -> `Persib`). Measured:
    letting the rules' cut stand whenever they cut a name in two, or lending every
    same-start rule name, cost 0.007 and 0.016 F1 on NERGRIT development sentences.
    """
    if mode == "rules":
        return rules
    if mode == "fill":
        return _fill(rules, tagged)
    rules = sorted(rules, key=lambda m: m.pos)
    starts = [m.pos for m in rules]
    out: list[Mention] = []
    used: set[int] = set()
    for t in tagged:
        lo, hi = bisect_left(starts, t.pos), bisect_left(starts, t.end)
        if lo and rules[lo - 1].end > t.pos:
            lo -= 1  # a rule mention that starts before the tagger's and runs into it
        inside = range(lo, hi)
        used.update(inside)
        if mode == "tagger" or not inside:
            out.append(t)
        elif any(sure(rules[i]) or _disagrees(rules[i], t) for i in inside) or len({rules[i].kind for i in inside}) >= 2:
            out += [rules[i] for i in inside if rules[i] not in out[-3:]]
        elif _club(rules[lo], t):
            out.append(rules[lo])
        else:
            out.append(t)
    if mode != "tagger":
        for i, r in enumerate(rules):
            if i not in used and (sure(r) or _headed_org(r) or mode == "all" or (mode == "cued" and not r.weak)):
                out.append(r)
    out.sort(key=lambda m: m.pos)
    return out


def _fill(rules: list[Mention], tagged: list[Mention]) -> list[Mention]:
    """The rules first: their cued mentions stand; a tagger name fills any stretch where
    the rules have nothing or only a guess (a lone uncued word)."""
    firm = [r for r in rules if not r.weak or sure(r)]
    bounds = sorted((r.pos, max(r.end, r.pos + 1)) for r in firm)
    starts = [a for a, _ in bounds]
    out = list(firm)
    covered: list[tuple[int, int]] = []
    for t in tagged:
        i = bisect_left(starts, t.end)
        if i and bounds[i - 1][1] > t.pos or any(bounds[j][1] > t.pos for j in range(max(0, i - 3), i)):
            continue  # overlaps a firm rule mention
        out.append(t)
        covered.append((t.pos, t.end))
    for r in rules:
        if r.weak and not sure(r) and not any(a <= r.pos < b for a, b in covered):
            out.append(r)
    out.sort(key=lambda m: m.pos)
    return out


def _disagrees(rule: Mention, tagged: Mention) -> bool:
    """A person the rules found by a title cue inside what the tagger calls something
    else (`Menteri Perhubungan Budi Karya Sumadi`: the tagger saw one place)."""
    return rule.kind == PERSON and tagged.kind != PERSON and not rule.weak and rule.pos > tagged.pos


def _headed_org(m: Mention) -> bool:
    """An organisation the rules named by its head word (`Komisi III DPR`, `Pemprov X`):
    the tagger's weak type, so the rules' find stands where the tagger saw nothing."""
    return m.kind == ORG and not m.weak and m.name.split()[0].lower() in ORG_HEADS | _ORG_PREFIXES


_ORG_PREFIXES = frozenset({"pemprov", "pemkab", "pemkot"})


def _club(rule: Mention, tagged: Mention) -> bool:
    """`Persib` (rules) inside `Persib Bandung` (tagger): a club named after its town."""
    if rule.kind != ORG or tagged.kind != ORG or rule.pos != tagged.pos:
        return False
    rest = tagged.name[len(rule.name) + 1:]
    return tagged.name.startswith(rule.name + " ") and norm_key(rest) in places()


DEFAULT_MODE = "sure"
# The tagger reads this much of a text (~10 long articles); the rules read all of
# ``MAX_CHARS``. A pasted dump costs a bounded ~0.1 CPU-s of tagging.
TAGGER_MAX_CHARS = 30_000


def extract_names(text: str, mode: str = DEFAULT_MODE) -> tuple[list[str], list[str], list[str]]:
    """People, organisations and places of one text: both finders, combined, resolved."""
    from indexer.extract import tagger
    from indexer.extract.resolve import resolve
    from indexer.extract.rules import find_mentions, skip_spans

    skip = skip_spans(text)
    found = find_mentions(text, skip) if mode != "tagger" else []
    tagged = []
    if mode != "rules":
        tagged = [
            m for m in tagger.tagged_mentions(text[:TAGGER_MAX_CHARS]) if not any(a <= m.pos < b for a, b in skip)
        ]
    return resolve(combine(found, tagged, mode))
