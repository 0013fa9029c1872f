"""One label per section: outlets spell the same section many ways.

`Nasional`/`nasional`, `Selebriti`/`SELEBRITI`/`Celebrity`/`Seleb` are one
facet value for a reader; the table maps lowercase spellings seen in the 22k
corpus to an Indonesian label, and anything else is case-normalised.
"""

from __future__ import annotations

CANONICAL_CATEGORY: dict[str, str] = {
    **dict.fromkeys(("news", "berita utama", "berita"), "Berita"),
    **dict.fromkeys(("selebriti", "celebrity", "seleb"), "Selebriti"),
    **dict.fromkeys(("entertainment", "hiburan", "news & entertainment"), "Hiburan"),
    **dict.fromkeys(("sports", "sport", "olahraga"), "Olahraga"),
    **dict.fromkeys(("bisnis", "ekbis", "economy", "ekonomi", "money", "bisnis ekonomi"), "Ekonomi & Bisnis"),
    **dict.fromkeys(("daerah", "regional"), "Daerah"),
    **dict.fromkeys(("metro", "metropolitan"), "Metro"),
    **dict.fromkeys(("international", "internasional", "dunia"), "Internasional"),
    **dict.fromkeys(("tekno", "techno", "teknologi", "autotekno", "sains"), "Sains & Teknologi"),
    **dict.fromkeys(("lifestyle", "gaya"), "Gaya Hidup"),
    **dict.fromkeys(("health", "kesehatan"), "Kesehatan"),
    **dict.fromkeys(("travel", "pariwisata"), "Travel"),
    **dict.fromkeys(("tv", "televisi", "sinetron"), "Televisi"),
    **dict.fromkeys(("beauty", "cantik"), "Kecantikan"),
}


def canonical_category(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    label = " ".join(raw.split())
    known = CANONICAL_CATEGORY.get(label.lower())
    if known:
        return known
    if label.islower() or label.isupper():
        return label.title()
    return label
