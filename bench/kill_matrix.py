"""Repeat the kill matrix: exactly-once figures of runs SIGKILLed at each point, across two clones and host names.

    python bench/kill_matrix.py [--repeat 3] [--points push,commit] [--kinds tree] [--keep DIR]

Starts the lab, then for every point (before backup, during implementation, during rollback,
during commit, during push) and every kind of kill (the runner's process alone, its whole
process tree) runs the trial of ``tests/integration/kill_harness.py`` ``--repeat`` times: a
real change on two lab devices run from clone A as host ``runner-a``, killed, clone A and its
state deleted, runner B (clone B, host ``runner-b``) refused while the lease runs and closing
the run out once it expired. Prints, per point and kind: trials, devices changed without a
record on the remote, completed runs relabelled, locks stuck past the lease, duplicate
executions (and whether runner B was refused within the lease, whether its clone still follows
the remote), and how the remote recorded the run. Every trial of every round is killed first,
then all are closed out, so the leases run out side by side.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "integration")]


def _isolate(home: Path) -> None:
    """Nothing the bench runs reads or writes the machine's own git or Ansible configuration."""
    os.environ.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / ".gitconfig"), GIT_CONFIG_NOSYSTEM="1",
                      GIT_AUTHOR_NAME="Bench Engineer", GIT_AUTHOR_EMAIL="bench@example.test",
                      GIT_COMMITTER_NAME="Bench Engineer", GIT_COMMITTER_EMAIL="bench@example.test",
                      ANSIBLE_HOME=str(home / ".ansible"))


def main() -> None:
    from kill_harness import KINDS, POINTS

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--points", default=",".join(POINTS))
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--keep", type=Path, help="keep every trial's folder (trial.json, runner A's output) here")
    args = parser.parse_args()
    points, kinds = args.points.split(","), args.kinds.split(",")
    unknown = sorted(set(points) - set(POINTS) | set(kinds) - set(KINDS))
    if unknown:
        raise SystemExit(f"unknown point or kind: {', '.join(unknown)} (points: {', '.join(POINTS)}; kinds: "
                         f"{', '.join(KINDS)})")
    cells = [(point, kind) for point in points for kind in kinds]
    with tempfile.TemporaryDirectory(prefix="kill-matrix-") as scratch:
        base = Path(scratch)
        trials_dir = args.keep.resolve() if args.keep else base / "trials"
        _isolate(base / "home")
        from changeops_lab.harness import start_lab

        lab = start_lab(base / "lab", estate=REPO, reload_seconds=1.0, artifacts=base / "lab-runs")
        started = time.monotonic()
        try:
            from kill_harness import run_matrix

            trials = run_matrix(lab, trials_dir, cells, rounds=args.repeat)
        finally:
            lab.stop()
    for cell in cells:
        for trial in trials[cell]:
            if trial.error:
                print(f"  {' '.join(cell)}: not run: {trial.error.splitlines()[0]}", file=sys.stderr)
    _print([_row(cell, trials[cell]) for cell in cells])
    print(f"\n{args.repeat} round(s) of {len(cells)} trials in {time.monotonic() - started:.0f} s")


def _row(cell: tuple[str, str], trials: list[Any]) -> list[str]:
    totals: Counter[str] = Counter()
    results: Counter[str] = Counter()
    for trial in trials:
        if trial.error:
            results["not run (A never reached the point)"] += 1
            continue
        totals.update(changed=trial.changed_without_record, relabelled=trial.relabelled, stuck=trial.stuck_locks,
                      duplicates=trial.duplicates, not_refused=0 if trial.refused_before_lease else 1,
                      diverged=int(trial.diverged))
        results[trial.remote_result or "none"] += 1
    recorded = ", ".join(f"{name} {count}" for name, count in sorted(results.items()))
    counted = sum(1 for trial in trials if not trial.error)
    return [*cell, str(counted), *(str(totals[name]) for name in ("changed", "relabelled", "stuck", "duplicates",
                                                                   "not_refused", "diverged")), recorded]


def _print(rows: list[list[str]]) -> None:
    header = ["point", "kill", "trials", "changed w/o record", "completed relabelled", "locks past lease",
              "duplicates", "not refused in lease", "B clone diverged", "remote record"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
