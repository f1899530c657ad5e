"""Custom rules written in CEL (common-expression-language) over the change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC
from functools import lru_cache
from typing import Any

import cel
from pydantic import BaseModel

from changeops.findings import Finding, Severity
from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase


@lru_cache(maxsize=256)
def _program(expression: str) -> Any:
    return cel.compile(expression)


_FIELD = re.compile(r"\bchange\.([A-Za-z_][A-Za-z0-9_]*)")
_WHOLE = re.compile(r"\bchange\b(?!\s*\.)")


@lru_cache(maxsize=64)
def _fields_used(expressions: tuple[str, ...]) -> frozenset[str] | None:
    """The record's top-level fields the rules read, or None when a rule uses `change` as a whole.

    Converting a whole record into CEL values costs more than evaluating every rule; rules
    get only what they read, which evaluates the same.
    """
    text = "\n".join(expressions)
    if _WHOLE.search(text):
        return None
    return frozenset(_FIELD.findall(text))


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
    if not ctx.policies.rules.custom:
        return
    variables = cel.Context(variables=_variables(change, ctx))  # converted to CEL values once, not per rule
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


@lru_cache(maxsize=64)
def _aliases(model: type[BaseModel], names: frozenset[str]) -> frozenset[str]:
    """Field names as the model knows them, for the YAML names ``names`` (``from`` is ``origin``)."""
    fields = {info.alias or name: name for name, info in model.model_fields.items()}
    return frozenset(fields[n] for n in names if n in fields)


def _variables(change: ChangeBase, ctx: PolicyContext) -> dict[str, Any]:
    """What rules see. Times are RFC 3339 strings, as in Kubernetes' CEL: compare with timestamp(...)."""
    rules = ctx.policies.rules.custom
    used = _fields_used(tuple(e for rule in rules for e in (rule.applies_to, rule.check)))
    customers = ctx.policies.memo.setdefault("cel-customers", {})
    if change.customer not in customers:
        customer = ctx.customer(change)
        customers[change.customer] = customer.model_dump(mode="json", exclude_none=True) if customer else {}
    return {
        "change": change.model_dump(mode="json", by_alias=True, exclude_none=True,
                                    include=set(_aliases(type(change), used)) if used is not None else None),
        "hosts": sorted(ctx.hosts(change)),
        "customer": customers[change.customer],
        "now": ctx.now.astimezone(UTC).isoformat(),
    }
