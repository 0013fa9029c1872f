"""Dates mentioned in a text, as ISO days.

``dateparser.search_dates`` over a whole article costs 10-30 ms, so regexes
find the candidate spans. A written day (`13 September 2023`, `13/9/2023`) is a
triple ``datetime.date`` checks by itself; ``dateparser`` does what it is for:
relative days (`kemarin`, `Senin lalu`, `tiga hari lalu`, `15 Agustus lalu`),
resolved against the *publication date* (``RELATIVE_BASE``), never the clock.
Spans are reduced to a canonical form (`senin|past`) and memoised per
publication day, so the corpus needs a few thousand parses at most.

Decisions:
* Day-less mentions (`April 2019`, `pada bulan Juli`) are skipped: the facet is
  a list of days, and a made-up first-of-month would collide with real
  mentions of the 1st.
* A year-less day (`13 September`, `Minggu (10/9)`) takes the publication
  year; without a publication date it is skipped rather than guessed (the
  machine's clock must never leak into the index).
* `d/m` without a year counts only in the news form `Hari (d/m)`: a bare
  `3/4` is more often a fraction or a score.
* Durations (`30 menit`, `selama 3 hari`, `70 tahun`) never match: a written
  day needs a month, a relative one a direction word (`lalu`, `depan`, `lagi`).
* Relative days: `kemarin`, `besok`, `lusa`, `hari ini`, `kemarin lusa`; a weekday
  with `lalu`/`kemarin`/`depan`/`mendatang` (`Senin pekan lalu`: a week further);
  `N hari lalu`/`yang lalu`/`silam`, `N hari lagi`/`mendatang`; a year-less day with
  `lalu` (its last occurrence up to the publication day), `tahun lalu`, `tahun depan`.
  A bare period (`pekan depan`, `bulan lalu`, `tahun lalu`) is not a day: left
  out, like month-only mentions. Without a publication date, nothing relative.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "desember": 12, "des": 12,
}
MONTH_NAMES = ("", "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
               "september", "oktober", "november", "desember")
WEEKDAY = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

# Every form starts with a digit: ``_candidates`` tries it only where digits start.
DATE_RE = re.compile(
    rf"""
    (?<![\d/.-])(?:
      (?:(?P<d0>\d{{1,2}})\s*[-–]\s*)?                                                     # 12-
      (?P<d1>\d{{1,2}})\s*(?P<mon>{_MONTH_ALT})\.?(?![a-z])(?:\s*,?\s*(?P<y1>\d{{4}})\b)?  # 13 September 2023
    | (?P<d2>\d{{1,2}})[/.-](?P<m2>\d{{1,2}})(?:[/.-](?P<y2>\d{{4}}|\d{{2}}))?(?![\d/.-]*\d)  # 13/9/2023, 10/9
    | (?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})\b                                    # 2023-09-13
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A year-less `d/m` counts only as `Hari (d/m)`.
_WEEKDAY_PAREN_RE = re.compile(rf"\b{WEEKDAY}\s*,?\s*\($", re.IGNORECASE)

# Years we accept: the corpus spans history pieces and forecasts, not geology.
MIN_YEAR, MAX_YEAR = 1800, 2100


def find_dates(text: str, published: dt.date | None = None) -> list[str]:
    """Sorted distinct ISO days mentioned in text; year-less ones in the publication year.

    A range (`17-21 September 2019`) mentions both of its ends.
    """
    found: set[str] = set()
    for m in _candidates(text):
        g = m.groupdict()
        if g["d1"]:
            month, year = MONTHS[g["mon"].lower()], g["y1"]
            days = [int(g["d1"])] + ([int(g["d0"])] if g["d0"] else [])
        elif g["d2"]:
            month, year, days = int(g["m2"]), g["y2"], [int(g["d2"])]
            if year is None and not (
                text.startswith(")", m.end()) and _WEEKDAY_PAREN_RE.search(text, max(0, m.start() - 12), m.start())
            ):
                continue
        else:
            month, year, days = int(g["m4"]), g["y4"], [int(g["d4"])]
        year_num = _year(year, published)
        if year_num is None or not 1 <= month <= 12:
            continue
        if g["d1"] and year is None and published is not None:
            year_num = _directed_year(text, m.end(), published, month, days[0]) or year_num
        for day in days:
            try:
                found.add(dt.date(year_num, month, day).isoformat())
            except ValueError:
                continue  # `31/2/2023`
    if published is not None:
        found.update(_relative_days(text, published))
    return sorted(found)


_DIGITS_RE = re.compile(r"\d+")


def _candidates(text: str):
    """DATE_RE tried only where a run of digits starts: 8x faster than ``finditer``,
    which tries every position of a text that is mostly letters."""
    pos = 0
    while (digits := _DIGITS_RE.search(text, pos)) is not None:
        m = DATE_RE.match(text, digits.start())
        if m is not None:
            yield m
            pos = m.end()
        else:
            pos = digits.end()


def _year(year: str | None, published: dt.date | None) -> int | None:
    """The year of a mention: as written (two digits are 19xx/20xx), else the publication year."""
    if year is None:
        return published.year if published else None
    value = int(year)
    if len(year) == 2:
        value += 2000 if value < 50 else 1900
    return value if MIN_YEAR <= value <= MAX_YEAR else None


# After a year-less `15 Agustus`: which year it means, said in words.
_DIRECTED_RE = re.compile(r"\s+(?:(tahun)\s+)?(lalu|kemarin|silam|depan|mendatang)\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10,
}
_PAST, _FUTURE = "lalu kemarin silam".split(), "depan mendatang lagi".split()
# The first letters a relative mention can start with: a leading lookahead on them lets the
# regex engine skip every other position (a third of the time ``RELATIVE_RE`` took).
_FIRST = "".join(sorted({w[0] for w in re.findall(r"[a-z]+", f"{WEEKDAY} kemarin besok lusa hari {' '.join(_NUMBER_WORDS)}")}))
RELATIVE_RE = re.compile(
    rf"""(?=[{_FIRST}\d])\b(?:
      (?P<word>kemarin\s+lusa|kemarin|besok|lusa|hari\s+ini)
    | (?P<weekday>{WEEKDAY})\s+(?:(?P<week>pekan|minggu)\s+)?(?P<wdir>lalu|kemarin|depan|mendatang)
    | (?P<n>\d{{1,2}}|{"|".join(_NUMBER_WORDS)})\s*hari\s+(?:yang\s+)?(?P<ndir>lalu|silam|lagi|mendatang)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# The canonical span dateparser reads for each relative word.
_WORD_SPANS = {"kemarin lusa": "2 hari yang lalu", "kemarin": "kemarin", "besok": "besok",
               "lusa": "dalam 2 hari", "hari ini": "hari ini"}


def _relative_days(text: str, published: dt.date) -> set[str]:
    """ISO days of the relative mentions of a text, counted from the publication date."""
    low = text.lower()
    if not any(w in low for w in ("kemarin", "besok", "lusa", "hari", "lalu", "depan", "mendatang")):
        return set()
    found = set()
    for m in RELATIVE_RE.finditer(low):
        if m["word"]:
            iso = _relative(_WORD_SPANS[" ".join(m["word"].split())], published)
        elif m["weekday"]:
            if m["weekday"] == "minggu" and not text[m.start()].isupper():
                continue  # `minggu lalu` is last week; `Minggu lalu` last Sunday
            direction = "past" if m["wdir"] in _PAST else "future"
            iso = _relative(f"{m['weekday'].replace(chr(39), '')}|{direction}", published)
            if iso and m["week"]:  # `Senin pekan lalu`: that weekday of the week before
                day = dt.date.fromisoformat(iso)
                shift = -7 if direction == "past" else 7
                this_week = published - dt.timedelta(days=published.weekday())
                if (day - this_week).days // 7 == 0:  # dateparser picked this week's: move a week
                    day += dt.timedelta(days=shift)
                iso = day.isoformat()
        else:
            n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
            span = f"{n} hari yang lalu" if m["ndir"] in _PAST else f"dalam {n} hari"
            iso = _relative(span, published) if 0 < n <= 31 else None
        if iso:
            found.add(iso)
    return found


def _directed_year(text: str, end: int, published: dt.date, month: int, day: int) -> int | None:
    """The year of `15 Agustus lalu` / `tahun lalu` / `tahun depan`, or None when unsaid."""
    m = _DIRECTED_RE.match(text, end)
    if m is None:
        return None
    past = m[2].lower() in _PAST
    if m[1]:
        return published.year + (-1 if past else 1)
    iso = _relative(f"{day} {MONTH_NAMES[month]}|{'past' if past else 'future'}", published)
    return int(iso[:4]) if iso else None


def _relative(span: str, published: dt.date) -> str | None:
    """The ISO day a canonical relative span (`senin|past`, `3 hari yang lalu`) names,
    counted from the publication day by dateparser.

    What a span means depends only on the weekday of the publication (and, for a
    year-less day, on its date), so dateparser runs once per span and weekday: a
    reference day of that weekday stands in for each publication (~7 parses per
    span for the whole corpus instead of one per article).
    """
    if span[:1].isdigit() and " hari" not in span:  # `15 agustus|past`: depends on the date itself
        return _parsed(span, published)
    ref = _REFERENCE + dt.timedelta(days=published.weekday())
    iso = _parsed(span, ref)
    if iso is None:
        return None
    return (published + (dt.date.fromisoformat(iso) - ref)).isoformat()


# A Monday well inside dateparser's range: reference days are this plus 0-6.
_REFERENCE = dt.date(2001, 1, 1)


@lru_cache(maxsize=65536)
def _parsed(span: str, base: dt.date) -> str | None:
    """dateparser on one canonical span, Indonesian, relative to noon of ``base``."""
    import dateparser

    text, _, prefer = span.partition("|")
    parsed = dateparser.parse(
        text,
        languages=["id"],
        settings={
            "DATE_ORDER": "DMY",
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12),
            "PREFER_DATES_FROM": prefer or "current_period",
        },
    )
    return parsed.date().isoformat() if parsed else None
