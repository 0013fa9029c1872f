"""Extraction quality and speed: NERGRIT P/R/F1 on a held-out split, then the 22k corpus.

Part 1 scores ``indexer.extract.extract`` against the NERGRIT sentences
(``../shared/ner/nergrit-train.bio``): per sentence, the SET of person /
organisation / place names is compared (case-insensitive, whitespace- and
hyphen-spacing-normalised). Gold names are passed through the same canonical
tables as our output (`AS` -> `Amerika Serikat`, `Kabupaten X` -> `X`), so a
found entity counts whatever spelling the annotator kept. The held-out split is
every third sentence (index % 3 == 0); rules were only tuned on the others.

Part 2 extracts the whole corpus (title + body, published = the record's date)
and prints articles/s, ms/article and the top facet values by document count:
the list a user sees first, which must hold no junk.

    .venv/bin/python bench/extract_eval.py [--data PATH] [--corpus PATH] [--step N] [--no-corpus]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.extract import extract  # noqa: E402
from indexer.extract.aliases import ORG_KEYS, PERSON_KEYS, display_name, merge_key, norm_key  # noqa: E402
from indexer.extract.gazetteer import places  # noqa: E402

TYPES = {"PERSON": "people", "ORGANISATION": "organizations", "PLACE": "locations"}
HELD_OUT = "every 3rd sentence (index % 3 == 0)"


def read_bio(path: Path) -> list[list[tuple[str, str]]]:
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


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]%])")
_NO_SPACE_AFTER = re.compile(r"([(\[]) ")
_HYPHEN = re.compile(r" ?- ?")


def detokenize(tokens: list[str]) -> str:
    """Undo NERGRIT's tokenisation: `Jakarta , ( DKI )` -> `Jakarta, (DKI)`; quotes hug their text."""
    out: list[str] = []
    open_quote = False
    for tok in tokens:
        if tok in {'"', "``", "''"}:
            if open_quote:
                out[-1:] = [out[-1] + '"'] if out else ['"']
            else:
                out.append('"')
            open_quote = not open_quote
            continue
        if out and out[-1].endswith('"') and open_quote and out[-1] == '"':
            out[-1] = '"' + tok
        else:
            out.append(tok)
    text = " ".join(out)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    return _HYPHEN.sub("-", text)


def gold_entities(sentence: list[tuple[str, str]]) -> dict[str, set[str]]:
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


def canonical(kind: str, name: str) -> str:
    """The comparison key of a gold or predicted name, through our own canonical tables."""
    key = norm_key(name)
    if kind == "PLACE":
        hit = places().get(key)
        name = hit[0] if hit else name
    elif kind == "PERSON":
        name = PERSON_KEYS.get(merge_key(name), display_name(name))
    else:
        name = ORG_KEYS.get(key, name)
    return merge_key(name)


def evaluate(sentences: list[list[tuple[str, str]]]) -> tuple[dict[str, Counter], float]:
    counts = {t: Counter() for t in TYPES}
    texts = [detokenize([tok for tok, _ in s]) for s in sentences]
    golds = [gold_entities(s) for s in sentences]
    start = time.perf_counter()
    preds = [extract(text) for text in texts]
    seconds = time.perf_counter() - start
    for gold, pred in zip(golds, preds):
        for t, attr in TYPES.items():
            got = {canonical(t, name) for name in getattr(pred, attr)}
            counts[t]["tp"] += len(got & gold[t])
            counts[t]["fp"] += len(got - gold[t])
            counts[t]["fn"] += len(gold[t] - got)
    return counts, len(sentences) / seconds


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ner_report(path: Path, split: str) -> None:
    sentences = read_bio(path)
    if split == "test":
        chosen = [s for i, s in enumerate(sentences) if i % 3 == 0]
        label = f"held-out: {HELD_OUT}"
    else:
        chosen = [s for i, s in enumerate(sentences) if i % 3 != 0]
        label = "development part (index % 3 != 0), the part rules were tuned on"
    extract("Pemanasan: Presiden Joko Widodo di Jakarta, Rabu (13/9/2023).", dt.date(2023, 9, 13))
    counts, rate = evaluate(chosen)
    print(f"NERGRIT {path.name}: {len(chosen)} of {len(sentences)} sentences, {label}")
    total = Counter()
    print(f"  {'type':<13} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for t, c in counts.items():
        p, r, f = prf(c)
        total.update(c)
        print(f"  {t:<13} {p:6.3f} {r:6.3f} {f:6.3f}   {c['tp']}/{c['fp']}/{c['fn']}")
    p, r, f = prf(total)
    print(f"  {'micro':<13} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"  speed: {rate:,.0f} sentences/s")


def _published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def corpus_report(path: Path, step: int, top: int) -> None:
    records = []
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % step == 0:
                records.append(json.loads(line))
    entity_docs: Counter = Counter()
    location_docs: Counter = Counter()
    date_docs: Counter = Counter()
    chars = 0
    start = time.perf_counter()
    for rec in records:
        text = f"{rec.get('title') or ''}\n{rec.get('body') or ''}"
        chars += len(text)
        e = extract(text, _published(rec.get("date")))
        entity_docs.update(set(e.people) | set(e.organizations))
        location_docs.update(set(e.locations))
        date_docs.update(set(e.dates))
    seconds = time.perf_counter() - start
    n = len(records)
    print(f"\nCorpus {path.name}: {n} articles (every {step}th), avg {chars / n:,.0f} chars")
    print(f"  {n / seconds:,.0f} articles/s, {1000 * seconds / n:.2f} ms/article (one process)")
    for label, counter in (("entities (people + organisations)", entity_docs), ("locations", location_docs)):
        print(f"  top {top} {label}, by document count:")
        for name, count in counter.most_common(top):
            print(f"    {count:6d}  {name}")
    print("  top 10 mentioned dates:", ", ".join(f"{d} ({c})" for d, c in date_docs.most_common(10)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "ner" / "nergrit-train.bio")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl")
    parser.add_argument("--split", choices=("test", "dev"), default="test",
                        help="score the held-out third (default) or the tuning part")
    parser.add_argument("--step", type=int, default=1, help="use every Nth corpus record (1 = all)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus pass")
    parser.add_argument("--no-ner", action="store_true", help="skip the NERGRIT scores")
    args = parser.parse_args(argv)
    if not args.no_ner:
        ner_report(args.data, args.split)
    if not args.no_corpus:
        corpus_report(args.corpus, args.step, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
