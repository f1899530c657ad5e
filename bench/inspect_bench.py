"""Benchmark a routine inspection: playbooks/inspect.yml on N lab devices, then measuring and judging its output.

    python bench/inspect_bench.py [--devices 200] [--forks 20 50]

Starts N simulated devices, runs the inspection playbook (every check of the
checklist: 13 show commands per device, each answer parsed by ntc-templates
through ansible.utils.cli_parse) at each fork count, and turns what it
published into the run's inspection result (measure, judge against the
default thresholds, compare). Prints wall time, cost per device, the
measuring/judging time and how many devices were inspected.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ansible_runner
import yaml
from changeops.execute.inspection_measure import measure_network
from changeops.policy.inspection_judge import compare, judge_device
from changeops.policy.inspections import Thresholds
from changeops.records.inspection_result import InspectionResult, result_data
from changeops_lab.harness import start_lab
from changeops_lab.playbooks import runner_env

PLAYBOOK = Path(__file__).resolve().parents[1] / "playbooks" / "inspect.yml"


def inspect(inventories: list[Path], folder: Path, forks: int) -> tuple[float, dict[str, Any]]:
    """Run the inspection playbook on every lab device; its wall time and what it published."""
    folder.mkdir(parents=True)
    began = time.monotonic()
    runner = ansible_runner.run(private_data_dir=str(folder), playbook=str(PLAYBOOK),
                                inventory=[str(p) for p in inventories], extravars={"target_hosts": "lab_devices"},
                                forks=forks, envvars=runner_env(), quiet=True, artifact_dir=str(folder / "artifacts"))
    wall = time.monotonic() - began
    stats = next((e["event_data"].get("artifact_data") or {} for e in reversed(list(runner.events))
                  if e.get("event") == "playbook_on_stats"), {})
    published = stats.get("inspection") if isinstance(stats, dict) else None
    return wall, published if isinstance(published, dict) else {}


def judge(published: dict[str, Any]) -> tuple[float, InspectionResult, int]:
    """Measure, judge and compare; the time it took, the result and the size of its YAML."""
    began = time.monotonic()
    devices = [measure_network(host, data) for host, data in sorted(published.items())]
    anomalies = [a for d in devices for a in judge_device(d, Thresholds(), None)]
    result = InspectionResult(change="CHG-20261224-bench-inspection", period="2026-12", inspected=datetime.now(UTC),
                              devices=tuple(devices), anomalies=tuple(anomalies),
                              comparison=compare(anomalies, devices, None))
    size = len(yaml.safe_dump(result_data(result), allow_unicode=True))
    return time.monotonic() - began, result, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--forks", type=int, nargs="+", default=[20, 50])
    args = parser.parse_args()
    rows = []
    notes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="inspect-bench-") as folder:
        lab = start_lab(Path(folder) / "state", devices=args.devices, linux=False)
        try:
            for forks in args.forks:
                wall, published = inspect(lab.inventories, Path(folder) / f"run-{forks}", forks)
                seconds, result, size = judge(published)
                complete = sum(1 for d in result.devices if not d.notes)
                for device in result.devices:
                    for note in device.notes:
                        notes[note] = notes.get(note, 0) + 1
                rows.append((forks, wall, wall / args.devices, seconds, len(result.devices), complete, size))
        finally:
            lab.stop()
    print(f"inspection of {args.devices} lab devices, 13 show commands each, parsed with ntc-templates")
    print(f"{'forks':>5} | {'playbook wall s':>15} | {'s per device':>12} | {'measure+judge s':>15} | "
          f"{'inspected':>9} | {'all checks parsed':>17} | {'result KB':>9}")
    for forks, wall, per, seconds, inspected, complete, size in rows:
        print(f"{forks:>5} | {wall:>15.1f} | {per:>12.2f} | {seconds:>15.2f} | {inspected:>4}/{args.devices:<4} | "
              f"{complete:>8}/{args.devices:<8} | {size / 1024:>9.0f}")
    for note, count in sorted(notes.items()):
        print(f"  {count} device(s): {note}")
    return 0 if all(r[4] == args.devices for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
