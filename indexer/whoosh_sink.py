"""The Whoosh index folder as an ``indexer.sink.Sink``: ``build_index``, ``delete_documents``, ``index_stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from indexer.backends import BackendConfig
from indexer.build import BuildSummary, build_index, delete_documents
from indexer.stats import index_stats, require_index


class WhooshSink:
    def __init__(self, config: BackendConfig):
        self.index_dir = Path(config.index_dir)

    def build(
        self,
        sources: Sequence[str | Path],
        *,
        progress: bool,
        workers: int | None,
        batch_size: int,
        lock_wait: float,
        warn: Callable[[str], None],
    ) -> BuildSummary:
        return build_index(
            list(sources),
            self.index_dir,
            progress=progress,
            workers=workers,
            batch_size=batch_size,
            lock_wait=lock_wait,
            warn=warn,
        )

    def delete(self, ids: Sequence[str], *, lock_wait: float) -> int:
        require_index(self.index_dir)
        return delete_documents(self.index_dir, ids, lock_wait=lock_wait)

    def stats(self) -> dict:
        require_index(self.index_dir)
        return index_stats(self.index_dir)

    def describe(self) -> str:
        return str(self.index_dir)
