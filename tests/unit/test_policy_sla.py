"""A fault's times against the service levels of its level (2.2.2, 2.2.4.3, 2.2.5.8)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from changeops.policy.sla import PLAN_LEVELS, LevelTargets, Measure, OnSiteBand, SlaFile, fault_measures, site_findings
from changeops.yaml12 import load
from pydantic import ValidationError

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


DISTANCES = SlaFile(site_km={"sy-dc1": 9, "sy-tn1": 80, "ay-pop1": 260, "dl-pop1": 385, "dd-pop1": 520})


def on_site(level: str, minutes: float, *sites: str) -> Measure:
    return fault_measures(level, DECLARED, responded=at(3), on_site=at(minutes), restored=None,  # type: ignore[arg-type]
                          sla=DISTANCES, sites=sites)[1]


@pytest.mark.parametrize(("site", "level", "limit"), [
    ("sy-dc1", "critical", 30),    # in Shenyang: the level's half hour
    ("sy-dc1", "severe", 60),
    ("sy-tn1", "critical", 60),    # within 100 km: an hour
    ("ay-pop1", "critical", 180),  # within 300 km: three hours
    ("dl-pop1", "severe", 300),    # within 500 km: five hours
    ("unlisted", "critical", 30),  # a site without a distance is held to the city's limit
])
def test_2_2_5_8_on_site_arrival_by_distance_from_the_service_point(site: str, level: str, limit: int) -> None:
    measure = on_site(level, 55, site)
    assert measure.limit_minutes == limit
    assert measure.verdict == ("met" if limit >= 55 else "missed")


def test_beyond_the_last_band_no_arrival_time_is_promised() -> None:
    assert on_site("critical", 600, "dd-pop1").verdict == "no_target"


def test_a_fault_on_devices_at_several_sites_is_measured_for_the_farthest() -> None:
    measure = on_site("critical", 150, "sy-dc1", "ay-pop1", "sy-tn1")
    assert (measure.limit_minutes, measure.verdict, measure.site) == (180, "met", "ay-pop1 260 km")


def test_a_band_never_loosens_a_level_below_its_own_limit() -> None:
    assert SlaFile().on_site_minutes(90, 80) == 90 and SlaFile().on_site_minutes(None, 80) is None


def test_bands_out_of_order_are_refused() -> None:
    with pytest.raises(ValidationError, match="bands go outward"):
        SlaFile(on_site_bands=[OnSiteBand(within_km=300, minutes=180), OnSiteBand(within_km=100, minutes=60)])
    with pytest.raises(ValidationError, match="bands go outward"):
        SlaFile(city_km=150)  # the first band (100 km) would lie inside the city
    with pytest.raises(ValidationError, match="site_km.sy-dc1"):
        SlaFile(site_km={"sy-dc1": -9})


def test_site_distances_are_checked_against_the_inventory() -> None:
    raw = b"site_km:\n  sy-dc1: 9\n  dl-pop2: 385\n"
    doc = load(raw)
    sla = SlaFile.model_validate(doc.data)
    findings = site_findings(sla, {"sy-dc1", "sy-dc2", "dl-pop1"}, doc)
    assert [(f.line, f.severity.value, f.message) for f in findings] == [
        (3, "error", "`dl-pop2` is not a site of the inventory"),
        (1, "warning", "site dl-pop1 has no distance: its faults are held to the city's on-site limits"),
        (1, "warning", "site sy-dc2 has no distance: its faults are held to the city's on-site limits"),
    ]
    assert site_findings(SlaFile(), {"sy-dc1"}, load(b"levels: {}\n")) == []  # no distances: nothing to check


def test_on_site_arrival_counts_from_the_customers_request_when_the_report_gives_one() -> None:
    [_, measure, _] = fault_measures("critical", DECLARED, responded=at(3), on_site=at(50), restored=None,
                                     sla=SlaFile(), on_site_requested=at(25))
    assert (measure.actual_minutes, measure.verdict) == (25, "met")  # 50 min after the declaration: a miss
