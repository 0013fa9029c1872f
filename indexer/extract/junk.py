"""Values that are not names, whatever found them: the last gate before a facet.

Both finders make the same kinds of mistake on news text, so they are refused
here, once: units, coordinates and magnitudes of earthquake reports (`BT`, `LS`,
`SR`, `MMI`), generic acronyms and common nouns written in capitals (`TPA`,
`SPBU`, `OSIS`, `JPU`, `RPJMN`), zodiac signs of horoscope pages, and social-media
and section words. ``KNOWN_TYPES`` fixes the type of names both finders get wrong
(`Premier League`, `Mabes Polri`, `Disney` are not people, `Old Trafford` is a
place). Lone first names beside a fuller name and fragments of a longer name cut
at `dan` or a comma are the article's business: ``resolve`` handles them.
"""

from __future__ import annotations

import re

from indexer.extract.aliases import norm_key
from indexer.extract.mention import ORG, PLACE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Coordinates, magnitudes, units: `7,4 SR`, `2,3 LS - 120 BT`, `V MMI`.
UNITS = _words("""
bt bb ls lu sr mmi mw mb skala richter km kph mph kwh mw gw mwh cc hp rpm ppm psi dbd
""")

# Acronyms for kinds of things, not one organisation: `TPA` is any landfill.
GENERIC_ACRONYMS = _words("""
tpa tps tpu spbu spbe osis jpu rpjmn rpjmd rapbn rapbd apbn apbd ppdb cpns pppk umk ump umr hgu
imb amdal lpg bbm sppd sktm kip kis pkh blt bst bpnt kur ptn pts smk sma smp sd mts paud
tk pt cv ud tbk lp lapas rutan rsud puskesmas posyandu polsek kua kk ktp sim stnk bpkb npwp nik
pns asn ott dpo tkp bap spdp sp3 sprindik p21 kuhp kuhap uu ruu perda perpu perppu pp perpres
permen kepres inpres sk se sop pad dak dau dana hut ktt munas munaslub musda muswil rakernas rakor
rapim rdp rdpu pansus panja raker fgd mou wna wni tki tkw abk odgj odp pdp otg lgbt psk pekerja
mbr bumdes bumd bumn umkm ukm ikm koperasi atm edc qris nib oss vip vvip
suv mpv atv ac
ihsg lq45
""")  # `IHSG`, `LQ45`: share indices, no body

# Horoscope pages name the signs like people.
ZODIAC = _words("""
aries taurus gemini cancer leo virgo libra scorpio scorpion sagitarius sagittarius capricorn
capricornus kaprikornus aquarius akuarius pisces zodiak zodiac shio
""")

# Section labels and social-media words the pages carry in capitals.
PAGE_WORDS = _words("""
headline trending populer terpopuler terkini terbaru pilihan rekomendasi viral hot news breaking
live streaming update login logout subscribe newsletter like comment retweet hashtag story stories
reels feed caption netizen warganet admin followers
""") | {"insta story", "instagram story"}

# Names both finders type wrongly on their own.
KNOWN_TYPES: dict[str, str] = {
    "premier league": ORG, "liga inggris": ORG, "la liga": ORG, "serie a": ORG, "bundesliga": ORG,
    "liga champions": ORG, "liga 1": ORG, "mabes polri": ORG, "mabes tni": ORG, "disney": ORG,
    "netflix": ORG, "google": ORG, "facebook": ORG, "instagram": ORG, "twitter": ORG, "youtube": ORG,
    "old trafford": PLACE, "anfield": PLACE, "camp nou": PLACE, "santiago bernabeu": PLACE,
    "stamford bridge": PLACE, "emirates stadium": PLACE, "san siro": PLACE,
    "senayan": PLACE,  # the place (GBK, the parliament's site); the parliament itself is `DPR`
}

_JUNK = (UNITS | GENERIC_ACRONYMS | ZODIAC | PAGE_WORDS)

# Makers whose products the news names right after them (`Daihatsu Sigra`, `Honda Brio`,
# `Samsung Galaxy`), and the words that name a product before or after it (`mobil Avanza`,
# `Sigra facelift`): a lone "person" written so is a product (``extent.products``).
BRANDS = _words("""
toyota daihatsu honda suzuki mitsubishi nissan mazda datsun wuling isuzu hyundai kia chery
lexus bmw audi volkswagen vw chevrolet ford yamaha kawasaki ducati vespa piaggio samsung apple
xiaomi oppo vivo realme huawei nokia lenovo asus acer infinix
""")
PRODUCT_BEFORE = _words("mobil motor ponsel smartphone laptop varian tipe seri merek new all-new")
PRODUCT_AFTER = _words("facelift")


# Generic bodies and words of faith or health the news capitalises.
GENERIC = _words("""
allah swt ham ispa lcgc pemerintah daerah pengadilan negeri tim nasional kabupaten kota provinsi
""") | {"allah swt", "pemerintah daerah", "pengadilan negeri", "tim nasional", "pemerintah pusat",
       "pemerintah daerah provinsi"} | _words("pemprov pemkab pemkot")  # a head with no name after it


# A match, not a name: `Timnas Indonesia vs Thailand`, `Liverpool Vs Newcastle`.
_MATCH_RE = re.compile(r"\s(?:vs|versus|kontra)\.?\s", re.IGNORECASE)


def match_sides(name: str) -> list[str]:
    """The two sides of a match string (`Timnas Indonesia vs Thailand`), or [] for a name."""
    sides = [side.strip() for side in _MATCH_RE.split(name)]
    return sides if len(sides) > 1 and all(sides) else []


def is_junk(name: str) -> bool:
    """Whether a value names no person, organisation or place at all (outlets and page
    words of ``vocab.NEVER`` included: the tagger does not read that list; match strings)."""
    from indexer.extract.vocab import NEVER, TITLES

    key = norm_key(name)
    if not key or key in _JUNK or key in GENERIC or key in NEVER or match_sides(key):
        return True
    if name.count("(") != name.count(")"):
        return True  # a fragment cut inside brackets: `Persero) Tbk`
    if key in TITLES:
        return True  # `Menhub`, `Menkeu` alone: a post, whoever holds it
    if not any(c.isalpha() for c in key):
        return True  # `2019`, `-`
    return len(key) == 1


def known_type(name: str) -> str | None:
    """The type a curated table fixes for this name, if any."""
    return KNOWN_TYPES.get(norm_key(name))
