"""policies/inspections.yml: loading, its mistakes at file:line, and the monthly schedule against the records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.findings import Severity
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from changeops.records.model import read_change
from changeops.validation.inspections import months, schedule_findings
from changeops.validation.validate import validate
from policy_helpers import REPO, policies_dir

DEMO = "CHG-20261224-monthly-inspection"
SCHEDULE = """schedule:
  - customer: lnpdn
    targets: [core_routers, sy-dc1-fw1]
    from: 2026-11
"""


def loaded(tmp_path: Path, text: str):
    """The demo policies with ``text`` as inspections.yml (a fresh folder on every call)."""
    folder = tmp_path / f"estate{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    return read_policies(DirectorySource(policies_dir(folder, inspections=text)))


def test_the_demo_schedule_and_thresholds_load(tmp_path: Path) -> None:
    policies = loaded(tmp_path, (REPO / "policies/inspections.yml").read_text(encoding="utf-8"))
    assert policies.findings == []
    [entry] = policies.inspections.schedule
    assert (entry.customer, entry.start, entry.until) == ("lnpdn", "2026-12", "2026-12")
    assert policies.inspections.thresholds.cpu_5min_percent is not None


def test_without_the_file_there_is_no_schedule_and_default_thresholds(tmp_path: Path) -> None:
    folder = policies_dir(tmp_path)
    (folder / "inspections.yml").unlink()
    policies = read_policies(DirectorySource(folder))
    assert policies.findings == [] and policies.inspections.schedule == []
    limits = policies.inspections.thresholds.temperature_celsius
    assert limits is not None and (limits.warning, limits.critical) == (55, 70)


def test_thresholds_in_the_wrong_order_are_located(tmp_path: Path) -> None:
    [finding] = loaded(tmp_path, "thresholds:\n  cpu_5min_percent: {warning: 95, critical: 80}\n").findings
    assert (finding.file, finding.line, finding.rule) == ("policies/inspections.yml", 2, "policy-invalid")
    assert "`warning` must not be above `critical`" in finding.message


def test_a_bad_month_an_unknown_key_and_an_unknown_customer_are_located(tmp_path: Path) -> None:
    text = ("schedule:\n  - customer: acme\n    targets: [core_routers]\n    from: 2026-12\n"
            "  - customer: lnpdn\n    targets: [core_routers]\n    from: 12/2026\n    every: month\n")
    found = {(f.rule, f.line) for f in loaded(tmp_path, text).findings}
    assert ("policy-invalid", 7) in found and any(rule.startswith("policy") and line == 8 for rule, line in found)
    customer = loaded(tmp_path, "schedule:\n  - customer: acme\n    targets: [core_routers]\n    from: 2026-12\n")
    [finding] = customer.findings
    assert (finding.rule, finding.line, finding.column) == ("policy-customer", 2, 15)


def test_months_run_across_the_year_end() -> None:
    assert list(months("2026-11", "2027-02")) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert list(months("2026-12", "2026-11")) == []


def _schedule(tmp_path: Path, text: str, now: datetime, records: list[str]) -> list:
    policies = loaded(tmp_path, text)
    assert policies.findings == []
    changes = [c for name in records if (c := read_change((REPO / "changes" / name / "change.yaml").read_bytes()))]
    return schedule_findings(policies, changes, load_inventory(Estate(REPO)), now)


def test_a_device_without_an_inspection_is_named_with_its_month(tmp_path: Path) -> None:
    found = _schedule(tmp_path, SCHEDULE, datetime(2026, 12, 10, tzinfo=UTC), [DEMO])

    # December is covered by the demo inspection (all network groups); November has no record: past, errors.
    assert {(f.severity, f.message.split(" ")[0]) for f in found} == {
        (Severity.ERROR, host) for host in ("sy-dc1-core-r1", "sy-dc1-core-r2", "sy-dc2-core-r1", "sy-dc2-core-r2",
                                            "sy-dc1-fw1")}
    finding = next(f for f in found if f.message.startswith("sy-dc1-fw1"))
    assert finding.message == "sy-dc1-fw1 (lnpdn) has no inspection record for 2026-11 (a month that has passed)"
    assert (finding.file, finding.line, finding.rule) == ("policies/inspections.yml", 3, "inspection-missing")
    assert "changeops new inspection --targets sy-dc1-fw1" in finding.hint and "2026-11" in finding.hint


def test_the_current_month_without_an_inspection_is_a_warning_in_the_customers_zone(tmp_path: Path) -> None:
    text = SCHEDULE.replace("from: 2026-11", "from: 2027-01")
    # 2026-12-31 17:00 UTC is already January 1st in Shanghai.
    found = _schedule(tmp_path, text, datetime(2026, 12, 31, 17, 0, tzinfo=UTC), [DEMO])
    assert len(found) == 5 and {f.severity for f in found} == {Severity.WARNING}
    assert all("for 2027-01 (this month)" in f.message for f in found)
    assert _schedule(tmp_path, text, datetime(2026, 12, 31, 15, 0, tzinfo=UTC), [DEMO]) == []


def test_until_ends_the_schedule_and_an_unknown_target_is_located(tmp_path: Path) -> None:
    text = SCHEDULE.replace("from: 2026-11", "from: 2026-12\n    until: 2026-12")
    assert _schedule(tmp_path, text, datetime(2027, 3, 1, tzinfo=UTC), [DEMO]) == []
    typo = text.replace("sy-dc1-fw1", "sy-dc1-fw9")
    [finding] = _schedule(tmp_path, typo, datetime(2027, 3, 1, tzinfo=UTC), [DEMO])
    assert (finding.rule, finding.line, finding.column) == ("inspection-target", 3, 29)


def test_validate_reports_the_demo_devices_when_the_inspection_record_is_gone(estate_root: Path) -> None:
    assert validate(Estate(estate_root), use_cache=False, now=datetime(2027, 1, 5, tzinfo=UTC)).errors == ()
    record = estate_root / "changes" / DEMO / "change.yaml"
    record.unlink()
    record.parent.rmdir()

    report = validate(Estate(estate_root), use_cache=False, now=datetime(2027, 1, 5, tzinfo=UTC))

    missing = [f for f in report.findings if f.rule == "inspection-missing"]
    assert len(missing) == 12 and all(f.severity is Severity.ERROR and "2026-12" in f.message for f in missing)
