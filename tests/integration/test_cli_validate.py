"""The installed `changeops` command on the demo estate and on broken copies of it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support.estate import replace_once

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
CHANGEOPS = shutil.which("changeops")
FIELDS = {"file", "line", "column", "rule", "severity", "message", "hint"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert CHANGEOPS, "changeops is not installed: pip install -e ."
    return subprocess.run([CHANGEOPS, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_repository_validates_clean(tmp_path: Path) -> None:
    shutil.copytree(REPO, tmp_path / "repo", ignore=shutil.ignore_patterns(".git", ".changeops_cache", "site",
                                                                            ".lab", "out"))
    result = run("validate", "--format", "json", cwd=tmp_path / "repo")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["checked"] >= 23
    # The demo archive's one drift (scripts/seed-archive.py): a warning, so validate still passes.
    assert [(f["rule"], f["severity"], f["file"].split("/")[1]) for f in report["findings"]] == [
        ("config-drift", "warning", "sy-dc1-dist-sw1")]


def test_mutated_copy_reports_each_problem_with_its_place(estate_root: Path) -> None:
    record = estate_root / "changes/CHG-20261210-dl-edge-upgrade/change.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("  - dl-pop1-edge-r1\n", "  - dl-pop1-edge-r2\n")
    record.write_text(text.replace("playbook: upgrade.yml", "playbook: ../../etc/upgrade.yml"))
    move = estate_root / "changes/CHG-20261217-acc-sw1-move/change.yaml"
    replace_once(move, "  end: 2026-12-17T04:00:00+08:00", "  end: 2026-12-16T23:00:00+08:00")
    (estate_root / "changes/CHG-20261215-core-failover-drill/change.yaml").write_bytes(
        b"id: CHG-20261215-core-failover-drill\ntargets: [sy-dc1-core-r1, sy-dc1-core-r2\ntype: drill\n")

    result = run("validate", "--format", "json", cwd=estate_root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert all(set(f) == FIELDS and f["hint"] for f in findings)
    located = {(f["file"].split("/")[1], f["rule"], f["line"]) for f in findings}
    assert located == {
        ("CHG-20261210-dl-edge-upgrade", "target-unknown", 28),
        ("CHG-20261210-dl-edge-upgrade", "path-traversal", 47),
        ("CHG-20261217-acc-sw1-move", "window-order", 31),
        ("CHG-20261215-core-failover-drill", "yaml-syntax", 2),
    }


def test_github_format_prints_annotations(estate_root: Path) -> None:
    record = estate_root / "changes/CHG-20261210-dl-edge-upgrade/change.yaml"
    replace_once(record, "outage_minutes: 20", "outage_minutes: 20\n  outage_hours: 1")
    result = run("validate", "--format", "github", cwd=estate_root)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=changes/CHG-20261210-dl-edge-upgrade/change.yaml,line=25,col=3,"
                                    "title=schema-unknown-field::unknown field `impact.outage_hours`")
    assert "did you mean `outage_minutes`" in result.stdout


def test_validate_one_record_reports_only_that_record(estate_root: Path) -> None:
    (estate_root / "changes/CHG-20261215-core-failover-drill/change.yaml").write_bytes(b"id: [\n")
    result = run("validate", "changes/CHG-20261210-dl-edge-upgrade", cwd=estate_root)
    assert result.returncode == 0, result.stdout
    assert "checked 1 file: valid" in result.stdout


def test_usage_errors_exit_2_without_traceback(tmp_path: Path, estate_root: Path) -> None:
    outside = run("validate", cwd=tmp_path)
    missing = run("validate", "changes/CHG-20990101-nope", cwd=estate_root)
    unknown_option = run("validate", "--format", "yaml", cwd=estate_root)
    for result in (outside, missing, unknown_option):
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.strip()
    assert "not inside a changeops repository" in outside.stderr


def test_new_then_validate_then_show(estate_root: Path) -> None:
    created = run("new", "upgrade", "--id", "CHG-20261229-dist-upgrade", "--targets", "dist_switches",
                  "--window", "2026-12-29T00:30+08:00/2026-12-29T03:30+08:00", "--title", "Upgrade the dist pair",
                  cwd=estate_root)
    assert created.returncode == 0, created.stderr
    again = run("new", "upgrade", "--id", "CHG-20261229-dist-upgrade", "--targets", "dist_switches",
                cwd=estate_root)
    assert again.returncode == 2 and "already exists" in again.stderr

    checked = run("validate", "--format", "json", "changes/CHG-20261229-dist-upgrade", cwd=estate_root)
    assert checked.returncode == 1
    assert {f["rule"] for f in json.loads(checked.stdout)["findings"]} == {"placeholder"}

    shown = run("show", "CHG-20261210-dl-edge-upgrade", cwd=estate_root)
    assert shown.returncode == 0, shown.stderr
    assert "17.09.04a → 17.12.04" in shown.stdout and "2026-12-10 01:00 +0800" in shown.stdout
    assert "upgrade.yml" in shown.stdout


def test_schema_command_matches_the_committed_schema() -> None:
    result = run("schema", cwd=REPO)
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((REPO / "docs/schema/change.schema.json").read_text())


def test_site_builds_strict(tmp_path: Path) -> None:
    result = subprocess.run(["mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/index.html").is_file() and (tmp_path / "site/schema/change.schema.json").is_file()
