"""Notice: N working days before the window, skipping weekends and the customer's public holidays."""

from __future__ import annotations

from pathlib import Path

from changeops.policy.calendars import working_days_between
from changeops.policy.notice import check_notice
from policy_helpers import change, context, record, rules_of


def with_notice(sent: str, window: tuple[str, str]):
    notice = dict(record("CHG-20261208-core-smu-snmp")["notice"], sent=sent)
    return change(window=window, notice=notice)


def test_demo_notice_is_early_enough(tmp_path: Path) -> None:
    assert rules_of(check_notice(change(), context(tmp_path))) == []


def test_notice_too_late_across_national_day(tmp_path: Path) -> None:
    late = with_notice("2026-09-28T10:00:00+08:00", ("2026-10-08T00:30:00+08:00", "2026-10-08T04:30:00+08:00"))
    [issue] = check_notice(late, context(tmp_path))
    assert issue.rule == "policy-notice" and issue.path == ("notice", "sent")
    assert "leaves 2 working day(s)" in issue.message  # seven weekdays, five of them holidays


def test_adjusted_working_saturday_counts(tmp_path: Path) -> None:
    # 2026-10-10 is a Saturday worked in China; Fri 9, Sat 10, Mon 12 make three working days
    on_time = with_notice("2026-10-08T10:00:00+08:00", ("2026-10-13T00:30:00+08:00", "2026-10-13T04:30:00+08:00"))
    assert rules_of(check_notice(on_time, context(tmp_path))) == []
    assert working_days_between(*(d.date() for d in (on_time.notice.sent, on_time.window.start)), None) == 2


def test_missing_notice_and_notice_after_start(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert rules_of(check_notice(change(notice=None), ctx)) == ["policy-notice"]
    after = with_notice("2026-12-08T01:00:00+08:00", ("2026-12-08T00:30:00+08:00", "2026-12-08T04:30:00+08:00"))
    [issue] = check_notice(after, ctx)
    assert "after the window starts" in issue.message


def test_emergency_needs_no_notice(tmp_path: Path) -> None:
    assert rules_of(check_notice(change("CHG-20261120-dl-edge-route-fix"), context(tmp_path))) == []


def test_required_days_come_from_rules(tmp_path: Path) -> None:
    rules = (Path(__file__).resolve().parents[2] / "policies/rules.yml").read_text()
    strict = rules.replace("working_days: 3", "working_days: 10")
    [issue] = check_notice(change(), context(tmp_path, rules=strict))
    assert "10 are required" in issue.message


def test_a_notice_dated_in_the_future_is_refused_at_its_sent_line(estate_root: Path) -> None:
    from datetime import UTC, datetime

    from changeops.estate.layout import Estate
    from changeops.validation.validate import validate

    record = estate_root / "changes/CHG-20261210-dl-edge-upgrade/change.yaml"
    text = record.read_text(encoding="utf-8").replace("sent: 2026-11-30T15:30:00+08:00",
                                                      "sent: 2026-12-02T15:30:00+08:00")
    record.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  sent: 2026-12-02T15:30:00+08:00") + 1
    before = validate(Estate(estate_root), now=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    [finding] = [f for f in before.findings if f.rule == "notice-future"]
    assert (finding.file, finding.line) == ("changes/CHG-20261210-dl-edge-upgrade/change.yaml", line)
    assert "2026-12-02 07:30 UTC" in finding.message and "`sent`" in finding.hint
    # judged against the clock on every run, not cached with the record: once the day has come it is a notice
    after = validate(Estate(estate_root), now=datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    assert "notice-future" not in {f.rule for f in after.findings}
    assert not [f for f in validate(Estate(estate_root), now=datetime(2026, 12, 1, 9, 0, tzinfo=UTC)).findings
                if f.rule not in ("notice-future",) and f.severity.value == "error"]
