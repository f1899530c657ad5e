"""The hierarchical running-config: sections, `no`, single-valued commands, rendering."""

from __future__ import annotations

import pytest
from changeops_lab.running_config import DRIVER, ConfigError, RunningConfig
from hier_config import HConfig

BASE = """hostname r1
!
interface Gi1
 description old
 ip address 10.0.0.1 255.255.255.0
 ip address 10.0.1.1 255.255.255.0 secondary
!
router ospf 1
 address-family ipv4 unicast
  maximum-paths 2
!
ip route 0.0.0.0 0.0.0.0 Gi1
end
"""


def test_parse_and_render_round_trip() -> None:
    config = RunningConfig.parse(BASE)

    assert RunningConfig.parse(config.render()).render() == config.render()
    assert config.has(["router ospf 1", "address-family ipv4 unicast"], "maximum-paths 2")


def test_single_valued_lines_replace_the_old_value_but_secondaries_stay() -> None:
    config = RunningConfig.parse(BASE)

    config.apply(["interface Gi1"], "description new")
    config.apply(["interface Gi1"], "ip address 10.9.9.1 255.255.255.0")

    lines = [c.text for c in config.section(["interface Gi1"]).children]
    assert lines == ["description new", "ip address 10.9.9.1 255.255.255.0",
                     "ip address 10.0.1.1 255.255.255.0 secondary"]


def test_no_removes_matching_lines_and_shows_negations_ios_prints() -> None:
    config = RunningConfig.parse(BASE)

    config.apply(["interface Gi1"], "no ip address")
    config.apply([], "no ip route 0.0.0.0 0.0.0.0 Gi1")
    config.apply([], "no router ospf 1")

    assert [c.text for c in config.section(["interface Gi1"]).children] == ["description old", "no ip address"]
    assert "ip route" not in config.render() and "router ospf" not in config.render()


def test_new_lines_join_their_kin_and_sections_are_created_on_demand() -> None:
    config = RunningConfig.parse(BASE)

    config.apply([], "ip route 10.0.0.0 255.0.0.0 Null0")
    config.apply(["interface Gi2"], "shutdown")

    text = config.render()
    assert "ip route 0.0.0.0 0.0.0.0 Gi1\nip route 10.0.0.0 255.0.0.0 Null0" in text
    assert "interface Gi2\n shutdown\n!" in text
    assert text.endswith("end")


def test_the_tree_is_hier_configs_and_keeps_every_line_ios_prints() -> None:
    text = ("version 17.9\nhostname r1\ninterface Gi1\n no ip address\n!\nip access-list extended X\n 5 remark why\n"
            " 10 permit ip any any\n!\nvlan 10\n!\nend")
    config = RunningConfig.parse(text)

    assert isinstance(config.tree, HConfig) and config.tree.driver is DRIVER
    assert config.render() == text, "version, no ip address, remarks and sequence numbers stay; empty sections end in !"
    assert config.copy().render() == text and config.copy().tree is not config.tree


def test_a_one_line_banner_is_read_and_bad_text_is_a_config_error() -> None:
    config = RunningConfig.parse("hostname r1\nbanner motd ^Cback soon^C\nline vty 0 4\n login local\nend")

    assert "banner motd ^C\nback soon\n^C\nline vty 0 4\n login local\n!" in config.render()
    with pytest.raises(ConfigError, match="duplicate"):
        RunningConfig.parse("interface Loopback1\ninterface Loopback1\n")
    with pytest.raises(ConfigError):
        RunningConfig.parse("banner motd ^C\nnever closed\n")


def test_new_global_lines_go_where_ios_prints_them() -> None:
    config = RunningConfig.parse(BASE + "line vty 0 4\n login local\n")

    config.apply([], "vlan 20")
    config.apply([], "ipv6 unicast-routing")
    config.apply([], "logging host 10.1.1.1")

    tops = [child.text for child in config.tree.children]
    assert tops.index("vlan 20") < tops.index("interface Gi1")
    assert tops.index("ipv6 unicast-routing") < tops.index("interface Gi1")
    assert tops.index("logging host 10.1.1.1") == tops.index("line vty 0 4") - 1


def test_numbered_lists_live_in_ip_access_list_sections_as_on_ios_xe() -> None:
    config = RunningConfig.parse(BASE)

    config.apply([], "access-list 10 permit 10.1.1.0 0.0.0.255")
    config.apply([], "access-list 10 deny host 10.9.9.9")
    config.apply([], "access-list 110 permit tcp any any eq 80")
    refused = config.apply([], "access-list 1000 permit any")

    text = config.render()
    assert "ip access-list standard 10\n 10 permit 10.1.1.0 0.0.0.255\n 20 deny 10.9.9.9\n!" in text
    assert "ip access-list extended 110\n 10 permit tcp any any eq www\n!" in text
    assert "% Invalid input" in refused and "1000" not in text
    config.apply([], "no access-list 10")
    assert "standard 10" not in config.render()


def test_vlan_state_active_is_the_default_and_not_kept() -> None:
    config = RunningConfig.parse(BASE)

    config.apply(["vlan 20"], "state suspend")
    config.apply(["vlan 20"], "name VOICE")
    assert "vlan 20\n state suspend\n name VOICE\n!" in config.render()
    config.apply(["vlan 20"], "state active")
    assert "vlan 20\n name VOICE\n!" in config.render()
