"""The inspection record: its section, its read-only steps (no rollback), and where a mistake is reported."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from changeops.estate.layout import Estate
from changeops.records.inspection import CHECKS
from changeops.records.inspection_result import previous_inspection
from changeops.records.model import InspectionChange, parse_change
from changeops.validation.validate import validate
from changeops.yaml12 import load
from pydantic import ValidationError
from support.estate import edit_file

REPO = Path(__file__).resolve().parents[2]
DEMO = "CHG-20261224-monthly-inspection"
RECORD = f"changes/{DEMO}/change.yaml"


def demo() -> dict[str, Any]:
    data: dict[str, Any] = load((REPO / RECORD).read_bytes()).data
    return data


def errors(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        parse_change(data)
    return [(tuple(e["loc"]), e["msg"]) for e in caught.value.errors()]


def test_the_demo_inspection_is_read_only_and_runs_every_check() -> None:
    change = parse_change(demo())
    assert isinstance(change, InspectionChange)
    assert change.rollback is None
    assert list(change.steps()) == ["precheck", "backup", "implementation", "verification"]
    assert tuple(change.inspection.checklist) == CHECKS and change.inspection.period == "2026-12"
    assert change.inspection.open_problems[0].link == "CHG-20261120-dl-edge-route-fix"


def test_every_other_type_still_needs_its_rollback() -> None:
    data = load((REPO / "changes/CHG-20261208-core-smu-snmp/change.yaml").read_bytes()).data
    del data["rollback"]
    assert errors(data) == [(("patch", "rollback"), "Field required")]


@pytest.mark.parametrize(("field", "value", "where", "message"), [
    ("period", "2026-13", ("inspection", "inspection", "period"), "write a calendar month as YYYY-MM"),
    ("period", "December", ("inspection", "inspection", "period"), "write a calendar month as YYYY-MM"),
    ("checklist", ["cpu", "fans", "cpu"], ("inspection", "inspection", "checklist"), "names cpu more than once"),
    ("checklist", [], ("inspection", "inspection", "checklist"), "at least 1 item"),
    ("previous", "last month", ("inspection", "inspection", "previous"), "an ID is CHG-YYYYMMDD-<slug>"),
    ("open_problems", [{"link": "CHG-20261120-dl-edge-route-fix"}],
     ("inspection", "inspection", "open_problems", 0, "text"), "Field required"),
])
def test_a_bad_inspection_section_is_refused_at_its_field(field: str, value: Any, where: tuple[Any, ...],
                                                          message: str) -> None:
    data = demo()
    data["inspection"][field] = value
    [(location, text)] = errors(data)
    assert location == where and message in text


def test_validate_locates_a_bad_period_at_its_line(estate_root: Path) -> None:
    edit_file(estate_root / RECORD, **{"inspection.period": "2026-1"})
    report = validate(Estate(estate_root), [estate_root / RECORD], use_cache=False)
    [finding] = report.errors
    text = (estate_root / RECORD).read_text(encoding="utf-8").splitlines()
    assert finding.rule == "schema-invalid" and "period" in text[finding.line - 1]
    assert "YYYY-MM" in finding.message


def test_the_previous_inspection_is_the_latest_earlier_one_of_the_same_scope() -> None:
    def inspection(change_id: str, period: str, targets: list[str], **section: Any) -> InspectionChange:
        data = copy.deepcopy(demo())
        data.update(id=change_id, targets=targets)
        data["inspection"].update(period=period, **section)
        change = parse_change(data)
        assert isinstance(change, InspectionChange)
        return change

    scope = ["core_routers"]
    october = inspection("CHG-20261020-monthly-inspection", "2026-10", scope)
    november = inspection("CHG-20261120-monthly-inspection", "2026-11", scope)
    other_scope = inspection("CHG-20261125-monthly-inspection", "2026-11", ["firewalls"])
    december = inspection("CHG-20261220-monthly-inspection", "2026-12", scope)
    everything = [october, november, other_scope, december]

    assert previous_inspection(december, everything) == november.id
    assert previous_inspection(october, everything) is None
    named = inspection("CHG-20261221-monthly-inspection", "2026-12", scope, previous=october.id)
    assert previous_inspection(named, everything) == october.id


def test_an_inspection_needs_three_working_days_notice_like_any_change(estate_root: Path) -> None:
    edit_file(estate_root / RECORD, **{"notice.sent": "2026-12-22T10:00:00+08:00"})
    report = validate(Estate(estate_root), [estate_root / RECORD], use_cache=False)
    # A notice sent on 2026-12-22 also lies in the future of the real clock (notice-future); the rule under
    # test is the notice period.
    [finding] = [f for f in report.errors if f.rule != "notice-future"]
    assert finding.rule == "policy-notice" and "1 working day(s)" in finding.message
