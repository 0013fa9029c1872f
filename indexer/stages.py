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
STAGES = ("read", "clean", "extract", "analyse", "story", "spool", "alias", "write", "commit")


class StageClock:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            self.cpu[name] += time.process_time() - start

    def take(self) -> dict[str, float]:
        """The seconds counted since the last ``take``, and a fresh start."""
        out = dict(self.cpu)
        self.cpu.clear()
        return out


CLOCK = StageClock()
