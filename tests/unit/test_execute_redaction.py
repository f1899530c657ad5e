"""Redaction: values, names and patterns are masked; a leak is found by the scan."""

from __future__ import annotations

from pathlib import Path

from changeops.execute.redaction import MASK, collect_secrets


def test_values_from_files_env_and_step_vars_are_masked_and_patterns_mask_their_groups(tmp_path: Path) -> None:
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  hosts:\n    r1:\n      ansible_password: S3cretPass\n      site: x\n"
                         "      templated_password: \"{{ lookup('env', 'X') }}\"\n")
    secrets = collect_secrets(files=[inventory], step_vars=[{"api_token": "tok-123456"}], env_names=["NET_PW"],
                              patterns=[r"community (\S+)"], env={"NET_PW": "EnvSecret9"}, vault_password=None)

    text = "login S3cretPass tok-123456 EnvSecret9 snmp-server community public RO site x"
    assert secrets.redact_text(text) == f"login {MASK} {MASK} {MASK} snmp-server community {MASK} RO site x"
    assert secrets.redact({"ansible_become_password": "whatever", "msg": "S3cretPass"}) == {
        "ansible_become_password": MASK, "msg": MASK}
    assert not any("lookup" in value for value in secrets.values)


def test_the_scan_names_files_holding_a_known_secret(tmp_path: Path) -> None:
    secrets = collect_secrets(files=[], step_vars=[{"db_password": "hunter2hunter2"}], env_names=[], patterns=[],
                              env={}, vault_password=None)
    (tmp_path / "clean.log").write_text("nothing here")
    (tmp_path / "hosts").mkdir()
    (tmp_path / "hosts" / "r1.log").write_text("oops hunter2hunter2")
    assert secrets.leaks(tmp_path) == ["hosts/r1.log"]
