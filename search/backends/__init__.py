"""The engine registry: backend name -> the factory that opens its ``search.engine.Engine``.

Factories are ``"module:attribute"`` strings imported only when chosen (see
``indexer.backends``, which holds the config, the shared CLI flags and the
indexer-side registry). A factory takes ``(config: BackendConfig, **options)``;
``check_interval`` (seconds between looks for a new index generation) is the
one option every backend accepts.
"""

from __future__ import annotations

from typing import Any

from indexer.backends import BackendConfig, BackendUnavailable, load
from search.engine import Engine

ENGINES: dict[str, str] = {
    "whoosh": "search.backends.whoosh.engine:open_engine",
    "typesense": "search.backends.typesense.engine:open_engine",
}

__all__ = ["ENGINES", "BackendUnavailable", "open_engine"]


def open_engine(config: BackendConfig, **options: Any) -> Engine:
    """The engine for ``config``; ``BackendUnavailable`` when its backend is not registered or not installed."""
    return load(ENGINES, config.name)(config, **options)
