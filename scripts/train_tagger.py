"""Train the entity tagger: a CRF on NERGRIT with the corpus word tables.

Fits python-crfsuite (L-BFGS, c1 0.1, c2 0.5, 200 iterations: c2 and the iterations
as measured best in ``../shared/notes/ner-facts.md``; c1 0.1 rather than 0.01 scored
as well on ``bench/nergrit.py --dev`` with half the model, 1.0 MB with the
capitalised-run, neighbour-cluster and affix features; c1 0.05 and c2 0.25 measured
no better) on every NERGRIT sentence
that is not held out (``bench.nergrit.held_out``: every 5th sentence is kept for
``bench/extract_eval.py`` and never trained or tuned on), and writes
``indexer/extract/data/tagger.crfsuite.gz``. Run ``scripts/tagger_corpus.py``
first when the word tables are missing or the corpus changed.

    make tagger          # installs requirements-train.txt, runs both steps
    .venv/bin/python scripts/train_tagger.py [--bio PATH] [--out PATH] [--folds 5]

``--folds K`` also prints a K-fold cross-validation score on the training part
(the number to tune features and settings on).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nergrit import DEFAULT_PATH, Sentence, detokenize, held_out, read_bio  # noqa: E402
from indexer.extract.features import MODEL_PATH, sentence_rule_marks, sequence_features  # noqa: E402

PARAMS = {"c1": 0.1, "c2": 0.5, "max_iterations": 200, "feature.possible_transitions": True}


def sentence_features(tokens: list[str], rules: bool = True) -> list[list[str]]:
    """One NERGRIT sentence's CRF input; with ``rules``, the rules' finds on its text too."""
    marks = sentence_rule_marks(tokens, detokenize(tokens)) if rules else None
    return sequence_features(tokens, marks=marks)


def fit(sentences: list[Sentence], out: Path, params: dict | None = None, rules: bool = True) -> Path:
    """Train on the sentences and write the gzipped model to ``out``; ``rules=False``
    trains the tagger alone (no rule features), the baseline ``bench/nergrit.py`` prints."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        tokens = [tok for tok, _ in sentence]
        trainer.append(sentence_features(tokens, rules), [tag for _, tag in sentence])
    trainer.set_params({**PARAMS, **(params or {})})
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "model.crfsuite"
        trainer.train(str(raw))
        with open(out, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
            gz.write(raw.read_bytes())
    return out


def cross_validate(sentences: list[Sentence], folds: int, params: dict | None = None) -> float:
    """Strict bag-of-names micro F1 over K folds of the training part."""
    import pycrfsuite

    from bench.nergrit import bio_names

    tp = fp = fn = 0
    for k in range(folds):
        train = [s for i, s in enumerate(sentences) if i % folds != k]
        test = [s for i, s in enumerate(sentences) if i % folds == k]
        with tempfile.TemporaryDirectory() as tmp:
            model = gzip.decompress(fit(train, Path(tmp) / "m.gz", params).read_bytes())
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(model)  # reads `model` in place: keep it referenced
        for sentence in test:
            tokens = [tok for tok, _ in sentence]
            got = bio_names(tokens, tagger.tag(sentence_features(tokens)))
            gold = bio_names(tokens, [tag for _, tag in sentence])
            tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bio", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--folds", type=int, default=0, help="also print K-fold CV F1 on the training part")
    parser.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--c1", type=float, default=PARAMS["c1"], help="L1 weight (more: fewer features, faster)")
    parser.add_argument("--c2", type=float, default=PARAMS["c2"], help="L2 weight")
    args = parser.parse_args(argv)
    sentences = read_bio(args.bio)
    train = [s for i, s in enumerate(sentences) if not held_out(i)]
    params = {"max_iterations": args.iterations, "c1": args.c1, "c2": args.c2}
    if args.folds:
        t0 = time.time()
        f1 = cross_validate(train, args.folds, params)
        print(f"{args.folds}-fold CV on {len(train)} training sentences: micro F1 {f1:.3f} ({time.time() - t0:.0f} s)")
    t0 = time.time()
    fit(train, args.out, params)
    print(f"trained on {len(train)} of {len(sentences)} sentences in {time.time() - t0:.0f} s -> {args.out}"
          f" ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
