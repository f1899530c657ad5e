"""The approval model a change may use is decided by the catalogue, the incident level and the risk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from changeops.policy.models import check_model
from policy_helpers import change, context, record, rules_of

EMERGENCY = "CHG-20261120-dl-edge-route-fix"


def standard(**changes: Any):  # noqa: ANN201 - a ChangeBase
    fields = {"model": "standard", "catalogue": "ios-smu-core", "risk": {"level": "low", "description": "routine"}}
    return change(**{**fields, **changes})


def test_catalogued_low_risk_change_may_be_standard(tmp_path: Path) -> None:
    assert list(check_model(standard(), context(tmp_path))) == []


def test_standard_without_a_catalogue_entry_is_refused(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    [issue] = check_model(change(model="standard", risk={"level": "low", "description": "routine"}), ctx)
    assert issue.rule == "model-standard-catalogue" and "ios-smu-core" in issue.hint
    [issue] = check_model(standard(catalogue="anything-goes"), ctx)
    assert issue.rule == "model-standard-catalogue" and issue.path == ("catalogue",)


def test_standard_change_beyond_its_entry_is_refused(tmp_path: Path) -> None:
    data = record("CHG-20261208-core-smu-snmp")
    implementation = {**data["implementation"], "playbook": "upgrade.yml"}
    verification = {**data["verification"], "vars": {**data["verification"]["vars"], "expected_version": "16.12.1"}}
    issues = list(check_model(standard(targets=["sy-dc1-core-r1", "firewalls"], implementation=implementation,
                                       verification=verification), context(tmp_path)))
    assert sorted(rules_of(issues)) == ["model-standard-playbook", "model-standard-targets", "model-standard-vars"]
    vars_issue = next(i for i in issues if i.rule == "model-standard-vars")
    assert vars_issue.path == ("verification", "vars", "expected_version") and "16.12.1" in vars_issue.message
    targets = next(i for i in issues if i.rule == "model-standard-targets")
    assert targets.path == ("targets", 1) and "sy-dc1-fw1" in targets.message


def test_high_risk_is_never_standard(tmp_path: Path) -> None:
    issues = list(check_model(standard(risk={"level": "high", "description": "reloads"}), context(tmp_path)))
    assert rules_of(issues) == ["model-standard-risk"]


def test_catalogue_on_a_normal_change_is_refused(tmp_path: Path) -> None:
    assert rules_of(check_model(change(catalogue="ios-smu-core"), context(tmp_path))) == ["model-catalogue"]


def test_emergency_only_for_the_levels_the_customer_allows(tmp_path: Path) -> None:
    incident = record(EMERGENCY)["incident"]
    ctx = context(tmp_path / "demo")
    assert list(check_model(change(EMERGENCY), ctx)) == []
    [issue] = check_model(change(EMERGENCY, incident={**incident, "severity": "general"}), ctx)
    assert issue.rule == "model-emergency-severity" and issue.path == ("incident", "severity")
    customers = (Path(__file__).resolve().parents[2] / "policies/customers.yml").read_text(encoding="utf-8")
    relaxed = customers.replace("emergency_severities: [critical, major, severe]",
                                "emergency_severities: [critical, major, severe, general]")
    general = change(EMERGENCY, incident={**incident, "severity": "general"})
    assert list(check_model(general, context(tmp_path / "relaxed", customers=relaxed))) == []
