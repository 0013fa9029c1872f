"""Type by the corpus, not the sentence: a name's type decided from the votes of all its
articles (``decide_type``), with the curated and known lists first. ``corpus_aliases.learn``
types every name and every group of aliases by it.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from indexer.extract.mention import KINDS, ORG, PERSON, PLACE
from indexer.extract.vocab import ORG_CUES, ORG_HEADS, ORG_TAILS, PLACE_HEADS

# Evidence thresholds, shared with the merges (``corpus_aliases``).
# A short form counts as another value's alias once they appear together this often.
MIN_COOCCUR = 2
# A lone word joins a fuller name seen in at least this many articles.
MIN_FULLER = 3
# Type by the corpus: a name with no organisation or place word that the person finders
# (which need a cue) call a person in this share of its articles is a person (`Neymar`,
# `Veronica Koman`: the tagger's weak organisation class types lone names in sports and
# politics news as organisations); a name the finders call an organisation in this share
# of its articles, unless a gazetteer country or province, is one (`Liverpool`, `Barcelona`:
# clubs named after their city, in sports news).
PERSON_SHARE = 0.25
ORG_SHARE = 1 / 3


def decide_type(name: str, votes: Counter, corpus: dict[str, Counter] | None = None,
                named: "NameParts | None" = None) -> str:
    """A name's type by the corpus (``votes``: kind -> articles; ``corpus``: every name's votes;
    ``named``: ``people_named(corpus)``):
    a curated or known list first, a venue or place head (`Sirkuit Misano`, `Stadion X`) next;
    then a person when the person finders give it ``PERSON_SHARE`` of its person and
    organisation articles, no fewer than its place articles, and no word of it heads or ends
    an organisation or place (`Muenchen` of `Bayern Muenchen` stays a place); an organisation when the
    finders give it ``ORG_SHARE`` and it is no gazetteer country or province; else the
    majority (a place wins a tie, being the gazetteer's, then an organisation). A lone word also
    counts the person articles of the corpus' people it starts or ends (`Neymar` of `Neymar Jr`:
    the tagger calls the lone surname of sports news a club or a place), and a place reading
    that rests on a gazetteer word inside a name the gazetteer does not know (`Bima Sakti`,
    `Hotman Paris`: `Bima` the regency, `Paris` the city) yields to the person evidence
    (``_gazetteer_word_place``)."""
    known = known_kind(name)
    if known:
        return known
    words = name.split()
    if len(words) > 1 and words[0].lower() in _PLACE_NAMING_HEADS:
        return PLACE
    corpus, named = corpus or {}, named or NameParts(Counter(), Counter())
    person, org, place = votes[PERSON], votes[ORG], votes[PLACE]
    if len(words) == 1 and not name.isupper() and name.lower() not in _places():  # not `Bima` the regency
        person += named.first[name] + named.last[name]
    elif place and _gazetteer_word_place(name) and not _worded(name):
        lone = corpus.get(words[0], Counter())
        starts = named.first[words[0]] + (lone[PERSON] if lone[PERSON] > lone[ORG] + lone[PLACE] else 0)
        if starts >= MIN_FULLER and person + starts >= max(MIN_FULLER, PERSON_SHARE * (person + starts + org + place)):
            return PERSON
    total = person + org + place
    if org and person >= max(MIN_FULLER, PERSON_SHARE * (person + org), place) and not _worded(name):
        return PERSON
    if len(votes) > 1 and org >= max(MIN_FULLER, ORG_SHARE * total) and not _region(name):
        return ORG
    return max(votes, key=lambda k: (votes[k], KINDS.index(k)))


# Heads that make a name a place when the corpus types it (the rules cue `PLACE_HEADS`; a
# circuit is a venue like a stadium). Not added to ``vocab.PLACE_HEADS``: the tagger reads that
# list as a feature and was trained with it.
_PLACE_NAMING_HEADS = PLACE_HEADS | {"sirkuit"}


def _places() -> dict[str, tuple[str, str]]:
    from indexer.extract.gazetteer import places

    return places()


def _gazetteer_word_place(name: str) -> bool:
    """A name of two words or more the gazetteer does not know, one word of which it does
    (`Bima Sakti`: the regency `Bima`; `Hotman Paris`): the tagger's place reading of it is the
    gazetteer feature of that word, not evidence about the name."""
    gazetteer = _places()
    return name.lower() not in gazetteer and any(w.lower() in gazetteer for w in name.split())


class NameParts(NamedTuple):
    """Word -> person articles of the corpus' people it starts (``first``) or ends (``last``)."""

    first: Counter
    last: Counter


def people_named(corpus: dict[str, Counter]) -> NameParts:
    """The first and last words of the corpus' people of two or three words, each seen in
    ``MIN_COOCCUR`` articles or more and mostly as a person (`Neymar` <- `Neymar Jr`; `Marquez`
    <- `Marc Marquez`; `Bima` <- `Bima Arya`, `Bima Aryo`): evidence that a word names people."""
    first: Counter = Counter()
    last: Counter = Counter()
    for other, v in corpus.items():
        words = other.split()
        if 1 < len(words) <= 3 and v[PERSON] >= MIN_COOCCUR and v[PERSON] >= v[ORG] + v[PLACE]:
            first[words[0]] += v[PERSON]
            last[words[-1]] += v[PERSON]
    return NameParts(first, last)


@lru_cache(maxsize=65536)
def known_kind(name: str) -> str | None:
    """The type a curated or known list gives a name: ``junk.KNOWN_TYPES``, the curated alias
    tables' names, the known organisations, the gazetteer's countries and provinces."""
    from indexer.extract.junk import known_type
    from indexer.extract.vocab import KNOWN_ORGS

    kind = known_type(name)
    if kind:
        return kind
    kind = curated_kinds().get(name)
    if kind:
        return kind
    if name.lower() in KNOWN_ORGS:
        return ORG
    return PLACE if _region(name) else None


@lru_cache(maxsize=1)
def curated_kinds() -> dict[str, str]:
    """Every name of the curated alias tables (either side) -> its table's kind."""
    from indexer.extract.aliases import ORG_ALIASES, PERSON_ALIASES, PLACE_ALIASES

    out: dict[str, str] = {}
    for table, kind in ((PLACE_ALIASES, PLACE), (ORG_ALIASES, ORG), (PERSON_ALIASES, PERSON)):
        out.update({name: kind for pair in table.items() for name in pair})
    return out


def _region(name: str) -> bool:
    """A gazetteer country, province or region: a place whatever the finders say."""
    from indexer.extract.gazetteer import COUNTRY, PROVINCE, REGION, places

    hit = places().get(name.lower())
    return bool(hit) and hit[1] in (COUNTRY, PROVINCE, REGION)


# Words that make a name an organisation's or a place's (``_worded``).
_NAMING_WORDS = ORG_HEADS | ORG_CUES | ORG_TAILS | PLACE_HEADS


def _worded(name: str) -> bool:
    """Whether a word of the name makes it an organisation or place (`Partai`, `FC`,
    `Jalan`), or is an acronym (`HAM Veronica Koman` is no person's name)."""
    return any(w.lower() in _NAMING_WORDS or (len(w) > 2 and w.isupper() and len(name.split()) > 1) for w in name.split())

