"""The standard-change catalogue (``policies/catalogue.yml``): pre-approved kinds of change.

A record may use ``model: standard`` only when it instantiates an entry: same type, only the
entry's playbooks, only hosts of the entry's groups, step variables the entry's schema accepts,
and low risk. Anything else is a normal (or emergency) change and gets its full approvals.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from changeops.records.fields import NonEmpty, Strict, Text
from changeops.records.model import ChangeType

EntryId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


class StandardChange(Strict):
    """One catalogued standard change (标准变更)."""

    title: Text
    type: ChangeType
    customers: list[NonEmpty] = Field(default_factory=list, description="empty: every customer")
    playbooks: list[NonEmpty] = Field(min_length=1, description="playbooks (relative to playbooks/) its steps may run")
    target_groups: list[NonEmpty] = Field(min_length=1, description="inventory groups whose hosts it may target")
    vars_schema: dict[str, Any] = Field(default_factory=lambda: {"type": "object"},
                                        description="JSON Schema that every step's `vars` must satisfy")


class CatalogueFile(Strict):
    standard_changes: dict[EntryId, StandardChange] = Field(default_factory=dict)
