"""The derived tables shipped in ``search/expand/data/``: ``stem<TAB>alt:weight,alt words:weight``.

``synonyms.tsv`` comes from the mythes-id thesaurus filtered by the corpus
(``scripts/build_synonyms.py``, LGPL-2.1 like its source), ``related.tsv``
from word vectors trained on the corpus (``scripts/train_related.py``).
Both are read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

Table = dict[str, list[tuple[tuple[str, ...], float]]]


def read_table(path: Path) -> Table:
    table: Table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition("\t")
        alts = []
        for item in rest.split(","):
            words, _, weight = item.rpartition(":")
            if words:
                alts.append((tuple(words.split()), float(weight)))
        if alts:
            table[word] = alts
    return table


@cache
def synonyms() -> Table:
    return read_table(DATA / "synonyms.tsv")


@cache
def related() -> Table:
    return read_table(DATA / "related.tsv")
