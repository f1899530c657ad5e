"""Benchmark `changeops run` against bare `ansible-playbook` on the same playbooks and devices.

    python bench/run_bench.py [--devices 10] [--rounds 5]

Starts a synthetic lab (`changeops lab up --devices N`), builds an estate in a temporary
folder with one approved change on those devices (backup, a config change, verification),
then alternates: the change through `changeops run` (records, redaction, commit included)
and the same three playbooks through `ansible-playbook`. Prints the medians, their ratio
(target ≤ 1.15) and where the time of a changeops run goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))
CHANGE = "CHG-20261208-bench-run"
RUN = """
import sys, typer
from changeops.cli import app, main
from changeops.cli.execute import register
if "run" not in {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}:
    register(app)
sys.exit(main(sys.argv[1:]))
"""


def build_estate(root: Path, hosts: list[str]) -> Path:
    from execute_estate import default_steps, make_estate

    files = {"inventory/hosts.yml": "\n    bench:\n      hosts:\n" + "".join(f"        {h}:\n" for h in hosts)}
    for index, host in enumerate(hosts):
        facts = {"vendor": "Cisco", "model": "C8300-1N1S-6T", "serial_number": f"FDO26210{index:03d}",
                 "os_version": "17.09.04a", "site": "sy-dc1", "room": "3F-M301", "rack": "B01", "unit": index + 1,
                 "role": "firewall", "peer": None, "customer": "lnpdn"}
        files[f"inventory/host_vars/{host}.yml"] = yaml.safe_dump(facts, sort_keys=False)
    return make_estate(root, CHANGE, hosts, steps=default_steps(), files=files)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[:3]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from changeops_lab.harness import start_lab

    with tempfile.TemporaryDirectory(prefix="changeops-run-bench-") as temporary:
        base = Path(temporary)
        home = base / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
               "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.test",
               "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.test"}
        os.environ.update(env)
        lab = start_lab(base / "lab", devices=args.devices, linux=False)
        try:
            hosts = sorted(lab.info.devices)
            root = build_estate(base / "estate", hosts)
            bare_env = {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
                        "ANSIBLE_HOST_KEY_CHECKING": "False"}
            inventories = ["-i", str(root / "inventory"), "-i", str(lab.info.overlay)]
            extra = ["-e", f"target_hosts={','.join(hosts)}", "-e", f"backup_dir={base / 'bare-backups'}",
                     "-e", "log_host=10.20.250.99", "-e", "forbidden_log_host=10.99.99.99"]
            bare = [[str(Path(sys.executable).parent / "ansible-playbook"), *inventories, *extra,
                     str(root / "playbooks" / name)] for name in ("lab-backup.yml", "lab-config.yml", "lab-verify.yml")]
            ours = [sys.executable, "-c", RUN, "run", CHANGE, "--at", "2026-12-08T01:00:00+08:00",
                    "--inventory", str(lab.info.overlay), "--repo", str(root)]
            changeops_times, ansible_times = [], []
            for _ in range(args.rounds):
                changeops_times.append(timed(ours, root, env))
                ansible_times.append(sum(timed(c, root, bare_env) for c in bare))
            print_table(changeops_times, ansible_times, root)
        finally:
            lab.stop()


def print_table(ours: list[float], bare: list[float], root: Path) -> None:
    ratio = statistics.median(ours) / statistics.median(bare)
    print(f"{'':28}{'median s':>10}{'min s':>8}{'max s':>8}")
    print(f"{'changeops run':28}{statistics.median(ours):10.2f}{min(ours):8.2f}{max(ours):8.2f}")
    print(f"{'ansible-playbook x3 (bare)':28}{statistics.median(bare):10.2f}{min(bare):8.2f}{max(bare):8.2f}")
    print(f"ratio {ratio:.2f} (target <= 1.15)")
    summaries = sorted((root / "changes" / CHANGE / "runs").glob("*/summary.yaml"))
    last = yaml.safe_load(summaries[-1].read_text())
    from datetime import datetime

    def seconds(a: str, b: str) -> float:
        return (datetime.fromisoformat(b.replace("Z", "+00:00")) - datetime.fromisoformat(a.replace("Z", "+00:00"))
                ).total_seconds()

    print("where the time of the last changeops run went (summary times, 1 s resolution):")
    for stage in last["stages"]:
        print(f"  {stage['name']:24}{seconds(stage['started'], stage['finished']):6.0f} s")
    print(f"  {'run (first stage .. end)':24}{seconds(last['started'], last['finished']):6.0f} s; the rest of the "
          "wall time is start-up, refusal checks (validate, approvals) and the commit")


if __name__ == "__main__":
    main()
