"""Policy files are validated like records: file, line, column, hint."""

from __future__ import annotations

from pathlib import Path

from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from policy_helpers import REPO, policies_dir

REPO_POLICIES = REPO / "policies"


def findings(tmp_path: Path, **replacements: str):
    return read_policies(DirectorySource(policies_dir(tmp_path, **replacements))).findings


def test_demo_policies_are_valid(tmp_path: Path) -> None:
    policies = read_policies(DirectorySource(policies_dir(tmp_path)))
    assert policies.findings == [] and policies.usable
    assert policies.customers["lnpdn"].zone == "Asia/Shanghai"
    assert {a.role for a in policies.approvers} == {"customer", "provider"}


def test_missing_file_is_reported(tmp_path: Path) -> None:
    folder = policies_dir(tmp_path)
    (folder / "freezes.yml").unlink()
    [finding] = read_policies(DirectorySource(folder)).findings
    assert (finding.file, finding.rule) == ("policies/freezes.yml", "policy-missing")


def test_bad_clock_time_is_located(tmp_path: Path) -> None:
    windows = ('windows:\n  - name: w\n    customer: lnpdn\n    weekly:\n      - days: [tue]\n'
               '        start: "25:00"\n        end: "06:00"\n')
    [finding] = findings(tmp_path, windows=windows)
    assert (finding.file, finding.line, finding.column) == ("policies/windows.yml", 6, 16)
    assert "HH:MM" in finding.message


def test_unknown_customer_and_bad_zone(tmp_path: Path) -> None:
    windows = 'windows:\n  - name: w\n    customer: acme\n    weekly: [{days: [tue], start: "00:00", end: "06:00"}]\n'
    customers = "customers:\n  lnpdn: {name: x, zone: Asia/Shenyang, language: zh}\n"
    rules = {(f.file, f.rule, f.line) for f in findings(tmp_path, windows=windows, customers=customers)}
    assert ("policies/customers.yml", "policy-invalid", 2) in rules


def test_unknown_customer_in_a_window(tmp_path: Path) -> None:
    windows = 'windows:\n  - name: w\n    customer: acme\n    weekly: [{days: [tue], start: "00:00", end: "06:00"}]\n'
    [finding] = findings(tmp_path, windows=windows)
    assert (finding.rule, finding.line, finding.column) == ("policy-customer", 3, 15)


def test_freeze_needs_exactly_one_kind(tmp_path: Path) -> None:
    freezes = ("freezes:\n  - name: f\n    reason: r\n    yearly: {from: \"07-20\", to: \"08-20\"}\n"
               "    once: {start: 2026-01-01, end: 2026-01-02}\n")
    [finding] = findings(tmp_path, freezes=freezes)
    assert finding.file == "policies/freezes.yml" and "exactly one" in finding.message


def test_bad_ssh_key_is_refused(tmp_path: Path) -> None:
    approvers = ("approvers:\n  - id: xu\n    name: X\n    email: x@example.cn\n    role: customer\n"
                 "    customers: [lnpdn]\n    keys: [not-a-key]\n")
    [finding] = findings(tmp_path, approvers=approvers)
    assert finding.line == 7 and finding.rule == "policy-invalid"


def _with_execution(text: str) -> str:
    return (REPO_POLICIES / "rules.yml").read_text(encoding="utf-8") + "execution:\n" + text


def test_execution_limits_in_seconds_are_read(tmp_path: Path) -> None:
    rules = _with_execution("  stage_timeout_seconds: 20\n  lease_margin_seconds: 15\n")
    policies = read_policies(DirectorySource(policies_dir(tmp_path, rules=rules)))
    assert policies.findings == []
    execution = policies.rules.execution
    assert (execution.stage_seconds, execution.lease_margin_seconds) == (20, 15)


def test_execution_defaults_are_two_hours_a_stage_and_a_quarter_hour_margin(tmp_path: Path) -> None:
    execution = read_policies(DirectorySource(policies_dir(tmp_path))).rules.execution
    assert (execution.stage_seconds, execution.lease_margin_seconds) == (2 * 3600, 15 * 60)


def test_execution_limits_below_the_minimum_or_given_twice_are_located(tmp_path: Path) -> None:
    lines = len((REPO_POLICIES / "rules.yml").read_text(encoding="utf-8").splitlines())
    tiny = findings(tmp_path / "a", rules=_with_execution("  stage_timeout_seconds: 2\n  lease_margin_seconds: 1\n"))
    assert sorted((f.file, f.line) for f in tiny) == [("policies/rules.yml", lines + 2), ("policies/rules.yml",
                                                                                            lines + 3)]
    assert all(f.rule == "policy-invalid" for f in tiny)
    twice = findings(tmp_path / "b", rules=_with_execution("  stage_timeout_minutes: 5\n  stage_timeout_seconds: 30\n"))
    assert len(twice) == 1 and "not both" in twice[0].message
