"""Runbooks read in more than one language: ``<name>.md`` with its front matter and ``<name>.<zh|en>.md`` with
the same body in another language; an emergency plan needs both, with the same sections."""

from __future__ import annotations

from pathlib import Path

from changeops.estate.layout import Estate
from changeops.estate.runbooks import read_runbook
from conftest import copy_estate

PLAN = """\
---
title: Core switch failure
kind: emergency-plan
language: zh
customer: lnpdn
owner: Li Qiang
last_reviewed: 2026-10-15
scope: the core switches
objectives: {rto_minutes: 30, rpo_minutes: 0}
roles:
  - {role: incident commander (现场负责人), who: Wang Lei}
---

# 核心交换机故障应急恢复预案

## 1. 目的与范围

两台核心交换机互为冗余。

## 2. 恢复步骤

1. 运行 `show redundancy`。

值班人员见值班表。
"""
ENGLISH = """\
# Core switch failure

## 1. Purpose and scope

The two core switches back each other up.

## 2. Recovery steps

1. Run `show redundancy`.
"""


def estate_with(tmp_path: Path, files: dict[str, str]) -> Estate:
    for name, text in files.items():
        (tmp_path / "runbooks").mkdir(exist_ok=True)
        (tmp_path / "runbooks" / name).write_text(text, encoding="utf-8")
    return Estate(tmp_path)


def test_a_plan_is_read_in_both_languages(tmp_path: Path) -> None:
    estate = estate_with(tmp_path, {"core-switch.md": PLAN, "core-switch.en.md": ENGLISH})
    assert estate.runbook_files() == [tmp_path / "runbooks/core-switch.md"]
    runbook, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert findings == []
    assert runbook.body_in("zh").lstrip().startswith("# 核心交换机故障应急恢复预案")
    assert runbook.body_in("en").startswith("# Core switch failure")
    assert runbook.body_in("fr") == runbook.body


def test_the_demo_plans_have_a_chinese_and_an_english_body(tmp_path: Path) -> None:
    estate = Estate(copy_estate(tmp_path))
    plans = [read_runbook(estate, path) for path in estate.runbook_files()]
    emergency = [(rb, f) for rb, f in plans if rb.meta is not None and rb.meta.kind == "emergency-plan"]
    assert {rb.path.name for rb, _ in emergency} == {"core-router-failure.md", "syslog-server-recovery.md"}
    for runbook, findings in emergency:
        assert findings == []
        assert "恢复步骤" in runbook.body_in("zh") and "Recovery steps" in runbook.body_in("en")
        assert "值班人员见值班表。" in runbook.body_in("zh").splitlines()  # one line, easy to find and replace
    assert not any(path.name.endswith(".en.md") for path in estate.runbook_files())


def test_a_plan_without_its_english_body_is_a_finding_at_its_language(tmp_path: Path) -> None:
    estate = estate_with(tmp_path, {"core-switch.md": PLAN})
    _, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert [(f.file, f.line, f.rule) for f in findings] == [("runbooks/core-switch.md", 4, "runbook-language")]
    assert "no body in en" in findings[0].message and "core-switch.en.md" in findings[0].hint


def test_a_plan_in_english_only_misses_its_chinese_body_at_its_kind(tmp_path: Path) -> None:
    english_only = PLAN.replace("language: zh\n", "").split("---\n\n", 1)[0] + "---\n\n" + ENGLISH
    estate = estate_with(tmp_path, {"core-switch.md": english_only})
    _, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert [(f.file, f.line, f.rule) for f in findings] == [("runbooks/core-switch.md", 3, "runbook-language")]
    assert "no body in zh" in findings[0].message


def test_a_translation_with_other_sections_is_a_finding_where_they_part(tmp_path: Path) -> None:
    renumbered = ENGLISH.replace("## 2. Recovery steps", "## 3. Recovery steps")
    estate = estate_with(tmp_path, {"core-switch.md": PLAN, "core-switch.en.md": renumbered})
    _, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert [(f.file, f.line, f.rule) for f in findings] == [("runbooks/core-switch.en.md", 7, "runbook-sections")]
    assert "(1, 3)" in findings[0].message and "(1, 2)" in findings[0].message


def test_a_translation_missing_its_last_section_or_recovery_steps_is_found(tmp_path: Path) -> None:
    short = ENGLISH.split("## 2.")[0]
    estate = estate_with(tmp_path, {"core-switch.md": PLAN, "core-switch.en.md": short})
    _, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert [(f.file, f.rule) for f in findings] == [("runbooks/core-switch.en.md", "runbook-sections"),
                                                    ("runbooks/core-switch.en.md", "runbook-recovery")]


def test_front_matter_belongs_to_the_runbook_not_its_translation(tmp_path: Path) -> None:
    estate = estate_with(tmp_path, {"core-switch.md": PLAN, "core-switch.en.md": "---\ntitle: x\n---\n" + ENGLISH})
    _, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert [(f.file, f.line, f.rule) for f in findings] == [("runbooks/core-switch.en.md", 1, "runbook-translation")]


def test_a_translation_without_its_runbook_is_listed_and_explained(tmp_path: Path) -> None:
    estate = estate_with(tmp_path, {"core-switch.en.md": ENGLISH})
    assert estate.runbook_files() == [tmp_path / "runbooks/core-switch.en.md"]
    _, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.en.md")
    assert [(f.file, f.line, f.rule) for f in findings] == [("runbooks/core-switch.en.md", 1, "runbook-translation")]
    assert "runbooks/core-switch.md, which does not exist" in findings[0].message


def test_an_ordinary_runbook_may_have_one_language(tmp_path: Path) -> None:
    ordinary = PLAN.replace("kind: emergency-plan", "kind: runbook")
    estate = estate_with(tmp_path, {"core-switch.md": ordinary})
    runbook, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.md")
    assert findings == [] and runbook.body_in("en") == runbook.body


def test_a_translation_read_as_a_runbook_names_its_runbook(tmp_path: Path) -> None:
    estate = estate_with(tmp_path, {"core-switch.md": PLAN, "core-switch.en.md": ENGLISH})
    runbook, findings = read_runbook(estate, tmp_path / "runbooks/core-switch.en.md")
    assert runbook.meta is None and [f.rule for f in findings] == ["runbook-translation"]
    assert "the body in en of runbooks/core-switch.md" in findings[0].message
