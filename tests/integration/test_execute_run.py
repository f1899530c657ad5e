"""changeops run against the lab: success, verification failure with rollback, unreachable device, --check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.estate.state_dir import state_dir
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from execute_estate import AT, default_steps, git, make_estate, summary

pytestmark = pytest.mark.integration
WHEN = datetime.fromisoformat(AT)


def _run(root: Path, change_id: str, lab, **options):
    return run_change(Estate(root), change_id, at=WHEN, overlays=[lab.info.overlay], progress=Progress(live=False),
                      **options)


def test_real_patch_verify_rollback_playbooks_complete_and_commit_one_record(lab, tmp_path: Path) -> None:
    host, smu = "sy-dc1-core-r2", "asr1000-universalk9.17.09.04a.CSCwk63254.SPA.smu.bin"
    lab.control.reset(host)
    md5 = lab.control.add_flash_file(host, smu)["md5"]
    steps = {
        "precheck": {"playbook": "precheck.yml", "vars": {"expected_version": "17.09.04a", "min_free_mb": 200}},
        "backup": {"playbook": "lab-backup.yml"},
        "implementation": {"playbook": "patch.yml", "vars": {"patch_file": smu, "patch_md5": md5,
                                                             "reload_wait_seconds": 0, "reload_timeout": 60}},
        "verification": {"playbook": "verify.yml", "vars": {"expected_version": "17.09.04a"}},
        "rollback": {"playbook": "rollback.yml", "description": "Deactivate the SMU.",
                     "vars": {"rollback_action": "deactivate-patch", "patch_file": smu}},
    }
    root = make_estate(tmp_path / "estate", "CHG-20261208-lab-smu", [host], steps=steps)

    outcome = _run(root, "CHG-20261208-lab-smu", lab)

    assert outcome.result == "completed", outcome
    assert lab.control.device_state(host)["packages"] == [{"filename": smu, "state": "C"}]
    record = summary(outcome.folder)
    assert [s["name"] for s in record["stages"]] == ["precheck", "backup", "implementation", "verification"]
    assert all(s["hosts"] == {host: "ok"} for s in record["stages"])
    assert {"schema_version", "run", "change", "started", "finished", "result", "stages", "plan_digest", "versions",
            "operator", "trusted_commit", "executor", "clock", "lab"} <= set(record)
    assert record["clock"]["reason"].startswith("--at on a lab run") and record["trusted_commit"] == git(
        root, "rev-parse", "HEAD~1").strip()
    transcript = (outcome.folder / "hosts" / f"{host}.log").read_text()
    sent = [line.split(" > ", 1)[1] for line in transcript.splitlines() if " > " in line]
    assert f"install add file flash:{smu} activate commit" in sent and "y" in sent
    log = git(root, "log", "-1", "--format=%B")
    assert f"Run-Id: {outcome.run_id}" in log and "Result: completed" in log
    assert "Change-Id: CHG-20261208-lab-smu" in log
    committed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert committed and all(p.startswith((f"changes/CHG-20261208-lab-smu/runs/{outcome.run_id}/",
                                           f"archive/{host}/")) for p in committed)
    assert not any("/artifacts/" in p or "/env/" in p for p in committed)
    assert git(root, "status", "--porcelain") == ""


def test_failed_verification_rolls_back_to_the_backup(lab, tmp_path: Path) -> None:
    host = "sy-dc1-fw1"
    lab.control.reset(host)
    before = lab.control.device_state(host)["running_config"]
    steps = default_steps(log_host="10.20.250.98", forbidden="10.20.250.98")
    root = make_estate(tmp_path / "estate", "CHG-20261208-lab-rollback", [host], steps=steps)

    outcome = _run(root, "CHG-20261208-lab-rollback", lab)

    assert outcome.result == "rolled-back", outcome
    names = [(s.name, s.hosts[host]) for s in outcome.stages]
    assert names == [("backup", "ok"), ("implementation", "ok"), ("verification", "failed"), ("rollback", "ok"),
                     ("rollback-verification", "ok")]
    after = lab.control.device_state(host)["running_config"]
    assert after == before and "logging host 10.20.250.98" not in after
    backup = state_dir(root) / "backups" / outcome.run_id / f"{host}.cfg"
    assert "logging host 10.20.250.98" not in backup.read_text()
    committed = outcome.folder / "backups" / f"{host}.cfg"
    assert committed.is_file() and "SHA256SUMS" in {p.name for p in committed.parent.iterdir()}


def test_unreachable_device_fails_the_run_and_is_recorded(lab, tmp_path: Path) -> None:
    host = "sy-dc1-fw2"
    lab.control.reset(host)
    root = make_estate(tmp_path / "estate", "CHG-20261208-lab-hung", [host])
    lab.control.set_fault(host, "unresponsive")
    try:
        overlay = tmp_path / "fast.yml"
        overlay.write_text(f"all:\n  hosts:\n    {host}:\n      ansible_connect_timeout: 3\n"
                           "      ansible_command_timeout: 5\n      ansible_network_cli_retries: 0\n")
        outcome = run_change(Estate(root), "CHG-20261208-lab-hung", at=WHEN, overlays=[lab.info.overlay, overlay],
                             progress=Progress(live=False))
    finally:
        lab.control.clear_faults(host)
    assert outcome.result == "failed"
    assert outcome.stages[0].name == "backup" and outcome.stages[0].hosts[host] in ("unreachable", "failed")
    assert summary(outcome.folder)["result"] == "failed"


def test_check_mode_plans_without_touching_the_device_and_needs_no_approval(lab, tmp_path: Path) -> None:
    host = "sy-dc1-dist-sw2"
    lab.control.reset(host)
    before = lab.control.device_state(host)
    root = make_estate(tmp_path / "estate", "CHG-20261208-lab-check", [host], approve=False)

    outcome = _run(root, "CHG-20261208-lab-check", lab, check=True)

    assert outcome.result == "checked", outcome
    assert [s.name for s in outcome.stages] == ["implementation", "rollback"]
    after = lab.control.device_state(host)
    assert after["running_config"] == before["running_config"]
    assert after["startup_config"] == before["startup_config"]
    assert not (root / "changes" / "CHG-20261208-lab-check" / "runs").exists()
    assert git(root, "log", "--format=%s").count("\n") == 1
