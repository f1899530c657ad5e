"""The change page as the approval form: who approved, who is still needed, the plan in words, and a banner
for anything irregular (a run outside its window, a clock override, a stale or overdue approval)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from demo_keys import demo_key
from site_browser import chromium, needs_chromium, served
from site_estate import PATCH, build_site, page, site_copy

pytestmark = pytest.mark.integration
UPGRADE = "CHG-20261210-dl-edge-upgrade"
EARLY_RUN = "20261209T160000Z-e7f8a9"
EARLY_SUMMARY = f"""\
run: {EARLY_RUN}
change: {UPGRADE}
started: 2026-12-09T16:00:00Z
finished: 2026-12-09T16:40:00Z
result: completed
clock:
  judged_at: 2026-12-09T17:30:00Z
  real_time: 2026-12-09T16:00:00Z
  reason: lab rehearsal
"""


def visible(html: str, start: str, end: str) -> str:
    """The text between the headings with anchors ``start`` and ``end``, tags stripped, whitespace folded."""
    part = html[html.find(f'id="{start}"'):html.find(f'id="{end}"')]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", part)))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo a day after the upgrade's window: the upgrade ran early under a clock override, approved only
    by one of its own engineers; the patch's record was edited after both its approvals."""
    pytest.importorskip("changeops.approvals", reason="needs the approvals package")
    from changeops.cli import main

    estate = site_copy(tmp_path_factory.mktemp("form") / "estate", today="2026-12-11")
    assert main(["approve", UPGRADE, "--key", str(demo_key("sunlei")), "--repo", str(estate)]) == 0
    run = estate / "changes" / UPGRADE / "runs" / EARLY_RUN
    run.mkdir(parents=True)
    (run / "summary.yaml").write_text(EARLY_SUMMARY, encoding="utf-8")
    record = estate / "changes" / PATCH / "change.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("min_free_mb: 200", "min_free_mb: 250"),
                      encoding="utf-8")
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    return estate / "site"


def test_approvals_name_who_is_still_needed_and_how_to_approve(site: Path) -> None:
    text = visible(page(site, f"changes/{UPGRADE}/index.md"), "approvals", "runs")
    assert "批准条件尚未满足" in text
    # The requester (王建国) and the engineers (孙磊, 李海涛) may not approve their own change.
    assert "客户 0 / 1 陈静 (Chen Jing); 刘洋 (Liu Yang)" in text
    assert "维护方 0 / 1 approvers.yml 中没有可批准的人" in text
    assert f"changeops approve {UPGRADE} --key" in text
    assert "孙磊 (Sun Lei) 维护方 批准 不得批准本人参与的变更" in text


def test_irregular_runs_and_approvals_are_flagged_at_the_top(site: Path) -> None:
    html = page(site, f"changes/{UPGRADE}/index.md")
    banner = visible(html, UPGRADE.lower(), "summary")
    assert "需要注意" in banner
    assert f"执行 {EARLY_RUN} 不在维护窗口内：2026-12-10 00:00 – 2026-12-10 00:40" in banner
    assert f"执行 {EARLY_RUN} 按 2026-12-10 01:30 而非实际时间 2026-12-10 00:00 判断" in banner
    assert "客户批准逾期：2026-12-10 01:00 前应有客户批准" in banner
    patch = visible(page(site, f"changes/{PATCH}/index.md"), PATCH.lower(), "summary")
    assert "已失效：刘洋 (Liu Yang); 孙磊 (Sun Lei)" in patch


def test_an_orderly_change_has_no_banner(site: Path) -> None:
    html = page(site, "changes/CHG-20261215-core-failover-drill/index.md")
    assert "co-warnings" not in html


def test_risk_and_steps_read_as_words_and_tables(site: Path) -> None:
    html = page(site, f"changes/{UPGRADE}/index.md")
    summary = visible(html, "summary", "targets")
    assert "风险 高 " in summary and "high" not in summary
    steps = visible(html, "steps", "rollback")
    assert "ping_targets 10.20.1.1" in steps and "{" not in steps  # variables as rows, not JSON
    assert "目的" in steps


@needs_chromium
def test_the_approver_sees_the_banner_and_who_is_needed_in_chromium(site: Path, tmp_path: Path) -> None:
    pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
    from selenium.webdriver.common.by import By

    with served(site) as url, chromium(tmp_path / "profile") as browser:
        for width in (1280, 390):
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 400})
            browser.get(f"{url}changes/{UPGRADE}/")
            banner = browser.find_element(By.CSS_SELECTOR, "article .co-warnings")
            assert banner.is_displayed() and banner.location["y"] < 900  # on the first screen
            assert "不在维护窗口内" in banner.text and "客户批准逾期" in banner.text
            needed = browser.find_element(By.CSS_SELECTOR, "table.co-needed")
            assert "陈静 (Chen Jing); 刘洋 (Liu Yang)" in needed.text
            assert browser.execute_script("return document.documentElement.scrollWidth") <= width
            browser.save_screenshot(str(tmp_path / f"approval-form-{width}.png"))
