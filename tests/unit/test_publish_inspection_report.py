"""The inspection report (巡检报告) rendered from the demo inspection with a stored result: the items a customer
reads in Chinese and English, follow-up changes linked to their anomaly, and typed text escaped."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from changeops.publish.inspection_report import inspection_report_pages, inspections_index
from changeops.publish.snapshot import take_snapshot
from changeops.records.inspection_result import (
    Anomaly,
    Comparison,
    Delta,
    InspectionResult,
    Measured,
    Part,
    Unit,
    result_data,
)
from support.estate import copy_record, edit_file, write_yaml

DEMO = "CHG-20261224-monthly-inspection"
HOST = "sy-dc1-core-r1"
HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(2))"


def _result() -> InspectionResult:
    fan = Anomaly(host=HOST, check="fans", subject="P2", severity="critical", measured="fail",
                  threshold="ok/good/normal", zh="风扇 P2 状态异常：fail", en="fan P2 is fail")
    cpu = Anomaly(host="sy-dc1-core-r2", check="cpu", severity="warning", measured="75%", threshold="70%/90%",
                  zh="CPU 5 分钟平均利用率 75%，偏高", en="5-minute CPU load is 75%, too high")
    return InspectionResult(
        change=DEMO, period="2026-12", inspected=datetime(2026, 12, 23, 17, 30, tzinfo=UTC),
        devices=(Measured(host=HOST, version="17.09.04a", hardware="ASR1002-HX",
                          parts=(Part(name="Chassis", pid="ASR1002-HX", serial="FXS2231Q1AB"),),
                          fans=(Unit(name="P2", status="fail"),)),
                 Measured(host="sy-dc1-core-r2", version="17.09.04a", cpu_5min_percent=75)),
        not_inspected=("sy-dc1-fw2",), anomalies=(fan, cpu),
        comparison=Comparison(previous="CHG-20261124-monthly-inspection", new=(f"{HOST}/fans/P2",),
                              resolved=("sy-dc1-core-r2/power/P1",), persisting=("sy-dc1-core-r2/cpu",),
                              deltas=(Delta(host=HOST, counter="crc", subject="Te0/1/1", previous=5, now=9),)))


@pytest.fixture
def pages(estate_root: Path) -> dict[str, str]:
    run = estate_root / "changes" / DEMO / "runs" / "20261223T160000Z-abc123"
    run.mkdir(parents=True)
    write_yaml(run / "inspection.yaml", result_data(_result()))
    write_yaml(run / "summary.yaml", {"run": run.name, "change": DEMO, "result": "completed",
                                      "started": "2026-12-23T16:00:00Z", "finished": "2026-12-23T17:40:00Z"})
    edit_file(estate_root / "changes" / DEMO / "change.yaml",
              **{"inspection.open_problems": [{"text": HOSTILE, "raised": "2026-11-30"}]})
    copy_record(estate_root, "CHG-20261208-core-smu-snmp", "CHG-20261229-core-fan-replace",
                {"requested_via": f"巡检异常 {DEMO}/{HOST}/fans", "window.start": "2026-12-29T01:00:00+08:00",
                 "window.end": "2026-12-29T03:00:00+08:00"})
    snap = take_snapshot(estate_root, date(2026, 12, 25))
    pages = [*inspection_report_pages(snap, directory_urls=True), inspections_index(snap, directory_urls=True)]
    return {page.src_uri: page.content for page in pages}


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_report_per_language(pages: dict[str, str]) -> None:
    assert set(pages) == {f"changes/{DEMO}/inspection-report.zh.md", f"changes/{DEMO}/inspection-report.en.md",
                          "inspections/index.md"}


def test_the_index_lists_each_customers_inspections_with_device_counts(pages: dict[str, str]) -> None:
    html = pages["inspections/index.md"]
    # period, ID, state, then devices ok / warning / critical / not inspected
    assert "辽宁省数据网络中心" in text_of(html) and f"2026-12 {DEMO} 已完成 0 1 1 1" in text_of(html)
    assert f'href="../changes/{DEMO}/inspection-report.zh/"' in html
    assert f'href="../changes/{DEMO}/inspection-report.en/"' in html


def test_the_chinese_report_has_every_section_in_chinese(pages: dict[str, str]) -> None:
    zh = text_of(pages[f"changes/{DEMO}/inspection-report.zh.md"])
    for item in ("巡检报告", "辽宁省数据网络中心", "巡检周期 2026-12", "巡检时间 2026-12-24 01:30", "赵敏",
                 "设备状态", "sy-dc1-core-r1 ASR1002-HX 17.09.04a 严重 1", "sy-dc1-core-r2 17.09.04a 警告 1",
                 "sy-dc1-fw2 未巡检", "风扇 严重 fail ok/good/normal 风扇 P2 状态异常：fail",
                 "与上次巡检对比", "新增异常 sy-dc1-core-r1 风扇 P2", "已消除异常 sy-dc1-core-r2 电源 P1",
                 "持续存在的异常 sy-dc1-core-r2 CPU 利用率", "计数器 上次 本次", "CRC 错误 Te0/1/1 5 9",
                 "部件序列号汇总",
                 "Chassis ASR1002-HX FXS2231Q1AB", "优化建议", "建议为核心路由器启用 BFD", "上次维护以来的遗留问题"):
        assert item in zh, item
    for raw in ("critical", "warning", "not-inspected", "fans", "None"):
        assert raw not in zh, f"{raw} is an untranslated value"


def test_the_english_report_uses_the_english_wording(pages: dict[str, str]) -> None:
    en = text_of(pages[f"changes/{DEMO}/inspection-report.en.md"])
    for item in ("Inspection report", "Liaoning Provincial Data Network", "Period 2026-12", "fan P2 is fail",
                 "critical", "not inspected", "Enable BFD on the core routers", "CRC errors Te0/1/1 5 9"):
        assert item in en, item
    assert "风扇" not in en


def test_a_change_naming_the_anomaly_is_its_follow_up(pages: dict[str, str]) -> None:
    html = pages[f"changes/{DEMO}/inspection-report.zh.md"]
    row = next(line for line in html.splitlines() if "风扇 P2 状态异常" in line)
    assert "CHG-20261229-core-fan-replace" in row and 'href="../../CHG-20261229-core-fan-replace/"' in row
    other = next(line for line in html.splitlines() if "CPU 5 分钟平均利用率" in line)
    assert "CHG-20261229-core-fan-replace" not in other


def test_typed_text_is_escaped(pages: dict[str, str]) -> None:
    html = pages[f"changes/{DEMO}/inspection-report.en.md"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and "<strong>" not in html
