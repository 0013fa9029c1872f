"""Build the 22k corpus into a fresh index and print what it cost.

    .venv/bin/python bench/index_bench.py [--corpus PATH] [--workers N] [--keep DIR] [--scale 10]

Prints documents, wall seconds, docs/s, the CPU time all processes used and
its split per stage (``indexer.stages.STAGES``: read, clean, extract, analyse,
story, spool, alias, write, commit) in ms an article and the parent process's
share of it (the build's serial part: what the workers may wait for), the documents indexed
earlier that the alias table rewrote, the time the worker processes waited for work (and how much of
it while writing), the host's CPU steal
during the run, peak RSS (the parent and the largest worker process; the parent's
peak after its first and last batch's commit, and its growth a batch) and the
index size on disk. Then the same build again into that index (every
article updated), whose stems all come from the index's stem store. ``--scale 10`` also builds the 10x corpus
(``bench/query_bench.py``'s) and prints its time and RSS. Target: 23,309
documents in <= 60 s on a 2-core machine at 0% steal.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from indexer.build import DEFAULT_BATCH_SIZE, BuildSummary, build_index  # noqa: E402
from indexer.stages import STAGES  # noqa: E402
from indexer.stats import index_stats  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep the index")
    parser.add_argument("--scale", type=int, default=0, help="also build an N-times corpus")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="articles a commit")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the second build into the same index")
    args = parser.parse_args()

    target = args.keep or Path(tempfile.mkdtemp(prefix="telusur-bench-"))
    if target.exists():
        shutil.rmtree(target)
    try:
        run(args.corpus, target, args.workers, "fresh index", args.batch_size)
        stats = index_stats(target)
        print(f"index size       {stats['size_bytes'] / 1e6:.1f} MB in {stats['segments']} segments")
        print(f"peak RSS         parent {_rss(resource.RUSAGE_SELF):.0f} MB, largest worker {_rss(resource.RUSAGE_CHILDREN):.0f} MB")
        if not args.no_rebuild:
            run(args.corpus, target, args.workers, "the same corpus again into the same index (every article updated)", args.batch_size)
    finally:
        if args.keep is None:
            shutil.rmtree(target, ignore_errors=True)
    if args.scale > 1:
        from bench.query_bench import OUT, scaled_corpus

        OUT.mkdir(parents=True, exist_ok=True)  # where the scaled corpus is written (not in git)
        big = Path(tempfile.mkdtemp(prefix="telusur-bench-x"))
        try:
            run(scaled_corpus(args.scale), big, args.workers, f"{args.scale}x corpus", args.batch_size)
            stats = index_stats(big)
            print(f"index size       {stats['size_bytes'] / 1e6:.1f} MB in {stats['segments']} segments [{args.scale}x]")
            print(f"peak RSS         parent {_rss(resource.RUSAGE_SELF):.0f} MB, largest worker {_rss(resource.RUSAGE_CHILDREN):.0f} MB (whole run)")
        finally:
            shutil.rmtree(big, ignore_errors=True)
    return 0


def run(corpus: Path, target: Path, workers: int | None, label: str, batch_size: int) -> tuple[BuildSummary, HostMeter]:
    print(f"-- {label}: {corpus.name}, batches of {batch_size}", flush=True)
    with HostMeter() as host:
        summary = build_index([corpus], target, progress=True, workers=workers, batch_size=batch_size, warn=_warn)
    report(summary, host)
    return summary, host


def report(summary: BuildSummary, host: HostMeter) -> None:
    docs = summary.indexed + summary.updated
    rate = docs / summary.seconds
    verdict = "met" if summary.seconds <= TARGET_SECONDS else "missed"
    print(f"documents        {docs} (skipped {summary.skipped})")
    print(f"seconds          {summary.seconds:.1f} wall (target <= {TARGET_SECONDS:.0f} for the 22k at 0% steal: {verdict})")
    print(f"docs/s           {rate:.0f}")
    print(f"CPU              {host.cpu_seconds:.0f} s in all processes ({host.cpu_seconds / docs * 1000:.2f} ms an article)")
    staged = sum(summary.stage_cpu.values())
    parts = ", ".join(f"{name} {summary.stage_cpu.get(name, 0.0) / docs * 1000:.2f}" for name in STAGES)
    print(f"CPU per stage    {parts} ms an article; other {(host.cpu_seconds - staged) / docs * 1000:.2f}")
    serial = ", ".join(f"{name} {summary.parent_cpu[name] / docs * 1000:.2f}" for name in STAGES if name in summary.parent_cpu)
    print(f"of which parent  {serial} ms an article ({sum(summary.parent_cpu.values()):.1f} CPU-s, the build's serial part)")
    print(f"worker idle      {summary.worker_idle:.1f} s summed over the workers ({summary.writing_idle:.1f} s of it while writing)")
    print(f"alias table      {summary.recanonicalised} documents indexed earlier rewritten; {summary.reused} articles reused from a killed build's spool")
    print(f"stems known      {summary.stems_known} from the index's stem store")
    rss = summary.peak_rss
    if len(rss) > 1:
        growth = (rss[-1] - rss[0]) / (len(rss) - 1)
        print(f"parent peak RSS  {rss[0]:.0f} MB after the first batch's commit, {rss[-1]:.0f} MB after the last ({len(rss)} batches: {growth:+.1f} MB a batch)")
    print(host.line())


def _rss(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
