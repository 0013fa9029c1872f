"""Train word embeddings on a corpus and write the related-term table the query expansion reads.

    .venv/bin/pip install -r requirements-train.txt
    .venv/bin/python scripts/train_related.py ../shared/corpus/berita-22k.jsonl [--out search/expand/data/related.tsv] [--vectors /tmp/stems.kv]

Word2vec (gensim, skip-gram) over the stems of every title and body (the
index's own analyzer: stop words out, Sastrawi stems), so a neighbour is
searchable as it stands and inflections share one vector. Only the table is
kept, never the model: for each stem seen in at least ``MIN_DF`` articles, its
nearest ``TOP`` neighbours with cosine >= ``MIN_COSINE``, as
``stem<TAB>neighbour:cosine,...``. ``--vectors PATH`` also saves the vectors
(outside the repository: tens of MB) for ``scripts/build_synonyms.py``, which
keeps a thesaurus sense only where this corpus uses it. Neighbours in news text are as often
co-topical (``jakarta`` -> ``bandung``) as synonymous; the cosine floor and
the query-time weight keep them below the query's own words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.analysis import analyze  # noqa: E402

MIN_DF = 20
TOP = 4
MIN_COSINE = 0.62
SEED = 11
_ASCII_WORD = re.compile(r"[a-z]{3,}")  # mis-decoded quotes (`äúbeliau`) and numbers stay out


def sentences(corpus: Path) -> tuple[list[list[str]], Counter]:
    docs, df = [], Counter()
    with corpus.open(encoding="utf-8") as f:
        for line in tqdm(f, desc="tokenising", unit="docs"):
            r = json.loads(line)
            for text in (r.get("title") or "", r.get("body") or ""):
                words = [w for w in analyze(text) if _ASCII_WORD.fullmatch(w)]
                if words:
                    docs.append(words)
                    df.update(set(words))
    return docs, df


def main() -> None:
    from gensim.models import Word2Vec

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "search" / "expand" / "data" / "related.tsv")
    parser.add_argument("--vectors", type=Path, help="also save the vectors here (for build_synonyms.py)")
    args = parser.parse_args()
    docs, df = sentences(args.corpus)
    model = Word2Vec(docs, vector_size=100, window=5, min_count=MIN_DF, sg=1, workers=2, epochs=8, seed=SEED)
    vectors = model.wv
    lines = []
    for word in tqdm(sorted(vectors.index_to_key), desc="neighbours", unit="words"):
        if df[word] < MIN_DF:
            continue
        near = [(o, c) for o, c in vectors.most_similar(word, topn=TOP) if c >= MIN_COSINE]
        if near:
            lines.append(word + "\t" + ",".join(f"{o}:{c:.2f}" for o, c in near))
    if args.vectors:
        vectors.save(str(args.vectors))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} words with related terms -> {args.out}")


if __name__ == "__main__":
    main()
