"""Run records as the site reads them: every part optional, nothing fatal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from changeops.publish.runs import read_run, read_runs


def test_a_full_summary_is_read_with_stages_transcripts_and_backups(tmp_path: Path) -> None:
    run = tmp_path / "runs/20261207T163200Z-a1b2c3"
    (run / "hosts").mkdir(parents=True)
    (run / "backups").mkdir()
    (run / "summary.yaml").write_text(
        "run: 20261207T163200Z-a1b2c3\nchange: CHG-20261208-core-smu-snmp\nresult: rolled-back\n"
        "started: 2026-12-07T16:32:00Z\n"
        "finished: '2026-12-07T17:00:00Z'\nstages:\n  - {name: precheck, started: 2026-12-07T16:32:00Z, "
        "hosts: {r1: ok, r2: failed}}\nplan_digest: sha256:abc\nversions: {changeops: 0.1.0}\n", encoding="utf-8")
    (run / "hosts/r1.log").write_text("sent: show version\n", encoding="utf-8")
    (run / "backups/r1.cfg").write_text("hostname r1\n", encoding="utf-8")
    (run / "backups/SHA256SUMS").write_text("abc  r1.cfg\n", encoding="utf-8")

    [read] = read_runs(tmp_path)
    assert read.result == "rolled-back" and read.plan_digest == "sha256:abc"
    assert read.started == datetime(2026, 12, 7, 16, 32, tzinfo=UTC)
    assert read.finished == datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
    assert read.stage("precheck").hosts == {"r1": "ok", "r2": "failed"} and read.stage("backup") is None
    assert list(read.transcripts) == ["r1"] and [p.name for p in read.backups] == ["r1.cfg"]
    assert read.versions == {"changeops": "0.1.0"}


def test_a_run_cut_short_has_only_what_was_written(tmp_path: Path) -> None:
    (tmp_path / "hosts").mkdir()
    (tmp_path / "hosts/r1.log").write_text("partial\n", encoding="utf-8")
    run = read_run(tmp_path)
    assert run.id == tmp_path.name and run.result is None and run.stages == () and run.problem is None
    assert run.started is None and run.events is None and list(run.transcripts) == ["r1"]


def test_an_unreadable_summary_is_a_problem_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "summary.yaml").write_text("result: [completed\n", encoding="utf-8")
    run = read_run(tmp_path)
    assert run.result is None and run.problem and run.problem.startswith("summary.yaml")


def test_a_summary_that_breaks_the_run_contract_is_a_problem_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "summary.yaml").write_text("run: r\nchange: c\nresult: exploded\nstarted: 2026-12-07T16:32:00Z\n"
                                           "finished: 2026-12-07T16:40:00Z\n", encoding="utf-8")
    run = read_run(tmp_path)
    assert (run.result, run.stages, run.versions, run.started) == (None, (), {}, None)
    assert run.problem is not None and "result" in run.problem


def test_drill_recovery_time_from_drill_yaml_then_events(tmp_path: Path) -> None:
    (tmp_path / "drill.yaml").write_text("achieved_seconds: 95\nhosts: {r1: {recovery_seconds: 80}}\n",
                                         encoding="utf-8")
    assert read_run(tmp_path).recovery_seconds == 95.0
    (tmp_path / "drill.yaml").unlink()
    (tmp_path / "events.jsonl").write_text('{"event": "x"}\nnot json recovery_seconds\n'
                                           '{"event_data": {"artifact_data": {"drill": {"r1": '
                                           '{"recovery_seconds": 42}}}}}\n', encoding="utf-8")
    assert read_run(tmp_path).recovery_seconds == 42.0


def test_runs_are_ordered_oldest_first(tmp_path: Path) -> None:
    for name, finished in (("b", "2026-12-02T00:00:00Z"), ("a", "2026-12-03T00:00:00Z")):
        (tmp_path / "runs" / name).mkdir(parents=True)
        (tmp_path / "runs" / name / "summary.yaml").write_text(
            f"run: {name}\nchange: CHG-20261208-core-smu-snmp\nresult: completed\nstarted: {finished}\n"
            f"finished: {finished}\n", encoding="utf-8")
    assert [r.id for r in read_runs(tmp_path)] == ["b", "a"]
    assert read_runs(tmp_path / "nothing") == []
