"""The facet list, declared once.

Everything that names a facet derives from ``FACETS``: request parsing (one
repeatable parameter per value facet, ``<name>_from`` / ``<name>_to`` per
date facet), the query language's ``name:`` prefixes, the facet plan each
backend executes, the links and chips of the page, the OpenAPI document, the
CLI flags of ``python -m search``. Adding a facet is one ``FacetSpec`` here
(and, for a new index field, its name in ``indexer.fields``).

Kinds (each backend executes them; see ``search.facet_plan``):

* ``value``: verbatim values of a multi-valued field, counted, multi-select;
* ``entity``: a ``value`` facet whose values also carry a type, the one of
  ``type_fields`` (field -> type name) that holds the value most often;
* ``date``: a histogram of a date field (by month, by day under
  ``DAY_INTERVAL_MAX_DAYS``) and a ``<name>_from`` / ``<name>_to`` range filter.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("value", "entity", "date")


@dataclass(frozen=True)
class FacetSpec:
    name: str  # key in SearchResult.facets, HTTP parameter, CLI flag (--name)
    field: str  # the index field (``indexer.fields``) it counts and filters
    kind: str  # one of KINDS
    label: str  # Indonesian: the page's heading and chip label
    hint: str  # Indonesian: placeholder of the page's value filter box
    description: str  # English: OpenAPI and CLI help
    query_prefix: str | None = None  # ``prefix:value`` in the query language, resolved against the values
    type_fields: tuple[tuple[str, str], ...] = ()  # entity kind: (field, type) pairs

    @property
    def selectable(self) -> bool:
        """Whether values are selected by a repeatable parameter (value and entity kinds)."""
        return self.kind != "date"

    @property
    def range_params(self) -> tuple[str, str]:
        """A date facet's range parameters: ``date`` -> ``date_from``, ``date_to``."""
        return f"{self.name}_from", f"{self.name}_to"


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec(
        "entity",
        "entity",
        "entity",
        "Tokoh & Organisasi",
        "Saring tokoh…",
        "people and organisations",
        query_prefix="entity",
        type_fields=(("person", "person"), ("organization", "organization")),
    ),
    FacetSpec("location", "location", "value", "Lokasi", "Saring lokasi…", "places", query_prefix="location"),
    FacetSpec("source", "source", "value", "Sumber", "Saring sumber…", "outlets", query_prefix="source"),
    FacetSpec(
        "category", "category", "value", "Kategori", "Saring kategori…", "the outlets' section labels",
        query_prefix="category",
    ),
    FacetSpec("date", "date", "date", "Tanggal", "", "publication date"),
)

BY_NAME: dict[str, FacetSpec] = {f.name: f for f in FACETS}
# Facets whose values a request selects (repeatable parameters), in page order.
SELECTABLE: tuple[FacetSpec, ...] = tuple(f for f in FACETS if f.selectable)
DATE_FACETS: tuple[FacetSpec, ...] = tuple(f for f in FACETS if f.kind == "date")
# ``prefix:`` in a query -> the facet it searches.
QUERY_PREFIXES: dict[str, FacetSpec] = {f.query_prefix: f for f in FACETS if f.query_prefix}
# The publication date: what ``sort=newest|oldest`` orders by.
PUBLICATION = BY_NAME["date"]
