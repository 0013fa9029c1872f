"""One canonical name per entity across the corpus: the alias table learnt as it is indexed.

An article alone cannot know that `Kemenkeu` is `Kementerian Keuangan` or that
`Anies Rasyid Baswedan` is `Anies Baswedan`; the corpus can. ``learn`` reads, per
document, the values extraction found (typed: `person|Anies Baswedan`) and the
acronym definitions the text spelt out (`Komisi Pemberantasan Korupsi (KPK)`,
``alias_text.definitions``), and groups values that name one entity. The modules around it:
``alias_text`` (what one text teaches), ``alias_table`` (the table as an index stores and
applies it, and a document's evidence), ``alias_vote`` (type by the corpus):

* acronym definitions in the text, either order (`X (ABC)`, `ABC (X)`);
* organisation short forms: a one-word value that abbreviates a longer value it
  appears beside (`Kemenkeu` / `Kementerian Keuangan`, `PUPR` / `Kementerian PUPR`
  / `Kementerian Pekerjaan Umum dan Perumahan Rakyat`) in at least
  ``MIN_COOCCUR`` articles, taking the partner it appears beside most;
* a person's shorter and fuller forms (`Anies` / `Anies Baswedan` / `Anies Rasyid
  Baswedan`, `Sri Mulyani` / `Sri Mulyani Indrawati`): a form whose words, in order and
  with the same first and last word, are inside one fuller form that holds ``DOMINANT``
  of its fuller forms' uses (a lone word: of its uses as a first or last word);
* a lone word and the fuller name its articles name beside it (``_lone_partners``:
  `Marquez` / `Marc Marquez`, `Alex` / `Alexander Marwata`, `Dortmund` / `Borussia
  Dortmund`, the acronym head `RSPAD` / `RSPAD Gatot Soebroto`), whatever type each
  article gave the lone word (the tagger calls lone surnames in sports news
  organisations): merged when one fuller name dominates and is named beside it in
  ``COOCCUR_SHARE`` of its articles; a gazetteer place never joins (`Bima` the regency);
* fragments: a name its articles nearly always (``DOMINANT``) write inside a longer one
  (`Gatot Soebroto` of `RSPAD Gatot Soebroto`, `Metro Jaya` of `Polda Metro Jaya`), and a
  name cut at `dan` beside the definition of the whole (`Kementerian Lingkungan Hidup` /
  `Kementerian Lingkungan Hidup dan Kehutanan (KLHK)`), which is then never the display;
* spelling variants (`Soeharto`/`Suharto`, `Mohamad`/`Mohammad`, doubled letters,
  `Dj`/`J`): one ``variant_key``; an organisation's words in another order, with or
  without its `PT` (`PT Pertamina` / `Pertamina`);
* the curated nickname tables of ``aliases`` (`Jokowi`), which always win, whatever type
  an article gave the name (`SUGBK` is the place `Gelora Bung Karno`); `Provinsi X` is the
  province `X`;
* a numbered body and the field the text names it by (`Komisi Hukum atau Komisi III`,
  ``definitions``), with every name they head alike (`Komisi Hukum DPR` = `Komisi III DPR`).

In an article (``AliasTable.apply``, after canonicalisation): an organisation beside its form
with a place added (`Timnas U-16` / `Timnas Indonesia U-16`: ``aliases.fuller_orgs``), and a
generic regional body (`Balai Kota`) beside a province or regency the corpus names it with
(``sited``: `Balai Kota DKI Jakarta`).

Refused (``AliasTable.refused``, never a value): the long form of a generic acronym
(`Badan Usaha Milik Negara (BUMN)`). A lone "person" heading ``AMBIGUOUS`` organisations'
names is their brand, an organisation (`Astra`). Ambiguous (``AliasTable.ambiguous``): a lone first
name that starts the names of ``AMBIGUOUS`` people or more (`Bambang`, `Agus`) never maps
to one of them and is never a value: it names no one a reader could pick.

The display name of a group is its most common full form: for people the most
used name of two words or more, for organisations and places the most used form
(the news' own name for a body is often its acronym: `KPK`, `DPR`), a curated name
when the group holds one. Types are decided by the corpus, per group (``alias_vote.decide_type``
over the votes of its fuller members' articles): curated and known lists first, a venue or
place head next (`Sirkuit Misano`), then a person when the cue-needing person finders give it a quarter of its person and
organisation articles, no fewer than its place articles, and no word of it is an
organisation's or place's, an organisation when the finders give
it a third and it is no gazetteer country or province (`Liverpool` the club), else the
majority.

The table is a pure function of the index's evidence, so an incremental build
recomputes it and rewrites only the documents whose values change
(``indexer.canonical``): write-time canonicalisation that every backend serves
without knowing about aliases.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from indexer.extract.alias_table import SEP, SPELT, AliasTable, typed, untyped
from indexer.extract.alias_text import NUMBERED_RE, abbreviates
from indexer.extract.alias_vote import MIN_COOCCUR, MIN_FULLER, curated_kinds, decide_type, known_kind, people_named
from indexer.extract.aliases import norm_key
from indexer.extract.junk import is_junk
from indexer.extract.mention import KINDS, ORG, PERSON, PLACE
from indexer.extract.vocab import ORG_HEADS

# A lone word (`Anies`) is a fuller name's alias when that name holds this share of the
# lone word's fuller forms' documents.
DOMINANT = 0.8
# A lone word (`Marquez`, `Alex`) joins the fuller name its articles name beside it
# (`Marc Marquez`, `Alexander Marwata`) when they do so in at least this share of its articles.
COOCCUR_SHARE = 0.3
# A lone first name that starts this many people's names, who together are named more often
# than it (`Bambang`: Soesatyo, Brodjonegoro, Widjojanto...), names nobody: it is refused.
AMBIGUOUS = 3


_VARIANT_RULES = [
    (re.compile(r"oe"), "u"), (re.compile(r"dj"), "j"), (re.compile(r"tj"), "c"),
    (re.compile(r"^moh?amm?ad|^muhamm?ad|^moh\b"), "muhamad"),
    (re.compile(r"q"), "k"),  # `Rifqi` / `Rifki`, `Taufiq` / `Taufik`
    # Doubled letters, but not the Roman numerals' (`Komisi II` is not `Komisi I`).
    (re.compile(r"([a-hj-uwyz])\1"), r"\1"),
]


_JUNIOR_RE = re.compile(r" junior$")


def variant_key(name: str) -> str:
    """The key spelling variants share: `Soeharto`/`Suharto`, `Mohamad`/`Mohammad`/`Muhammad`."""
    parts = []
    for word in re.split(r"[\s\-.]+", name.lower()):
        for pattern, repl in _VARIANT_RULES:
            word = pattern.sub(repl, word)
        if word:
            parts.append(word)
    return " ".join(parts)


def learn(documents: list[list[str]]) -> AliasTable:
    """The alias table of a corpus from each document's ``evidence_values``."""
    counts: Counter = Counter()  # typed value -> documents
    pairs: Counter = Counter()  # (short typed, long typed) seen together
    defined: Counter = Counter()  # (short name, long name) spelt out
    partners: dict[str, Counter] = defaultdict(Counter)  # lone word -> fuller names of its articles holding it
    inside: dict[str, Counter] = defaultdict(Counter)  # name -> longer names of its articles holding it
    cut: Counter = Counter()  # (name cut at `dan`, the acronym its article defines the whole by)
    docs: Counter = Counter()  # name -> articles, whatever their types
    held: Counter = Counter()  # name -> articles where a longer name holds it
    for values in documents:
        names = [v for v in values if not v.startswith(("def" + SEP, SPELT + SEP))]
        counts.update(names)
        plain = {untyped(v)[1] for v in names}
        docs.update(plain)
        for name, longer in _inside_partners(plain).items():
            inside[name].update(longer)
            held[name] += 1
        for v in values:
            if v.startswith("def" + SEP):
                _, short, long = v.split(SEP)
                defined[(short, long)] += 1
                parts = long.split(" dan ")
                for part in {parts[0], parts[-1]} if len(parts) > 1 else ():
                    if part in plain:  # `Kementerian Lingkungan Hidup`, `Geofisika` (BMKG) cut at `dan`
                        cut[(part, short)] += 1
        for word, fuller in _lone_partners(names, plain).items():
            partners[word].update(fuller)
        orgs = [untyped(v)[1] for v in names if v.startswith(ORG + SEP)]
        # Short forms learnt by co-occurrence are syllabic (`Kemenkeu`, `Baleg`) or
        # `Kementerian X`: an all-capitals acronym collides too often (`KPU` is not
        # `Kementerian Pekerjaan Umum`) and is learnt only from a definition.
        shorts = [
            o for o in orgs
            if (" " not in o and (not o.isupper() or f"Kementerian {o}" in orgs)) or o.split()[0] in ("Kementerian", "Kemenko")
        ]
        for short in shorts:
            for long in orgs:
                if long != short and len(long) > len(short) and _short_form(short, long):
                    pairs[(short, long)] += 1
    # Every tie below falls by name, never by the order the documents came in (a build's
    # workers, an incremental build's kept documents first) or by set order.
    counts, pairs, defined, cut, docs, held = map(_sorted, (counts, pairs, defined, cut, docs, held))
    partners, inside = ({k: _sorted(c) for k, c in sorted(d.items())} for d in (partners, inside))
    votes: dict[str, Counter] = defaultdict(Counter)
    for value, n in counts.items():
        kind, name = untyped(value)
        votes[name][kind] += n
    name_count = Counter({name: sum(v.values()) for name, v in votes.items()})
    named = people_named(votes)
    kinds = {name: decide_type(name, v, votes, named) for name, v in votes.items()}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str, across: bool = False) -> None:
        """Merge two names' groups; names of two types never merge (`PSG` the club is not
        `Paulus Suryanta Ginting`) unless ``across`` (a lone word the articles name beside a
        fuller name), and a curated name keeps its own group."""
        if a not in name_count or b not in name_count or (not across and kinds[a] != kinds[b]):
            return
        ra, rb = find(a), find(b)
        if ra != rb and ra not in _curated():
            parent[ra] = rb
        elif ra != rb and rb not in _curated():
            parent[rb] = ra

    # The curated tables first, whatever type an article gave the name (`SUGBK` the
    # "organisation" is `Gelora Bung Karno` the place); `Provinsi DKI Jakarta` is `Jakarta`.
    # Over a copy: a target no article names is added to the counts.
    for name in list(name_count):
        target = _curated_name(name) or _province(name)
        if target and target != name and find(name) == name:
            parent[name] = target
            name_count.setdefault(target, 0)
            kinds.setdefault(target, known_kind(target) or kinds[name])
    # Organisations: definitions, then short forms by their most frequent partner.
    for (short, long), _ in defined.most_common():
        long = long if long in name_count else f"PT {long}"  # `PT Toyota Astra Motor (TAM)`
        union(short, long)  # nothing when neither spelling is a name of the corpus
    # A name cut at `dan` beside the definition of the whole (`Kementerian Lingkungan Hidup dan
    # Kehutanan (KLHK)`) is the defined body, never its display.
    fragments = set()
    for (head, short), n in cut.items():
        if n >= MIN_COOCCUR and short in name_count:
            union(head, short, across=True)
            fragments.add(head)
    best: dict[str, tuple[int, str]] = {}
    for (short, long), n in pairs.items():
        if n >= MIN_COOCCUR and n > best.get(short, (0, ""))[0]:
            best[short] = (n, long)
    for short, (_, long) in best.items():
        union(short, long)
    # `Komisi III` / `Komisi III DPR`: an organisation's name cut short, when one longer
    # name holds most of its extensions.
    org_names = {untyped(v)[1]: n for v, n in counts.items() if v.startswith(ORG + SEP)}
    by_head: dict[str, list[str]] = defaultdict(list)
    for name in org_names:
        words = name.split()
        for k in range(2, len(words)):
            by_head[" ".join(words[:k])].append(name)
    # `Komisi Hukum atau Komisi III` defines every name they head alike: `Komisi III DPR` is
    # `Komisi Hukum DPR`.
    for short, long in defined:
        if NUMBERED_RE.fullmatch(f"{long} atau {short}"):
            for name in by_head.get(short, ()):
                union(name, long + name[len(short):])
    for name, n in org_names.items():
        longer = by_head.get(name)
        if longer:
            top = max(longer, key=lambda o: org_names[o])
            if org_names[top] >= DOMINANT * sum(org_names[o] for o in longer) and org_names[top] >= MIN_FULLER:
                union(name, top)
    # People: shorter forms inside one fuller form.
    # Whatever type its articles gave it: the corpus' type (`Hotman Paris`, the tagger's "place").
    people = {name: n for name, n in name_count.items() if kinds[name] == PERSON}
    _people_groups(people, union, find)
    # Spelling variants, every kind; an organisation's words in another order
    # (`Timnas U-16 Indonesia` / `Timnas Indonesia U-16`); a person's `Junior` / `Jr`.
    by_variant: dict[str, list[str]] = defaultdict(list)
    for name in name_count:
        if not name.replace(" ", "").isupper():  # acronyms are not spelt two ways: `UII` is not `UI`
            key = variant_key(name)
            if kinds[name] == ORG:  # `PT Pertamina` is `Pertamina`; words in another order
                key = " ".join(sorted(key.split()[1:] if key.startswith("pt ") else key.split()))
            elif kinds[name] == PERSON:  # `Neymar Junior` is `Neymar Jr`
                key = _JUNIOR_RE.sub(" jr", key)
            by_variant[key].append(name)
    for group in by_variant.values():
        for other in group[1:]:
            union(other, group[0])
    # A lone word and the fuller name its articles name beside it (`Marquez` / `Marc
    # Marquez`, `Alex` / `Alexander Marwata`, `Dortmund` / `Borussia Dortmund`), whatever
    # type each article gave the lone word (`Newcastle` the "person" / `Newcastle United`).
    from indexer.extract.gazetteer import places

    for word, fuller in partners.items():
        if word in _curated() or word.lower() in places():  # `Bima` the regency is not `Bima Sakti`
            continue
        groups: Counter = Counter()
        for other, n in fuller.items():
            if name_count[other] >= MIN_COOCCUR and _names_it(word, other, kinds[other]):
                groups[find(other)] += n
        if not groups:
            continue
        root, n = groups.most_common(1)[0]
        if (
            n >= DOMINANT * sum(groups.values()) and n >= MIN_FULLER and n >= COOCCUR_SHARE * docs[word]
            and (kinds[root] != PLACE or kinds[word] == PLACE)  # `Hotman` is not the "place" `Hotman Paris`
        ):
            union(word, root, across=True)
    # A fragment of a longer name (`Gatot Soebroto` of `RSPAD Gatot Soebroto`, `Metro Jaya` of
    # `Polda Metro Jaya`): a name its articles nearly always write inside a longer one.
    for name, longer in inside.items():
        if name in _curated() or name.lower() in places() or docs[name] < MIN_FULLER:
            continue
        if held[name] < DOMINANT * docs[name]:
            continue
        groups = Counter()
        for other, n in longer.items():
            if name_count[other] >= MIN_COOCCUR:
                groups[find(other)] += n
        if groups and groups.most_common(1)[0][1] >= sum(groups.values()) / 2:
            union(name, groups.most_common(1)[0][0], across=True)
    _people_groups(people, union, find)  # again, over the groups the passes since have made
    groups_of: dict[str, list[str]] = defaultdict(list)
    for name in name_count:
        groups_of[find(name)].append(name)
    canonical: dict[str, str] = {}
    types = {name: kinds[name] for name, v in votes.items() if len(v) > 1 or kinds[name] not in v}
    types.update({name: ORG for name in _brands(org_names, kinds, groups_of, find)})
    for members in groups_of.values():
        if len(members) < 2:
            continue
        # The fuller forms carry the type: the tagger guesses a lone word's (`Veronica` the "place").
        fuller = [m for m in members if " " in m] or members
        group_votes: Counter = sum((votes[m] for m in fuller), Counter())
        main = max(fuller, key=lambda m: (name_count[m], m))
        kind = next((k for k in map(known_kind, members) if k), None) or decide_type(main, group_votes, votes, named)
        display = next((m for m in members if m in _curated_values()), None) or _display(
            [m for m in members if m not in fragments] or members, {m for m in members if kinds[m] == kind},
            name_count, kind)
        types[display] = kind
        for member in members:
            for k in KINDS:
                if typed(k, member) in counts and member != display:
                    canonical[typed(k, member)] = display
    # `Badan Usaha Milik Negara (BUMN)`: the long form of a generic acronym names no one body either.
    generic = {long for short, long in defined if is_junk(short)}
    ambiguous = _ambiguous_first_names(people, votes, name_count, groups_of, find)
    sited = _sited(org_names, lambda name: canonical.get(typed(ORG, name), name))
    # The fuller people a lone name may resolve to by its article's spelling: named in MIN_FULLER articles.
    fuller_people = frozenset(
        canonical.get(typed(PERSON, name), name) for name, n in people.items() if " " in name and n >= MIN_FULLER)
    return AliasTable(canonical, {n: k for n, k in types.items() if n in name_count}, frozenset(generic), ambiguous,
                      sited, fuller_people)


def _generic(words: list[str], gazetteer) -> bool:
    """A body's head with no name in it: an organisation head word first, no acronym, no place."""
    return words[0].lower() in ORG_HEADS and not any(w.isupper() or w.lower() in gazetteer for w in words)


def _sorted(counter: Counter) -> Counter:
    """The same counts, held in the order of their keys."""
    return Counter(dict(sorted(counter.items())))


def _sited(org_names: dict[str, int], display) -> dict[str, dict[str, str]]:
    """A generic body (`Balai Kota`, `Dinas Perhubungan`: a head word, no place or acronym) -> place ->
    the corpus' name of that body in that place (`Balai Kota DKI Jakarta`, seen in
    ``MIN_COOCCUR`` articles; two bodies named as often there: neither): an article naming the generic body and the place means it
    (``AliasTable.apply``). Provinces and regencies only: a regional body; a country's
    (`Kementerian Luar Negeri Rusia`) is named beside other countries' places too often
    (`Kementerian Luar Negeri` of Indonesia commenting on Russia). ``display``: a name's
    canonical form."""
    from indexer.extract.gazetteer import PROVINCE, REGENCY, places

    gazetteer = places()
    best: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for name, n in org_names.items():
        words = name.split()
        for k in range(2, len(words)):
            head, site = " ".join(words[:k]), gazetteer.get(norm_key(" ".join(words[k:])))
            if site and site[1] in (PROVINCE, REGENCY) and n >= MIN_COOCCUR and head in org_names and _generic(words[:k], gazetteer):
                seen, shown = best[head].get(site[0], (0, ""))
                if n > seen:
                    best[head][site[0]] = (n, display(name))
                elif n == seen and display(name) != shown:  # `Kota Bekasi`'s or `Kabupaten Bekasi`'s: neither
                    best[head][site[0]] = (n, "")
    return {head: {place: name for place, (_, name) in sites.items() if name} for head, sites in best.items()}


def _lone_partners(names: list[str], plain: set[str]) -> dict[str, set[str]]:
    """One article's lone words -> its fuller names that hold them: as a word (`Marquez` in
    `Marc Marquez`), for a person as the start of the first word (`Alex` in `Alexander
    Marwata`); an acronym only as the head (`RSPAD` of `RSPAD Gatot Soebroto`: `KPK` is in
    `Dewan Pengawas KPK` without being it). ``plain``: the names without their types."""
    lone = [n for n in plain if " " not in n and len(n) >= 3]
    if not lone:
        return {}
    people = {untyped(v)[1] for v in names if v.startswith(PERSON + SEP)}
    fuller = [(f, f.split()) for f in plain if " " in f]
    return {
        w: {f for f, words in fuller if w == words[0] or (not w.isupper() and (
            w in words or (f in people and words[0].startswith(w))))}
        for w in lone
    }


def _names_it(word: str, fuller: str, kind: str) -> bool:
    """Whether a lone word can be a short name of this fuller name: for an organisation
    its first or last word in three words at most (`Newcastle United`, `Arema FC`,
    `Borussia Dortmund`; not `Universitas Trisakti Abdul Fickar Hadjar`)."""
    words = fuller.split()
    return kind != ORG or (len(words) <= 3 and word in (words[0], words[-1]))


def _inside_partners(plain: set[str]) -> dict[str, set[str]]:
    """One article's names of two words or more -> its longer names that hold them, word for
    word (`Gatot Soebroto` in `RSPAD Gatot Soebroto`); ``plain``: its names without their types."""
    spaced = [(f" {f} ", f) for f in plain if " " in f]
    out = {}
    for name in plain:
        if " " in name:
            longer = {f for padded, f in spaced if f != name and f" {name} " in padded}
            if longer:
                out[name] = longer
    return out


def _brands(org_names: dict[str, int], kinds: dict[str, str], groups_of: dict[str, list[str]], find) -> set[str]:
    """Lone "people" that head ``AMBIGUOUS`` organisations' names or more (`Astra`: `Astra Honda
    Motor`, `PT Astra International`, `Astra Tol Nusantara`): the group's brand, an organisation."""
    heads: dict[str, set[str]] = defaultdict(set)
    for name, n in org_names.items():
        words = name.split()[1:] if name.startswith("PT ") else name.split()
        if len(words) > 1 and n >= MIN_COOCCUR:
            heads[words[0]].add(find(name))
    return {
        name for name, orgs in heads.items()
        if len(orgs) >= AMBIGUOUS and kinds.get(name) == PERSON and len(groups_of[find(name)]) == 1
        and name not in _curated()
    }


def _ambiguous_first_names(people: dict[str, int], votes: dict[str, Counter], name_count: Counter,
                           groups_of: dict[str, list[str]], find) -> frozenset[str]:
    """Lone first names that join no fuller name and start the names of ``AMBIGUOUS`` people
    or more, named more often than it together (`Bambang`, `Agus`): never mapped to one of
    them and never a value: beside a fuller form the article's own coreference missed
    (`Bambang` the tagger's "place" beside `Bambang Irianto`) or alone (a facet value `Agus`
    would gather a dozen men). A place the gazetteer knows is none (`Bandung` is not
    `Bandung Bondowoso`)."""
    from indexer.extract.gazetteer import places

    by_first: dict[str, set[str]] = defaultdict(set)
    for name, n in people.items():
        words = name.split()
        if len(words) > 1 and n >= MIN_COOCCUR:
            by_first[words[0]].add(find(name))
    out = set()
    for name, roots in by_first.items():
        if (
            name in votes and votes[name][PERSON] and len(groups_of[find(name)]) == 1 and name not in _curated()
            and len(roots) >= AMBIGUOUS and name.lower() not in places()
            and sum(name_count[m] for r in roots for m in groups_of[r]) >= name_count[name]
        ):
            out.add(name)
    return frozenset(out)


@lru_cache(maxsize=1)
def _curated() -> frozenset[str]:
    """Names the curated tables fix (`Soekarno`, `PSG`, `Korea Utara`): never folded into another."""
    return frozenset(curated_kinds())


@lru_cache(maxsize=1)
def _curated_values() -> frozenset[str]:
    """The curated tables' display names: a group holding one is shown by it."""
    from indexer.extract.aliases import ORG_ALIASES, PERSON_ALIASES, PLACE_ALIASES

    return frozenset(v for table in (ORG_ALIASES, PERSON_ALIASES, PLACE_ALIASES) for v in table.values())


def _curated_name(name: str) -> str | None:
    from indexer.extract.aliases import ORG_ALIASES, PERSON_ALIASES, PLACE_ALIASES

    return next((t[name] for t in (PERSON_ALIASES, ORG_ALIASES, PLACE_ALIASES) if name in t), None)


def _province(name: str) -> str | None:
    """`Provinsi DKI Jakarta` -> `Jakarta`, `Provinsi Riau` -> `Riau`: a province is its name."""
    from indexer.extract.aliases import PLACE_ALIASES
    from indexer.extract.gazetteer import PROVINCE, places

    head, _, rest = name.partition(" ")
    if head.lower() != "provinsi" or not rest:
        return None
    rest = PLACE_ALIASES.get(rest, rest)
    hit = places().get(rest.lower())
    return rest if hit and hit[1] == PROVINCE else None


def _short_form(short: str, long: str) -> bool:
    """`Kemenkeu` / `Kementerian Keuangan`; `PUPR` / `Kementerian PUPR`."""
    if " " in short:  # `Kementerian PUPR` / `Kementerian Pekerjaan Umum dan Perumahan Rakyat`
        head, rest = short.split(" ", 1)
        return long.startswith(head + " ") and abbreviates(rest, long[len(head) + 1:])
    if long.split() == [long.split()[0], short] and long.split()[0] in ("Kementerian", "Kemenko"):
        return True  # `PUPR` / `Kementerian PUPR`
    return abbreviates(short, long)


def _people_groups(people: dict[str, int], union, find) -> None:
    """Fuller names first (`Anies Baswedan` / `Anies Rasyid Baswedan`), then lone words,
    counted by the groups the first pass made."""
    by_first: dict[str, list[str]] = defaultdict(list)
    by_word: dict[str, list[str]] = defaultdict(list)
    for name in people:
        by_first[name.split()[0]].append(name)
        for word in set(name.split()[1:]):
            by_word[word].append(name)
    lone = []
    for name in people:
        words = name.split()
        if len(words) == 1:
            lone.append(name)
            continue
        fuller = [o for o in by_first[words[0]] if len(o.split()) > len(words) and _inside(words, o.split())]
        seen: Counter = Counter()  # fuller groups, not a headline's glue (`Sri Mulyani Beberkan`)
        for o in fuller:
            if people[o] >= MIN_COOCCUR:
                seen[find(o)] += people[o]
        if len(fuller) == 1:
            union(name, fuller[0])
        elif seen and seen.most_common(1)[0][1] >= DOMINANT * sum(seen.values()):
            union(name, seen.most_common(1)[0][0])  # one dominates; two alike are two people: `Budi Santoso`
    for name in lone:
        groups: Counter = Counter()  # fuller names with this word, first (`Anies`) or last (`Marquez`)
        for other in by_first[name] + by_word[name]:
            if other != name:
                groups[find(other)] += people[other]
        groups = Counter({root: n for root, n in groups.items() if n >= MIN_COOCCUR})  # not a headline's glue
        if groups:
            root, n = groups.most_common(1)[0]
            # The fuller name holds most of the lone word's fuller uses, is seen in a few
            # articles (not one headline's glue) and more often than the lone word itself
            # (`Soekarno` alone is a name of its own, not `Soekarno Hatta`), or is the lone
            # word's own junior (`Neymar Jr`, whom the news mostly calls `Neymar`).
            if n >= DOMINANT * sum(groups.values()) and n >= MIN_FULLER and (
                    n >= people[name] or root in _juniors(name, by_first[name], find)):
                union(name, root)


def _juniors(name: str, fuller: list[str], find) -> set[str]:
    """The groups of ``name``'s `Jr` / `Junior` among its ``fuller`` names."""
    junior = f"{variant_key(name)} jr"
    return {find(o) for o in fuller if _JUNIOR_RE.sub(" jr", variant_key(o)) == junior}


def _inside(words: list[str], other: list[str]) -> bool:
    """The words in order inside ``other``; two or more words keep the first and last
    (`Anies Baswedan` in `Anies Rasyid Baswedan`) or are its start (`Sri Mulyani` in
    `Sri Mulyani Indrawati`)."""
    if len(words) > 1 and other[:len(words)] == words:
        return True
    if len(words) > 1 and (words[0] != other[0] or words[-1] != other[-1]):
        return False
    it = iter(other)
    return all(w in it for w in words)


def _display(members: list[str], typed_as: set[str], count: Counter, kind: str) -> str:
    """The most common full form, of the group's type (``typed_as``) when one is: for people two
    words or more; else the most used."""
    pool = [m for m in members if " " in m] if kind == PERSON else []
    pool = [m for m in pool if m in typed_as] or pool or [m for m in members if m in typed_as] or members
    return max(pool, key=lambda m: (count[m], len(m), m))

