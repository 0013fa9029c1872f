"""What the host took from a benchmark while it ran.

This machine is a virtual one: when the host is busy it takes CPU time away
from the guest ("steal", a column of /proc/stat). Under heavy steal a
wall-clock figure measures the neighbours, not the code, so every benchmark
prints the steal it ran under next to its figures, and where it can also the
CPU time its own work used, which steal does not inflate. Steal says what
the host took; the load average (1/5/15 min, read when the block ends, beside
the machine's core count) says how many other runnable processes in this
guest competed for the same cores, which inflates wall-clock figures just
the same: both are printed with every figure.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

_PROC_STAT = Path("/proc/stat")


def _cpu_jiffies() -> tuple[int, int] | None:
    """(steal, total) for all CPUs since boot, or None where /proc/stat is absent."""
    try:
        first = _PROC_STAT.read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    # cpu user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is inside user.
    counts = [int(v) for v in first[1:9]]
    return counts[7], sum(counts)


class HostMeter:
    """Measures CPU steal and this process's (and its children's) CPU seconds over a ``with`` block."""

    def __enter__(self) -> "HostMeter":
        self._jiffies = _cpu_jiffies()
        self._cpu = _own_cpu_seconds()
        self._wall = time.perf_counter()
        self.steal_percent: float | None = None
        self.load_average: tuple[float, float, float] | None = None
        return self

    def __exit__(self, *exc) -> None:
        self.wall_seconds = time.perf_counter() - self._wall
        self.cpu_seconds = _own_cpu_seconds() - self._cpu
        self.load_average = _load_average()
        end = _cpu_jiffies()
        if self._jiffies and end and end[1] > self._jiffies[1]:
            self.steal_percent = 100.0 * (end[0] - self._jiffies[0]) / (end[1] - self._jiffies[1])

    def line(self) -> str:
        """The steal over the block and the load average at its end, in one line every bench prints."""
        if self.steal_percent is None:
            steal = "host CPU steal  unknown (no /proc/stat)"
        else:
            verdict = "wall-clock figures are inflated; CPU figures are not" if self.steal_percent >= 5 else "negligible"
            steal = f"host CPU steal  {self.steal_percent:.0f}% of CPU time during the run ({verdict})"
        if self.load_average is None:
            return f"{steal}; load average unknown"
        one, five, fifteen = self.load_average
        return f"{steal}; load average {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


def _load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def _own_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
