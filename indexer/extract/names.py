"""People, organisations and places from capitalised runs.

Indonesian news writes the title before the name (`Presiden Rusia Vladimir
Putin`, `juru bicara Kremlin Dmitry Peskov`), so a run of capitalised words is
cut into segments at titles, organisation heads and gazetteer places, and each
segment is typed by what cut it off: after a title it is a person, after
`Partai`/`Kementerian` an organisation, a gazetteer hit a place. What is left
without a cue is a person when it looks like a name (not an ordinary word by
the corpus lexicon). ``resolve`` then merges the mentions of one article.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.extract import vocab
from indexer.extract.aliases import ORG_KEYS, PERSON_KEYS, display_name, merge_key, norm_key
from indexer.extract.gazetteer import REGENCY, canonical_place, places
from indexer.extract.lexicon import common_words
from indexer.extract.tokens import Token, tokenize

PERSON, ORG, PLACE = "person", "organization", "location"

# Longest place name in tokens we look up (`Laut China Selatan`, `Republik Demokratik Rakyat Korea`).
MAX_PLACE_TOKENS = 5
# A lone unknown capitalised word (`Floyd`, `Stadion`) is a person only with a
# cue (a title, a speech verb) or when the article repeats it this often.
MIN_WEAK_MENTIONS = 2
# Unknown runs longer than this are titles of works or headlines, not names.
MAX_NAME_TOKENS = 4

# A dateline (`JAKARTA, KOMPAS.com -`, `Jakarta, IDN Times -`, `CARAPANDANG -`): where the
# article was filed and by whom, not what it is about.
_SP = r"[^\S\n]"
_CAPS = r"[A-Z][\w.]*(?:" + _SP + r"+[A-Z][\w.]*){0,2}"
DATELINE_RE = re.compile(
    rf"^{_SP}*(?:[A-Z][A-Z.]+|{_CAPS}{_SP}*,{_SP}*{_CAPS}){_SP}*[-–—]{_SP}", re.M
)
# Datelines open an article; only its first lines are searched.
DATELINE_WINDOW = 600

# Lowercase words before a run that type it: `kantor berita Yonhap`, `surat kabar Chosun Ilbo`.
ORG_CUES = frozenset("berita kabar media harian televisi maskapai klub band grup partai situs laman portal koran majalah tabloid".split())
PLACE_CUES = vocab.PLACE_HEADS


@dataclass(slots=True)
class Mention:
    kind: str
    name: str
    pos: int
    level: str = ""  # places: gazetteer level, or "cued" for `Pulau X`-style names
    tokens: tuple[str, ...] = field(default=())
    weak: bool = False  # a lone unknown word with no cue: kept only if the article confirms it


def find_mentions(text: str) -> list[Mention]:
    """Every typed mention in text order, before merging."""
    tokens = tokenize(text)
    skip_spans = _skip_spans(text)
    out: list[Mention] = []
    i, n = 0, len(tokens)
    common = common_words()
    while i < n:
        tok = tokens[i]
        if not _capital(tok.text) or (skip_spans and _skipped(tok.start, skip_spans)):
            i += 1
            continue
        if tok.text.lower() in vocab.CREDIT_CUES:
            i = _skip_credit(text, tokens, i)
            continue
        j = _run_end(tokens, i)
        after = tokens[j].text.lower() if j < n and tokens[j].joined else ""
        _segment(tokens[i:j], _cue_before(tokens, i), after in vocab.SPEAKER_VERBS, common, out)
        i = j
    return out


def _run_end(tokens: list[Token], i: int) -> int:
    """End of the capitalised run starting at i: joined capitalised words, inner connectors,
    and numbers once a head word announced a name that takes them (`SMA Negeri 24 Bandung`)."""
    n = len(tokens)
    j = i + 1
    headed = tokens[i].text.lower() in vocab.NUMBERED_HEADS
    while j < n and tokens[j].joined:
        word = tokens[j].text
        if _capital(word):
            headed = headed or word.lower() in vocab.NUMBERED_HEADS
            j += 1
        elif headed and word.isdigit():
            j += 1
        elif word in vocab.CONNECTORS and j + 1 < n and tokens[j + 1].joined and _capital(tokens[j + 1].text):
            j += 2
        else:
            break
    return j


_CAMEL_RE = re.compile(r"[a-z][A-Z]")


def _capital(word: str) -> bool:
    """Capitalised like a name: `Putin`, `KCNA`, `McDonald`, but not a glued `EditorSonya`."""
    if not word[0].isupper():
        return False
    camel = _CAMEL_RE.search(word)
    return camel is None or word.startswith(("Mc", "Mac")) and camel.start() <= 2


def _skip_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in DATELINE_RE.finditer(text[:DATELINE_WINDOW])]


def _skipped(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _skip_credit(text: str, tokens: list[Token], i: int) -> int:
    """After `Foto:` / `dok.` the rest of the line (or parenthesis) is a credit: skip it."""
    end_tok = tokens[i].end
    gap = text[end_tok:end_tok + 2]
    if ":" not in gap and "." not in gap:
        return i + 1
    stop = len(text)
    for ch in "\n)":
        k = text.find(ch, end_tok)
        if k != -1:
            stop = min(stop, k)
    i += 1
    while i < len(tokens) and tokens[i].start < stop:
        i += 1
    return i


def _cue_before(tokens: list[Token], i: int) -> str:
    """What the lowercase word right before a run says about it."""
    if i == 0:
        return ""
    if not tokens[i].joined:
        return ""
    low = tokens[i - 1].text.lower()
    if low in vocab.TITLES:
        return PERSON
    if low in vocab.SPEECH_VERBS:
        return "speech"
    if low in ORG_CUES:
        return ORG
    if low in PLACE_CUES:
        return PLACE
    return ""


def _match_place(run: list[Token], k: int) -> tuple[int, str, str] | None:
    table = places()
    for length in range(min(MAX_PLACE_TOKENS, len(run) - k), 0, -1):
        key = norm_key(" ".join(t.text for t in run[k:k + length]))
        hit = table.get(key)
        if hit is not None:
            return length, hit[0], hit[1]
    return None


def _match_org(run: list[Token], k: int) -> int:
    """Length of the known multi-word organisation (`Channel News Asia`) starting at k, or 0."""
    for length in range(min(MAX_PLACE_TOKENS, len(run) - k), 1, -1):
        if norm_key(" ".join(t.text for t in run[k:k + length])) in ORG_KEYS:
            return length
    return 0


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isupper() and word.isalpha()


class _Cutter:
    """Cuts one capitalised run into typed pieces; holds the run's state while it walks."""

    def __init__(self, run: list[Token], cue: str, speaker: bool, common: frozenset[str], out: list[Mention]):
        self.run, self.cue, self.speaker, self.common, self.out = run, cue, speaker, common, out
        self.lows = [t.text.lower() for t in run]
        self.pending: list[Token] = []

    def text(self, a: int, b: int) -> str:
        return " ".join(t.text for t in self.run[a:b])

    def flush(self, next_cue: str | None = None) -> None:
        """Type the words collected so far; the cue carries on only if told (titles, orgs)."""
        _flush(self.pending, self.cue, False, self.common, self.out)
        self.pending = []
        if next_cue is not None:
            self.cue = next_cue

    def cut(self) -> None:
        run, lows, n = self.run, self.lows, len(self.run)
        if n >= 3 and any(w in vocab.ENGLISH_CONNECTORS for w in lows[1:-1]):
            # `Voice of Korea`, `Bank of America`: an English name is one organisation.
            self.org(0, n)
            return
        k = 0
        while k < n:
            low = lows[k]
            if low in vocab.NEVER:
                self.flush("")
                k += 1
            elif low in vocab.EVENT_HEADS:
                self.flush("")  # `Piala Dunia`, `Olimpiade Tokyo`: an event, none of ours
                return
            elif low in vocab.TITLES or (k + 1 < n and (low, lows[k + 1]) in vocab.TITLE_PAIRS):
                self.flush(PERSON)
                k += 2 if (k + 1 < n and (low, lows[k + 1]) in vocab.TITLE_PAIRS) else 1
                # A title's portfolio (`Menteri Sumber Daya Alam`) is ordinary words: skip them.
                while k < n and (lows[k] in self.common or lows[k] in vocab.TITLES) and _match_place(run, k) is None:
                    k += 1
            elif (low in vocab.ORG_HEADS and k + 1 < n) or low in vocab.KNOWN_ORGS:
                end = k + 1
                if low in vocab.ORG_HEADS:
                    while end < n and lows[end] not in vocab.TITLES:
                        end += 1
                self.flush()
                self.org(k, end)
                k = end
            elif (length := _match_org(run, k)):
                self.flush()
                self.org(k, k + length)
                k += length
            else:
                k = self.place_or_word(k)
        _flush(self.pending, self.cue, self.speaker, self.common, self.out)

    def org(self, a: int, b: int) -> None:
        name = self.text(a, b)
        self.out.append(Mention(ORG, ORG_KEYS.get(norm_key(name), name), self.run[a].start))
        if self.cue != PERSON:
            self.cue = ""

    def place_or_word(self, k: int) -> int:
        run, lows, n, tok = self.run, self.lows, len(self.run), self.run[k]
        hit = _match_place(run, k)
        if hit is not None:
            length, canonical, level = hit
            end = k + length
            if end < n and lows[end] in vocab.ORG_TAILS:
                # `Manchester City`, `Persib Bandung FC`: a club named after its town.
                start = run.index(self.pending[0]) if self.pending else k
                self.pending = []
                self.org(start, end + 1)
                return end + 1
            glued = level == REGENCY and (
                (self.pending and lows[k - 1] not in self.common)
                or (end < n and lows[end] not in self.common and _match_place(run, end) is None)
            )
            if not glued:
                self.flush()
                self.out.append(Mention(PLACE, canonical, tok.start, level))
                while end < n and lows[end] in vocab.DIRECTIONS:  # `Rusia Timur` is still Rusia
                    end += 1
                return end
        low = lows[k]
        if _is_acronym(tok.text) and low not in vocab.NOT_ORG_ACRONYMS and low not in self.common:
            self.flush()
            person = PERSON_KEYS.get(merge_key(tok.text))
            if person:
                self.out.append(_person(person, tok.start))
            else:
                self.org(k, k + 1)
            return k + 1
        if low in vocab.PLACE_HEADS and k + 1 < n:
            self.flush("")
            end = k + 1
            while end < n and lows[end] not in vocab.TITLES and lows[end] not in vocab.NEVER:
                if end > k + 1 and _match_place(run, end) is not None:
                    break  # `Wilayah Amur Timur Jauh`: a second place starts here
                end += 1
            name = self.text(k + (1 if low in vocab.ADMIN_HEADS else 0), end)
            self.out.append(Mention(PLACE, canonical_place(name), tok.start, "cued"))
            return end
        self.pending.append(tok)
        return k + 1


def _segment(run: list[Token], cue: str, speaker: bool, common: frozenset[str], out: list[Mention]) -> None:
    """Cut one capitalised run at titles, organisation heads and places; type each piece."""
    _Cutter(run, cue, speaker, common, out).cut()


def _flush(pending: list[Token], cue: str, speaker: bool, common: frozenset[str], out: list[Mention]) -> None:
    """Type leftover words: pieces between ordinary words. The cue types the first piece,
    a speech verb after the run (`speaker`) the last."""
    pieces: list[list[Token]] = []
    piece: list[Token] = []
    for tok in pending:
        if _ordinary(tok, common):
            if piece:
                pieces.append(piece)
            piece = []
        else:
            piece.append(tok)
    if piece:
        pieces.append(piece)
    for idx, piece in enumerate(pieces):
        piece_cue = cue if idx == 0 else ""
        if speaker and idx == len(pieces) - 1 and not piece_cue:
            piece_cue = "speech"
        _emit_piece(piece, piece_cue, out)


def _ordinary(tok: Token, common: frozenset[str]) -> bool:
    """An ordinary word capitalised by position or style, not a name part."""
    low = tok.text.lower()
    if low in common or low in vocab.CONNECTORS or tok.text.isdigit() or len(tok.text) < 2:
        return True
    if tok.text.isupper():  # an acronym that is not an organisation (`KTT`), or shouting
        return True
    if tok.sentence_start:
        from indexer.analysis import stem

        return stem(low) != low  # an affixed Indonesian word (`Kontribusinya`), not a name
    return False


def _emit_piece(piece: list[Token], cue: str, out: list[Mention]) -> None:
    text = " ".join(t.text for t in piece)
    pos = piece[0].start
    person = PERSON_KEYS.get(merge_key(text))
    if person:
        out.append(_person(person, pos))
        return
    org = ORG_KEYS.get(norm_key(text))
    last = piece[-1].text.lower()
    if org or cue == ORG or (last in vocab.ORG_TAILS and len(piece) > 1):
        out.append(Mention(ORG, org or text, pos))
        return
    if cue == PLACE:
        out.append(Mention(PLACE, canonical_place(text), pos, "cued"))
        return
    if len(piece) > MAX_NAME_TOKENS or last in vocab.ORG_TAILS:
        return
    mention = _person(display_name(text), pos)
    mention.weak = len(piece) == 1 and not cue
    out.append(mention)


def _person(name: str, pos: int) -> Mention:
    return Mention(PERSON, name, pos, tokens=tuple(name.split()))


def resolve(mentions: list[Mention]) -> tuple[list[str], list[str], list[str]]:
    """Merge one article's mentions; return people, organisations, places by importance.

    A one- or two-word person (`Putin`, `Kim`) joins the fuller name it is
    part of (`Vladimir Putin`, `Kim Jong Un`); a regency name that is part of
    a person's name in the same article (`Bima` beside `Bima Arya`) is that
    person; a "person" spelt like an organisation or a cued place of the same
    article (`Chosun Ilbo`, `Vostochny` beside `Kosmodrom Vostochny`) is that.
    """
    part_of: dict[str, Counter] = {}
    for m in mentions:
        if m.kind == PERSON and len(m.tokens) > 1:
            for part in m.tokens:
                part_of.setdefault(merge_key(part), Counter())[m.name] += 1
    org_keys = {merge_key(m.name): m.name for m in mentions if m.kind == ORG}
    place_parts = {
        merge_key(part): m.name for m in mentions if m.kind == PLACE for part in m.name.split()[1:]
    }
    seen = Counter(merge_key(m.name) for m in mentions if m.kind == PERSON)
    confirmed = {merge_key(m.name) for m in mentions if m.kind == PERSON and not m.weak}
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
            elif not m.weak or key in confirmed or seen[key] >= MIN_WEAK_MENTIONS:
                people.append((m.name, m.pos))
        elif m.kind == PLACE:
            if m.level == REGENCY and merge_key(m.name) in part_of:
                people.append((part_of[merge_key(m.name)].most_common(1)[0][0], m.pos))
            else:
                locs.append((m.name, m.pos))
        else:
            orgs.append((m.name, m.pos))
    return _rank(people, merge_key), _rank(orgs, norm_key), _rank(locs, norm_key)


def _owner(parts: tuple[str, ...], part_of: dict[str, Counter]) -> str | None:
    """The longer name in the article that contains all of these name parts, if one does."""
    candidates: Counter | None = None
    for part in parts:
        owners = part_of.get(merge_key(part))
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


def extract_names(text: str) -> tuple[list[str], list[str], list[str]]:
    """People, organisations and places of one text."""
    return resolve(find_mentions(text))
