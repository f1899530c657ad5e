"""What every policy check reads, and what it reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from changeops.estate.inventory import Inventory
from changeops.findings import Severity
from changeops.policy.files import Customer, Policies
from changeops.records.model import ChangeBase


@dataclass(frozen=True)
class PolicyIssue:
    """A policy problem at a path of the record (located in the file by the caller)."""

    rule: str
    path: tuple[Any, ...]
    message: str
    hint: str
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class PolicyContext:
    policies: Policies
    inventory: Inventory
    now: datetime

    def customer(self, change: ChangeBase) -> Customer | None:
        return self.policies.customers.get(change.customer)

    def zone(self, change: ChangeBase) -> ZoneInfo:
        customer = self.customer(change)
        return ZoneInfo(customer.zone if customer else "UTC")

    def hosts(self, change: ChangeBase) -> set[str]:
        return self.inventory.expand(change.targets)


def utc(moment: datetime) -> datetime:
    """Compare instants in UTC: Python compares two datetimes of one ZoneInfo by wall time."""
    return moment.astimezone(UTC)


def local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %a")
