"""Custom rules in CEL: compiled once, located in rules.yml when broken, evaluated over the change."""

from __future__ import annotations

from pathlib import Path

from changeops.findings import Severity
from changeops.policy.custom import check_custom
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from policy_helpers import change, context, policies_dir, record, rules_of

RULES = Path(__file__).resolve().parents[2] / "policies/rules.yml"


def test_demo_rules_pass_the_demo_records(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    for folder in ("CHG-20261208-core-smu-snmp", "CHG-20261210-dl-edge-upgrade", "CHG-20261120-dl-edge-route-fix"):
        assert rules_of(check_custom(change(folder), ctx)) == []


def test_failed_lab_test_is_refused_by_a_custom_rule(tmp_path: Path) -> None:
    patch = record("CHG-20261208-core-smu-snmp")["patch"]
    failed = dict(patch, lab_test=dict(patch["lab_test"], result="failed"))
    [issue] = check_custom(change(patch=failed), context(tmp_path))
    assert issue.rule == "custom:patch-lab-test-passed" and issue.severity is Severity.ERROR


def test_warning_rule_and_applies_to(tmp_path: Path) -> None:
    impact = dict(record("CHG-20261210-dl-edge-upgrade")["impact"], services=[])
    [issue] = check_custom(change("CHG-20261210-dl-edge-upgrade", impact=impact), context(tmp_path))
    assert issue.rule == "custom:outage-named-services" and issue.severity is Severity.WARNING


def test_time_arithmetic_over_the_window(tmp_path: Path) -> None:
    rule = RULES.read_text().replace("custom:\n", """custom:
  - id: short-patches
    applies_to: change.type == "patch"
    check: timestamp(change.window.end) - timestamp(change.window.start) <= duration("2h")
    message: patches take at most two hours here
    hint: shorten the window
""", 1)
    assert rules_of(check_custom(change(), context(tmp_path, rules=rule))) == ["custom:short-patches"]


def test_invalid_cel_is_a_finding_in_rules_yml(tmp_path: Path) -> None:
    broken = RULES.read_text().replace('check: size(change.engineers) >= 2', 'check: size(change.engineers) >=')
    policies = read_policies(DirectorySource(policies_dir(tmp_path, rules=broken)))
    [finding] = policies.findings
    assert (finding.file, finding.rule) == ("policies/rules.yml", "policy-cel")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "size(change.engineers) >=" in text)
    assert finding.line == line
