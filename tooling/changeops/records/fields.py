"""Field types shared by the change record models."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

ID_PATTERN = re.compile(r"^CHG-(?P<date>\d{8})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
SLUG_LENGTH = (3, 48)


class Strict(BaseModel):
    """Base of every record model: unknown fields are errors, values are not coerced (``"20"`` is not 20).

    Times and dates are the exception: YAML 1.2 reads ``2026-12-08 00:30`` as text, so they
    are parsed from ISO 8601 text too (see ``Aware``, ``Moment``, ``Day``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class Bilingual(Strict):
    """Text the customer reads, in Chinese and/or English."""

    zh: NonEmpty | None = None
    en: NonEmpty | None = None

    @model_validator(mode="after")
    def _one_language(self) -> Bilingual:
        if self.zh is None and self.en is None:
            raise PydanticCustomError("text_empty", "give the text in at least one language (zh or en)")
        return self


Text = NonEmpty | Bilingual
"""Plain text, or ``{zh: ..., en: ...}`` where the customer gets documents in both languages."""


def text_in(text: Text | None, language: str) -> str:
    """The text in ``language``, falling back to the other language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    preferred = getattr(text, language, None)
    return preferred or text.zh or text.en or ""


def _change_id(value: str) -> str:
    match = ID_PATTERN.match(value)
    if not match:
        raise PydanticCustomError("change_id", "an ID is CHG-YYYYMMDD-<slug> with a lowercase slug of letters, "
                                  "digits and hyphens, e.g. CHG-20261208-core-patch")
    slug = match["slug"]
    if not SLUG_LENGTH[0] <= len(slug) <= SLUG_LENGTH[1]:
        raise PydanticCustomError("change_id", "the slug after the date must be {low} to {high} characters",
                                  {"low": SLUG_LENGTH[0], "high": SLUG_LENGTH[1]})
    try:
        datetime.strptime(match["date"], "%Y%m%d")
    except ValueError:
        raise PydanticCustomError("change_id", "{date} is not a calendar date", {"date": match["date"]}) from None
    return value


ChangeId = Annotated[str, AfterValidator(_change_id)]


def id_date(change_id: str) -> date | None:
    """The date in a change ID (its window's start date), or None for a malformed ID."""
    match = ID_PATTERN.match(change_id)
    if not match:
        return None
    text = match["date"]
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError("time_zone", "{value!r} is not an IANA time zone such as Asia/Shanghai",
                                  {"value": value}) from None
    return value


Zone = Annotated[str, AfterValidator(_zone)]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError("naive_time", "the time has no UTC offset")
    return value


Aware = Annotated[datetime, Field(strict=False), AfterValidator(_aware)]
"""Times may be written as YAML timestamps or ISO 8601 text (the only coercion strict models allow)."""
Moment = Annotated[datetime, Field(strict=False)]
Day = Annotated[date, Field(strict=False)]


Checksum = Annotated[str, StringConstraints(pattern=r"^(md5:[0-9a-f]{32}|sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$")]

Severity = Literal["critical", "major", "severe", "general"]
"""Fault levels of the service plan: 特大 / 重大 / 严重 / 一般."""

SEVERITY_ZH = {"critical": "特大", "major": "重大", "severe": "严重", "general": "一般"}


VARIABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
RESERVED_PREFIXES = ("ansible_", "become", "changeops_", "lab_")
RESERVED_NAMES = frozenset({
    "target_hosts", "backup_dir", "hostvars", "groups", "group_names", "inventory_hostname",
    "inventory_hostname_short", "inventory_dir", "inventory_file", "omit", "play_hosts", "playbook_dir",
    "role_name", "role_path", "role_names", "environment", "vars", "connection", "remote_user", "port",
})


def _variable_names(value: dict[str, object]) -> dict[str, object]:
    """A step's variables are data for the playbook, never connection, privilege or changeops settings."""
    for name in value:
        if not VARIABLE_NAME.match(name):
            raise PydanticCustomError("var_name", "`{name}` is not a variable name (lowercase letters, digits and _)",
                                      {"name": name})
        if name.startswith(RESERVED_PREFIXES) or name in RESERVED_NAMES:
            raise PydanticCustomError("var_reserved", "`{name}` is a connection, privilege or reserved variable: "
                                      "a record may not set it", {"name": name})
    return value


StepVars = Annotated[dict[str, Any], AfterValidator(_variable_names)]

TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


def _target_name(value: str) -> str:
    """A target names one inventory host or group: no Ansible host pattern."""
    if value == "all" or not TARGET_NAME.match(value):
        raise PydanticCustomError("target_pattern", "`{value}` is a host pattern, not a host or group name",
                                  {"value": value})
    return value


TargetName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_target_name)]
