"""The ``Engine`` protocol: what the web, the CLI and the benchmarks ask of a search backend.

A backend (``search.backends.<name>``) implements it over its own storage and
registers a factory in ``search.backends.ENGINES``; callers get one with
``search.backends.open_engine(config)`` and never import a backend. The
request and the answer are backend-neutral (``search.model``); so are the
query's syntax tree (``search.query``), the facet plan a request needs
(``search.facet_plan``), snippets (``search.highlight``) and the did-you-mean
over a ``search.suggest.Vocabulary``.

New features add methods here (a story, an entity page, similar articles)
and implement them in every registered backend.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from search.model import SearchRequest, SearchResult


@runtime_checkable
class Engine(Protocol):
    """One open index; safe to share between threads; follows the index's new commits by itself."""

    backend: str  # the registry name ("whoosh", "typesense")

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a request validated by ``search.request.parse_request``.

        Raises ``SearchError`` for a request the backend refuses and
        ``BackendDown`` when its storage does not answer (the web's 503).
        """

    def document(self, doc_id: str) -> dict | None:
        """One article's public fields (``search.model.document_dict``'s shape), or None for an unknown id."""

    def stats(self) -> dict:
        """What the open index holds: at least ``backend``, ``documents`` and ``facets`` (name -> distinct values)."""

    def close(self) -> None:
        """Release the index; the engine answers nothing afterwards."""
