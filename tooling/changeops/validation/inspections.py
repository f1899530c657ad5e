"""The monthly inspection schedule (``policies/inspections.yml``) against the inspection records.

For every month of a schedule entry from its ``from`` up to the current month in the
customer's zone (never past ``until``), every host of the entry's targets must be covered
by an inspection record of that customer for that month. A month that has passed without
one is an error; the current month without one is a warning (there is still time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

from changeops.estate.inventory import Inventory
from changeops.findings import Finding, Severity
from changeops.policy.files import FOLDER, Policies
from changeops.policy.inspections import ScheduleEntry
from changeops.records.inspection import month_of, month_start
from changeops.records.model import ChangeBase, InspectionChange
from changeops.yaml12 import Document

FILE = f"{FOLDER}/inspections.yml"


def months(first: str, last: str) -> Iterator[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    day = month_start(first)
    while month_of(day) <= last:
        yield month_of(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)


def covered(changes: Iterable[ChangeBase], inventory: Inventory) -> set[tuple[str, str, str]]:
    """(customer, month, host) of every inspection record."""
    return {(c.customer, c.inspection.period, host) for c in changes if isinstance(c, InspectionChange)
            for host in inventory.expand(c.targets)}


def schedule_findings(policies: Policies, changes: Iterable[ChangeBase], inventory: Inventory,
                      now: datetime) -> list[Finding]:
    """A finding for every scheduled device and month without an inspection record, and unknown targets."""
    doc = policies.documents.get("inspections.yml") or Document()
    done = covered(changes, inventory)
    findings: list[Finding] = []
    for index, entry in enumerate(policies.inspections.schedule):
        findings += _unknown_targets(entry, index, inventory, doc)
        customer = policies.customers.get(entry.customer)
        current = month_of(now.astimezone(ZoneInfo(customer.zone if customer else "UTC")).date())
        last = min(current, entry.until) if entry.until else current
        hosts = sorted(inventory.expand(t for t in entry.targets if inventory.knows(t)))
        line, column = doc.locate(("schedule", index, "targets"))
        for month in months(entry.start, last) if entry.start <= last else ():
            findings += [_missing(entry, host, month, month == current, line, column) for host in hosts
                         if (entry.customer, month, host) not in done]
    return findings


def _missing(entry: ScheduleEntry, host: str, month: str, current: bool, line: int, column: int) -> Finding:
    when = "this month" if current else "a month that has passed"
    return Finding(FILE, line, column, "inspection-missing", Severity.WARNING if current else Severity.ERROR,
                   f"{host} ({entry.customer}) has no inspection record for {month} ({when})",
                   f"write an inspection covering it: changeops new inspection --targets {host} "
                   f"(inspection.period: {month}), or add it to that month's inspection record's targets")


def _unknown_targets(entry: ScheduleEntry, index: int, inventory: Inventory, doc: Document) -> list[Finding]:
    return [Finding(FILE, *doc.locate(("schedule", index, "targets", position)), "inspection-target",
                    Severity.ERROR, f"`{target}` is not a host or group of the inventory",
                    "name inventory hosts or groups (inventory/hosts.yml)")
            for position, target in enumerate(entry.targets) if not inventory.knows(target)]
