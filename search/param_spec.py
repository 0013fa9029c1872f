"""The HTTP (and CLI) parameters of a search, declared once.

``search.request.parse_request`` validates by these declarations, the web's
links encode by them, ``web.openapi`` describes them, the page explains each
refusal ``code`` with ``ERRORS``, and ``python -m search`` makes its flags
from ``cli``. The facet parameters come from ``search.facet_spec.FACETS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.facet_spec import DATE_FACETS, PUBLICATION, SELECTABLE
from search.model import DEFAULT_FACET_LIMIT, SORTS

MAX_QUERY_CHARS = 1000
# Deepest result a request may reach (page * per_page): deeper pages cost a
# top-N heap that big on every request and nobody reads them.
MAX_WINDOW = 10_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
MAX_FACET_LIMIT = 500
MAX_VALUE_CHARS = 200
MAX_VALUES_PER_FACET = 50

KINDS = ("text", "values", "date", "choice", "int")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # one of KINDS; ``values`` is repeatable, the others use their first value
    code: str  # the refusal's error code
    description: str  # English: OpenAPI and CLI help
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    over_code: str | None = None  # the code when above ``maximum``, if not ``code``
    max_chars: int | None = None  # per value
    max_items: int | None = None  # values kind: how many values
    choices: tuple[str, ...] = ()
    cli: str | None = None  # the flag of ``python -m search``, or None


def _facet_param(facet) -> Param:
    return Param(
        facet.name,
        "values",
        "value_too_long",
        f"Select values of the {facet.name} facet ({facet.description}); repeat to select several: "
        "values of one facet are ORed, facets are ANDed.",
        max_chars=MAX_VALUE_CHARS,
        max_items=MAX_VALUES_PER_FACET,
        cli=f"--{facet.name}",
    )


def _range_params(facet) -> tuple[Param, Param]:
    lo, hi = facet.range_params
    short = facet is PUBLICATION  # ``--from`` / ``--to`` for the publication date
    day = "publication day" if short else f"day of the {facet.name} facet ({facet.description})"
    return (
        Param(lo, "date", "invalid_date", f"First {day} (YYYY-MM-DD), inclusive.", cli="--from" if short else f"--{lo}"),
        Param(
            hi,
            "date",
            "invalid_date",
            f"Last {day} (YYYY-MM-DD), inclusive; before `{lo}` is a 400 `invalid_date_range`.",
            cli="--to" if short else f"--{hi}",
        ),
    )


# In the order OpenAPI lists them and links write them.
PARAMS: tuple[Param, ...] = (
    Param(
        "q",
        "text",
        "query_too_long",
        "Search words; `\"phrases\"`, `OR`, `-word` and `word*` are understood.",
        default="",
        max_chars=MAX_QUERY_CHARS,
    ),
    *(_facet_param(f) for f in SELECTABLE),
    *(p for f in DATE_FACETS for p in _range_params(f)),
    Param("sort", "choice", "invalid_sort", "Result order.", default=SORTS[0], choices=SORTS, cli="--sort"),
    Param(
        "page",
        "int",
        "invalid_page",
        f"Result page, from 1; `page * per_page` may not pass {MAX_WINDOW} (400 `page_too_deep`).",
        default=1,
        minimum=1,
        maximum=MAX_WINDOW,
        over_code="page_too_deep",
        cli="--page",
    ),
    Param(
        "per_page",
        "int",
        "invalid_per_page",
        "Hits per page.",
        default=DEFAULT_PER_PAGE,
        minimum=1,
        maximum=MAX_PER_PAGE,
        cli="--per-page",
    ),
)
BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}

# Per-facet parameters, ``<kind>.<facet>`` (``facet_limit.entity``); ``{facet}`` in the description.
FACET_PARAMS: tuple[Param, ...] = (
    Param(
        "facet_limit",
        "int",
        "invalid_facet_limit",
        "How many values of the {facet} facet to return.",
        default=DEFAULT_FACET_LIMIT,
        minimum=1,
        maximum=MAX_FACET_LIMIT,
    ),
    Param(
        "facet_prefix",
        "text",
        "value_too_long",
        "Only return {facet} facet values starting with this text (case-insensitive).",
        max_chars=MAX_VALUE_CHARS,
    ),
)
FACET_PARAM_KINDS: dict[str, Param] = {p.name: p for p in FACET_PARAMS}


def facet_param(kind: str, facet: str) -> str:
    """``facet_param("facet_limit", "entity")`` -> ``facet_limit.entity``."""
    return f"{kind}.{facet}"


# Every refusal code, explained in Indonesian for the page (the JSON keeps the
# engine's English message). Parameter codes come from the declarations above;
# the rest are checks across parameters or on the raw query string.
ERRORS: dict[str, str] = {
    "invalid_character": "Permintaan berisi karakter yang tidak diizinkan.",
    "invalid_encoding": "Alamat berisi karakter yang rusak.",
    "invalid_date": "Tanggal harus berformat TTTT-BB-HH dan benar-benar ada di kalender.",
    "invalid_date_range": "Tanggal awal harus sebelum tanggal akhir.",
    "invalid_sort": "Urutan hanya bisa relevansi, terbaru, atau terlama.",
    "invalid_page": "Nomor halaman harus bilangan bulat mulai dari 1.",
    "invalid_per_page": f"Jumlah hasil per halaman harus antara 1 dan {MAX_PER_PAGE}.",
    "invalid_facet_limit": "Jumlah nilai filter yang diminta tidak valid.",
    "page_too_deep": "Halaman itu terlalu jauh; persempit pencarian dengan kata kunci atau filter.",
    "query_too_long": "Kata kunci terlalu panjang.",
    "too_long": "Alamat permintaan terlalu panjang.",
    "too_many_parameters": "Terlalu banyak parameter dalam permintaan.",
    "too_many_values": "Terlalu banyak nilai filter dipilih sekaligus.",
    "value_too_long": "Nilai filter terlalu panjang.",
    "unknown_facet": "Filter itu tidak dikenal.",
}
