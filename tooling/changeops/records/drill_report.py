"""The drill report (应急演练报告), written after the drill: what was achieved against the objectives, and why.

``changes/<ID>/drill-report.yaml`` beside a drill's record. The achieved recovery time comes from the run
record (``drill.yaml`` of the run); the report gives the recovery point achieved (data lost, which only
people can judge), the conclusion, problems found, follow-ups and the training given on the plan (2.3.8.3).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import Field

from changeops.findings import Finding, Severity
from changeops.records.fields import Aware, Name, Strict, Text
from changeops.records.report_items import FollowUp, Training
from changeops.records.schema_findings import read_checked, read_model

DRILL_REPORT = "drill-report.yaml"


class DrillReport(Strict):
    written: Aware
    author: Name
    participants: list[Name] = Field(default_factory=list, description="people of both sides who took part")
    achieved_rto_minutes: float | None = Field(default=None, ge=0, description="only when no run measured it "
                                                                               "(a drill done by hand)")
    achieved_rpo_minutes: float = Field(ge=0, description="data lost, in minutes of changes (0: none)")
    conclusion: Text
    findings: list[Text] = Field(default_factory=list, description="problems the drill revealed")
    follow_ups: list[FollowUp] = Field(default_factory=list)
    training: list[Training] = Field(default_factory=list, description="training on the plan (2.3.8.3)")


def read_drill_report(path: Path) -> tuple[DrillReport | None, str]:
    """The report at ``path`` and, when it cannot be read, why (for the site, which shows the problem)."""
    if not path.is_file():
        return None, ""
    return read_model(path, DrillReport)


def drill_report_findings(path: Path, file: str, drill_start: datetime) -> list[Finding]:
    """Problems of the drill report at ``path`` (which exists): its schema, and a report dated before the drill."""
    report, doc, findings = read_checked(path, file, DrillReport)
    if report is None:
        return findings
    if report.written < drill_start:
        return [Finding(file, *doc.locate(("written",)), "drill-report-early", Severity.ERROR,
                        "the drill report is dated before the drill began",
                        "a drill report records what the drill achieved: write it after the drill")]
    return []
