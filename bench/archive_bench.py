"""Benchmark the device archive: writing captures, reading every archive and finding drift; print one table.

Usage: python bench/archive_bench.py [--captures 50] [--changed-every 5] [--out DIR]

On a copy of the demo estate (its inventory and records), every network device gets
--captures captures of a 150-line configuration, a new configuration every --changed-every
captures (the others share the latest file, as runs of an unchanged device do). Measures
storing the captures, then ``archive_report`` (read, verify digests, find drift: what
``changeops validate`` adds) and the files it leaves.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

from changeops.estate.archive import NewCapture, archive_root, store_capture  # noqa: E402
from changeops.estate.drift import archive_report  # noqa: E402
from changeops.estate.inventory import load_inventory  # noqa: E402
from changeops.estate.layout import Estate  # noqa: E402


def config(host: str, version: int) -> str:
    lines = [f"hostname {host}", "!"]
    for port in range(30):
        lines += [f"interface GigabitEthernet0/0/{port}", f" description port {port}", " no ip address", "!"]
    return "\n".join([*lines, f"logging host 10.0.0.{version % 250}", "end"]) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--captures", type=int, default=50)
    parser.add_argument("--changed-every", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    for folder in ("changes", "inventory", "policies"):
        shutil.copytree(REPO / folder, out / folder, dirs_exist_ok=True)
    estate = Estate(out)
    shutil.rmtree(archive_root(estate), ignore_errors=True)
    inventory = load_inventory(estate)
    hosts = sorted(inventory.groups["ios"])
    start = datetime(2026, 1, 1, tzinfo=UTC)

    began = time.perf_counter()
    for host in hosts:
        for number in range(args.captures):
            moment = start + timedelta(days=number)
            store_capture(estate, NewCapture(host, config(host, number // args.changed_every), moment, "import",
                                             note="bench"))
    stored = time.perf_counter() - began

    began = time.perf_counter()
    report = archive_report(estate, inventory)
    read = time.perf_counter() - began
    files = sum(1 for p in archive_root(estate).rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in archive_root(estate).rglob("*") if p.is_file())
    drifts = sum(len(d) for d in report.drifts.values())

    rows = [("devices", str(len(hosts))), ("captures per device", str(args.captures)),
            ("store every capture (s)", f"{stored:.2f}"),
            ("store, per capture (ms)", f"{1000 * stored / (len(hosts) * args.captures):.1f}"),
            ("read all + drift (s)", f"{read:.2f}"), ("drift found", str(drifts)),
            ("files", str(files)), ("size (KB)", f"{size / 1024:.0f}")]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
