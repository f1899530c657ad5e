"""The result of an inspection run: measured, judged and compared, stored as ``inspection.yaml``.

Before the run, :func:`inspection_context` finds the thresholds (the trusted policies) and
the previous inspection's result; after the implementation stage (the inspection
playbook), :func:`record_inspection` turns what it published into the run's
:class:`~changeops.records.inspection_result.InspectionResult`. A device the playbook
could not inspect is listed as not inspected, never as healthy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from changeops.estate.layout import Estate
from changeops.execute.executor import StageResult
from changeops.execute.inspection_measure import measure_linux, measure_network
from changeops.policy.inspection_judge import compare, judge_device
from changeops.policy.inspections import Thresholds
from changeops.records.inspection_result import (
    RESULT_FILE,
    InspectionResult,
    Measured,
    latest_result,
    previous_inspection,
    result_data,
)
from changeops.records.model import ChangeBase, InspectionChange, read_change


@dataclass(frozen=True)
class InspectionContext:
    """What judging an inspection run needs besides its own output."""

    thresholds: Thresholds
    previous: InspectionResult | None = None


def inspection_context(estate: Estate, change: ChangeBase, thresholds: Thresholds) -> InspectionContext | None:
    """The thresholds and the previous inspection's result, for an inspection (None for any other change)."""
    if not isinstance(change, InspectionChange):
        return None
    others = [c for path in estate.record_files() if (c := read_change(path.read_bytes())) is not None]
    previous_id = previous_inspection(change, others)
    previous = latest_result(estate.changes / previous_id) if previous_id else None
    return InspectionContext(thresholds, previous)


def inspection_result(change: InspectionChange, context: InspectionContext, implemented: StageResult,
                      at: datetime) -> InspectionResult:
    """Measure, judge and compare what the inspection playbook published."""
    published = implemented.stats.get("inspection")
    published = published if isinstance(published, dict) else {}
    devices: list[Measured] = []
    for host in sorted(implemented.hosts):
        data = published.get(host)
        if implemented.hosts[host].succeeded and isinstance(data, dict):
            devices.append(_measure(host, data))
    inspected = {d.host for d in devices}
    previous = context.previous
    anomalies = [a for d in devices for a in judge_device(d, context.thresholds,
                                                          previous.device(d.host) if previous else None)]
    return InspectionResult(change=change.id, period=change.inspection.period, inspected=at, devices=tuple(devices),
                            not_inspected=tuple(sorted(set(implemented.hosts) - inspected)),
                            anomalies=tuple(anomalies), comparison=compare(anomalies, devices, previous))


def _measure(host: str, data: dict[str, Any]) -> Measured:
    return measure_linux(host, data) if data.get("kind") == "linux" else measure_network(host, data)


def result_file_data(result: InspectionResult) -> tuple[str, dict[str, Any]]:
    """The file name and data the run record writes."""
    return RESULT_FILE, result_data(result)
