"""Phrase verification on the 22k index: ours, Whoosh's, and on the stored text; same hits?

    python bench/phrase_bench.py [--index DIR] [--sample 60]
    python bench/phrase_bench.py --index DIR --requests 6

``--requests N`` times whole phrase requests instead (``bench/query_bench.py``'s
phrases through ``WhooshEngine.search``, page 1 with every facet), N rounds on
one engine, each round once from the phrase cache and once with it emptied
before each request, and prints each round's p50/p95 CPU and all of them
together: the uncached p95 of one run of 12 phrases swings by 10-20 ms with the
neighbours' load, so a figure takes several rounds. Run it from two checkouts
one after the other to compare two codes on the same index.

Phrases: ``bench/query_bench.py``'s, plus ``--sample`` word runs (2-4 words)
cut from random article bodies, analysed as a query is. For each, the body
field's documents holding the phrase are found three ways, and must agree:

- ``scoring.phrase_docs`` (what the engine runs: candidates from the posting
  arrays, positions decoded for candidates only, rarest word first);
- Whoosh's ``query.Phrase`` (what the engine ran before);
- the stored text of every candidate, re-analysed and scanned (issue 13,
  item 4: keep positions for titles only and verify body phrases on the
  text). Its writer side (the cost of body positions) is measured by
  building with and without them (see DEVELOPERS.md, "Positions").

Prints p50/p95 CPU per method and how many phrases agree, and the steal.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from bench.query_bench import CORPUS, OUT, PHRASES, Timings, percentiles  # noqa: E402
from indexer.analysis import add_stems, analyze  # noqa: E402
from indexer.stemstore import StemStore  # noqa: E402
from search.backends.whoosh.scoring import Budget, Postings, phrase_docs  # noqa: E402

FIELD = "body"


def sampled_phrases(n: int, seed: int = 13) -> list[list[str]]:
    """``n`` runs of 2-4 analysed words from random article bodies (each occurs at least once)."""
    rng = random.Random(seed)
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    out: list[list[str]] = []
    while len(out) < n:
        words = analyze(json.loads(rng.choice(lines))["body"])
        size = rng.randint(2, 4)
        if len(words) > size:
            start = rng.randrange(len(words) - size)
            out.append(words[start : start + size])
    return out


def stored_text_docs(searcher, postings: Postings, live: np.ndarray, stems: list[str]) -> np.ndarray:
    """The candidates (every word present) whose stored body, analysed, holds the words in a row."""
    candidates = postings.term(FIELD, stems[0])[0]
    for text in stems[1:]:
        candidates = np.intersect1d(candidates, postings.term(FIELD, text)[0], assume_unique=True)
    n = len(stems)
    found = []
    for d in np.sort(candidates[live[candidates]]).tolist():
        words = analyze(searcher.stored_fields(d).get(FIELD) or "")
        if any(words[i : i + n] == stems for i in range(len(words) - n + 1)):
            found.append(d)
    return np.array(found, dtype=np.int64)


def bench_requests(index: Path, rounds: int) -> None:
    """Whole phrase requests, ``rounds`` times, from the phrase cache and with it emptied before each."""
    from search.backends.whoosh.engine import WhooshEngine
    from search.request import parse_request

    engine = WhooshEngine(index)
    requests = [parse_request({"q": [q]}) for q in PHRASES]
    for r in requests:
        engine.search(r)  # posting arrays read: what is timed is the phrase's own work
    together = {"cached": Timings(), "uncached": Timings()}
    with HostMeter() as host:
        for k in range(1, rounds + 1):
            this = {"cached": Timings(), "uncached": Timings()}
            for r in requests:
                engine.search(r)  # the previous round's uncached requests left only the last phrase cached
            for r in requests:
                this["cached"].time(engine.search, r)
            for r in requests:
                engine._snapshot._phrases.clear()  # verified again
                this["uncached"].time(engine.search, r)
            for kind, timings in this.items():
                together[kind].cpu += timings.cpu
                together[kind].wall += timings.wall
            print(f"round {k}: " + "; ".join(f"{kind} p50 {t.p50_p95('cpu')[0]:.1f}, p95 {t.p50_p95('cpu')[1]:.1f}" for kind, t in this.items()) + " ms CPU", flush=True)
    for kind, timings in together.items():
        print(timings.line(f"{len(PHRASES)} phrases x {rounds} rounds, {kind:<8}", " (target p95 <= 50)"))
    print(host.line())


def main() -> None:
    from whoosh import index as windex
    from whoosh import query as wq

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=OUT / "index-22k")
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--requests", type=int, default=0, help="time whole phrase requests this many rounds instead")
    args = parser.parse_args()
    if args.requests:
        bench_requests(args.index, args.requests)
        return

    add_stems(StemStore(args.index).load(repair=False))  # as the engine does: no Sastrawi in the timings
    phrases = [analyze(p.strip('"')) for p in PHRASES] + sampled_phrases(args.sample)
    searcher = windex.open_dir(str(args.index)).searcher()
    reader = searcher.reader()
    live = np.zeros(reader.doc_count_all(), dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    postings = Postings(searcher, (FIELD,))
    cpu: dict[str, list[float]] = {"ours": [], "whoosh": [], "stored text": []}
    agree = 0
    with HostMeter() as host:
        for stems in phrases:
            for text in stems:
                postings.term(FIELD, text)  # posting arrays read: only verification is timed
            results = {}
            for method, run in (
                ("ours", lambda: phrase_docs(postings, live, FIELD, stems, Budget(None))),
                ("whoosh", lambda: np.array(sorted(searcher.docs_for_query(wq.Phrase(FIELD, stems))), dtype=np.int64)),
                ("stored text", lambda: stored_text_docs(searcher, postings, live, stems)),
            ):
                start = time.process_time()
                results[method] = run()
                cpu[method].append((time.process_time() - start) * 1000)
            same = all(np.array_equal(results["ours"], r) for r in results.values())
            agree += same
            if not same:
                print("  DIFFER:", " ".join(stems), {m: len(r) for m, r in results.items()})
    print(f"{len(phrases)} body phrases ({len(PHRASES)} of query_bench, {args.sample} sampled from the corpus)")
    for method, ms in cpu.items():
        p50, p95 = percentiles(ms)
        print(f"  {method:<12} p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, total {sum(ms):7.0f} ms CPU")
    print(f"  same documents by all three: {agree} of {len(phrases)}")
    print(host.line())


if __name__ == "__main__":
    main()
