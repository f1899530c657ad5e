"""Run the policy checks on a change: windows, freezes, notice, backup, rollback, custom rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.policy.custom import check_custom, rule_findings
from changeops.policy.files import Policies, PolicySource, load_policies
from changeops.policy.freezes import check_freeze
from changeops.policy.models import check_model
from changeops.policy.notice import check_notice
from changeops.policy.people import check_people
from changeops.policy.steps import check_backup, check_rollback
from changeops.policy.windows import check_window
from changeops.records.model import ChangeBase

Check = Callable[[ChangeBase, PolicyContext], Iterator[PolicyIssue]]
PER_CHANGE: tuple[Check, ...] = (check_window, check_freeze, check_notice, check_backup, check_rollback, check_custom,
                                 check_people, check_model)


def read_policies(source: PolicySource) -> Policies:
    """Policy files from ``source``, with their CEL expressions compiled and checked."""
    policies = load_policies(source)
    policies.findings += rule_findings(policies)
    return policies


def policy_issues(change: ChangeBase, ctx: PolicyContext) -> list[PolicyIssue]:
    """Every per-change policy problem (conflicts and due reports are checked across changes)."""
    if change.customer not in ctx.policies.customers:
        return [PolicyIssue("policy-customer", ("customer",),
                            f"`{change.customer}` is not a customer of policies/customers.yml",
                            "use a customer ID from policies/customers.yml")]
    return [issue for check in PER_CHANGE for issue in check(change, ctx)]


def max_window_days(policies: Policies) -> int:
    """The most days a window can span, for finding changes that could overlap another."""
    hours = max(policies.rules.window.max_hours.values(), default=24)
    return int(hours // 24) + 2
