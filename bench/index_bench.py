"""Build the 22k corpus into a fresh index and print what it cost.

    .venv/bin/python bench/index_bench.py [--corpus PATH] [--workers N] [--keep DIR]

Prints documents, seconds, docs/s, the CPU time all processes used, the host's
CPU steal during the run, peak RSS (the parent and the largest worker process)
and the index size on disk. Target: 23,309 documents in <= 60 s on
a 2-core machine.
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
from indexer.build import build_index  # noqa: E402
from indexer.stats import index_stats  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep the index")
    args = parser.parse_args()

    target = args.keep or Path(tempfile.mkdtemp(prefix="telusur-bench-"))
    if target.exists():
        shutil.rmtree(target)
    try:
        with HostMeter() as host:
            summary = build_index([args.corpus], target, progress=True, workers=args.workers, warn=_warn)
        stats = index_stats(target)
    finally:
        if args.keep is None:
            shutil.rmtree(target, ignore_errors=True)
    parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    docs = summary.indexed + summary.updated
    rate = docs / summary.seconds
    print(f"documents        {docs} (skipped {summary.skipped})")
    print(f"seconds          {summary.seconds:.1f} (target <= {TARGET_SECONDS:.0f}: {'met' if summary.seconds <= TARGET_SECONDS else 'missed'})")
    print(f"docs/s           {rate:.0f}")
    print(f"CPU              {host.cpu_seconds:.0f} s in all processes ({host.cpu_seconds / docs * 1000:.1f} ms a document)")
    print(host.line())
    print(f"peak RSS         parent {parent_mb:.0f} MB, largest worker {child_mb:.0f} MB")
    print(f"index size       {stats['size_bytes'] / 1e6:.1f} MB in {stats['segments']} segments")
    return 0


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
