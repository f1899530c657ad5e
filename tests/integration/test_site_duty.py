"""Who to call, on the built site: the home page, the freeze's roster in the calendar and the emergency plans show
the duty engineer on duty at the site's "now" (the plugin's ``today``, 00:00 UTC) with their phones."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import icalendar
import pytest
from site_estate import build_site, page, site_copy

pytestmark = pytest.mark.integration
TODAY = "2027-01-18"
"""A Monday: the site's now, 00:00 UTC, is 08:00 in Shenyang, an hour before the weekly handover; it is also the
first day of the Provincial Two Sessions assurance period."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    estate = site_copy(tmp_path_factory.mktemp("duty") / "estate", today=TODAY)
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    return estate / "site"


def text_of(html: str) -> str:
    article = html[html.find("<article"):html.find("</article>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", article)))


def rows_of(html: str) -> list[list[str]]:
    """The article's table rows as lists of cell texts."""
    article = html[html.find("<article"):html.find("</article>")]
    return [[re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", cell))).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", article, re.S)]


def call_rows(html: str) -> list[list[str]]:
    return [row for row in rows_of(html) if len(row) == 4]


def test_home_page_shows_who_to_call_as_of_the_build(site: Path) -> None:
    html = page(site, "index.md")
    text = text_of(html)
    assert "以下为截至 2027-01-18 08:00（Asia/Shanghai，本站生成时）的值班安排。" in text
    rows = call_rows(html)
    # Before the 09:00 handover the past week's engineer is on duty; the next one is named with the handover.
    assert ["值班电话（服务台）", "", "024 2251 8800", "7×24 小时"] in rows
    assert ["值班工程师", "赵敏 (Zhao Min)", "139 4001 2231", "至 2027-01-18 09:00"] in rows
    assert ["备岗工程师", "王鹏 (Wang Peng)", "138 4002 7716", "至 2027-01-18 09:00"] in rows
    assert ["下一班值班工程师", "王鹏 (Wang Peng)", "138 4002 7716", "自 2027-01-18 09:00"] in rows
    # The assurance period's roster and the customer's duty contact.
    assert ["远程值守", "李海涛 (Li Haitao)", "186 2403 5580", "Provincial Two Sessions"] in rows
    assert ["客户值班联系人", "周涛 (Zhou Tao)", "139 0988 4417", "Provincial Two Sessions"] in rows


def test_home_page_shows_the_escalation_chain_with_minutes_per_fault_level(site: Path) -> None:
    rows = rows_of(page(site, "index.md"))
    assert ["级别", "人员", "联系电话", "特大", "重大", "严重", "一般"] in rows
    assert ["1 值班工程师", "赵敏 (Zhao Min)", "139 4001 2231", "立即", "立即", "立即", "立即"] in rows
    assert ["2 技术负责人", "李海涛 (Li Haitao)", "186 2403 5580", "15", "30", "60", "240"] in rows
    assert ["3 项目经理", "孙磊 (Sun Lei)", "135 0403 9912", "30", "60", "120", "480"] in rows


def test_a_freeze_in_the_calendar_shows_its_roster(site: Path) -> None:
    html = page(site, "calendar/2027-01.md")
    assert "值班工程师名单: Provincial Two Sessions (2027-01-18 – 2027-01-24)" in text_of(html)
    assert ["2027-01-18 – 2027-01-24", "赵敏 (Zhao Min) 139 4001 2231; 王鹏 (Wang Peng) 138 4002 7716",
            "李海涛 (Li Haitao) 186 2403 5580", "周涛 (Zhou Tao) 139 0988 4417",
            "会期每日 07:30 到达省数据网络中心机房"] in rows_of(html)
    february = rows_of(page(site, "calendar/2027-02.md"))
    assert ["2027-02-07 – 2027-02-11", "赵敏 (Zhao Min) 139 4001 2231", "王鹏 (Wang Peng) 138 4002 7716",
            "陈静 (Chen Jing) 024 2251 3300", ""] in february


@pytest.mark.parametrize("plan", ["core-router-failure", "syslog-server-recovery"])
def test_every_emergency_plan_opens_with_who_to_call(site: Path, plan: str) -> None:
    html = page(site, f"runbooks/{plan}.md")
    text = text_of(html)
    assert text.index("值班联系") < text.index("恢复步骤")  # before the recovery steps
    rows = call_rows(html)
    assert ["值班工程师", "赵敏 (Zhao Min)", "139 4001 2231", "至 2027-01-18 09:00"] in rows
    assert ["2 技术负责人", "李海涛 (Li Haitao)", "186 2403 5580", "15", "30", "60", "240"] in rows_of(html)
    assert "see the on-call roster" not in text


def test_a_runbook_that_is_not_an_emergency_plan_has_no_duty_block(site: Path) -> None:
    assert "值班联系" not in text_of(page(site, "runbooks/device-move.md"))


def test_the_feed_carries_the_duty_shifts(site: Path) -> None:
    events = icalendar.Calendar.from_ical((site / "calendar/changeops.ics").read_bytes()).walk("VEVENT")
    duty = [e for e in events if "duty" in e.get("categories").to_ical().decode()]
    rotation = sorted(str(e["summary"]) for e in duty if "rrule" in e)
    assert rotation == ["[值班] 王鹏 (Wang Peng)", "[值班] 赵敏 (Zhao Min)"]
    [sessions] = [e for e in duty if "Provincial Two Sessions" in str(e["summary"])]
    assert "客户值班联系人: 周涛 (Zhou Tao) 139 0988 4417" in str(sessions["description"])
