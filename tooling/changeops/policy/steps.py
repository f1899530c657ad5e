"""Backup and rollback: the steps every change of a kind must carry."""

from __future__ import annotations

from collections.abc import Iterator

from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.records.fields import text_in
from changeops.records.model import ChangeBase


def check_backup(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    """A backup step for the types that need one. It always runs before implementation: the run
    order is fixed (precheck, backup, implementation, verification)."""
    required = ctx.policies.rules.backup.required_for
    if change.type in required and change.backup is None:  # type: ignore[attr-defined]
        yield PolicyIssue("policy-backup", ("implementation",),
                          f"a {change.type} must back up the devices first, and this change has no `backup` step",  # type: ignore[attr-defined]
                          "add `backup: {playbook: backup.yml}`")
    elif change.backup is not None and change.backup.playbook == change.implementation.playbook:
        yield PolicyIssue("policy-backup", ("backup", "playbook"),
                          "the backup step runs the implementation playbook", "name the backup playbook")


def check_rollback(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    """The rollback plan (回退计划) names a playbook and, when required, says in words what it does.

    A read-only change (an inspection) has nothing to roll back: its model has no rollback step.
    """
    if change.rollback is None:
        return
    if not change.rollback.playbook.strip():
        yield PolicyIssue("policy-rollback", ("rollback", "playbook"), "the rollback plan names no playbook",
                          "name the playbook that returns the devices to their state before the change")
    if ctx.policies.rules.rollback.require_description and not text_in(change.rollback.description, "en"):
        yield PolicyIssue("policy-rollback", ("rollback",),
                          "the rollback plan does not say when and how the change is rolled back",
                          "add `description:` to `rollback` (the customer reads it in the notice)")
