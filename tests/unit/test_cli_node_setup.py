"""`changeops node-setup`: the node's authorized_keys line for the controller's key, and the tether to install."""

from __future__ import annotations

from pathlib import Path

import pytest
from changeops import cli
from changeops.execute.backends.local import TETHER

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx6nU5m0FJ7ml1aXQ5y2lS6t4H2G0q2v6o3b1x8Yc9Z changeops-controller"


def test_the_key_line_runs_the_worker_below_the_tether_and_nothing_else(
        estate_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    public = tmp_path / "controller.pub"
    public.write_text(KEY + "\n", encoding="utf-8")

    assert cli.main(["node-setup", "sy-node1", "--public-key", str(public), "--repo", str(estate_root)]) == 0

    printed = capsys.readouterr()
    assert printed.out == ('command="/usr/bin/python3 -I -S /opt/changeops/bin/changeops-tether channel '
                           '/opt/changeops/bin/ansible-runner worker --keepalive-seconds 10",no-pty,'
                           'no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc ' + KEY + "\n")
    assert "/opt/changeops/bin/changeops-tether" in printed.err


def test_a_public_key_file_holding_a_second_key_is_refused(
        estate_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second line would be a key of its own in authorized_keys, without the forced command."""
    public = tmp_path / "controller.pub"
    public.write_text(f"{KEY}\n{KEY.replace('Z changeops', 'Y attacker')}\n", encoding="utf-8")

    assert cli.main(["node-setup", "sy-node1", "--public-key", str(public), "--repo", str(estate_root)]) == 2

    printed = capsys.readouterr()
    assert printed.out == ""
    assert "not one OpenSSH public key on one line" in printed.err


def test_the_tether_printed_is_the_one_the_controller_runs(estate_root: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["node-setup", "dl-node1", "--tether", "--repo", str(estate_root)]) == 0
    assert capsys.readouterr().out == TETHER.read_text(encoding="utf-8")


@pytest.mark.parametrize(("argv", "message"), [
    (["nowhere", "--tether"], "no SSH execution node 'nowhere' in policies/nodes.yml (its SSH nodes: sy-node1, "
                              "dl-node1)"),
    (["sy-node1"], "give one of --public-key FILE"),
    (["sy-node1", "--public-key", "/nonexistent.pub"], "--public-key /nonexistent.pub: [Errno 2]"),
])
def test_usage_errors(estate_root: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert cli.main(["node-setup", *argv, "--repo", str(estate_root)]) == 2
    assert message in " ".join(capsys.readouterr().err.split())
