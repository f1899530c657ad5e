"""The pull-request gate as CI runs it: the base commit's changeops judges the pull request's tree.

Each scenario builds a real repository (the demo estate and the changeops sources on `main`), a
pull-request branch, real SSH signatures, and runs the gate from a separate worktree of the base
commit, as the CI job does after `pip install ./judge`: the pull request's code is never imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import git
import pytest
from conftest import copy_estate
from demo_keys import demo_key

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
PATCH = "changes/CHG-20261208-core-smu-snmp/change.yaml"
EMERGENCY = "changes/CHG-20261120-dl-edge-route-fix/change.yaml"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DRIVER = """
import json, sys
from datetime import datetime
from pathlib import Path
import changeops
from changeops.gate.check import check_pull_request
outcome = check_pull_request(Path(sys.argv[1]), base_ref=sys.argv[2], head_ref=sys.argv[3],
                             now=datetime.fromisoformat(sys.argv[4]))
print(json.dumps({"judge": changeops.__file__, "checked": outcome.report.checked,
                  "findings": [f.as_json() for f in outcome.report.findings]}))
"""
CLI = "import sys; from changeops.cli import main; sys.exit(main())"


@dataclass
class Verdict:
    judge: str
    checked: int
    findings: list[dict[str, Any]]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["severity"] == "error"]

    def rules(self) -> set[tuple[str, str]]:
        return {(f["file"], f["rule"]) for f in self.errors}

    def of(self, rule: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["rule"] == rule]


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    """The demo estate with the changeops sources, committed on `main`; a pull-request branch `pr`."""
    root = copy_estate(tmp_path / "estate")
    shutil.copytree(REPO / "tooling", root / "tooling", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    repository = git.Repo.init(root, initial_branch="main")
    repository.git.add(A=True)
    repository.git.commit("-q", "-m", "estate and changeops")
    repository.git.checkout("-q", "-b", "pr")
    return repository


def judge(repo: git.Repo, tmp_path: Path, now: datetime = NOW) -> Verdict:
    """Run the gate from a worktree of `main` (the base), on the head commit of `pr`, in a clean process."""
    base, head = repo.commit("main").hexsha, repo.commit("pr").hexsha
    bench = tmp_path / f"judge-{base[:8]}"
    if not bench.exists():
        repo.git.worktree("add", "--detach", str(bench), base)
    result = subprocess.run([sys.executable, "-c", DRIVER, repo.working_dir, base, head, now.isoformat()],
                            cwd=tmp_path, env=_env(bench / "tooling"), capture_output=True, text=True, check=True)
    verdict = Verdict(**json.loads(result.stdout))
    assert Path(verdict.judge).is_relative_to(bench), "the base's changeops must judge"
    return verdict


def gate_cli(code: Path, root: Path, base: str, head: str) -> subprocess.CompletedProcess[str]:
    """`changeops check --format json` with the changeops package found at ``code``."""
    command = ["check", "--base", base, "--head", head, "--format", "json"]
    return subprocess.run([sys.executable, "-c", CLI, *command], cwd=root, env=_env(code), capture_output=True,
                          text=True)


def _env(code: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k.startswith(("GIT_", "HOME", "PATH", "LANG", "LC_"))}
    return {**keep, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}


def commit(repo: git.Repo, message: str, *, author: str | None = None, committer: str | None = None) -> None:
    """Commit everything; ``author``/``committer`` as ``Name <email>`` (the committer through git's env)."""
    env = {}
    if committer:
        name, email = committer.rstrip(">").split(" <")
        env = {"GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    repo.git.add(A=True)
    with repo.git.custom_environment(**env):
        repo.git.commit("-q", "-m", message, *([f"--author={author}"] if author else []))


def write_change(repo: git.Repo, change_id: str, *, source: str = PATCH, edits: dict[str, str] | None = None,
                 window: tuple[str, str] = ("2026-12-22T00:30:00+08:00", "2026-12-22T04:30:00+08:00")) -> str:
    """A copy of a demo record under a new ID and window, with ``edits`` (old text: new text) applied."""
    root = Path(repo.working_dir)
    text = (root / source).read_text(encoding="utf-8")
    old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
    start, end = text.split("\nwindow:\n  start: ", 1)[1].split("\n", 2)[:2]
    text = text.replace(f"id: {old_id}", f"id: {change_id}").replace(f"  start: {start}\n{end}",
                                                                      f"  start: {window[0]}\n  end: {window[1]}")
    for old, new in (edits or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path = root / "changes" / change_id / "change.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return f"changes/{change_id}/change.yaml"


def approve(repo: git.Repo, change_id: str, *who: str, at: datetime | None = None) -> None:
    """Sign approvals with the demo people's keys, as policies on `main` define them."""
    from changeops.approvals.approve import approve as sign
    from changeops.approvals.status import trusted_policies
    from changeops.estate.layout import Estate

    estate = Estate(Path(repo.working_dir))
    policies, _ = trusted_policies(estate, "main")
    for person in who:
        sign(estate, change_id, key=demo_key(person), policies=policies, now=at)


# --- (a) the judge is reviewed code ---


def test_pull_request_that_rewrites_the_judge_is_judged_by_the_base(repo: git.Repo, tmp_path: Path) -> None:
    root = Path(repo.working_dir)
    findings_py = root / "tooling/changeops/findings.py"
    findings_py.write_text(findings_py.read_text().replace("        return not self.errors", "        return True"))
    record = write_change(repo, "CHG-20261222-core-acl")
    commit(repo, "a change, and a gate that always passes")
    base, head = repo.commit("main").hexsha, repo.commit("pr").hexsha
    own_code = gate_cli(root / "tooling", root, base, head)
    assert own_code.returncode == 0, "the attack: the pull request's own code passes itself"
    repo.git.worktree("add", "--detach", str(tmp_path / "judge"), base)
    reviewed = gate_cli(tmp_path / "judge/tooling", root, base, head)
    assert reviewed.returncode == 1, reviewed.stderr
    findings = json.loads(reviewed.stdout)["findings"]
    [mixed] = [f for f in findings if f["rule"] == "pull-request-mixed"]
    assert (mixed["file"], mixed["line"], mixed["column"]) == ("tooling/changeops/findings.py", 1, 1)
    assert "own pull request" in mixed["hint"]
    assert any(f["rule"] == "approval-quorum" and f["file"] == record for f in findings)


def test_ci_files_changed_with_records_are_an_error(repo: git.Repo, tmp_path: Path) -> None:
    root = Path(repo.working_dir)
    (root / ".gitlab-ci.yml").write_text("changeops-check:\n  script: [\"true\"]\n")
    write_change(repo, "CHG-20261222-core-acl")
    approve(repo, "CHG-20261222-core-acl", "chenjing", "sunlei")
    commit(repo, "a change, and a CI job that does not check")
    verdict = judge(repo, tmp_path)
    assert verdict.rules() == {(".gitlab-ci.yml", "pull-request-mixed")}


def test_tooling_alone_is_not_mixed(repo: git.Repo, tmp_path: Path) -> None:
    readme = Path(repo.working_dir) / "tooling/changeops/findings.py"
    readme.write_text(readme.read_text() + "\n")
    commit(repo, "tooling only")
    assert judge(repo, tmp_path).errors == []


# --- (b) a policy change is a change ---


def add_approver(repo: git.Repo) -> None:
    approvers = Path(repo.working_dir) / "policies/approvers.yml"
    key = demo_key("lihaitao").with_suffix(".pub").read_text().strip()
    mallory = f"  - id: mallory\n    name: Mallory\n    email: mallory@netops.example.com\n    keys: [\"{key}\"]\n"
    approvers.write_text(approvers.read_text().replace("people:\n", "people:\n" + mallory))


def test_pull_request_that_only_adds_a_person_is_refused(repo: git.Repo, tmp_path: Path) -> None:
    add_approver(repo)
    commit(repo, "add mallory")
    verdict = judge(repo, tmp_path)
    [finding] = verdict.errors
    assert (finding["file"], finding["rule"], finding["line"]) == ("policies/approvers.yml", "policy-approval", 1)
    assert "2 signed approvals" in finding["message"] and "lihaitao, sunlei, wangjg" in finding["message"]
    assert "changeops approve-policy --base" in finding["hint"]


def sign_policy(repo: git.Repo, *who: str) -> None:
    from changeops.gate.pull_request import approve_policy_change

    for person in who:
        approve_policy_change(Path(repo.working_dir), base_ref="main", key=demo_key(person))


def test_policy_change_signed_by_two_admins_passes(repo: git.Repo, tmp_path: Path) -> None:
    add_approver(repo)
    commit(repo, "add mallory")
    sign_policy(repo, "wangjg")
    signed = subprocess.run([sys.executable, "-c", CLI, "approve-policy", "--base", "main", "--key",
                             str(demo_key("sunlei")), "--comment", "mallory joins the on-call rota"],
                            cwd=repo.working_dir, capture_output=True, text=True)
    assert signed.returncode == 0 and "wrote .changeops/policy-approvals/" in signed.stdout, signed.stderr
    commit(repo, "policy approvals")
    verdict = judge(repo, tmp_path)
    assert verdict.errors == [] and verdict.checked == 0
    assert len(list((Path(repo.working_dir) / ".changeops/policy-approvals").glob("*/*.yaml"))) == 2


def test_policy_approval_by_a_committer_or_of_another_diff_does_not_count(repo: git.Repo, tmp_path: Path) -> None:
    add_approver(repo)
    commit(repo, "add mallory", author="Li Haitao <LiHaitao@netops.example.com>")
    sign_policy(repo, "lihaitao", "wangjg")
    commit(repo, "policy approvals")
    [finding] = judge(repo, tmp_path).errors
    assert "1 valid" in finding["message"] and "lihaitao: lihaitao authored or committed" in finding["message"]
    sign_policy(repo, "sunlei")
    windows = Path(repo.working_dir) / "policies/windows.yml"
    windows.write_text(windows.read_text().replace("days: [tue, thu]", "days: [mon, tue, wed, thu, fri, sat, sun]"))
    commit(repo, "and widen the windows after the approvals")
    errors = judge(repo, tmp_path).errors
    assert {f["file"] for f in errors} == {"policies/approvers.yml", "policies/windows.yml"}
    assert all("0 valid" in f["message"] for f in errors)


def test_policy_admin_added_by_the_pull_request_does_not_count(repo: git.Repo, tmp_path: Path) -> None:
    key = tmp_path / "zhaomin"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "zhaomin", "-f", str(key)], check=True)
    approvers = Path(repo.working_dir) / "policies/approvers.yml"
    admin = f"    duties: [policy-admin]\n    keys: [\"{key.with_suffix('.pub').read_text().strip()}\"]\n"
    approvers.write_text(approvers.read_text().replace("  - id: zhaomin\n", "  - id: zhaomin\n" + admin))
    commit(repo, "make zhaomin a policy admin")
    sign_policy(repo, "wangjg")
    from changeops import git as gitops
    from changeops.approvals.policy_approval import sign_policy_diff
    from changeops.gate.pull_request import policy_diff
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource

    git_repo = gitops.open_repo(Path(repo.working_dir))
    base = gitops.resolve(git_repo, "main")
    diff = policy_diff(git_repo, base=base, since=base, head=None)
    proposed = read_policies(DirectorySource(Path(repo.working_dir) / "policies"))
    sign_policy_diff(Path(repo.working_dir), diff, key=key, policies=proposed)  # as the pull request defines zhaomin
    commit(repo, "approvals")
    [finding] = judge(repo, tmp_path).errors
    assert "1 valid" in finding["message"] and "zhaomin" in finding["message"]


# --- (c) people, not strings ---


def test_free_text_requester_is_refused_with_the_closest_ids(repo: git.Repo, tmp_path: Path) -> None:
    record = write_change(repo, "CHG-20261222-core-acl", edits={"requested_by: wangjg": "requested_by: Li Haitao"})
    approve(repo, "CHG-20261222-core-acl", "chenjing", "sunlei")
    commit(repo, "requested by a name")
    [finding] = [f for f in judge(repo, tmp_path).errors if f["rule"] == "person-unknown"]
    assert (finding["file"], finding["line"], finding["column"]) == (record, 9, 15)
    assert "did you mean lihaitao" in finding["hint"]


def test_look_alike_letters_in_an_id_are_refused(repo: git.Repo, tmp_path: Path) -> None:
    record = write_change(repo, "CHG-20261222-core-acl", edits={"  - lihaitao\n": "  - l\u0456haitao\n"})
    commit(repo, "an engineer id with a Cyrillic letter")
    [finding] = [f for f in judge(repo, tmp_path).errors if f["rule"] == "person-unknown"]
    assert finding["file"] == record and finding["line"] == 11
    assert "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" in finding["message"]
    assert "lihaitao" in finding["hint"]


def test_approver_spelled_differently_in_the_record_is_still_the_requester(repo: git.Repo, tmp_path: Path) -> None:
    record = write_change(repo, "CHG-20261222-core-acl", edits={"requested_by: wangjg": "requested_by: chenjing"})
    approve(repo, "CHG-20261222-core-acl", "chenjing", "sunlei")
    commit(repo, "chenjing requests and approves")
    [finding] = [f for f in judge(repo, tmp_path).errors if f["rule"] == "approval-quorum"]
    assert finding["file"] == record and "1 valid customer approval needed, 0 present" in finding["message"]


def test_spoofed_author_does_not_hide_the_committer(repo: git.Repo, tmp_path: Path) -> None:
    record = write_change(repo, "CHG-20261222-core-acl",
                          edits={"  - lihaitao\n  - zhaomin\n": "  - zhaomin\n  - wangpeng\n"})
    commit(repo, "a change", author="Zhao Min <zhaomin@netops.example.com>",
           committer="Li Haitao <lihaitao@netops.example.com>")
    approve(repo, "CHG-20261222-core-acl", "chenjing", "lihaitao")
    commit(repo, "approvals")
    from changeops.approvals.status import approval_status
    from changeops.estate.layout import Estate

    status = approval_status(Estate(Path(repo.working_dir)), "CHG-20261222-core-acl", trusted_ref="main", now=NOW)
    states = {a.approver: (a.state, a.reason) for a in status.approvals}
    assert states["lihaitao"][0] == "self-approval" and "lihaitao@netops.example.com" in states["lihaitao"][1]
    [finding] = [f for f in judge(repo, tmp_path).errors if f["rule"] == "approval-quorum"]
    assert finding["file"] == record and "provider approval needed, 0 present" in finding["message"]


# --- (d) policy decides the model ---


def test_routine_patch_declared_emergency_for_a_general_incident_is_refused(repo: git.Repo, tmp_path: Path) -> None:
    incident = ("incident:\n  ticket: LNPDN-INC-2026-0400\n  severity: general\n"
                "  declared: 2026-12-21T20:00:00+08:00\n  symptom: SNMP polling is slow\n"
                "  business_impact: none\nprecheck:\n")
    record = write_change(repo, "CHG-20261222-core-acl", edits={"model: normal": "model: emergency",
                                                               "precheck:\n": incident})
    approve(repo, "CHG-20261222-core-acl", "sunlei")
    commit(repo, "an 'emergency' patch")
    [finding] = [f for f in judge(repo, tmp_path).errors if f["rule"] == "model-emergency-severity"]
    assert finding["file"] == record and finding["line"] == 46
    assert "general (一般)" in finding["message"] and "severe (严重)" in finding["message"]


def test_critical_patch_declared_standard_is_refused(repo: git.Repo, tmp_path: Path) -> None:
    record = write_change(repo, "CHG-20261222-core-acl",
                          edits={"model: normal": "model: standard", "  level: medium": "  level: critical"})
    approve(repo, "CHG-20261222-core-acl", "sunlei")
    commit(repo, "a 'standard' critical patch")
    verdict = judge(repo, tmp_path)
    assert {(record, "model-standard-risk"), (record, "model-standard-catalogue"),
            (record, "approval-quorum")} <= verdict.rules()
    [risk] = verdict.of("model-standard-risk")
    assert risk["line"] == 14
    assert any("duty change-manager" in f["message"] for f in verdict.of("approval-quorum"))


def standard_edits(**more: str) -> dict[str, str]:
    return {"model: normal": "model: standard\ncatalogue: ios-smu-core", "  level: medium": "  level: low", **more}


def test_catalogued_standard_change_passes_with_one_provider_approval(repo: git.Repo, tmp_path: Path) -> None:
    write_change(repo, "CHG-20261222-core-smu", edits=standard_edits())
    approve(repo, "CHG-20261222-core-smu", "sunlei")
    commit(repo, "a catalogued SMU")
    verdict = judge(repo, tmp_path)
    assert verdict.errors == [] and verdict.checked == 1


def test_standard_change_outside_its_catalogue_entry_is_refused(repo: git.Repo, tmp_path: Path) -> None:
    record = write_change(repo, "CHG-20261222-core-smu", edits=standard_edits(**{
        "    min_free_mb: 200": "    min_free_mb: 200\n    install_timeout: 60",
        "  - sy-dc1-core-r2\nwindow": "  - sy-dc1-core-r2\n  - sy-dc1-dist-sw1\nwindow"}))
    approve(repo, "CHG-20261222-core-smu", "sunlei")
    commit(repo, "an SMU with extras")
    verdict = judge(repo, tmp_path)
    assert {(record, "model-standard-vars"), (record, "model-standard-targets")} <= verdict.rules()
    [extra] = verdict.of("model-standard-vars")
    assert "install_timeout" in extra["message"] and extra["line"] == 49


# --- (e) no symbolic links ---


def test_change_folder_that_is_a_symlink_is_refused(repo: git.Repo, tmp_path: Path) -> None:
    root = Path(repo.working_dir)
    write_change(repo, "CHG-20261222-core-acl")
    hidden = root / "notes/CHG-20261222-core-acl"
    hidden.parent.mkdir()
    (root / "changes/CHG-20261222-core-acl").rename(hidden)
    (root / "changes/CHG-20261222-core-acl").symlink_to("../notes/CHG-20261222-core-acl")
    commit(repo, "a record that lives elsewhere")
    verdict = judge(repo, tmp_path)
    [finding] = verdict.errors
    assert (finding["file"], finding["rule"]) == ("changes/CHG-20261222-core-acl", "symlink")
    from changeops.estate.layout import Estate
    from changeops.validation.validate import validate

    report = validate(Estate(root), use_cache=False, now=NOW)
    assert [(f.file, f.rule) for f in report.errors] == [("changes/CHG-20261222-core-acl", "symlink")]


# --- emergencies: the customer approves afterwards, within 24 h of the run ---


def emergency_with_run(repo: git.Repo, finished: datetime) -> str:
    record = write_change(repo, "CHG-20261222-dl-fix", source=EMERGENCY,
                          window=("2026-12-22T02:30:00+08:00", "2026-12-22T04:00:00+08:00"),
                          edits={"2026-11-20T02:10": "2026-12-22T02:10", "2026-11-20T01:58": "2026-12-22T01:58",
                                 "2026-11-20T02:48": "2026-12-22T02:48"})
    run = Path(repo.working_dir) / "changes/CHG-20261222-dl-fix/runs/20261221T183000Z-abc123/summary.yaml"
    run.parent.mkdir(parents=True)
    run.write_text(f"run: 20261221T183000Z-abc123\nchange: CHG-20261222-dl-fix\nresult: completed\n"
                   f"started: '2026-12-21T18:30:00Z'\nfinished: '{finished.isoformat()}'\n")
    report = Path(repo.working_dir) / "changes/CHG-20261222-dl-fix/fault-report.yaml"
    report.write_text((Path(repo.working_dir) / EMERGENCY).with_name("fault-report.yaml").read_text())
    return record


FINISHED = datetime(2026, 12, 21, 18, 50, tzinfo=UTC)


def test_emergency_with_the_customers_approval_within_24_hours_passes(repo: git.Repo, tmp_path: Path) -> None:
    emergency_with_run(repo, FINISHED)
    approve(repo, "CHG-20261222-dl-fix", "lihaitao", at=FINISHED - timedelta(minutes=30))
    approve(repo, "CHG-20261222-dl-fix", "wangjg", at=FINISHED + timedelta(hours=20))
    commit(repo, "emergency, run, approvals")
    verdict = judge(repo, tmp_path, now=FINISHED + timedelta(hours=30))
    assert verdict.errors == []


def test_emergency_whose_customer_approval_is_overdue_is_an_error(repo: git.Repo, tmp_path: Path) -> None:
    record = emergency_with_run(repo, FINISHED)
    approve(repo, "CHG-20261222-dl-fix", "lihaitao", at=FINISHED - timedelta(minutes=30))
    commit(repo, "emergency and run, no customer approval")
    assert judge(repo, tmp_path, now=FINISHED + timedelta(hours=23)).of("emergency-approval-overdue") == []
    verdict = judge(repo, tmp_path, now=FINISHED + timedelta(hours=25))
    [finding] = verdict.of("emergency-approval-overdue")
    assert finding["file"] == record and finding["severity"] == "error" and finding["line"] == 4
    assert "0 of 1 arrived in time" in finding["message"] and "changeops approve" in finding["hint"]
    from changeops.estate.layout import Estate
    from changeops.validation.validate import validate

    report = validate(Estate(Path(repo.working_dir)), use_cache=False, now=FINISHED + timedelta(hours=25))
    assert [(f.file, f.rule) for f in report.errors] == [(record, "emergency-approval-overdue")]


# --- (e) what validate judges by the clock or across the policy files, the gate judges too ---


def test_a_notice_dated_after_now_is_refused_at_its_line(repo: git.Repo, tmp_path: Path) -> None:
    """A notice "sent" next week is an intention: it cannot satisfy the notice period today."""
    written = write_change(repo, "CHG-20261222-core-smu-later",
                           edits={"  sent: 2026-12-01T10:00:00+08:00": "  sent: 2026-12-14T10:00:00+08:00"})
    commit(repo, "notice dated ahead")
    [finding] = judge(repo, tmp_path).of("notice-future")
    assert (finding["file"], finding["line"], finding["severity"]) == (written, 38, "error")
    assert "2026-12-14 02:00 UTC" in finding["message"]
    assert judge(repo, tmp_path, now=datetime(2026, 12, 15, tzinfo=UTC)).of("notice-future") == []


def test_a_duty_roster_edit_that_leaves_a_freeze_uncovered_is_refused(repo: git.Repo, tmp_path: Path) -> None:
    duty = Path(repo.working_dir) / "policies/duty.yml"
    dropped = "          - {from: 2027-02-07, to: 2027-02-11, on_site: [zhaomin], remote: [wangpeng]}\n"
    text = duty.read_text(encoding="utf-8")
    assert dropped in text
    duty.write_text(text.replace(dropped, ""), encoding="utf-8")
    commit(repo, "shorter spring festival roster")
    [finding] = judge(repo, tmp_path).of("duty-assurance-uncovered")
    assert finding["file"] == "policies/duty.yml" and finding["severity"] == "error"
    assert "2027-02-07" in finding["message"]
