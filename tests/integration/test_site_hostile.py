"""Nothing a person typed becomes markup on the site: every string of every record, a fault report (with its
spare parts and follow-ups), a drill report (findings, follow-ups, training), the summaries' files under
``reports/`` (delivery, assessment, proposals), an approval comment and a runbook hold script, link and markup
payloads (hostile_estate.py); the site is built with ``mkdocs build --strict`` and every page showing a payload
is opened in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hostile_estate import HOSTILE_RUNBOOK, RECORDS, RUNBOOK_MARK, Hostile, hostile_copy
from site_browser import chromium, needs_chromium, search_results, served
from site_estate import PATCH, SITE_NAME, build_site

pytestmark = [pytest.mark.integration]
TAG = re.compile(r"X\d{3}")
NOT_SHOWN = r":patch\.lab_test\.report$|:move\.device$"
"""Fields the site does not show: the lab report's number, the moved device's name (the page shows where it
goes, the inventory names it); and text in the language the customer does not read."""
OTHER_LANGUAGE = {"zh": "en", "en": "zh"}

# Everything in the DOM a payload could have made live: event-handler attributes, script-bearing URLs,
# frames and scripts inside the article.
LIVE_MARKUP = """
const found = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
    if (attr.name.toLowerCase().startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
    if (/^(javascript|vbscript|data):/.test(value)) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
  }
}
for (const link of document.links) if (link.protocol === 'javascript:') found.push(`link ${link.href}`);
for (const el of document.querySelectorAll('article iframe, article script, article object, article embed'))
  found.push(`${el.tagName} in the article`);
return found;
"""


@pytest.fixture(scope="module", params=["zh", "en"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    hostile = hostile_copy(tmp_path_factory.mktemp("hostile") / "estate", request.param)
    result = build_site(hostile.root)
    assert result.returncode == 0, result.stderr
    return hostile


def pages_with_payloads(site: Path) -> list[str]:
    """Every generated page (as a URL path) whose HTML holds a planted tag."""
    return sorted(str(path.relative_to(site).parent) + "/" if path.name == "index.html" else
                  str(path.relative_to(site)) for path in site.rglob("*.html")
                  if path.relative_to(site).parts[0] not in ("assets", "search")
                  and TAG.search(path.read_text(encoding="utf-8")))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_hostile_estate_builds_and_every_record_is_published(built: Hostile) -> None:
    site = built.root / "site"
    for change_id in RECORDS:
        assert (site / "changes" / change_id / "index.html").is_file()
    assert (site / "runbooks" / HOSTILE_RUNBOOK.removesuffix(".md") / "index.html").is_file()
    assert len(pages_with_payloads(site)) >= 20


def test_the_feed_holds_one_event_per_change_and_titles_as_text(built: Hostile) -> None:
    vobject = pytest.importorskip("vobject", reason="needs vobject (pip install -e '.[test]')")
    feed = (built.root / "site" / "calendar" / "changeops.ics").read_bytes()
    wanted = sorted(f"{change_id}@changeops" for change_id in RECORDS)
    by_icalendar = {str(e["uid"]): str(e["summary"]) for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")}
    by_vobject = {e.uid.value: e.summary.value for e in vobject.readOne(feed.decode("utf-8")).contents["vevent"]}
    for events in (by_icalendar, by_vobject):
        assert sorted(uid for uid in events if uid.startswith("CHG-")) == wanted
        assert "forged@changeops" not in events
        summary = events[f"{PATCH}@changeops"]
        assert built.payloads[built.tag(f"{PATCH}:title.{built.language}")] in summary and "\nBEGIN:VEVENT\n" in summary


@pytest.fixture(scope="class")
def browser(built: Hostile, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """One Chromium on the built hostile site for the tests of :class:`TestInChromium`."""
    pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
    with served(built.root / "site") as url, chromium(tmp_path_factory.mktemp("chromium")) as driver:
        yield driver, url


@needs_chromium
class TestInChromium:
    def test_no_payload_runs_or_links_and_each_shows_whole_as_text(self, built: Hostile,
                                                                    browser: tuple[Any, str]) -> None:
        driver, url = browser
        problems: list[str] = []
        shown: set[str] = set()
        for page in pages_with_payloads(built.root / "site"):
            text = open_page(driver, url + page, problems)
            problems += [f"{page}: live {what}" for what in driver.execute_script(LIVE_MARKUP)]
            for tag in set(TAG.findall(text)) & set(built.payloads):
                shown.add(tag)
                if flat(built.payloads[tag]) not in flat(text):
                    problems.append(f"{page}: {tag} not shown whole as text")
        assert problems == [], "\n".join(problems)
        not_shown = re.compile(rf"{NOT_SHOWN}|\.{OTHER_LANGUAGE[built.language]}$")
        missing = {where for where, tag in built.tags.items() if tag not in shown and not not_shown.search(where)}
        assert missing == set()

    def test_titles_are_text_in_the_window_title(self, built: Hostile, browser: tuple[Any, str]) -> None:
        driver, url = browser
        problems: list[str] = []
        open_page(driver, f"{url}changes/{PATCH}/", problems)
        assert flat(built.payloads[built.tag(f"{PATCH}:title.{built.language}")]) in flat(driver.title)
        open_page(driver, f"{url}runbooks/{HOSTILE_RUNBOOK.removesuffix('.md')}/", problems)
        assert "plan </title><script>alert(__xss=20)</script>" in driver.title
        open_page(driver, url, problems)
        assert driver.title == SITE_NAME  # the home page: the site's name alone
        assert problems == []

    def test_search_results_show_payloads_as_text(self, built: Hostile, browser: tuple[Any, str]) -> None:
        driver, url = browser
        problems: list[str] = []
        owner = built.tag("runbook:owner")
        driver.get(url)
        results = search_results(driver, owner)
        close_alerts(driver, url, problems)
        assert driver.execute_script("return window.__xss") is None and problems == []
        assert any("<img src=x onerror=alert(__xss=1)>" in text for _, text in results)
        assert driver.execute_script(LIVE_MARKUP) == []

    def test_a_runbooks_html_is_sanitised_but_its_text_and_web_links_stay(self, browser: tuple[Any, str],
                                                                           built: Hostile) -> None:
        from selenium.webdriver.common.by import By

        driver, url = browser
        problems: list[str] = []
        text = open_page(driver, f"{url}runbooks/{HOSTILE_RUNBOOK.removesuffix('.md')}/", problems)
        tag = RUNBOOK_MARK
        for words in ("text", "js-link", "ok-link", "html-link", "tab-link", "attr", "details"):
            assert f"{tag}-{words}" in text
        article = driver.find_element(By.CSS_SELECTOR, "article")
        assert article.find_element(By.LINK_TEXT, f"{tag}-ok-link").get_attribute("href") == "https://example.com/a"
        assert article.find_element(By.LINK_TEXT, f"{tag}-js-link").get_attribute("href") is None
        assert article.find_elements(By.CSS_SELECTOR, "svg, iframe, script, [onclick], [onerror]") == []
        assert problems == []


def open_page(driver: Any, url: str, problems: list[str]) -> str:
    """Open ``url``; note every alert a payload opened and the ``window.__xss`` marker; the page's visible text."""
    from selenium.common.exceptions import UnexpectedAlertPresentException

    try:
        driver.get(url)
    except UnexpectedAlertPresentException as alert:
        problems.append(f"{url}: alert while loading ({alert.alert_text})")
    close_alerts(driver, url, problems)
    marker = driver.execute_script("return window.__xss")
    if marker is not None:
        problems.append(f"{url}: window.__xss = {marker!r}")
    return str(driver.execute_script("return document.body.innerText"))


def close_alerts(driver: Any, url: str, problems: list[str]) -> None:
    """Accept (and note) the alerts open on the page: ``switch_to.alert`` raises when there is none."""
    from selenium.common.exceptions import NoAlertPresentException

    for _ in range(50):
        try:
            alert = driver.switch_to.alert
        except NoAlertPresentException:
            return
        problems.append(f"{url}: alert {alert.text!r}")
        alert.accept()
