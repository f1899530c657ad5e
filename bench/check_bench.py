"""Benchmark `changeops check` with one changed record against a cold full validate, in one run.

Usage: python bench/check_bench.py [--records 10000] [--devices 2000] [--repeat 3] [--estate DIR]

The synthetic estate is committed on `main`; a branch changes one record. Target: the
check takes at most 0.25 x the cold full validate of the same estate.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_estate import generate  # noqa: E402
from validate_bench import timed  # noqa: E402

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]


def prepare(estate: Path, records: int, devices: int) -> Path:
    generate(estate, records, devices, seed=7)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "estate"],
                 ["checkout", "-q", "-b", "pr"]):
        subprocess.run([*GIT, *args], cwd=estate, check=True)
    record = sorted((estate / "changes").glob("*/change.yaml"))[len(records_of(estate)) // 2]
    record.write_text(record.read_text().replace("outage_minutes: 0", "outage_minutes: 5", 1))
    subprocess.run([*GIT, "commit", "-q", "-am", "change one record"], cwd=estate, check=True)
    return record


def records_of(estate: Path) -> list[Path]:
    return sorted((estate / "changes").glob("*/change.yaml"))


def measure(estate: Path, repeat: int) -> dict[str, tuple[float, float]]:
    changeops = shutil.which("changeops") or sys.exit("changeops is not installed (pip install -e .)")
    runs: dict[str, list[tuple[float, float]]] = {"cold validate": [], "check, 1 changed record": []}
    for _ in range(repeat):
        shutil.rmtree(estate / ".changeops_cache", ignore_errors=True)
        seconds, peak, _ = timed([changeops, "validate", "--no-cache", "--format", "json"], estate)
        runs["cold validate"].append((seconds, peak))
        shutil.rmtree(estate / ".changeops_cache", ignore_errors=True)
        seconds, peak, code = timed([changeops, "check", "--base", "main", "--format", "json"], estate)
        if code not in (0, 1):
            sys.exit(f"changeops check exited {code}")
        runs["check, 1 changed record"].append((seconds, peak))
    return {label: (statistics.median(s for s, _ in v), max(p for _, p in v)) for label, v in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--estate", type=Path, default=HERE / "out" / "estate-git")
    args = parser.parse_args()
    prepare(args.estate, args.records, args.devices)
    results = measure(args.estate, args.repeat)
    cold, check = results["cold validate"][0], results["check, 1 changed record"][0]
    print(f"estate: {args.records} records, {args.devices} devices (git repository, one record changed on a branch)")
    print(f"{'measure':<26} {'value':>8}  {'peak RSS':>9}")
    for label, (seconds, peak) in results.items():
        print(f"{label:<26} {seconds:>6.2f} s  {peak:>6.0f} MB")
    verdict = "met" if check <= 0.25 * cold else "NOT met"
    print(f"check / cold validate      {check / cold:>6.2f} x   target <= 0.25: {verdict}")


if __name__ == "__main__":
    main()
