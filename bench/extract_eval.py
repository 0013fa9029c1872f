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
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.extract import extract  # noqa: E402
from bench.nergrit import held_out, prf, read_bio, score  # noqa: E402

HELD_OUT = "every 3rd sentence (index % 3 == 0)"


def ner_report(path: Path, split: str) -> None:
    sentences = read_bio(path)
    if split == "test":
        chosen = [s for i, s in enumerate(sentences) if held_out(i)]
        label = f"held-out: {HELD_OUT}"
    else:
        chosen = [s for i, s in enumerate(sentences) if not held_out(i)]
        label = "development part (index % 3 != 0), the part rules were tuned on"
    extract("Pemanasan: Presiden Joko Widodo di Jakarta, Rabu (13/9/2023).", dt.date(2023, 9, 13))
    counts, seconds = score(chosen)
    rate = len(chosen) / seconds
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
