"""Custom rules written in CEL (common-expression-language) over the change."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Iterator

import cel

from changeops.findings import Finding, Severity
from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase


@lru_cache(maxsize=256)
def _program(expression: str) -> Any:
    return cel.compile(expression)


def rule_findings(policies: Policies) -> list[Finding]:
    """Custom rules whose expressions do not compile, located in policies/rules.yml."""
    doc = policies.documents.get("rules.yml")
    findings = []
    for index, rule in enumerate(policies.rules.custom):
        for key in ("applies_to", "check"):
            try:
                _program(getattr(rule, key))
            except ValueError as err:
                line, column = doc.locate(("custom", index, key)) if doc else (1, 1)
                findings.append(Finding("policies/rules.yml", line, column, "policy-cel", Severity.ERROR,
                                        f"custom rule {rule.id}: `{key}` is not valid CEL",
                                        str(err).splitlines()[-1] if str(err) else "see https://cel.dev"))
    return findings


def check_custom(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    variables = _variables(change, ctx)
    for rule in ctx.policies.rules.custom:
        try:
            if _program(rule.applies_to).execute(variables) is not True:
                continue
            passed = _program(rule.check).execute(variables)
        except (ValueError, TypeError, KeyError, RuntimeError) as err:
            yield PolicyIssue("policy-custom-error", (), f"custom rule {rule.id} could not be evaluated: {err}",
                              "use has(...) for optional fields in policies/rules.yml")
            continue
        if passed is not True:
            yield PolicyIssue(f"custom:{rule.id}", (), rule.message, rule.hint, Severity(rule.severity))


def _variables(change: ChangeBase, ctx: PolicyContext) -> dict[str, Any]:
    customer = ctx.customer(change)
    return {
        "change": _cel_value(change.model_dump(mode="python", by_alias=True, exclude_none=True)),
        "hosts": sorted(ctx.hosts(change)),
        "customer": _cel_value(customer.model_dump(mode="python", exclude_none=True)) if customer else {},
        "now": ctx.now.astimezone(timezone.utc),
    }


def _cel_value(value: Any) -> Any:
    """Python data CEL accepts: dates become ISO strings, times become UTC timestamps."""
    if isinstance(value, dict):
        return {str(k): _cel_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cel_value(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc)  # CEL timestamps take fixed offsets, not IANA zones
    if isinstance(value, date):
        return value.isoformat()
    return value
