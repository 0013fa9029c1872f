"""NERGRIT sentences as text plus gold names, and the table of every way to combine the finders.

Shared by ``bench/extract_eval.py`` and the tests. Run alone it prints, per
combination mode (``indexer.extract.combine.MODES``: the rules alone, the tagger
alone, the tagger plus each rule family, the shipped mix), strict bag-of-names
micro P/R/F1 per type and sentences per CPU-second:

    .venv/bin/python bench/nergrit.py            # the held-out fifth (report only)
    .venv/bin/python bench/nergrit.py --dev      # cross-validation inside the training part

``--dev`` is the number to choose on: the training part is cut in ``FOLDS``
folds, a tagger is trained on the others for each (cached under ``--cache``,
keyed by the feature code and tables) and every mode is scored on the fold it did
not see. The held-out fifth is never used to choose anything.

The file (``../shared/ner/nergrit-train.bio``) is tokenised one token a line
with BIO tags; sentences are detokenised so extraction sees news-like text,
and gold names go through our own canonical tables so that a found entity
counts whatever spelling the annotator kept (`AS` = `Amerika Serikat`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.extract.aliases import ORG_KEYS, PERSON_KEYS, display_name, merge_key, norm_key

DEFAULT_PATH = ROOT.parent / "shared" / "ner" / "nergrit-train.bio"
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
    from indexer.extract.gazetteer import canonical_place, club_name

    key = norm_key(name)
    if kind == "PLACE":
        name = canonical_place(name)
    elif kind == "PERSON":
        name = PERSON_KEYS.get(merge_key(name), display_name(name))
    else:
        name = club_name(ORG_KEYS.get(key, name))
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


# Cross-validation folds inside the training part (``--dev``).
FOLDS = 4
DEFAULT_CACHE = Path("/tmp/telusur-tagger-folds")


def _feature_key() -> str:
    """What a fold model depends on: the feature code, the word lists it reads, the tables."""
    from indexer.extract import features

    digest = hashlib.sha1()
    for path in (Path(features.__file__), ROOT / "indexer" / "extract" / "vocab.py",
                 ROOT / "scripts" / "train_tagger.py", features.WORDS_PATH, features.GAZETTEER_PATH):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:10]


def _model(cache: Path, name: str, sentences: list[Sentence], rules: bool) -> Path:
    """A tagger trained on ``sentences`` (with or without the rules' features), kept in
    ``cache`` under a name keyed by everything it depends on."""
    from scripts.train_tagger import fit

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{name}-{'stacked' if rules else 'plain'}-{_feature_key()}.crfsuite.gz"
    if not path.exists():
        print(f"  training {path.name} on {len(sentences)} sentences", flush=True)
        fit(sentences, path, rules=rules)
    return path


def dev_folds(sentences: list[Sentence], cache: Path = DEFAULT_CACHE, folds: int = FOLDS):
    """({stacked: model path}, sentences those models did not see) per fold of the training
    part, training each fold's two taggers once (~1 min each under load)."""
    train = [s for i, s in enumerate(sentences) if not held_out(i)]
    out = []
    for k in range(folds):
        seen = [s for j, s in enumerate(train) if j % folds != k]
        models = {rules: _model(cache, f"fold{k}of{folds}", seen, rules) for rules in (True, False)}
        out.append((models, [s for j, s in enumerate(train) if j % folds == k]))
    return out


def held_out_part(sentences: list[Sentence], cache: Path = DEFAULT_CACHE):
    """The shipped model and a tagger-alone model trained like it, with the held-out fifth."""
    from indexer.extract.features import MODEL_PATH

    train = [s for i, s in enumerate(sentences) if not held_out(i)]
    models = {True: MODEL_PATH, False: _model(cache, "train", train, rules=False)}
    return [(models, [s for i, s in enumerate(sentences) if held_out(i)])]


def mode_table(parts, label: str, modes: list[str] | None = None) -> None:
    """Print each combination mode's scores (default: all) over (models, sentences) parts,
    pooled; ``models`` maps whether a mode reads the rules' features to its tagger."""
    from indexer.extract import Extraction, extract, tagger
    from indexer.extract.combine import DEFAULT_MODE, MODES, extract_names

    extract("Pemanasan: Presiden Joko Widodo di Jakarta, Rabu (13/9/2023).", dt.date(2023, 9, 13))
    n = sum(len(s) for _, s in parts)
    print(f"NERGRIT {label}: {n} sentences")
    print(f"  {'mode':<22} {'micro P/R/F1':>20}   {'PERSON':>6} {'ORG':>6} {'PLACE':>6}   sentences/CPU-s")
    for mode in modes or MODES:
        total_counts = {t: Counter() for t in TYPES}
        cpu = 0.0
        combination = MODES[mode]
        for models, sentences in parts:
            tagger.use_model(models[combination is None or combination.stacked])
            score(sentences[:30], lambda t: Extraction(*extract_names(t, mode)))  # warm the caches
            start = time.process_time()
            counts, _ = score(sentences, lambda t: Extraction(*extract_names(t, mode)))
            cpu += time.process_time() - start
            for t in TYPES:
                total_counts[t].update(counts[t])
        p, r, f = prf(sum(total_counts.values(), Counter()))
        per = " ".join(f"{prf(c)[2]:6.3f}" for c in total_counts.values())
        mark = "  <- shipped" if mode == DEFAULT_MODE else ""
        print(f"  {mode:<22} {p:6.3f} {r:6.3f} {f:6.3f}   {per}   {n / cpu:8,.0f}{mark}", flush=True)
    tagger.use_model(tagger.MODEL_PATH)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Every combination of the finders on NERGRIT")
    parser.add_argument("--data", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--dev", action="store_true", help="cross-validate inside the training part")
    parser.add_argument("--modes", nargs="+", help="only these combination modes")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where fold models are kept")
    args = parser.parse_args(argv)
    sentences = read_bio(args.data)
    if args.dev:
        mode_table(dev_folds(sentences, args.cache), f"{FOLDS}-fold cross-validation inside the training part", args.modes)
    else:
        mode_table(held_out_part(sentences, args.cache), "held-out fifth (every 5th sentence; never trained or tuned on)", args.modes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
