"""Benchmark `mkdocs build` of the published site on synthetic estates and print one table.

Usage: python bench/site_bench.py [--records 10000 20000] [--devices 2000] [--work DIR]

For each record count, generates an estate with bench/generate_estate.py, adds the
repository's mkdocs.yml and docs/, and builds the site (`mkdocs build --strict`)
into a temporary folder as a separate process, measuring wall time and peak RSS.
Targets: the first size builds in <= 90 s, and doubling the records takes at most
2.2 x the time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate_estate import generate  # noqa: E402 - after the path insert above

TODAY = "2027-03-01"
"""A fixed "today" inside the generated changes' months, so every run builds the same pages."""


def site_estate(folder: Path, records: int, devices: int) -> Path:
    """A synthetic estate with the repository's site configuration."""
    generate(folder, records, devices, seed=7)
    shutil.copytree(REPO / "docs", folder / "docs")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - changeops\n", f"  - changeops:\n      today: \"{TODAY}\"\n")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def build(estate: Path, site: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB, exit code and stderr of one `mkdocs build --strict`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=estate, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def table(rows: list[tuple[int, float, float, int]]) -> str:
    lines = [f"{'records':>8}  {'pages':>7}  {'build':>8}  {'peak RSS':>9}  {'ratio':>6}  target"]
    base = rows[0]
    for index, (records, seconds, peak, pages) in enumerate(rows):
        if index == 0:
            ratio, verdict = "", f"<= 90 s: {'met' if seconds <= 90 else 'NOT met'}"
        else:
            factor = seconds / base[1]
            allowed = 2.2 * records / base[0] / 2
            ratio, verdict = f"{factor:.2f}", f"<= {allowed:.1f} x: {'met' if factor <= allowed else 'NOT met'}"
        lines.append(f"{records:>8}  {pages:>7}  {seconds:>6.1f} s  {peak:>6.0f} MB  {ratio:>6}  {verdict}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--work", type=Path, default=None, help="where estates and sites go (default: a tmp dir)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="changeops-site-bench-"))
    rows = []
    try:
        for records in args.records:
            estate = site_estate(work / f"estate-{records}", records, args.devices)
            site = work / f"site-{records}"
            seconds, peak, code, stderr = build(estate, site)
            if code != 0:
                sys.exit(f"mkdocs build exited {code} for {records} records:\n{stderr[-4000:]}")
            rows.append((records, seconds, peak, count_pages(site)))
            shutil.rmtree(estate)
            shutil.rmtree(site)
            print(f"built {records} records in {seconds:.1f} s", file=sys.stderr)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"site build, {args.devices} devices, mkdocs build --strict (one process each)")
    print(table(rows))


if __name__ == "__main__":
    main()
