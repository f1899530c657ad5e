"""Which approval model a change may use is decided by policy, not by the requester.

- ``standard``: only a record that instantiates an entry of ``policies/catalogue.yml``, at low risk;
- ``emergency``: only for an incident whose fault level the customer lets answer by an emergency;
- risk ``high`` and ``critical``: never ``standard`` (the extra approval is counted with the quorum).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema

from changeops.policy.catalogue import StandardChange
from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.records.fields import SEVERITY_ZH
from changeops.records.model import ChangeBase

STANDARD_MAX_RISK = "low"


def check_model(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    """The model the record declares, against the catalogue, the incident's level and the risk."""
    if change.model == "standard":
        yield from _standard(change, ctx)
    elif change.catalogue is not None:
        yield PolicyIssue("model-catalogue", ("catalogue",), f"a {change.model} change names a catalogue entry",
                          "remove `catalogue`, or use `model: standard` for a catalogued change")
    if change.model == "emergency":
        yield from _emergency(change, ctx)


def _standard(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    if change.risk.level != STANDARD_MAX_RISK:
        yield PolicyIssue("model-standard-risk", ("risk", "level"),
                          f"a standard change has low risk; this one is {change.risk.level}",
                          "use `model: normal` (high and critical risk also need the rules' extra approver)")
    entry = ctx.policies.catalogue.get(change.catalogue or "")
    if entry is None:
        known = ", ".join(sorted(ctx.policies.catalogue)) or "none defined"
        yield PolicyIssue("model-standard-catalogue", ("catalogue",) if change.catalogue else ("model",),
                          f"`model: standard` needs an entry of policies/catalogue.yml; "
                          f"{change.catalogue or 'the record names none'} is not one",
                          f"set `catalogue:` to a catalogued standard change ({known}), or use `model: normal`")
        return
    yield from _instance_of(change, entry, ctx)


def _instance_of(change: ChangeBase, entry: StandardChange, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    """What in the record goes beyond its catalogue entry."""
    hint = "stay within the catalogue entry, or use `model: normal`"
    if getattr(change, "type", None) != entry.type:
        yield PolicyIssue("model-standard-type", ("type",), f"the catalogue entry is a {entry.type}, not this type",
                          hint)
    if entry.customers and change.customer not in entry.customers:
        yield PolicyIssue("model-standard-customer", ("customer",),
                          f"the catalogue entry is not agreed with {change.customer}", hint)
    allowed = ctx.inventory.expand(entry.target_groups)
    for index, target in enumerate(change.targets):
        outside = sorted(ctx.inventory.expand([target]) - allowed)
        if outside:
            yield PolicyIssue("model-standard-targets", ("targets", index),
                              f"{', '.join(outside)} not in the entry's groups {', '.join(entry.target_groups)}", hint)
    for name, step in change.steps().items():
        if step.playbook not in entry.playbooks:
            yield PolicyIssue("model-standard-playbook", (name, "playbook"),
                              f"{step.playbook} is not one of the entry's playbooks", hint)
        problem = _vars_problem(step.vars, entry.vars_schema)
        if problem is not None:
            yield PolicyIssue("model-standard-vars", (name, "vars", *problem[0]), problem[1], hint)


def _vars_problem(values: dict[str, Any], schema: dict[str, Any]) -> tuple[tuple[Any, ...], str] | None:
    try:
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(values))
    except jsonschema.exceptions.SchemaError as err:
        return (), f"the catalogue entry's vars_schema is not a JSON Schema: {err.message}"
    if error is None:
        return None
    return tuple(error.absolute_path), f"vars outside the catalogue entry: {error.message}"


def _emergency(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    customer = ctx.customer(change)
    if change.incident is None or customer is None:
        return  # the record rules and the customer check say why
    levels = customer.emergency_severities
    if change.incident.severity not in levels:
        allowed = ", ".join(f"{level} ({SEVERITY_ZH[level]})" for level in levels)
        yield PolicyIssue("model-emergency-severity", ("incident", "severity"),
                          f"a {change.incident.severity} ({SEVERITY_ZH[change.incident.severity]}) incident does "
                          f"not allow an emergency change for {change.customer}; it allows one for {allowed}",
                          "plan a normal change with notice and approvals, or correct the incident's level")
