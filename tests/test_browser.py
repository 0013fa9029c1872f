"""The real page in headless Chromium, served by waitress, with and without JavaScript.

Skipped only when Chromium is missing outside CI; in CI (``CI`` set) a missing
browser is a failure. Nothing is downloaded: Debian's chromedriver is named
explicitly and Selenium Manager is kept offline. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from web import create_app

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()

pytestmark = pytest.mark.skipif(
    not HAVE_BROWSER and not os.environ.get("CI"), reason="chromium/chromedriver not installed (set CI to require)"
)
WAIT = 10


@pytest.fixture(scope="module")
def base_url(sample_index):
    from waitress.server import create_server

    server = create_server(create_app({"INDEX_DIR": str(sample_index)}), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


PHONE = (390, 844)  # CSS pixels, a current phone's viewport


def make_driver(javascript: bool, phone: bool = False):
    os.environ["SE_OFFLINE"] = "1"  # Selenium Manager must never fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="telusur-chromium-")
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1600",
    ):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    if phone:  # headless windows are at least 500 px wide: emulate the phone's viewport instead
        width, height = PHONE
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 3, "mobile": True}
        )
    return driver, profile


@pytest.fixture(scope="module")
def browser():
    driver, profile = make_driver(javascript=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser_nojs():
    driver, profile = make_driver(javascript=False)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def phone_nojs():
    driver, profile = make_driver(javascript=False, phone=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for_url(driver, pattern: str):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(lambda d: re.search(pattern, d.current_url))


def total(driver) -> int:
    from selenium.webdriver.common.by import By

    text = driver.find_element(By.CSS_SELECTOR, ".total").text
    # "dari N artikel", or collapsed into stories: "dari S cerita (N artikel)"
    match = re.search(r"(\d+) artikel", text)
    assert match, text
    return int(match.group(1))


def chips(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [" ".join(c.text.split()) for c in driver.find_elements(By.CSS_SELECTOR, ".chip")]


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))


def csp_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_search_facet_and_histogram_with_javascript(browser, base_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(base_url + "/")
    assert browser.title == "Telusur"
    everything = total(browser)
    assert everything > 300

    box = browser.find_element(By.NAME, "q")
    box.send_keys("presiden", Keys.ENTER)
    wait_for_url(browser, r"q=presiden")
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "presiden"
    found = total(browser)
    assert 0 < found < everything
    assert browser.find_elements(By.CSS_SELECTOR, ".hit mark")

    # Ticking a facet submits at once (app.js); the count beside it becomes the total.
    value = browser.find_element(By.CSS_SELECTOR, "#facet-source .facet-value")
    name = value.find_element(By.CSS_SELECTOR, ".facet-label").text
    count = int(value.find_element(By.CSS_SELECTOR, ".count").text)
    value.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    wait_for_url(browser, r"source=")
    assert total(browser) == count
    assert chips(browser) == [f"Sumber: {name} ×"]
    assert browser.find_element(By.CSS_SELECTOR, f"#facet-source input[value='{name}']").is_selected()

    # A histogram bar filters to its month (or day).
    bars = browser.find_elements(By.CSS_SELECTOR, "section.chart svg.histogram a.bar")  # the publication date
    assert bars
    tallest = max(bars, key=lambda b: int(re.search(r": (\d+) artikel", b.get_attribute("textContent")).group(1)))
    bar_count = int(re.search(r": (\d+) artikel", tallest.get_attribute("textContent")).group(1))
    tallest.find_element(By.CSS_SELECTOR, "rect.bar-fill").click()
    wait_for_url(browser, r"date_from=")
    assert total(browser) == bar_count
    assert any(c.startswith("Tanggal:") for c in chips(browser))
    screenshot(browser, "browser-search.png")

    # Removing the source chip keeps the date filter.
    browser.find_element(By.CSS_SELECTOR, ".chip").click()
    wait_for_url(browser, r"^(?!.*source=)")
    assert [c for c in chips(browser) if c.startswith("Sumber")] == []
    assert csp_errors(browser) == []


def test_event_dates_histogram_filters_like_the_publication_one(browser, base_url):
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/?collapse=none")
    bars = browser.find_elements(By.CSS_SELECTOR, "#facet-event svg.histogram a.bar")
    assert bars, "the event dates are drawn in the filters"
    tallest = max(bars, key=lambda b: int(re.search(r": (\d+) artikel", b.get_attribute("textContent")).group(1)))
    bar_count = int(re.search(r": (\d+) artikel", tallest.get_attribute("textContent")).group(1))
    tallest.find_element(By.CSS_SELECTOR, "rect.bar-fill").click()
    wait_for_url(browser, r"event_from=")
    assert 0 < total(browser) <= bar_count, "a bar counts an article once a day it mentions"
    assert any(c.startswith("Tanggal peristiwa:") for c in chips(browser))
    # Zoomed into the month: one bar a day, inside the selected range.
    assert "per hari" in browser.find_element(By.CSS_SELECTOR, "#facet-event svg.histogram").get_attribute("aria-label")
    assert csp_errors(browser) == []


def test_phone_draws_a_dense_month_by_day_readably(phone_nojs, base_url):
    from selenium.webdriver.common.by import By

    driver = phone_nojs
    driver.get(base_url + "/")  # September 2019 holds most of the sample
    link = driver.find_element(By.CSS_SELECTOR, "section.chart .dense a")
    driver.get(link.get_attribute("href"))
    chart = driver.find_element(By.CSS_SELECTOR, "section.chart svg.histogram")
    assert "per hari" in chart.get_attribute("aria-label")
    width = driver.execute_script("return window.innerWidth")
    box = chart.rect
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the chart fits the phone's width"
    bars = driver.find_elements(By.CSS_SELECTOR, "section.chart svg.histogram rect.bar-fill")
    assert len(bars) > 10
    widths = [b.rect["width"] for b in bars]
    assert min(widths) >= 4, f"day bars {min(widths):.1f} px wide: too thin to read or tap"
    labels = driver.find_elements(By.CSS_SELECTOR, "section.chart .histogram-axis span")
    assert labels and all(l.is_displayed() for l in labels)
    screenshot(driver, "phone-390x844-day-view.png")


def test_sort_selector_submits(browser, base_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(base_url + "/?q=jakarta")
    Select(browser.find_element(By.NAME, "sort")).select_by_value("newest")
    wait_for_url(browser, r"sort=newest")
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_works_without_javascript(browser_nojs, base_url):
    from selenium.webdriver.common.by import By

    browser_nojs.get(base_url + "/?q=presiden")
    apply = browser_nojs.find_element(By.CSS_SELECTOR, "button.apply")
    assert apply.is_displayed()
    value = browser_nojs.find_element(By.CSS_SELECTOR, "#facet-location .facet-value")
    name = value.find_element(By.CSS_SELECTOR, ".facet-label").text
    count = int(value.find_element(By.CSS_SELECTOR, ".count").text)
    value.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    assert "location=" not in browser_nojs.current_url, "nothing submits by itself without JavaScript"
    apply.click()
    wait_for_url(browser_nojs, r"location=")
    assert total(browser_nojs) == count
    assert chips(browser_nojs) == [f"Lokasi: {name} ×"]
    # The "more" expander is a <details>: no script needed.
    details = browser_nojs.find_element(By.CSS_SELECTOR, "#facet-entity details.more")
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open") is not None
    screenshot(browser_nojs, "browser-nojs.png")


def test_phone_shows_the_box_and_the_first_result_and_folds_the_filters(phone_nojs, base_url):
    from selenium.webdriver.common.by import By

    driver = phone_nojs
    driver.get(base_url + "/?q=presiden")
    width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    assert (width, height) == PHONE
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    box = driver.find_element(By.NAME, "q").rect
    first = driver.find_element(By.CSS_SELECTOR, ".hit .hit-title").rect
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    assert first["y"] + first["height"] <= height, f"first result at {first['y']} px, below the fold"
    screenshot(driver, "phone-390x844.png")

    # The filters are a folded drawer; opening it, ticking a value and applying works without script.
    facet = driver.find_element(By.CSS_SELECTOR, "#facet-location")
    assert not facet.is_displayed()
    # Follow the "Filter" link (chromedriver hangs clicking a same-page #fragment link with script off).
    href = driver.find_element(By.CSS_SELECTOR, "a.drawer-open").get_attribute("href")
    assert href.endswith("#filter")
    driver.get("about:blank")
    driver.get(href)
    facet = driver.find_element(By.CSS_SELECTOR, "#facet-location")
    assert facet.is_displayed()
    screenshot(driver, "phone-390x844-drawer.png")
    value = facet.find_element(By.CSS_SELECTOR, ".facet-value")
    name = value.find_element(By.CSS_SELECTOR, ".facet-label").text
    count = int(value.find_element(By.CSS_SELECTOR, ".count").text)
    value.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    driver.find_element(By.CSS_SELECTOR, "button.apply").click()
    wait_for_url(driver, r"location=")
    assert total(driver) == count
    assert chips(driver) == [f"Lokasi: {name} ×"]
    assert "1 aktif" in driver.find_element(By.CSS_SELECTOR, "a.drawer-open").text
    assert not driver.find_element(By.CSS_SELECTOR, "#facet-location").is_displayed(), "applying closes the drawer"
    screenshot(driver, "phone-390x844-filtered.png")
