"""What engineers write about a period's service summary (阶段性服务总结): ``reports/<period>.yaml``.

The figures of a summary are generated from the records; this file adds what only people know: when the
summary was delivered to the customer (so a late one shows), the overall assessment, the optimisation
proposals of a quarter (2.3.4), and training given outside drills. A period is ``2026-11`` or ``2026-Q4``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from changeops.findings import Finding, Severity
from changeops.records.fields import Day, Name, NonEmpty, Strict, Text
from changeops.records.report_items import Training
from changeops.records.schema_findings import read_checked, read_model

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")


class Proposal(Strict):
    title: Text
    detail: Text
    owner: Name | None = None


class PeriodReport(Strict):
    delivered: Day | None = Field(default=None, description="when the summary reached the customer")
    delivered_to: list[NonEmpty] = Field(default_factory=list)
    author: Name | None = None
    assessment: Text | None = Field(default=None, description="the overall running of the equipment (总体运行情况)")
    proposals: list[Proposal] = Field(default_factory=list, description="optimisation proposals (优化建议)")
    training: list[Training] = Field(default_factory=list)


def period_reports(folder: Path) -> dict[str, tuple[PeriodReport | None, str]]:
    """Every ``<period>.yaml`` under ``folder``: the report, or None and why it could not be read."""
    found: dict[str, tuple[PeriodReport | None, str]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if not PERIOD.match(path.stem):
            continue
        found[path.stem] = read_model(path, PeriodReport)
    return found


def period_report_findings(path: Path, file: str) -> list[Finding]:
    """Problems of one file under ``reports/``: its name and its schema."""
    if not PERIOD.match(path.stem):
        return [Finding(file, 1, 1, "report-name", Severity.ERROR, f"{path.name} names no period",
                        "name a summary's file after its month or quarter: 2026-11.yaml, 2026-Q4.yaml")]
    return read_checked(path, file, PeriodReport)[2]
