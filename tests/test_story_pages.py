"""Stories, entity and place pages, similar articles and event dates through the real app and engine.

One index of part of the 22k sample plus real near-duplicates of the corpus
(``test_stories``), on both backends (Whoosh, and the session's 3-node Typesense
cluster); every page is checked with its JSON twin.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from markupsafe import escape

from conftest import BACKENDS, app_config
from indexer.build import build_index
from test_stories import APART, REWRITTEN, STORY_IDS, SYNDICATED, corpus_by_id, write_jsonl
from web import create_app

SAMPLE_SIZE = 160


@pytest.fixture(scope="module")
def articles(tmp_path_factory, sample_records):
    folder = tmp_path_factory.mktemp("story_pages")
    records = [r for r in sample_records[:SAMPLE_SIZE] if r["id"] not in STORY_IDS]
    records += corpus_by_id(set(STORY_IDS)).values()
    return write_jsonl(folder / "articles.jsonl", records)


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, articles):
    if request.param == "whoosh":
        build_index([articles], articles.parent / "ix")
        app = create_app({"INDEX_DIR": str(articles.parent / "ix")})
    else:
        from cluster.client import Connection
        from indexer.typesense.sink import Sink, build_typesense
        from search.backends.typesense.engine import TypesenseEngine

        cluster = request.getfixturevalue("typesense_cluster")
        connection = Connection(tuple(cluster.urls), cluster.api_key)
        build_typesense([str(articles)], Sink(connection, "stories"), warn=lambda message: None)
        app = create_app({"ENGINE": TypesenseEngine(connection, prefix="stories", check_interval=0)})
    app.config["TESTING"] = True
    return app.test_client()


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


def get_page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:300])
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def ids(hits) -> list[str]:
    return [h["id"] for h in hits]


# -- stories -------------------------------------------------------------------------


def test_search_collapses_a_story_to_its_best_hit_and_lists_the_other_outlets(client):
    collapsed = get_json(client, "/api/search?q=kabut+asap+pangkalan+bun&per_page=50")
    every = get_json(client, "/api/search?q=kabut+asap+pangkalan+bun&per_page=50&collapse=none")
    assert set(SYNDICATED) <= set(ids(every["hits"]))
    shown = [h for h in collapsed["hits"] if h["id"] in SYNDICATED]
    assert len(shown) == 1
    story = shown[0]["story"]
    assert story["size"] == 2 and story["other_outlets"] == 1
    assert ids(story["others"]) == [i for i in SYNDICATED if i != shown[0]["id"]]
    assert collapsed["collapsed_total"] == every["total"] - 1 == collapsed["total"] - 1
    assert every["collapsed_total"] is None
    # Facet counts stay per article.
    def counts(result):
        return [(v["value"], v["count"]) for v in result["facets"]["source"]]

    assert counts(collapsed) == counts(every)
    # Without collapsing, every hit still carries its story, without the list.
    assert all(h["story"]["others"] == [] for h in every["hits"])
    page = get_page(client, "/?q=kabut+asap+pangkalan+bun")
    assert "Juga diberitakan oleh 1 media lain" in page
    assert f'/cerita/{story["id"]}' in page


def test_story_api_and_page_list_every_version(client):
    doc = get_json(client, f"/api/documents/{SYNDICATED[0]}")
    assert doc["story"]["size"] == 2
    story = get_json(client, f"/api/stories/{doc['story']['id']}")
    assert sorted(ids(story["versions"])) == sorted(SYNDICATED)
    assert story["outlets"] == ["okezone.com", "sindonews.com"]
    assert {"id", "title", "source", "date", "url", "page"} <= set(story["versions"][0])
    assert story["links"]["html"] == f"/cerita/{story['id']}"
    page = get_page(client, story["links"]["html"])
    for version in story["versions"]:
        assert escape(version["title"]) in page
    assert f'href="/api/stories/{story["id"]}"' in page
    apart = [get_json(client, f"/api/documents/{i}")["story"]["id"] for i in APART]
    assert apart[0] != apart[1]
    rewritten = {get_json(client, f"/api/documents/{i}")["story"]["id"] for i in REWRITTEN}
    assert len(rewritten) == 1


def test_unknown_story_is_a_json_404_and_a_friendly_page(client):
    body = get_json(client, "/api/stories/nope", 404)
    assert body["error"]["code"] == "not_found"
    page = get_page(client, "/cerita/%3Cb%3Enope", 404)
    assert "Cerita tidak ditemukan" in page and "<b>nope" not in page


# -- entity and place pages ------------------------------------------------------------


def test_entity_page_and_its_twin(client):
    profile = get_json(client, "/api/entities/" + quote("BJ Habibie"))
    assert profile["name"] == "BJ Habibie" and profile["type"] == "person"
    within = get_json(client, "/api/search?entity=" + quote("BJ Habibie") + "&collapse=none")
    assert profile["articles"] == within["total"] > 1
    assert sum(b["count"] for b in profile["dates"]) == profile["articles"]
    assert profile["people"] and all(p["name"] != "BJ Habibie" for p in profile["people"])
    counts = [p["count"] for p in profile["people"]]
    assert counts == sorted(counts, reverse=True)
    assert profile["people"][0]["page"] == "/tokoh/" + quote(profile["people"][0]["name"])
    assert profile["locations"][0]["page"].startswith("/lokasi/")
    dates = [a["date"] for a in profile["latest"]]
    assert dates == sorted(dates, reverse=True)
    assert profile["relevant"] and profile["aliases"] == []
    page = get_page(client, profile["links"]["html"])
    assert "<h1>BJ Habibie</h1>" in page
    for item in profile["people"] + profile["organizations"] + profile["locations"]:
        assert f'href="{escape(item["page"])}"' in page
    assert f'href="{escape(profile["links"]["search"])}"' in page
    assert 'href="/api/entities/BJ%20Habibie"' in page
    # The name in any case finds the same page.
    assert get_json(client, "/api/entities/bj%20habibie")["name"] == "BJ Habibie"


def _path(name: str) -> str:
    """A name as a URL path segment, as Flask's ``url_for`` writes it: an apostrophe
    (`Ma'ruf Amin`) is legal in a path and stays unencoded."""
    return quote(name, safe="'")


def test_every_name_on_the_search_and_article_pages_links_to_its_page(client):
    found = get_json(client, "/api/search?q=habibie&collapse=none")
    page = get_page(client, "/?q=habibie")
    for facet, prefix in (("entity", "/tokoh/"), ("location", "/lokasi/")):
        assert found["facets"][facet]
        for value in found["facets"][facet]:
            assert f'class="profile-link" href="{escape(prefix + _path(value["value"]))}"' in page
    assert "profile-link" not in page.split('id="facet-source"')[1], "outlets and sections have no page"
    doc = get_json(client, f"/api/documents/{REWRITTEN[0]}")
    article = get_page(client, f"/dokumen/{REWRITTEN[0]}")
    names = [e["name"] if isinstance(e, dict) else e for e in doc["entities"]]
    assert names and doc["locations"]
    for name in names:
        assert f'href="{escape("/tokoh/" + _path(name))}"' in article
    for name in doc["locations"]:
        assert f'href="{escape("/lokasi/" + _path(name))}"' in article
    assert f'href="/?source={quote(doc["source"])}"' in article


def test_location_page_and_its_twin(client):
    profile = get_json(client, "/api/locations/Jakarta")
    assert profile["type"] == "location" and profile["articles"] > 1
    assert profile["links"]["search"] == "/?location=Jakarta"
    page = get_page(client, "/lokasi/Jakarta")
    assert "Lokasi · " in page and "<h1>Jakarta</h1>" in page


def test_unknown_names_are_404s_and_pages_escape_what_they_echo(client):
    evil = "<script>alert(1)</script>"
    body = get_json(client, "/api/entities/" + quote(evil), 404)
    assert set(body["error"]) == {"code", "message"}
    page = get_page(client, "/tokoh/" + quote(evil), 404)
    assert "<script>alert" not in page and "tidak ditemukan" in page
    get_json(client, "/api/locations/" + "x" * 201, 400)
    # A real name with a quote is escaped in the page's form and links.
    facets = get_json(client, "/api/search?facet_limit.entity=500&facet_limit.location=500")["facets"]
    quoted = [(f, v["value"]) for f in ("entity", "location") for v in facets[f] if set("'&\"") & set(v["value"])]
    assert quoted, "the sample names someone or somewhere with a quote or an ampersand"
    facet, name = quoted[0]
    page = get_page(client, ("/tokoh/" if facet == "entity" else "/lokasi/") + quote(name))
    assert str(escape(name)) in page and f'value="{name}"' not in page


# -- similar ----------------------------------------------------------------------------


def test_similar_lists_five_others_and_the_story_apart(client):
    found = get_json(client, f"/api/documents/{SYNDICATED[0]}/similar")
    assert ids(found["same_story"]) == [SYNDICATED[1]]
    similar = ids(found["similar"])
    assert len(similar) == 5 and SYNDICATED[0] not in similar and SYNDICATED[1] not in similar
    assert len(set(similar)) == 5
    # The most similar article shares the subject: the smog (kabut asap) of the fires.
    top = get_json(client, f"/api/documents/{similar[0]}")
    assert "asap" in (top["title"] + top["body"]).lower()
    page = get_page(client, f"/dokumen/{SYNDICATED[0]}")
    assert 'id="same-story"' in page and 'id="similar"' in page
    for doc_id in similar:
        assert f"/dokumen/{doc_id}" in page
    get_json(client, "/api/documents/nope/similar", 404)


# -- event dates --------------------------------------------------------------------------


def test_event_dates_filter_and_facet_apart_from_publication(client):
    day = "2019-09-13"
    found = get_json(client, f"/api/search?event_from={day}&event_to={day}&per_page=100&collapse=none")
    assert found["total"] > 0
    published = set()
    for h in found["hits"]:
        doc = get_json(client, f"/api/documents/{h['id']}")
        assert day in doc["mentioned"]
        published.add(doc["date"])
    assert published - {day}, "articles published on other days mention it too"
    everything = get_json(client, "/api/search?per_page=1")
    assert everything["facets"]["event"] != everything["facets"]["date"]
    assert get_json(client, "/api/search?event_from=2019-09-14&event_to=2019-09-13", 400)["error"]["code"] == (
        "invalid_date_range"
    )
    page = get_page(client, f"/?event_from={day}&event_to={day}")
    assert "Tanggal peristiwa" in page and f'value="{day}"' in page


def test_event_dates_are_a_histogram_drilled_into_like_the_publication_date(client):
    everything = get_json(client, "/api/search?per_page=1")
    buckets = everything["facets"]["event"]
    assert buckets and everything["date_intervals"] == {"date": everything["date_interval"], "event": "month"}
    busiest = max(buckets, key=lambda b: b["count"])
    assert not busiest["selected"] and "event_from=" in busiest["toggle_url"]
    # A bar's link narrows the event range to its month: the histogram zooms to it, by day.
    month = get_json(client, busiest["toggle_url"])
    start, end = month["links"]["self"].split("event_from=")[1][:10], busiest["value"]
    assert start == f"{end}-01"
    # A bar counts an article once a day it mentions (a month sums its days, as on Typesense):
    # its filter finds at most that many articles.
    assert 0 < month["total"] <= busiest["count"] and month["total"] < everything["total"]
    assert month["date_intervals"]["event"] == "day"
    assert month["facets"]["event"] and all(
        b["value"].startswith(busiest["value"] + "-") and b["selected"] for b in month["facets"]["event"]
    )
    assert sum(b["count"] for b in month["facets"]["event"]) == busiest["count"]
    # The page draws it in the event section, each bar a link to the page's own drill-down.
    page = get_page(client, "/")
    section = page.split('id="facet-event"')[1].split("</section>")[0]
    assert '<svg class="histogram"' in section and "event_from=" in section
    day_page = get_page(client, month["links"]["html"])
    day_section = day_page.split('id="facet-event"')[1].split("</section>")[0]
    assert "Jumlah artikel per hari" in day_section and day_section.count("<rect class=\"bar-fill\"") == len(
        month["facets"]["event"]
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dense_month_gets_a_day_view(request, backend):
    client = create_app(app_config(request, backend, "sample")).test_client()
    page = get_page(client, "/")  # September 2019 holds 87% of the sample
    assert "lihat per hari" in page
    month = get_json(client, "/api/search?date_from=2019-09-01&date_to=2019-09-30")
    assert month["date_interval"] == "day"
    assert all(b["value"].startswith("2019-09-") and b["selected"] for b in month["facets"]["date"])


def test_openapi_describes_the_new_endpoints(client):
    doc = get_json(client, "/api/openapi.json")
    for path in ("/api/stories/{id}", "/api/entities/{name}", "/api/locations/{name}", "/api/documents/{id}/similar"):
        assert path in doc["paths"]
    names = [p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]]
    assert {"collapse", "event_from", "event_to"} <= set(names)
    assert json.dumps(doc)
