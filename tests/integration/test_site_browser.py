"""The built site in headless Chromium (Debian's chromium and chromium-driver, driven by selenium):
what a reader sees on the home page, the calendar, a change page and a printed patch notice."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_browser import chromium, needs_chromium, search, served
from site_estate import PATCH, PATCH_RUN, SITE_NAME, build_site, site_copy

pytestmark = [pytest.mark.integration, needs_chromium]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
from selenium.webdriver.common.by import By  # noqa: E402 - once selenium is known to be there
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    estate = site_copy(tmp_path_factory.mktemp("browser") / "estate")
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    with served(estate / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def visible_text(browser: webdriver.Chrome, css: str) -> list[str]:
    return [e.text.strip() for e in browser.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]


def click(browser: webdriver.Chrome, element: WebElement) -> None:
    """Click as a reader would: scrolled into the middle of the window, clear of the sticky header."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def test_home_page_shows_the_coming_changes_and_the_navigation(browser, base_url: str, tmp_path: Path) -> None:
    browser.get(base_url)
    assert browser.title == SITE_NAME
    headings = visible_text(browser, "article h2")
    assert headings[:5] == ["值班联系", "未来 14 天的变更", "近期执行结果", "当前及即将到来的重要通信保障期",
                            "应急演练计划"]
    rows = visible_text(browser, "article table tbody tr")
    assert any(PATCH in row and "已完成" in row for row in rows)
    assert {"变更记录", "变更日历", "设备档案"} <= set(visible_text(browser, ".md-sidebar--primary .md-nav__link"))
    browser.save_screenshot(str(tmp_path / "home.png"))


def test_calendar_month_shows_the_freeze_and_its_reason(browser, base_url: str, tmp_path: Path) -> None:
    browser.get(base_url + "calendar/2027-01/")
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text.startswith("变更日历 2027-01")
    assert "Provincial Two Sessions" in visible_text(browser, "table.co-calendar td .co-freeze")
    rows = visible_text(browser, "article table:not(.co-calendar) tbody tr")
    assert any("Provincial Two Sessions" in row and "辽宁省两会重要通信保障期" in row and "2027-01-18" in row
               for row in rows)
    browser.save_screenshot(str(tmp_path / "calendar.png"))


def test_change_page_opens_a_transcript_and_prints_the_notice(browser, base_url: str, tmp_path: Path) -> None:
    browser.get(base_url + f"changes/{PATCH}/")
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text.startswith(PATCH)
    assert "客户批准" in visible_text(browser, "article h2")
    transcript = browser.find_element(By.CSS_SELECTOR, "details.co-transcript")
    assert not transcript.find_element(By.TAG_NAME, "pre").is_displayed()
    click(browser, transcript.find_element(By.TAG_NAME, "summary"))
    assert "SUCCESS: install_add_activate_commit" in transcript.find_element(By.TAG_NAME, "pre").text
    assert browser.find_element(By.LINK_TEXT, "下载 sy-dc1-core-r1.log").get_attribute("href").endswith(
        f"runs/{PATCH_RUN}/hosts/sy-dc1-core-r1.log")
    browser.save_screenshot(str(tmp_path / "change.png"))

    click(browser, browser.find_element(By.CSS_SELECTOR, "article").find_element(By.LINK_TEXT, "补丁加载通知"))
    assert "补丁内容" in visible_text(browser, "article h2")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, ".md-header").is_displayed()
        assert visible_text(browser, ".co-signature span")[:2] == ["维护方签字", ""]
        pdf = base64.b64decode(browser.print_page())
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert pdf.startswith(b"%PDF")
    (tmp_path / "notice.pdf").write_bytes(pdf)
    browser.save_screenshot(str(tmp_path / "notice.png"))


@pytest.mark.parametrize(("query", "first"), [
    ("应急预案", "runbooks/core-router-failure/"),
    ("路由器故障", "runbooks/core-router-failure/"),
    ("日志服务器", "runbooks/syslog-server-recovery/"),
    (PATCH, f"changes/{PATCH}/"),
    ("sy-dc1-core-r1", "devices/sy-dc1-core-r1/"),
])
def test_search_finds_chinese_phrases_changes_and_devices(browser, base_url: str, tmp_path: Path, query: str,
                                                          first: str) -> None:
    browser.get(base_url)
    hits = search(browser, query)
    assert hits[0] == base_url + first, hits[:3]
    browser.save_screenshot(str(tmp_path / "search.png"))

