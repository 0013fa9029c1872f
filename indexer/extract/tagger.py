"""The trained sequence tagger: a CRF (python-crfsuite) for PERSON / ORGANISATION / PLACE.

Trained on NERGRIT by ``scripts/train_tagger.py`` with the features of
``features``; the model (``data/tagger.crfsuite.gz``, committed) is read once per
process and held in memory, with the summed weights of each word type's features
(``scores``: crfsuite is handed six numbers a token, not ~36 strings; the vocabulary's
lowercase sums are made at load, before a build's workers fork and share them). ``tag_spans``
tags a token sequence and returns its names as token spans; which parts of an article
are worth tagging is the caller's business (``mentions`` tags only windows around
capitalised words).
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from indexer.extract.aliases import PERSON_KEYS, display_name, merge_key, norm_key, org_name
from indexer.extract.features import MODEL_PATH, TOKEN_RE, Features, RuleMarks, Rows, add_rows, split_rows
from indexer.extract.gazetteer import canonical_place, club_name, places
from indexer.extract.mention import Mention
from indexer.extract.scores import Scores, state_weights
from indexer.extract import vocab
from indexer.extract.vocab import TITLES

# NERGRIT's types, as the model's labels spell them.
PERSON, ORGANISATION, PLACE = "PERSON", "ORGANISATION", "PLACE"


class ModelMissing(RuntimeError):
    """The tagger's model file is absent: run scripts/train_tagger.py."""


_model_path: Path = MODEL_PATH
# Features whose every weight is this small are left out of a token's scores: they barely
# move a label (chosen when crfsuite was handed strings, each costing it a conversion and a
# lookup per token; summed per word type, a kept feature now costs nothing more). 0.05 keeps
# 18.7k of the model's 28.9k attributes; 0.1 (12.1k) cost 0.0026 F1 on the development
# folds and 0.008 on the hand-annotated news, 0 (all) measured no better than 0.05.
PRUNE = 0.05
_buffers: list[bytes] = []


@lru_cache(maxsize=1)
def _tagger():
    import pycrfsuite

    if not _model_path.exists():
        raise ModelMissing(f"{_model_path} not found: run scripts/train_tagger.py")
    tagger = pycrfsuite.Tagger()
    # crfsuite reads the model in place from these bytes: they must outlive the tagger
    # (a freed buffer crashes the process), so they are kept beside it.
    model = gzip.decompress(_model_path.read_bytes())
    tagger.open_inmemory(model)
    _buffers[:] = [model]
    info = tagger.info()
    known = frozenset(attr for (attr, _label), w in info.state_features.items() if abs(w) >= PRUNE)
    attrs, _labels, weights = state_weights(model, info)
    return tagger, Scores(attrs, weights, known)


@lru_cache(maxsize=1)
def _strings() -> Features:
    """The CRF's input as strings, pruned as the scores are (``featurise``: tests, explanation)."""
    return Features(_tagger()[1].known)


def use_model(path: Path) -> None:
    """Tag with another model file (the training script's checks, a development model)."""
    global _model_path
    _model_path = Path(path)
    _tagger.cache_clear()
    _strings.cache_clear()


def tag(tokens: list[str], start: int = 0, end: int | None = None) -> list[str]:
    """BIO labels of ``tokens[start:end]``, the sentence ``tokens`` being their context."""
    end = len(tokens) if end is None else end
    if start >= end:
        return []
    crf, scores = _tagger()
    scores.trim()
    rows: Rows = ([], [])
    add_rows(rows, tokens, start, end, scores)
    return crf.tag(scores.items(rows))


def spans(labels: list[str]) -> list[tuple[str, int, int]]:
    """(type, first token, end token) of each name in a BIO label sequence; a stray
    `I-` opens a name, as the scorer reads it."""
    out: list[tuple[str, int, int]] = []
    kind, start = None, 0
    for i, label in enumerate(labels + ["O"]):
        inside = label.startswith("I-") and kind == label[2:]
        if inside:
            continue
        if kind is not None:
            out.append((kind, start, i))
            kind = None
        if label != "O":
            kind, start = label[2:], i
    return out


def tag_spans(tokens: list[str], start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Names in ``tokens[start:end]`` as (type, first, end) indexes into ``tokens``."""
    return [(kind, start + a, start + b) for kind, a, b in spans(tag(tokens, start, end))]


# Tokens a window reaches either side of a capitalised word (its features see two).
WINDOW = 2
_KINDS = {PERSON: "person", ORGANISATION: "organization", PLACE: "location"}
PLACE_KIND = _KINDS[PLACE]
_LINE_RE = re.compile(r"[^\n]+")
_SENTENCE_END = frozenset(".!?")


def tagged_mentions(text: str, rules: list[Mention] | None = None) -> list[Mention]:
    """The tagger's names in a text, tagging only windows around capitalised tokens.

    A news article is ~15% capitalised words and a name needs one, so each sentence
    is cut into windows reaching ``WINDOW`` tokens either side of its capitalised
    tokens (merged where they touch); a sentence-opening ordinary word (`Namun`,
    `Dia`) seeds none, and a sentence without a capital is never featurised.
    ``rules`` (the rules' mentions of the same text) become features (``RuleMarks``)
    when the model was trained with them.
    """
    labels, windows = label_windows(text, rules)
    return names(text, labels, windows)


def label_windows(text: str, rules: list[Mention] | None = None) -> tuple[list[str], Windows]:
    """The CRF's labels of every window of a text, end to end (a stop between two), and
    where the windows are."""
    crf, scores = _tagger()
    scores.trim()
    rows, windows = window_rows(text, rules, scores)
    # One CRF call for the whole article: windows are joined end to end with a full stop
    # between them (``_stop``), which costs one call's overhead instead of ~30.
    return (crf.tag(scores.items(rows)) if rows[1] else []), windows


Windows = list[tuple[list, int]]  # (token matches, window length)


def featurise(text: str, rules: list[Mention] | None = None) -> tuple[list[list[str]], Windows]:
    """The CRF's input of every window of a text as feature strings, end to end, and where
    the windows are: what ``label_windows`` hands crfsuite as summed weights."""
    rows, windows = window_rows(text, rules, _strings())
    return [[*own, *m2, *m1, *p1, *p2, *extra] for own, m2, m1, p1, p2, extra in split_rows(rows)], windows


def window_rows(text: str, rules: list[Mention] | None, cache: Features) -> tuple[Rows, Windows]:
    """The ``features.add_rows`` of every window of a text, end to end, and where the windows are."""
    marker = RuleMarks(rules) if rules and cache.rule_features else None
    stop = _stop(cache)
    rows: Rows = ([], [])
    index, starts = rows
    windows: Windows = []
    for tokens, matches, spans in sentence_windows(text):
        n = len(tokens)
        for a, b in spans:
            if windows:
                starts.append(len(index))
                index += stop
            marks = None
            if marker:  # a token's marks need its own offset and its neighbours'
                lo, hi = max(0, a - 1), min(n, b + 1)
                marks = marker.marks([m.start() for m in matches[lo:hi]])[a - lo:b - lo]
            add_rows(rows, tokens, a, b, cache, marks)
            windows.append((matches[a:b], b - a))
    return rows, windows


def sentence_windows(text: str) -> Iterator[tuple[list[str], list[re.Match], list[tuple[int, int]]]]:
    """Each sentence of a text that has a capital worth tagging: its tokens (a title-case
    headline's ordinary words lowered), their matches in the text, and its windows."""
    ordinary = _ordinary_openers()
    never = vocab.NEVER  # weekdays, months, `WIB`, credits: capitalised, never a name
    for line in _LINE_RE.finditer(text):
        matches = list(TOKEN_RE.finditer(text, line.start(), line.end()))
        words = list(map(_GROUP, matches))
        # Each token's first character, one string a line: which tokens are capitalised and
        # where sentences end is then read by regex, not token by token in Python.
        firsts = "".join(map(_FIRST, words))
        upper = _capitals(firsts)
        for s0, s1 in _sentences(words, firsts):
            tokens = words[s0:s1]
            caps = [i - s0 for i in upper[bisect_left(upper, s0):bisect_left(upper, s1)] if words[i].lower() not in never]
            if not caps:
                continue
            if len(caps) >= 3 and tokens[-1] not in _SENTENCE_END:
                tokens, caps = _unshout(tokens, caps, ordinary)
            yield tokens, matches[s0:s1], _windows(tokens, caps, ordinary)


def _stop(cache: Features) -> tuple:
    """What the CRF sees between two windows, as ``features.add_rows`` lays a token out: a
    sentence-final full stop, so that no name runs from one window into the next (the label
    path would otherwise join them)."""
    eos = "EOS" if cache.spanning is None else cache.spanning.get("EOS", cache.absent)
    return (cache.bundle(".")[0], *cache.nothing[1:5], eos)


def names(text: str, labels: list[str], windows: Windows) -> list[Mention]:
    """The mentions the labels of ``featurise``'s windows name."""
    out: list[Mention] = []
    pos = 0
    for window, size in windows:
        for kind, i, j in spans(labels[pos:pos + size]):
            for a, b in _street_cuts(window, i, j):
                start, end = window[a].start(), window[b - 1].end()
                out.append(_mention(_KINDS[kind], text[start:end], start, end))
        pos += size + 1  # and the stop after it
    return out


# A street opens an address, never continues a name (`Gedung Arsip Nasional RI Jalan Gajah
# Mada`: a building, then its street; NERGRIT has no name with `Jalan` inside).
_STREET_WORDS = frozenset({"jalan", "jl"})


def _street_cuts(window: list, i: int, j: int) -> list[tuple[int, int]]:
    """A name's token range cut before every street word inside it."""
    cuts = [k for k in range(i + 1, j) if window[k].group().lower() in _STREET_WORDS]
    bounds = [i, *cuts, j]
    return list(zip(bounds, bounds[1:]))


# A sentence whose ordinary words are this often capitalised is a headline in title case
# (`Susi Minta Maaf karena Keras Kepala`), not a sentence full of names.
TITLE_CASE_SHARE = 0.6


def _unshout(tokens: list[str], caps: list[int], ordinary: frozenset[str]) -> tuple[list[str], list[int]]:
    """A title-case headline's ordinary words in lowercase, as a sentence would write them
    (the CRF learnt from sentences, where a capital means a name), and its capitals left.

    Judged on the ordinary words alone: a sentence naming many places (`Bandar Udara
    Tumbang Samba ... di Katingan, Kalimantan Tengah`) is mostly capitals but writes
    its ordinary words in lowercase."""
    shouted = [i for i in caps if i and tokens[i].lower() in ordinary]
    if len(shouted) < 2:
        return tokens, caps
    plain = sum(1 for t in tokens[1:] if t[:1].islower() and t in ordinary)
    if len(shouted) < TITLE_CASE_SHARE * (len(shouted) + plain):
        return tokens, caps
    tokens = [t.lower() if t.lower() in ordinary else t for t in tokens]
    return tokens, [i for i in caps if tokens[i][:1].isupper()]


# A full stop after one of these ends an abbreviation, not a sentence: an initial
# (`Nardi T. Nirwanto`, `John B. Fenn`) or a title (`Dr. Soetomo`).
_ABBREVIATIONS = frozenset("dr prof ir drs dra hj jl no st mr mrs ms".split())


_GROUP = re.Match.group
_FIRST = itemgetter(0)
# In a line's tokens' first characters: an ASCII capital, a character beyond ASCII (whose
# case Python is asked), a sentence's last token (a token that starts with `.`, `!` or `?`
# is that one character) before another.
_ASCII_CAPITAL_RE = re.compile("[A-Z]")
_BEYOND_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_END_RE = re.compile("[.!?](?=.)")


def _capitals(firsts: str) -> list[int]:
    """Which tokens are capitalised (``str.isupper`` of their first character), given the
    first characters of a line's tokens."""
    caps = [m.start() for m in _ASCII_CAPITAL_RE.finditer(firsts)]
    if not firsts.isascii():
        beyond = [m.start() for m in _BEYOND_ASCII_RE.finditer(firsts) if m.group().isupper()]
        if beyond:
            caps = sorted(caps + beyond)
    return caps


def _sentences(words: list[str], firsts: str | None = None) -> list[tuple[int, int]]:
    """Sentence bounds in a line's tokens: after `.`, `!`, `?` before a capital, unless the
    full stop closes an initial or an abbreviation (``_ABBREVIATIONS``). ``firsts``: the
    tokens' first characters as one string."""
    firsts = "".join(map(_FIRST, words)) if firsts is None else firsts
    out, start = [], 0
    for end in _END_RE.finditer(firsts):
        i = end.start()
        if firsts[i + 1].isupper() and not _abbreviation(words, i):
            out.append((start, i + 1))
            start = i + 1
    if start < len(words):
        out.append((start, len(words)))
    return out


def _abbreviation(words: list[str], i: int) -> bool:
    """Whether ``words[i]``, a full stop, closes an initial or an abbreviation."""
    if words[i] != "." or not i:
        return False
    before = words[i - 1]
    return (len(before) == 1 and before.isupper()) or before.lower() in _ABBREVIATIONS


def _windows(tokens: list[str], caps: list[int], ordinary: frozenset[str]) -> list[tuple[int, int]]:
    """Token ranges reaching ``WINDOW`` either side of the capitals, merged where they touch."""
    out: list[tuple[int, int]] = []
    n = len(tokens)
    for i in caps:
        if i == 0 and tokens[0].lower() in ordinary and not (n > 1 and tokens[1][:1].isupper()):
            continue
        a, b = (i - WINDOW if i > WINDOW else 0), (i + WINDOW + 1 if i + WINDOW < n else n)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


@lru_cache(maxsize=1)
def _ordinary_openers() -> frozenset[str]:
    from indexer.extract.rules import lone_ordinary_words

    return lone_ordinary_words()


# A royal title the tagger found inside a person's name stays in it: it is how news names
# royalty (`Pangeran Harry`, `Ratu Elizabeth`, `Raja Salman`, `Sultan Hamengku Buwono X`: the
# lone given name is an ambiguous first name) and how NERGRIT annotates them (`Pangeran` 13
# times inside a name, twice before one). Office titles (`Presiden`) are still stripped.
ROYAL_TITLES = frozenset({"raja", "ratu", "pangeran", "sultan"})
# Degrees written after a name (`Budi Santoso SH`): not part of it.
_DEGREES = frozenset("sh se mh msi mkom spd mpd sked ssos sip mba phd st mt ak mm".split())


def _mention(kind: str, surface: str, start: int, end: int) -> Mention:
    kind, name, level, tokens = _named(kind, surface)
    return Mention(kind, name, start, level=level, tokens=tokens, end=end, source="tagger")


# Tagged surfaces kept named (a name recurs in its article and across the corpus, and naming
# one takes a dozen table lookups and regex passes); ~10 MB when full.
_NAMED_CACHE = 32768


@lru_cache(maxsize=_NAMED_CACHE)
def _named(kind: str, surface: str) -> tuple[str, str, str, tuple[str, ...]]:
    """A tagged surface's (kind, name, level, name tokens) as its ``Mention`` holds them."""
    if kind == "person":
        words = surface.split()
        while len(words) > 1 and words[-1].lower().strip(".,") in _DEGREES:
            words.pop()
        while len(words) > 1 and words[0].lower() not in ROYAL_TITLES and (
            words[0].lower().strip(".") in TITLES or _portfolio_word(words[0])
        ):
            words.pop(0)  # `Bripka Suranto`, `Pak Habibie`: the title is not the name
        if any(w.lower() in FACILITY_WORDS for w in words[1:]):
            return PLACE_KIND, surface, "tagged", ()
        surface = " ".join(words)
        name = PERSON_KEYS.get(merge_key(surface)) or display_name(surface)
        return kind, name, "", tuple(name.split())
    words = surface.split()
    if kind == "location" and len(words) > 1 and (
        words[-1].lower() in vocab.ORG_TAILS or words[0].lower() in _BODY_HEADS
    ):
        kind = "organization"  # `Bali United`, `di Kementerian Keuangan`: a body, wherever it sits
    if kind == "organization" and words[0].lower() not in vocab.SCHOOL_HEADS:
        return kind, club_name(org_name(surface)), "", ()
    # Schools are places (`SMA Negeri 24 Bandung`), as the rules and most of NERGRIT have them.
    return PLACE_KIND, canonical_place(surface), _place_level(surface), ()


# Heads that open a body's name, never a place's (`Kementerian`, not `Kota`).
_BODY_HEADS = vocab.ORG_HEADS - vocab.PLACE_HEADS
# English facility words: a "person" ending in one is a venue (`Jakarta Convention Center`).
FACILITY_WORDS = frozenset("center centre gymnasium stadium arena hall mall plaza tower park station".split())
_NOMINAL_RE = re.compile(r"(?:pe|ke)[a-z]{4,}an$")


def _portfolio_word(word: str) -> bool:
    """The tail of a title's portfolio glued before a name: an acronym of three capitals or
    more (`Menteri Hukum dan HAM Yasonna Laoly`; initials have one or two) or a pe-/ke-...-an
    noun (`Menko Kemaritiman Luhut Binsar Panjaitan`)."""
    return (len(word) >= 3 and word.isupper() and word.isalpha()) or _NOMINAL_RE.match(word.lower()) is not None


def _place_level(surface: str) -> str:
    hit = places().get(norm_key(surface))
    return hit[1] if hit else "tagged"
