"""Sharded `apply --due`: one runner per execution node, racing on one remote, each takes only its share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from changeops.estate.layout import Estate
from changeops.execute.apply import Share, due_changes
from changeops.execute.backends.node import KEY_ENV
from execute_estate import AT, approve_change, git
from node_support import make_node, node_estate
from test_execute_recovery import _wait_for

pytestmark = pytest.mark.integration
A, B = "CHG-20261208-lab-shard-a", "CHG-20261208-lab-shard-b"
HOST_A, HOST_B = "sy-dc2-acc-sw1", "dl-pop1-acc-sw1"
CLI = "import sys; from changeops.cli import main; sys.exit(main(sys.argv[1:]))"


def _estate(lab, tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    north = make_node(lab, tmp_path / "keys", name="sy-node1", serves={"sites": ["sy-dc1", "sy-dc2"]})
    south = make_node(lab, tmp_path / "keys", name="dl-node1", serves={"sites": ["dl-pop1"]})
    root = node_estate(tmp_path / "origin-work", A, [HOST_A], north, south)
    record = yaml.safe_load((root / "changes" / A / "change.yaml").read_text())
    record.update(id=B, targets=[HOST_B])
    (root / "changes" / B).mkdir()
    (root / "changes" / B / "change.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", B)
    approve_change(root, B)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(remote)], check=True)
    return remote, {"sy-node1": north.key, "dl-node1": south.key}


def _clone(remote: Path, where: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(where)], check=True)
    return where


def _apply(clone: Path, lab, key: Path | None, *share: str) -> list[str]:
    return [sys.executable, "-c", CLI, "apply", "--due", *share, "--at", AT, "--inventory", str(lab.info.overlay),
            "--repo", str(clone)]


def _env(key: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    return {**env, KEY_ENV: str(key)} if key else env


def _remote(remote: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=remote, capture_output=True, text=True, check=True).stdout


def test_two_sharded_runners_each_run_their_nodes_share_once(lab, tmp_path: Path) -> None:
    for host in (HOST_A, HOST_B):
        lab.control.reset(host)
    remote, keys = _estate(lab, tmp_path)
    runners = {}
    for node in ("sy-node1", "dl-node1"):
        clone = _clone(remote, tmp_path / node)
        runners[node] = subprocess.Popen(_apply(clone, lab, keys[node], "--node", node), env=_env(keys[node]),
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = {node: runner.communicate(timeout=240)[0] for node, runner in runners.items()}

    assert all(runner.returncode == 0 for runner in runners.values()), printed
    assert A in printed["sy-node1"] and B not in printed["sy-node1"]
    assert B in printed["dl-node1"] and A not in printed["dl-node1"]
    log = _remote(remote, "log", "--format=%B", "main")
    assert log.count(f"Change-Id: {A}") == 1 and log.count(f"Change-Id: {B}") == 1
    for change, node in ((A, "sy-node1"), (B, "dl-node1")):
        files = _remote(remote, "ls-tree", "-r", "--name-only", "main", f"changes/{change}/runs").split()
        path = next(f for f in files if f.endswith("summary.yaml"))
        summary = yaml.safe_load(_remote(remote, "show", f"main:{path}"))
        assert summary["result"] == "completed" and summary["executor"] == f"node:{node}"
    assert _remote(remote, "for-each-ref", "refs/changeops/") == ""


def test_a_runner_of_another_share_is_kept_off_a_locked_device(lab, tmp_path: Path) -> None:
    lab.control.reset(HOST_A)
    remote, keys = _estate(lab, tmp_path)
    one, two = _clone(remote, tmp_path / "one"), _clone(remote, tmp_path / "two")
    first = subprocess.Popen(_apply(one, lab, keys["sy-node1"], "--node", "sy-node1"), env=_env(keys["sy-node1"]),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for(one, A, "backup")

    second = subprocess.run(_apply(two, lab, None, "--customer", "lnpdn"), env=_env(None), capture_output=True,
                            text=True, timeout=240)

    assert first.wait(timeout=240) == 0
    assert second.returncode == 1 and f"{HOST_A} is locked by run" in second.stdout, second.stdout
    assert not (two / "changes" / A / "runs").exists()


def test_shares_pick_changes_by_node_and_customer(lab, tmp_path: Path) -> None:
    remote, _ = _estate(lab, tmp_path)
    clone = Estate(_clone(remote, tmp_path / "c"))
    from datetime import datetime

    at = datetime.fromisoformat(AT)
    assert due_changes(clone, at, Share(node="sy-node1")) == [A]
    assert due_changes(clone, at, Share(node="dl-node1")) == [B]
    assert due_changes(clone, at, Share(node="nowhere")) == []
    assert due_changes(clone, at, Share(customer="lnpdn")) == [A, B]
    assert due_changes(clone, at, Share(customer="other")) == []


def test_an_undeclared_node_is_a_clear_error(lab, tmp_path: Path) -> None:
    remote, _ = _estate(lab, tmp_path)
    clone = _clone(remote, tmp_path / "c")

    result = subprocess.run(_apply(clone, lab, None, "--node", "nowhere"), env=_env(None), capture_output=True,
                            text=True, timeout=120)

    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert "no such execution node in policies/nodes.yml (declared: sy-node1, dl-node1)" in result.stdout + \
        result.stderr
