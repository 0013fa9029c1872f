"""NERGRIT sentences as text plus gold names: shared by ``bench/extract_eval.py`` and the tests.

The file (``../shared/ner/nergrit-train.bio``) is tokenised one token a line
with BIO tags; sentences are detokenised so extraction sees news-like text,
and gold names go through our own canonical tables so that a found entity
counts whatever spelling the annotator kept (`AS` = `Amerika Serikat`).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

from indexer.extract.aliases import ORG_KEYS, PERSON_KEYS, display_name, merge_key, norm_key

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "shared" / "ner" / "nergrit-train.bio"
# Entity types of the file and the Extraction attribute each is scored against.
TYPES = {"PERSON": "people", "ORGANISATION": "organizations", "PLACE": "locations"}

Sentence = list[tuple[str, str]]


def read_bio(path: Path) -> list[Sentence]:
    sentences, cur = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sentences.append(cur)
                    cur = []
                continue
            token, tag = line.split("\t")
            cur.append((token, tag))
    if cur:
        sentences.append(cur)
    return sentences


def held_out(index: int) -> bool:
    """The fixed evaluation split: every fifth sentence (334 of 1,672). The tagger is
    trained on the rest and nothing is tuned on it. (The rules were tuned on the
    sentences with index % 3 != 0, which overlap this split: their figure on it is
    flattering.)"""
    return index % 5 == 0


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]%])")
_NO_SPACE_AFTER = re.compile(r"([(\[]) ")
_HYPHEN = re.compile(r" ?- ?")
_QUOTES = {'"', "``", "''"}


def detokenize(tokens: list[str]) -> str:
    """Undo the tokenisation: `Jakarta , ( DKI )` -> `Jakarta, (DKI)`; quotes hug their text."""
    out: list[str] = []
    opening = True
    glue_next = False
    for tok in tokens:
        if tok in _QUOTES:
            if opening:
                out.append('"')
                glue_next = True
            elif out:
                out[-1] += '"'
            opening = not opening
            continue
        if glue_next:
            out[-1] += tok
            glue_next = False
        else:
            out.append(tok)
    text = " ".join(out)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    return _HYPHEN.sub("-", text)


def gold_entities(sentence: Sentence) -> dict[str, set[str]]:
    """Canonical keys of the gold names of each type."""
    found: dict[str, list[list[str]]] = {t: [] for t in TYPES}
    current: list[str] | None = None
    for token, tag in sentence:
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            current = [token]
            found[tag[2:]].append(current)
        elif tag.startswith("I-"):
            current.append(token)
        else:
            current = None
    return {t: {canonical(t, detokenize(e)) for e in ents} for t, ents in found.items()}


def bio_names(tokens: list[str], labels: list[str]) -> set[tuple[str, str]]:
    """(type, canonical key) of each name in a BIO-labelled token sequence."""
    from indexer.extract.tagger import spans

    return {(kind, canonical(kind, detokenize(tokens[a:b]))) for kind, a, b in spans(list(labels))}


def canonical(kind: str, name: str) -> str:
    """The comparison key of a gold or predicted name, through our own canonical tables."""
    from indexer.extract.gazetteer import canonical_place

    key = norm_key(name)
    if kind == "PLACE":
        name = canonical_place(name)
    elif kind == "PERSON":
        name = PERSON_KEYS.get(merge_key(name), display_name(name))
    else:
        name = ORG_KEYS.get(key, name)
    return merge_key(name)


def score(sentences: list[Sentence], extractor=None) -> tuple[dict[str, Counter], float]:
    """tp/fp/fn per type of ``extractor`` (default ``extract``) over the sentences, and the
    seconds extraction took. An extractor maps a text to an object with ``people``,
    ``organizations``, ``locations``."""
    from indexer.extract import extract

    extractor = extractor or extract
    texts = [detokenize([tok for tok, _ in s]) for s in sentences]
    golds = [gold_entities(s) for s in sentences]
    start = time.perf_counter()
    preds = [extractor(text) for text in texts]
    seconds = time.perf_counter() - start
    counts = {t: Counter() for t in TYPES}
    for gold, pred in zip(golds, preds):
        for t, attr in TYPES.items():
            got = {canonical(t, name) for name in getattr(pred, attr)}
            counts[t]["tp"] += len(got & gold[t])
            counts[t]["fp"] += len(got - gold[t])
            counts[t]["fn"] += len(gold[t] - got)
    return counts, seconds


def prf(c: Counter) -> tuple[float, float, float]:
    """Precision, recall, F1 of one tp/fp/fn counter."""
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
