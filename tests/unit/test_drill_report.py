"""The drill report file (drill-report.yaml): written after the drill, read with clear findings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from changeops.records.drill_report import drill_report_findings, read_drill_report
from changeops.records.period_report import period_report_findings, period_reports

CST = timezone(timedelta(hours=8))
DRILL_START = datetime(2026, 11, 5, 1, 0, tzinfo=CST)
REPORT = """\
written: {written}
author: 李海涛 (Li Haitao)
achieved_rpo_minutes: 0
conclusion: {{zh: 预案有效。, en: The plan works.}}
training:
  - {{date: 2026-11-04, topic: 预案操作培训, trainer: 李海涛, attendees: [陈静], hours: 2}}
"""


def test_a_report_written_after_the_drill_is_read(tmp_path: Path) -> None:
    path = tmp_path / "drill-report.yaml"
    path.write_text(REPORT.format(written="2026-11-05T10:00:00+08:00"), encoding="utf-8")
    assert drill_report_findings(path, "drill-report.yaml", DRILL_START) == []
    report, problem = read_drill_report(path)
    assert problem == "" and report is not None and report.training[0].hours == 2


def test_a_report_dated_before_the_drill_is_refused_at_written(tmp_path: Path) -> None:
    path = tmp_path / "drill-report.yaml"
    path.write_text(REPORT.format(written="2026-11-04T10:00:00+08:00"), encoding="utf-8")
    [finding] = drill_report_findings(path, "changes/X/drill-report.yaml", DRILL_START)
    assert (finding.rule, finding.line) == ("drill-report-early", 1) and "after the drill" in finding.hint


def test_a_missing_conclusion_is_named_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / "drill-report.yaml"
    path.write_text(REPORT.format(written="2026-11-05T10:00:00+08:00").replace("conclusion", "summary"),
                    encoding="utf-8")
    findings = drill_report_findings(path, "changes/X/drill-report.yaml", DRILL_START)
    assert findings and all(f.file == "changes/X/drill-report.yaml" for f in findings)
    assert any("conclusion" in f.message or "summary" in f.message for f in findings)
    assert read_drill_report(path)[0] is None


def test_period_reports_are_named_for_a_month_or_quarter(tmp_path: Path) -> None:
    (tmp_path / "2026-Q4.yaml").write_text("delivered: 2027-01-06\nproposals: []\n", encoding="utf-8")
    (tmp_path / "2026-11.yaml").write_text("delivered: yesterday\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    found = period_reports(tmp_path)
    assert set(found) == {"2026-Q4", "2026-11"} and found["2026-11"][0] is None and found["2026-11"][1]
    [name] = period_report_findings(tmp_path / "notes.yaml", "reports/notes.yaml")
    assert name.rule == "report-name"
    [bad] = period_report_findings(tmp_path / "2026-11.yaml", "reports/2026-11.yaml")
    assert (bad.file, bad.line) == ("reports/2026-11.yaml", 1)
