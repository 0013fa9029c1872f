"""Derive the synonym table the query expansion reads from the Indonesian thesaurus Debian ships.

    make synonyms                        # all of it: apt-installs mythes-id, trains the vectors, writes the table
    apt-get install mythes-id            # /usr/share/mythes/th_id_ID_v2.dat, LGPL-2.1 (Ali Ahmadi, 2017)
    .venv/bin/python scripts/train_related.py ../shared/corpus/berita-22k.jsonl --vectors /tmp/stems.kv
    .venv/bin/python scripts/build_synonyms.py /tmp/stems.kv [--thesaurus PATH] [--min-cosine 0.50] [--out search/expand/data/synonyms.tsv]

The thesaurus (LibreOffice's ``mythes`` format: a headword, then one line per
sense, ``[pos]|word|word...``, antonyms marked ``[ant]``) lists every sense of
a word: ``tangkap`` is to arrest, to catch a fish and to understand. News
uses a few of them, so a pair is kept only where the corpus's own stem
vectors (``scripts/train_related.py``) put the two words near each other
(cosine >= ``MIN_COSINE``), which keeps ``tangkap`` ~ ``ciduk``/``ringkus``
and drops ``tangkap`` ~ ``jaring``. A noun derived with ``pe-``, ``ke-`` or
``-an`` is left out where it stands alone (``rooted``): the index holds it as
its root, which means something else (``pakaian`` ~ ``baju`` would make
``pakai`` ~ ``baju``). Everything is mapped to the index's stems
(``menciduk`` -> ``ciduk``), both directions, a synonym of up to ``MAX_WORDS``
words kept as its stems. A multi-word entry is a key too (``kencing manis``
-> ``diabetes``, ``pesawat tanpa awak`` -> ``drone``): the expansion matches it
on the query's word sequence (``search.expand.Expander.phrase_alternatives``).
Output: ``stems<TAB>syn:cosine,two words:cosine``, the key one stem or several
separated by spaces, the cosine becoming the alternative's weight. The
derived table stays under the thesaurus's LGPL-2.1.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.analysis import analyze  # noqa: E402

THESAURUS = Path("/usr/share/mythes/th_id_ID_v2.dat")
# Chosen on the known items' dev part (0.40, 0.45, 0.50, 0.55, 0.60 tried): at 0.40
# senses news rarely means stay in (`pasal` ~ `lantar`, `hutan` ~ `tanam`, `tertutup` ~ `akhir`).
MIN_COSINE = 0.50
MAX_WORDS = 3
TOP = 6


def senses(path: Path):
    """(headword, [synonyms]) per sense, antonyms left out."""
    lines = path.read_text(encoding="iso-8859-1").splitlines()[1:]
    head = None
    for line in lines:
        if line.startswith("["):
            pos, *words = line.split("|")
            if head is not None and pos != "[ant]":
                yield head, words
        else:
            head = line.split("|", 1)[0]


def stems_of(text: str) -> tuple[str, ...] | None:
    out = tuple(analyze(text))
    return out if 0 < len(out) <= MAX_WORDS and all(s.isalpha() for s in out) else None


def rooted(word: str, stems: tuple[str, ...]) -> bool:
    """Whether a one-word side means what its stem means in the index, which holds every word as its root.

    Verb affixes keep the root's sense (``menciduk``, ``ditangkap``: voice, not a new word), but a
    noun derived with ``pe-``, ``ke-`` or ``-an`` is another word (``pakaian`` clothes, ``pakai`` to
    use; ``ketentuan`` a rule, ``tentu`` certain): its synonyms would land on a root that means
    something else (``pakai`` -> ``baju``, ``aturan`` -> ``tentu``). A phrase's derived word stays
    (``meninggal dunia``): its other words pin the sense."""
    word = word.lower()
    if len(stems) > 1 or stems == (word,):
        return True
    return not (word.startswith(("pe", "ke")) or (word.endswith("an") and not word.endswith("kan")))


def similarity(vectors, a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    if not all(w in vectors for w in a + b):
        return None
    return float(vectors.n_similarity(list(a), list(b)))


def main() -> None:
    from gensim.models import KeyedVectors

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vectors", type=Path, help="stem vectors saved by train_related.py --vectors")
    parser.add_argument("--thesaurus", type=Path, default=THESAURUS)
    parser.add_argument("--min-cosine", type=float, default=MIN_COSINE, help="the sense filter's cosine floor")
    parser.add_argument("--out", type=Path, default=ROOT / "search" / "expand" / "data" / "synonyms.tsv")
    args = parser.parse_args()
    vectors = KeyedVectors.load(str(args.vectors))
    table: dict[str, dict[tuple[str, ...], float]] = defaultdict(dict)
    for head, words in senses(args.thesaurus):
        h = stems_of(head)
        if h is None or not rooted(head, h):
            continue
        for word in words:
            s = stems_of(word)
            if s is None or not rooted(word, s) or set(s) & set(h):
                continue  # `tangkap` ~ `tangkap basah` finds nothing `tangkap` does not
            cos = similarity(vectors, h, s)
            if cos is None or cos < args.min_cosine:
                continue
            for a, b in ((h, s), (s, h)):
                key = " ".join(a)
                table[key][b] = max(cos, table[key].get(b, 0.0))
    lines = []
    for word in sorted(table):
        best = sorted(table[word].items(), key=lambda kv: -kv[1])[:TOP]
        lines.append(word + "\t" + ",".join(f"{' '.join(s)}:{c:.2f}" for s, c in best))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} stems with synonyms -> {args.out}")


if __name__ == "__main__":
    main()
