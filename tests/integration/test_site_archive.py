"""The demo's device archive on the built site: configuration, its last difference, captures, parts, drift."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from changeops.estate.archive import NewCapture, store_capture
from changeops.estate.layout import Estate
from site_estate import REPO, build_site, page, site_copy

pytestmark = pytest.mark.integration
DRIFTED, EDGE, HOSTILE = "sy-dc1-dist-sw1", "dl-pop1-edge-r1", "sy-dc2-acc-sw1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    estate = site_copy(tmp_path_factory.mktemp("site") / "estate")
    shutil.copytree(REPO / "archive", estate / "archive")
    store_capture(Estate(estate), NewCapture(HOSTILE, "hostname x\n interface Gi0\n description </code><script>cfg()"
                                             "</script>\n", datetime(2026, 11, 26, tzinfo=UTC), "import",
                                             note="<img src=x onerror=alert(1)> read by hand"))
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    return estate / "site"


def text_of(html: str) -> str:
    article = html[html.find("<article"):html.find("</article>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", article)))


def test_the_drifted_device_shows_the_drift_with_its_difference(site: Path) -> None:
    html = page(site, f"devices/{DRIFTED}.md")
    text = text_of(html)
    assert "配置漂移" in text and "2026-11-25T02:00:00Z (import, November inspection" in text
    assert '<span class="co-diff-line co-diff-add">+logging host 10.20.250.11</span>' in html
    assert "未发现无变更记录的配置变化" not in text
    assert "未发现无变更记录的配置变化" in text_of(page(site, f"devices/{EDGE}.md")), "the emergency explains its route"


def test_a_device_page_shows_its_configuration_captures_and_part_serials(site: Path) -> None:
    html = page(site, f"devices/{EDGE}.md")
    text = text_of(html)
    assert "当前配置" in text and "hostname dl-pop1-edge-r1" in text
    assert re.search(r"enable secret 9 \*{8}", text), "masked, as archived"
    assert "+ip route 10.20.0.0 255.255.0.0 10.20.0.6 250 name SY-BYPASS-VIA-DCI" in text, "the last difference"
    assert text.count("CHG-20261120-dl-edge-route-fix") >= 2 and "变更前（备份）" in text and "变更后" in text
    assert 'href="../../changes/CHG-20261120-dl-edge-route-fix/"' in html
    assert "FDO2212A0XK" in text and "Power Supply Module 0" in text
    link = re.search(r'href="(\.\./\.\./archive/dl-pop1-edge-r1/configs/[0-9TZ]+\.cfg)"', html)
    assert link, "the configuration is a download"
    download = (site / "devices" / EDGE / link.group(1)).resolve()
    assert "hostname dl-pop1-edge-r1" in download.read_text(encoding="utf-8")


def test_the_monthly_summary_lists_the_month_s_drift(site: Path) -> None:
    november = text_of(page(site, "summaries/2026-11.md"))
    assert "配置漂移" in november and DRIFTED in november and "+ logging host 10.20.250.11" in november
    assert DRIFTED not in text_of(page(site, "summaries/2026-12.md"))


def test_configuration_text_and_a_capture_note_are_shown_as_text(site: Path) -> None:
    html = page(site, f"devices/{HOSTILE}.md")
    assert "<script>cfg()" not in html and "<img src=x" not in html
    assert "description &lt;/code&gt;&lt;script&gt;cfg()&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; read by hand" in html
