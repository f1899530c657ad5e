"""Benchmark a change run through an execution node against the same change run locally.

    python bench/node_bench.py [--devices 10] [--rounds 3]

Starts the demo lab (simulated IOS devices and sshd Linux hosts on loopback), makes the first
Linux host an execution node (a controller key whose forced command is `ansible-runner worker`
below the tether), builds an estate in a temporary folder with one approved change on N devices (backup, a config
change, verification), then alternates: `changeops run` locally and `changeops run --node`
through the node over SSH (transmit, worker, process). Prints the medians and their ratio, the
node's overhead (target <= 1.10).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "integration"), str(REPO / "tests")]
CHANGE = "CHG-20261208-bench-node"
"""Prefix of the bench's changes: -l<round> run locally, -n<round> through the node."""
CLI = "import sys; from changeops.cli import main; sys.exit(main(sys.argv[1:]))"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[3:6])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return elapsed


def isolated_env(base: Path) -> dict[str, str]:
    home = base / "home"
    home.mkdir()
    return {**os.environ, "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
            "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.test",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.test"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from changeops_lab.harness import start_lab
    from node_support import make_node

    with tempfile.TemporaryDirectory(prefix="changeops-node-bench-") as temporary:
        base = Path(temporary)
        env = isolated_env(base)
        os.environ.update(env)
        lab = start_lab(base / "lab", estate=REPO, reload_seconds=1.0)
        try:
            hosts = sorted(lab.info.devices)[: args.devices]
            node = make_node(lab, base / "keys")
            changes = [f"{CHANGE}-{kind}{index}" for index in range(args.rounds) for kind in ("l", "n")]
            root, moments = build_estate(base / "estate", changes, hosts, node)
            node_env = {**env, "CHANGEOPS_NODE_SSH_KEY": str(node.key)}
            local_times, node_times = [], []
            for index in range(args.rounds):  # a change runs once: each round runs two fresh, identical changes
                local, remote = f"{CHANGE}-l{index}", f"{CHANGE}-n{index}"
                local_times.append(timed(run_command(root, local, moments[local], lab), env))
                node_times.append(timed([*run_command(root, remote, moments[remote], lab), "--node",
                                         node.node.name], node_env))
            report(len(hosts), local_times, node_times)
        finally:
            lab.stop()


def run_command(root: Path, change: str, at: str, lab) -> list[str]:
    return [sys.executable, "-c", CLI, "run", change, "--at", at, "--inventory", str(lab.info.overlay),
            "--repo", str(root)]


def build_estate(root: Path, changes: list[str], hosts: list[str], node) -> tuple[Path, dict[str, str]]:
    """An estate whose nodes.yml declares ``node``, with one approved change per id, all alike but for their
    windows: 40 minutes each, one after another in the Tuesday night window (overlapping changes conflict).

    Returns the estate and, per change, a moment inside its window.
    """
    import yaml
    from execute_estate import approve_change, git
    from node_support import node_estate

    first = datetime.fromisoformat("2026-12-08T00:30:00+08:00")
    slots = {change: first + timedelta(minutes=40 * index) for index, change in enumerate(changes)}
    node_estate(root, changes[0], hosts, node, approve=False)
    record = yaml.safe_load((root / "changes" / changes[0] / "change.yaml").read_text())
    for change, start in slots.items():
        (root / "changes" / change).mkdir(exist_ok=True)
        window = {"start": start.isoformat(), "end": (start + timedelta(minutes=40)).isoformat()}
        (root / "changes" / change / "change.yaml").write_text(
            yaml.safe_dump({**record, "id": change, "window": window}, allow_unicode=True, sort_keys=False))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bench changes")
    for change in changes:
        approve_change(root, change)
    return root, {change: (start + timedelta(minutes=5)).isoformat() for change, start in slots.items()}


def report(devices: int, local: list[float], node: list[float]) -> None:
    ratio = statistics.median(node) / statistics.median(local)
    print(f"{devices} devices, backup + implementation + verification, {len(local)} rounds")
    print(f"{'':34}{'median s':>10}{'min s':>8}{'max s':>8}")
    print(f"{'changeops run (local runner)':34}{statistics.median(local):10.2f}{min(local):8.2f}{max(local):8.2f}")
    print(f"{'changeops run --node (SSH worker)':34}{statistics.median(node):10.2f}{min(node):8.2f}{max(node):8.2f}")
    print(f"node overhead ratio {ratio:.2f} (target <= 1.10)")


if __name__ == "__main__":
    main()
