"""`changeops approve --key` with a key others can read, as a git clone leaves the demo keys."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from changeops.approvals import sshsig
from changeops.approvals.status import approval_status
from changeops.cli import main
from changeops.estate.layout import Estate
from changeops.yaml12 import load

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
PATCH = "CHG-20261208-core-smu-snmp"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.mark.parametrize("with_public_half", [True, False])
def test_approve_signs_with_a_0644_key_from_a_private_copy(estate_root: Path, tmp_path: Path, monkeypatch,
                                                           with_public_half: bool) -> None:
    _git(estate_root, "init", "-q", "-b", "main")
    _git(estate_root, "add", "-A")
    _git(estate_root, "commit", "-q", "-m", "estate")
    key = tmp_path / "keys" / "chenjing"
    key.parent.mkdir()
    key.write_bytes((REPO / "demo/approver-keys/chenjing").read_bytes())
    if with_public_half:
        Path(f"{key}.pub").write_bytes((REPO / "demo/approver-keys/chenjing.pub").read_bytes())
    key.chmod(0o644)
    copies: list[Path] = []
    original = sshsig.readable_by_ssh

    @contextmanager
    def watched(path: Path) -> Iterator[Path]:  # records the file ssh-keygen was given
        with original(path) as usable:
            copies.append(usable)
            yield usable

    monkeypatch.setattr(sshsig, "readable_by_ssh", watched)

    assert main(["approve", PATCH, "--key", str(key), "--repo", str(estate_root)]) == 0

    written = estate_root / "changes" / PATCH / "approvals" / "chenjing.yaml"
    assert load(written.read_bytes()).data["decision"] == "approve"
    states = {a.approver: a.state for a in approval_status(Estate(estate_root), PATCH, trusted_ref="main").approvals}
    assert states == {"chenjing": "valid"}
    assert copies and all(copy != key for copy in copies), "ssh-keygen must sign from a copy"
    assert not any(copy.exists() or copy.parent.exists() for copy in copies), "the copy is removed afterwards"
    assert key.stat().st_mode & 0o777 == 0o644, "the caller's key is left as it was"


def test_a_0600_key_is_used_in_place(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes((REPO / "demo/approver-keys/sunlei").read_bytes())
    key.chmod(0o600)
    with sshsig.readable_by_ssh(key) as usable:
        assert usable == key

