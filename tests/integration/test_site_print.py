"""Every customer document of the demo printed to A4 PDF in headless Chromium, in Chinese and in English, and
read back with pypdf: the running header (customer, document number) and "第 X 页 / 共 Y 页" on every page,
no page wasted on a few lines, nothing wider than the page. The PDFs and print screenshots are saved in the
test's tmp dir."""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from changeops.publish.document_print import document_number
from changeops.publish.labels import labels_for
from site_browser import chromium, needs_chromium, served
from site_estate import PATCH, build_site, site_copy

pytestmark = [pytest.mark.integration, needs_chromium]
pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
pypdf = pytest.importorskip("pypdf", reason="needs pypdf (pip install -e '.[test]')")

KINDS = ("notice", "maintenance-record", "fault-report", "drill-report")
CUSTOMER = {"zh": "辽宁省数据网络中心", "en": "Liaoning Provincial Data Network"}
A4_PT = (595.3, 841.9)
CONTENT_PX = 673
"""The A4 content box in CSS px: 210 mm less 2 x 16 mm of margin, at 96 px per inch."""
MOST_PAGES = {"notice": 2, "maintenance-record": 2, "fault-report": 2, "drill-report": 2}
LAST_PAGE_TEXT = 80
"""Characters a last page holds besides the running header, the page number and the signature lines."""
# The page wider than its content box, elements reaching past its right edge, or text overflowing a box that
# clips it.
CUT_OFF = """
const width = document.documentElement.clientWidth;
const whole = document.documentElement.scrollWidth;
const page = whole > width ? [`the page: ${whole}px`] : [];
return page.concat([...document.querySelectorAll('article *')].filter(e => {
  const box = e.getBoundingClientRect();
  if (box.width === 0) return false;
  const clips = getComputedStyle(e).overflowX !== 'visible';
  return box.right > width + 1 || (clips && e.scrollWidth > e.clientWidth + 1);
}).map(e => e.tagName + ': ' + e.textContent.slice(0, 60)));
"""


@dataclass(frozen=True)
class Printed:
    language: str
    change_id: str
    kind: str
    pages: list[str]
    """The text of each page, Unicode-normalised (the PDF's fonts map some ideographs to radicals)."""
    spaced: list[str]
    """The same with its spaces, each run of white space as one space."""
    cut_off: list[str]

    @property
    def number(self) -> str:
        return document_number("lnpdn", self.kind, self.change_id)


def normalised(text: str, space: str = "") -> str:
    """``text`` without spaces (or each run of them as ``space``), with the radicals pypdf reads for some
    ideographs of Chromium's CJK font folded back: Kangxi radicals by NFKC (⽹ → 网), and the two that fold
    elsewhere (⻚ → 页, ⼾ → 戶 → 户) by hand."""
    folded = unicodedata.normalize("NFKC", text).replace("\u2eda", "页").replace("戶", "户")
    return re.sub(r"\s+", space, folded)


@pytest.fixture(scope="module", params=["zh", "en"])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Printed]]:
    language: str = request.param
    folder = tmp_path_factory.mktemp(f"print-{language}")
    estate = site_copy(folder / "estate", language=language)
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    site = estate / "site"
    documents = sorted(p.parent.relative_to(site) for p in site.glob("changes/*/*/index.html")
                       if p.parent.name in KINDS)
    with served(site) as url, chromium(folder / "profile") as browser:
        yield [_print(browser, url, path, language, folder) for path in documents]


def _print(browser: Any, url: str, path: Path, language: str, folder: Path) -> Printed:
    change_id, kind = path.parts[1], path.parts[2]
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": CONTENT_PX, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    browser.get(f"{url}{path.as_posix()}/")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        cut_off = browser.execute_script(CUT_OFF)
        browser.save_screenshot(str(folder / f"{change_id}-{kind}.png"))
        pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    (folder / f"{change_id}-{kind}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4_PT[0]) < 2 and abs(float(page.mediabox.height) - A4_PT[1]) < 2
    texts = [page.extract_text() for page in reader.pages]
    return Printed(language, change_id, kind, [normalised(t) for t in texts], [normalised(t, " ") for t in texts],
                   cut_off)


def signature_words(language: str) -> tuple[str, ...]:
    L = labels_for(language)
    return L.provider_signature, L.customer_signature, L.date


def page_label(language: str, page: int, pages: int) -> str:
    return f"第{page}页/共{pages}页" if language == "zh" else f"Page{page}of{pages}"


def test_every_kind_of_document_is_printed(printed: list[Printed]) -> None:
    assert {doc.kind for doc in printed} == set(KINDS)
    notice = next(doc for doc in printed if doc.kind == "notice" and doc.change_id == PATCH)
    assert notice.number == "LNPDN-NT-20261208-CORE-SMU-SNMP"


def test_every_page_carries_the_customer_the_document_number_and_its_page_number(printed: list[Printed]) -> None:
    for doc in printed:
        customer = normalised(CUSTOMER[doc.language])
        for index, text in enumerate(doc.pages, start=1):
            where = f"{doc.change_id} {doc.kind} page {index}"
            # Chromium prints the page's margin boxes before its content: the header leads the page's text.
            assert text.startswith(customer + doc.number + page_label(doc.language, index, len(doc.pages))), where
            spaced = f"第 {index} 页 / 共 {len(doc.pages)} 页" if doc.language == "zh" else \
                f"Page {index} of {len(doc.pages)}"
            assert spaced in doc.spaced[index - 1], where
    numbers = [doc.number for doc in printed]
    assert len(set(numbers)) == len(numbers)


def test_a_document_takes_the_pages_it_needs_and_no_last_page_is_nearly_empty(printed: list[Printed]) -> None:
    for doc in printed:
        assert 1 <= len(doc.pages) <= MOST_PAGES[doc.kind], (doc.change_id, doc.kind, len(doc.pages))
        last = doc.pages[-1]
        for furniture in (normalised(CUSTOMER[doc.language]), doc.number,
                          page_label(doc.language, len(doc.pages), len(doc.pages)), *signature_words(doc.language)):
            last = last.replace(normalised(furniture), "")
        assert len(last) >= LAST_PAGE_TEXT, (doc.change_id, doc.kind, last)
        assert all(normalised(word) in doc.pages[-1] for word in signature_words(doc.language))


def test_nothing_is_wider_than_the_page(printed: list[Printed]) -> None:
    assert {(doc.change_id, doc.kind): doc.cut_off for doc in printed if doc.cut_off} == {}
