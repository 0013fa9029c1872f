"""Who, where and when an article is about: people, organisations, places, dates.

``extract(text, published)`` is the one entry point (the indexer calls it per
article; ``indexer.extract.cli`` is its JSON-lines face). Rules and gazetteers,
no model: see ``names`` (capitalised runs cut at titles and cues), ``gazetteer``
(countries, Indonesian regions, world cities), ``aliases`` (one value per
real thing), ``dates`` (regex spans parsed by dateparser).

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


def extract(text: str, published: dt.date | None = None) -> Extraction:
    """Extract the facets of one article (title on the first line, if any).

    ``published`` anchors year-less dates (`Minggu (10/9)`); a datetime is
    accepted and its date used. Without it, year-less dates are dropped.
    """
    from indexer.extract.dates import find_dates
    from indexer.extract.names import extract_names
    from indexer.extract.tokens import repair_mojibake

    if not text:
        return Extraction()
    if isinstance(published, dt.datetime):
        published = published.date()
    text = repair_mojibake(text[:MAX_CHARS])
    people, orgs, places = extract_names(text)
    return Extraction(people, orgs, places, find_dates(text, published))


__all__ = ["Extraction", "extract", "MAX_CHARS"]
