"""A readable summary of one change: what `changeops show` prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from changeops.estate.inventory import Inventory
from changeops.findings import Finding
from changeops.records.fields import SEVERITY_ZH, text_in
from changeops.records.model import (
    ChangeBase,
    DrillChange,
    EmergencyChange,
    MoveChange,
    PatchChange,
    Step,
    UpgradeChange,
)


@dataclass(frozen=True)
class Summary:
    heading: str
    facts: list[tuple[str, str]]
    steps: list[tuple[str, str, str]]
    section: list[tuple[str, str]]
    findings: tuple[Finding, ...] = field(default=())


def summarize(change: ChangeBase, inventory: Inventory, findings: tuple[Finding, ...], language: str = "en", *,
              people: Mapping[str, str] | None = None) -> Summary:
    """Headline facts, steps and the type's own section of ``change``; ``people``: display names by person id."""
    names = people or {}
    hosts = sorted(inventory.expand(change.targets))
    window = change.window
    facts = [
        ("type / model", f"{change.type} / {change.model}"),  # type: ignore[attr-defined]
        ("customer", change.customer),
        ("window", f"{_when(window.start)} → {_when(window.end)} ({_duration(window.start, window.end)})"),
        ("targets", f"{', '.join(change.targets)}" + (f"  ({len(hosts)} hosts: {', '.join(hosts)})" if hosts else "")),
        ("risk", f"{change.risk.level}: {text_in(change.risk.description, language)}"),
        ("impact", f"{text_in(change.impact.summary, language)} (outage {change.impact.outage_minutes} min)"),
        ("requested by", names.get(change.requested_by, change.requested_by)),
        ("engineers", ", ".join(names.get(who, who) for who in change.engineers)),
        ("notice", _notice(change)),
    ]
    steps = [(name, step.playbook, _vars(step)) for name, step in change.steps().items()]
    return Summary(f"{change.id} — {text_in(change.title, language)}", facts, steps, _section(change, language),
                   findings)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %z")


def _duration(start: datetime, end: datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _notice(change: ChangeBase) -> str:
    if change.notice is None:
        return "none"
    return f"{_when(change.notice.sent)} by {change.notice.channel} to {', '.join(change.notice.to)}"


def _vars(step: Step) -> str:
    return ", ".join(f"{k}={v}" for k, v in step.vars.items())


def _section(change: ChangeBase, language: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, Any]] = []
    if isinstance(change, PatchChange):
        p = change.patch
        rows = [("advisories", ", ".join(p.advisories)), ("what", text_in(p.description, language)),
                ("why", text_in(p.reason, language)), ("image", f"{p.image.file} ({p.image.checksum})"),
                ("lab test", f"{p.lab_test.date} {p.lab_test.lab}: {p.lab_test.result}"),
                ("customer preparation", text_in(p.customer_preparation, language))]
    elif isinstance(change, UpgradeChange):
        u = change.upgrade
        chosen = next((o.name for o in u.options if o.chosen), "-")
        rows = [("versions", f"{u.from_version} → {u.to_version}"), ("image", u.image.file), ("option", chosen)]
    elif isinstance(change, DrillChange):
        d = change.drill
        rows = [("plan", f"runbooks/{d.runbook}"), ("scenario", text_in(d.scenario, language)),
                ("objectives", f"RTO {d.objectives.rto_minutes} min, RPO {d.objectives.rpo_minutes} min")]
    elif isinstance(change, MoveChange):
        m = change.move
        rows = [("device", m.device), ("from", _place(m.origin)), ("to", _place(m.to)),
                ("cabling", f"{len(m.cabling)} ports")]
    if change.incident is not None:
        i = change.incident
        rows += [("incident", f"{i.ticket}, {i.severity} ({SEVERITY_ZH[i.severity]}), declared {_when(i.declared)}"),
                 ("symptom", text_in(i.symptom, language))]
    if isinstance(change, EmergencyChange):
        rows.append(("fault report", "due within 24 h of the repair"))
    return rows


def _place(location: Any) -> str:
    return f"{location.site} {location.room} rack {location.rack} U{location.unit}"
