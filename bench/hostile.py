"""Requests built to be expensive: the per-request cost bound is measured against these.

    python bench/hostile.py [--index DIR]

Each case is the HTTP/CLI parameters of one request (``search.request.parse_request``
input). A request may be refused (a 400 with its error code) or answered,
degraded with a ``notice``; it must never cost more than 250 ms of CPU.
``measure`` opens the engine once in this (fresh) process, timing the
generation load (CPU, wall, memory), then answers each case in a child
forked right after the load: the first request on a freshly opened
generation ("cold": nothing read but what the load reads), then the same
request again ("warm"). ``bench/query_bench.py`` prints the same figures;
``tests/test_hostile.py`` checks that every case answers without an error
the API would turn into a 500.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import HostMeter  # noqa: E402

CPU_BOUND_MS = 250
_rng = random.Random(11)
_COMMON = "presiden indonesia jakarta pemerintah polisi harga warga kota tahun rumah sakit anak".split()


def _words(n: int) -> str:
    return " ".join(_rng.choice(_COMMON) for _ in range(n))


def hostile_cases() -> list[tuple[str, dict[str, list[str]]]]:
    """(label, params) pairs."""
    long_word = "".join(_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(300))
    return [
        ("300-letter word", {"q": [long_word]}),
        ("300 letters, one repeated", {"q": ["a" * 300]}),
        ("1000-char query of common words", {"q": [_words(200)[:1000]]}),
        ("1000-char query of misspelt words", {"q": [" ".join(w[:-1] + "x" for w in _words(200).split())[:1000]]}),
        ("1000 chars without a space", {"q": ["presiden" * 125]}),
        ("300 ORs", {"q": [" OR ".join(_rng.choice(_COMMON) + str(i % 7) for i in range(180))[:1000]]}),
        ("ORs of common words", {"q": [" OR ".join(_COMMON * 8)[:1000]]}),
        ("wildcard after 3 letters", {"q": ["mem*"]}),
        ("many wildcards", {"q": [" ".join(p + "*" for p in ("pem", "pen", "per", "ber", "ter", "mem", "men", "ke", "di"))]}),
        ("wildcard ORs", {"q": [" OR ".join(p + "*" for p in ("pem", "pen", "per", "ber", "ter", "mem", "men", "mer"))]}),
        ("question-mark wildcard", {"q": ["pe??????"]}),
        ("phrase of common words", {"q": ['"presiden joko widodo mengatakan pemerintah indonesia"']}),
        ("long phrase of common words", {"q": ['"' + _words(60) + '"']}),
        ("many phrases", {"q": [" ".join(f'"{a} {b}"' for a, b in zip(_COMMON, _COMMON[1:]))]}),
        ("title phrase", {"q": ['title:"harga minyak"']}),
        ("entity phrase", {"q": ['entity:"joko widodo"']}),
        ("entity one letter", {"q": ["entity:a"]}),
        ("many field prefixes", {"q": [" ".join(f"entity:{w} location:{w}" for w in _COMMON)]}),
        ("deep nesting", {"q": ["(" * 40 + "banjir" + ")" * 40]}),
        ("many negations", {"q": ["presiden " + " ".join(f"-{w}" for w in _COMMON * 5)]}),
        ("negation only", {"q": ["-presiden"]}),
        ("deepest page", {"q": ["presiden"], "page": ["100"], "per_page": ["100"]}),
        ("deep page, empty query", {"page": ["100"], "per_page": ["100"]}),
        ("past the window", {"q": ["presiden"], "page": ["1000"], "per_page": ["100"]}),
        ("huge facet limits", {"q": ["presiden"], **{f"facet_limit.{f}": ["500"] for f in ("entity", "location", "source", "category")}}),
        ("many selected values", {"q": ["harga"], "entity": [f"Nama {i}" for i in range(50)]}),
        ("unicode junk", {"q": ["\u200b\u0301" * 200 + "ẞ" * 100]}),
        ("emoji and symbols", {"q": ["🔥" * 300 + " !@#$%^&*()"]}),
        ("too long", {"q": ["x" * 1001]}),
        ("markup in the query", {"q": ['<script>alert(1)</script> "><img src=x onerror=alert(1)> banjir']}),
        ("markup in a facet value", {"q": ["banjir"], "entity": ['<b onmouseover="alert(1)">Jokowi</b>']}),
        ("colloquial, every word expanded", {"q": [" ".join(["gak", "udah", "duit", "ortu", "nyetir", "bokap", "ngutang", "wafat"] * 12)[:1000]]}),
    ]


@dataclass
class Outcome:
    label: str
    cold_ms: float  # CPU of the first request on a freshly loaded generation
    warm_ms: float  # CPU of the same request right after
    answer: str  # "200 notice=..." or "400 code"


@dataclass
class Report:
    load_cpu_s: float  # opening the engine: the generation load
    load_wall_s: float
    load_rss_mb: float  # peak resident memory after the load (the process held nothing before)
    outcomes: list[Outcome]
    host: str  # the steal line

    def worst(self, which: str) -> Outcome:
        return max(self.outcomes, key=lambda o: getattr(o, which))

    def lines(self) -> list[str]:
        out = [
            f"generation load: {self.load_cpu_s:.2f} s CPU, {self.load_wall_s:.2f} s wall, peak RSS {self.load_rss_mb:.0f} MB",
        ]
        out += [f"  hostile {o.label:<40} {o.cold_ms:7.1f} ms CPU cold, {o.warm_ms:7.1f} warm  {o.answer}" for o in self.outcomes]
        cold, warm = self.worst("cold_ms"), self.worst("warm_ms")
        out.append(
            f"worst hostile request: {cold.cold_ms:.1f} ms CPU cold ({cold.label}), {warm.warm_ms:.1f} ms warm"
            f" ({warm.label}) (bound {CPU_BOUND_MS}: {'met' if cold.cold_ms <= CPU_BOUND_MS else 'MISSED'})"
        )
        out.append(f"{self.host} [hostile]")
        return out


def _answer(engine, params: dict[str, list[str]]) -> tuple[float, str]:
    from search.model import SearchError
    from search.request import parse_request

    start = time.thread_time()
    try:
        answer = f"200 notice={engine.search(parse_request(params)).notice}"
    except SearchError as e:
        answer = f"400 {e.code}"
    return (time.thread_time() - start) * 1000, answer


def _in_child(engine, params: dict[str, list[str]]) -> tuple[float, float, str]:
    """(cold ms, warm ms, answer) of one request, answered in a forked copy of this process."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the engine as loaded, nothing asked of it yet
        os.close(read)
        cold, answer = _answer(engine, params)
        warm, _ = _answer(engine, params)
        os.write(write, json.dumps([cold, warm, answer]).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    cold, warm, answer = json.loads(data)
    return cold, warm, answer


def measure(index_dir: Path) -> Report:
    """Load the engine in this process, then each case cold and warm in a child forked after the load."""
    from search.backends.whoosh.engine import WhooshEngine

    with HostMeter() as host:
        cpu, wall = time.process_time(), time.perf_counter()
        engine = WhooshEngine(index_dir)
        load_cpu, load_wall = time.process_time() - cpu, time.perf_counter() - wall
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        outcomes = [Outcome(label, *_in_child(engine, params)) for label, params in hostile_cases()]
    engine.close()
    return Report(load_cpu, load_wall, rss, outcomes, host.line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / "out" / "index-22k", help="an index of the 22k corpus")
    args = parser.parse_args()
    print("\n".join(measure(args.index).lines()))


if __name__ == "__main__":
    main()
