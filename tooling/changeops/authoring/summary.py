"""A readable summary of one change: what `changeops show` prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from changeops.estate.inventory import Inventory
from changeops.findings import Finding
from changeops.records.fields import text_in
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
    step_headers: tuple[str, str, str] = ("step", "playbook", "vars")
    language: str = "en"


def summarize(change: ChangeBase, inventory: Inventory, findings: tuple[Finding, ...], language: str = "en", *,
              state: str | None = None, people: Mapping[str, str] | None = None, words: Any = None) -> Summary:
    """Headline facts, steps and the type's own section of ``change``.

    ``people``: display names by person id; ``words``: labels in ``language`` (attributes such as
    ``words.window`` and methods such as ``words.state(name)``, as the site's labels have), plain English
    words when not given.
    """
    names = people or {}
    words = words or EnglishWords()
    hosts = sorted(inventory.expand(change.targets))
    window = change.window
    facts = [(words.state_heading, words.state(state))] if state else []
    facts += [
        (words.type, f"{words.change_type(change.type)} / {words.change_model(change.model)}"),  # type: ignore[attr-defined]
        (words.customer, change.customer),
        (words.window, f"{_when(window.start)} → {_when(window.end)} ({_duration(window.start, window.end)})"),
        (words.targets, f"{', '.join(change.targets)}" + (f"  ({len(hosts)}: {', '.join(hosts)})" if hosts else "")),
        (words.risk, f"{change.risk.level}: {text_in(change.risk.description, language)}"),
        (words.impact, f"{text_in(change.impact.summary, language)} "
                       f"({words.outage} {change.impact.outage_minutes} {words.minutes})"),
        (words.requested_by, names.get(change.requested_by, change.requested_by)),
        (words.engineers, ", ".join(names.get(who, who) for who in change.engineers)),
        (words.notice, _notice(change) or words.notice_none),
    ]
    steps = [(words.step(name), step.playbook, _vars(step)) for name, step in change.steps().items()]
    return Summary(f"{change.id} — {text_in(change.title, language)}", facts, steps, _section(change, language, words),
                   findings, (words.step_heading, words.playbook, words.variables), words.language)


class EnglishWords:
    """Field names as they are spelled in the record, for callers that bring no labels of their own."""

    language = "en"
    step_heading, variables, outage, minutes, notice_none = "step", "vars", "outage", "min", "none"

    def __getattr__(self, key: str) -> str:
        return key.replace("_", " ")

    def state(self, name: str) -> str:
        return name

    def step(self, name: str) -> str:
        return name

    def change_type(self, kind: str) -> str:
        return kind

    def change_model(self, model: str) -> str:
        return model

    def severity(self, level: str) -> str:
        return level


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %z")


def _duration(start: datetime, end: datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _notice(change: ChangeBase) -> str:
    if change.notice is None:
        return ""
    return f"{_when(change.notice.sent)} by {change.notice.channel} to {', '.join(change.notice.to)}"


def _vars(step: Step) -> str:
    return ", ".join(f"{k}={v}" for k, v in step.vars.items())


def _section(change: ChangeBase, language: str, words: Any) -> list[tuple[str, str]]:
    rows: list[tuple[str, Any]] = []
    if isinstance(change, PatchChange):
        p = change.patch
        rows = [(words.advisories, ", ".join(p.advisories)), (words.what_it_does, text_in(p.description, language)),
                (words.why, text_in(p.reason, language)), (words.image, f"{p.image.file} ({p.image.checksum})"),
                (words.lab_test, f"{p.lab_test.date} {p.lab_test.lab}: {p.lab_test.result}"),
                (words.customer_preparation, text_in(p.customer_preparation, language))]
    elif isinstance(change, UpgradeChange):
        u = change.upgrade
        chosen = next((o.name for o in u.options if o.chosen), "-")
        rows = [(f"{words.from_version} → {words.to_version}", f"{u.from_version} → {u.to_version}"),
                (words.image, u.image.file),
                (words.chosen, chosen)]
    elif isinstance(change, DrillChange):
        d = change.drill
        rows = [(words.emergency_plan, f"runbooks/{d.runbook}"), (words.scenario, text_in(d.scenario, language)),
                (words.objectives, f"RTO {d.objectives.rto_minutes} min, RPO {d.objectives.rpo_minutes} min")]
    elif isinstance(change, MoveChange):
        m = change.move
        rows = [(words.device, m.device), (getattr(words, "from"), _place(m.origin)), (words.to, _place(m.to)),
                (words.cabling, f"{len(m.cabling)} {words.port}")]
    if change.incident is not None:
        i = change.incident
        rows += [(words.incident, f"{i.ticket}, {words.severity(i.severity)}, {words.declared} {_when(i.declared)}"),
                 (words.symptom, text_in(i.symptom, language))]
    if isinstance(change, EmergencyChange):
        rows.append((words.fault_report_due, "24 h"))
    return rows


def _place(location: Any) -> str:
    return f"{location.site} {location.room} rack {location.rack} U{location.unit}"
