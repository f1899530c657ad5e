"""The device archive's files: one capture per file, a configuration only when it changed, bad files as findings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from changeops.estate.archive import (
    NewCapture,
    Stage,
    normalise,
    parse_parts,
    read_archive,
    store_capture,
)
from changeops.estate.layout import Estate
from changeops.findings import Severity

HOST = "sy-dc1-core-r1"
CONFIG = "Building configuration...\n\nCurrent configuration : 120 bytes\n!\nhostname sy-dc1-core-r1\n" \
         "logging buffered 102400 informational\n!\nend\n"
INVENTORY = ('NAME: "Chassis", DESCR: "Cisco ASR1001-X Chassis"\n'
             "PID: ASR1001-X         , VID: V01  , SN: FXS2204Q2HZ\n\n"
             'NAME: "Power Supply Module 0", DESCR: "Cisco AC Power Supply"\n'
             "PID: PWR-AC            , VID: V01  , SN: FXSPS0Q2HZ\n")


def at(day: int, hour: int = 2) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def estate(tmp_path: Path) -> Estate:
    (tmp_path / "changes").mkdir()
    (tmp_path / "inventory").mkdir()
    return Estate(tmp_path)


def store(estate: Estate, text: str, moment: datetime, stage: Stage = "import", *, note: str | None = None,
          change: str | None = None, run: str | None = None) -> list[Path]:
    return store_capture(estate, NewCapture(HOST, text, moment, stage, change=change, run=run, note=note))


def test_an_unchanged_configuration_adds_a_capture_and_no_configuration_file(estate: Estate) -> None:
    first = store(estate, CONFIG, at(2), note="opened")
    second = store(estate, CONFIG.replace("120 bytes", "121 bytes"), at(25), note="inspection")

    assert [p.parent.name for p in first] == ["configs", "captures"]
    assert [p.parent.name for p in second] == ["captures"], "the header line is not configuration"
    archive = read_archive(estate, HOST)
    assert archive.findings == []
    assert [c.data.note for c in archive.captures] == ["opened", "inspection"]
    assert {c.config_file for c in archive.captures} == {f"archive/{HOST}/configs/20261102T020000Z.cfg"}
    assert (estate.root / archive.captures[0].config_file).read_text() == "!\nhostname sy-dc1-core-r1\n" \
        "logging buffered 102400 informational\n!\nend\n"


def test_a_changed_configuration_gets_a_file_named_by_its_capture_time(estate: Estate) -> None:
    store(estate, CONFIG, at(2), note="opened")
    store(estate, CONFIG.replace("end\n", "logging host 10.0.0.1\nend\n"), at(25), note="inspection")
    store(estate, CONFIG, at(26), note="put back")

    archive = read_archive(estate, HOST)
    assert [Path(c.config_file).name for c in archive.captures] == [
        "20261102T020000Z.cfg", "20261125T020000Z.cfg", "20261126T020000Z.cfg"]
    assert archive.captures[0].digest == archive.captures[2].digest != archive.captures[1].digest


def test_captures_are_read_oldest_first_and_a_run_s_before_ahead_of_its_after(estate: Estate) -> None:
    store(estate, CONFIG, at(20), "after", change="CHG-20261120-x", run="20261120T020000Z-aaaaaa")
    store(estate, CONFIG, at(25), note="inspection")
    store(estate, CONFIG, at(20), "before", change="CHG-20261120-x", run="20261120T020000Z-aaaaaa")
    store(estate, CONFIG, at(2), note="opened")

    stages = [(c.time.day, c.data.stage) for c in read_archive(estate, HOST).captures]
    assert stages == [(2, "import"), (20, "before"), (20, "after"), (25, "import")]


def test_a_capture_file_that_does_not_parse_is_a_finding_at_its_line(estate: Estate) -> None:
    capture = store(estate, CONFIG, at(2), note="opened")[-1]
    capture.write_text(capture.read_text().replace("stage: import", "stage: [import"))

    archive = read_archive(estate, HOST)

    assert archive.captures == []
    (finding,) = archive.findings
    assert finding.file == f"archive/{HOST}/captures/20261102T020000Z-import.yml"
    assert finding.severity is Severity.ERROR and finding.rule.startswith("archive-") and finding.line >= 4


def test_a_capture_with_an_unknown_field_or_a_bad_stage_names_the_field(estate: Estate) -> None:
    capture = store(estate, CONFIG, at(2), note="opened")[-1]
    lines = capture.read_text().splitlines()
    stage_line = next(i for i, line in enumerate(lines, 1) if line.startswith("stage:"))
    capture.write_text(capture.read_text().replace("stage: import", "stage: during\nsource: by hand"))

    findings = read_archive(estate, HOST).findings

    assert {(f.line, "stage" in f.message or "source" in f.message) for f in findings} == {
        (stage_line, True), (stage_line + 1, True)}


def test_an_edited_or_missing_configuration_file_is_a_finding(estate: Estate) -> None:
    config, capture = store(estate, CONFIG, at(2), note="opened")
    config.write_text(config.read_text().replace("hostname", "hostname edited"))
    assert [f.rule for f in read_archive(estate, HOST).findings] == ["archive-digest"]
    config.unlink()
    assert [f.rule for f in read_archive(estate, HOST).findings] == ["archive-config"]
    capture.write_text(capture.read_text().replace("config: configs/", "config: ../../../etc/"))
    assert [f.rule for f in read_archive(estate, HOST).findings] == ["archive-config"]


def test_a_capture_in_another_host_s_folder_is_refused(estate: Estate) -> None:
    capture = store(estate, CONFIG, at(2), note="opened")[-1]
    other = estate.root / "archive" / "sy-dc1-core-r2" / "captures" / capture.name
    other.parent.mkdir(parents=True)
    other.write_text(capture.read_text())

    assert [f.rule for f in read_archive(estate, "sy-dc1-core-r2").findings] == ["archive-host"]


def test_parts_come_from_show_inventory_and_nothing_from_text_that_is_not() -> None:
    parts = parse_parts(INVENTORY)
    assert [(p.name, p.pid, p.serial) for p in parts] == [("Chassis", "ASR1001-X", "FXS2204Q2HZ"),
                                                         ("Power Supply Module 0", "PWR-AC", "FXSPS0Q2HZ")]
    assert parse_parts("% Invalid input detected at '^' marker.") == ()


def test_parts_are_kept_with_the_capture(estate: Estate) -> None:
    store_capture(estate, NewCapture(HOST, CONFIG, at(2), "import", note="opened", parts=parse_parts(INVENTORY)))
    store_capture(estate, NewCapture(HOST, CONFIG, at(3), "import", note="no inventory this time"))

    archive = read_archive(estate, HOST)
    assert [p.serial for p in archive.parts()] == ["FXS2204Q2HZ", "FXSPS0Q2HZ"], "the newest capture that has parts"


def test_normalise_keeps_configuration_lines_only() -> None:
    text = "\r\nBuilding configuration...\r\n\r\nCurrent configuration : 9 bytes\r\n" \
           "! Last configuration change at 10:00:00 UTC Tue Dec 1 2026\r\nhostname r1   \r\nend\r\n\r\n"
    assert normalise(text) == "hostname r1\nend\n"
