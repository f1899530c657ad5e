"""A change through an execution node over real SSH on loopback: the same run record as a local run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.execute.backends.node import KEY_ENV
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from execute_estate import AT, approve_change, default_steps, git, make_estate, summary
from node_support import make_node, node_estate, nodes_yaml

pytestmark = pytest.mark.integration
WHEN = datetime.fromisoformat(AT)
HOST = "sy-dc1-acc-sw1"
CHANGE = "CHG-20261208-lab-node"


def _run(root: Path, lab, **options):
    return run_change(Estate(root), CHANGE, at=WHEN, overlays=[lab.info.overlay], progress=Progress(live=False),
                      **options)


def _task_lines(folder: Path) -> list[str]:
    """The transcript without times: stage headers, tasks, commands sent, results."""
    text = (folder / "hosts" / f"{HOST}.log").read_text()
    kept = [re.sub(r"^\d\d:\d\d:\d\d\.\d{3} ", "", line) for line in text.splitlines()]
    return [line for line in kept if line.startswith(("==", "TASK [", "> ", "   RESULT"))]


def _host_events(folder: Path) -> list[tuple[str, str, str, str]]:
    """Every host event of events.jsonl without its time: stage, host, task, kind."""
    lines = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    return [(e.get("stage", ""), e.get("host", ""), e.get("task", ""), e["event"]) for e in lines if e.get("host")]


def _shape(record: dict) -> dict:
    return {"result": record["result"], "stages": [(s["name"], s["hosts"]) for s in record["stages"]],
            "plan_digest": record["plan_digest"]}


def test_a_change_through_a_node_records_what_a_local_run_records(lab, tmp_path: Path, monkeypatch) -> None:
    node = make_node(lab, tmp_path / "keys")
    monkeypatch.setenv(KEY_ENV, str(node.key))
    lab.control.reset(HOST)
    local_root = node_estate(tmp_path / "local", CHANGE, [HOST], node)
    local = _run(local_root, lab)
    assert local.result == "completed", local
    lab.control.reset(HOST)
    node_root = node_estate(tmp_path / "node", CHANGE, [HOST], node)

    remote = _run(node_root, lab, node="sy-node1")

    assert remote.result == "completed", remote
    assert "logging host 10.20.250.99" in lab.control.device_state(HOST)["running_config"]
    local_record, node_record = summary(local.folder), summary(remote.folder)
    assert _shape(node_record) == _shape(local_record)
    assert node_record["executor"] == "node:sy-node1" and local_record["executor"] == "ansible-runner"
    lines = _task_lines(remote.folder)
    assert lines == _task_lines(local.folder)
    assert "> logging host 10.20.250.99" in lines, "the session log came back from the node"
    assert _host_events(remote.folder) == _host_events(local.folder)
    backup = remote.folder / "backups" / f"{HOST}.cfg"
    assert backup.is_file(), "the backup the node saved came back into the run record"
    assert backup.read_text() == (local.folder / "backups" / f"{HOST}.cfg").read_text()
    assert (remote.folder / "backups" / "SHA256SUMS").read_text() == (local.folder / "backups" / "SHA256SUMS"
                                                                       ).read_text()
    assert ("implementation", HOST, "Add the logging host", "ok") in _host_events(remote.folder)
    assert git(node_root, "for-each-ref", "refs/changeops/locks/") == ""
    committed = git(node_root, "show", "--name-only", "--format=", "HEAD").split()
    assert not any("/artifacts/" in p or "transmit" in p or "/node/" in p for p in committed)


def test_a_change_whose_targets_span_two_nodes_is_refused_naming_them(lab, tmp_path: Path, monkeypatch) -> None:
    east = make_node(lab, tmp_path / "keys", name="sy-node1", serves={"sites": ["sy-dc1"]})
    west = make_node(lab, tmp_path / "keys", name="dl-node1", serves={"sites": ["dl-pop1"]})
    monkeypatch.setenv(KEY_ENV, str(east.key))
    root = node_estate(tmp_path / "e", CHANGE, [HOST, "dl-pop1-acc-sw1"], east, west)

    outcome = _run(root, lab, node="sy-node1")

    assert outcome.result is None and [f.rule for f in outcome.refused] == ["node-span"]
    message = outcome.refused[0].message
    assert "dl-pop1-acc-sw1 (served by dl-node1)" in message and HOST not in message
    assert not (root / "changes" / CHANGE / "runs").exists()
    assert git(root, "for-each-ref", "refs/changeops/locks/") == ""


def _cli(root: Path, lab, *args: str, key: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV} | ({KEY_ENV: str(key)} if key else {})
    command = [sys.executable, "-c", "import sys; from changeops.cli import main; sys.exit(main(sys.argv[1:]))",
               "run", CHANGE, "--at", AT, "--inventory", str(lab.info.overlay), "--repo", str(root), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_the_cli_refuses_a_node_run_without_its_key_and_prints_a_lost_nodes_note(lab, tmp_path: Path) -> None:
    node = make_node(lab, tmp_path / "keys", port=1, connect_timeout=3)
    root = node_estate(tmp_path / "e", CHANGE, [HOST], node)

    refused = _cli(root, lab, "--node", "sy-node1", key=None)
    assert refused.returncode == 1 and "Traceback" not in refused.stdout + refused.stderr
    assert "[node-key] no SSH key for execution node sy-node1: CHANGEOPS_NODE_SSH_KEY is not set" in refused.stdout
    assert not (root / "changes" / CHANGE / "runs").exists()

    failed = _cli(root, lab, "--node", "sy-node1", key=node.key)
    assert failed.returncode == 1 and "Traceback" not in failed.stdout + failed.stderr
    assert "failed" in failed.stdout and "backup: execution node sy-node1" in failed.stdout
    assert "could not be reached" in failed.stdout


def test_a_failed_verification_rolls_back_through_the_node(lab, tmp_path: Path, monkeypatch) -> None:
    node = make_node(lab, tmp_path / "keys")
    monkeypatch.setenv(KEY_ENV, str(node.key))
    lab.control.reset(HOST)
    before = lab.control.device_state(HOST)["running_config"]
    root = make_estate(tmp_path / "e", CHANGE, [HOST], approve=False,
                       steps=default_steps(log_host="10.20.250.98", forbidden="10.20.250.98"))
    (root / "policies" / "nodes.yml").write_text(nodes_yaml(node), encoding="utf-8")
    git(root, "commit", "-q", "-a", "--amend", "--no-edit")
    approve_change(root, CHANGE)

    outcome = _run(root, lab, node="sy-node1")

    assert outcome.result == "rolled-back", outcome
    assert [(s.name, s.hosts[HOST]) for s in outcome.stages] == [
        ("backup", "ok"), ("implementation", "ok"), ("verification", "failed"), ("rollback", "ok"),
        ("rollback-verification", "ok")]
    assert lab.control.device_state(HOST)["running_config"] == before
    assert summary(outcome.folder)["executor"] == "node:sy-node1" and not summary(outcome.folder).get("notes")
