"""Which backend stores the index, and how the three CLIs choose it.

``python -m indexer``, ``python -m search`` and ``python -m web`` share
``add_backend_arguments`` / ``backend_config``: ``--backend whoosh|typesense``,
``--index DIR`` (Whoosh), ``--typesense URL`` (repeatable) and
``--typesense-key KEY``, with ``TELUSUR_TYPESENSE_URLS`` (comma-separated) and
``TELUSUR_TYPESENSE_KEY`` from the environment when the flags are absent.

Backends are found through registries of ``"module:attribute"`` strings,
imported only when chosen: the web never imports Whoosh unless it serves a
Whoosh index, and a backend whose module or client library is missing is a
clear ``BackendUnavailable``, not an ImportError. Two registries, one per side
of the data flow: ``SINKS`` here (build, delete, stats: ``indexer.sink.Sink``)
and ``search.backends.ENGINES`` (``search.engine.Engine``). A backend
registers itself with one line in each.
"""

from __future__ import annotations

import argparse
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

BACKENDS = ("whoosh", "typesense")
DEFAULT_BACKEND = "whoosh"
DEFAULT_INDEX = Path("index_data") / "default"
URLS_ENV = "TELUSUR_TYPESENSE_URLS"
KEY_ENV = "TELUSUR_TYPESENSE_KEY"

# name -> "module:attribute" of the indexer side (a ``Sink`` factory taking a BackendConfig).
SINKS: dict[str, str] = {
    "whoosh": "indexer.whoosh_sink:WhooshSink",
}


class BackendUnavailable(RuntimeError):
    """The chosen backend is not registered, or its module or client library cannot be imported."""


@dataclass(frozen=True)
class BackendConfig:
    """Where the index lives, for every backend; each backend reads its own part."""

    name: str = DEFAULT_BACKEND
    index_dir: Path = DEFAULT_INDEX  # whoosh
    typesense_urls: tuple[str, ...] = ()  # typesense: one URL per node
    typesense_key: str | None = None

    def where(self) -> str:
        """The index's location, for messages: ``whoosh index_data/demo``, ``typesense http://...``."""
        place = ", ".join(self.typesense_urls) or "(no URL)" if self.name == "typesense" else str(self.index_dir)
        return f"{self.name} {place}"


def add_backend_arguments(parser: argparse.ArgumentParser, default_index: Path | str = DEFAULT_INDEX) -> None:
    """The backend flags, the same on every CLI."""
    group = parser.add_argument_group("backend")
    group.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND, help=f"index backend (default {DEFAULT_BACKEND})")
    group.add_argument("--index", type=Path, default=Path(default_index), help=f"index folder, whoosh (default {default_index})")
    group.add_argument(
        "--typesense", action="append", default=[], metavar="URL",
        help=f"a Typesense node, e.g. http://127.0.0.1:8108 (repeatable; default ${URLS_ENV}, comma-separated)",
    )
    group.add_argument("--typesense-key", metavar="KEY", default=None, help=f"Typesense API key (default ${KEY_ENV})")


def backend_config(args: argparse.Namespace, env: Mapping[str, str] = os.environ) -> BackendConfig:
    """The config the flags (or, in their absence, the environment) describe."""
    urls = args.typesense or [u for u in env.get(URLS_ENV, "").split(",") if u.strip()]
    return BackendConfig(
        name=args.backend,
        index_dir=Path(args.index),
        typesense_urls=tuple(u.strip() for u in urls),
        typesense_key=args.typesense_key or env.get(KEY_ENV) or None,
    )


def load(registry: Mapping[str, str], name: str) -> Any:
    """The registered attribute for ``name``, imported now; ``BackendUnavailable`` if it cannot be."""
    target = registry.get(name)
    if target is None:
        raise BackendUnavailable(f"backend {name} is not installed/available (known: {', '.join(sorted(registry))})")
    module, _, attribute = target.partition(":")
    try:
        return getattr(importlib.import_module(module), attribute)
    except ImportError as exc:
        raise BackendUnavailable(f"backend {name} is not installed/available: {exc}") from exc


def open_sink(config: BackendConfig) -> Any:
    """The indexer side of ``config``'s backend (an ``indexer.sink.Sink``)."""
    return load(SINKS, config.name)(config)
