"""The HTML face: what a person sees, and that hostile text stays text."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from web import create_app

HOSTILE_TITLE = '<script>alert("judul")</script> Banjir Jakarta'
HOSTILE_BODY = (
    'Banjir melanda Jakarta pada Selasa. <script>alert("isi")</script> Warga "><img src=x onerror=alert(1)> '
    "mengungsi ke masjid. {{ 7*7 }} {% print 1 %} Presiden Joko Widodo meninjau lokasi banjir."
)
HOSTILE_SOURCE = '<b>sumber</b>"><img src=x onerror=alert(2)>'
HOSTILE_RECORDS = [
    {
        "id": "a0000000000000a1",
        "title": HOSTILE_TITLE,
        "body": HOSTILE_BODY,
        "url": "javascript:alert(1)",
        "source": HOSTILE_SOURCE,
        "category": "{{ 7*7 }}",
        "subcategory": "<i>sub</i>",
        "date": "2019-09-10T10:00:00+07:00",
    },
    {
        "id": "a0000000000000a2",
        "title": '"><img src=x onerror=alert(3)> Banjir Bekasi',
        "body": "Banjir besar di Bekasi, air setinggi satu meter. <a href=\"javascript:alert(7)\">klik</a>",
        "url": "  JaVaScRiPt:alert(4)",
        "source": "javascript:alert(5)",
        "category": "<svg onload=alert(6)>",
        "subcategory": None,
        "date": "2019-09-11",
    },
    {
        "id": "a0000000000000a3",
        "title": "Banjir surut di Jakarta",
        "body": "Banjir di Jakarta mulai surut pada Kamis pagi.",
        "url": "https://contoh.example/banjir",
        "source": "contoh.example",
        "category": "Berita",
        "subcategory": None,
        "date": "2019-09-12",
    },
]


class Page(HTMLParser):
    """Tags, attributes and visible text of an HTML document."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    @property
    def visible(self) -> str:
        return " ".join(self.text)


def assert_inert(html: str) -> Page:
    """No markup from the data is live: only our script, no handlers, no script URLs."""
    page = Page(html)
    for tag, attrs in page.tags:
        if tag == "script":
            assert attrs == {"src": "/static/app.js", "defer": None}, attrs
        assert tag not in ("img", "iframe", "object", "embed", "b", "i"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            if name in ("href", "src", "action", "formaction") and value:
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    assert "49" not in page.visible.split(), "template syntax in data was evaluated"
    return page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("hostile")
    source = root / "hostile.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in HOSTILE_RECORDS), encoding="utf-8")
    build_index([source], root / "index")
    return create_app({"INDEX_DIR": str(root / "index"), "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def sample(sample_index):
    return create_app({"INDEX_DIR": str(sample_index), "TESTING": True}).test_client()


def get_page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:400])
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


# --- injection -------------------------------------------------------------------------------


def test_hostile_articles_render_as_text(hostile):
    html = get_page(hostile, "/?q=banjir")
    page = assert_inert(html)
    assert "&lt;script&gt;alert(&#34;judul&#34;)&lt;/script&gt; Banjir Jakarta" in html
    assert HOSTILE_TITLE in page.visible
    assert "<mark>" in html, "the snippets still highlight"
    assert "&lt;script&gt;alert(&#34;isi&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;isi&quot;)" in html
    assert "{{ 7*7 }}" in page.visible  # the category label, literally
    assert HOSTILE_SOURCE in page.visible
    # Only the http(s) article is linked to its origin.
    assert page.find("a", href="https://contoh.example/banjir", rel="noopener noreferrer nofollow")
    titles = [a for a in page.find("a") if "noopener noreferrer nofollow" == a.get("rel")]
    assert len(titles) == 1


@pytest.mark.parametrize(
    "query",
    ['<script>alert("q")</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "{{ 7*7 }}"],
)
def test_hostile_query_is_echoed_as_text(hostile, query):
    html = get_page(hostile, "/?q=" + quote(query))
    page = assert_inert(html)
    assert page.find("input", name="q")[0]["value"] == query
    assert query in page.visible or not page.find("article")


def test_hostile_facet_values_in_chips_and_links(hostile):
    html = get_page(hostile, f"/?source={quote(HOSTILE_SOURCE)}&category={quote('{{ 7*7 }}')}")
    page = assert_inert(html)
    chips = [a["href"] for a in page.find("a") if a.get("class") == "chip"]
    assert len(chips) == 2
    assert parse_qs(urlsplit(chips[0]).query) == {"category": ["{{ 7*7 }}"]}
    checked = [a for a in page.find("input", type="checkbox") if "checked" in a]
    assert {a["value"] for a in checked} == {HOSTILE_SOURCE, "{{ 7*7 }}"}


def test_hostile_article_page(hostile):
    html = get_page(hostile, "/dokumen/a0000000000000a1")
    page = assert_inert(html)
    assert HOSTILE_TITLE in page.visible and "{{ 7*7 }}" in page.visible
    assert not page.find("a", rel="noopener noreferrer nofollow"), "javascript: url is not linked"


def test_hostile_json_keeps_snippet_escaped(hostile):
    hits = hostile.get("/api/search?q=banjir").get_json()["hits"]
    for hit in hits:
        assert "<script" not in hit["snippet"] and "<img" not in hit["snippet"] and "<a " not in hit["snippet"]


@pytest.mark.parametrize("url", ["/", "/?q=banjir", "/api/search", "/?page=-1", "/api/search?page=-1", "/tidak-ada"])
def test_security_headers_everywhere(hostile, url):
    headers = hostile.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"]


def test_no_inline_script_or_style(sample):
    page = Page(get_page(sample, "/?q=presiden"))
    assert all(a.get("src") for t, a in page.tags if t == "script")
    assert not [t for t, a in page.tags if t == "style" or "style" in a]


# --- the search page -------------------------------------------------------------------------


def test_page_layout_and_labels(sample):
    html = get_page(sample, "/?q=presiden")
    page = Page(html)
    for label in ("Cari", "Hasil", "Urutkan", "Terbaru", "Terlama", "Relevansi", "Tokoh & Organisasi", "Lokasi",
                  "Sumber", "Kategori", "Tanggal", "Selanjutnya"):
        assert label in page.visible, label
    assert page.find("input", name="q", value="presiden")
    form = page.find("form", id="search")[0]
    assert form["method"] == "get" and form["action"] == "/"
    boxes = page.find("input", type="checkbox")
    assert boxes and all(b["form"] == "search" and b["name"] in ("entity", "location", "source", "category")
                         for b in boxes)
    assert page.find("button", type="submit")


def test_page_links_its_json_twin(sample):
    page = Page(get_page(sample, "/?q=presiden&source=tempo.co"))
    twin = page.find("link", rel="alternate", type="application/json")[0]["href"]
    assert twin == "/api/search?q=presiden&source=tempo.co"
    assert page.find("a", href=twin)
    body = sample.get(twin).get_json()
    shown = body["collapsed_total"] if body["collapsed_total"] is not None else body["total"]
    assert f"dari {shown} " in " ".join(page.visible.split()) and f"{body['total']} artikel" in page.visible


def test_facet_counts_match_the_api(sample):
    page = Page(get_page(sample, "/?q=presiden"))
    api = sample.get("/api/search?q=presiden&facet_limit.source=30").get_json()
    text = " ".join(page.visible.split())
    for fv in api["facets"]["source"]:
        assert f"{fv['value']} {fv['count']}" in text


def test_facet_value_links_and_chips(sample):
    page = Page(get_page(sample, "/?q=presiden&location=Jakarta"))
    chips = [a for a in page.find("a") if a.get("class") == "chip"]
    assert len(chips) == 1 and chips[0]["href"] == "/?q=presiden"
    assert page.find("a", href="/?q=presiden", **{"class": "chip-clear"})
    assert "Hapus semua filter" in page.visible
    checked = [a for a in page.find("input", type="checkbox") if "checked" in a]
    assert [(a["name"], a["value"]) for a in checked] == [("location", "Jakarta")]


def test_more_expander_and_filter_box(sample):
    page = Page(get_page(sample, "/"))
    assert "Lainnya" in page.visible and page.find("details")
    narrowed = Page(get_page(sample, "/?facet_prefix.location=ja"))
    assert narrowed.find("input", name="facet_prefix.location")[0]["value"] == "ja"
    labels = [a for a in narrowed.tags if a[0] == "a" and a[1].get("class") == "facet-label"]
    locations = [parse_qs(urlsplit(a["href"]).query).get("location", [None])[0] for _, a in labels]
    locations = [v for v in locations if v]
    # A prefix matches the start of any word of a value ("Pulau Jawa").
    assert locations and all(any(w.startswith("ja") for w in v.lower().split()) for v in locations)


def test_histogram_bars_filter_by_month(sample):
    html = get_page(sample, "/")
    page = Page(html)
    assert page.find("svg", **{"class": "histogram"})
    def publication_bars(page: Page) -> list[dict]:
        """The publication histogram's bars (the event dates' own filter by ``event_from`` / ``event_to``)."""
        bars = [a for t, a in page.tags if t == "a" and (a.get("class") or "").startswith("bar")]
        return [bar for bar in bars if "event_" not in bar["href"]]

    bars = publication_bars(page)
    assert len(bars) >= 3
    for bar in bars:
        params = parse_qs(urlsplit(bar["href"]).query)
        assert set(params) == {"date_from", "date_to"}
    month = sample.get("/api/search?date_from=2019-09-01&date_to=2019-09-30").get_json()
    drilled = Page(get_page(sample, "/?date_from=2019-09-01&date_to=2019-09-30"))
    day_bars = publication_bars(drilled)
    assert len(day_bars) == len(month["facets"]["date"]) >= 1
    # Only the bar that is exactly the filter is marked; clicking it clears the filter.
    selected = [a for a in day_bars if "is-selected" in a["class"]]
    for bar in selected:
        assert bar["href"] == "/"
    if month["date_interval"] == "month":
        assert len(selected) == 1


def test_pagination_and_sort(sample):
    first = Page(get_page(sample, "/?q=jakarta&sort=newest"))
    assert first.find("option", value="newest", selected=None)
    nxt = first.find("a", rel="next")[0]["href"]
    assert nxt == "/?q=jakarta&sort=newest&page=2"
    second = Page(get_page(sample, nxt))
    assert second.find("a", rel="prev")[0]["href"] == "/?q=jakarta&sort=newest"
    assert "Sebelumnya" in second.visible


NOTICE_TEXT = {"plain": "dicari sebagai kata biasa", "partial": "memuat sebagian kata"}


def test_notices_and_suggestion(sample):
    seen = set()
    for query in ("OR", "putin)", '"kim jong', "presiden kucingzzz"):
        notice = sample.get("/api/search?q=" + quote(query)).get_json()["notice"]
        page = Page(get_page(sample, "/?q=" + quote(query)))
        for kind, text in NOTICE_TEXT.items():
            assert (text in page.visible) == (notice == kind), (query, notice)
        seen.add(notice)
    assert {"plain", "partial"} <= seen
    suggested = Page(get_page(sample, "/?q=presidem"))
    assert "Mungkin maksud Anda" in suggested.visible
    assert suggested.find("a", href="/?q=presiden")


def test_no_results(sample):
    page = Page(get_page(sample, "/?q=zzzqqqxxx"))
    assert "Tidak ada hasil" in page.visible


def test_tags_filter_when_clicked(sample):
    page = Page(get_page(sample, "/?q=presiden"))
    tags = [a["href"] for t, a in page.tags if t == "a" and "tag-entity" in (a.get("class") or "")]
    assert tags
    params = parse_qs(urlsplit(tags[0]).query)
    assert params["q"] == ["presiden"] and len(params["entity"]) == 1


# --- failures are friendly -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,explanation",
    [
        ("page=-1", "Nomor halaman harus bilangan bulat"),
        ("date_from=kemarin", "Tanggal harus berformat TTTT-BB-HH"),
        ("q=%ff", "Alamat berisi karakter yang rusak"),
        ("facet_limit.warna=3", "Filter itu tidak dikenal"),
        ("q=a%00b", "karakter yang tidak diizinkan"),
    ],
)
def test_bad_parameters_show_a_friendly_400(sample, query, explanation):
    html = get_page(sample, "/?" + query, status=400)
    page = Page(html)
    assert "Permintaan tidak dapat diproses" in page.visible
    assert explanation in page.visible
    assert "Traceback" not in html and "werkzeug" not in html.lower()
    assert page.find("form", id="search")


def test_unknown_page_and_article_are_friendly_404s(sample):
    assert sample.get("/api/documents/%ff").status_code == 404
    for url in ("/tidak-ada", "/dokumen/tidak-ada", "/dokumen/%ff%00"):
        page = Page(get_page(sample, url, status=404))
        assert "404" in page.visible and page.find("a", href="/")


def test_article_page(sample):
    hit = sample.get("/api/search?q=presiden").get_json()["hits"][0]
    page = Page(get_page(sample, f"/dokumen/{hit['id']}"))
    assert hit["title"] in page.visible
    assert page.find("a", href=f"/api/documents/{hit['id']}")
    assert [a for t, a in page.tags if t == "a" and "tag-source" in (a.get("class") or "")]
