"""Items the customer reports share: follow-up actions (open issues), spare parts replaced, training given."""

from __future__ import annotations

from pydantic import Field

from changeops.records.fields import Aware, Day, Name, NonEmpty, Strict, Text


class FollowUp(Strict):
    """An action promised to the customer; open until ``done`` (the summaries' open issues, 问题跟踪)."""

    action: Text
    owner: Name
    due: Day
    done: Day | None = None


class Part(Strict):
    """A spare part fitted (备件更换): what, why, when, and the serial numbers out and in."""

    item: NonEmpty = Field(description="the part, e.g. its vendor part number")
    reason: Text
    replaced: Aware
    serial_removed: NonEmpty | None = None
    serial_fitted: NonEmpty | None = None


class Training(Strict):
    """Training given to the customer's staff (2.2.5.6, 2.3.6, 2.3.8.3)."""

    date: Day
    topic: Text
    trainer: Name
    attendees: list[Name] = Field(min_length=1)
    hours: float = Field(gt=0, le=24)
