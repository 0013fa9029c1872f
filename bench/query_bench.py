"""Query latency: Telusur vs SQLite FTS5 on the same pre-stemmed corpus, in one run.

    python bench/query_bench.py [--index DIR] [--scale 10]

Each query asks for page 1 with every facet (Telusur: entity, location,
source, category, date histogram; FTS5: the same four counts by GROUP BY over
the full match set, and a month histogram). Queries come in kinds, each timed
apart: ``plain`` words and facet selections, ``typo`` (misspelt: the
did-you-mean runs), ``phrase``, ``field`` (``title:``, ``entity:``...),
``colloquial`` and ``paraphrase`` (the known-item set's, expanded). FTS5 gets
the same stems (a phrase as an FTS5 phrase; a field query as its words). Then
the SymSpell did-you-mean alone, per query word, and the worst single
request's CPU time over ``bench/hostile.py`` (each request the first on a
freshly loaded generation, then again warm) and the generation's load cost. The 22k index is built once into ``bench/out/index-22k`` with
``build_index`` unless ``--index`` names one. ``--scale 10`` also builds a 10x
corpus (the 22k with shifted dates and ids; many minutes) and reports
Telusur's latency there. Targets: p95 <= 50 ms on 22k (phrase and field
queries too), <= 250 ms on 10x; did-you-mean p95 <= 2 ms a word; no request
over 250 ms CPU.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hostile import measure as measure_hostile  # noqa: E402
from bench.machine import HostMeter  # noqa: E402
from indexer.analysis import analyze  # noqa: E402
from indexer.build import build_index  # noqa: E402
from search.backends.whoosh.engine import WhooshEngine  # noqa: E402
from search.request import parse_request  # noqa: E402
from search.suggest import suggest  # noqa: E402

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


TYPOS = [
    "pyongyan", "presidn jokowi", "banjr jakarta", "korupsii bupati", "gempa lombk", "harga cabay",
    "kebakaran hutann", "timnas indonesa", "sri mulyan", "anies baswedn", "kimjongun", "pemerintahn kotta",
]
PHRASES = [
    '"harga minyak"', '"kebakaran hutan"', '"joko widodo"', '"revisi uu kpk"', '"ibu kota baru"',
    '"bulu tangkis"', '"kabut asap"', '"sepak bola"', '"bank indonesia"', '"presiden joko widodo"',
    '"komisi pemberantasan korupsi"', '"tim nasional"',
]
FIELDS = [
    'entity:"joko widodo"', "location:jakarta", "source:kompas.com", "title:banjir", "entity:kpk",
    'title:"harga minyak"', "category:bola", "entity:habibie", 'location:"jawa barat"', "entity:prabowo harga",
    'entity:"sri mulyani" anggaran', "title:gempa location:lombok",
]
UNCACHED = ("phrase", "field")  # also timed with the phrase cache emptied before each request
SPELLING_WORDS = 300  # generated misspellings of frequent words, for the did-you-mean alone


def cases() -> list[dict[str, list[str]]]:
    """The ``plain`` kind: words, and facet selections."""
    out = [{"q": [q]} for q in QUERIES]
    out += [{"q": [q], **sel} for q, sel in SELECTIONS]
    return out


def kinds() -> dict[str, list[dict[str, list[str]]]]:
    from bench.known_item_eval import load_items  # it imports this module

    items = load_items()
    return {
        "plain": cases(),
        "typo": [{"q": [q]} for q in TYPOS],
        "phrase": [{"q": [q]} for q in PHRASES],
        "field": [{"q": [q]} for q in FIELDS],
        "colloquial": [{"q": [i["q"]]} for i in items if i["kind"] == "colloquial"],
        "paraphrase": [{"q": [i["q"]]} for i in items if i["kind"] == "paraphrase"],
    }


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


def bench_telusur(
    index_dir: Path, groups: dict[str, list[dict]]
) -> tuple[Timings, dict[str, Timings], dict[str, Timings]]:
    """(first pass over every kind on a fresh engine; the warm rounds per kind; the same rounds of the
    ``UNCACHED`` kinds with the snapshot's phrase results dropped before each request)."""
    engine = WhooshEngine(index_dir)
    requests = {kind: [parse_request(p) for p in params] for kind, params in groups.items()}
    cold = Timings()
    for rs in requests.values():
        for r in rs:
            cold.time(engine.search, r)
    warm = {kind: Timings() for kind in requests}
    uncached = {kind: Timings() for kind in UNCACHED if kind in requests}
    for _ in range(ROUNDS):
        for kind, rs in requests.items():
            for r in rs:
                warm[kind].time(engine.search, r)
        for kind, timings in uncached.items():
            for r in requests[kind]:
                engine._snapshot._phrases.clear()  # every phrase verified again
                timings.time(engine.search, r)
    return cold, warm, uncached


def bench_spelling(index_dir: Path) -> Timings:
    """The did-you-mean alone (known-word check and SymSpell lookup), per misspelt word."""
    engine = WhooshEngine(index_dir)
    snap = engine._snapshot
    rng = random.Random(11)
    frequent = sorted((df, w) for w, df in snap.vocabulary.words() if w.isalpha() and len(w) >= 5)[-3000:]
    words = [w for q in TYPOS for w in q.split()]
    for _, w in rng.sample(frequent, SPELLING_WORDS):
        i = rng.randrange(len(w))
        words.append(rng.choice((w[:i] + w[i + 1 :], w[:i] + rng.choice("aeiounrst") + w[i:], w[:i] + "x" + w[i + 1 :])))
    times = Timings()
    for _ in range(ROUNDS):
        for w in words:
            times.time(suggest, snap.vocabulary, w, [w])
    return times


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


def fts_match(text: str) -> str:
    """The FTS5 MATCH for a query: its stems ANDed, a quoted phrase as an FTS5 phrase, field prefixes dropped."""
    parts = []
    for quoted, plain in re.findall(r'"([^"]*)"|(\S+)', text):
        stems = analyze(quoted if quoted else plain.split(":", 1)[-1])
        if quoted and stems:
            parts.append('"' + " ".join(stems) + '"')
        else:
            parts += [f'"{s}"' for s in stems]
    return " ".join(parts)


def bench_fts(db: sqlite3.Connection, groups: dict[str, list[dict]]) -> dict[str, Timings]:
    def run(params: dict[str, list[str]]) -> None:
        match = fts_match(params["q"][0])
        where, args = [], []
        if match:
            where.append("d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            args.append(match)
        for facet in ("source", "category"):
            if params.get(facet):
                where.append(f"d.{facet} IN ({','.join('?' * len(params[facet]))})")
                args += params[facet]
        if params.get("date_from"):
            where.append("d.day BETWEEN ? AND ?")
            args += [params["date_from"][0], params["date_to"][0]]
        cond = " AND ".join(where) or "1"
        if match:
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

    for params in groups.values():
        for p in params:
            run(p)
    times = {kind: Timings() for kind in groups}
    for _ in range(ROUNDS):
        for kind, params in groups.items():
            for p in params:
                times[kind].time(run, p)
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
    # First, while this process is fresh: each request in a child forked right after the engine's load.
    print("\n".join(measure_hostile(index_dir).lines()), flush=True)
    groups = kinds()
    print(", ".join(f"{len(v)} {k}" for k, v in groups.items()) + f" requests x {ROUNDS} rounds, page 1 with all facets")
    with HostMeter() as host:
        cold, warm, uncached = bench_telusur(index_dir, groups)
    print(cold.line("Telusur 22k first pass (caches cold)"))
    everything = Timings()
    for kind, timings in warm.items():
        print(timings.line(f"Telusur 22k {kind:<10}", " (target p95 <= 50)"))
        if kind in uncached:
            print(uncached[kind].line(f"Telusur 22k {kind:<10} uncached", " (phrase cache emptied before each; target p95 <= 50)"))
        everything.wall += timings.wall
        everything.cpu += timings.cpu
    print(everything.line("Telusur 22k all kinds ", " (target p95 <= 50)"))
    t = time.perf_counter()
    db = build_fts(CORPUS)
    print(f"FTS5 build (pre-stemmed): {time.perf_counter() - t:.1f} s")
    with HostMeter() as fts_host:
        fts = bench_fts(db, groups)
    for kind, timings in fts.items():
        print(timings.line(f"FTS5 22k    {kind:<10}"))
        ours, theirs = warm[kind].p50_p95("cpu"), timings.p50_p95("cpu")
        print(f"  ratio Telusur/FTS5 {kind} (CPU): p50 {ours[0] / theirs[0]:.1f}x, p95 {ours[1] / theirs[1]:.1f}x")
    print(f"{host.line()} [Telusur]")
    print(f"{fts_host.line()} [FTS5]")

    with HostMeter() as spell_host:
        spelling = bench_spelling(index_dir)
    print(spelling.line(f"did-you-mean, per word ({len(spelling.cpu) // ROUNDS} words)", " (target p95 <= 2)"))
    print(f"{spell_host.line()} [did-you-mean]")
    if args.scale > 1:
        big = ensure_index(scaled_corpus(args.scale), OUT / f"index-22k-x{args.scale}")
        with HostMeter() as host:
            cold, warm, _ = bench_telusur(big, {"plain": cases()})
        print(cold.line(f"Telusur {args.scale}x first pass"))
        print(warm["plain"].line(f"Telusur {args.scale}x", " (target p95 <= 250)"))
        print(f"{host.line()} [Telusur {args.scale}x]")


if __name__ == "__main__":
    main()
