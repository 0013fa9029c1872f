"""Requests built to be expensive: the per-request cost bound is measured against these.

Each is the HTTP/CLI parameters of one request (``search.request.parse_request``
input). A request may be refused (a 400 with its error code) or answered,
degraded with a ``notice``; it must never cost seconds. ``bench/query_bench.py``
prints the worst CPU time over the set; ``tests/test_hostile.py`` checks that
every one answers without an error the API would turn into a 500.
"""

from __future__ import annotations

import random

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
        ("colloquial, every word expanded", {"q": [" ".join(["gak", "udah", "duit", "ortu", "nyetir", "bokap", "ngutang", "wafat"] * 12)[:1000]]}),
    ]
