"""`changeops check` on real git repositories: a base branch and pull-request branches per scenario."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest
from changeops.gate.check import check_pull_request
from changeops.render import check_markdown
from demo_keys import demo_key
from support.estate import replace_once

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
PATCH = "changes/CHG-20261208-core-smu-snmp/change.yaml"
BEFORE_WINDOWS = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
"""After the demo changes' notices went out (a notice dated later is refused), before their windows."""


@pytest.fixture
def repo(estate_root: Path) -> git.Repo:
    """The demo estate committed on `main`."""
    repository = git.Repo.init(estate_root, initial_branch="main")
    repository.git.add(A=True)
    repository.index.commit("demo estate")
    return repository


def branch(repo: git.Repo, name: str, start: str = "main") -> None:
    repo.git.checkout("-q", "-b", name, start)


def add_change(repo: git.Repo, change_id: str, *, start: str, end: str, notice: str = "2026-12-01T10:00:00+08:00",
               targets: str = "  - sy-dc1-core-r1\n  - sy-dc1-core-r2\n", source: str = PATCH, model: str = "normal",
               commit: bool = True) -> str:
    """A copy of a demo record with a new ID, window, notice and targets; committed on the current branch."""
    root = Path(repo.working_dir)
    text = (root / source).read_text(encoding="utf-8")
    old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
    text = text.replace(f"id: {old_id}", f"id: {change_id}").replace("model: normal", f"model: {model}")
    window = text.split("\nwindow:\n", 1)[1].split("\n", 2)
    text = text.replace(f"{window[0]}\n{window[1]}", f"  start: {start}\n  end: {end}")
    if "\nnotice:\n  sent: " in text:
        sent = text.split("\nnotice:\n  sent: ", 1)[1].split("\n", 1)[0]
        text = text.replace(f"sent: {sent}", f"sent: {notice}")
    listed = text.split("\ntargets:\n", 1)[1].split("window:", 1)[0]
    text = text.replace(f"targets:\n{listed}", f"targets:\n{targets}")
    path = root / "changes" / change_id / "change.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    if commit:
        repo.git.add(A=True)
        repo.index.commit(f"add {change_id}")
    return f"changes/{change_id}/change.yaml"


APPROVAL_RULES = {"approval-quorum", "approval-stale"}


def rules(outcome) -> set[tuple[str, str]]:
    """The policy findings (approvals have their own tests: these pull requests are not approved)."""
    return {(f.file, f.rule) for f in policy_findings(outcome)}


def policy_findings(outcome) -> list:
    return [f for f in outcome.report.findings if f.rule not in APPROVAL_RULES]


def approve_with_demo_keys(repo: git.Repo, change_id: str, tmp_path: Path) -> None:
    """Approve as the demo estate's customer (chenjing) and provider (sunlei) approvers (lihaitao is an engineer)."""
    from changeops.approvals.approve import approve
    from changeops.approvals.status import trusted_policies
    from changeops.estate.layout import Estate

    estate = Estate(Path(repo.working_dir))
    policies, _ = trusted_policies(estate, "main")
    for who in ("chenjing", "sunlei"):
        approve(estate, change_id, key=demo_key(who), policies=policies)
    repo.git.add(A=True)
    repo.index.commit(f"approve {change_id}")


def test_clean_approved_change_passes(repo: git.Repo, tmp_path: Path) -> None:
    branch(repo, "clean")
    add_change(repo, "CHG-20261222-core-acl", start="2026-12-22T00:30:00+08:00", end="2026-12-22T04:30:00+08:00")
    approve_with_demo_keys(repo, "CHG-20261222-core-acl", tmp_path)
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE_WINDOWS)
    assert outcome.report.findings == () and outcome.report.checked == 1
    markdown = check_markdown(outcome)
    assert "✅ passed" in markdown and "我方计划于 2026-12-22 00:30 – 2026-12-22 04:30 (Asia/Shanghai)" in markdown


def test_change_outside_the_window_is_refused(repo: git.Repo) -> None:
    branch(repo, "wednesday")
    file = add_change(repo, "CHG-20261223-core-acl", start="2026-12-23T00:30:00+08:00",
                      end="2026-12-23T04:30:00+08:00")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE_WINDOWS)
    assert rules(outcome) == {(file, "policy-window")} and not outcome.report.clean


def test_change_in_a_freeze_is_refused_and_an_emergency_is_warned(repo: git.Repo) -> None:
    branch(repo, "flood")
    planned = add_change(repo, "CHG-20270727-core-acl", start="2027-07-27T00:30:00+08:00",
                         end="2027-07-27T04:30:00+08:00", notice="2027-07-19T10:00:00+08:00")
    emergency = add_change(repo, "CHG-20270728-dl-fix", start="2027-07-28T02:30:00+08:00",
                           end="2027-07-28T04:00:00+08:00", targets="  - dl-pop1-edge-r1\n",
                           source="changes/CHG-20261120-dl-edge-route-fix/change.yaml", model="emergency",
                           commit=False)
    incident = Path(repo.working_dir) / emergency  # the copied incident happens in its new window
    incident.write_text(incident.read_text(encoding="utf-8").replace("2026-11-20T", "2027-07-28T"), encoding="utf-8")
    repo.git.add(A=True)
    repo.index.commit("add CHG-20270728-dl-fix")
    noticed = datetime(2027, 7, 20, tzinfo=UTC)
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=noticed)
    assert rules(outcome) == {(planned, "policy-freeze"), (emergency, "policy-freeze-emergency")}
    warning = next(f for f in policy_findings(outcome) if f.file == emergency)
    assert warning.severity.value == "warning" and "fault report" in warning.message


def test_notice_too_late_across_a_public_holiday(repo: git.Repo) -> None:
    branch(repo, "late-notice")
    file = add_change(repo, "CHG-20261008-core-acl", start="2026-10-08T00:30:00+08:00",
                      end="2026-10-08T04:30:00+08:00", notice="2026-09-28T10:00:00+08:00")
    noticed = datetime(2026, 9, 29, tzinfo=UTC)
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=noticed)
    [finding] = policy_findings(outcome)
    assert (finding.file, finding.rule) == (file, "policy-notice")
    assert "leaves 2 working day(s)" in finding.message


def test_conflict_with_a_change_merged_from_another_pull_request(repo: git.Repo) -> None:
    branch(repo, "second")
    mine = add_change(repo, "CHG-20261222-core-r2-acl", start="2026-12-22T02:00:00+08:00",
                      end="2026-12-22T05:00:00+08:00", targets="  - sy-dc1-core-r2\n")
    branch(repo, "first", "main")
    add_change(repo, "CHG-20261222-core-r1-acl", start="2026-12-22T00:30:00+08:00", end="2026-12-22T03:00:00+08:00",
               targets="  - sy-dc1-core-r1\n")
    repo.git.checkout("-q", "main")
    repo.git.merge("-q", "--no-ff", "first", "-m", "merge first")
    repo.git.checkout("-q", "second")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE_WINDOWS)
    [finding] = policy_findings(outcome)
    assert (finding.file, finding.rule) == (mine, "policy-conflict")
    assert "CHG-20261222-core-r1-acl (base branch" in finding.message
    assert "sy-dc1-core-r1 (redundancy peer of sy-dc1-core-r2)" in finding.message


def test_id_already_taken_on_the_base(repo: git.Repo) -> None:
    branch(repo, "later")
    mine = add_change(repo, "CHG-20261229-core-acl", start="2026-12-29T00:30:00+08:00",
                      end="2026-12-29T04:30:00+08:00")
    branch(repo, "earlier", "main")
    add_change(repo, "CHG-20261229-core-acl", start="2026-12-29T00:30:00+08:00", end="2026-12-29T04:30:00+08:00",
               targets="  - sy-dc1-dist-sw1\n")
    repo.git.checkout("-q", "main")
    repo.git.merge("-q", "--no-ff", "earlier", "-m", "merge earlier")
    repo.git.checkout("-q", "later")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE_WINDOWS)
    assert (mine, "id-exists-on-base") in rules(outcome)


def test_widening_the_windows_in_the_same_pull_request_is_still_refused(repo: git.Repo) -> None:
    branch(repo, "sneaky")
    windows = Path(repo.working_dir) / "policies/windows.yml"
    replace_once(windows, "days: [tue, thu]", "days: [mon, tue, wed, thu, fri, sat, sun]")
    file = add_change(repo, "CHG-20261223-core-acl", start="2026-12-23T00:30:00+08:00",
                      end="2026-12-23T04:30:00+08:00")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE_WINDOWS)
    assert (file, "policy-window") in rules(outcome)
    assert ("policies/windows.yml", "policy-approval") in rules(outcome)
    assert ("policies/windows.yml", "pull-request-mixed") in rules(outcome)
    assert outcome.policy_edits == ["policies/windows.yml"]
    assert "needs its own review" in check_markdown(outcome)


def test_head_ref_is_checked_in_its_own_worktree(repo: git.Repo) -> None:
    branch(repo, "elsewhere")
    file = add_change(repo, "CHG-20261223-core-acl", start="2026-12-23T00:30:00+08:00",
                      end="2026-12-23T04:30:00+08:00")
    repo.git.checkout("-q", "main")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref="elsewhere", now=BEFORE_WINDOWS)
    assert rules(outcome) == {(file, "policy-window")}
    assert repo.git.worktree("list").count("\n") == 0  # the temporary worktree is gone


def test_cli_check_exit_codes_and_formats(repo: git.Repo) -> None:
    root = Path(repo.working_dir)
    changeops = shutil.which("changeops")
    branch(repo, "cli")
    clean = subprocess.run([changeops, "check", "--base", "main", "--format", "json"], cwd=root, capture_output=True,
                           text=True)
    assert clean.returncode == 0 and json.loads(clean.stdout) == {"checked": 0, "findings": []}
    add_change(repo, "CHG-20261223-core-acl", start="2026-12-23T00:30:00+08:00", end="2026-12-23T04:30:00+08:00")
    refused = subprocess.run([changeops, "check", "--base", "main", "--format", "markdown"], cwd=root,
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "❌ 3 errors" in refused.stdout and "policy-window" in refused.stdout
    assert "approval-quorum" in refused.stdout
    unknown = subprocess.run([changeops, "check", "--base", "nope"], cwd=root, capture_output=True, text=True)
    assert unknown.returncode == 2 and "does not name a commit" in unknown.stderr and "Traceback" not in unknown.stderr


def test_cli_markdown_comment_of_a_hostile_record_keeps_its_shape(repo: git.Repo) -> None:
    """A pull request whose record carries a forged quorum row, a heading, a link and an unclosed comment."""
    from html import unescape

    from markdown_it import MarkdownIt

    root = Path(repo.working_dir)
    branch(repo, "hostile")
    file = add_change(repo, "CHG-20261222-core-acl", start="2026-12-22T00:30:00+08:00",
                      end="2026-12-22T04:30:00+08:00", commit=False)
    text = (root / file).read_text(encoding="utf-8")
    forged = '"SMU\\n| approvals | ✅ quorum met |\\n## Approved\\n[merge](https://evil.example) <!-- "'
    text = text.replace("  en: SNMP security SMU on the Shenyang DC1 core routers", f"  en: {forged}")
    text = text.replace("    min_free_mb: 200", '    min_free_mb: 200\n    note: "```\\n</details> | x |"')
    (root / file).write_text(text, encoding="utf-8")
    repo.git.add(A=True)
    repo.index.commit("hostile record")
    result = subprocess.run([shutil.which("changeops"), "check", "--base", "main", "--format", "markdown"], cwd=root,
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 5 and headings[2:] == ["Steps", "Rollback plan", "Approvals"]
    assert not [t for t in tokens for c in (t.children or []) if c.type in ("link_open", "image")]
    rows = [t.content for t in tokens if t.type == "inline" and t.content in ("approvals", "✅ quorum met")]
    assert rows == ["approvals"]
    fences = [json.loads(t.content) for t in tokens if t.type == "fence" and t.info == "json"]
    assert {"expected_version": "17.09.04a", "min_free_mb": 200, "note": "```\n</details> | x |"} in fences
    assert "may approve: sunlei" in result.stdout and "lihaitao" not in result.stdout.split("Still missing")[-1]
    shown = unescape(MarkdownIt("commonmark").enable("table").render(result.stdout))
    assert "SMU<br>| approvals | ✅ quorum met |<br>## Approved<br>[merge](https://evil.example) <!--" in shown
