"""Benchmark the device lab: start N simulated devices, run a one-command playbook at several fork counts.

    python bench/lab_bench.py [--devices 200] [--forks 10 50 100]

Prints start-up time (until every device listens), playbook wall time per
fork count, and peak memory: the lab supervisor's peak RSS (VmHWM) and the
largest summed RSS of the ansible-playbook process tree seen while it ran.
Target: 200 devices ready in 10 s or less.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from changeops.execute.backends.tether import below
from changeops_lab.harness import start_lab

PLAY = """
- hosts: lab_devices
  gather_facts: false
  tasks:
    - name: version
      cisco.ios.ios_command:
        commands: [show version]
"""


def _rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PeakSampler(threading.Thread):
    """Samples the summed RSS of this process's descendants (ansible-playbook and its workers)."""

    def __init__(self, exclude: set[int]) -> None:
        super().__init__(daemon=True)
        self.exclude, self.peak_kb, self._finished = exclude, 0, threading.Event()

    def run(self) -> None:
        while not self._finished.wait(0.2):
            pids = [p for p in below(os.getpid()) if p not in self.exclude]
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in pids))

    def stop(self) -> int:
        self._finished.set()
        self.join()
        return self.peak_kb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--forks", type=int, nargs="+", default=[10, 50, 100])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="lab-bench-") as folder:
        started = time.monotonic()
        lab = start_lab(Path(folder) / "state", devices=args.devices, linux=False)
        ready = time.monotonic() - started
        try:
            for forks in args.forks:
                sampler = PeakSampler(exclude={lab.info.pid})
                sampler.start()
                began, lab_cpu = time.monotonic(), _cpu_seconds(lab.info.pid)
                result = lab.run(PLAY, forks=forks)
                wall, lab_cpu = time.monotonic() - began, _cpu_seconds(lab.info.pid) - lab_cpu
                ok = len(result.stats().get("ok", set()))
                rows.append((forks, wall, ok, sampler.stop() / 1024, _rss_kb(lab.info.pid, "VmHWM") / 1024, lab_cpu))
        finally:
            lab.stop()
    print(f"lab start-up: {args.devices} devices ready in {ready:.2f} s (target <= 10 s); "
          f"supervisor alone {lab.info.ready_seconds:.2f} s")
    print(f"{'forks':>5} | {'playbook wall s':>15} | {'hosts ok':>8} | {'runner peak RSS MB':>18} | "
          f"{'lab peak RSS MB':>15} | {'lab CPU s':>9}")
    for forks, wall, ok, runner_mb, lab_mb, lab_cpu in rows:
        print(f"{forks:>5} | {wall:>15.1f} | {ok:>4}/{args.devices:<3} | {runner_mb:>18.0f} | {lab_mb:>15.0f} | "
              f"{lab_cpu:>9.1f}")
    return 0 if ready <= 10 and all(r[2] == args.devices for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
