"""policies/duty.yml: its schema (phones, pairs), the people it names, rotation gaps, freezes without a roster."""

from __future__ import annotations

from pathlib import Path

import pytest
from changeops.findings import Finding
from changeops.policy.duty_checks import duty_findings as checks
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from policy_helpers import policies_dir

ROSTER = """\
phones:
  zhaomin: "139 4001 2231"
  wangpeng: "+86 138 4002 7716"
  lihaitao: "024-2251 3300"
  chenjing: "+49 30 1234567"
customers:
  lnpdn:
    hotline: "024-2251 8800"
    handover: "09:00"
    covers: {from: 2027-01-04, to: 2027-03-31}
    rotation:
      - from: 2027-01-04
        cycle:
          - {primary: zhaomin, backup: wangpeng}
          - {primary: wangpeng, backup: zhaomin}
    assurance:
      - freeze: Provincial Two Sessions
        contact: chenjing
        days:
          - {from: 2027-01-18, to: 2027-01-24, on_site: [zhaomin], remote: [wangpeng]}
      - freeze: Spring Festival assurance period
        contact: chenjing
        days:
          - {from: 2027-02-02, to: 2027-02-11, on_site: [wangpeng]}
    escalation:
      - person: lihaitao
        role: {zh: 技术负责人, en: technical lead}
        after_minutes: {critical: 15, major: 30, severe: 60, general: 240}
"""


def duty_findings(tmp_path: Path, text: str) -> list[Finding]:
    """What validate reports of ``text`` as duty.yml: its schema's findings, else those of the checks."""
    policies = read_policies(DirectorySource(policies_dir(tmp_path, duty=text)))
    return [f for f in policies.findings if f.file == "policies/duty.yml"] or checks(policies)


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_demo_roster_is_clean_and_loaded(tmp_path: Path) -> None:
    policies = read_policies(DirectorySource(policies_dir(tmp_path)))
    assert policies.findings == [] and checks(policies) == []
    assert policies.duty.customers["lnpdn"].rotation[0].cycle[0].primary == "zhaomin"


def test_a_complete_roster_has_no_findings(tmp_path: Path) -> None:
    assert duty_findings(tmp_path, ROSTER) == []


def test_without_duty_yml_there_is_no_roster_and_no_finding(tmp_path: Path) -> None:
    folder = policies_dir(tmp_path)
    (folder / "duty.yml").unlink()
    policies = read_policies(DirectorySource(folder))
    assert policies.findings == [] and policies.duty.customers == {}


@pytest.mark.parametrize("phone", ["139 4001", "12345678901", "+86 000", "call me"])
def test_a_bad_phone_is_located_with_the_formats_to_use(tmp_path: Path, phone: str) -> None:
    text = ROSTER.replace('"139 4001 2231"', f'"{phone}"')
    [finding] = duty_findings(tmp_path, text)
    assert (finding.line, finding.column) == (2, 12)
    assert finding.rule == "duty-phone" and f"'{phone}' is not a phone number" in finding.message
    assert "024-2345 6789" in finding.hint


@pytest.mark.parametrize("phone", ["13940012231", "+8613940012231", "(024) 2251 3300", "0411-8888 6666",
                                   "+1 212 555 0123"])
def test_mobile_landline_and_international_numbers_are_accepted(tmp_path: Path, phone: str) -> None:
    assert duty_findings(tmp_path, ROSTER.replace('"139 4001 2231"', f'"{phone}"')) == []


def test_an_unknown_person_names_the_close_id(tmp_path: Path) -> None:
    text = ROSTER.replace("{primary: wangpeng, backup: zhaomin}", "{primary: wangpneg, backup: zhaomin}")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-person-unknown"
    assert finding.line == line_of(text, "wangpneg") and "wangpneg" in finding.message
    assert "did you mean wangpeng" in finding.hint


def test_someone_on_duty_without_a_phone(tmp_path: Path) -> None:
    text = ROSTER.replace('  lihaitao: "024-2251 3300"\n', "")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-phone-missing" and finding.line == line_of(text, "person: lihaitao")
    assert "lihaitao" in finding.hint


def test_a_pair_of_one_person_is_refused(tmp_path: Path) -> None:
    text = ROSTER.replace("{primary: zhaomin, backup: wangpeng}", "{primary: zhaomin, backup: zhaomin}")
    [finding] = duty_findings(tmp_path, text)
    assert finding.line == line_of(text, "backup: zhaomin}") and "two people" in finding.message


def test_overlapping_stretches(tmp_path: Path) -> None:
    text = ROSTER.replace("""          - {primary: wangpeng, backup: zhaomin}
""", """          - {primary: wangpeng, backup: zhaomin}
        until: 2027-02-01
      - from: 2027-01-25
        cycle: [{primary: zhaomin, backup: wangpeng}]
""")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-rotation-overlap" and finding.line == line_of(text, "from: 2027-01-25")
    assert "2027-02-01" in finding.message


def test_a_gap_between_stretches_names_the_hours_nobody_is_on_duty(tmp_path: Path) -> None:
    text = ROSTER.replace("""          - {primary: wangpeng, backup: zhaomin}
""", """          - {primary: wangpeng, backup: zhaomin}
        until: 2027-02-01
      - from: 2027-02-03
        cycle: [{primary: zhaomin, backup: wangpeng}]
""")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-rotation-gap" and finding.line == line_of(text, "from: 2027-02-03")
    assert "from 2027-02-01 09:00 to 2027-02-03 09:00" in finding.message


def test_a_rotation_that_starts_late_or_stops_early_leaves_a_gap(tmp_path: Path) -> None:
    late = ROSTER.replace("      - from: 2027-01-04\n", "      - from: 2027-01-06\n")
    [finding] = duty_findings(tmp_path, late)
    assert finding.rule == "duty-rotation-gap" and "from 2027-01-04 09:00 to 2027-01-06 09:00" in finding.message
    early = ROSTER.replace("          - {primary: wangpeng, backup: zhaomin}\n",
                           "          - {primary: wangpeng, backup: zhaomin}\n        until: 2027-03-29\n")
    [finding] = duty_findings(tmp_path / "early", early)
    assert finding.rule == "duty-rotation-gap" and finding.line == line_of(early, "until: 2027-03-29")
    assert "from 2027-03-29 09:00 to 2027-04-01 09:00" in finding.message


def test_a_freeze_without_a_roster(tmp_path: Path) -> None:
    text = ROSTER.replace("covers: {from: 2027-01-04, to: 2027-03-31}", "covers: {from: 2027-01-04, to: 2027-07-25}")
    text = text.replace("until: 2027-03-29", "")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-assurance-uncovered" and finding.line == line_of(text, "covers:")
    assert "'Flood season' (2027-07-20 to 2027-07-25) is without a roster" in finding.message
    assert "freeze: Flood season" in finding.hint


def test_a_freeze_partly_covered_names_the_missing_days(tmp_path: Path) -> None:
    text = ROSTER.replace("{from: 2027-02-02, to: 2027-02-11, on_site: [wangpeng]}",
                          "{from: 2027-02-02, to: 2027-02-04, on_site: [wangpeng]}\n"
                          "          - {from: 2027-02-07, to: 2027-02-10, on_site: [zhaomin]}")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-assurance-uncovered"
    assert finding.line == line_of(text, "freeze: Spring Festival")
    assert "partly rostered" in finding.message and "2027-02-05 to 2027-02-06, 2027-02-11" in finding.message


def test_a_roster_for_a_freeze_that_does_not_exist(tmp_path: Path) -> None:
    text = ROSTER.replace("freeze: Provincial Two Sessions", "freeze: Two Sessions")
    found = {f.rule: f for f in duty_findings(tmp_path, text)}
    assert set(found) == {"duty-freeze-unknown", "duty-assurance-uncovered"}  # the real freeze lost its roster
    assert "Provincial Two Sessions" in found["duty-freeze-unknown"].hint


def test_a_higher_escalation_level_cannot_come_sooner(tmp_path: Path) -> None:
    text = ROSTER + """      - person: zhaomin
        role: manager
        after_minutes: {critical: 10, major: 60, severe: 120, general: 480}
"""
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-escalation-order" and "level 3 is reached after 10 minutes" in finding.message
    assert finding.line == line_of(text, "critical: 10")


def test_a_roster_for_an_unknown_customer(tmp_path: Path) -> None:
    text = ROSTER.replace("  lnpdn:\n", "  acme:\n")
    [finding] = duty_findings(tmp_path, text)
    assert finding.rule == "duty-customer" and finding.line == line_of(text, "acme:")


@pytest.mark.parametrize("handover", ["9:00", "24:00", "０９:００", "09:00:00"])
def test_a_bad_handover_time_is_located(tmp_path: Path, handover: str) -> None:
    text = ROSTER.replace('handover: "09:00"', f'handover: "{handover}"')
    [finding] = duty_findings(tmp_path, text)
    assert finding.line == line_of(text, "handover:") and "HH:MM" in finding.message
