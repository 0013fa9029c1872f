"""Query latency: Telusur vs SQLite FTS5 on the same pre-stemmed corpus, in one run.

    python bench/query_bench.py [--index DIR] [--scale 10]

Each query asks for page 1 with every facet (Telusur: entity, location,
source, category, date histogram; FTS5: the same four counts by GROUP BY over
the full match set, and a month histogram). The 22k index is built once into
``bench/out/index-22k`` with ``build_index`` unless ``--index`` names one.
``--scale 10`` also builds a 10x corpus (the 22k with shifted dates and ids;
many minutes) and reports Telusur's latency there. Targets: p95 <= 50 ms on
22k, <= 250 ms on 10x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from indexer.analysis import analyze  # noqa: E402
from indexer.build import build_index  # noqa: E402
from search.backends.whoosh.engine import WhooshEngine  # noqa: E402
from search.request import parse_request  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
OUT = ROOT / "bench" / "out"
ROUNDS = 3

QUERIES = [
    "banjir jakarta", "pertemuan presiden", "harga cabai", "gempa", "korupsi kepala daerah", "jokowi",
    "timnas indonesia", "pilkada", "kebakaran hutan", "harga minyak", "sepak bola", "artis korea",
    "pemilu 2019", "kpk", "demo mahasiswa", "revisi uu kpk", "polisi tangkap pengedar narkoba",
    "bandara soekarno hatta", "kereta api", "tol", "rupiah melemah", "bursa saham", "impor beras",
    "harga emas", "pernikahan artis", "film horor", "liga inggris", "persija", "manchester united",
    "motogp", "bulu tangkis", "gempa lombok", "papua", "kabut asap riau", "menteri keuangan",
    "sri mulyani", "anies baswedan", "prabowo", "dpr", "hukuman mati", "kecelakaan lalu lintas",
    "pembunuhan", "penipuan online", "vaksin", "kesehatan jantung", "resep masakan", "wisata bali",
    "ibu kota baru", "kalimantan timur", "pertumbuhan ekonomi", "inflasi", "ojek online",
]
SELECTIONS = [
    ("banjir", {"source": ["kompas.com"]}),
    ("presiden", {"category": ["Nasional"]}),
    ("korupsi", {"source": ["tempo.co", "kompas.com"]}),
    ("harga", {"date_from": ["2019-09-01"], "date_to": ["2019-09-30"]}),
    ("", {"source": ["okezone.com"]}),
    ("", {}),
]


def cases() -> list[dict[str, list[str]]]:
    out = [{"q": [q]} for q in QUERIES]
    out += [{"q": [q], **sel} for q, sel in SELECTIONS]
    return out


def percentiles(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]


class Timings:
    """Per-request wall-clock and CPU milliseconds: steal inflates the first, not the second."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def time(self, run, *args) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        run(*args)
        self.cpu.append((time.thread_time() - cpu) * 1000)
        self.wall.append((time.perf_counter() - wall) * 1000)

    def p50_p95(self, kind: str) -> tuple[float, float]:
        """``kind``: "wall" or "cpu"."""
        return percentiles(getattr(self, kind))

    def line(self, label: str, target: str = "") -> str:
        wall, cpu = self.p50_p95("wall"), self.p50_p95("cpu")
        return (
            f"{label}: p50 {wall[0]:.1f} ms, p95 {wall[1]:.1f} ms wall;"
            f" p50 {cpu[0]:.1f} ms, p95 {cpu[1]:.1f} ms CPU{target}"
        )


def bench_telusur(index_dir: Path) -> tuple[Timings, Timings]:
    """(first pass on a fresh engine: stem and posting caches cold, then the warm rounds)."""
    engine = WhooshEngine(index_dir)
    requests = [parse_request(p) for p in cases()]
    cold = Timings()
    for r in requests:
        cold.time(engine.search, r)
    warm = Timings()
    for _ in range(ROUNDS):
        for r in requests:
            warm.time(engine.search, r)
    return cold, warm


def build_fts(corpus: Path) -> sqlite3.Connection:
    """An in-memory FTS5 table of the same stemmed text, and facet tables for GROUP BY."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body)")
    db.execute("CREATE TABLE docs (rowid INTEGER PRIMARY KEY, source TEXT, category TEXT, month TEXT, day TEXT)")
    db.execute("CREATE TABLE ent (rowid INTEGER, kind TEXT, value TEXT)")
    with corpus.open(encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            r = json.loads(line)
            db.execute(
                "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                (i, " ".join(analyze(r["title"])), " ".join(analyze(r["body"]))),
            )
            date = (r.get("date") or "")[:10]
            db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", (i, r.get("source"), r.get("category"), date[:7], date))
            # Entities/locations: capitalised word pairs stand in for extraction (same order of values per doc).
            words = r["body"].split()
            pairs = {f"{a} {b}" for a, b in zip(words, words[1:]) if a[:1].isupper() and b[:1].isupper()}
            db.executemany("INSERT INTO ent VALUES (?, 'entity', ?)", [(i, p) for p in list(pairs)[:15]])
    db.execute("CREATE INDEX ent_rowid ON ent(rowid)")
    db.commit()
    return db


def bench_fts(db: sqlite3.Connection) -> Timings:
    def run(params: dict[str, list[str]]) -> None:
        text = params["q"][0]
        stems = analyze(text)
        where, args = [], []
        if stems:
            where.append("d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            args.append(" ".join(f'"{s}"' for s in stems))
        for facet in ("source", "category"):
            if params.get(facet):
                where.append(f"d.{facet} IN ({','.join('?' * len(params[facet]))})")
                args += params[facet]
        if params.get("date_from"):
            where.append("d.day BETWEEN ? AND ?")
            args += [params["date_from"][0], params["date_to"][0]]
        cond = " AND ".join(where) or "1"
        if stems:
            db.execute(
                f"SELECT fts.rowid, bm25(fts, 2.5, 1.0) AS s FROM fts JOIN docs d ON d.rowid = fts.rowid "
                f"WHERE fts MATCH ? AND {cond} ORDER BY s LIMIT 10",
                [args[0]] + args,
            ).fetchall()
        else:
            db.execute(f"SELECT d.rowid FROM docs d WHERE {cond} ORDER BY d.day DESC LIMIT 10", args).fetchall()
        for col in ("source", "category", "month"):
            db.execute(f"SELECT {col}, count(*) FROM docs d WHERE {cond} GROUP BY {col}", args).fetchall()
        db.execute(
            f"SELECT e.value, count(*) c FROM ent e JOIN docs d ON d.rowid = e.rowid WHERE {cond} "
            f"GROUP BY e.value ORDER BY c DESC LIMIT 10",
            args,
        ).fetchall()

    all_cases = cases()
    for p in all_cases:
        run(p)
    times = Timings()
    for _ in range(ROUNDS):
        for p in all_cases:
            times.time(run, p)
    return times


def scaled_corpus(factor: int) -> Path:
    """The corpus ``factor`` times over, each copy with new ids and dates shifted by whole years."""
    path = OUT / f"berita-22k-x{factor}.jsonl"
    if path.exists():
        return path
    with CORPUS.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        lines = src.readlines()
        for k in range(factor):
            for line in lines:
                r = json.loads(line)
                r["id"] = f"{r['id']}-{k}"
                if r.get("date"):
                    d = dt.datetime.fromisoformat(r["date"])
                    r["date"] = d.replace(year=d.year - 4 * k).isoformat()  # 4 years keeps Feb 29 valid
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def ensure_index(corpus: Path, index_dir: Path) -> Path:
    if not (index_dir.exists() and any(index_dir.glob("*.toc"))):
        print(f"building {index_dir} from {corpus.name} ...", flush=True)
        summary = build_index([corpus], index_dir, progress=True)
        print(f"  {summary}", flush=True)
    return index_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an existing index of the 22k corpus")
    parser.add_argument("--scale", type=int, default=0, help="also build and time an N-times corpus")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    index_dir = args.index or ensure_index(CORPUS, OUT / "index-22k")
    n = len(cases())
    print(f"{n} requests x {ROUNDS} rounds, page 1 with all facets")
    with HostMeter() as host:
        cold, warm = bench_telusur(index_dir)
    print(cold.line("Telusur 22k first pass (caches cold)"))
    print(warm.line("Telusur 22k", " (target p95 <= 50)"))
    t = time.perf_counter()
    db = build_fts(CORPUS)
    print(f"FTS5 build (pre-stemmed): {time.perf_counter() - t:.1f} s")
    with HostMeter() as fts_host:
        fts = bench_fts(db)
    print(fts.line("FTS5 22k   "))
    for kind in ("wall", "cpu"):
        ours, theirs = warm.p50_p95(kind), fts.p50_p95(kind)
        print(f"ratio Telusur/FTS5 ({kind}): p50 {ours[0] / theirs[0]:.1f}x, p95 {ours[1] / theirs[1]:.1f}x")
    print(f"{host.line()} [Telusur]")
    print(f"{fts_host.line()} [FTS5]")

    if args.scale > 1:
        big = ensure_index(scaled_corpus(args.scale), OUT / f"index-22k-x{args.scale}")
        with HostMeter() as host:
            cold, warm = bench_telusur(big)
        print(cold.line(f"Telusur {args.scale}x first pass"))
        print(warm.line(f"Telusur {args.scale}x", " (target p95 <= 250)"))
        print(f"{host.line()} [Telusur {args.scale}x]")


if __name__ == "__main__":
    main()
