"""The change record: common fields, steps, and one section per change type.

``Change`` is a discriminated union on ``type``; ``parse_change`` validates plain
data (from :mod:`changeops.yaml12`) into it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, TypeAdapter, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from changeops.records.fields import (
    Aware,
    Bilingual,
    ChangeId,
    Checksum,
    Day,
    Moment,
    Name,
    NonEmpty,
    Severity,
    StepVars,
    Strict,
    TargetName,
    Text,
    Zone,
)
from changeops.records.inspection import Inspection

ChangeType = Literal["patch", "upgrade", "drill", "device-move", "emergency", "inspection"]
CHANGE_TYPES: tuple[str, ...] = ChangeType.__args__  # type: ignore[attr-defined]
STEP_NAMES = ("precheck", "backup", "implementation", "verification", "rollback", "rollback_verification")
"""Steps in the order a run executes them (rollback and its verification only on failure)."""


class Step(Strict):
    """One phase of the run: a playbook under ``playbooks/`` and the variables it gets."""

    playbook: NonEmpty = Field(description="path of the playbook, relative to playbooks/")
    vars: StepVars = Field(default_factory=dict, description="variables for the playbook (data: never templated; "
                                                             "no ansible_*, become* or reserved names)")
    description: Text | None = None
    timeout_minutes: int | None = Field(default=None, gt=0, le=24 * 60)


class Window(Strict):
    """When the change may run. Times carry a UTC offset, or ``zone`` says where they are."""

    zone: Zone | None = Field(default=None, description="IANA zone for times written without an offset")
    start: Moment
    end: Moment

    @field_validator("start", "end", mode="after")
    @classmethod
    def _placed_in_time(cls, value: datetime, info: ValidationInfo) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            zone = info.data.get("zone")
            if zone is None:
                raise PydanticCustomError("naive_time", "the time has no UTC offset and the window names no zone")
            value = value.replace(tzinfo=ZoneInfo(zone))
        if info.field_name == "end" and "start" in info.data and value <= info.data["start"]:
            raise PydanticCustomError("window_order", "the window ends at or before it starts")
        return value


class Risk(Strict):
    level: Literal["low", "medium", "high", "critical"]
    description: Text


class Impact(Strict):
    """What the customer's users will notice."""

    summary: Text
    outage_minutes: int = Field(ge=0, le=24 * 60, description="expected interruption; 0 for none")
    services: list[NonEmpty] = Field(default_factory=list)


class Notice(Strict):
    """When and how the customer was told about the change."""

    sent: Aware
    to: list[NonEmpty] = Field(min_length=1)
    channel: Literal["email", "letter", "portal", "phone", "meeting"]
    reference: NonEmpty | None = None


class Incident(Strict):
    """The fault an emergency change answers (故障)."""

    ticket: NonEmpty
    severity: Severity
    declared: Aware
    detected: Aware | None = None
    symptom: Text
    business_impact: Text
    restored: Aware | None = None


class Image(Strict):
    file: NonEmpty
    checksum: Checksum = Field(description="md5:<32 hex>, sha256:<64 hex> or sha512:<128 hex>")
    size_bytes: int | None = Field(default=None, gt=0)


class LabTest(Strict):
    date: Day
    lab: NonEmpty
    result: Literal["passed", "passed-with-notes", "failed"]
    summary: Text
    report: NonEmpty | None = None


class Patch(Strict):
    """A software patch (补丁): why it is needed and how it was proven."""

    advisories: list[NonEmpty] = Field(min_length=1, description="vendor advisory or CVE IDs")
    bugs: list[NonEmpty] = Field(default_factory=list)
    description: Text = Field(description="what the patch changes")
    reason: Text = Field(description="why this customer needs it")
    image: Image
    lab_test: LabTest
    customer_preparation: Text


class Option(Strict):
    name: NonEmpty
    chosen: bool = False
    reason: Text


class Upgrade(Strict):
    """A system upgrade (系统升级) from one software version to another."""

    from_version: NonEmpty
    to_version: NonEmpty
    image: Image
    options: list[Option] = Field(min_length=1, description="options considered, the chosen one marked")


class Objectives(Strict):
    rto_minutes: int = Field(gt=0, description="recovery time objective")
    rpo_minutes: int = Field(ge=0, description="recovery point objective")


class Drill(Strict):
    """An emergency-plan drill (应急演练)."""

    runbook: NonEmpty = Field(description="the emergency plan, relative to runbooks/")
    scenario: Text
    objectives: Objectives
    observers: list[NonEmpty] = Field(default_factory=list)


class Location(Strict):
    site: NonEmpty
    room: NonEmpty
    rack: NonEmpty
    unit: int = Field(gt=0, le=60)


class Port(Strict):
    device: NonEmpty
    port: NonEmpty


class Cable(Strict):
    port: NonEmpty = Field(description="port on the moved device")
    before: Port | None = None
    after: Port | None = None
    label: NonEmpty | None = None


class Move(Strict):
    """A device move (设备移动): where from, where to, and how it is cabled before and after."""

    device: NonEmpty
    origin: Location = Field(alias="from")
    to: Location
    cabling: list[Cable] = Field(min_length=1)


class ChangeBase(Strict):
    id: ChangeId
    title: Text
    model: Literal["standard", "normal", "emergency"]
    customer: NonEmpty
    requested_by: Name = Field(description="person id (policies/approvers.yml) of who asked for the change")
    requested_via: Text | None = Field(default=None, description="how the request came in: ticket, call, plan item")
    engineers: list[Name] = Field(min_length=1, description="person ids of the engineers who carry it out")
    catalogue: NonEmpty | None = Field(default=None, description="the standard-change catalogue entry "
                                                                 "(policies/catalogue.yml) a standard change uses")
    risk: Risk
    impact: Impact
    targets: list[TargetName] = Field(min_length=1, description="inventory hosts and/or groups (names, not "
                                                                  "patterns)")
    window: Window
    notice: Notice | None = None
    incident: Incident | None = None
    precheck: Step | None = None
    backup: Step | None = None
    implementation: Step
    verification: Step
    rollback: Step | None = Field(default=None, description="how the change is undone; required for every type "
                                                             "that changes a device (not for a read-only inspection)")
    rollback_verification: Step | None = Field(
        default=None, description="how the rollback is verified; default: the verification step (which suits a "
                                  "change whose verification checks health, not the change's new state)")

    def steps(self) -> dict[str, Step]:
        """The steps present, in execution order."""
        return {name: step for name in STEP_NAMES if (step := getattr(self, name)) is not None}


class ReversibleChange(ChangeBase):
    """A change that acts on devices, so it must say how it is undone."""

    rollback: Step


class PatchChange(ReversibleChange):
    type: Literal["patch"]
    patch: Patch


class UpgradeChange(ReversibleChange):
    type: Literal["upgrade"]
    upgrade: Upgrade


class DrillChange(ReversibleChange):
    type: Literal["drill"]
    drill: Drill


class MoveChange(ReversibleChange):
    type: Literal["device-move"]
    move: Move


class EmergencyChange(ReversibleChange):
    type: Literal["emergency"]
    incident: Incident


class InspectionChange(ChangeBase):
    """A routine inspection (巡检): read-only, so it has nothing to roll back."""

    type: Literal["inspection"]
    inspection: Inspection


Change = Annotated[
    PatchChange | UpgradeChange | DrillChange | MoveChange | EmergencyChange | InspectionChange,
    Field(discriminator="type"),
]
SECTION_OF_TYPE = {"patch": "patch", "upgrade": "upgrade", "drill": "drill", "device-move": "move",
                   "emergency": "incident", "inspection": "inspection"}

CHANGE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Change)


def parse_change(data: Any) -> ChangeBase:
    """Validate plain data into a change; raises pydantic's ValidationError."""
    change: ChangeBase = CHANGE_ADAPTER.validate_python(data)
    return change


def read_change(raw: bytes) -> ChangeBase | None:
    """The change in ``raw``, or None when it is not a readable, valid record (validate says why)."""
    from changeops.yaml12 import load

    doc = load(raw)
    if doc.problem is not None or not isinstance(doc.data, dict):
        return None
    try:
        return parse_change(doc.data)
    except ValueError:  # pydantic's ValidationError
        return None


def json_schema() -> dict[str, Any]:
    schema = CHANGE_ADAPTER.json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "changeops change record"
    return schema


__all__ = [
    "Bilingual", "CHANGE_TYPES", "Change", "ChangeBase", "DrillChange", "EmergencyChange", "MoveChange",
    "InspectionChange", "PatchChange", "ReversibleChange", "STEP_NAMES", "Step", "UpgradeChange", "json_schema",
    "parse_change",
]
