"""Who, where and when an article is about: people, organisations, places, dates.

``extract(text, published)`` is the one entry point (the indexer calls it per
article; ``indexer.extract.cli`` is its JSON-lines face). Rules and gazetteers,
no model: ``tokens`` finds capitalised runs, ``names`` cuts them at titles and
cues and merges an article's mentions, ``gazetteer`` knows countries, Indonesian
regions and world cities, ``aliases`` gives one value per real thing,
``dates`` parses regex-found spans with dateparser.

Decisions a facet user will notice:

* Values are canonical: `Korut`/`DPRK` -> `Korea Utara`, `Kim Jong-un`/`Tuan Kim`
  -> `Kim Jong Un`, `Jabar` -> `Jawa Barat`, `Kota Bandung` -> `Bandung`,
  `Komisi III DPR RI` -> `Komisi III DPR`, `Persija Jakarta` -> `Persija`.
* A lone unknown capitalised word is a person only with a cue (a title, a
  speech verb, a list with a sure person) or when the article repeats it, or
  when it joins a fuller name of the same article; otherwise it is dropped.
* Datelines (`JAKARTA, KOMPAS.com -`), photo and staff credits (`Foto: Sputnik`,
  `Editor: ...`) and outlet names are not facet values.
* Schools (`SMA Negeri 24 Bandung`) are places, as in the NERGRIT annotation.
* Dates are days: month-only mentions (`April 2019`, `bulan Juli`) are skipped,
  a year-less day takes the publication year (and is skipped without one).

Work is bounded: only the first ``MAX_CHARS`` characters are read, so a 1 MB
paste costs the same as a long article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# ~40 long articles; beyond this a text is a dump, not an article.
MAX_CHARS = 100_000


@dataclass
class Extraction:
    """Facet values of one text: canonical names by importance, ISO days sorted."""

    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    # (short, long) acronym definitions the text spells out: evidence for the corpus alias table.
    defined: list[tuple[str, str]] = field(default_factory=list)
    # (lone name, fuller spelling) the text writes a one-word person as: evidence the table
    # resolves a lone name by (``alias_text.spellings``).
    spelt: list[tuple[str, str]] = field(default_factory=list)


def extract(text: str, published: dt.date | None = None) -> Extraction:
    """Extract the facets of one article (title on the first line, if any).

    ``published`` anchors year-less dates (`Minggu (10/9)`); a datetime is
    accepted and its date used. Without it, year-less dates are dropped.
    """
    from indexer.clean import repair_mojibake
    from indexer.extract.dates import find_dates
    from indexer.extract.combine import extract_names
    from indexer.extract.alias_text import definitions, spellings

    if not text:
        return Extraction()
    if isinstance(published, dt.datetime):
        published = published.date()
    text = repair_mojibake(text[:MAX_CHARS])
    people, orgs, places = extract_names(text)
    return Extraction(people, orgs, places, find_dates(text, published), definitions(text), spellings(text, people))


__all__ = ["Extraction", "extract", "MAX_CHARS"]
