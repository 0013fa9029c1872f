"""Every bench's host line says both what the host took (steal) and what else ran here (load average)."""

from __future__ import annotations

import os
import re

from bench.machine import HostMeter


def test_host_line_prints_steal_and_load_average():
    with HostMeter() as host:
        sum(range(1000))
    line = host.line()
    assert "host CPU steal" in line
    match = re.search(r"load average (\d+\.\d\d) (\d+\.\d\d) (\d+\.\d\d) \(1/5/15 min, (\d+) cores\)", line)
    assert match, line
    assert int(match.group(4)) == os.cpu_count()
    assert host.load_average is not None and len(host.load_average) == 3
