"""A bounded load test: concurrent clients against the production server while a build adds articles.

    .venv/bin/python bench/load_bench.py [--clients 8] [--seconds 30] [--index DIR] [--corpus PATH]

Builds an index of the 22k corpus minus its last ``--add`` articles (or reuses
``--index``), serves it with waitress (`python -m web`) on 127.0.0.1, and runs
``--clients`` threads of mixed queries with facet selections for ``--seconds``
twice: on a quiet server, then while `python -m indexer build` adds the
held-back articles to the same index. Prints, per phase, requests/s,
p50/p95/p99 latency, the error count (must be 0) and the host's CPU steal, then
whether the server saw the new documents without a restart.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402

QUERIES = [
    "", "banjir", "gempa", "jokowi", "korupsi", "pertemuan presiden", "harga cabai", "banjir jakarta",
    "kebakaran hutan", "timnas indonesia", "pemilu", "kpk", "polisi menangkap", "artis menikah",
    "sepak bola", "demo mahasiswa", "pemerintah daerah", "ekonomi", "papua", "bj habibie",
    '"kebakaran hutan"', "title:gempa", "jakarta -banjir", "prabowo OR jokowi", "kabut asap riau",
]
FACET_PICKS = [
    {}, {}, {"source": "kompas.com"}, {"source": "tempo.co"}, {"category": "Nasional"},
    {"location": "Jakarta"}, {"entity": "Joko Widodo"}, {"source": "okezone.com", "category": "Olahraga"},
    {"date_from": "2019-09-01", "date_to": "2019-09-15"}, {"sort": "newest"}, {"page": "2"},
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--add", type=int, default=3000, help="articles the concurrent build adds")
    parser.add_argument("--index", type=Path, default=None, help="reuse this index (it gets the added articles)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="telusur-load-"))
    with args.corpus.open(encoding="utf-8") as f:
        lines = f.readlines()  # not splitlines(): article text holds U+2028 and friends
    base, extra = work / "base.jsonl", work / "extra.jsonl"
    base.write_text("".join(lines[: -args.add]), encoding="utf-8")
    extra.write_text("".join(lines[-args.add :]), encoding="utf-8")
    index_dir = args.index or work / "index"
    if args.index is None:
        print(f"building the base index ({len(lines) - args.add} articles) ...", flush=True)
        _run([sys.executable, "-m", "indexer", "build", str(base), "--index", str(index_dir), "--quiet"])

    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up with
    # waitress's queue-depth warnings and then blocks the server.
    server_log = work / "server.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "web", "--index", str(index_dir), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=server_log.open("w"),
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base_url)
        before = _total(base_url)
        # The same load twice: on a quiet server, then while a build takes the CPU.
        idle = _Phase(base_url, args.clients, args.seconds)
        build = subprocess.Popen(
            [sys.executable, "-m", "indexer", "build", str(extra), "--index", str(index_dir), "--quiet",
             "--batch-size", "500"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        busy = _Phase(base_url, args.clients, args.seconds)
        build_out, build_err = build.communicate(timeout=3600)
        in_index = re.search(r"(\d+) documents in the index", build_out)
        after = _settled_total(base_url, int(in_index.group(1)) if in_index else None)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"clients          {args.clients} for {args.seconds:.0f} s a phase, waitress on 127.0.0.1")
    idle.report("no build")
    busy.report(f"build adding {args.add} articles (batches of 500)")
    print(f"concurrent build {build_out.strip() or build_err.strip()[-300:]}")
    print(f"documents seen   {before} before, {after} after the build (no restart)")
    print(f"server log       {server_log}")
    return 1 if idle.errors or busy.errors else 0


class _Phase:
    """One bounded run of the clients, with what the host took meanwhile."""

    def __init__(self, base_url: str, clients: int, seconds: float) -> None:
        self.seconds = seconds
        with HostMeter() as self.host:
            self.latencies, self.errors = _load(base_url, clients, seconds)

    def report(self, label: str) -> None:
        total = len(self.latencies) + len(self.errors)
        ordered = sorted(self.latencies) or [0.0]
        pct = lambda p: ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000  # noqa: E731
        print(f"-- {label}")
        print(f"requests         {total} ({total / self.seconds:.1f} requests/s)")
        print(f"latency ms       p50 {pct(50):.1f}  p95 {pct(95):.1f}  p99 {pct(99):.1f}  mean {statistics.mean(ordered) * 1000:.1f}")
        print(f"errors           {len(self.errors)}" + (f": {self.errors[:5]}" if self.errors else ""))
        print(self.host.line())


def _total(base_url: str) -> int:
    return _get_json(f"{base_url}/api/search?per_page=1")["total"]


def _settled_total(base_url: str, expected: int | None, timeout: float = 30.0) -> int:
    """The total once the server shows ``expected`` (it loads new commits aside, checking each second)."""
    deadline = time.monotonic() + timeout
    seen = _total(base_url)
    while seen != expected and time.monotonic() < deadline:
        time.sleep(0.5)
        seen = _total(base_url)
    return seen


def _load(base_url: str, clients: int, seconds: float) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            params = {"q": rng.choice(QUERIES), **rng.choice(FACET_PICKS)}
            url = f"{base_url}/api/search?{urllib.parse.urlencode(params)}"
            started = time.perf_counter()
            problem = None
            try:
                with urllib.request.urlopen(url, timeout=30) as resp:
                    resp.read()
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}"
            except OSError as exc:
                problem = str(exc)
            elapsed = time.perf_counter() - started
            with lock:
                if problem is None:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{problem}: {url}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.load(resp)


def _wait_for(base_url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _get_json(f"{base_url}/api/search?per_page=1")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, cwd=ROOT, check=True)


if __name__ == "__main__":
    sys.exit(main())
