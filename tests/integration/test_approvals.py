"""Approvals that cover exactly what was approved: real ssh-keygen keys, real git repositories."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest
from changeops.approvals.approve import approve
from changeops.approvals.status import approval_status, trusted_policies
from changeops.errors import UsageError
from changeops.estate.layout import Estate
from changeops.gate.check import check_pull_request
from support.estate import replace_once

pytestmark = pytest.mark.integration
PATCH = "CHG-20261208-core-smu-snmp"
BEFORE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
"""After the demo changes' notices went out (a notice dated later is refused), before their windows."""
PEOPLE = {  # id: (role, customers)
    "cust1": ("customer", ["lnpdn"]), "cust2": ("customer", ["lnpdn"]), "prov1": ("provider", ["lnpdn"]),
    "other": ("customer", ["acme"]),
}


def keygen(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


DEMO_PEOPLE = ("wangjg", "chenjing", "liuyang", "lihaitao", "sunlei", "zhaomin", "wangpeng", "zhoutao")
"""The people the demo records name (requesters and engineers), here without approval rights."""


def approvers_yaml(keys: dict[str, Path], revoked: list[Path] = ()) -> str:
    lines = ["people:", *(f"  - {{id: {who}, name: {who}, email: {who}@demo.example}}" for who in DEMO_PEOPLE)]
    lines.append("approvers:")
    for who, (role, customers) in PEOPLE.items():
        lines += [f"  - id: {who}", f"    name: {who.capitalize()}", f"    email: {who}@example.cn",
                  f"    role: {role}", f"    customers: [{', '.join(customers)}]",
                  f"    keys: [\"{Path(f'{keys[who]}.pub').read_text().strip()}\"]"]
    if revoked:
        lines.append("revoked_keys:")
        lines += [f"  - {{key: \"{Path(f'{k}.pub').read_text().strip()}\", reason: lost laptop, revoked: 2026-11-01}}"
                  for k in revoked]
    return "\n".join(lines) + "\n"


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    return {who: keygen(folder, who) for who in [*PEOPLE, "stranger"]}


@pytest.fixture
def repo(estate_root: Path, keys: dict[str, Path]) -> git.Repo:
    (estate_root / "policies/approvers.yml").write_text(approvers_yaml(keys))
    repository = git.Repo.init(estate_root, initial_branch="main")
    repository.git.add(A=True)
    repository.index.commit("estate", author=git.Actor("Author", "author@example.cn"))
    repository.git.checkout("-q", "-b", "approve")
    return repository


def sign(repo: git.Repo, who: str, keys: dict[str, Path], change: str = PATCH, **options) -> Path:
    estate = Estate(Path(repo.working_dir))
    policies, _ = trusted_policies(estate, "main")
    return approve(estate, change, key=keys[who], policies=policies, **options)


def states(repo: git.Repo, change: str = PATCH, ref: str = "main") -> dict[str, str]:
    status = approval_status(Estate(Path(repo.working_dir)), change, trusted_ref=ref, now=BEFORE)
    return {item.approver: item.state for item in status.approvals}


def commit(repo: git.Repo, message: str) -> None:
    repo.git.add(A=True)
    repo.index.commit(message, author=git.Actor("Engineer", "engineer@example.cn"))


def test_quorum_met_check_passes_and_survives_a_squash_merge(repo: git.Repo, keys) -> None:
    for who in ("cust1", "prov1"):
        sign(repo, who, keys)
    commit(repo, "approvals")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE)
    assert outcome.report.clean, outcome.report.findings
    [review] = outcome.reviews
    assert review.approvals.met and {a.state for a in review.approvals.approvals} == {"valid"}
    repo.git.checkout("-q", "main")
    repo.git.merge("--squash", "approve")
    repo.index.commit("approve the SNMP patch (#12)", author=git.Actor("Merger", "merger@example.cn"))
    status = approval_status(Estate(Path(repo.working_dir)), PATCH, trusted_ref="main", now=BEFORE)
    assert status.met and states(repo) == {"cust1": "valid", "prov1": "valid"}


def test_quorum_not_met_fails_check(repo: git.Repo, keys) -> None:
    sign(repo, "cust1", keys)
    commit(repo, "one approval")
    outcome = check_pull_request(Path(repo.working_dir), base_ref="main", head_ref=None, now=BEFORE)
    [finding] = [f for f in outcome.report.findings if f.rule == "approval-quorum"]
    assert "provider approval needed" in finding.message and not outcome.report.clean


def test_unsigned_file_is_malformed(repo: git.Repo, keys) -> None:
    path = sign(repo, "cust1", keys)
    path.write_text(path.read_text().split("signature:")[0])
    assert states(repo) == {"cust1": "malformed"}


def test_key_of_no_approver_is_unknown(repo: git.Repo, keys, tmp_path: Path) -> None:
    path = sign(repo, "cust1", keys)
    text = path.read_text()
    statement = text.split("signature:")[0]
    # the stranger signs the exact statement cust1 would sign
    from changeops.approvals.statement import read_approval

    approval = read_approval(path)
    forged = subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(keys["stranger"]), "-n", "changeops-approval", "-q"],
                            input=approval.statement(), capture_output=True, check=True).stdout.decode()
    path.write_text(statement + "signature: |\n" + "".join(f"  {line}\n" for line in forged.splitlines()))
    assert states(repo) == {"cust1": "unknown-key"}
    with pytest.raises(UsageError, match="belongs to no approver"):
        sign(repo, "stranger", keys)


def test_approver_of_another_customer_is_not_authorised(repo: git.Repo, keys) -> None:
    sign(repo, "other", keys)
    assert states(repo) == {"other": "not-authorised"}


def test_requester_and_author_cannot_approve(repo: git.Repo, keys, estate_root: Path) -> None:
    record = estate_root / "changes" / PATCH / "change.yaml"
    replace_once(record, "requested_by: wangjg", "requested_by: cust2")
    commit(repo, "requested by cust2")
    sign(repo, "cust2", keys)
    assert states(repo) == {"cust2": "self-approval"}
    new = estate_root / "changes/CHG-20261222-prov-change"
    new.mkdir()
    (new / "change.yaml").write_text(record.read_text().replace(f"id: {PATCH}", "id: CHG-20261222-prov-change")
                                     .replace("2026-12-08T", "2026-12-22T"))
    repo.git.add(A=True)
    repo.index.commit("prov1 writes a change", author=git.Actor("Prov1", "prov1@example.cn"))
    sign(repo, "prov1", keys, change="CHG-20261222-prov-change")
    assert states(repo, "CHG-20261222-prov-change") == {"prov1": "self-approval"}


def test_approval_copied_from_another_change_is_refused(repo: git.Repo, keys, estate_root: Path) -> None:
    sign(repo, "cust1", keys, change="CHG-20261210-dl-edge-upgrade")
    copied = estate_root / "changes" / PATCH / "approvals"
    copied.mkdir()
    source = estate_root / "changes/CHG-20261210-dl-edge-upgrade/approvals/cust1.yaml"
    (copied / "cust1.yaml").write_text(source.read_text())
    assert states(repo) == {"cust1": "stale"}


def test_editing_the_record_after_approval_makes_it_stale(repo: git.Repo, keys, estate_root: Path) -> None:
    sign(repo, "cust1", keys)
    assert states(repo) == {"cust1": "valid"}
    record = estate_root / "changes" / PATCH / "change.yaml"
    replace_once(record, "min_free_mb: 200", "min_free_mb: 100")
    assert states(repo) == {"cust1": "stale"}


def test_editing_a_playbook_the_change_runs_makes_it_stale(repo: git.Repo, keys, estate_root: Path) -> None:
    sign(repo, "cust1", keys)
    sign(repo, "prov1", keys)
    commit(repo, "approved")
    repo.git.checkout("-q", "-b", "sneaky-playbook")
    playbook = estate_root / "playbooks/patch.yml"
    replace_once(playbook, "install_timeout: 1800", "install_timeout: 60")
    commit(repo, "shorter timeout")
    assert states(repo) == {"cust1": "stale", "prov1": "stale"}
    outcome = check_pull_request(Path(repo.working_dir), base_ref="approve", head_ref=None, now=BEFORE)
    assert {f.rule for f in outcome.report.findings} == {"approval-stale"}


def test_approver_added_in_the_same_pull_request_does_not_count(repo: git.Repo, keys, estate_root: Path) -> None:
    approvers = estate_root / "policies/approvers.yml"
    approvers.write_text(approvers.read_text() + "  - id: stranger\n    name: S\n    email: s@example.cn\n"
                         "    role: provider\n    customers: [lnpdn]\n"
                         f"    keys: [\"{Path(str(keys['stranger']) + '.pub').read_text().strip()}\"]\n")
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource

    estate = Estate(estate_root)
    approve(estate, PATCH, key=keys["stranger"], policies=read_policies(DirectorySource(estate.policies)))
    sign(repo, "cust1", keys)
    commit(repo, "add myself and approve")
    outcome = check_pull_request(estate_root, base_ref="main", head_ref=None, now=BEFORE)
    [review] = outcome.reviews
    assert {a.approver: a.state for a in review.approvals.approvals} == {"cust1": "valid", "stranger": "unknown-key"}
    assert any(f.rule == "approval-quorum" for f in outcome.report.findings)
    assert any(f.rule == "policy-approval" and f.file == "policies/approvers.yml" for f in outcome.report.findings)


def test_revoked_key_is_refused(repo: git.Repo, keys, estate_root: Path) -> None:
    sign(repo, "cust1", keys)
    commit(repo, "approved")
    repo.git.checkout("-q", "main")
    (estate_root / "policies/approvers.yml").write_text(approvers_yaml(keys, revoked=[keys["cust1"]]))
    commit(repo, "revoke cust1's key")
    repo.git.checkout("-q", "approve")
    assert states(repo, ref="main") == {"cust1": "revoked"}


def test_tampered_statement_with_its_old_signature_is_refused(repo: git.Repo, keys) -> None:
    path = sign(repo, "cust1", keys, reject=True, comment="not during the audit")
    assert states(repo) == {"cust1": "rejected"}
    replace_once(path, "decision: reject", "decision: approve")
    assert states(repo) == {"cust1": "bad-signature"}


def test_a_rejection_blocks_the_quorum(repo: git.Repo, keys) -> None:
    for who in ("cust1", "prov1"):
        sign(repo, who, keys)
    sign(repo, "cust2", keys, reject=True, comment="clashes with the provincial audit")
    status = approval_status(Estate(Path(repo.working_dir)), PATCH, trusted_ref="main", now=BEFORE)
    assert not status.met and any("rejected by cust2" in reason for reason in status.reasons)


def test_digest_lists_what_it_covers(repo: git.Repo) -> None:
    result = subprocess.run(["changeops", "digest", PATCH], cwd=repo.working_dir, capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("sha256:")
    for name in ("changes/CHG-20261208-core-smu-snmp/change.yaml", "playbooks/patch.yml",
                 "inventory/host_vars/sy-dc1-core-r1.yml", "inventory/group_vars/ios.yml"):
        assert name in result.stdout
    assert "approvals/" not in result.stdout
