"""`changeops secrets scan [--history]` on a real git repository: committed runs, then every blob ever stored."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
from execute_estate import git, make_estate

pytestmark = pytest.mark.integration
RUN = "changes/CHG-20261208-scan/runs/20261208T010000Z-abc123"


def _scan(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["changeops", "secrets", "scan", "--repo", str(root), *args], capture_output=True,
                          text=True, check=False)


def test_scan_finds_committed_run_secrets_and_history_finds_deleted_ones(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANGEOPS_NET_PASSWORD", "EnvDevicePass7")
    root = make_estate(tmp_path / "e", "CHG-20261208-scan", ["sy-dc2-core-r2"], approve=False)
    run = root / RUN
    (run / "hosts").mkdir(parents=True)
    (run / "hosts" / "r1.log").write_text("10:00:00.000 > snmp-server community ******** RO\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a clean run")
    assert _scan(root).returncode == 0

    (run / "backups").mkdir()
    (run / "backups" / "r1.cfg").write_text("hostname r1\n!\ntacacs server T\n key Leaked7Key\n")
    (root / "docs" / "note.md").write_text("header " + base64.b64encode(b"EnvDevicePass7").decode() + "\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a leaking run")
    found = _scan(root)
    assert found.returncode == 1
    assert f"{RUN}/backups/r1.cfg:4: config: key-line:" in found.stdout
    assert "Leaked7Key" not in found.stdout + found.stderr

    git(root, "rm", "-q", "-r", f"{RUN}/backups", "docs/note.md")
    git(root, "commit", "-q", "-m", "remove them again")
    assert _scan(root).returncode == 0, "the committed runs are clean now"
    history = _scan(root, "--history")
    assert history.returncode == 1
    lines = history.stdout.splitlines()
    assert any(line.startswith(f"{RUN}/backups/r1.cfg@") and ":4: config: key-line:" in line for line in lines)
    assert any(line.startswith("docs/note.md@") and ":1: known-value (base64):" in line for line in lines)
    assert _scan(root, "--history", "--exclude", "docs/*", "--exclude", "changes/*").returncode == 0


def test_scan_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    result = _scan(tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_vault_the_scan_cannot_open_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHANGEOPS_VAULT_PASSWORD_FILE", raising=False)
    monkeypatch.delenv("ANSIBLE_VAULT_PASSWORD_FILE", raising=False)
    vaulted = "$ANSIBLE_VAULT;1.1;AES256\n3132\n"
    root = make_estate(tmp_path / "e", "CHG-20261208-scan", ["sy-dc2-core-r2"], approve=False,
                       files={"inventory/group_vars/all.yml": vaulted})
    result = _scan(root)
    assert result.returncode == 0
    assert "warning:" in result.stderr and "inventory/group_vars/all.yml" in result.stderr
    assert "no vault password" in result.stderr


def test_scan_covers_the_device_archive(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", "CHG-20261208-scan", ["sy-dc2-core-r2"], approve=False)
    config = root / "archive" / "sy-dc2-core-r2" / "configs" / "20261208T010000Z.cfg"
    config.parent.mkdir(parents=True)
    config.write_text("hostname sy-dc2-core-r2\nsnmp-server community ******** RO\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a masked capture")
    assert _scan(root).returncode == 0

    config.write_text("hostname sy-dc2-core-r2\nsnmp-server community ArchLeak9 RO\n")
    git(root, "commit", "-q", "-am", "a capture someone edited")
    found = _scan(root)
    assert found.returncode == 1 and "ArchLeak9" not in found.stdout + found.stderr
    assert "archive/sy-dc2-core-r2/configs/20261208T010000Z.cfg:2: config: snmp-community:" in found.stdout
