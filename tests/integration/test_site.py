"""`mkdocs build --strict` of the demo estate with the changeops plugin, and what its pages say."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from site_estate import APPROVERS, BROKEN, DRILL, PATCH, PATCH_RUN, SECRET, build_site, page, site_copy

pytestmark = pytest.mark.integration
NOTICE_ZH = ["补丁内容", "加载原因", "安全公告", "测试结果", "实施时间", "实施步骤", "需客户准备事项",
             "影响", "回退计划", "维护方签字", "客户签字"]
NOTICE_EN = ["What the patch does", "Why it is needed", "Advisories", "Lab test results", "Schedule", "Steps",
             "What the customer must prepare", "Impact", "Rollback plan", "For the service provider",
             "For the customer"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    estate = site_copy(tmp_path_factory.mktemp("site") / "estate", runbook_reviewed="2025-06-30")
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    return estate / "site"


def text_of(html: str) -> str:
    """What a reader sees of the page's article: tags stripped, whitespace folded."""
    article = html[html.find("<article"):html.find("</article>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", article)))


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|¶", "", unescape(h)).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]


def test_change_page_shows_plan_approvals_and_run_with_transcript(site: Path) -> None:
    html = page(site, f"changes/{PATCH}/index.md")
    text = text_of(html)
    assert headings(html)[:3] == ["概要", "变更对象", "维护窗口"]
    assert {"客户批准", "执行记录", "实施步骤", "回退计划"} <= set(headings(html))
    assert "2026-12-08 00:30 – 2026-12-08 04:30 (Asia/Shanghai)" in text
    assert f"执行 {PATCH_RUN}" in text and "已完成" in text
    assert "install add file bootflash:asr1000-universalk9" in text  # the transcript, readable on the page
    assert 'href="../../devices/sy-dc1-core-r1/"' in html
    download = site / f"changes/{PATCH}/runs/{PATCH_RUN}/hosts/sy-dc1-core-r1.log"
    assert "SUCCESS: install_add_activate_commit" in download.read_text(encoding="utf-8")
    assert f'href="runs/{PATCH_RUN}/hosts/sy-dc1-core-r1.log"' in html


def test_published_backups_and_transcripts_are_masked(site: Path) -> None:
    run = site / f"changes/{PATCH}/runs/{PATCH_RUN}"
    backup = (run / "backups/sy-dc1-core-r1.cfg").read_text(encoding="utf-8")
    assert "hostname sy-dc1-core-r1" in backup and "enable secret 9 ******" in backup
    for path in [*run.rglob("*"), site / f"changes/{PATCH}/index.html"]:
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


def test_approvals_section_states_the_plan_digest_or_why_not(site: Path) -> None:
    html = page(site, f"changes/{PATCH}/index.md")
    section = html[html.find('id="approvals"'):html.find('id="runs"')]
    upgrade = page(site, "changes/CHG-20261210-dl-edge-upgrade/index.md")
    if "审批模块" in section:  # built without changeops.approvals
        return
    assert "批准条件已满足" in section and re.search(r"sha256:[0-9a-f]{64}", section)
    rows = [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", section)]
    shown = {"liuyang": "刘洋 (Liu Yang)", "sunlei": "孙磊 (Sun Lei)"}  # display names, in the customer's language
    roles = {"liuyang": "客户", "sunlei": "维护方"}
    assert all(any(row.startswith(f"{shown[a]} {roles[a]} 批准 有效") for row in rows) for a in APPROVERS), rows
    assert "co-state--scheduled" in upgrade and "co-state--approved" not in upgrade  # no approvals of its own
    assert "尚无批准记录" in text_of(upgrade)
    record = text_of(page(site, f"changes/{PATCH}/maintenance-record.md"))
    assert all(shown[approver] in record for approver in APPROVERS)


def test_calendar_shows_freezes_with_reasons_windows_and_changes(site: Path) -> None:
    january = text_of(page(site, "calendar/2027-01.md"))
    assert "Provincial Two Sessions" in january and "辽宁省两会重要通信保障期" in january
    assert "2027-01-18" in january and "2027-01-24" in january
    december = page(site, "calendar/2026-12.md")
    assert "lnpdn night window" in december
    assert f'href="../../changes/{PATCH}/"' in december and "co-state--completed" in december
    feed = (site / "calendar/changeops.ics").read_text(encoding="utf-8")
    assert feed.startswith("BEGIN:VCALENDAR") and "Provincial Two Sessions" in feed and PATCH in feed


def test_patch_notice_has_every_section_in_chinese(site: Path) -> None:
    html = page(site, f"changes/{PATCH}/notice.md")
    assert headings(html) == NOTICE_ZH[:9]
    text = text_of(html)
    assert all(word in text for word in NOTICE_ZH[9:])
    assert "CVE-2026-20177" in text and "请值班室在窗口期间安排人员值守" in text
    assert "尊敬的王建国：" in text and "致 辽宁省数据网络中心 · 王建国" in text  # the letter, to the customer


def test_patch_notice_in_english_for_an_english_customer(tmp_path: Path) -> None:
    estate = site_copy(tmp_path / "estate", language="en")
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    html = page(estate / "site", f"changes/{PATCH}/notice.md")
    assert headings(html) == NOTICE_EN[:9]
    text = text_of(html)
    assert all(word in text for word in NOTICE_EN[9:])
    assert "Keep the duty office staffed" in text and "Dear Wang Jianguo," in text
    home = text_of(page(estate / "site", "index.md"))
    assert "Changes in the next 14 days" in home and "This site is built from the changeops repository" in home


def test_device_page_lists_the_changes_touching_it(site: Path) -> None:
    text = text_of(page(site, "devices/sy-dc1-core-r1.md"))
    assert "ASR1002-HX" in text and "FXS2231Q1AB" in text and "3F-M301 / A05 / U38" in text
    assert PATCH in text and DRILL in text and "CHG-20261210-dl-edge-upgrade" not in text
    assert "+ asr1000-universalk9.17.09.04a.CSCwk63254.SPA.smu.bin" in text  # history from the completed run
    edge = text_of(page(site, "devices/dl-pop1-edge-r1.md"))
    assert "CHG-20261210-dl-edge-upgrade" in edge and "CHG-20261120-dl-edge-route-fix" in edge


def test_an_invalid_record_is_listed_not_fatal(site: Path) -> None:
    text = text_of(page(site, "changes/index.md"))
    assert "无法读取的变更记录 (1)" in text and f"changes/{BROKEN}/change.yaml" in text
    assert not (site / f"changes/{BROKEN}").exists()


def test_documents_fault_report_drill_report_and_maintenance_record(site: Path) -> None:
    fault = text_of(page(site, "changes/CHG-20261120-dl-edge-route-fix/fault-report.md"))
    for word in ("故障宣布时间", "故障发现时间", "业务恢复时间", "故障排除时间", "故障现象", "业务影响", "故障处理流程",
                 "故障原因分析", "故障处理方案", "故障预防维护建议", "2026-11-20 02:10", "严重", "孙磊"):
        assert word in fault
    drill = text_of(page(site, f"changes/{DRILL}/drill-report.md"))
    assert "演练报告尚未编写" in drill and "恢复时间目标 (RTO)" not in drill  # written after the drill
    done = text_of(page(site, "changes/CHG-20261105-core-r2-failover-drill/drill-report.md"))
    assert "恢复时间目标 (RTO) 30 分钟 2.5 分钟 达成" in done
    record = text_of(page(site, f"changes/{PATCH}/maintenance-record.md"))
    assert "遇到的问题及解决办法" in record and "未遇到问题" in record and "客户签字" in record


def test_runbook_header_review_warning_and_playbook_pages(site: Path) -> None:
    html = page(site, "runbooks/device-move.md")
    assert "admonition warning" in html and "评审已过期" in html and "2025-06-30" in html
    plan = text_of(page(site, "runbooks/core-router-failure.md"))
    assert "Wang Lei (王磊), network operations lead" in plan and "30 分钟" in plan and "评审已过期" not in plan
    assert 'href="../../playbooks/precheck/"' in page(site, "runbooks/ios-xe-patching.md")
    playbook = page(site, "playbooks/precheck.md")
    assert 'class="language-yaml highlight"' in playbook or "highlight" in playbook


def test_home_summary_and_navigation(site: Path) -> None:
    home = page(site, "index.md")
    text = text_of(home)
    assert PATCH in text and "CHG-20261210-dl-edge-upgrade" in text  # the next 14 days from 2026-12-01
    assert PATCH_RUN in text and "Provincial Two Sessions" in text
    assert "核心路由器故障应急恢复预案（沈阳一号数据中心）" in text
    assert "本站点由辽宁省数据网络中心的 changeops 仓库生成" in text and "This site is built" not in text
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', home)
    assert {"首页", "变更记录", "变更日历", "设备档案", "阶段性服务总结"} <= set(nav)
    assert not any(n.startswith("CHG-") for n in nav)
    summary = text_of(page(site, "summaries/2026-12.md"))
    assert "成功率 100.0 % (2 / 2)" in summary and "1.6 分钟 达成" in summary


def test_every_local_link_resolves(site: Path) -> None:
    broken = []
    for path in (p for p in site.rglob("*.html") if p.name != "404.html"):  # 404 links from the site root
        for target in re.findall(r'(?:href|src)="([^"#?]+)', path.read_text(encoding="utf-8")):
            if urlsplit(target).scheme or target.startswith(("//", "mailto:")):
                continue
            resolved = (path.parent / unquote(target)).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append(f"{path.relative_to(site)} -> {target}")
    assert broken == []


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_mkdocs_serve_rebuilds_when_a_record_changes(tmp_path: Path) -> None:
    estate = site_copy(tmp_path / "estate")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/changes/CHG-20261210-dl-edge-upgrade/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=estate, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: "系统升级至 17.12.04" in fetch(url)), "the site was not served"
        record = estate / "changes/CHG-20261210-dl-edge-upgrade/change.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace("系统升级至 17.12.04", "升级（改期）"),
                          encoding="utf-8")
        assert wait_for(lambda: "升级（改期）" in fetch(url)), "the page was not rebuilt after the record changed"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_search_index_holds_changes_devices_and_documents_with_chinese_cut_into_words(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh", "en"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    change = f"changes/{PATCH}/"
    assert PATCH in docs[change]["title"]
    plain = {location: doc["text"].replace("\u200b", "") for location, doc in docs.items()}
    assert "辽宁省数据网络中心" in plain[change + "#summary"]  # the customer
    assert "sy-dc1-core-r1" in plain[change + "#targets"]
    assert "devices/sy-dc1-core-r1/" in docs and f"changes/{PATCH}/notice/" in docs
    assert "\u200b路由器\u200b" in docs[change]["title"]  # jieba's words, which the browser's query is cut along
    assert not any("install_add_activate_commit" in doc["text"] for doc in index["docs"])  # no transcripts


def test_search_indexes_the_head_of_a_generated_page_and_the_page_keeps_the_rest(site: Path) -> None:
    """The search parses only what sits above the page's `unindexed` mark; the reader gets the whole page."""
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    change, notice = f"changes/{PATCH}/", f"changes/{PATCH}/notice/"
    assert {change + "#summary", change + "#targets", change + "#window"} <= set(docs)
    assert not {change + "#steps", change + "#rollback", change + "#approvals", change + "#runs"} & set(docs)
    assert sorted(location for location in docs if location.startswith(notice)) == [notice, notice + "#document"]
    indexed = "".join(doc["text"] for location, doc in docs.items() if location.startswith(change))
    notice_indexed = "".join(doc["title"] + doc["text"] for location, doc in docs.items()
                             if location.startswith(notice)).replace("\u200b", "")
    assert "LNPDN-NT-20261208-CORE-SMU-SNMP" in notice_indexed and "sy-dc1-core-r1" in notice_indexed  # the head
    html = page(site, f"changes/{PATCH}/index.md")
    assert headings(html)[:3] == ["概要", "变更对象", "维护窗口"]
    assert html.index('id="summary"') < html.index('id="steps"') < html.index('id="approvals"') < html.index(
        'id="runs"')
    assert "install add file bootflash:asr1000-universalk9" in text_of(html)  # the transcript, on the page only
    assert "install add file" not in indexed
    notice_html = page(site, f"changes/{PATCH}/notice/index.md")
    assert all(word in text_of(notice_html) for word in NOTICE_ZH)  # every section of the letter is on the page
    assert not [word for word in NOTICE_ZH if word in notice_indexed]  # and none is in the index
    toc = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', html)
    assert toc[:8] == ["summary", "targets", "window", "patch", "steps", "rollback", "approvals", "runs"]  # all of it


def feed_events(site: Path) -> list[dict[str, Any]]:
    """The feed's events as icalendar and vobject both read them: uid, summary, description, start, rule."""
    import icalendar
    import vobject

    raw = (site / "calendar/changeops.ics").read_bytes()
    by_vobject = {e.uid.value: e for e in vobject.readOne(raw.decode("utf-8")).contents["vevent"]}
    events = []
    for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
        uid = str(event["uid"])
        assert by_vobject[uid].summary.value == str(event["summary"])
        events.append({"uid": uid, "summary": str(event["summary"]), "description": str(event["description"]),
                       "start": event.decoded("dtstart"), "rrule": event.get("rrule"), "vobject": by_vobject[uid]})
    assert len(by_vobject) == len(events)
    return events


def test_feed_has_one_event_per_change_with_what_an_approver_needs(site: Path) -> None:
    events = feed_events(site)
    changes = [e for e in events if e["uid"].startswith("CHG-")]
    assert len(changes) == len({e["uid"] for e in changes}) == 7  # the valid records of the demo estate
    patch = next(e for e in changes if e["uid"] == f"{PATCH}@changeops")
    assert patch["summary"].startswith(f"[已完成] {PATCH} ")
    lines = patch["description"].splitlines()
    assert lines[1] == "变更对象: sy-dc1-core-r1, sy-dc1-core-r2"
    assert lines[2].startswith("风险: 中 — ") and lines[5] == "状态: 已完成"
    assert lines[-1] == f"变更页面: /changes/{PATCH}/"
    assert patch["start"] == datetime(2026, 12, 7, 16, 30, tzinfo=UTC)


def test_feed_writes_weekly_windows_as_recurring_events(site: Path) -> None:
    events = feed_events(site)
    windows = [e for e in events if "维护窗口" in e["summary"]]
    assert len(windows) == 3  # two weekly slots and the year-end one-off window, not an event per occurrence
    night = next(e for e in windows if "lnpdn night window" in e["summary"])
    assert night["rrule"]["FREQ"] == ["WEEKLY"] and sorted(night["rrule"]["BYDAY"]) == ["TH", "TU"]
    shanghai = ZoneInfo("Asia/Shanghai")
    december = [start for start in night["vobject"].getrruleset()
                if datetime(2026, 12, 1, tzinfo=shanghai) <= start < datetime(2027, 1, 1, tzinfo=shanghai)]
    assert [s.astimezone(shanghai).strftime("%a %d %H:%M") for s in december[:3]] == [
        "Tue 01 00:00", "Thu 03 00:00", "Tue 08 00:00"]
    assert len(december) == 10  # every Tuesday and Thursday of December 2026
    assert any(e["summary"] == "[重要通信保障期] Provincial Two Sessions" for e in events)


def test_emergency_plan_opens_on_its_recovery_steps_in_chinese(site: Path) -> None:
    html = page(site, "runbooks/core-router-failure.md")
    title = re.search(r"<h1[^>]*>(.*?)<", html)
    assert title is not None
    assert title.group(1) == "核心路由器故障应急恢复预案（沈阳一号数据中心）"
    assert headings(html)[:3] == ["恢复步骤", "1. 目的与范围", "2. 恢复目标"]
    text = text_of(html)
    assert text.find("T0 + 5 分钟 — 确认并宣布故障") < text.find("类别 应急恢复预案") < text.find("两台路由器互为冗余")
    assert "Recovery steps" not in text and "Purpose and scope" not in text  # the English body is for English readers
    assert "值班人员见值班表。" in text and "show logging onboard" in text  # commands stay as they are typed
    ordinary = page(site, "runbooks/device-move.md")
    assert headings(ordinary)[0] == "1. 规划 (Plan the move)" and "类别 操作手册 " in text_of(ordinary)


def test_an_english_customer_reads_the_emergency_plans_in_english(tmp_path: Path) -> None:
    estate = site_copy(tmp_path / "estate", language="en")
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    html = page(estate / "site", "runbooks/core-router-failure.md")
    assert headings(html)[:3] == ["Recovery steps (恢复步骤)", "1. Purpose and scope (目的与范围)",
                                  "2. Recovery objectives (恢复目标)"]
    text = text_of(html)
    assert "T0 + 5 min — confirm and declare." in text and "T0 + 5 分钟" not in text
    assert "The Shenyang DC1 (Hunnan) core router pair" in text  # the scope in English too
    syslog = text_of(page(estate / "site", "runbooks/syslog-server-recovery.md"))
    assert "point the devices at the temporary collector" in syslog
    assert "确认。" not in syslog


def test_runbook_index_lists_emergency_plans_apart_from_runbooks(site: Path) -> None:
    html = page(site, "runbooks/index.md")
    assert headings(html)[:3] == ["应急恢复预案", "操作手册", "剧本"]
    plans = html[html.find('id="emergency-plans"'):html.find('id="runbooks"')]
    runbooks = html[html.find('id="runbooks"'):html.find('id="playbooks"')]
    assert "核心路由器故障应急恢复预案" in plans and "30 分钟" in plans and "设备移动" not in plans
    assert "设备移动" in runbooks and "应急恢复预案" not in runbooks


def test_device_page_links_the_plans_and_drills_that_cover_it(site: Path) -> None:
    html = page(site, "devices/sy-dc1-core-r1.md")
    plans = html[html.find('id="plans"'):html.find('id="changes"')]
    assert 'href="../../runbooks/core-router-failure/"' in plans
    assert f'href="../../changes/{DRILL}/"' in plans and "日志服务器" not in plans
    assert 'href="../../runbooks/syslog-server-recovery/"' in page(site, "devices/sy-dc1-syslog1.md")
    assert "没有提及本设备的应急恢复预案" in page(site, "devices/dl-pop1-edge-r1.md")


def test_key_value_tables_have_no_empty_header_row(site: Path) -> None:
    empty_head = re.compile(r"<thead>\s*<tr>(\s*<th[^>]*>\s*</th>)+\s*</tr>\s*</thead>")
    for src in ("runbooks/core-router-failure.md", "runbooks/device-move.md", "devices/sy-dc1-core-r1.md",
                f"changes/{PATCH}/index.md"):
        html = page(site, src)
        assert not empty_head.search(html), src
    plan = text_of(page(site, "runbooks/core-router-failure.md"))
    assert "类别 应急恢复预案" in plan  # the table's rows are still there
