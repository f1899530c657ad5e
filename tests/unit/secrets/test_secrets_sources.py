"""Where secret values come from: vault files and inline vault values whatever their key, no_log references, env."""

from __future__ import annotations

from pathlib import Path

from changeops.execute.redaction import collect_secrets
from changeops.secrets.sources import environment_credentials

PASSWORD = "unit-vault-password"


def _encrypt(text: str) -> str:
    from ansible.parsing.vault import VaultLib, VaultSecret

    vault = VaultLib([("default", VaultSecret(PASSWORD.encode()))])
    return vault.encrypt(text.encode()).decode()


def test_every_value_of_a_vault_file_is_a_secret_whatever_its_key(tmp_path: Path) -> None:
    vault_file = tmp_path / "vault.yml"
    vault_file.write_text(_encrypt("tacacs_key: TacacsVaultKey1\npeer:\n  address: 192.0.2.7\n  psk: PeerPsk2\n"))
    secrets = collect_secrets(files=[vault_file], step_vars=[], env_names=[], patterns=[], env={},
                              vault_password=PASSWORD)
    assert {"TacacsVaultKey1", "192.0.2.7", "PeerPsk2"} <= secrets.values
    assert secrets.redact({"msg": "key TacacsVaultKey1 for 192.0.2.7"}) == {"msg": "key ******** for ********"}


def test_an_inline_vault_value_under_an_innocuous_name_is_a_secret(tmp_path: Path) -> None:
    inline = _encrypt("InlineVaulted3").replace("\n", "\n    ")
    group_vars = tmp_path / "ios.yml"
    group_vars.write_text(f"ntp_peer_material: !vault |\n    {inline}\nsite: dc1\n")
    secrets = collect_secrets(files=[group_vars], step_vars=[], env_names=[], patterns=[], env={},
                              vault_password=PASSWORD)
    assert "InlineVaulted3" in secrets.values and "dc1" not in secrets.values


def test_a_no_log_task_makes_the_variables_it_refers_to_secret(tmp_path: Path) -> None:
    site = tmp_path / "site.yml"
    site.write_text("all:\n  vars:\n    banner_text: NoLogReferenced4\n    location: hall-2\n")
    play = tmp_path / "play.yml"
    play.write_text("- hosts: all\n  tasks:\n    - name: hidden\n      ansible.builtin.debug:\n"
                    "        msg: \"{{ banner_text | upper }}\"\n      no_log: true\n"
                    "    - name: shown\n      ansible.builtin.debug:\n        msg: \"{{ location }}\"\n")
    secrets = collect_secrets(files=[site, play], step_vars=[], env_names=[], patterns=[], env={},
                              vault_password=None)
    assert "NoLogReferenced4" in secrets.values and "hall-2" not in secrets.values


def test_environment_credentials_are_every_device_variable_but_user_host_and_port() -> None:
    env = {"CHANGEOPS_NET_PASSWORD": "a", "CHANGEOPS_NET_SNMP_KEY": "b", "CHANGEOPS_NET_USER": "c",
           "CHANGEOPS_LINUX_TOKEN": "d", "CHANGEOPS_LINUX_PORT": "22", "OTHER_PASSWORD": "e"}
    assert environment_credentials(env) == ["CHANGEOPS_LINUX_TOKEN", "CHANGEOPS_NET_PASSWORD",
                                            "CHANGEOPS_NET_SNMP_KEY"]
