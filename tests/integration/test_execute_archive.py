"""The device archive through real runs on the lab: captures before and after, drift after a hand change.

Every run commits ``archive/<host>/``: the backup stage's configuration (before) and one more
read after the run (after), sanitised. A configuration changed on the device by hand between
two runs is drift: a warning of ``changeops validate`` (exit 0) and a warning on the built
device page, where the configuration text of the device is shown escaped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from changeops.estate.archive import read_archive
from changeops.estate.layout import Estate
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from execute_estate import AT, REPO, default_steps, git, make_estate
from site_estate import build_site, page
from test_secrets_planted import assert_nowhere, every_blob

pytestmark = pytest.mark.integration
WHEN = datetime.fromisoformat(AT)
CHANGEOPS = shutil.which("changeops")


def _run(root: Path, change_id: str, lab):
    return run_change(Estate(root), change_id, at=WHEN, overlays=[lab.info.overlay], progress=Progress(live=False))


def _by_hand(lab, host: str, lines: list[str], parents: list[str] | None = None) -> None:
    """Configure ``host`` over its SSH CLI (configure terminal), as an engineer would without a change record."""
    task = {"cisco.ios.ios_config": {"lines": lines, **({"parents": parents} if parents else {})}}
    result = lab.run(yaml.safe_dump([{"hosts": host, "gather_facts": False, "tasks": [task]}]))
    assert result.rc == 0, result


def _plant(lab, host: str, lines: list[str]) -> None:
    """Put ``lines`` into ``host``'s running configuration (through flash and `configure replace`)."""
    running = lab.control.device_state(host)["running_config"]
    lab.control.add_flash_file(host, "planted.cfg", content=running.replace("\nend", "\n" + "\n!\n".join(lines)
                                                                           + "\n!\nend"))
    result = lab.run(f"- hosts: {host}\n  gather_facts: false\n  tasks:\n    - cisco.ios.ios_command:\n"
                     "        commands: ['configure replace flash:planted.cfg force']\n")
    assert result.rc == 0, result
    state = lab.control.device_state(host)["running_config"]
    assert all(secret in state for secret in SECRETS.values()), "the device holds every planted line"


def test_a_run_commits_before_and_after_captures_with_the_change_difference(lab, tmp_path: Path) -> None:
    host = "sy-dc2-acc-sw1"
    lab.control.reset(host)
    steps = default_steps(log_host="10.20.250.61")
    steps["backup"] = {"playbook": "backup.yml"}  # the demo's: it lists show inventory too
    root = make_estate(tmp_path / "estate", "CHG-20261208-lab-archive", [host], steps=steps)

    outcome = _run(root, "CHG-20261208-lab-archive", lab)

    assert outcome.result == "completed", outcome
    committed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    archived = sorted(p for p in committed if p.startswith(f"archive/{host}/"))
    assert [p.split("/")[2] for p in archived] == ["captures", "captures", "configs", "configs"], committed
    archive = read_archive(Estate(root), host)
    assert archive.findings == []
    before, after = archive.captures
    assert (before.data.stage, after.data.stage) == ("before", "after")
    assert before.data.run == after.data.run == outcome.run_id
    assert before.data.change == "CHG-20261208-lab-archive" and before.time < after.time
    old = (root / before.config_file).read_text()
    new = (root / after.config_file).read_text()
    assert "logging host 10.20.250.61" not in old and "logging host 10.20.250.61" in new
    assert re.search(r"^enable secret 9 \*{8}$", new, re.M), "the configuration is masked as the backups are"
    serial = yaml.safe_load((REPO / "inventory/host_vars" / f"{host}.yml").read_text())["serial_number"]
    assert before.data.parts[0].serial == serial, "show inventory lists the chassis first, with its serial"
    assert len({p.serial for p in before.data.parts}) == len(before.data.parts) > 1, "every part has its own serial"
    assert archive.parts() == before.data.parts
    transcript = (outcome.folder / "hosts" / f"{host}.log").read_text()
    assert "== archive-after: changeops-archive-capture.yml" in transcript, "the read after is in the transcript"
    assert git(root, "status", "--porcelain") == ""


def test_a_hand_change_between_two_runs_is_drift_in_validate_and_on_the_device_page(lab, tmp_path: Path) -> None:
    host = "sy-dc1-acc-sw1"
    lab.control.reset(host)
    change = "CHG-20261208-lab-drift"
    root = make_estate(tmp_path / "estate", change, [host], steps=default_steps(log_host="10.20.250.62"))
    lab.control.set_fault(host, "refuse-command", "^logging host")
    try:
        first = _run(root, change, lab)
    finally:
        lab.control.clear_faults(host)
    assert first.result in ("failed", "rolled-back"), first
    _by_hand(lab, host, ["logging host 10.20.250.66"])
    _by_hand(lab, host, ["description <script>alert('cfg')</script> & <b>x</b>"],
             parents=["interface GigabitEthernet0/0"])

    second = _run(root, change, lab)

    assert second.result == "completed", second
    report = subprocess.run([str(CHANGEOPS), "validate", "--format", "json"], cwd=root, capture_output=True,
                            text=True, timeout=120)
    assert report.returncode == 0, report.stdout + report.stderr
    drift = [f for f in json.loads(report.stdout)["findings"] if f["rule"] == "config-drift"]
    assert len(drift) == 1 and drift[0]["severity"] == "warning", drift
    assert drift[0]["file"].startswith(f"archive/{host}/captures/") and drift[0]["file"].endswith("-before.yml")
    assert f"{first.run_id})" in drift[0]["message"] and f"{second.run_id})" in drift[0]["message"]
    assert "+ logging host 10.20.250.66" in drift[0]["message"]
    assert "logging host 10.20.250.62" not in drift[0]["message"], "the run's own change is not drift"

    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    built = build_site(root)
    assert built.returncode == 0, built.stderr
    device = page(root / "site", f"devices/{host}.md")
    assert "+ logging host 10.20.250.66" in device and 'class="admonition warning"' in device
    assert "&lt;script&gt;alert(&#39;cfg&#39;)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in device
    assert "<script>alert(" not in device and "<b>x</b>" not in device
    assert "logging host 10.20.250.62</span>" in device, "the diff against the previous configuration"


SECRETS = {
    "enable secret 0 ArchEnableSecret1": "ArchEnableSecret1",
    "snmp-server community ArchCommunity2 RO": "ArchCommunity2",
    "key chain ARCHKC\n key 1\n  key-string ArchKeyString3": "ArchKeyString3",
    "username archop password 0 ArchUserPass4": "ArchUserPass4",
}


def test_secrets_in_the_running_config_reach_no_committed_file_the_archive_included(lab, tmp_path: Path) -> None:
    host = "sy-dc2-core-r2"
    lab.control.reset(host)
    _plant(lab, host, list(SECRETS))
    root = make_estate(tmp_path / "estate", "CHG-20261208-lab-archive-secrets", [host])

    outcome = _run(root, "CHG-20261208-lab-archive-secrets", lab)

    assert outcome.result == "completed", outcome
    archive = read_archive(Estate(root), host)
    assert [c.data.stage for c in archive.captures] == ["before", "after"]
    stored = (root / archive.captures[-1].config_file).read_text()
    assert "snmp-server community ******** RO" in stored and "username archop password 0 ********" in stored
    assert re.search(r"^  key-string \*{8}$", stored, re.M)
    assert_nowhere(list(SECRETS.values()), {"git log -p --all": git(root, "log", "-p", "--all"),
                                            "git objects": every_blob(root)})
    scan = subprocess.run([str(CHANGEOPS), "secrets", "scan", "--history"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert scan.returncode == 0, scan.stdout + scan.stderr
