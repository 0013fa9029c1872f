"""Junk and splits among an index's top facet values: the check a newsroom would make by eye.

Reads the top ``--top`` (200) values of the person, organization and location
facets of a Whoosh index (document counts) and flags:

* junk: a value the extraction's own gate refuses today (``junk.is_junk``: units,
  generic acronyms and bodies, zodiac signs, outlets and page words), a value of the
  hand-judged ``KNOWN_JUNK`` list below (seen in 22k builds: outlet credit lines,
  generic bodies, a lone administrative head, headline verbs, fragments), or a value of
  ``KNOWN_MISTYPED`` (a real entity shown under the wrong type: `Bima Sakti` the coach as a
  location);
* splits: two values of one facet naming one entity: one abbreviates the other
  (``alias_text.abbreviates``: `UI` / `Universitas Indonesia`), their spelling
  variants agree (``variant_key``), a person's words are inside another's with the
  same first word (`Ainun` / `Ainun Habibie`), or the pair is one of the hand-judged
  ``KNOWN_SPLITS`` (the issue's list: `Kemenkeu` / `Kementerian Keuangan`, ...).

The flags are candidates printed for a human to judge; the counts compare builds:

    .venv/bin/python bench/facet_audit.py --index /work/idx/berita-4e4785a [--top 200]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402
from indexer.canonical import ENTITY_COLUMNS as FACETS  # noqa: E402
from indexer.extract.aliases import merge_key  # noqa: E402
from indexer.extract.alias_text import abbreviates  # noqa: E402
from indexer.extract.corpus_aliases import variant_key  # noqa: E402
from indexer.extract.junk import is_junk  # noqa: E402

# Values judged by hand not to name one entity, seen among the top values of 22k builds.
KNOWN_JUNK = frozenset(
    k.lower() for k in (
        "REPUBLIKA", "KOMPAS", "Allah SWT", "Allah", "HAM", "Pemerintah Daerah", "Pengadilan Negeri",
        "Kabupaten", "Kota", "Provinsi", "Pemerintah", "Pemerintah Pusat", "Tim Nasional", "Aquarius",
        "Taurus", "Scorpio", "BT", "LS", "SR", "MMI", "TPA", "SPBU", "OSIS", "JPU", "RPJMN", "Tuhan",
        "Nabi", "Rasulullah", "Pemkab", "Pemkot", "Pemprov", "Polres", "Polsek", "Polda", "Kejari",
        "Dinas", "Kementerian", "Universitas", "Bandara", "Desa", "Kecamatan", "Presiden", "Menteri",
        # Issue 9's second round: headline verbs, products, fragments, lone shared first names.
        "Tuai", "Sigra", "Astra", "United", "Pusat Data", "Bambang", "Agus", "Agung", "Veronica", "Metro Jaya",
        "IHSG", "Badan Usaha Milik Negara", "Timnas Indonesia vs Thailand", "Muhammad",
    )
)
# (facet, value) judged by hand to name a real entity under the wrong type.
KNOWN_MISTYPED = frozenset({
    ("person", "Gatot Soebroto"), ("organization", "Marquez"), ("organization", "Neymar"),
    ("organization", "Veronica Koman"), ("organization", "Vinales"), ("location", "Bima Sakti"),
    ("location", "Hotman Paris"), ("location", "Liverpool"), ("organization", "Sirkuit Misano"),
    ("organization", "SUGBK"), ("location", "RSPAD"),
})
# Pairs judged by hand to name one entity (the issue's list and the 22k builds').
KNOWN_SPLITS = (
    ("Kemenkeu", "Kementerian Keuangan"), ("Anies Baswedan", "Anies Rasyid Baswedan"),
    ("Bandara Soetta", "Bandara Soekarno-Hatta"), ("Rudy Prawiradinata", "Rudy Soeprihadi Prawiradinata"),
    ("UI", "Universitas Indonesia"), ("Ainun", "Ainun Habibie"), ("Kementerian Pekerjaan Umum", "Kementerian PUPR"),
    ("PUPR", "Kementerian PUPR"), ("Jokowi", "Joko Widodo"), ("Polri", "Kepolisian Republik Indonesia"),
    ("Sri Mulyani", "Sri Mulyani Indrawati"), ("Timnas U-16", "Timnas U-16 Indonesia"), ("Dortmund", "Borussia Dortmund"),
    ("Ainun", "Hasri Ainun Besari"), ("Ainun Habibie", "Hasri Ainun Besari"), ("Alex", "Alexander Marwata"),
    ("Provinsi DKI Jakarta", "Jakarta"), ("Komisi Hukum DPR", "Komisi III DPR"),
    ("Kementerian Lingkungan Hidup", "KLHK"), ("Marquez", "Marc Marquez"), ("Neymar", "Neymar Jr"),
    ("Timnas U-16", "Timnas Indonesia U-16"), ("Kemenhub", "Kementerian Perhubungan"),
)
_KNOWN_SPLIT_KEYS = {frozenset({merge_key(a), merge_key(b)}) for a, b in KNOWN_SPLITS}


def top_values(index_dir: Path, top: int) -> dict[str, list[tuple[str, int]]]:
    """Per facet, its ``top`` values by document count."""
    from whoosh import index

    ix = index.open_dir(str(index_dir))
    out = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs = list(reader.all_doc_ids())
        for field in FACETS:
            column = reader.column_reader(field)
            out[field] = Counter(v for d in docs for v in set(column[d])).most_common(top)
    return out


def junk_reason(field: str, value: str) -> str | None:
    if is_junk(value):
        return "refused by junk.is_junk"
    if value.lower() in KNOWN_JUNK:
        return "hand-judged junk"
    if (field, value) in KNOWN_MISTYPED:
        return "hand-judged: a real entity under the wrong type"
    return None


def split_reason(field: str, a: str, b: str) -> str | None:
    """Why two values of one facet look like one entity, if they do."""
    ka, kb = merge_key(a), merge_key(b)
    if frozenset({ka, kb}) in _KNOWN_SPLIT_KEYS:
        return "hand-judged"
    if ka == kb or variant_key(a) == variant_key(b):
        return "spelling variant"
    short, long = sorted((a, b), key=len)
    if " " not in short and abbreviates(short, long):
        return "abbreviation"
    if field == "person":
        sw, lw = short.split(), long.split()
        if len(sw) < len(lw) and sw[0] == lw[0] and all(w in lw for w in sw):
            return "shorter form"
    if field == "organization" and long.startswith(short + " ") and len(short.split()) >= 2:
        return "cut short"
    return None


def audit(values: dict[str, list[tuple[str, int]]]) -> tuple[list, list]:
    junk, splits = [], []
    for field, items in values.items():
        for value, n in items:
            reason = junk_reason(field, value)
            if reason:
                junk.append((field, value, n, reason))
        for (a, na), (b, nb) in combinations(items, 2):
            reason = split_reason(field, a, b)
            if reason:
                splits.append((field, a, na, b, nb, reason))
    return junk, splits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--top", type=int, default=200)
    args = parser.parse_args(argv)
    with HostMeter() as meter:
        values = top_values(args.index, args.top)
        junk, splits = audit(values)
    print(f"Index {args.index}: top {args.top} values of {', '.join(FACETS)}")
    print(f"\njunk: {len(junk)}  " + "  ".join(f"{f} {sum(1 for j in junk if j[0] == f)}" for f in FACETS))
    for field, value, n, reason in junk:
        print(f"  {field:<12} {value} ({n} docs): {reason}")
    print(f"\nsplits: {len(splits)}  " + "  ".join(f"{f} {sum(1 for s in splits if s[0] == f)}" for f in FACETS))
    for field, a, na, b, nb, reason in splits:
        print(f"  {field:<12} {a} ({na}) / {b} ({nb}): {reason}")
    print(f"\n{meter.line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
