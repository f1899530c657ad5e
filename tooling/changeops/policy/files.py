"""The policy files under ``policies/``: customers, approvers, windows, freezes, rules.

They are data, validated like change records (file, line, column, hint), and read
from a ``PolicySource``: the working tree for ``validate``, a git ref for ``check``,
so a pull request is judged by the policies of its base.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BaseModel, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from changeops.findings import Finding, Severity
from changeops.policy.catalogue import CatalogueFile, StandardChange
from changeops.policy.duty import DutyFile
from changeops.policy.inspections import InspectionsFile
from changeops.policy.sla import SlaFile
from changeops.records.fields import Aware, Day, NonEmpty, Strict, Text, Zone
from changeops.records.fields import Severity as FaultLevel
from changeops.records.model import ChangeType
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import Document, load

FOLDER = "policies"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Model = Literal["standard", "normal", "emergency"]
RiskLevel = Literal["low", "medium", "high", "critical"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|24:00", value):
        raise PydanticCustomError("clock_time", "write a time of day as HH:MM, e.g. \"00:30\" (quoted)")
    return value


ClockTime = Annotated[str, AfterValidator(_clock)]


def _month_day(value: str) -> str:
    try:
        datetime.strptime(f"2024-{value}", "%Y-%m-%d")  # a leap year, so 02-29 is allowed
    except ValueError:
        raise PydanticCustomError("month_day", "write a day of the year as MM-DD, e.g. \"07-20\" (quoted)") from None
    return value


MonthDay = Annotated[str, AfterValidator(_month_day)]
SSH_KEY = r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( .*)?$"


EMERGENCY_LEVELS: tuple[FaultLevel, ...] = ("critical", "major", "severe")


class Contact(Strict):
    """Someone a notice names: who the customer writes to, whom they call."""

    name: Text
    role: Text | None = None
    phone: NonEmpty
    email: NonEmpty | None = None


class Provider(Strict):
    """The service provider (维护方): the sender of notices and summaries."""

    name: Text
    contacts: list[Contact] = Field(min_length=1, description="first: the contact person notices name")
    hotline: NonEmpty | None = Field(default=None, description="the 7x24 duty telephone (值班电话)")


class Customer(Strict):
    name: Text
    contacts: list[Contact] = Field(default_factory=list, description="first: the person notices are addressed to")
    zone: Zone
    language: Literal["zh", "en"]
    holidays: NonEmpty | None = Field(default=None, description="holidays package country code, e.g. CN")
    emergency_severities: list[FaultLevel] = Field(
        default_factory=lambda: list(EMERGENCY_LEVELS), min_length=1,
        description="fault levels (特大/重大/严重/一般) whose incidents may be answered by an emergency change")


class CustomersFile(Strict):
    customers: dict[Slug, Customer] = Field(min_length=1)
    provider: Provider | None = Field(default=None, description="who serves the customers: sender of notices")


def _person_id(value: str) -> str:
    if not PERSON_ID.fullmatch(value):
        raise PydanticCustomError("person_id", "{problem}", {"problem": person_id_problem(value)})
    return value


PERSON_ID = re.compile(r"[a-z][a-z0-9-]{1,31}")
PersonId = Annotated[str, AfterValidator(_person_id)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]
SshKey = Annotated[str, Field(pattern=SSH_KEY)]


def person_id_problem(value: str) -> str:
    """Why ``value`` is not a person id; look-alike letters (Cyrillic а, full-width ａ) are named."""
    foreign = [f"{char!r} ({unicodedata.name(char, f'U+{ord(char):04X}')})" for char in value if not char.isascii()]
    if foreign:
        return f"a person id is plain ASCII; it contains {', '.join(dict.fromkeys(foreign))}"
    return "a person id is 2 to 32 lowercase ASCII letters, digits and hyphens, starting with a letter"


class Person(Strict):
    """Someone who requests, carries out, approves or administers changes, listed once."""

    id: PersonId = Field(description="stable ASCII id that records, approvals and duties refer to")
    name: Text = Field(description="display name, plain or {zh: ..., en: ...}")
    email: Email
    emails: list[Email] = Field(default_factory=list, description="other addresses their git commits use")
    keys: list[SshKey] = Field(default_factory=list, description="SSH public keys their signatures are made with")
    duties: list[NonEmpty] = Field(default_factory=list, description="e.g. emergency-approver, policy-admin")

    def addresses(self) -> set[str]:
        """Every e-mail address of the person, lowercased (how commits are mapped to people)."""
        return {self.email.lower(), *(e.lower() for e in self.emails)}


class Approver(Person):
    """A person who may approve changes of some customers, for the customer or for the provider."""

    role: Literal["customer", "provider"]
    customers: list[NonEmpty] = Field(min_length=1)
    keys: list[SshKey] = Field(min_length=1)


class RevokedKey(Strict):
    key: Annotated[str, Field(pattern=SSH_KEY)]
    reason: NonEmpty
    revoked: Day


class ApproversFile(Strict):
    approvers: list[Approver] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list, description="people who request or carry out changes, "
                                                                  "or administer policies, without approving changes")
    revoked_keys: list[RevokedKey] = Field(default_factory=list, description="keys no signature may be accepted from")


class WeeklySlot(Strict):
    days: list[Weekday] = Field(min_length=1)
    start: ClockTime
    end: ClockTime


class OneOffWindow(Strict):
    start: Aware
    end: Aware
    reason: Text | None = None


class WindowRule(Strict):
    """Maintenance windows (维护窗口) of a customer, optionally only for some sites or groups."""

    name: NonEmpty
    customer: NonEmpty
    zone: Zone | None = None
    sites: list[NonEmpty] = Field(default_factory=list)
    groups: list[NonEmpty] = Field(default_factory=list)
    change_types: list[ChangeType] = Field(default_factory=list)
    weekly: list[WeeklySlot] = Field(default_factory=list)
    once: list[OneOffWindow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_times(self) -> WindowRule:
        if not self.weekly and not self.once:
            raise PydanticCustomError("window_empty", "a window needs `weekly` slots or `once` windows")
        return self


class WindowsFile(Strict):
    windows: list[WindowRule] = Field(default_factory=list)


class DateRange(Strict):
    start: Aware | Day
    end: Aware | Day


class YearlyRange(Strict):
    start: MonthDay = Field(alias="from")
    end: MonthDay = Field(alias="to")


class HolidayRule(Strict):
    calendar: NonEmpty | None = Field(default=None, description="country code; default: the customer's")
    names: list[NonEmpty] = Field(default_factory=list, description="only holidays whose name contains one of these")
    before_days: int = Field(default=0, ge=0, le=30)
    after_days: int = Field(default=0, ge=0, le=30)


class Freeze(Strict):
    """A change freeze: an important communication assurance period (重要通信保障期)."""

    name: NonEmpty
    reason: Text
    customers: list[NonEmpty] = Field(default_factory=list, description="empty: every customer")
    once: DateRange | None = None
    yearly: YearlyRange | None = None
    holidays: HolidayRule | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Freeze:
        if sum(kind is not None for kind in (self.once, self.yearly, self.holidays)) != 1:
            raise PydanticCustomError("freeze_kind", "a freeze has exactly one of `once`, `yearly`, `holidays`")
        return self


class FreezesFile(Strict):
    freezes: list[Freeze] = Field(default_factory=list)


MAX_HOURS: dict[ChangeType, float] = {"patch": 4, "upgrade": 6, "drill": 4, "device-move": 6, "emergency": 12,
                                      "inspection": 8}
EXEMPT_MODELS: tuple[Model, ...] = ("emergency",)
BACKUP_FOR: tuple[ChangeType, ...] = ("patch", "upgrade", "device-move", "drill")


class WindowSettings(Strict):
    max_hours: dict[ChangeType, float] = Field(default_factory=lambda: dict(MAX_HOURS))
    exempt_models: list[Model] = Field(default_factory=lambda: list(EXEMPT_MODELS))


class FreezeSettings(Strict):
    emergency_approval: NonEmpty = "the customer's emergency approver"
    fault_report_hours: int = Field(default=24, gt=0)


class NoticeSettings(Strict):
    working_days: int = Field(default=3, ge=0, le=60)
    exempt_models: list[Model] = Field(default_factory=lambda: list(EXEMPT_MODELS))


class BackupSettings(Strict):
    required_for: list[ChangeType] = Field(default_factory=lambda: list(BACKUP_FOR))


class RollbackSettings(Strict):
    require_description: bool = True


class ConflictSettings(Strict):
    include_peers: bool = True


class Quorum(Strict):
    """How many valid approvals a change needs, by role."""

    customer: int = Field(default=0, ge=0)
    provider: int = Field(default=0, ge=0)
    customer_within_hours_after: int | None = Field(
        default=None, gt=0, description="the customer's approvals may follow the run within this many hours")


class ApprovalSettings(Strict):
    standard: Quorum = Field(default_factory=lambda: Quorum(provider=1))
    normal: Quorum = Field(default_factory=lambda: Quorum(customer=1, provider=1))
    emergency: Quorum = Field(default_factory=lambda: Quorum(customer=1, provider=1, customer_within_hours_after=24))
    freeze_duty: NonEmpty = Field(default="emergency-approver",
                                  description="in a freeze, an emergency change needs an approver with this duty")
    extra_by_risk: dict[RiskLevel, NonEmpty] = Field(
        default_factory=lambda: dict(RISK_DUTIES),
        description="a change of this risk also needs a valid approval by a person with this duty")


RISK_DUTIES: dict[RiskLevel, str] = {"high": "change-manager", "critical": "change-manager"}


class PolicyChangeSettings(Strict):
    """Who approves a pull request that edits policies/: a quorum of the base's policy admins."""

    approvals: int = Field(default=2, ge=1, le=10)
    duty: NonEmpty = "policy-admin"


class RedactionSettings(Strict):
    """What a run's records must never contain, beyond vault values, `no_log` results and inventory passwords."""

    patterns: list[NonEmpty] = Field(default_factory=list, description="regular expressions; a match (or its "
                                                                        "groups, when it has any) is masked")
    values_from_env: list[NonEmpty] = Field(default_factory=list, description="environment variables whose "
                                                                              "values are secrets")


MIN_STAGE_SECONDS = 10
MIN_LEASE_MARGIN_SECONDS = 10


class ExecutionSettings(Strict):
    """Time limits of a run: a device that does not answer ends its stage as timed-out, not a hung runner.

    A run's device locks carry a lease: the sum of its stages' limits plus ``lease_margin_seconds``
    (committing and pushing the record). ``stage_timeout_seconds`` is the finer spelling of the
    default stage limit (a lab or a test of lost runners that cannot wait hours); set one of the two.
    """

    stage_timeout_minutes: int = Field(default=120, gt=0, le=24 * 60, description="default for a step without "
                                                                                   "its own timeout_minutes")
    stage_timeout_seconds: int | None = Field(default=None, ge=MIN_STAGE_SECONDS, le=24 * 3600,
                                              description="the same default in seconds (instead of minutes)")
    lease_margin_seconds: int = Field(default=15 * 60, ge=MIN_LEASE_MARGIN_SECONDS, le=24 * 3600,
                                      description="how long a lock's lease lasts beyond the stages' limits")
    connect_timeout_seconds: int = Field(default=30, gt=0, le=600)
    command_timeout_seconds: int = Field(default=300, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_stage_limit(self) -> ExecutionSettings:
        if self.stage_timeout_seconds is not None and "stage_timeout_minutes" in self.model_fields_set:
            raise PydanticCustomError("stage_limit_twice", "set `stage_timeout_minutes` or `stage_timeout_seconds`, "
                                                           "not both")
        return self

    @property
    def stage_seconds(self) -> int:
        """The default time limit of a stage, in seconds."""
        return self.stage_timeout_seconds or 60 * self.stage_timeout_minutes


class CustomRule(Strict):
    """A rule written in CEL over ``change`` (the record), ``hosts``, ``customer`` and ``now``."""

    id: Slug
    applies_to: NonEmpty = "true"
    check: NonEmpty
    severity: Literal["error", "warning"] = "error"
    message: NonEmpty
    hint: NonEmpty


class RulesFile(Strict):
    window: WindowSettings = Field(default_factory=WindowSettings)
    freeze: FreezeSettings = Field(default_factory=FreezeSettings)
    notice: NoticeSettings = Field(default_factory=NoticeSettings)
    backup: BackupSettings = Field(default_factory=BackupSettings)
    rollback: RollbackSettings = Field(default_factory=RollbackSettings)
    conflict: ConflictSettings = Field(default_factory=ConflictSettings)
    approvals: ApprovalSettings = Field(default_factory=ApprovalSettings)
    policy_changes: PolicyChangeSettings = Field(default_factory=PolicyChangeSettings)
    custom: list[CustomRule] = Field(default_factory=list)
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    execution: ExecutionSettings = Field(default_factory=ExecutionSettings)


FILES: dict[str, type[BaseModel]] = {
    "customers.yml": CustomersFile, "approvers.yml": ApproversFile, "windows.yml": WindowsFile,
    "freezes.yml": FreezesFile, "rules.yml": RulesFile, "catalogue.yml": CatalogueFile, "duty.yml": DutyFile,
    "sla.yml": SlaFile, "inspections.yml": InspectionsFile,
}
OPTIONAL = {"catalogue.yml", "duty.yml", "sla.yml", "inspections.yml"}
"""Files whose absence means "none" (no standard changes, no duty roster, the plan's service levels, no
inspection schedule), not an error."""


class PolicySource(Protocol):
    """Where policy files come from."""

    @property
    def label(self) -> str: ...

    def read(self, name: str) -> bytes | None: ...


@dataclass(frozen=True)
class DirectorySource:
    folder: Path
    label: str = "working tree"

    def read(self, name: str) -> bytes | None:
        path = self.folder / name
        return path.read_bytes() if path.is_file() else None


@dataclass
class Policies:
    """The loaded policy files, with the documents they came from (for locating findings)."""

    source: str
    customers: dict[str, Customer] = field(default_factory=dict)
    approvers: list[Approver] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    revoked_keys: list[RevokedKey] = field(default_factory=list)
    windows: list[WindowRule] = field(default_factory=list)
    freezes: list[Freeze] = field(default_factory=list)
    rules: RulesFile = field(default_factory=RulesFile)
    catalogue: dict[str, StandardChange] = field(default_factory=dict)
    duty: DutyFile = field(default_factory=DutyFile)
    provider: Provider | None = None
    sla: SlaFile = field(default_factory=SlaFile)
    inspections: InspectionsFile = field(default_factory=InspectionsFile)
    findings: list[Finding] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict, repr=False)
    digest: str = ""
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def usable(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def everyone(self) -> list[Person]:
        """Every person the policies list: approvers first, then the other people."""
        return [*self.approvers, *self.people]

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.everyone() if p.id == person_id), None)

    def person_by_email(self, email: str) -> Person | None:
        """The person one of whose addresses is ``email`` (case-insensitive), or None."""
        wanted = email.strip().lower()
        return next((p for p in self.everyone() if wanted in p.addresses()), None)


def load_policies(source: PolicySource) -> Policies:
    """Read every policy file from ``source``; problems become findings."""
    policies = Policies(source=source.label)
    content = hashlib.sha256()
    for name, model in FILES.items():
        content.update(f"{name}\0".encode() + (source.read(name) or b"\0missing"))
        parsed = _read(source, name, model, policies)
        if parsed is not None:
            _store(policies, parsed)
    for index, window in enumerate(policies.windows):
        _known_customer(policies, "windows.yml", ("windows", index, "customer"), window.customer)
    for index, entry in enumerate(policies.inspections.schedule):
        _known_customer(policies, "inspections.yml", ("schedule", index, "customer"), entry.customer)
    for index, freeze in enumerate(policies.freezes):
        for position, customer in enumerate(freeze.customers):
            _known_customer(policies, "freezes.yml", ("freezes", index, "customers", position), customer)
    policies.findings += _people_findings(policies)
    policies.digest = content.hexdigest()
    return policies


def _people_findings(policies: Policies) -> list[Finding]:
    """A person listed twice, or two people sharing an address (commits could not be told apart)."""
    doc = policies.documents.get("approvers.yml") or Document()
    findings: list[Finding] = []
    ids: set[str] = set()
    owners: dict[str, str] = {}
    listed: list[tuple[str, int, Person]] = [("approvers", i, p) for i, p in enumerate(policies.approvers)]
    listed += [("people", i, p) for i, p in enumerate(policies.people)]
    for key, index, person in listed:
        if person.id in ids:
            findings.append(Finding(f"{FOLDER}/approvers.yml", *doc.locate((key, index, "id")), "policy-person-twice",
                                    Severity.ERROR, f"{person.id} is listed more than once",
                                    "list each person once; an approver needs no second entry under `people`"))
        ids.add(person.id)
        for address in sorted(person.addresses()):
            if owners.setdefault(address, person.id) != person.id:
                findings.append(Finding(f"{FOLDER}/approvers.yml", *doc.locate((key, index, "email")),
                                        "policy-person-email", Severity.ERROR,
                                        f"{address} belongs to both {owners[address]} and {person.id}",
                                        "an e-mail address identifies one person: correct one of them"))
    return findings


def _read(source: PolicySource, name: str, model: type[BaseModel], policies: Policies) -> BaseModel | None:
    file = f"{FOLDER}/{name}"
    raw = source.read(name)
    if raw is None and name in OPTIONAL:
        return None
    if raw is None:
        policies.findings.append(Finding(file, 1, 1, "policy-missing", Severity.ERROR,
                                         f"{file} is missing ({source.label})",
                                         f"create {file}; see the demo estate's policies for an example"))
        return None
    doc = load(raw)
    policies.documents[name] = doc
    if doc.problem is not None:
        p = doc.problem
        policies.findings.append(Finding(file, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint))
        return None
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as err:
        policies.findings += [_as_policy(f) for f in schema_findings(err, doc, file, model)]
        return None


def _as_policy(finding: Finding) -> Finding:
    return Finding(finding.file, finding.line, finding.column, finding.rule.replace("schema", "policy"),
                   finding.severity, finding.message, finding.hint)


def _store(policies: Policies, parsed: BaseModel) -> None:
    if isinstance(parsed, CustomersFile):
        policies.customers = dict(parsed.customers)
        policies.provider = parsed.provider
    elif isinstance(parsed, ApproversFile):
        policies.approvers = list(parsed.approvers)
        policies.people = list(parsed.people)
        policies.revoked_keys = list(parsed.revoked_keys)
    elif isinstance(parsed, WindowsFile):
        policies.windows = list(parsed.windows)
    elif isinstance(parsed, FreezesFile):
        policies.freezes = list(parsed.freezes)
    elif isinstance(parsed, RulesFile):
        policies.rules = parsed
    elif isinstance(parsed, CatalogueFile):
        policies.catalogue = dict(parsed.standard_changes)
    elif isinstance(parsed, DutyFile):
        policies.duty = parsed
    elif isinstance(parsed, SlaFile):
        policies.sla = parsed
    elif isinstance(parsed, InspectionsFile):
        policies.inspections = parsed


def _known_customer(policies: Policies, name: str, path: tuple[Any, ...], customer: str) -> None:
    if policies.customers and customer not in policies.customers:
        doc = policies.documents.get(name) or Document()
        policies.findings.append(Finding(f"{FOLDER}/{name}", *doc.locate(path), "policy-customer", Severity.ERROR,
                                         f"`{customer}` is not a customer of policies/customers.yml",
                                         "add the customer to customers.yml or correct the name"))
