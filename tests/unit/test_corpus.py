"""The corpus of broken and hostile records under tests/corpus/.

Each case is a folder holding ``change.yaml`` (the record) and ``expect.yaml``: the
finding ``changeops validate`` must report (``rule``, ``line``, optionally ``column``),
``why`` in one sentence, and optionally:

- ``folder``: the folder under ``changes/`` the record lives in (default: its ``id:``
  line, else the case name);
- ``also``: other rules the record legitimately triggers as well;
- ``hint_contains``: text the finding's hint must contain (a did-you-mean suggestion);
- ``companion``: a demo record folder copied next to it (for duplicate IDs);
- ``symlinks``: links to create in the estate copy at run time (git does not keep
  symlinks portable);
- ``clean: true``: the record is tricky but valid and must produce no finding;
- ``xfail``: why the tool reports the finding elsewhere than expected (a known bug);
  ``xfail_rule``: why it does not report the rule at all.

Records too big or too deep to commit are generated here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from changeops.estate.layout import Estate
from changeops.findings import Report
from changeops.validation.validate import validate
from changeops.yaml12 import MAX_BYTES

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
SKELETON = ("inventory", "playbooks", "runbooks", "policies")
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.yaml").is_file())
ID_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?id:\s*(\S+)\s*$", re.MULTILINE)


def _expect(case: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / case / "expect.yaml").read_text(encoding="utf-8"))


def _folder(case: str, expect: dict[str, Any]) -> str:
    if expect.get("folder"):
        return str(expect["folder"])
    match = ID_LINE.search((CORPUS / case / "change.yaml").read_bytes())
    return match[1].decode("utf-8", "replace") if match else case


def _estate(root: Path) -> Estate:
    for name in SKELETON:
        shutil.copytree(REPO / name, root / name, symlinks=True)
    (root / "policies" / "inspections.yml").unlink()  # no schedule: the corpus estate holds one record only
    (root / "changes").mkdir()
    return Estate(root)


def _place(estate: Estate, folder: str, raw: bytes) -> Path:
    record = estate.changes / folder / "change.yaml"
    record.parent.mkdir(parents=True)
    record.write_bytes(raw)
    return record


def _stage(estate: Estate, case: str, folder: str, expect: dict[str, Any]) -> str:
    """Put the case into ``estate`` under ``folder``; the record's path as findings name it."""
    _place(estate, folder, (CORPUS / case / "change.yaml").read_bytes())
    if expect.get("companion"):
        other = expect["companion"]
        if not (estate.changes / other).exists():
            _place(estate, other, (REPO / "changes" / other / "change.yaml").read_bytes())
    for link, target in (expect.get("symlinks") or {}).items():
        if not (estate.root / link).is_symlink():
            (estate.root / link).symlink_to(target)
    return f"changes/{folder}/change.yaml"


def _case_param(case: str, *, location: bool) -> Any:
    expect = _expect(case)
    reason = expect.get("xfail_rule") or (expect.get("xfail") if location else None)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case, marks=marks)


def _run_case(case: str, root: Path) -> tuple[Report, str, dict[str, Any]]:
    expect = _expect(case)
    estate = _estate(root)
    file = _stage(estate, case, _folder(case, expect), expect)
    return validate(estate, use_cache=False), file, expect


def test_corpus_is_large_enough() -> None:
    assert len([c for c in CASES if not _expect(c).get("clean")]) >= 36


@pytest.mark.parametrize("case", [_case_param(c, location=False) for c in CASES if not _expect(c).get("clean")])
def test_case_is_refused_with_its_rule_and_a_hint(case: str, tmp_path: Path) -> None:
    report, file, expect = _run_case(case, tmp_path)

    assert not report.clean
    found = [f for f in report.findings if f.file == file and f.rule == expect["rule"]]
    assert found, f"expected {expect['rule']}, got {report.findings}"
    assert all(f.hint.strip() for f in report.findings)
    assert any(expect.get("hint_contains", "") in f.hint for f in found), [f.hint for f in found]


@pytest.mark.parametrize("case", [_case_param(c, location=True) for c in CASES])
def test_case_is_reported_where_expected_and_nothing_else(case: str, tmp_path: Path) -> None:
    report, file, expect = _run_case(case, tmp_path)

    record_findings = tuple(f for f in report.findings if not _policy_rule(f.rule))
    if expect.get("clean"):
        assert record_findings == ()
        return
    mine = [f for f in record_findings if f.file == file]
    assert any(f.rule == expect["rule"] and f.line == expect["line"]
               and f.column == expect.get("column", f.column) for f in mine), \
        f"expected {expect['rule']} at {expect['line']}:{expect.get('column', '*')}, got {mine}"
    allowed = {expect["rule"], *expect.get("also", [])}
    assert [f for f in record_findings if f.rule not in allowed] == []


def _policy_rule(rule: str) -> bool:
    """Policy findings (notice, windows, custom rules) judge a record's plan, not its shape: the corpus
    records are cut down to show one problem each and are not meant to satisfy the policies."""
    return rule.startswith(("policy-", "custom:"))


def _too_large() -> bytes:
    head = b"id: CHG-20261208-core-smu-snmp\ntype: patch\nnotes: |\n"
    return head + b"  padding line of a record that someone pasted a whole device log into\n" * (MAX_BYTES // 70 + 10)


def _deep_flow() -> bytes:
    return b"id: CHG-20261208-core-smu-snmp\ntype: patch\nvars: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"


def _deep_flow_unclosed() -> bytes:
    return b"id: CHG-20261208-core-smu-snmp\ntype: patch\nvars: " + b"[{a: " * 50_000 + b"\n"


def _deep_block_sequence() -> bytes:
    return b"id: CHG-20261208-core-smu-snmp\ntype: patch\nvars:\n  " + b"- " * 2_000 + b"deep\n"


def _deep_block_mapping() -> bytes:
    # One-space indentation keeps 700 levels under the size limit and below the
    # pre-scan's trigger, so libyaml composes all of them and the builder must stop.
    keys = b"".join(b" " * depth + b"k:\n" for depth in range(1, 700))
    return b"id: CHG-20261208-core-smu-snmp\ntype: patch\nvars:\n" + keys + b" " * 700 + b"end: true\n"


GENERATED = {
    # name: (make the bytes, rule, line, xfail reason for the location)
    "generated-too-large": (_too_large, "file-too-large", 1, None),
    "generated-deep-flow": (_deep_flow, "yaml-nesting", 3, None),
    "generated-deep-flow-unclosed": (_deep_flow_unclosed, "yaml-nesting", 3, None),
    "generated-deep-block-sequence": (_deep_block_sequence, "yaml-nesting", 4, None),
    "generated-deep-block-mapping": (_deep_block_mapping, "yaml-nesting", 43, None),
}


def _generated_param(name: str) -> Any:
    reason = GENERATED[name][3]
    return pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])


def _run_generated(name: str, root: Path) -> Report:
    estate = _estate(root)
    _place(estate, "CHG-20261208-core-smu-snmp", GENERATED[name][0]())
    return validate(estate, use_cache=False)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_hostile_record_is_refused(name: str, tmp_path: Path) -> None:
    report = _run_generated(name, tmp_path)

    assert [f.rule for f in report.findings] == [GENERATED[name][1]]
    assert report.findings[0].hint.strip()


@pytest.mark.parametrize("name", [_generated_param(n) for n in sorted(GENERATED)])
def test_generated_hostile_record_is_located(name: str, tmp_path: Path) -> None:
    report = _run_generated(name, tmp_path)

    assert [f.line for f in report.findings] == [GENERATED[name][2]]


@pytest.mark.integration
def test_installed_cli_reports_the_whole_corpus_as_json(tmp_path: Path) -> None:
    estate = _estate(tmp_path / "repo")
    files = {case: _stage(estate, case, case, _expect(case)) for case in CASES}
    for name, (make, *_) in GENERATED.items():
        _place(estate, name, make())
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}

    done = subprocess.run(["changeops", "validate", "--format", "json", "--no-cache", "--repo", str(estate.root)],
                          cwd=estate.root, env=env, capture_output=True, text=True, timeout=300, check=False)

    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["checked"] >= len(CASES) + len(GENERATED)
    keys = {"file", "line", "column", "rule", "severity", "message", "hint"}
    for finding in report["findings"]:
        assert keys <= finding.keys(), finding
        assert isinstance(finding["line"], int) and finding["line"] >= 1
        assert isinstance(finding["column"], int) and finding["column"] >= 1
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["message"] and finding["hint"]
    located = {(f["file"], f["rule"], f["line"]) for f in report["findings"]}
    for case, file in files.items():
        expect = _expect(case)
        if expect.get("clean") or expect.get("xfail_rule"):
            continue
        if expect.get("xfail"):
            assert any(f["file"] == file and f["rule"] == expect["rule"] for f in report["findings"]), case
        else:
            assert (file, expect["rule"], expect["line"]) in located, case
    for name, (_, rule, *_) in GENERATED.items():
        assert any(f["file"] == f"changes/{name}/change.yaml" and f["rule"] == rule for f in report["findings"]), name
