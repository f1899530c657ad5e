"""An inspection's result: ``changes/<ID>/runs/<RUN>/inspection.yaml`` as a typed, versioned model.

One writer (the run, through :func:`result_data` and the run record's redacting YAML
writer) and one reader (:func:`read_result`, used by the next inspection's comparison and
by the inspection report). It holds, per device, what the checks measured (parsed from the
show commands by ntc-templates, normalised here) and the anomalies the policy's
thresholds found, with the comparison against the previous inspection.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from changeops.errors import SummaryProblem
from changeops.records.model import ChangeBase, InspectionChange
from changeops.records.run_summary import FrozenModel, Moment
from changeops.yaml12 import load

SCHEMA_VERSION = 1
RESULT_FILE = "inspection.yaml"
AnomalySeverity = Literal["warning", "critical"]
DeviceStatus = Literal["ok", "warning", "critical", "not-inspected"]


class Part(FrozenModel):
    """One entry of ``show inventory``: the device archive's part serials (设备档案)."""

    name: str
    pid: str = ""
    serial: str = ""


class Sensor(FrozenModel):
    name: str
    celsius: float
    state: str = ""
    warning_at: float | None = None
    critical_at: float | None = None


class Unit(FrozenModel):
    """A power supply or a fan and the state the device reports for it."""

    name: str
    status: str


class Interface(FrozenModel):
    name: str
    status: str = ""
    input_errors: int = 0
    crc: int = 0


class LogEntry(FrozenModel):
    severity: int
    mnemonic: str
    message: str
    at: str = ""


class Neighbour(FrozenModel):
    protocol: Literal["ospf", "bgp"]
    neighbour: str
    state: str
    up_minutes: int | None = None
    interface: str = ""


class Measured(FrozenModel):
    """What one device's checks measured; a field is None when its check did not run or had no answer."""

    host: str
    kind: Literal["network", "linux"] = "network"
    checks: tuple[str, ...] = ()
    version: str | None = None
    hardware: str | None = None
    uptime_minutes: int | None = None
    reload_reason: str | None = None
    parts: tuple[Part, ...] = ()
    temperatures: tuple[Sensor, ...] = ()
    power_supplies: tuple[Unit, ...] = ()
    fans: tuple[Unit, ...] = ()
    cpu_5min_percent: float | None = None
    memory_used_percent: float | None = None
    disk_used_percent: float | None = None
    interfaces: tuple[Interface, ...] = ()
    logs: tuple[LogEntry, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    switchovers: int | None = None
    license_status: str | None = None
    notes: tuple[str, ...] = ()


class Anomaly(FrozenModel):
    """One finding of the inspection: device, check, severity, measured value against the threshold."""

    host: str
    check: str
    subject: str = Field(default="", description="the sensor, unit, interface or neighbour it concerns")
    severity: AnomalySeverity
    measured: str
    threshold: str
    zh: str
    en: str

    @property
    def key(self) -> str:
        """Stable name of the anomaly across inspections: host/check[/subject]."""
        return "/".join(part for part in (self.host, self.check, self.subject) if part)


class Delta(FrozenModel):
    """A counter that moved since the previous inspection."""

    host: str
    counter: str
    subject: str = ""
    previous: float
    now: float


class Comparison(FrozenModel):
    """Against the previous inspection: anomaly keys new, resolved and persisting, and counter deltas."""

    previous: str | None = None
    new: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    persisting: tuple[str, ...] = ()
    deltas: tuple[Delta, ...] = ()


class InspectionResult(FrozenModel):
    schema_version: Literal[1] = 1
    change: str
    period: str
    inspected: Moment
    devices: tuple[Measured, ...] = ()
    not_inspected: tuple[str, ...] = Field(default=(), description="targets that could not be reached or failed")
    anomalies: tuple[Anomaly, ...] = ()
    comparison: Comparison = Field(default_factory=Comparison)

    def status(self, host: str) -> DeviceStatus:
        """A device's overall status: its worst anomaly."""
        if host in self.not_inspected:
            return "not-inspected"
        severities = {a.severity for a in self.anomalies if a.host == host}
        return "critical" if "critical" in severities else "warning" if severities else "ok"

    def device(self, host: str) -> Measured | None:
        return next((d for d in self.devices if d.host == host), None)


def result_data(result: InspectionResult) -> dict[str, Any]:
    """Plain data for the run record's YAML writer (which redacts it)."""
    return result.model_dump(mode="json", exclude_none=True)


def read_result(path: Path) -> InspectionResult:
    """The result at ``path``; :class:`SummaryProblem` when it is missing, unreadable or not a result."""
    try:
        doc = load(path.read_bytes())
    except OSError as error:
        raise SummaryProblem(path, error.strerror or str(error)) from None
    if doc.problem is not None or not isinstance(doc.data, dict):
        raise SummaryProblem(path, doc.problem.message if doc.problem else "not a mapping")
    try:
        return InspectionResult.model_validate(doc.data)
    except ValidationError as error:
        first = error.errors()[0]
        raise SummaryProblem(path, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


def latest_result(change_folder: Path) -> InspectionResult | None:
    """The newest readable result among a change's runs, or None."""
    for path in sorted((change_folder / "runs").glob(f"*/{RESULT_FILE}"), reverse=True):
        try:
            return read_result(path)
        except SummaryProblem:
            continue
    return None


def previous_inspection(change: InspectionChange, others: Iterable[ChangeBase]) -> str | None:
    """The ID of the inspection ``change`` compares with: the one it names, else the latest inspection of an
    earlier month with the same customer and targets."""
    if change.inspection.previous is not None:
        return change.inspection.previous
    scope = (change.customer, frozenset(change.targets))
    earlier = [o for o in others if isinstance(o, InspectionChange) and (o.customer, frozenset(o.targets)) == scope
               and o.inspection.period < change.inspection.period]
    return max(earlier, key=lambda o: (o.inspection.period, o.id)).id if earlier else None
