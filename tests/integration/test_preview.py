"""`changeops run ID --check` previews every demo change against the lab, task by task, touching nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from changeops.cli import main
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from conftest import copy_estate

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
DEMO_CHANGES = sorted(p.name for p in (REPO / "changes").iterdir() if (p / "change.yaml").is_file())
# What each preview must say it could not cover (a step that only a real run can do).
NOT_PREVIEWABLE = {
    "patch.yml": "Add, activate and commit the SMU",
    "upgrade.yml": "Save and reload",
    "drill-failover.yml": "Wait until the route has moved off the uplink",
    "move-prepare.yml": "Save the configuration to startup-config",
}


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_estate(tmp_path_factory.mktemp("preview") / "estate")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "estate"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def test_every_demo_change_type_is_covered() -> None:
    kinds = {Estate(REPO).record_path(c).read_text().split("\ntype: ", 1)[1].split()[0] for c in DEMO_CHANGES}
    assert kinds == {"patch", "upgrade", "drill", "device-move", "emergency", "inspection"}


@pytest.mark.parametrize("change_id", DEMO_CHANGES)
def test_check_previews_each_task_and_changes_nothing(lab, estate: Path, change_id: str, capsys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    hosts = sorted(load_inventory(Estate(estate)).expand(_targets(estate, change_id)))
    before = {host: lab.control.device_state(host)["running_config"] for host in hosts}

    code = main(["run", change_id, "--check", "--inventory", str(lab.info.overlay), "--repo", str(estate)])

    text = capsys.readouterr().out
    assert code == 0, text
    assert f"of {change_id}: checked" in text and "preview, task by task" in text
    playbook = _implementation_playbook(estate, change_id)
    if playbook in NOT_PREVIEWABLE:
        row = next(line for line in text.splitlines() if NOT_PREVIEWABLE[playbook] in line)
        assert "not previewable" in row, row
    else:  # emergency-config.yml: ios_config previews the whole fix
        assert "would change" in text
    assert {host: lab.control.device_state(host)["running_config"] for host in hosts} == before
    assert not (estate / "changes" / change_id / "runs").exists()


def _targets(root: Path, change_id: str) -> list[str]:
    from changeops.execute.pipeline import load_change

    return list(load_change(Estate(root), change_id).targets)


def _implementation_playbook(root: Path, change_id: str) -> str:
    from changeops.execute.pipeline import load_change

    return load_change(Estate(root), change_id).implementation.playbook


def test_preview_reads_an_interrupted_event_log(tmp_path: Path) -> None:
    from changeops.execute.task_preview import task_previews

    (tmp_path / "events.jsonl").write_text('{"event": "changeops_stage_start", "stage": "implementation"}\n'
                                           '{"event": "ok", "host": "r1", "task": "t", "stage": "implementation", '
                                           '"result": {"changed": true, "updates": ["shutdown"]}}\n{"event": "o')
    assert [(p.stage, p.verdict, p.detail) for p in task_previews(tmp_path)] == [
        ("implementation", "would change", "shutdown")]
