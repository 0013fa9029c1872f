"""An article as every index sink receives it: its fields, what extraction finds, its analysed text.

Preparation is the expensive, backend-neutral part of a build (extraction and
Sastrawi analysis); a sink only decides how to store the result. The Whoosh
build runs ``prepare`` in its worker processes and hands Whoosh the token
lists; another sink (Typesense) can call the same ``prepare`` and send
``title.stemmed_text()`` / ``body.stemmed_text()`` as pre-stemmed text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from indexer import canonical
from indexer.analysis import AnalysedText, analyse_text
from indexer.categories import canonical_category
from indexer.extract import Extraction, extract
from indexer.extract.alias_table import evidence_values
from indexer.sources import Article
from indexer.stages import CLOCK


@dataclass
class PreparedDocument:
    """``fields``: what ``document_fields`` gives; ``title``/``body``: the analysed texts."""

    fields: dict
    title: AnalysedText
    body: AnalysedText


def document_fields(article: Article) -> dict:
    """The stored and facet fields of one article: its own fields and what extraction finds.

    Keys: ``id, title, body, url, subcategory, date, source, category, mentioned,
    entity, person, organization, location`` (canonical names) and ``evidence``
    (what teaches the alias table); a field without a value is absent.
    """
    published = article.date.date() if article.date else None
    try:
        found = extract(f"{article.title}\n{article.body}", published)
    except Exception as exc:  # a faulty rule must not cost the article its place in the index
        worker_warning(f"{article.origin}: facet extraction failed ({exc!r}); indexed without extracted facets")
        found = Extraction()
    mentioned = set(found.dates)
    if published:
        mentioned.add(published.isoformat())
    fields = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "url": article.url,
        "subcategory": article.subcategory,
        "date": article.date,
        "source": article.source,
        "category": canonical_category(article.category),
        "mentioned": sorted(mentioned),
    }
    fields.update(_entity_fields(found))
    return {name: value for name, value in fields.items() if value is not None}


def _entity_fields(found: Extraction) -> dict:
    """The entity facets through the corpus alias table (``indexer.canonical``), and the evidence that teaches it."""
    evidence = evidence_values(found.people, found.organizations, found.locations, found.defined, found.spelt)
    return {canonical.EVIDENCE: evidence, **canonical.facet_values(evidence)}


def prepare(article: Article) -> PreparedDocument:
    """Fields, facets and both analysed texts of one article (CPU counted as ``extract`` and ``analyse``)."""
    with CLOCK.stage("extract"):
        fields = document_fields(article)
    with CLOCK.stage("analyse"):
        return PreparedDocument(fields, analyse_text(article.title), analyse_text(article.body))


def worker_warning(message: str) -> None:
    """Worker processes cannot reach the build's ``warn``; stderr is where the user looks."""
    print(f"warning: {message}", file=sys.stderr, flush=True)
