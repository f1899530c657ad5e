"""An emergency plan's page opens on its recovery steps; bilingual headings lead with the site's language."""

from __future__ import annotations

from changeops.publish.rendering import variable_rows
from changeops.publish.runbook_layout import headings_in, split_recovery

PLAN = """Intro line.

## 1. Purpose and scope (目的与范围)

Why.

## 6. Recovery steps (恢复步骤)

1. Do this.

## 7. Escalation (升级)

Call.
"""


def test_the_recovery_section_is_taken_out_and_the_rest_keeps_its_order() -> None:
    recovery, rest = split_recovery(PLAN)
    assert recovery == "## Recovery steps (恢复步骤)\n\n1. Do this.\n\n"  # out of the plan's order: no number
    assert rest == "Intro line.\n\n## 1. Purpose and scope (目的与范围)\n\nWhy.\n\n## 7. Escalation (升级)\n\nCall.\n"


def test_a_plan_without_recovery_steps_is_left_as_it_is() -> None:
    assert split_recovery("## 1. Plan (规划)\n\ntext\n") == ("", "## 1. Plan (规划)\n\ntext\n")


def test_headings_lead_with_chinese_on_a_chinese_site_only() -> None:
    text = "# Core router failure (核心路由器故障)\n## 6. Recovery steps (恢复步骤)\n## Notes (see RFC 1)\n"
    assert headings_in(text, "zh") == ("# 核心路由器故障 (Core router failure)\n## 6. 恢复步骤 (Recovery steps)\n"
                                       "## Notes (see RFC 1)\n")
    assert headings_in(text, "en") == text


def test_step_variables_become_rows_a_reader_can_scan() -> None:
    rows = variable_rows({"ping_targets": ["10.0.0.1", "10.0.0.2"], "serial": 1, "dry": True,
                          "fix": {"parents": ["interface Gi0/0"]}})
    assert rows == [("ping_targets", "10.0.0.1, 10.0.0.2"), ("serial", "1"), ("dry", "true"),
                    ("fix", '{"parents": ["interface Gi0/0"]}')]


def test_the_recovery_steps_in_the_sites_language_come_first() -> None:
    both = "## 恢复步骤\n\n1. 先做这个。\n\n## 6. Recovery steps (恢复步骤)\n\n1. Do this.\n"
    assert split_recovery(both, "zh") == ("## 恢复步骤\n\n1. 先做这个。\n\n",
                                          "## 6. Recovery steps (恢复步骤)\n\n1. Do this.\n")
    assert split_recovery(both, "en")[0] == "## Recovery steps (恢复步骤)\n\n1. Do this.\n\n"
