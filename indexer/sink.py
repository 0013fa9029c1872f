"""What ``python -m indexer build|delete|stats`` needs from a backend.

Each backend provides one ``Sink`` class, constructed with an
``indexer.backends.BackendConfig`` and registered in ``indexer.backends.SINKS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

if TYPE_CHECKING:  # the Whoosh build module; a sink of another backend returns the same summary
    from indexer.build import BuildSummary


class Sink(Protocol):
    def build(
        self,
        sources: Sequence[str | Path],
        *,
        progress: bool,
        workers: int | None,
        batch_size: int,
        lock_wait: float,
        warn: Callable[[str], None],
    ) -> "BuildSummary":
        """Add or update articles by id; commits every ``batch_size``; ``IndexLocked`` when another build holds the index."""

    def delete(self, ids: Sequence[str], *, lock_wait: float) -> int:
        """Remove documents by id; how many were removed. ``FileNotFoundError`` when there is no index."""

    def stats(self) -> dict:
        """What the index holds (``indexer.stats.index_stats``'s shape); ``FileNotFoundError`` when there is none."""

    def describe(self) -> str:
        """Where the index is, for messages (a folder, a cluster)."""
