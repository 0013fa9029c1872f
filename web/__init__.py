"""Telusur's web face: the search page and its JSON twin.

``create_app(config)`` builds a fresh Flask app (no module globals), opening
the index named by ``INDEX_DIR`` once: the engine reopens its searcher when
the index changes, so one engine serves the app's lifetime.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from search.engine import SearchEngine
from web import api, errors, pages, security

DEFAULT_INDEX_DIR = "index_data/demo"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app for one index; ``config`` overrides the defaults (e.g. ``{"INDEX_DIR": ...}``)."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=DEFAULT_INDEX_DIR)
    if config:
        app.config.from_mapping(config)
    # Keep the engine's key order (query, total, ..., hits, facets) in the JSON.
    app.json.sort_keys = False
    app.extensions["telusur.engine"] = SearchEngine(Path(app.config["INDEX_DIR"]))
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    security.register(app)
    return app
