"""VLANs, IPv6 and numbered ACLs measured against the real cisco.ios modules: run twice, the second changes nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

SWITCH = "sy-dc2-acc-sw1"
ROUTER = "sy-dc2-core-r2"


def _play(host: str, tasks: str) -> str:
    return f"""
- hosts: {host}
  gather_facts: false
  tasks:
{tasks}"""


def _changed(result, host: str) -> dict[str, bool]:
    return {t.task: bool(t.result.get("changed")) for t in result.for_host(host)}


def _running(lab, host: str) -> str:
    return lab.control.device_state(host)["running_config"]


def _twice(lab, host: str, tasks: str):
    """Both results of running ``tasks`` twice on ``host`` (not reset: states build on each other)."""
    play = _play(host, tasks)
    return lab.run(play), lab.run(play)


def _assert_idempotent(first, second, host: str) -> None:
    assert first.rc == 0, first.stdout
    assert second.rc == 0, second.stdout
    assert all(_changed(first, host).values()), _changed(first, host)
    assert not any(_changed(second, host).values()), [(t.task, t.result.get("commands"))
                                                      for t in second.for_host(host) if t.result.get("changed")]


def _vlans_task(state: str, config: str) -> str:
    return f"""    - name: {state}
      cisco.ios.ios_vlans:
        state: {state}
        config:{config}
"""


VLANS_MERGED = """
          - {vlan_id: 10, name: USERS, state: active, shutdown: disabled}
          - {vlan_id: 20, name: VOICE, state: suspend}
          - {vlan_id: 30, name: PRINTERS}"""
VLANS_REPLACED = """
          - {vlan_id: 20, name: VOICE-2, state: active, shutdown: disabled}"""
VLANS_OVERRIDDEN = """
          - {vlan_id: 10, name: USERS, state: active, shutdown: disabled}"""
VLANS_DELETED = """
          - {vlan_id: 30}"""
GATHER_VLANS = """    - name: gathered
      cisco.ios.ios_vlans:
        state: gathered
"""


def test_ios_vlans_merged_replaced_deleted_are_idempotent_and_gathered(lab) -> None:
    lab.control.reset(SWITCH)
    for state, config in (("merged", VLANS_MERGED), ("replaced", VLANS_REPLACED)):
        first, second = _twice(lab, SWITCH, _vlans_task(state, config))
        _assert_idempotent(first, second, SWITCH)

    running = _running(lab, SWITCH)
    assert "vlan 10\n name USERS\n!" in running and "vlan 20\n name VOICE-2\n!" in running
    assert "vlan 30\n name PRINTERS\n!" in running
    gathered = {v["vlan_id"]: v for v in lab.run(_play(SWITCH, GATHER_VLANS)).last(SWITCH, "gathered")
                .result["gathered"]}
    assert gathered[10]["name"] == "USERS" and gathered[20] == {"vlan_id": 20, "name": "VOICE-2", "mtu": 1500,
                                                                "state": "active", "shutdown": "disabled"}
    assert gathered[30]["name"] == "PRINTERS" and gathered[1]["name"] == "default"


def test_ios_vlans_deleted_and_overridden_settle_though_the_module_resends(lab) -> None:
    """cisco.ios 11.1.1 (`Vlans._compare`, `generate_commands`) sends, for a VLAN it deletes, `no name`,
    `no state active` and `shutdown` rather than `no vlan N`, and on overridden `no vlan N` for the default
    VLANs, which IOS refuses: so a rerun reports `changed` on a real switch too, and changes nothing."""
    lab.control.reset(SWITCH)
    lab.run(_play(SWITCH, _vlans_task("merged", VLANS_MERGED)))

    deleted, again = _twice(lab, SWITCH, _vlans_task("deleted", VLANS_DELETED))
    settled = _running(lab, SWITCH)
    assert deleted.rc == 0 and again.rc == 0, again.stdout
    assert deleted.last(SWITCH, "deleted").result["commands"] == ["vlan 30", "no name PRINTERS", "no state active",
                                                                  "shutdown"]
    assert again.last(SWITCH, "deleted").result["commands"] == ["vlan 30", "no name VLAN0030", "no state active",
                                                                "shutdown"]
    assert "vlan 30\n shutdown\n!" in settled
    assert lab.run(_play(SWITCH, _vlans_task("deleted", VLANS_DELETED))).rc == 0 and _running(lab, SWITCH) == settled

    overridden, again = _twice(lab, SWITCH, _vlans_task("overridden", VLANS_OVERRIDDEN))
    assert overridden.rc == 0 and again.rc == 0, again.stdout
    assert {"no vlan 20", "no vlan 30"} <= set(overridden.last(SWITCH, "overridden").result["commands"])
    assert again.last(SWITCH, "overridden").result["commands"] == [
        "no vlan 1", "no vlan 1002", "no vlan 1003", "no vlan 1004", "no vlan 1005"]
    running = _running(lab, SWITCH)
    assert "vlan 10\n name USERS\n!" in running and "vlan 20" not in running and "vlan 30" not in running
    shown = lab.run(_play(SWITCH, SHOW_VLAN)).last(SWITCH, "show").result["stdout"][0]
    assert shown.splitlines()[2:4] == ["1    default                          active    ",
                                       "10   USERS                            active    "]


SHOW_VLAN = """    - name: show
      cisco.ios.ios_command:
        commands: [show vlan brief]
"""


def test_ios_vlans_check_mode_plans_without_changing(lab) -> None:
    lab.control.reset(SWITCH)
    before = _running(lab, SWITCH)
    checked = lab.run(_play(SWITCH, _vlans_task("merged", VLANS_MERGED)), check=True)

    assert checked.rc == 0 and _changed(checked, SWITCH)["merged"], checked.stdout
    assert checked.last(SWITCH, "merged").result["commands"][:3] == ["vlan 10", "name USERS", "state active"]
    assert _running(lab, SWITCH) == before


IPV6_TASKS = """    - name: routing
      cisco.ios.ios_config:
        lines: [ipv6 unicast-routing]
    - name: l3 merged
      cisco.ios.ios_l3_interfaces:
        state: merged
        config:
          - name: Loopback0
            ipv6: [{address: 2001:db8:20::2/128}]
          - name: GigabitEthernet0/0/1
            ipv6: [{address: 2001:DB8:A::1/64}, {address: 2001:db8:b::1/64}]
    - name: routes merged
      cisco.ios.ios_static_routes:
        state: merged
        config:
          - address_families:
              - afi: ipv6
                routes:
                  - dest: 2001:DB8:77::/48
                    next_hops: [{forward_router_address: 2001:DB8:A::2, name: V6-LAB}]
"""
IPV6_REPLACED = """    - name: l3 replaced
      cisco.ios.ios_l3_interfaces:
        state: replaced
        config:
          - name: GigabitEthernet0/0/1
            ipv6: [{address: 2001:db8:c::1/64}]
    - name: routes replaced
      cisco.ios.ios_static_routes:
        state: replaced
        config:
          - address_families:
              - afi: ipv6
                routes:
                  - dest: 2001:DB8:77::/48
                    next_hops: [{forward_router_address: 2001:DB8:C::2, name: V6-REPLACED}]
"""
IPV6_DELETED = """    - name: l3 deleted
      cisco.ios.ios_l3_interfaces:
        state: deleted
        config: [{name: GigabitEthernet0/0/1}]
    - name: routes deleted
      cisco.ios.ios_static_routes:
        state: deleted
        config:
          - address_families:
              - afi: ipv6
                routes: [{dest: 2001:DB8:77::/48}]
"""
SHOW_IPV6 = """    - name: show
      cisco.ios.ios_command:
        commands: [show ipv6 interface brief, sh ipv6 int]
"""


def test_ipv6_addresses_and_routes_are_idempotent(lab) -> None:
    lab.control.reset(ROUTER)
    first, second = _twice(lab, ROUTER, IPV6_TASKS)
    _assert_idempotent(first, second, ROUTER)

    running = _running(lab, ROUTER)
    assert "ipv6 unicast-routing" in running
    assert " ipv6 address 2001:DB8:A::1/64\n ipv6 address 2001:DB8:B::1/64" in running
    assert " ipv6 address 2001:DB8:20::2/128" in running
    assert "ipv6 route 2001:DB8:77::/48 2001:DB8:A::2 name V6-LAB" in running
    brief, detail = lab.run(_play(ROUTER, SHOW_IPV6)).last(ROUTER, "show").result["stdout"]
    lines = brief.splitlines()
    at = lines.index("GigabitEthernet0/0/1   [up/up]")
    assert lines[at + 1].startswith("    FE80::") and lines[at + 2:at + 4] == ["    2001:DB8:A::1", "    2001:DB8:B::1"]
    assert "    2001:DB8:A::1, subnet is 2001:DB8:A::/64 " in detail.splitlines()

    replaced, again = _twice(lab, ROUTER, IPV6_REPLACED)
    _assert_idempotent(replaced, again, ROUTER)
    running = _running(lab, ROUTER)
    assert " ipv6 address 2001:DB8:C::1/64\n" in running and "2001:DB8:A::1" not in running
    assert [line for line in running.splitlines() if line.startswith("ipv6 route")] == [
        "ipv6 route 2001:DB8:77::/48 2001:DB8:C::2 name V6-REPLACED"]

    deleted, again = _twice(lab, ROUTER, IPV6_DELETED)
    _assert_idempotent(deleted, again, ROUTER)
    running = _running(lab, ROUTER)
    assert "ipv6 route" not in running and "2001:DB8:C::1" not in running and "2001:DB8:20::2/128" in running


def _acls_task(state: str, acls: str) -> str:
    return f"""    - name: {state}
      cisco.ios.ios_acls:
        state: {state}
        config:
          - afi: ipv4
            acls:{acls}
"""


NUMBERED_MERGED = """
              - name: "10"
                acl_type: standard
                aces:
                  - {sequence: 10, grant: permit, source: {address: 10.20.0.0, wildcard_bits: 0.0.255.255}}
                  - {sequence: 20, grant: deny, source: {any: true}}
              - name: "110"
                acl_type: extended
                aces:
                  - sequence: 10
                    grant: permit
                    protocol: tcp
                    source: {any: true}
                    destination: {host: 10.20.2.2, port_protocol: {eq: "22"}}
"""
NUMBERED_REPLACED = """
              - name: "110"
                acl_type: extended
                aces:
                  - sequence: 10
                    grant: permit
                    protocol: tcp
                    source: {address: 10.20.0.0, wildcard_bits: 0.0.255.255}
                    destination: {host: 10.20.2.2, port_protocol: {eq: "443"}}
"""
NUMBERED_OVERRIDDEN = """
              - name: "10"
                acl_type: standard
                aces:
                  - {sequence: 10, grant: permit, source: {host: 10.20.9.9}}
"""
NUMBERED_DELETED = """
              - name: "10"
"""
SHOW_ACLS = """    - name: show
      cisco.ios.ios_command:
        commands: [show access-lists]
    - name: gathered
      cisco.ios.ios_acls:
        state: gathered
"""


def test_numbered_acls_are_idempotent_and_shown_as_ios_xe_shows_them(lab) -> None:
    lab.control.reset(ROUTER)
    first, second = _twice(lab, ROUTER, _acls_task("merged", NUMBERED_MERGED))
    _assert_idempotent(first, second, ROUTER)

    running = _running(lab, ROUTER)
    assert "ip access-list standard 10\n 10 permit 10.20.0.0 0.0.255.255\n 20 deny   any\n!" in running \
        or "ip access-list standard 10\n 10 permit 10.20.0.0 0.0.255.255\n 20 deny any\n!" in running
    assert "ip access-list extended 110\n 10 permit tcp any host 10.20.2.2 eq 22\n!" in running
    shown = lab.run(_play(ROUTER, SHOW_ACLS))
    assert shown.last(ROUTER, "show").result["stdout"][0].splitlines()[:2] == [
        "Standard IP access list 10", "    10 permit 10.20.0.0, wildcard bits 0.0.255.255"]
    gathered = shown.last(ROUTER, "gathered").result["gathered"]
    assert {acl["name"]: acl["acl_type"] for afi in gathered for acl in afi["acls"]} == {
        "10": "standard", "110": "extended"}

    for state, acls in (("replaced", NUMBERED_REPLACED), ("overridden", NUMBERED_OVERRIDDEN),
                        ("deleted", NUMBERED_DELETED)):
        first, second = _twice(lab, ROUTER, _acls_task(state, acls))
        _assert_idempotent(first, second, ROUTER)
        if state == "overridden":
            running = _running(lab, ROUTER)
            assert "ip access-list standard 10\n 10 permit 10.20.9.9\n!" in running and "access-list extended 110" \
                not in running
    assert "access-list" not in _running(lab, ROUTER)


def _acls6_task(state: str, acls: str) -> str:
    return _acls_task(state, acls).replace("afi: ipv4", "afi: ipv6")


IPV6_ACL_MERGED = """
              - name: V6-MGMT
                aces:
                  - sequence: 10
                    grant: permit
                    protocol: tcp
                    source: {address: "2001:DB8:A::/48"}
                    destination: {any: true, port_protocol: {eq: "22"}}
                  - sequence: 20
                    grant: deny
                    protocol: ipv6
                    source: {any: true}
                    destination: {any: true}
                    log: {set: true}
"""
IPV6_ACL_REPLACED = """
              - name: V6-MGMT
                aces:
                  - sequence: 10
                    grant: permit
                    protocol: tcp
                    source: {address: "2001:DB8:B::/48"}
                    destination: {any: true, port_protocol: {eq: "22"}}
"""
IPV6_ACL_DELETED = """
              - name: V6-MGMT
"""


def test_ipv6_acls_are_idempotent(lab) -> None:
    lab.control.reset(ROUTER)
    for state, acls in (("merged", IPV6_ACL_MERGED), ("replaced", IPV6_ACL_REPLACED)):
        first, second = _twice(lab, ROUTER, _acls6_task(state, acls))
        _assert_idempotent(first, second, ROUTER)
        if state == "merged":
            assert "ipv6 access-list V6-MGMT\n sequence 10 permit tcp 2001:DB8:A::/48 any eq 22\n" \
                   " sequence 20 deny ipv6 any any log\n!" in _running(lab, ROUTER)

    assert "ipv6 access-list V6-MGMT\n sequence 10 permit tcp 2001:DB8:B::/48 any eq 22\n!" in _running(lab, ROUTER)
    shown = lab.run(_play(ROUTER, SHOW_ACLS))
    assert shown.last(ROUTER, "show").result["stdout"][0].splitlines() == [
        "IPv6 access list V6-MGMT", "    permit tcp 2001:DB8:B::/48 any eq 22 sequence 10"]
    deleted, again = _twice(lab, ROUTER, _acls6_task("deleted", IPV6_ACL_DELETED))
    _assert_idempotent(deleted, again, ROUTER)
    assert "V6-MGMT" not in _running(lab, ROUTER)
