"""What ``changeops validate`` checks of ``duty.yml``: people, phones, gaps in the rotation, rosterless freezes.

Coverage is judged over the days the roster says it ``covers``: the rotation has a shift at every
moment of them, and every assurance period (freeze) resolved over them has a roster for each of
its days there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from changeops.findings import Finding, Severity
from changeops.policy.duty import FAULT_LEVELS, CustomerDuty
from changeops.policy.files import FOLDER, Policies
from changeops.policy.freezes import freeze_periods
from changeops.policy.people import close_ids
from changeops.policy.rota import customer_zone, handover_at, local_days, rosters_of, stretches
from changeops.yaml12 import Document

FILE = f"{FOLDER}/duty.yml"
Path = tuple[Any, ...]


def duty_findings(policies: Policies) -> list[Finding]:
    """Every problem of the duty roster that its schema cannot see (``changeops validate`` reports them).

    Judged only when the policy files are sound: with approvers.yml or freezes.yml missing, every person and
    every freeze the roster names would be reported as unknown.
    """
    doc = policies.documents.get("duty.yml")
    if doc is None or doc.problem is not None or not policies.usable:
        return []
    findings: list[Finding] = []
    for person, path in _people(policies):
        findings += _person(policies, doc, person, path)
    for customer, duty in policies.duty.customers.items():
        base: Path = ("customers", customer)
        if customer not in policies.customers:
            findings.append(_at(doc, base, "duty-customer", f"`{customer}` is not a customer of "
                                "policies/customers.yml", "use a customer id from policies/customers.yml", key=True))
            continue
        zone = customer_zone(policies, customer)
        findings += [_at(doc, (*base, *path), rule, message, hint) for path, rule, message, hint in
                     (*_rotation_gaps(duty, zone), *_assurance(policies, customer, duty), *_escalation(duty))]
    return findings


def _people(policies: Policies) -> Iterator[tuple[str, Path]]:
    """Every person the roster names, with where; the key of each phone number too."""
    for person in policies.duty.phones:
        yield person, ("phones", person)
    for customer, duty in policies.duty.customers.items():
        base: Path = ("customers", customer)
        for index, rotation in enumerate(duty.rotation):
            for number, pair in enumerate(rotation.cycle):
                yield pair.primary, (*base, "rotation", index, "cycle", number, "primary")
                yield pair.backup, (*base, "rotation", index, "cycle", number, "backup")
        for index, roster in enumerate(duty.assurance):
            yield roster.contact, (*base, "assurance", index, "contact")
            for number, days in enumerate(roster.days):
                for role in ("on_site", "remote"):
                    for position, person in enumerate(getattr(days, role)):
                        yield person, (*base, "assurance", index, "days", number, role, position)
        for index, level in enumerate(duty.escalation):
            yield level.person, (*base, "escalation", index, "person")


def _person(policies: Policies, doc: Document, person: str, path: Path) -> list[Finding]:
    if policies.person(person) is None:
        close = close_ids(person, policies)
        hint = (f"did you mean {' or '.join(close)}? " if close else "") + \
            "name a person by their id in policies/approvers.yml (add them under `people` if they are new)"
        return [_at(doc, path, "duty-person-unknown", f"{person} is not listed in policies/approvers.yml", hint,
                    key=path[0] == "phones")]
    if path[0] != "phones" and person not in policies.duty.phones:
        return [_at(doc, path, "duty-phone-missing", f"{person} is on the roster without a phone number",
                    f"add `{person}: \"<phone>\"` under `phones` in policies/duty.yml: the customer must be able "
                    "to call everyone on the roster (service plan 2.3.7.2)")]
    return []


def _rotation_gaps(duty: CustomerDuty, zone: ZoneInfo) -> Iterator[tuple[Path, str, str, str]]:
    """Moments of the covered days without a shift, and stretches that overlap."""
    low = handover_at(duty.covers.start, duty, zone)
    high = handover_at(duty.covers.end + timedelta(days=1), duty, zone)
    reached = low
    for index, stretch in enumerate(stretches(duty, zone)):
        path: Path = ("rotation", index, "from")
        if stretch.start < reached and index > 0:
            yield (path, "duty-rotation-overlap",
                   f"this stretch starts on {stretch.rotation.start}, before the one above ends ({_day(reached)})",
                   "set the stretch above's `until` to this `from`, or start this one later")
        elif stretch.start > reached and reached < high:
            yield (path, "duty-rotation-gap",
                   f"nobody is on duty from {_moment(reached, zone)} to {_moment(min(stretch.start, high), zone)}",
                   "start this stretch earlier, or add a stretch for the days in between")
        reached = max(reached, stretch.end) if stretch.end is not None else high
    if reached < high:
        index = len(duty.rotation) - 1
        yield (("rotation", index, "until"), "duty-rotation-gap",
               f"nobody is on duty from {_moment(reached, zone)} to {_moment(high, zone)} (the roster covers "
               f"{duty.covers.start} to {duty.covers.end})", "remove `until` or add a stretch after it")


def _assurance(policies: Policies, customer: str, duty: CustomerDuty) -> Iterator[tuple[Path, str, str, str]]:
    named = {f.name for f in policies.freezes if not f.customers or customer in f.customers}
    for index, roster in enumerate(duty.assurance):
        if roster.freeze not in named:
            yield (("assurance", index, "freeze"), "duty-freeze-unknown",
                   f"{roster.freeze!r} is not a freeze of {customer} in policies/freezes.yml",
                   f"name one of: {', '.join(sorted(named)) or '(none)'}")
    zone = customer_zone(policies, customer)
    for period in freeze_periods(policies, customer, duty.covers.start, duty.covers.end):
        first, last = local_days(period, zone)
        first, last = max(first, duty.covers.start), min(last, duty.covers.end)
        rosters = rosters_of(duty, period.name)
        missing = [day for day in _days(first, last) if not any(d.holds(day) for r in rosters for d in r.days)]
        if not missing:
            continue
        where: Path = ("assurance", duty.assurance.index(rosters[0]), "freeze") if rosters else ("covers",)
        state = "partly rostered" if len(missing) < (last - first).days + 1 else "without a roster"
        yield (where, "duty-assurance-uncovered",
               f"the assurance period {period.name!r} ({first} to {last}) is {state}: nobody is on duty on "
               f"{_spans(missing)}",
               f"add days to an `assurance` roster with `freeze: {period.name}` covering {_spans(missing)} "
               "(service plan 2.3.7.2: the duty engineers and their phones, given to the customer in advance)")


def _escalation(duty: CustomerDuty) -> Iterator[tuple[Path, str, str, str]]:
    """A level reached sooner than the one below it, for some fault level."""
    for index, (lower, higher) in enumerate(zip(duty.escalation, duty.escalation[1:], strict=False), start=1):
        for level in FAULT_LEVELS:
            if higher.after_minutes.of(level) < lower.after_minutes.of(level):
                yield (("escalation", index, "after_minutes", level), "duty-escalation-order",
                       f"level {index + 2} is reached after {higher.after_minutes.of(level)} minutes for a {level} "
                       f"fault, sooner than level {index + 1} ({lower.after_minutes.of(level)} minutes)",
                       "a higher level comes later: give it at least the minutes of the level below")


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _spans(days: list[date]) -> str:
    """``2027-02-03 to 2027-02-05, 2027-02-09``: runs of consecutive days."""
    runs: list[list[date]] = []
    for day in days:
        if runs and day == runs[-1][-1] + timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _moment(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _at(doc: Document, path: Path, rule: str, message: str, hint: str, *, key: bool = False) -> Finding:
    return Finding(FILE, *doc.locate(path, key=key), rule, Severity.ERROR, message, hint)
