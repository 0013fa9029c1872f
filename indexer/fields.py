"""The fields every Telusur index holds, whatever stores it (pure Python, no backend).

The Whoosh schema (``indexer.schema``) and any other backend's collection are
derived from these names, and the search side reads them from here, so a field
is named once.
"""

from __future__ import annotations

# Analysed full-text fields (stemmed); each has an ``<name>_exact`` twin holding
# the affixed forms that differ from their stem.
TEXT_FIELDS = ("title", "body")
EXACT_SUFFIX = "_exact"
# Multi-valued, verbatim facet fields, in the order a user meets them.
# ``entity`` is ``person`` + ``organization``; ``mentioned`` holds the ISO dates
# an article mentions plus its publication date.
FACET_FIELDS = ("entity", "person", "organization", "location", "mentioned", "source", "category")
# The publication date (absent when unknown).
DATE_FIELD = "date"
