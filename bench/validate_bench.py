"""Benchmark `changeops validate` on a synthetic estate and print one table.

Usage: python bench/validate_bench.py [--records 10000] [--devices 2000] [--repeat 3] [--estate DIR]

Measures, each as a separate process (median of --repeat runs):
  parse-only  PyYAML's C loader over the same files (the practical floor)
  cold        `changeops validate` with no cache
  warm        `changeops validate` again, nothing changed
and the peak RSS of the validate processes. Targets: cold <= 2.0 x parse-only,
warm <= 0.2 x cold, peak <= 400 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_estate import generate  # noqa: E402


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB, and exit code of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def measure(estate: Path, repeat: int) -> dict[str, tuple[float, float]]:
    changeops = shutil.which("changeops") or sys.exit("changeops is not installed (pip install -e .)")
    runs: dict[str, list[tuple[float, float]]] = {"parse-only": [], "cold": [], "warm": []}
    for _ in range(repeat):
        runs["parse-only"].append(timed([sys.executable, str(HERE / "parse_only.py"), str(estate)], estate)[:2])
        shutil.rmtree(estate / ".changeops_cache", ignore_errors=True)
        for label in ("cold", "warm"):
            seconds, peak, code = timed([changeops, "validate", "--format", "json"], estate)
            if code not in (0, 1):
                sys.exit(f"changeops validate exited {code}")
            runs[label].append((seconds, peak))
    return {label: (statistics.median(s for s, _ in values), max(p for _, p in values))
            for label, values in runs.items()}


def table(results: dict[str, tuple[float, float]], records: int, devices: int) -> str:
    parse, cold, warm = (results[k][0] for k in ("parse-only", "cold", "warm"))
    peak = max(results["cold"][1], results["warm"][1])
    rows = [
        ("parse-only (PyYAML CSafeLoader)", f"{parse:.2f} s", "", ""),
        ("cold validate", f"{cold:.2f} s", f"{cold / parse:.2f} x parse-only", _verdict(cold <= 2.0 * parse, "<= 2.0")),
        ("warm validate", f"{warm:.2f} s", f"{warm / cold:.2f} x cold", _verdict(warm <= 0.2 * cold, "<= 0.2")),
        ("peak RSS (validate)", f"{peak:.0f} MB", "", _verdict(peak <= 400, "<= 400 MB")),
    ]
    width = max(len(r[0]) for r in rows)
    header = f"{'measure':<{width}}  {'value':>9}  {'ratio':<20} target"
    lines = [f"estate: {records} records, {devices} devices", header]
    lines += [f"{name:<{width}}  {value:>9}  {ratio:<20} {verdict}" for name, value, ratio, verdict in rows]
    return "\n".join(lines)


def _verdict(met: bool, target: str) -> str:
    return f"{target}: {'met' if met else 'NOT met'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--estate", type=Path, default=HERE / "out" / "estate")
    args = parser.parse_args()
    generate(args.estate, args.records, args.devices, seed=7)
    print(table(measure(args.estate, args.repeat), args.records, args.devices))


if __name__ == "__main__":
    main()
