"""The hierarchical running-config: sections, `no`, single-valued commands, rendering."""

from __future__ import annotations

from changeops_lab.running_config import RunningConfig

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
