"""Configuration drift: consecutive captures that differ with no change record to explain it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from changeops.estate.archive import NewCapture, Stage, read_archive, store_capture
from changeops.estate.drift import ChangeHistory, archive_report, device_drift
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.findings import Severity
from changeops.validation.validate import validate
from conftest import copy_estate

MOVED = "sy-dc1-acc-sw1"  # CHG-20261217-acc-sw1-move targets it, window 2026-12-17 00:00-04:00 +08:00
QUIET = "sy-dc1-dist-sw1"  # no demo record targets it
BASE = "hostname r\nlogging buffered 102400 informational\n!\nend\n"
BY_HAND = BASE.replace("!\n", "logging host 10.20.250.11\n!\n")


@pytest.fixture
def estate(tmp_path: Path) -> Estate:
    return Estate(copy_estate(tmp_path / "estate"))


def capture(estate: Estate, host: str, text: str, moment: datetime, stage: Stage = "import", *,
            change: str | None = None, run: str | None = None) -> None:
    note = "by hand" if stage == "import" else None
    store_capture(estate, NewCapture(host, text, moment, stage, change=change, run=run, note=note))


def drift_of(estate: Estate) -> dict[str, list[str]]:
    report = archive_report(estate, load_inventory(estate))
    assert [f for f in report.findings if f.rule != "config-drift"] == []
    return {host: [d.summary() for d in drifts] for host, drifts in report.drifts.items() if drifts}


def test_a_first_capture_has_nothing_to_drift_from(estate: Estate) -> None:
    capture(estate, QUIET, BY_HAND, datetime(2026, 11, 2, tzinfo=UTC))
    assert drift_of(estate) == {}


def test_a_change_without_a_record_is_drift_naming_both_captures_and_the_difference(estate: Estate) -> None:
    capture(estate, QUIET, BASE, datetime(2026, 11, 2, tzinfo=UTC))
    capture(estate, QUIET, BASE, datetime(2026, 11, 10, tzinfo=UTC))
    capture(estate, QUIET, BY_HAND, datetime(2026, 11, 25, tzinfo=UTC))

    assert drift_of(estate) == {QUIET: ["+1 −0 lines: + logging host 10.20.250.11"]}
    (finding,) = [f for f in validate(estate, use_cache=False).findings if f.rule == "config-drift"]
    assert finding.severity is Severity.WARNING
    assert finding.file == f"archive/{QUIET}/captures/20261125T000000Z-import.yml"
    assert "between 2026-11-10T00:00:00Z (import, by hand) and 2026-11-25T00:00:00Z" in finding.message


def test_a_change_record_targeting_the_device_in_between_explains_the_difference(estate: Estate) -> None:
    capture(estate, MOVED, BASE, datetime(2026, 12, 16, tzinfo=UTC))
    capture(estate, MOVED, BY_HAND, datetime(2026, 12, 18, tzinfo=UTC))
    assert drift_of(estate) == {}, "the move's window lies between the captures"


def test_a_change_record_outside_the_captures_explains_nothing(estate: Estate) -> None:
    capture(estate, MOVED, BASE, datetime(2026, 11, 2, tzinfo=UTC))
    capture(estate, MOVED, BY_HAND, datetime(2026, 11, 25, tzinfo=UTC))
    assert list(drift_of(estate)) == [MOVED]


def test_a_run_s_after_capture_is_explained_by_its_change_but_its_before_is_not(estate: Estate) -> None:
    run, change = "20261120T020000Z-abcdef", "CHG-20261120-dl-edge-route-fix"
    capture(estate, QUIET, BASE, datetime(2026, 11, 2, tzinfo=UTC))
    capture(estate, QUIET, BY_HAND, datetime(2026, 11, 20, 2, tzinfo=UTC), "before", change=change, run=run)
    capture(estate, QUIET, BASE, datetime(2026, 11, 20, 3, tzinfo=UTC), "after", change=change, run=run)

    report = archive_report(estate, load_inventory(estate))
    (drift,) = report.drifts[QUIET]
    assert drift.current.data.stage == "before" and drift.added == ["logging host 10.20.250.11"]


def test_the_after_capture_of_a_read_only_record_explains_nothing(estate: Estate) -> None:
    run = "20261125T020000Z-abcdef"
    capture(estate, QUIET, BASE, datetime(2026, 11, 25, 2, tzinfo=UTC), "before", change="CHG-20261125-look", run=run)
    capture(estate, QUIET, BY_HAND, datetime(2026, 11, 25, 3, tzinfo=UTC), "after", change="CHG-20261125-look",
            run=run)
    archive = read_archive(estate, QUIET)

    assert device_drift(estate, archive, ChangeHistory()) == []
    assert len(device_drift(estate, archive, ChangeHistory(read_only={"CHG-20261125-look"}))) == 1


def test_a_run_without_captures_of_the_device_explains_what_changed_while_it_ran(estate: Estate) -> None:
    folder = estate.changes / "CHG-20261217-acc-sw1-move" / "runs" / "20261120T020000Z-abcdef"
    folder.mkdir(parents=True)
    (folder / "summary.yaml").write_text(
        "run: 20261120T020000Z-abcdef\nchange: CHG-20261217-acc-sw1-move\nresult: failed\n"
        "started: 2026-11-20T02:00:00Z\nfinished: 2026-11-20T02:30:00Z\n", encoding="utf-8")
    capture(estate, MOVED, BASE, datetime(2026, 11, 2, tzinfo=UTC))
    capture(estate, MOVED, BY_HAND, datetime(2026, 11, 25, tzinfo=UTC))
    assert drift_of(estate) == {}, "its backup never reached the device, but the run did"


def test_the_demo_archive_has_one_drift_and_two_captures_per_network_device() -> None:
    from conftest import REPO

    estate = Estate(REPO)
    inventory = load_inventory(estate)
    report = archive_report(estate, inventory)
    assert set(report.archives) == inventory.groups["ios"], "every network device, no Linux host"
    assert all(len(a.captures) >= 2 and a.parts() for a in report.archives.values())
    assert [f.rule for f in report.findings] == ["config-drift"]
    assert drift_of(estate) == {QUIET: ["+1 −0 lines: + logging host 10.20.250.11"]}
