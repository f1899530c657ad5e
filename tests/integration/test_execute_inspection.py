"""A routine inspection run on the lab: real SSH, real Ansible, ntc-templates parsing, an injected fault
judged in the stored result and shown in the built inspection report."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from changeops.estate.layout import Estate
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from changeops.records.inspection_result import RESULT_FILE, read_result
from changeops.yaml12 import load
from execute_estate import AT, REPO, approve_change, git, make_estate
from site_estate import build_site

pytestmark = pytest.mark.integration
WHEN = datetime.fromisoformat(AT)
DEMO = "CHG-20261224-monthly-inspection"
HOST = "sy-dc1-core-r1"
# The lab's devices booted when the lab started: uptime and neighbour age say nothing about reloads or flaps.
THRESHOLDS = """
thresholds:
  uptime_minutes: null
  neighbour_up_minutes: null
"""


def inspection_estate(root: Path, change_id: str, targets: list[str], *, previous: str | None = None,
                      backup: bool = True) -> Path:
    """The demo estate with one inspection record (from the demo's) at the lab runs' time, approved."""
    make_estate(root, change_id, targets, approve=False)
    (root / "policies" / "inspections.yml").write_text(THRESHOLDS, encoding="utf-8")
    data = load((REPO / "changes" / DEMO / "change.yaml").read_bytes()).data
    data.update(id=change_id, targets=targets, window={"start": "2026-12-08T00:00:00+08:00",
                                                       "end": "2026-12-08T06:00:00+08:00"})
    data["notice"]["sent"] = "2026-12-01T10:00:00+08:00"
    data.pop("precheck")
    if not backup:  # backup.yml saves a network device's configuration; a Linux host has none
        data.pop("backup")
        data.update(model="normal", catalogue=None)
        data.pop("catalogue")
    if previous:
        data["inspection"]["previous"] = previous
    shutil.rmtree(root / "changes" / change_id)
    (root / "changes" / change_id).mkdir(parents=True)
    (root / "changes" / change_id / "change.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "inspection record")
    approve_change(root, change_id)
    return root


def test_inspection_run_stores_the_injected_fault_and_the_report_shows_it(lab, tmp_path: Path) -> None:
    lab.control.reset(HOST)
    change_id = "CHG-20261208-lab-inspection"
    root = inspection_estate(tmp_path / "estate", change_id, [HOST])
    lab.control.set_fault(HOST, "fan-failed")
    try:
        outcome = run_change(Estate(root), change_id, at=WHEN, overlays=[lab.info.overlay],
                             progress=Progress(live=False))
    finally:
        lab.control.clear_faults(HOST)

    assert outcome.result == "completed", outcome
    assert [s.name for s in outcome.stages] == ["backup", "implementation", "verification"]
    result = read_result(outcome.folder / RESULT_FILE)
    device = result.device(HOST)
    assert device is not None and device.version == "17.09.04a" and device.notes == ()
    assert any(part.serial for part in device.parts), "show inventory gave the part serials"
    assert device.cpu_5min_percent is not None and device.memory_used_percent is not None
    assert [(f.name, f.status) for f in device.fans] == [("P2", "fail")]
    [fan] = [a for a in result.anomalies if a.check == "fans"]
    assert (fan.host, fan.subject, fan.severity, fan.measured) == (HOST, "P2", "critical", "fail")
    assert "风扇 P2" in fan.zh and "fan P2" in fan.en
    assert result.status(HOST) == "critical"
    committed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert f"changes/{change_id}/runs/{outcome.run_id}/{RESULT_FILE}" in committed

    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    site = root / "site"
    report = (site / "changes" / change_id / "inspection-report.zh" / "index.html").read_text(encoding="utf-8")
    assert "风扇 P2 状态异常：fail" in report and "co-inspection--critical" in report
    english = (site / "changes" / change_id / "inspection-report.en" / "index.html").read_text(encoding="utf-8")
    assert "fan P2 is fail" in english


def test_a_linux_host_is_inspected_from_its_facts(lab, tmp_path: Path) -> None:
    host, change_id = "sy-dc1-syslog1", "CHG-20261208-lab-linux-inspection"
    root = inspection_estate(tmp_path / "estate", change_id, [host], backup=False)

    outcome = run_change(Estate(root), change_id, at=WHEN, overlays=[lab.info.overlay], progress=Progress(live=False))

    assert outcome.result == "completed", outcome
    device = read_result(outcome.folder / RESULT_FILE).device(host)
    assert device is not None and device.kind == "linux"
    assert device.uptime_minutes is not None and device.uptime_minutes >= 0
    assert device.memory_used_percent is not None and 0 < device.memory_used_percent < 100
    assert device.disk_used_percent is not None and 0 <= device.disk_used_percent <= 100
