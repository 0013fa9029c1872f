"""Stories on the 22k corpus: how many, how big, and how right against hand-labelled pairs.

    .venv/bin/python bench/stories_bench.py [--corpus PATH] [--pairs bench/story_pairs.tsv] [--top 10] [--workers 2]

Runs the index-time story assignment (``indexer.stories.StoryTable``) over the
corpus in the build's batches (fingerprints given the people and organisations
the build's extraction finds, computed first in worker processes), then prints the number of stories, their size
distribution, the largest groups with titles, the CPU time per article, and
precision / recall of "same story id" on the labelled pairs: overall and on the
rewritten pairs that share little wording (estimated word-shingle Jaccard
< 0.1). A threshold sweep of the pairwise rule shows why the thresholds in
``indexer/stories.py`` are what they are.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqdm import tqdm  # noqa: E402

from bench.machine import HostMeter  # noqa: E402
from indexer import stories  # noqa: E402
from indexer.build import DEFAULT_BATCH_SIZE  # noqa: E402
from indexer.prepare import document_fields  # noqa: E402
from indexer.sources import Article, iter_sources  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
PAIRS = ROOT / "bench" / "story_pairs.tsv"
LITTLE_WORDING = 0.1


def read_pairs(path: Path) -> list[tuple[str, str, bool]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("id_a"):
            continue
        a, b, same = line.split("\t")
        out.append((a, b, same == "1"))
    return out


def precision_recall(predicted: list[bool], truth: list[bool]) -> str:
    tp = sum(p and t for p, t in zip(predicted, truth))
    fp = sum(p and not t for p, t in zip(predicted, truth))
    fn = sum(t and not p for p, t in zip(predicted, truth))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"P {precision:.2f}  R {recall:.2f}  (tp {tp}, fp {fp}, fn {fn}, pairs {len(truth)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    args = parser.parse_args()

    articles: dict[str, Article] = {a.id: a for a in iter_sources([args.corpus]) if isinstance(a, Article)}
    started = time.monotonic()
    with multiprocessing.Pool(args.workers) as pool:
        found = pool.imap(_names, articles.values(), chunksize=64)
        names = dict(zip(articles, tqdm(found, total=len(articles), unit="docs", desc="extract")))
    print(f"extraction       {time.monotonic() - started:.0f} s wall in {args.workers} processes (not counted below)")
    fingerprints: dict[str, stories.Fingerprint] = {}
    story_of: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="telusur-stories-") as tmp, HostMeter() as host:
        table = stories.StoryTable(tmp)
        batch: list[tuple[str, stories.Fingerprint]] = []
        for item in articles.values():
            fp = fingerprints[item.id] = stories.fingerprint(item.title, item.body, item.date, item.source, names[item.id])
            batch.append((item.id, fp))
            if len(batch) >= DEFAULT_BATCH_SIZE:
                _apply(table.assign(batch), story_of)
                batch = []
        _apply(table.assign(batch), story_of)
        table.commit()
        table.close()

    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, story in story_of.items():
        members[story].append(doc_id)
    sizes = Counter(len(m) for m in members.values())
    grouped = sum(n * count for n, count in sizes.items() if n > 1)
    print(f"articles         {len(story_of)}")
    print(f"stories          {len(members)}; {sum(c for n, c in sizes.items() if n > 1)} with 2 or more articles, holding {grouped} articles")
    print("size             " + ", ".join(f"{n}: {sizes[n]}" for n in sorted(sizes)))
    cross = sum(1 for m in members.values() if len({articles[i].source for i in m}) > 1)
    print(f"cross-outlet     {cross} stories span two or more outlets")
    print(f"CPU              {host.cpu_seconds:.1f} s ({host.cpu_seconds / len(story_of) * 1000:.2f} ms an article: fingerprint + assignment)")
    print(host.line())
    print(f"largest {args.top}:")
    for story, ids in sorted(members.items(), key=lambda kv: -len(kv[1]))[: args.top]:
        ids.sort(key=lambda i: articles[i].date or 0)
        outlets = Counter(articles[i].source for i in ids)
        print(f"  {story}: {len(ids)} articles, {len(outlets)} outlets ({', '.join(f'{s} {n}' for s, n in outlets.most_common(4))})")
        for i in ids[:3]:
            print(f"      {articles[i].date:%Y-%m-%d} {articles[i].source}: {articles[i].title[:90]}")

    pairs = [p for p in read_pairs(args.pairs) if p[0] in story_of and p[1] in story_of]
    truth = [same for _, _, same in pairs]
    sims = [fingerprints[a].similarity(fingerprints[b]) for a, b, _ in pairs]
    grouped_pred = [story_of[a] == story_of[b] for a, b, _ in pairs]
    print(f"\nlabelled pairs   {len(pairs)} ({sum(truth)} same story)")
    print(f"  same story id      {precision_recall(grouped_pred, truth)}")
    rule = [stories.same_story(fingerprints[a], fingerprints[b]) for a, b, _ in pairs]
    print(f"  pairwise rule      {precision_recall(rule, truth)}")
    little = [k for k, (body, _) in enumerate(sims) if body < LITTLE_WORDING]
    print(
        f"  little shared wording (body < {LITTLE_WORDING}): "
        + precision_recall([grouped_pred[k] for k in little], [truth[k] for k in little])
    )
    couples = [(fingerprints[a], fingerprints[b]) for a, b, _ in pairs]
    print("  sweep of the pairwise rule (the constants of indexer/stories.py set in turn):")
    for body_t in (0.2, 0.25, 0.3):
        for lead_t in (0.4, 0.45, 0.5):
            print(f"    BODY_SAME {body_t:.2f} LEAD_SAME {lead_t:.2f}  "
                  + _swept(couples, truth, BODY_SAME=body_t, LEAD_SAME=lead_t))
    print(f"    without the looser path         {_swept(couples, truth, RETOLD_TITLE=1.01)}")
    for title_t in (0.2, 0.25, 0.3, 0.35):
        for names_n in (0, 1, 2):
            print(f"    RETOLD_TITLE {title_t:.2f} RETOLD_NAMES {names_n}  "
                  + _swept(couples, truth, RETOLD_TITLE=title_t, RETOLD_NAMES=names_n))
    for lead_t, body_t in ((0.15, 0.05), (0.25, 0.05), (0.2, 0.02), (0.2, 0.08)):
        print(f"    RETOLD_LEAD {lead_t:.2f} RETOLD_BODY {body_t:.2f}  "
              + _swept(couples, truth, RETOLD_LEAD=lead_t, RETOLD_BODY=body_t))
    return 0


def _swept(couples: list, truth: list[bool], **constants: float) -> str:
    """Precision / recall of ``stories.same_story`` with some of its constants changed for the call."""
    saved = {name: getattr(stories, name) for name in constants}
    try:
        for name, value in constants.items():
            setattr(stories, name, value)
        return precision_recall([stories.same_story(a, b) for a, b in couples], truth)
    finally:
        for name, value in saved.items():
            setattr(stories, name, value)


def _names(article: Article) -> list[str]:
    """The people and organisations the build's fingerprint is given (``indexer.segments``)."""
    return document_fields(article).get("entity", [])


def _apply(assignment: stories.Assignment, story_of: dict[str, str]) -> None:
    story_of.update(assignment.stories)
    story_of.update(assignment.moved)


if __name__ == "__main__":
    sys.exit(main())
