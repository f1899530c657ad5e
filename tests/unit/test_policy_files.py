"""Policy files are validated like records: file, line, column, hint."""

from __future__ import annotations

from pathlib import Path

from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from policy_helpers import policies_dir


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
