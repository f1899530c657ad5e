"""A built site served on loopback and a headless Chromium (Debian's chromium and chromium-driver) to read it."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file() or not CHROMEDRIVER.is_file(),
                                    reason="needs Debian's chromium and chromium-driver (scripts/setup.sh test "
                                           "installs them)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1: the base URL, ending in ``/``."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """A headless Chromium driven by selenium, with its own profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1280,1000", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


# The search's count line and its results, read in one script call: the list is re-rendered as each typed
# character is searched, so elements found one call earlier may already be gone.
RESULTS = """
const meta = document.querySelector('.md-search-result__meta');
return [meta ? meta.innerText : '',
        Array.from(document.querySelectorAll('li.md-search-result__item'),
                   item => [item.querySelector(':scope > a')?.href ?? '', item.innerText])];
"""


def search_results(browser: Any, query: str) -> list[tuple[str, str]]:
    """What the site search lists for ``query``, best first: each result's URL and visible text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    browser.execute_script("arguments[0].focus()", box)
    box.clear()
    box.send_keys(query)

    seen: list[list[tuple[str, str]]] = []

    def answered(driver: Any) -> list[tuple[str, str]] | None:
        # The count line holds a number ("N 个符合条件的结果", "N matching documents") once the index is
        # loaded and a query answered; the list counts once two polls agree.
        meta, items = driver.execute_script(RESULTS)
        if not re.search(r"\d", meta):
            return None
        seen.append([(str(url), str(text)) for url, text in items])
        return seen[-1] if len(seen) > 1 and seen[-1] and seen[-1] == seen[-2] else None

    results: list[tuple[str, str]] = WebDriverWait(browser, 20).until(answered)
    return results


def search(browser: Any, query: str) -> list[str]:
    """The pages the site search lists for ``query``, best first, as URLs."""
    return [url for url, _ in search_results(browser, query)]
