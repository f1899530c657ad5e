"""Where a configuration line lands when typed inside a sub-mode (IOS parser fallback)."""

from __future__ import annotations

from changeops_lab.config_modes import Section, belongs_at, opener_mode, prompt_suffix

INTERFACE = [Section("interface Gi1", "config-if")]
ROUTER_AF = [Section("router bgp 65000", "config-router"), Section("address-family ipv4", "config-router-af")]


def test_sub_mode_commands_stay_in_the_sub_mode() -> None:
    assert belongs_at(INTERFACE, "description uplink") == 1
    assert belongs_at(INTERFACE, "service-policy output SHAPE") == 1
    assert belongs_at(ROUTER_AF, "neighbor 10.0.0.2 activate") == 2


def test_global_commands_and_sibling_sections_fall_back() -> None:
    assert belongs_at(INTERFACE, "interface Gi2") == 0
    assert belongs_at(INTERFACE, "ip route 0.0.0.0 0.0.0.0 Gi1") == 0
    assert belongs_at(INTERFACE, "hostname r9") == 0
    assert belongs_at(ROUTER_AF, "address-family ipv6") == 1
    assert belongs_at(ROUTER_AF, "router-id 1.1.1.1") == 2


def test_openers_and_prompts() -> None:
    assert opener_mode("config", "line vty 0 4") == "config-line"
    assert opener_mode("config-router", "address-family ipv4 unicast") == "config-router-af"
    assert opener_mode("config", "logging host 10.0.0.1") is None
    assert prompt_suffix([]) == "(config)#" and prompt_suffix(ROUTER_AF) == "(config-router-af)#"


def test_aaa_server_and_keyring_sections_keep_their_key_lines() -> None:
    assert opener_mode("config", "tacacs server TAC1") == "config-server-tacacs"
    assert opener_mode("config", "radius server RAD1") == "config-radius-server"
    assert opener_mode("config", "crypto ikev2 keyring K") == "config-ikev2-keyring"
    assert opener_mode("config-ikev2-keyring", "peer P1") == "config-ikev2-keyring-peer"
    assert opener_mode("config", "tacacs-server host 10.0.0.1 key 7 X") is None
