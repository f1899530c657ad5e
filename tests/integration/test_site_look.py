"""How the site looks in headless Chromium: on a 1280 px desktop and a 390 px phone, in light and dark, and
printed on A4 with page numbers. Screenshots of every page checked are saved in the test's tmp dir."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from site_browser import chromium, needs_chromium, search, served
from site_estate import PATCH, build_site, site_copy

pytestmark = [pytest.mark.integration, needs_chromium]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
from selenium.webdriver.common.by import By  # noqa: E402 - once selenium is known to be there

PAGES = {"home": "", "change": f"changes/{PATCH}/", "calendar": "calendar/2026-12/",
         "plan": "runbooks/core-router-failure/", "device": "devices/sy-dc1-core-r1/", "runbooks": "runbooks/",
         "notice": f"changes/{PATCH}/notice/"}
# Tables reaching past the screen's edge that neither they nor their wrapper can scroll.
CLIPPED_TABLES = """
const scrolls = e => e && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
return [...document.querySelectorAll('article table')]
  .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(t) && !scrolls(t.parentElement))
  .map(t => t.outerHTML.slice(0, 80));
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    estate = site_copy(tmp_path_factory.mktemp("look") / "estate")
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    with served(estate / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def phone(browser: Any, on: bool) -> None:
    """A 390 px wide phone screen, or back to the 1280 px desktop window."""
    if on:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    else:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_fit_a_phone_and_wide_tables_scroll(browser: Any, base_url: str, tmp_path: Path, name: str) -> None:
    browser.get(base_url + PAGES[name])
    browser.save_screenshot(str(tmp_path / f"{name}-desktop.png"))
    phone(browser, True)
    try:
        browser.get(base_url + PAGES[name])
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        assert browser.execute_script(CLIPPED_TABLES) == []
        browser.save_screenshot(str(tmp_path / f"{name}-mobile.png"))
    finally:
        phone(browser, False)


def test_calendar_uses_the_width_and_leads_to_the_next_month(browser: Any, base_url: str, tmp_path: Path) -> None:
    browser.get(base_url + "calendar/2026-12/")
    table = browser.find_element(By.CSS_SELECTOR, "table.co-calendar")
    assert table.size["width"] > 0.7 * browser.execute_script("return window.innerWidth")
    change = table.find_element(By.CSS_SELECTOR, ".co-change")
    assert "沈阳一号数据中心核心路由器 SNMP 安全补丁加载" in change.text  # the change's title, not just its ID
    browser.find_element(By.CSS_SELECTOR, "a.co-next").click()
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text.startswith("变更日历 2027-01")
    browser.find_element(By.CSS_SELECTOR, "a.co-previous").click()
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text.startswith("变更日历 2026-12")
    browser.save_screenshot(str(tmp_path / "calendar-desktop.png"))


def test_the_reader_can_switch_to_dark_and_back(browser: Any, base_url: str, tmp_path: Path) -> None:
    browser.get(base_url + f"changes/{PATCH}/")

    def scheme() -> str:
        return str(browser.execute_script("return document.body.getAttribute('data-md-color-scheme')"))

    def background() -> list[int]:
        colour = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
        return [int(n) for n in re.findall(r"\d+", colour)[:3]]

    assert scheme() == "default" and min(background()) > 200
    visible = [t for t in browser.find_elements(By.CSS_SELECTOR, "form[data-md-component=palette] label")
               if t.is_displayed()]
    visible[0].click()
    assert scheme() == "slate" and max(background()) < 80
    browser.save_screenshot(str(tmp_path / "change-dark.png"))
    browser.get(base_url)  # the choice is remembered from page to page
    assert scheme() == "slate"
    [t for t in browser.find_elements(By.CSS_SELECTOR, "form[data-md-component=palette] label")
     if t.is_displayed()][0].click()
    assert scheme() == "default"


def test_a_notice_prints_on_a4_with_page_numbers(browser: Any, base_url: str, tmp_path: Path) -> None:
    browser.get(base_url + f"changes/{PATCH}/notice/")
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    (tmp_path / "notice.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)  # A4 in pt
    footer = browser.execute_script("""
        for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
          if (rule.media) for (const inner of rule.cssRules)
            if (inner instanceof CSSPageRule) return inner.cssText;
        return '';""")
    assert "@bottom-center" in footer and "counter(page)" in footer and "counter(pages)" in footer


def test_emergency_plan_shows_recovery_steps_on_the_first_screen(browser: Any, base_url: str,
                                                                 tmp_path: Path) -> None:
    browser.get(base_url + "devices/sy-dc1-core-r1/")
    link = browser.find_element(By.CSS_SELECTOR, "article a[href$='runbooks/core-router-failure/']")
    assert link.text.startswith("核心路由器故障应急恢复预案")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    for mobile in (False, True):
        phone(browser, mobile)
        try:
            browser.get(browser.current_url)
            # At 3 a.m.: who to call first (the duty box under the title), then the recovery steps, before
            # anything else the plan says.
            call = browser.find_element(By.CSS_SELECTOR, "article .admonition")
            assert call.find_element(By.CSS_SELECTOR, ".admonition-title").text == "值班联系"
            assert call.location["y"] < browser.execute_script("return window.innerHeight")
            steps = browser.find_element(By.CSS_SELECTOR, "article h2")
            assert steps.text.startswith("恢复步骤") and steps.location["y"] > call.location["y"]
            first_step = browser.find_element(By.CSS_SELECTOR, "article h2 ~ ol > li")
            assert first_step.location["y"] > steps.location["y"]
            browser.save_screenshot(str(tmp_path / f"plan-{'mobile' if mobile else 'desktop'}.png"))
        finally:
            phone(browser, False)


def test_search_on_a_phone_finds_the_emergency_plan(browser: Any, base_url: str, tmp_path: Path) -> None:
    phone(browser, True)
    try:
        browser.get(base_url)
        browser.find_element(By.CSS_SELECTOR, "label.md-header__button[for=__search]").click()
        assert search(browser, "路由器故障")[0] == base_url + "runbooks/core-router-failure/"
        browser.save_screenshot(str(tmp_path / "search-mobile.png"))
    finally:
        phone(browser, False)
