"""An inspection run's result: the previous inspection found in the estate, what was published measured and
judged against it, and a device the playbook could not inspect listed as such, never as healthy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from changeops.estate.layout import Estate
from changeops.execute.executor import StageResult
from changeops.execute.inspection import inspection_context, inspection_result
from changeops.policy.inspection_judge import judge_device
from changeops.policy.inspections import Thresholds
from changeops.records.inspection_result import InspectionResult, Measured, Unit, result_data
from changeops.records.model import InspectionChange, read_change
from changeops.records.run_summary import HostOutcome
from support.estate import copy_record, write_yaml

DEMO = "CHG-20261224-monthly-inspection"
NOVEMBER = "CHG-20261124-monthly-inspection"
AT = datetime(2026, 12, 23, 17, 0, tzinfo=UTC)


def _with_november(root: Path) -> InspectionChange:
    copy_record(root, DEMO, NOVEMBER, {"inspection.period": "2026-11"})
    before = Measured(host="sy-dc1-core-r1", fans=(Unit(name="P2", status="ok"),),
                      power_supplies=(Unit(name="P1", status="bad"),))
    previous = InspectionResult(change=NOVEMBER, period="2026-11", inspected=AT, devices=(before,),
                                anomalies=tuple(judge_device(before, Thresholds(), None)))
    run = root / "changes" / NOVEMBER / "runs" / "20261123T170000Z-aaaaaa"
    run.mkdir(parents=True)
    write_yaml(run / "inspection.yaml", result_data(previous))
    change = read_change((root / "changes" / DEMO / "change.yaml").read_bytes())
    assert isinstance(change, InspectionChange)
    return change


def test_the_previous_inspections_result_is_found_for_the_comparison(estate_root: Path) -> None:
    change = _with_november(estate_root)
    context = inspection_context(Estate(estate_root), change, Thresholds())
    assert context is not None and context.previous is not None and context.previous.change == NOVEMBER


def test_the_published_checks_are_judged_and_compared_and_a_failed_host_is_not_inspected(estate_root: Path) -> None:
    change = _with_november(estate_root)
    context = inspection_context(Estate(estate_root), change, Thresholds())
    assert context is not None
    published = {"sy-dc1-core-r1": {"kind": "network", "checks": ["fans"], "parsed": {"fans": [
        {"slot_number": "P2", "module_sku": "ASR1002-HX-FAN", "state": "fail", "running_state": ""}]}},
        "sy-dc1-core-r2": {"kind": "network", "checks": ["fans"], "parsed": {}}}
    stage = StageResult("implementation", "inspect.yml", 2,
                        {"sy-dc1-core-r1": HostOutcome.OK, "sy-dc1-core-r2": HostOutcome.UNREACHABLE},
                        stats={"inspection": published})

    result = inspection_result(change, context, stage, AT)

    assert [d.host for d in result.devices] == ["sy-dc1-core-r1"] and result.not_inspected == ("sy-dc1-core-r2",)
    assert result.status("sy-dc1-core-r2") == "not-inspected" and result.status("sy-dc1-core-r1") == "critical"
    assert result.comparison.previous == NOVEMBER
    assert result.comparison.new == ("sy-dc1-core-r1/fans/P2",)
    assert result.comparison.resolved == ("sy-dc1-core-r1/power/P1",)


def test_another_change_has_no_inspection_context(estate_root: Path) -> None:
    change = read_change((estate_root / "changes/CHG-20261208-core-smu-snmp/change.yaml").read_bytes())
    assert change is not None and inspection_context(Estate(estate_root), change, Thresholds()) is None
