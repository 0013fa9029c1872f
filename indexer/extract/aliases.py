"""Canonical spellings: one facet value per real person, organisation and place.

Two mechanisms. Spelling variants (`Kim Jong-un`, `Kim Jong Un`, `KIM JONG UN`)
share a merge key and are displayed by one deterministic rule
(``display_name``), so every article of the corpus agrees on the value
without a table. Different names for one thing (`Korut`/`DPRK`, `Jokowi`) need
the tables below.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SEP_RE = re.compile(r"[\s\-‐.]+")


@lru_cache(maxsize=65536)
def norm_key(name: str) -> str:
    """Lowercase, hyphens and dots as spaces, whitespace collapsed: the lookup key of a surface form."""
    return _SEP_RE.sub(" ", name.lower()).strip()


@lru_cache(maxsize=65536)
def merge_key(name: str) -> str:
    """`Kim Jong-un`, `Kim Jong Un` and `kim jongun` all give `kimjongun`."""
    return norm_key(name).replace(" ", "")


def display_name(name: str) -> str:
    """The canonical display of a person's name: one spelling per merge key, so the
    whole corpus agrees on the facet value.

    Hyphens become spaces and each part is capitalised (`Kim Jong-un` -> `Kim
    Jong Un`, `KIM JONG UN` -> `Kim Jong Un`); a part written in mixed case
    keeps it (`McDonald`), initials stay capitals (`BJ Habibie`) and particles
    stay lowercase (`bin`, `van`).
    """
    if name.isupper():  # shouted: no part is an initial we could tell apart
        name = name.lower()
    parts = _SEP_RE.sub(" ", name).split()
    return " ".join(_display_part(p) for p in parts)


def _display_part(part: str) -> str:
    low = part.lower()
    if low in NAME_PARTICLES:
        return low
    if part.isupper() and len(part) <= 3:
        return part
    if part.islower() or part.isupper():
        return part[:1].upper() + low[1:]
    return part[:1].upper() + part[1:]


NAME_PARTICLES = frozenset("bin binti van von der den de da di dos del la le al".split())

PLACE_ALIASES: dict[str, str] = {
    # Countries
    "Korut": "Korea Utara", "DPRK": "Korea Utara", "Korea Utara": "Korea Utara",
    "Republik Demokratik Rakyat Korea": "Korea Utara", "Republik Rakyat Demokratik Korea": "Korea Utara",
    "Korsel": "Korea Selatan", "Korea Selatan": "Korea Selatan",
    "AS": "Amerika Serikat", "USA": "Amerika Serikat", "Amerika": "Amerika Serikat",
    "Amerika Serikat": "Amerika Serikat",
    "China": "China", "Cina": "China", "Tiongkok": "China", "RRT": "China", "RRC": "China",
    "Inggris": "Inggris", "Britania Raya": "Inggris", "UK": "Inggris",
    "Prancis": "Prancis", "Perancis": "Prancis",
    "Rusia": "Rusia", "Federasi Rusia": "Rusia", "Republik Indonesia": "Indonesia",
    "Arab Saudi": "Arab Saudi", "Saudi Arabia": "Arab Saudi", "Saudi": "Arab Saudi",
    "UEA": "Uni Emirat Arab", "Afghanistan": "Afganistan", "Filipina": "Filipina", "Jepang": "Jepang",
    "Palestina": "Palestina", "Korea": "Korea", "Moskow": "Moskow", "Moscow": "Moskow",
    # Indonesian provinces and their news abbreviations
    "Jabar": "Jawa Barat", "Jateng": "Jawa Tengah", "Jatim": "Jawa Timur",
    "Sumut": "Sumatera Utara", "Sumbar": "Sumatera Barat", "Sumsel": "Sumatera Selatan",
    "Sumatra Utara": "Sumatera Utara", "Sumatra Barat": "Sumatera Barat",
    "Sumatra Selatan": "Sumatera Selatan", "Sumatra": "Sumatera",
    "Sulsel": "Sulawesi Selatan", "Sulut": "Sulawesi Utara", "Sulteng": "Sulawesi Tengah",
    "Sultra": "Sulawesi Tenggara", "Sulbar": "Sulawesi Barat",
    "Kalbar": "Kalimantan Barat", "Kalteng": "Kalimantan Tengah", "Kalsel": "Kalimantan Selatan",
    "Kaltim": "Kalimantan Timur", "Kaltara": "Kalimantan Utara",
    "NTT": "Nusa Tenggara Timur", "NTB": "Nusa Tenggara Barat",
    "Kepri": "Kepulauan Riau", "Babel": "Kepulauan Bangka Belitung", "Bangka Belitung": "Kepulauan Bangka Belitung",
    "Malut": "Maluku Utara", "Pabar": "Papua Barat", "NAD": "Aceh", "Nanggroe Aceh Darussalam": "Aceh",
    "DIY": "Yogyakarta", "Jogja": "Yogyakarta", "Yogya": "Yogyakarta", "Jogjakarta": "Yogyakarta",
    "Yogyakarta": "Yogyakarta", "Daerah Istimewa Yogyakarta": "Yogyakarta",
    "DKI": "Jakarta", "DKI Jakarta": "Jakarta", "Jakarta": "Jakarta",
    "Tangsel": "Tangerang Selatan", "Jakpus": "Jakarta Pusat", "Jaksel": "Jakarta Selatan", "Jakbar": "Jakarta Barat",
    "Jaktim": "Jakarta Timur", "Jakut": "Jakarta Utara",
    "Surakarta": "Solo", "Solo": "Solo", "Kiev": "Kyiv", "Kyiv": "Kyiv",
    "GBK": "Gelora Bung Karno", "SUGBK": "Gelora Bung Karno", "Gelora Bung Karno": "Gelora Bung Karno",
    "Stadion Utama Gelora Bung Karno": "Gelora Bung Karno", "Stadion Gelora Bung Karno": "Gelora Bung Karno",
}

PERSON_ALIASES: dict[str, str] = {
    "Jokowi": "Joko Widodo", "Joko Widodo": "Joko Widodo", "Ir Joko Widodo": "Joko Widodo",
    "SBY": "Susilo Bambang Yudhoyono", "JK": "Jusuf Kalla", "Ahok": "Basuki Tjahaja Purnama",
    "BTP": "Basuki Tjahaja Purnama", "Gus Dur": "Abdurrahman Wahid", "Suharto": "Soeharto",
    "Sukarno": "Soekarno", "Bung Karno": "Soekarno", "Kim Jong-un": "Kim Jong Un",
    "Megawati": "Megawati Soekarnoputri", "Prabowo": "Prabowo Subianto",
    "BJ Habibie": "BJ Habibie", "Habibie": "BJ Habibie", "Bacharuddin Jusuf Habibie": "BJ Habibie",
    "Bacharuddin Jusuf": "BJ Habibie",  # `Bacharuddin Jusuf (BJ) Habibie` splits at the brackets
    "Nahrawi": "Imam Nahrawi", "Ma'ruf": "Ma'ruf Amin", "Maruf Amin": "Ma'ruf Amin", "Anies": "Anies Baswedan",
    "Bamsoet": "Bambang Soesatyo", "Ainun Habibie": "Hasri Ainun Besari",  # her married name
}

ORG_ALIASES: dict[str, str] = {
    "Perserikatan Bangsa-Bangsa": "PBB", "Komisi Pemberantasan Korupsi": "KPK",
    "Komisi Pemberantasan Tindak Pidana Korupsi": "KPK",
    "Dewan Perwakilan Rakyat": "DPR", "Tentara Nasional Indonesia": "TNI",
    "Kepolisian Republik Indonesia": "Polri", "Kepolisian Negara Republik Indonesia": "Polri",
    "Kantor Berita Pusat Korea": "KCNA", "Majelis Permusyawaratan Rakyat": "MPR",
    "Mahkamah Konstitusi": "MK", "Komisi Pemilihan Umum": "KPU", "Badan Pengawas Pemilu": "Bawaslu",
    "Badan Nasional Penanggulangan Bencana": "BNPB", "Partai Pekerja Korea": "Partai Buruh Korea",
    "WPK": "Partai Buruh Korea", "Partai Buruh Korea Utara": "Partai Buruh Korea",
    "Ria Novosti": "RIA Novosti", "RIA": "RIA Novosti", "POLRI": "Polri",
    "Channel News Asia": "Channel News Asia", "CNA": "Channel News Asia",
    "DK PBB": "Dewan Keamanan PBB", "Dewan Keamanan PBB": "Dewan Keamanan PBB",
    "Gedung Putih": "Gedung Putih", "PDI Perjuangan": "PDIP", "PDI-P": "PDIP", "Bea Cukai": "Bea Cukai",
    "Bea dan Cukai": "Bea Cukai", "Garuda Indonesia": "Garuda Indonesia", "Lion Air": "Lion Air",
    "Komnas HAM": "Komnas HAM", "Inter Milan": "Inter Milan", "Man United": "Manchester United", "Inter": "Inter Milan",
    "MU": "Manchester United", "Man City": "Manchester City",
    "Partai Golkar": "Golkar", "Partai Gerindra": "Gerindra", "Partai Demokrat": "Demokrat",
    "Partai NasDem": "NasDem", "Partai Nasdem": "NasDem", "Nasdem": "NasDem", "Partai Hanura": "Hanura",
    "Partai Perindo": "Perindo", "Partai Keadilan Sejahtera": "PKS", "Partai Kebangkitan Bangsa": "PKB",
    "Partai Persatuan Pembangunan": "PPP", "Partai Amanat Nasional": "PAN",
    "Partai Demokrasi Indonesia Perjuangan": "PDIP", "Partai Solidaritas Indonesia": "PSI",
    "Dewan Pengawas": "Dewan Pengawas KPK", "Badan Meteorologi": "BMKG",
    "Badan Meteorologi Klimatologi dan Geofisika": "BMKG", "Komite Olahraga Nasional Indonesia": "KONI",
    "Komite Olahraga Nasional": "KONI", "Komisi Perlindungan Anak Indonesia": "KPAI",
    "Komisi Perlindungan Anak": "KPAI", "Indonesia Corruption Watch": "ICW",
    "Real Madrid": "Real Madrid", "Real Sociedad": "Real Sociedad", "Real Betis": "Real Betis",
    "Atletico Madrid": "Atletico Madrid", "AC Milan": "AC Milan",
    "Manchester City": "Manchester City", "Bayern Munchen": "Bayern Munchen",
    "Borussia Dortmund": "Borussia Dortmund", "Paris Saint-Germain": "PSG", "RSPAD": "RSPAD Gatot Soebroto",
    "RSPAD Gatot Subroto": "RSPAD Gatot Soebroto", "Rumah Sakit Pusat Angkatan Darat": "RSPAD Gatot Soebroto",
    "Rumah Sakit Pusat Angkatan Darat Gatot Soebroto": "RSPAD Gatot Soebroto",
    # Club nicknames and ministries' full names no article defines.
    "The Reds": "Liverpool", "The Gunners": "Arsenal", "Los Blancos": "Real Madrid", "Barca": "Barcelona",
    "Maung Bandung": "Persib", "The Blues": "Chelsea", "Setan Merah": "Manchester United",
    "Si Nyonya Tua": "Juventus", "The Citizens": "Manchester City",
    "Kementerian Pemuda dan Olahraga": "Kemenpora", "Kementerian Komunikasi dan Informatika": "Kominfo",
    "Kementerian Pekerjaan Umum dan Perumahan Rakyat": "Kementerian PUPR",
    "Kementerian Pekerjaan Umum": "Kementerian PUPR", "BI": "Bank Indonesia", "OJK": "OJK",
}

PERSON_KEYS = {merge_key(k): v for k, v in PERSON_ALIASES.items()}
ORG_KEYS = {norm_key(k): v for k, v in ORG_ALIASES.items()}


# Long forms of local governments, written either way in the news.
_GOVERNMENT_PREFIXES = {
    "pemerintah provinsi": "Pemprov", "pemerintah kabupaten": "Pemkab", "pemerintah kota": "Pemkot",
}
# Region abbreviations (`Jabar`, `NTT`) that an organisation's name spells out elsewhere.
_REGION_ABBREVIATIONS = frozenset(
    k for k, v in PLACE_ALIASES.items() if " " not in k and k != v and k not in ("DKI", "AS", "Amerika")
)
# Suffixes that do not make another organisation (`Komisi III DPR RI` is `Komisi III DPR`).
_COUNTRY_SUFFIXES = ("RI", "Republik Indonesia")


def org_name(name: str) -> str:
    """The canonical display of an organisation: the alias table, else the name with the
    variations the news plays on one body normalised (`DPR RI`, `Pemerintah Provinsi DKI`)."""
    hit = ORG_KEYS.get(norm_key(name))
    if hit:
        return hit
    for suffix in _COUNTRY_SUFFIXES:
        if name.endswith(" " + suffix):
            name = name[: -len(suffix) - 1]
            break
    words = name.split()
    head = " ".join(words[:2]).lower()
    if head in _GOVERNMENT_PREFIXES:
        words = [_GOVERNMENT_PREFIXES[head]] + words[2:]
    if words[-1] == "DKI":
        words.append("Jakarta")
    elif len(words) > 1 and words[-1] in _REGION_ABBREVIATIONS:
        words[-1:] = PLACE_ALIASES[words[-1]].split()  # `Polda Jatim` is `Polda Jawa Timur`
    name = " ".join(words)
    return ORG_KEYS.get(norm_key(name), name)


def fuller_orgs(names: set[str], starts: bool = True) -> dict[str, str]:
    """An article's organisations cut short -> the one longer organisation of the same article
    they name: one it starts with (`Komisi III` -> `Komisi III DPR`, `Balai Kota` -> `Balai Kota
    DKI Jakarta`), or one with the same head that only adds a place (`Timnas U-16` -> `Timnas
    Indonesia U-16`). Run on the finders' names (``resolve``) and again, for the added place
    only (not ``starts``), on the corpus' canonical names (``AliasTable.apply``), which can make a
    short form's partner appear; a canonical name extended is often another body (`Timnas
    Indonesia` is not `Timnas Indonesia U-16`)."""
    from indexer.extract.gazetteer import places

    gazetteer = places()
    out = {}
    for name in names:
        words = name.split()
        if len(words) < 2:
            continue  # `Bank`-like heads never get here; single words are acronyms or brands
        longer = [other for other in names if (starts and other.startswith(name + " ")) or _adds_place(words, other.split(), gazetteer)]
        if len(longer) == 1:
            out[name] = longer[0]
    return out


def _adds_place(words: list[str], other: list[str], gazetteer) -> bool:
    """``other`` is ``words`` with place words inserted after the head (`Timnas Indonesia U-16`)."""
    if len(other) <= len(words) or other[0] != words[0]:
        return False
    it = iter(other)
    if not all(w in it for w in words):
        return False
    extra = list(other)
    for w in words:
        extra.remove(w)
    return norm_key(" ".join(extra)) in gazetteer
