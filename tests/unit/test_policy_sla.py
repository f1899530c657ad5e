"""A fault's times against the service levels of its level (2.2.2, 2.2.4.3, 2.2.5.8)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from changeops.policy.sla import PLAN_LEVELS, LevelTargets, SlaFile, fault_measures

CST = timezone(timedelta(hours=8))
DECLARED = datetime(2026, 11, 20, 2, 10, tzinfo=CST)


def at(minutes: float) -> datetime:
    return DECLARED + timedelta(minutes=minutes)


def verdicts(level: str, **times: datetime | None) -> dict[str, str]:
    measures = fault_measures(level, DECLARED, responded=times.get("responded"), on_site=times.get("on_site"),
                              restored=times.get("restored"), sla=SlaFile())  # type: ignore[arg-type]
    return {m.name: m.verdict for m in measures}


def test_the_plan_s_response_limits_by_level() -> None:
    assert [PLAN_LEVELS[level].response_minutes for level in ("critical", "major", "severe", "general")] == \
        [5, 5, 10, 60]


def test_a_severe_fault_answered_in_time_and_restored_in_time() -> None:
    assert verdicts("severe", responded=at(4), on_site=at(55), restored=at(38)) == \
        {"response": "met", "on_site": "met", "restoration": "met"}


def test_late_response_and_late_arrival_are_missed() -> None:
    assert verdicts("critical", responded=at(6), on_site=at(31), restored=at(4 * 60 + 1)) == \
        {"response": "missed", "on_site": "missed", "restoration": "missed"}


def test_exactly_at_the_limit_is_met() -> None:
    assert verdicts("severe", responded=at(10), restored=at(8 * 60))["response"] == "met"


def test_work_begun_before_the_customer_declared_took_no_time() -> None:
    [response, _, _] = fault_measures("severe", DECLARED, responded=at(-4), on_site=None, restored=None, sla=SlaFile())
    assert response.actual_minutes == 0 and response.verdict == "met"


def test_missing_times_are_not_recorded_and_an_unpromised_measure_has_no_target() -> None:
    # not restored yet: nobody can tell whether an on-site visit was owed
    assert verdicts("major") == {"response": "not_recorded", "on_site": "not_recorded", "restoration": "not_recorded"}
    # restored remotely: no on-site visit was needed; a general fault promises neither visit nor restoration
    assert verdicts("major", responded=at(3), restored=at(20))["on_site"] == "no_target"
    assert verdicts("general", responded=at(30)) == {"response": "met", "on_site": "no_target",
                                                     "restoration": "no_target"}


def test_the_contract_s_own_limits_replace_the_plan_s() -> None:
    sla = SlaFile(levels={"severe": LevelTargets(response_minutes=3)})
    [response, on_site, restoration] = fault_measures("severe", DECLARED, responded=at(4), on_site=None,
                                                      restored=at(5), sla=sla)
    assert (response.verdict, on_site.verdict, restoration.verdict) == ("missed", "no_target", "no_target")


@pytest.mark.parametrize("level", ["critical", "major", "severe", "general"])
def test_every_level_has_a_response_limit(level: str) -> None:
    assert SlaFile().levels[level].response_minutes > 0  # type: ignore[index]
