"""`changeops duty`: who is on duty at a time, with phones; and `changeops validate` on the roster's coverage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from changeops import cli
from changeops.cli import common


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that each table row stays on one line."""
    monkeypatch.setattr(common.out, "_width", 200)


def output(capsys: pytest.CaptureFixture[str]) -> str:
    """What the command printed, table borders and line wrapping folded away."""
    return re.sub(r"\s+", " ", re.sub(r"[│┃┏┓┗┛┡┩└┘┬┴┼━─╇╈┳┻]", " ", capsys.readouterr().out))


def test_who_is_on_duty_at_a_time_in_the_customers_zone(estate_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["duty", "--at", "2027-01-18 08:59", "--repo", str(estate_root)]) == 0
    text = output(capsys)
    assert "lnpdn at 2027-01-18 Mon 08:59 (Asia/Shanghai)" in text
    assert "duty engineer (level 1) Zhao Min (赵敏) 139 4001 2231 until 2027-01-18 Mon 09:00" in text
    assert "remote Li Haitao (李海涛) 186 2403 5580 Provincial Two Sessions" in text
    assert "customer duty contact Zhou Tao (周涛) 139 0988 4417" in text
    assert "level 2: technical lead Li Haitao (李海涛) 186 2403 5580 after 15/30/60/240 min" in text


def test_a_time_with_an_offset_is_that_moment(estate_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 01:00 UTC is 09:00 in Shenyang: the handover, so the next week's engineer is on duty.
    assert cli.main(["duty", "--at", "2027-01-18T01:00Z", "--customer", "lnpdn", "--repo", str(estate_root)]) == 0
    assert "duty engineer (level 1) Wang Peng (王鹏) 138 4002 7716 until 2027-01-25 Mon 09:00" in output(capsys)


def test_nobody_on_duty_is_exit_1(estate_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["duty", "--at", "2026-09-07 08:00", "--repo", str(estate_root)]) == 1
    assert "nobody: the rotation has a gap" in output(capsys)


@pytest.mark.parametrize(("argv", "message"), [
    (["--at", "next tuesday"], "is not a time"),
    (["--customer", "acme"], "no roster for 'acme'"),
])
def test_usage_errors(estate_root: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert cli.main(["duty", *argv, "--repo", str(estate_root)]) == 2
    assert message in capsys.readouterr().err


def test_validate_finds_an_assurance_period_without_roster(estate_root: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    duty = estate_root / "policies/duty.yml"
    text = duty.read_text(encoding="utf-8")
    start = text.index("      - freeze: Flood season")
    duty.write_text(text[:start] + text[text.index("    escalation:"):], encoding="utf-8")
    assert cli.main(["validate", "--repo", str(estate_root)]) == 1
    found = capsys.readouterr().out
    assert "policies/duty.yml:" in found and "[duty-assurance-uncovered]" in found
    assert "'Flood season' (2027-07-20 to 2027-08-20) is without a roster" in found
