"""Benchmark sealing a change into an execution bundle and print one table.

Usage: python bench/bundle_bench.py [--repeat 3] [--devices 2000] [--targets 200] [--out DIR]

For one demo change (CHG-20261208-core-smu-snmp, from a copy of the repository's estate) and
for one change on --targets devices of a synthetic estate (bench/generate_estate.py), measures
resolve + build + digest from a GitTree (a commit) and from a WorkTree (the folder), each the
median of --repeat runs in this process, and checks both sources give the same digest.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from changeops.bundle import GitTree, TreeSource, WorkTree, build_bundle, resolve_plan  # noqa: E402
from changeops.yaml12 import load  # noqa: E402
from generate_estate import generate  # noqa: E402

DEMO_CHANGE = "CHG-20261208-core-smu-snmp"
WIDE_CHANGE = "CHG-20270105-bench-wide"


def demo_estate(out: Path) -> Path:
    for folder in ("changes", "inventory", "playbooks", "policies"):
        shutil.copytree(REPO / folder, out / folder)
    return out


def wide_estate(out: Path, devices: int, targets: int) -> Path:
    """The synthetic estate, plus one patch change on the first ``targets`` devices."""
    generate(out, 20, devices, 7)
    data = load((REPO / "changes" / DEMO_CHANGE / "change.yaml").read_bytes()).data
    hosts = sorted(p.stem for p in (out / "inventory" / "host_vars").glob("bench-*.yml"))[:targets]
    data.update(id=WIDE_CHANGE, targets=hosts)
    record = out / "changes" / WIDE_CHANGE / "change.yaml"
    record.parent.mkdir(parents=True)
    record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def commit(root: Path) -> None:
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.test", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*env, "commit", "-q", "-m", "estate"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def seal_once(open_source: Callable[[], TreeSource], change: str) -> tuple[float, str, int]:
    """Seconds to open the source, resolve, build and digest; the digest; the files sealed."""
    with tempfile.TemporaryDirectory(prefix="changeops-bundle-bench-") as scratch:
        started = time.perf_counter()
        source = open_source()
        resolution = resolve_plan(source, change)
        bundle = build_bundle(resolution, source, Path(scratch) / "bundle")
        digest = bundle.manifest.digest
        elapsed = time.perf_counter() - started
        if isinstance(source, GitTree):
            source.close()
    if resolution.findings:
        sys.exit(f"{change}: {resolution.findings[0]}")
    return elapsed, digest, len(resolution.manifest.entries)


def measure(root: Path, change: str, repeat: int) -> list[tuple[str, float, int, str]]:
    rows = []
    for label, opener in (("GitTree (HEAD)", lambda: GitTree(root, "HEAD")), ("WorkTree", lambda: WorkTree(root))):
        runs = [seal_once(opener, change) for _ in range(repeat)]
        rows.append((label, statistics.median(r[0] for r in runs), runs[0][2], runs[0][1]))
    return rows


def table(results: list[tuple[str, str, list[tuple[str, float, int, str]]]]) -> str:
    lines = [f"{'change':<44} {'source':<15} {'median':>9} {'files':>6}  digest"]
    for change, note, rows in results:
        same = "same digest" if len({r[3] for r in rows}) == 1 else "DIGESTS DIFFER"
        for label, seconds, files, digest in rows:
            lines.append(f"{change + note:<44} {label:<15} {seconds * 1000:>6.1f} ms {files:>6}  {digest[:19]}…")
        lines.append(f"{'':<44} {same}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None, help="where to build the estates (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="changeops-bundle-estates-") as scratch:
        base = args.out or Path(scratch)
        demo, wide = demo_estate(base / "demo"), wide_estate(base / "wide", args.devices, args.targets)
        for root in (demo, wide):
            commit(root)
        results = [(DEMO_CHANGE, "", measure(demo, DEMO_CHANGE, args.repeat)),
                   (WIDE_CHANGE, f" ({args.targets} targets)", measure(wide, WIDE_CHANGE, args.repeat))]
    print(f"resolve + build + digest, median of {args.repeat}; synthetic estate of {args.devices} devices")
    print(table(results))


if __name__ == "__main__":
    main()
