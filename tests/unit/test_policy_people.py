"""People in records are ids of listed people; names are shown through one function."""

from __future__ import annotations

from pathlib import Path

from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from changeops.policy.people import check_people, close_ids, display_name
from policy_helpers import change, context, policies_dir, rules_of


def test_demo_records_name_listed_people(tmp_path: Path) -> None:
    assert list(check_people(change(), context(tmp_path))) == []


def test_a_name_is_refused_with_the_ids_it_resembles(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    [issue] = check_people(change(requested_by="王建国 (ticket LNPDN-REQ-2026-1187)"), ctx)
    assert issue.rule == "person-unknown" and issue.path == ("requested_by",)
    assert issue.hint.startswith("did you mean wangjg?")
    [issue] = check_people(change(engineers=["lihaitao", "Sun Lei"]), ctx)
    assert issue.path == ("engineers", 1) and "did you mean sunlei" in issue.hint


def test_an_id_nobody_holds_is_refused(tmp_path: Path) -> None:
    [issue] = check_people(change(engineers=["lihaitao", "zhangsan"]), context(tmp_path))
    assert "zhangsan, who is not listed" in issue.message


def test_look_alike_letters_are_named(tmp_path: Path) -> None:
    [issue] = check_people(change(requested_by="wаngjg"), context(tmp_path))  # Cyrillic а
    assert "CYRILLIC SMALL LETTER A" in issue.message and "wangjg" in issue.hint


def test_close_ids_finds_names_in_either_language(tmp_path: Path) -> None:
    policies = context(tmp_path).policies
    assert close_ids("Li Haitao", policies)[0] == "lihaitao"
    assert close_ids("刘洋", policies)[0] == "liuyang"
    assert close_ids("somebody else entirely", policies) == []


def test_display_name_in_the_customer_language(tmp_path: Path) -> None:
    policies = context(tmp_path).policies
    assert display_name("lihaitao", policies, "zh") == "李海涛 (Li Haitao)"
    assert display_name("lihaitao", policies, "en") == "Li Haitao (李海涛)"
    assert display_name("nobody", policies, "zh") == "nobody"


def approvers_findings(tmp_path: Path, **edits: str) -> list:
    text = (policies_dir(tmp_path) / "approvers.yml").read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "policies/approvers.yml").write_text(text, encoding="utf-8")
    return read_policies(DirectorySource(tmp_path / "policies")).findings


def test_approvers_file_refuses_a_look_alike_id(tmp_path: Path) -> None:
    [finding] = approvers_findings(tmp_path, **{"  - id: zhoutao\n": "  - id: zh\u043etao\n"})  # Cyrillic о
    assert finding.rule == "policy-invalid" and "CYRILLIC SMALL LETTER O" in finding.message


def test_approvers_file_refuses_a_person_twice_and_a_shared_address(tmp_path: Path) -> None:
    findings = approvers_findings(tmp_path, **{"    email: zhaomin@netops.example.com\n":
                                               "    email: sunlei@netops.example.com\n",
                                               "  - id: wangpeng\n": "  - id: lihaitao\n"})
    assert sorted(rules_of(findings)) == ["policy-person-email", "policy-person-twice"]
    assert all(f.file == "policies/approvers.yml" and f.line > 1 for f in findings)
