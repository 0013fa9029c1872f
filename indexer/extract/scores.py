"""The CRF's label scores of each token, summed once per word type: what crfsuite is handed.

crfsuite scores a label at a token as the sum of the weights of the token's attributes,
and converting and looking up those ~36 strings a token was most of the tagger's cost
(1.5 of its ~2.5 CPU-ms an article). Most of them depend on one word alone (its own
features and what it shows each neighbour: a ``features.Features`` bundle), so
``Scores`` sums their weights once per word type; a token's scores are then five cached
sums (its own and its four neighbours') plus the weights of the few features that
depend on more than one word (bigrams, its capitalised run, gazetteer and rule marks,
BOS/EOS). A new type's sums would still cost its ~47 strings, once: news and NERGRIT
sentences bring many, so a word of the word table's vocabulary gets its lowercase
form's sums, made for the whole vocabulary at load, plus its case's.

crfsuite still finds the best label path from these scores: each token is handed
``L - 1`` of the model's own attributes (``Scores.basis``, L the number of labels) with
real values, chosen so that crfsuite's sum of value x weight gives the token's scores
less one constant shared by every label, which changes no label path's rank. Every
weight is the model's and the Viterbi is crfsuite's; only the order of the
floating-point additions differs from handing it the strings (the labels are held to
the strings' by ``tests/test_tagger_digest.py``).
"""

from __future__ import annotations

import struct
from itertools import repeat

import numpy as np

from indexer.extract.features import CACHE_MAX, Features, Rows, _word_features, case_feature, case_key, word_table

# Room for this many word types before the table grows (doubling).
_FIRST_TYPES = 4096
# A word's bundle here: the table rows of its five parts, its lowercase form, whether it is capitalised.
RowBundle = tuple[int, int, int, int, int, str, bool]


class Scores(Features):
    """Per word type, each part of its bundle as one row of summed weights (``table``), in
    the basis's terms: the model's attributes first (a row each), then a zero row (the
    parts of ``nothing``), then five rows per word type seen.

    A word's features are those of its lowercase form plus those of how it is written
    (``features.CASE_FEATURES``), so its rows are two sums added: for the word table's
    vocabulary (~37k words, the words a text mostly brings) the lowercase sums are made
    once at load (``lowercase``: ~1-1.5 CPU-s, 9 MB), and the case sums once per
    ``features.case_key`` (a few dozen); a new type of the vocabulary then costs a
    lowercasing, a shape and two dict lookups, not its ~47 feature strings. Another word
    has its rows summed from its strings. Either way a text's new types are summed
    together when its items are made (one numpy call a text, not one a type).
    Memory: 5 x (L - 1) doubles a type (240 bytes for 7 labels), plus its dict entry;
    at ``CACHE_MAX`` types that is ~50 MB. The table is cut back at the start of a text
    (``trim``), never while a text is read, since its bundles point into it.
    """

    def __init__(self, attrs: list[str], matrix: np.ndarray, known: frozenset[str]):
        """``attrs`` and ``matrix`` as ``state_weights`` reads them; ``known``: the attributes
        a bundle's parts keep (the tagger's pruning)."""
        super().__init__(known)
        labels = matrix.shape[1]
        self.rows = {attr: i for i, attr in enumerate(attrs)}
        self.spanning = self.rows  # ``add_rows`` puts a spanning feature's row in a token's row
        self.kept = {attr: self.rows[attr] for attr in known}
        picked = basis(matrix)
        self.basis = [attrs[i] for i in picked]
        # Each attribute's weights in the basis's terms: weights = coords @ frame, the
        # frame's last row being the constant (all ones), which is dropped.
        frame = np.vstack([matrix[picked], np.ones(labels)])
        coords = matrix @ np.linalg.inv(frame)
        self.zero = self.absent = len(attrs)
        self.table = np.zeros((self.zero + 1 + 5 * _FIRST_TYPES, labels - 1))
        self.table[:self.zero] = coords[:, :-1]
        self.fill = self.zero + 1
        self.nothing = (self.zero,) * 5 + ("", False)
        self._items = _item_maker(self.basis)
        # The kept attributes split: those of a word's case, the others (its lowercase form's).
        self._cased = {a: r for a, r in self.kept.items() if case_feature(a)}
        self._lowered = {a: r for a, r in self.kept.items() if a not in self._cased}
        self.lowercase, self._lower_rows = self._vocabulary_rows()
        self.cases: dict[tuple[str, bool, bool], int] = {}
        self._case_rows = np.zeros((0, labels - 1))
        # New types' parts not summed yet: their attribute rows, where each part starts, its row.
        self._index: list[int] = []
        self._starts: list[int] = []
        self._targets: list[int] = []
        # New types of the vocabulary: their first row, their lowercase form's, their case's.
        self._added: list[int] = []
        self._lows: list[int] = []
        self._cases: list[int] = []

    def _sums(self, words, kept: dict[str, int]) -> np.ndarray:
        """The five parts of each word's features in ``kept`` (the others add zero), summed."""
        index: list[int] = []
        starts: list[int] = []
        self._gather(words, kept, index, starts)
        return np.add.reduceat(self.table[index], starts)

    def _gather(self, words, kept: dict[str, int], index: list[int], starts: list[int]) -> None:
        """The rows to sum for each part of each word (``index``) and where each part starts."""
        zero = self.zero
        for word in words:
            for part in _word_features(word):
                starts.append(len(index))
                index += map(kept.get, part, repeat(zero))  # a feature not in ``kept`` adds zero
                index.append(zero)  # and a part with none sums to zero

    def _vocabulary_rows(self) -> tuple[dict[str, int], np.ndarray]:
        """The word table's words (lowercase) -> their first row in the lowercase sums."""
        words = list(word_table())
        out = np.empty((5 * len(words), self.table.shape[1]))
        for i in range(0, len(words), 4096):  # a bounded temporary: 4096 words' feature rows
            chunk = words[i:i + 4096]
            out[5 * i:5 * (i + len(chunk))] = self._sums(chunk, self._lowered)
        return {word: 5 * i for i, word in enumerate(words)}, out

    def trim(self) -> None:
        """Forget every word type once ``CACHE_MAX`` are kept (a worker's memory stays bounded)."""
        if len(self.bundles) >= CACHE_MAX:
            self.bundles.clear()
            self.fill = self.zero + 1
            self._index, self._starts, self._targets = [], [], []
            self._added, self._lows, self._cases = [], [], []

    def bundle(self, word: str) -> RowBundle:  # type: ignore[override]
        hit = self.bundles.get(word)
        if hit is None:
            first = self.fill
            if first + 5 > len(self.table):
                self.table = np.concatenate([self.table, np.zeros_like(self.table[self.zero + 1:])])
            self.fill = first + 5
            low = word.lower()
            lowered = self.lowercase.get(low) if len(low) == len(word) else None
            if lowered is not None:
                key = case_key(word)
                cased = self.cases.get(key)
                if cased is None:
                    cased = self.cases[key] = len(self._case_rows)
                    self._case_rows = np.concatenate([self._case_rows, self._sums([word], self._cased)])
                self._added.append(first)
                self._lows.append(lowered)
                self._cases.append(cased)
            else:  # summed from its strings, with the text's other such types (``items``)
                self._gather([word], self.kept, self._index, self._starts)
                self._targets += range(first, first + 5)
            hit = self.bundles[word] = (first, first + 1, first + 2, first + 3, first + 4, low, word[:1].isupper())
        return hit

    def items(self, rows: Rows) -> list[dict[str, float]]:
        """crfsuite's items for tokens added to ``rows`` by ``features.add_rows`` with this
        cache: each token's rows summed, in one call for the whole text."""
        table = self.table
        if self._targets:  # the new types' sums
            table[self._targets] = np.add.reduceat(table[self._index], self._starts)
            self._index, self._starts, self._targets = [], [], []
        if self._added:  # the vocabulary's new types: lowercase sums plus case sums
            parts = np.arange(5)
            table[(np.array(self._added)[:, None] + parts).ravel()] = (
                self._lower_rows[(np.array(self._lows)[:, None] + parts).ravel()]
                + self._case_rows[(np.array(self._cases)[:, None] + parts).ravel()])
            self._added, self._lows, self._cases = [], [], []
        index, starts = rows
        if not starts:
            return []
        return self._items(np.add.reduceat(table[index], starts).tolist())


def _item_maker(names: list[str]):
    """Per token, its values as crfsuite's item {basis attribute: value}: a dict display for
    six attributes (seven labels, NERGRIT's), twice as fast as ``dict(zip(...))``, which any
    other number of labels gets."""
    if len(names) != 6:
        return lambda values: [dict(zip(names, v)) for v in values]
    a, b, c, d, e, f = names
    return lambda values: [{a: v, b: w, c: x, d: y, e: z, f: u} for v, w, x, y, z, u in values]


# A crfsuite model's feature record: kind (0: attribute -> label, 1: label -> label), source, target, weight.
_FEATURE = np.dtype([("kind", "<u4"), ("source", "<u4"), ("target", "<u4"), ("weight", "<f8")])


def state_weights(model: bytes, info) -> tuple[list[str], list[str], np.ndarray]:
    """A crfsuite model's attributes and labels (by id) and its attribute -> label weights
    (attributes x labels), exactly as the model file holds them (``info``: the tagger's
    ``info()``, for the names). ``info().state_features`` prints them to six decimals,
    which is not the sum crfsuite adds: a label path ahead by 1e-6 would lose (one did, on
    one token of 6,334 texts)."""
    offset = int(info.header["off_features"], 16)
    chunk, _size, count = struct.unpack_from("<4sII", model, offset)
    if chunk != b"FEAT":
        raise ValueError("not a crfsuite CRF1d model: no feature chunk where its header says")
    features = np.frombuffer(model, _FEATURE, count=count, offset=offset + 12)
    state = features[features["kind"] == 0]
    attrs = sorted(info.attributes, key=lambda a: int(info.attributes[a]))
    labels = sorted(info.labels, key=lambda a: int(info.labels[a]))
    matrix = np.zeros((len(attrs), len(labels)))
    matrix[state["source"], state["target"]] = state["weight"]
    return attrs, labels, matrix


def basis(matrix: np.ndarray) -> list[int]:
    """Rows of ``matrix`` (attributes x labels) that, with the all-ones row, span the label
    space: each pick is the row least explained by the ones and the rows picked before
    (pivoted Gram-Schmidt), so the frame is well conditioned and its inverse exact enough."""
    rest = matrix - matrix.mean(axis=1, keepdims=True)  # what the ones do not explain
    picked: list[int] = []
    for _ in range(matrix.shape[1] - 1):
        norms = np.einsum("ij,ij->i", rest, rest)
        best = int(norms.argmax())
        if norms[best] < 1e-12:
            raise ValueError("the model's attributes do not span its labels")
        picked.append(best)
        unit = rest[best] / np.sqrt(norms[best])
        rest = rest - np.outer(rest @ unit, unit)
    return picked
