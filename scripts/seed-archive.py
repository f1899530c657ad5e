#!/usr/bin/env python3
"""Write the demo estate's device archive (archive/<host>/) from the device lab's own configurations.

Deterministic: the same estate gives the same files, so anyone can re-run it and commit the
result. Each network device of the inventory's `ios` group gets the running configuration the
lab serves for it (rendered by the lab's own code, as `show running-config` prints it),
sanitised by the estate's redaction (the run's mask: configuration grammar, vault values,
inventory passwords, rules.yml patterns) and its `show inventory` parts, as:

- an import when the archive was opened (2026-11-02), and the November inspection (2026-11-25);
- dl-pop1-edge-r1 also the before and after of the emergency CHG-20261120-dl-edge-route-fix,
  which added the bypass route (its after state is what the November inspection found);
- sy-dc1-dist-sw1 found with a logging host nobody recorded at the November inspection:
  the demo's configuration drift.

Linux hosts are left out: the backup step (playbooks/backup.yml) saves no configuration for
them, so a run archives nothing for them either.

Usage: scripts/seed-archive.py [--repo PATH]   (needs changeops and the device lab installed)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from changeops.estate.archive import NewCapture, Part, Stage, archive_root, parse_parts, store_capture
from changeops.estate.layout import Estate
from changeops.secrets.collect import Secrets
from changeops.secrets.scan import estate_secrets
from changeops_lab.credentials import DEVICE_USER
from changeops_lab.device import DeviceState
from changeops_lab.show_system import show_inventory, show_running
from changeops_lab.supervisor import plan_from_estate

OPENED = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
INSPECTED = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
EMERGENCY = "CHG-20261120-dl-edge-route-fix"
EMERGENCY_HOST = "dl-pop1-edge-r1"
EMERGENCY_BEFORE = datetime(2026, 11, 19, 18, 31, tzinfo=UTC)
EMERGENCY_AFTER = datetime(2026, 11, 19, 18, 47, tzinfo=UTC)
BYPASS = "ip route 10.20.0.0 255.255.0.0 10.20.0.6 250 name SY-BYPASS-VIA-DCI"
DRIFT_HOST = "sy-dc1-dist-sw1"
DRIFT_LINE = "logging host 10.20.250.11"
NOTE_OPENED = "archive opened: the configuration the device held (建档)"
NOTE_INSPECTED = "November inspection, read by hand (11 月巡检)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    estate = Estate(parser.parse_args(argv).repo.resolve())
    secrets = estate_secrets(estate)
    with tempfile.TemporaryDirectory() as scratch:
        builders, _linux = plan_from_estate(Path(scratch), estate.root, DEVICE_USER)
    written = 0
    for host, build in sorted(builders.items()):
        shutil.rmtree(archive_root(estate) / host, ignore_errors=True)
        device = build()
        seed = Seed(estate, secrets, device, parse_parts(secrets.redact_text(show_inventory(device))))
        written += seed.capture(OPENED, "import", note=NOTE_OPENED)
        if host == EMERGENCY_HOST:
            written += seed.capture(EMERGENCY_BEFORE, "before", change=EMERGENCY)
            device.running.apply([], BYPASS)
            written += seed.capture(EMERGENCY_AFTER, "after", change=EMERGENCY)
        if host == DRIFT_HOST:
            device.running.apply([], DRIFT_LINE)
        written += seed.capture(INSPECTED, "import", note=NOTE_INSPECTED)
    print(f"{written} files written under {archive_root(estate)} for {len(builders)} devices")
    return 0


@dataclass(frozen=True)
class Seed:
    """One device of the lab and how its captures are sanitised."""

    estate: Estate
    secrets: Secrets
    device: DeviceState
    parts: tuple[Part, ...]

    def capture(self, moment: datetime, stage: Stage, *, note: str | None = None, change: str | None = None) -> int:
        """Store the device's configuration as it is now; the number of files written."""
        text = self.secrets.redact_text(show_running(self.device, []))
        return len(store_capture(self.estate, NewCapture(self.device.name, text, moment, stage, change=change,
                                                         note=note, parts=self.parts)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
