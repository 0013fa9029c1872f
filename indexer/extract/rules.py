"""Candidate mentions by rule: people, organisations and places cut from capitalised runs.

Indonesian news writes the title before the name (`Presiden Rusia Vladimir
Putin`, `juru bicara Kremlin Dmitry Peskov`), so a run of capitalised words is
cut into segments at titles, organisation heads and gazetteer places, and each
segment is typed by what cut it off: after a title it is a person, after
`Partai`/`Kementerian` an organisation, a gazetteer hit a place. What is left
without a cue is a person when it looks like a name (not an ordinary word by
the corpus lexicon). ``combine`` sets these beside the tagger's spans and
``resolve`` merges an article's mentions into entities.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.extract import vocab
from indexer.extract.aliases import ORG_KEYS, PERSON_KEYS, display_name, merge_key, norm_key, org_name
from indexer.extract.gazetteer import DISTRICT, REGENCY, canonical_place, club_head, districts, longest_by_first, place_index
from indexer.extract.lexicon import affixed_word, common_words
from indexer.extract.mention import ORG, PERSON, PLACE, Mention
from indexer.extract.tokens import Run, Token, find_runs

# A weak cue: `di`/`ke`/`dari` before a run. Only a district name takes it as a place.
AT = "at"

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
    rf"^{_SP}*(?:[A-Z][A-Z.]+|{_CAPS}{_SP}*,{_SP}*{_CAPS}){_SP}*[-–—]{{1,2}}{_SP}", re.M
)
# Datelines open an article; only its first lines are searched.
DATELINE_WINDOW = 600


def find_mentions(text: str, skip: list[tuple[int, int]]) -> list[Mention]:
    """Every typed mention in text order, before merging; nothing starting in ``skip``."""
    out: list[Mention] = []
    common = common_words()
    group, prev_end = 0, 0
    for run in find_runs(text, vocab.NUMBERED_HEADS, lone_ordinary_words()):
        tokens = run.tokens
        if run.before in vocab.INITIALS_CUES:
            continue  # `pelaku berinisial AS`: initials, not a country or a name
        if not all(map(_run_word, tokens)):
            tokens = [t for t in tokens if _run_word(t)]  # drop `EditorSonya`-style glue
        if not tokens or not _capital(tokens[0].text):
            continue
        if skip and any(a <= tokens[0].start < b for a, b in skip):
            continue
        if not LIST_GAP_RE.fullmatch(text, prev_end, tokens[0].start):
            group += 1
        prev_end = tokens[-1].start + len(tokens[-1].text)
        cut = _cut_cached(tokens, run, common)
        for k, (kind, name, level, parts, weak, index) in enumerate(cut):
            # A mention reaches to the next one of its run, or to the run's end.
            end = tokens[cut[k + 1][5]].start - 1 if k + 1 < len(cut) else prev_end
            out.append(Mention(kind, name, tokens[index].start, level, parts, weak, group, end))
    return out


# Runs repeat, within an article (`Kim Jong Un` fifteen times) and across the corpus
# (`Presiden Joko Widodo`): cutting depends only on the words, the sentence start and
# the cues, so a run is cut once while it stays in this cache. The 22k corpus has ~190k
# distinct runs (~180 MB cached); the cap keeps a worker's memory to a few MB at a small
# cost in misses, mostly for runs seen once anyway.
_CUT_CACHE: dict[tuple, list[tuple]] = {}
_CUT_CACHE_MAX = 20_000


def _cut_cached(tokens: list[Token], run: Run, common: frozenset[str]) -> list[tuple]:
    """The mentions of a run as (kind, name, level, tokens, weak, index of its first token)."""
    cue, speaker = _cue(run.before), run.after in vocab.PERSON_VERBS
    key = (tuple(t.text for t in tokens), tokens[0].sentence_start, cue, speaker)
    cached = _CUT_CACHE.get(key)
    if cached is None:
        found: list[Mention] = []
        _segment(tokens, cue, speaker, common, found)
        index = {t.start: i for i, t in enumerate(tokens)}
        cached = [(m.kind, m.name, m.level, m.tokens, m.weak, index[m.pos]) for m in found]
        if len(_CUT_CACHE) >= _CUT_CACHE_MAX:
            _CUT_CACHE.clear()
        _CUT_CACHE[key] = cached
    return cached


# What separates the items of a list of names (`Ariel, Uki, Lukman dan Reza`): a lone
# name in a list with a sure person is a person too.
LIST_GAP_RE = re.compile(r"\s*(?:,|,?\s*(?:dan|serta|atau|&))\s*")


# Credits (`Foto: Sputnik`, `(dok. Twitter @nknewsorg)`, `Editor: X`): the rest of the line
# or parenthesis names who made the picture or the page, not what it shows.
CREDIT_WORDS = ("foto", "dok", "ilustrasi", "kredit", "editor", "penulis", "reporter", "pewarta", "wartawan")
CREDIT_RE = re.compile(
    r"\b(?:foto|dok|sumber foto|ilustrasi|kredit|editor|penulis|reporter|pewarta|fotografer)"
    r"[^\S\n]*[:.][^\n)]*"
    # A credit heading on a line of its own names the staff on the next line.
    r"|^[^\S\n]*(?:editorial team|editor|penulis|reporter|pewarta)[^\S\n]*\n[^\n]*"
    # `Laporan Wartawan Tribunnews.com, Edwin Firdaus TRIBUNNEWS.COM, JAKARTA -`
    r"|\blaporan wartawan[^\n]*?(?=(?-i:[A-Z]{3,}\.COM)|$)",
    re.IGNORECASE | re.MULTILINE,
)


_CAMEL_RE = re.compile(r"[a-z][A-Z]")
_NOMINAL_RE = re.compile(r"(?:pe|ke)[a-z]{4,}an$")


def _capital(word: str) -> bool:
    """Capitalised like a name: `Putin`, `KCNA`, `McDonald`, but not a glued `EditorSonya`."""
    if not word[0].isupper():
        return False
    camel = _CAMEL_RE.search(word)
    return camel is None or word.startswith(("Mc", "Mac")) and camel.start() <= 2


@lru_cache(maxsize=1)
def lone_ordinary_words() -> frozenset[str]:
    """Words that, alone in a run, are dropped unbuilt: most runs are one capitalised
    word and most of those an ordinary word opening a sentence (`Namun`, `Dia`)."""
    places = place_index()[0]
    return frozenset(w for w in common_words() if w not in places and w not in vocab.KNOWN_ORGS)


def _run_word(tok: Token) -> bool:
    return _capital(tok.text) or tok.text.isdigit() or tok.text in vocab.CONNECTORS


_INITIALS_RE = re.compile(r"\b(?:inisial|berinisial)\s+[A-Z]{1,5}\b", re.IGNORECASE)


def skip_spans(text: str) -> list[tuple[int, int]]:
    """Datelines, credits and initials (`berinisial AS`): where no facet value may start."""
    spans = [m.span() for m in DATELINE_RE.finditer(text, 0, DATELINE_WINDOW)]
    if "inisial" in text:
        spans += [m.span() for m in _INITIALS_RE.finditer(text)]
    low = text.lower()
    if any(word in low for word in CREDIT_WORDS):  # most articles have no credit: skip the regex
        spans += [m.span() for m in CREDIT_RE.finditer(text)]
    return spans


def _cue(before: str) -> str:
    """What the word right before a run says about it."""
    if before in vocab.TITLES:
        return PERSON
    if before in vocab.SPEECH_VERBS or before in vocab.PERSON_CUES:
        return "speech"
    if before in vocab.ORG_CUES:
        return ORG
    if before in vocab.PLACE_HEADS:
        return PLACE
    if before in vocab.AT_WORDS:
        return AT
    return ""


def _match(keys: list[str], k: int, index: tuple[dict, dict[str, int]]) -> tuple[int, object] | None:
    """Longest entry of a (table, longest-entry-per-first-word) index starting at token k."""
    table, longest = index
    most = longest.get(keys[k], 0)
    for length in range(min(most, len(keys) - k), 0, -1):
        hit = table.get(" ".join(keys[k:k + length]))
        if hit is not None:
            return length, hit
    return None


@lru_cache(maxsize=1)
def _org_index() -> tuple[dict[str, str], dict[str, int]]:
    """Known multi-word organisations (`Channel News Asia`), indexed like places."""
    table = {k: v for k, v in ORG_KEYS.items() if " " in k}
    return table, longest_by_first(table)


def _is_acronym(word: str) -> bool:
    """`KCNA`, `PDI-P`: capitals only, short."""
    return 2 <= len(word) <= 6 and word.isupper() and word.replace("-", "").isalpha()


class _Cutter:
    """Cuts one capitalised run into typed pieces; holds the run's state while it walks."""

    def __init__(self, run: list[Token], cue: str, speaker: bool, common: frozenset[str], out: list[Mention]):
        self.run, self.cue, self.speaker, self.common, self.out = run, cue, speaker, common, out
        self.lows = [t.text.lower() for t in run]
        self.keys = [norm_key(w) if ("-" in w or "." in w) else w for w in self.lows]
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
            if (hit := _match(self.keys, k, _org_index())) is not None:
                self.flush()  # a known name first: `Garuda Indonesia`, `Partai Buruh Korea Utara`
                self.org(k, k + hit[0])
                k += hit[0]
            elif low in vocab.NEVER:
                self.flush("")
                k += 1
            elif low in vocab.EVENT_HEADS:
                self.flush("")  # `Piala Dunia`, `Olimpiade Tokyo`: an event, none of ours
                return
            elif low in vocab.TITLES or (k + 1 < n and (low, lows[k + 1]) in vocab.TITLE_PAIRS):
                self.flush(PERSON)
                k += 2 if (k + 1 < n and (low, lows[k + 1]) in vocab.TITLE_PAIRS) else 1
                # A title's portfolio (`Menteri Sumber Daya Alam`) is ordinary words: skip them.
                while k < n and self.portfolio(k):
                    k += 1
            elif (low in vocab.ORG_HEADS and k + 1 < n) or low in vocab.KNOWN_ORGS or (
                k + 2 < n and (low, lows[k + 1]) in vocab.ORG_HEAD_PAIRS
            ) or self.club(k):
                end = k + 1
                name = None
                if club := self.club(k):
                    end = k + club
                    name = run[k].text  # `Persija Jakarta` is `Persija`
                elif low not in vocab.KNOWN_ORGS:
                    # The name runs on to the next title (`Polres Anambas AKBP X`), but a
                    # title word right after the head is part of it (`Direktorat Jenderal`).
                    end += 1
                    while end < n and lows[end] not in vocab.TITLES:
                        end += 1
                self.flush()
                org_end = self.person_after_org(k, end) if self.cue == PERSON and name is None else end
                self.org(k, org_end, name)
                self.pending = run[org_end:end]  # typed as a person by the title's cue
                k = end
            else:
                k = self.place_or_word(k)
        _flush(self.pending, self.cue, self.speaker, self.common, self.out)

    def org(self, a: int, b: int, name: str | None = None) -> None:
        self.out.append(Mention(ORG, org_name(name or self.text(a, b)), self.run[a].start))
        if self.cue != PERSON:
            self.cue = ""

    def place_or_word(self, k: int) -> int:
        run, lows, n, tok = self.run, self.lows, len(self.run), self.run[k]
        hit = self.place(k)
        if hit is not None:
            length, (canonical, level) = hit
            end = k + length
            if end < n and lows[end] in vocab.ORG_TAILS:
                # `Manchester City`, `Persib Bandung FC`: a club named after its town.
                start = run.index(self.pending[0]) if self.pending else k
                self.pending = []
                self.org(start, end + 1)
                return end + 1
            glued = level == REGENCY and (
                (self.pending and self.is_name_word(k - 1))
                or (end < n and self.is_name_word(end))
            )
            if not glued:
                self.flush()
                self.out.append(Mention(PLACE, canonical, tok.start, level))
                while end < n and lows[end] in vocab.DIRECTIONS:  # `Rusia Timur` is still Rusia
                    end += 1
                return end
        low = lows[k]
        if low in vocab.ORG_TAILS and self.pending:
            start = run.index(self.pending[0])  # `Arema FC`
            self.pending = []
            self.org(start, k + 1)
            return k + 1
        if len(tok.text) == 2 and tok.text.isupper() and k + 1 < n and self.is_name_word(k + 1):
            self.pending.append(tok)  # initials: `BJ Habibie`, `HM Prasetyo`
            return k + 1
        if _is_acronym(tok.text) and not (
            low in vocab.NOT_ORG_ACRONYMS or low in self.common or low in vocab.ORG_HEADS
            or low in vocab.ORG_TAILS or low in vocab.PLACE_HEADS
        ):
            self.flush()
            person = PERSON_KEYS.get(merge_key(tok.text))
            if person:
                self.out.append(_person(person, tok.start))
            elif k + 1 < n and lows[k + 1] in vocab.BRANCH_SUFFIXES:
                self.org(k, k + 2)  # `TNI AU`
                return k + 2
            else:
                self.org(k, k + 1)
            return k + 1
        if low in vocab.PLACE_HEADS and k + 1 < n:
            self.flush("")
            end = k + 1
            while end < n and lows[end] not in vocab.TITLES and lows[end] not in vocab.NEVER:
                if end > k + 1 and low not in vocab.SCHOOL_HEADS and self.place(end) is not None:
                    break  # `Wilayah Amur Timur Jauh`: a second place starts here
                end += 1
            if all(lows[i] in self.common for i in range(k + 1, end)):
                if low in vocab.FACILITY_HEADS:
                    return end  # no name after the head: `Jalan Raya`, `Bandara Internasional`
                name = self.text(k, end)  # `Kota Baru`, `Pulau Panjang`: the head is in the name
            elif end - k == 2 and low in vocab.ADMIN_HEADS | vocab.ISLAND_HEADS and self.place(k + 1):
                name = self.place(k + 1)[1][0]  # `Pulau Jawa`, `Kota Bandung`: the known place
            else:
                name = canonical_place(self.text(k + (1 if low in vocab.ADMIN_HEADS else 0), end))
            self.out.append(Mention(PLACE, name, tok.start, "cued"))
            return end
        self.pending.append(tok)
        return k + 1


    def club(self, k: int) -> int:
        """Words taken by a football club named at k (`Persib`, `Persib Bandung`,
        `PSM Makassar`), else 0. The town belongs to the club's name."""
        low = self.lows[k]
        if not club_head(low) or self.place(k) is not None:
            return 0
        town = self.place(k + 1) if k + 1 < len(self.run) else None
        if town is not None:
            return 1 + town[0]
        return 1 if low.startswith("pers") else 0  # `PSx` alone is any acronym

    def place(self, k: int) -> tuple[int, tuple[str, str]] | None:
        return _match(self.keys, k, place_index())

    def person_after_org(self, head: int, end: int) -> int:
        """Where an organisation named after a title ends and the titled person begins:
        `Ketua Umum Partai Gerindra | Prabowo Subianto`, `Ketua Komisi III | Herman Hery`.

        The person is the trailing run of name-like words: two or three of them, as a
        lone word is as likely the organisation's own (`Polda Metro Jaya`). When the
        organisation would keep no word of its own that is not name-like (`Universitas
        Gadjah Mada`), only a run of three or more is split, leaving it one word.
        """
        trailing = 0
        while end - trailing - 1 > head and self.is_name_word(end - trailing - 1):
            trailing += 1
        if end - head - 1 > trailing and trailing >= 2:
            return end - min(3, trailing)
        if trailing >= 3:
            return end - min(3, trailing - 1)
        return end

    def portfolio(self, k: int) -> bool:
        """A word of a title's portfolio (`Menteri Sumber Daya Alam`, `Kasat Reskrim`),
        skipped; an organisation or place after the title is not."""
        low = self.lows[k]
        return (
            (_ordinary(self.run[k], self.common) or low in vocab.TITLES)
            and low not in vocab.ORG_HEADS
            and low not in vocab.PLACE_HEADS
            and self.place(k) is None
        )

    def is_name_word(self, k: int) -> bool:
        """A capitalised word that is nothing but a possible name part."""
        low, word = self.lows[k], self.run[k].text
        return not (
            word.isupper() or low in self.common or low in vocab.TITLES or low in vocab.ORG_HEADS
            or low in vocab.NEVER or self.place(k) is not None
        )


def _segment(run: list[Token], cue: str, speaker: bool, common: frozenset[str], out: list[Mention]) -> None:
    """Cut one capitalised run at titles, organisation heads and places; type each piece."""
    _Cutter(run, cue, speaker, common, out).cut()


def _flush(pending: list[Token], cue: str, speaker: bool, common: frozenset[str], out: list[Mention]) -> None:
    """Type leftover words: pieces between ordinary words. The cue types the first piece,
    a speech verb after the run (`speaker`) the last."""
    pieces: list[list[Token]] = []
    piece: list[Token] = []
    plain = [_ordinary(tok, common) for tok in pending]
    for i, tok in enumerate(pending):
        if plain[i] and not (cue == PERSON and not pieces and _inner_name_word(pending, plain, i)):
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


def _inner_name_word(tokens: list[Token], plain: list[bool], i: int) -> bool:
    """An ordinary word inside a titled person's name (`Menteri Budi Karya Sumadi`):
    one such word between two name words, written like a name part."""
    low = tokens[i].text.lower()
    return (
        0 < i < len(tokens) - 1
        and not plain[i - 1]
        and not plain[i + 1]
        and tokens[i].text[1:].islower()
        and low not in vocab.NEVER
        and low not in vocab.CONNECTORS
        and low not in vocab.TITLES
    )


def _ordinary(tok: Token, common: frozenset[str]) -> bool:
    """An ordinary word capitalised by position or style, not a name part."""
    low = tok.text.lower()
    if len(tok.text) < 2:
        return not tok.text.isupper()  # an initial (`Laode M Syarif`) stays inside the name
    if low in common or low in vocab.CONNECTORS or low in vocab.DIRECTIONS or any(c.isdigit() for c in low):
        return True  # ordinary, a compass word alone (`Barat`), or a code (`Rp14`, `SP3`)
    if tok.text.isupper() and (len(tok.text) > 3 or low in vocab.NOT_ORG_ACRONYMS):
        return True  # shouting, a degree (`SH`) or another acronym that names nobody
    if low in vocab.TITLES or low in vocab.ORG_HEADS or low in vocab.PLACE_HEADS:
        return True  # a head word left alone at the end of a run (`Direktorat`, `PT`)
    if _NOMINAL_RE.match(low):
        return True  # a pe-/ke-...-an noun (`Perhubungan`, `Keuangan`): a portfolio, not a name
    if tok.sentence_start:
        return affixed_word(low)  # `Kontribusinya`, `Pembicaraan`: a word, not a name
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
        out.append(Mention(ORG, org_name(text), pos))
        return
    if cue in ("", AT) and merge_key(text) in districts():
        out.append(Mention(PLACE, canonical_place(text), pos, DISTRICT))
        return
    if cue == PLACE or (last in vocab.PLACE_TAILS and len(piece) > 1):
        out.append(Mention(PLACE, canonical_place(text), pos, "cued"))
        return
    if (
        len(piece) > MAX_NAME_TOKENS
        or last in vocab.ORG_TAILS
        or last in vocab.EVENT_TAILS
        or last in vocab.PLACE_TAILS
        or all(t.text.isupper() for t in piece)
    ):
        return
    mention = _person(display_name(text), pos)
    mention.weak = len(piece) == 1 and cue in ("", AT)
    out.append(mention)


def _person(name: str, pos: int) -> Mention:
    return Mention(PERSON, name, pos, tokens=tuple(name.split()))
