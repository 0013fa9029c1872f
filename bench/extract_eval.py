"""Extraction quality and cost: NERGRIT held out, hand-annotated news, the 22k corpus and its index.

Part 1 scores every way of combining the finders (``indexer.extract.combine.MODES``:
the rules alone, the tagger alone, the shipped ``sure`` mix and the others) on the
NERGRIT held-out part (every 5th sentence, never trained or tuned on): strict
bag-of-names micro F1 per sentence and per type, sentences per CPU-second.

Part 2 scores the facet values of 30 hand-annotated articles of the 22k corpus
(``bench/annotations.jsonl``: ids and names only, never article text) against
the shipped extraction through the index's alias table (``--index``, else through
none): P/R/F1 per type, "splits" (one annotated entity shown under two or more
values) and values that are no name at all.

Part 3 extracts the corpus (title + body, published = the record's date): CPU-ms an
article for the shipped extraction, the tagger alone and the rules alone, caches warm,
and first over 1,000 other articles with the word types and runs cold (a build
worker's case).

Part 4 (``--index DIR``, an index of the 22k corpus) prints the top 200 entity
and top 100 location values with their document counts, the alias table's size
and 30 sample entries.

    .venv/bin/python bench/extract_eval.py [--step N] [--index DIR] [--no-ner] [--no-corpus]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from bench.nergrit import DEFAULT_PATH, held_out_part, mode_table, prf, read_bio  # noqa: E402
from indexer.clean import repair_mojibake  # noqa: E402
from indexer.extract import MAX_CHARS, extract  # noqa: E402
from indexer.extract.combine import DEFAULT_MODE, extract_names  # noqa: E402
from indexer.extract.aliases import merge_key  # noqa: E402
from indexer.extract.alias_table import AliasTable  # noqa: E402
from indexer.extract.alias_text import spellings  # noqa: E402

ANNOTATIONS = ROOT / "bench" / "annotations.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
KINDS = {"people": "person", "organizations": "organization", "locations": "location"}


def ner_report(path: Path) -> None:
    mode_table(held_out_part(read_bio(path)), f"{path.name} held-out fifth (every 5th sentence; never trained or tuned on)")


def _records(path: Path, step: int) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for i, line in enumerate(f) if i % step == 0]


def _published(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(value).date() if value else None
    except ValueError:
        return None


def _text(rec: dict) -> str:
    return f"{rec.get('title') or ''}\n{rec.get('body') or ''}"


def annotation_report(corpus: Path, table: AliasTable, mode: str = DEFAULT_MODE, errors: bool = False) -> None:
    """Facet P/R/F1 per type on the hand-annotated articles, splits and non-names; with
    ``errors``, every wrong value (fp), missed entity (fn) and split, article by article."""
    gold = [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {g["id"]: g for g in gold}
    records = {r["id"]: r for r in _iter_records(corpus) if r["id"] in wanted}
    counts = {k: Counter() for k in KINDS}
    splits, junk = 0, []
    for doc_id, g in wanted.items():
        rec = records[doc_id]
        text = repair_mojibake(_text(rec)[:MAX_CHARS])
        found = extract_names(text, mode)
        got = dict(zip(KINDS, table.apply(*found, spellings(text, found[0]))))
        for attr in KINDS:
            entities = [[name] + list(g.get("aliases", {}).get(name, [])) for name in g[attr]]
            keys = [{merge_key(n) for n in names} for names in entities]
            matched: Counter = Counter()
            for value in got[attr]:
                hit = next((i for i, ks in enumerate(keys) if merge_key(value) in ks), None)
                if hit is None:
                    counts[attr]["fp"] += 1
                    if errors:
                        print(f"  {doc_id} {attr} fp: {value}")
                    if value in g.get("not_names", []):
                        junk.append((doc_id, value))
                else:
                    matched[hit] += 1
            counts[attr]["tp"] += len(matched)
            counts[attr]["fn"] += len(entities) - len(matched)
            splits += sum(1 for n in matched.values() if n > 1)
            if errors:
                for i, names in enumerate(entities):
                    if not matched[i] or matched[i] > 1:
                        shown = [v for v in got[attr] if merge_key(v) in keys[i]]
                        print(f"  {doc_id} {attr} {'fn' if not matched[i] else 'split'}: {names[0]}"
                              + (f" shown as {shown}" if shown else ""))
    print(f"\nHand-annotated news ({len(wanted)} articles of {corpus.name}, bench/annotations.jsonl), mode {mode}, "
          f"through {'the index alias table' if len(table) else 'no alias table'}:")
    total = Counter()
    for attr, c in counts.items():
        total.update(c)
        p, r, f = prf(c)
        print(f"  {attr:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   tp/fp/fn {c['tp']}/{c['fp']}/{c['fn']}")
    p, r, f = prf(total)
    print(f"  {'micro':<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"  splits (one entity shown under two or more values): {splits}")
    print(f"  values that are no name at all: {len(junk)}" + (f": {junk}" if junk else ""))


def _iter_records(path: Path):
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def cost_report(corpus: Path, step: int) -> None:
    """CPU-ms an article: the shipped extraction whole, each finder alone, and the shipped
    extraction's stages one by one (each timed on its own over the same articles)."""
    from indexer.extract import tagger
    from indexer.extract.combine import MODES, TAGGER_MAX_CHARS, combine
    from indexer.extract.alias_text import definitions
    from indexer.extract.dates import find_dates
    from indexer.extract.resolve import resolve
    from indexer.extract.rules import find_mentions, skip_spans

    records = _records(corpus, step)
    texts = [(repair_mojibake(_text(r)[:MAX_CHARS]), _published(r.get("date"))) for r in records]
    print(f"\nCorpus {corpus.name}: {len(texts)} articles (every {step}th), one process, caches warm after "
          f"the first 300")
    cold_cost(corpus, step)
    for text, published in texts[:300]:
        extract(text, published)
    crf, scores = tagger._tagger()
    families = MODES[DEFAULT_MODE].families
    # Each stage's input, made once beforehand so that each is timed alone.
    skips = [skip_spans(t) for t, _ in texts]
    found = [find_mentions(t, s) for (t, _), s in zip(texts, skips)]
    rows = [tagger.window_rows(t[:TAGGER_MAX_CHARS], f, scores) for (t, _), f in zip(texts, found)]
    items = [scores.items(r) for r, _ in rows]
    labels = [crf.tag(it) if it else [] for it in items]
    tagged = [tagger.names(t, lab, w) for (t, _), lab, (_, w) in zip(texts, labels, rows)]
    n = len(texts)
    jobs = {
        "extract (shipped, whole)": lambda i: extract(texts[i][0], texts[i][1]),
        "tagger alone (windows, features, CRF)": lambda i: tagger.tagged_mentions(texts[i][0]),
        "rules alone (mentions)": lambda i: find_mentions(texts[i][0], skip_spans(texts[i][0])),
        "  stage: rules (skip spans + mentions)": lambda i: find_mentions(texts[i][0], skip_spans(texts[i][0])),
        "  stage: tagger features (windows, rule marks)": lambda i: tagger.window_rows(texts[i][0][:TAGGER_MAX_CHARS], found[i], scores),
        "  stage: summed scores (crfsuite's items)": lambda i: scores.items(rows[i][0]),
        "  stage: CRF (one call an article)": lambda i: crf.tag(items[i]) if items[i] else None,
        "  stage: mentions from labels": lambda i: tagger.names(texts[i][0], labels[i], rows[i][1]),
        "  stage: combine + resolve": lambda i: resolve(combine(found[i], tagged[i], families)),
        "  stage: dates": lambda i: find_dates(texts[i][0], texts[i][1]),
        "  stage: acronym definitions": lambda i: definitions(texts[i][0]),
    }
    with HostMeter() as meter:
        for label, job in jobs.items():
            cpu = time.process_time()
            for i in range(n):
                job(i)
            cpu = time.process_time() - cpu
            print(f"  {label:<48} {1000 * cpu / n:5.2f} CPU-ms/article")
    tokens = sum(len(it) for it in items) / n
    print(f"  tokens tagged an article: {tokens:.0f}, {len(scores.basis)} attributes each")
    print(f"  {meter.line()}")


# Articles a build worker's first stretch is measured on (``cold_cost``).
COLD_ARTICLES = 1000


def cold_cost(corpus: Path, step: int) -> None:
    """CPU-ms an article over articles not seen before, with no word type summed and no run
    cut yet (a fresh scorer, the rules' cut cache emptied): a build worker's case, whose
    caches start empty after the model is loaded and forked (the name tables' caches stay
    warm here). Also the model's load, which the build pays once before it forks."""
    from indexer.extract import rules, tagger

    with corpus.open(encoding="utf-8") as f:
        records = [json.loads(line) for i, line in enumerate(f) if i % step == step // 2][:COLD_ARTICLES]
    texts = [(repair_mojibake(_text(r)[:MAX_CHARS]), _published(r.get("date"))) for r in records]
    tagger.use_model(tagger.MODEL_PATH)
    load = time.process_time()
    tagger._tagger()
    load = time.process_time() - load
    rules._CUT_CACHE.clear()
    with HostMeter() as meter:
        cpu = time.process_time()
        for text, published in texts:
            extract(text, published)
        cpu = time.process_time() - cpu
    print(f"  {'extract, word types cold (unseen articles)':<48} {1000 * cpu / len(texts):5.2f} CPU-ms/article "
          f"over {len(texts)}; the model's load {load:.2f} CPU-s; {meter.line()}")


def index_report(index_dir: Path) -> None:
    """Top values of an index's facets, by document count, and its alias table."""
    from whoosh import index

    ix = index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs = list(reader.all_doc_ids())
        for field, top in (("entity", 200), ("location", 100)):
            column = reader.column_reader(field)
            counts = Counter(v for d in docs for v in set(column[d]))
            print(f"\nIndex {index_dir}: top {top} {field} values of {len(counts):,} ({len(docs):,} documents):")
            items = counts.most_common(top)
            for row in range(0, len(items), 4):
                print("  " + " | ".join(f"{name} {n}" for name, n in items[row:row + 4]))
    table = AliasTable.load(index_dir)
    groups: dict[str, list[str]] = {}
    for value, canonical in table.canonical.items():
        groups.setdefault(canonical, []).append(value.split("|", 1)[1])
    print(f"\nAlias table: {len(table):,} aliases of {len(groups):,} canonical names; "
          f"{len(table.types):,} names typed by corpus vote. 30 sample entries:")
    for canonical in random.Random(9).sample(sorted(groups), min(30, len(groups))):
        print(f"  {canonical} <- {', '.join(sorted(groups[canonical]))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--index", type=Path, help="an index of the corpus: its alias table and top values")
    parser.add_argument("--step", type=int, default=10, help="use every Nth corpus record for the cost")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus cost pass")
    parser.add_argument("--no-ner", action="store_true", help="skip the NERGRIT scores")
    parser.add_argument("--modes", nargs="+", default=[DEFAULT_MODE], help="score the annotated news in these modes")
    parser.add_argument("--errors", action="store_true", help="list the annotated news' wrong, missed and split values")
    args = parser.parse_args(argv)
    if not args.no_ner:
        ner_report(args.data)
    table = AliasTable.load(args.index) if args.index else AliasTable()
    with HostMeter() as meter:
        for mode in args.modes:
            annotation_report(args.corpus, table, mode, args.errors)
    print(f"  {meter.line()}")
    if not args.no_corpus:
        cost_report(args.corpus, args.step)
    if args.index:
        index_report(args.index)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
