"""Who to call on the site is judged at the build's time, or at the start of the day mkdocs.yml pins."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from changeops.publish.duty_pages import call_block
from changeops.publish.snapshot import take_snapshot

MONDAY = date(2027, 1, 18)
"""The weekly handover is on Mondays at 09:00 in Shenyang (01:00 UTC)."""


def duty_row(block: str) -> str:
    return next(line for line in block.splitlines() if line.strip().startswith("| 值班工程师 |"))


def test_a_pinned_day_is_judged_at_its_start(estate_root: Path) -> None:
    block = call_block(take_snapshot(estate_root, MONDAY), "lnpdn")
    assert block.startswith("## 值班联系\n")
    assert "截至 2027-01-18 08:00（Asia/Shanghai，本站生成时）" in block
    assert duty_row(block) == "| 值班工程师 | 赵敏 (Zhao Min) | 139 4001 2231 | 至 2027-01-18 09:00 |"


def test_a_build_after_the_handover_shows_the_new_engineer(estate_root: Path) -> None:
    snap = take_snapshot(estate_root, MONDAY, built=datetime(2027, 1, 18, 1, 30, tzinfo=UTC))
    block = call_block(snap, "lnpdn")
    assert "截至 2027-01-18 09:30（Asia/Shanghai，本站生成时）" in block
    assert duty_row(block) == "| 值班工程师 | 王鹏 (Wang Peng) | 138 4002 7716 | 至 2027-01-25 09:00 |"


def test_boxed_the_block_is_an_admonition_with_every_line_indented(estate_root: Path) -> None:
    block = call_block(take_snapshot(estate_root, MONDAY), "lnpdn", boxed=True)
    first, *rest = block.rstrip("\n").splitlines()
    assert first == '!!! info "值班联系"'
    assert all(line.startswith("    ") for line in rest if line.strip())
    assert "    | 值班工程师 | 赵敏 (Zhao Min) |" in block


def test_a_customer_without_a_roster_is_told_so(estate_root: Path) -> None:
    (estate_root / "policies/duty.yml").unlink()
    block = call_block(take_snapshot(estate_root, MONDAY), "lnpdn")
    assert "尚未排定值班工程师名单（policies/duty.yml）。" in block and "| 值班工程师 |" not in block
