"""Telusur's web face: the search page and its JSON twin.

``create_app(config)`` builds a fresh Flask app (no module globals) around one
``search.engine.Engine``, passed in by config and never imported from a
backend here:

* ``ENGINE``: an open engine (the app uses it, the caller owns it);
* ``ENGINE_FACTORY``: a callable returning one, called once;
* otherwise ``search.backends.open_engine`` on ``BACKEND`` (default whoosh),
  ``INDEX_DIR``, ``TYPESENSE_URLS`` and ``TYPESENSE_KEY``.

The engine follows the index's new commits by itself, so one engine serves the
app's lifetime.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from indexer.backends import DEFAULT_BACKEND, BackendConfig
from search.backends import open_engine
from search.engine import Engine
from web import api, errors, pages, security

DEFAULT_INDEX_DIR = "index_data/demo"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app for one engine; ``config`` overrides the defaults (e.g. ``{"ENGINE": engine}``)."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=DEFAULT_INDEX_DIR, BACKEND=DEFAULT_BACKEND, TYPESENSE_URLS=(), TYPESENSE_KEY=None)
    if config:
        app.config.from_mapping(config)
    # Keep the engine's key order (query, total, ..., hits, facets) in the JSON.
    app.json.sort_keys = False
    app.extensions["telusur.engine"] = _engine(app.config)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    security.register(app)
    return app


def _engine(config: Mapping[str, Any]) -> Engine:
    if config.get("ENGINE") is not None:
        return config["ENGINE"]
    if config.get("ENGINE_FACTORY") is not None:
        return config["ENGINE_FACTORY"]()
    return open_engine(
        BackendConfig(
            name=config["BACKEND"],
            index_dir=Path(config["INDEX_DIR"]),
            typesense_urls=tuple(config["TYPESENSE_URLS"]),
            typesense_key=config["TYPESENSE_KEY"],
        )
    )
