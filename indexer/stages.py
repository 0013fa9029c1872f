"""CPU seconds per build stage, counted in each process that does the work.

A build's wall time on a shared machine measures the neighbours too; the CPU
time each stage took does not, so the build reports it (``BuildSummary.
stage_cpu``) and ``bench/index_bench.py`` prints it per article. Each process
has its own ``CLOCK``; worker processes hand theirs to the parent with each
segment they finish.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterator

# In the order an article meets them.
STAGES = ("read", "clean", "extract", "analyse", "story", "spool", "alias", "write", "commit", "merge")


class StageClock:
    """CPU per stage, exclusive: a stage run inside another (cleaning inside reading, a merge inside a
    commit) counts for itself only, so the stages add up to the process's CPU."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self._inner: list[float] = []  # per open stage: the CPU its nested stages took

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        self._inner.append(0.0)
        try:
            yield
        finally:
            elapsed = time.process_time() - start
            self.cpu[name] += elapsed - self._inner.pop()
            if self._inner:
                self._inner[-1] += elapsed

    def take(self) -> dict[str, float]:
        """The seconds counted since the last ``take``, and a fresh start."""
        out = dict(self.cpu)
        self.cpu.clear()
        return out


CLOCK = StageClock()
