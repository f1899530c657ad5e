"""The run-folder scan: what the mask wrote is clean, what bypassed it is named by file, line and rule."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from changeops.execute.redaction import collect_secrets

SECRET = "VaultOnly5ecret"


def _secrets():
    return collect_secrets(files=[], step_vars=[{"peer_material": SECRET, "db_password": "unused"}], env_names=[],
                           patterns=[r"(?i)\bpassword\s+(\S+)"], env={}, vault_password=None)


def test_a_masked_run_folder_is_clean_and_a_bypass_is_named_by_file_line_and_rule(tmp_path: Path) -> None:
    secrets = _secrets()
    secrets.add(SECRET)
    event = {"event": "runner_on_ok", "event_data": {"res": {
        "commands": ["tacacs server T1", "key Sect1onKey", "snmp-server community C0mm RO"],
        "stdout": [f"{SECRET} and password Hunter22"]}}}
    (tmp_path / "hosts").mkdir()
    (tmp_path / "events.jsonl").write_text(json.dumps(secrets.redact(event)) + "\n")
    (tmp_path / "hosts" / "r1.log").write_text(secrets.redact_text("10:00:00.000 > enable secret 0 Plain6\n"))
    assert secrets.findings(tmp_path) == []

    (tmp_path / "events.jsonl").write_text("{}\n" + json.dumps(event) + "\n")
    (tmp_path / "notes.txt").write_text("first\n" + base64.b64encode(f"x{SECRET}y".encode()).decode() + "\n")
    found = {(f.file, f.line, f.rule) for f in secrets.findings(tmp_path)}
    assert {("events.jsonl", 2, "config: key-line"), ("events.jsonl", 2, "config: snmp-community"),
            ("events.jsonl", 2, "known-value (raw)"), ("events.jsonl", 2, "policy-pattern"),
            ("notes.txt", 2, "known-value (base64)")} == found
    assert SECRET not in "\n".join(str(f) for f in secrets.findings(tmp_path))


def test_lines_under_parents_are_masked_and_scanned_as_one_section(tmp_path: Path) -> None:
    secrets = _secrets()
    args = {"module_args": {"parents": "tacacs server T9", "lines": ["key Sect1onArg"], "match": "line"}}
    masked = secrets.redact(args)
    assert masked["module_args"]["lines"] == ["key ********"] and masked["module_args"]["parents"] == "tacacs server T9"
    (tmp_path / "events.jsonl").write_text(json.dumps(args) + "\n")
    assert [(f.line, f.rule) for f in secrets.findings(tmp_path)] == [(1, "config: key-line")]


def test_a_result_embedded_in_a_runner_line_is_masked_and_scanned_as_data(tmp_path: Path) -> None:
    secrets = _secrets()
    result = {"changed": False, "commands": ["tacacs server T", "key Emb3ddedKey"], "msg": "timeout"}
    event = {"event": "runner_on_failed", "stdout": f"fatal: [r1]: FAILED! => {json.dumps(result)}\n"}
    (tmp_path / "events.jsonl").write_text(json.dumps(event) + "\n")
    assert [(f.line, f.rule) for f in secrets.findings(tmp_path)] == [(1, "config: key-line")]
    masked = secrets.redact(event)["stdout"]
    assert "Emb3ddedKey" not in masked and masked.startswith("fatal: [r1]: FAILED! => {") and masked.endswith("}\n")
    (tmp_path / "events.jsonl").write_text(json.dumps(secrets.redact(event)) + "\n")
    assert secrets.findings(tmp_path) == []
