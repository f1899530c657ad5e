"""The estate as the site reads it: invalid records kept aside, approvals when they can be judged."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from changeops.publish.approval_view import approval_view
from changeops.publish.runbook_pages import review_overdue
from changeops.publish.snapshot import take_snapshot

PATCH = "CHG-20261208-core-smu-snmp"


def test_records_are_read_once_and_invalid_ones_kept_aside(estate_root: Path) -> None:
    broken = estate_root / "changes/CHG-20261230-broken-one/change.yaml"
    broken.parent.mkdir()
    broken.write_text("id: CHG-20261230-broken-one\ntype: upgrade\n", encoding="utf-8")
    (estate_root / "changes/CHG-20261231-not-yaml").mkdir()
    (estate_root / "changes/CHG-20261231-not-yaml/change.yaml").write_text("a: [b\n", encoding="utf-8")

    snap = take_snapshot(estate_root, date(2026, 12, 1))
    assert [r.id for r in snap.records][:3] == ["CHG-20261105-core-r2-failover-drill", "CHG-20261120-dl-edge-route-fix",
                                                PATCH]
    assert [i.file for i in snap.invalid] == ["changes/CHG-20261230-broken-one/change.yaml",
                                             "changes/CHG-20261231-not-yaml/change.yaml"]
    assert snap.language == "zh" and len(snap.runbooks) == 4
    patch = next(r for r in snap.records if r.id == PATCH)
    assert patch.hosts == ("sy-dc1-core-r1", "sy-dc1-core-r2") and patch.month == "2026-12"
    if patch.approval.available:  # judged: no approvals exist, so the quorum is not met
        assert patch.approval.evaluated and not patch.approval.met and patch.approval.digest.startswith("sha256:")
        assert patch.approval.rows == ()
    assert patch.state(snap.now) == "scheduled"
    drill, fix = snap.records[:2]
    assert drill.drill_report is not None and drill.drill_report_problem == "" and fix.drill_report is None
    assert fix.fault_report is not None and not fix.fault_report_late and fix.state(snap.now) == "unrun"


def test_approvals_degrade_when_the_package_is_missing(estate_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "changeops.approvals.status", None)  # import fails
    view = approval_view(type("E", (), {"root": estate_root})(), PATCH)
    assert not view.available and view.problem == ""


def test_approvals_that_fail_on_a_record_do_not_stop_the_site(estate_root: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("changeops.approvals.status")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("signature tool missing")

    monkeypatch.setattr("changeops.approvals.status.approval_status", broken)
    view = approval_view(type("E", (), {"root": estate_root})(), PATCH)
    assert not view.available and "signature tool missing" in view.problem


def test_a_runbook_is_due_for_review_after_twelve_months() -> None:
    assert not review_overdue(date(2025, 12, 1), date(2026, 12, 1))
    assert review_overdue(date(2025, 11, 30), date(2026, 12, 1))
