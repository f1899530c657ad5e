"""What the lab makes of configuration and show lines: interface names, banners, access lists, defaults."""

from __future__ import annotations

import pytest
from changeops_lab.access_lists import apply_entry, resequence
from changeops_lab.cli_session import CliSession
from changeops_lab.device import synthetic_device
from changeops_lab.faults import Faults
from changeops_lab.interface_names import canonical
from changeops_lab.running_config import RunningConfig


@pytest.fixture
def session() -> CliSession:
    device = synthetic_device(3, "netops")
    session = CliSession(device, Faults(), lambda name: None, enable_secret="s3cret", user="netops")
    for line in ("enable", "s3cret", "configure terminal"):
        session.handle(line)
    return session


def _running(session: CliSession) -> str:
    return session.device.running.render()


@pytest.mark.parametrize(("typed", "name"), [
    ("lo999", "Loopback999"), ("loopback 888", "Loopback888"), ("gi0/0/1", "GigabitEthernet0/0/1"),
    ("Twe1/0/1", "TwentyFiveGigE1/0/1"), ("hu0/1/0", "HundredGigE0/1/0"), ("po3", "Port-channel3"),
    ("vl20", "Vlan20"), ("tun5", "Tunnel5"), ("foo1", None), ("t1", None),
])
def test_interface_names_are_read_as_ios_reads_them(typed: str, name: str | None) -> None:
    assert canonical(typed) == name


def test_abbreviated_interface_lands_in_the_one_canonical_section(session: CliSession) -> None:
    for line in ("interface Loopback999", "description one", "exit", "int lo999", "ip address 10.0.0.9 "
                 "255.255.255.255", "exit", "int gi0/0/1", "mtu 9000", "end"):
        session.handle(line)

    running = _running(session)
    assert running.count("interface Loopback999") == 1 and "interface loopback999" not in running
    assert "interface Loopback999\n description one\n ip address 10.0.0.9 255.255.255.255\n!" in running
    assert "interface GigabitEthernet0/0/1\n description DOWNLINK lab-sw\n no ip address\n mtu 9000" in running


def test_a_port_the_chassis_lacks_is_refused_with_a_marker(session: CliSession) -> None:
    before = _running(session)
    reply = session.handle("interface GigabitEthernet0/0/7")

    assert reply.output.splitlines() == [" " * len("lab-r003(config)#interface ") + "^",
                                         "% Invalid input detected at '^' marker."]
    assert reply.prompt == "lab-r003(config)#" and _running(session) == before
    assert session.handle("interface Gi0/0/0.100").prompt == "lab-r003(config-subif)#"


def test_abbreviated_keywords_are_stored_written_out(session: CliSession) -> None:
    for line in ("int lo5", "desc five", "ip add 10.5.5.5 255.255.255.255", "shut", "no shut", "end"):
        session.handle(line)

    assert "interface Loopback5\n description five\n ip address 10.5.5.5 255.255.255.255\n!" in _running(session)


def test_default_interface_clears_it_and_default_setting_drops_it(session: CliSession) -> None:
    for line in ("interface Loopback5", "description five", "mtu 9000", "exit", "default interface lo5",
                 "interface Gi0/0/0", "default description", "end"):
        session.handle(line)

    running = _running(session)
    assert running.index("interface Loopback5") < running.index("line con 0"), "new interfaces join the others"
    assert " description five" not in running and "default" not in running
    assert "interface GigabitEthernet0/0/0\n no ip address\n!" in running


def test_a_word_that_only_looks_abbreviated_is_kept(session: CliSession) -> None:
    for line in ("ip dhcp pool PRINTER", "host 10.1.1.9 255.255.255.0", "end"):
        session.handle(line)

    assert "ip dhcp pool PRINTER\n host 10.1.1.9 255.255.255.0\n!" in _running(session)


def test_static_route_exit_interfaces_are_named_in_full(session: CliSession) -> None:
    session.handle("ip route 10.8.0.0 255.255.0.0 gi0/0/1 10.9.9.9 name VIA-GI")
    session.handle("ip route vrf Mgmt 0.0.0.0 0.0.0.0 lo0")
    session.handle("ip route 10.7.0.0 255.255.0.0 10.0.0.1")
    refused = session.handle("ip route 10.6.0.0 255.255.0.0 Te0/9/9")

    running = _running(session)
    assert "ip route 10.8.0.0 255.255.0.0 GigabitEthernet0/0/1 10.9.9.9 name VIA-GI" in running
    assert "ip route vrf Mgmt 0.0.0.0 0.0.0.0 Loopback0" in running
    assert "ip route 10.7.0.0 255.255.0.0 10.0.0.1" in running
    assert "% Invalid input" in refused.output and "10.6.0.0" not in running


def test_banner_is_one_entry_shown_with_its_delimiters_and_can_be_removed(session: CliSession) -> None:
    opened = session.handle("banner login @")
    assert opened.prompt == "" and "End with the character '@'" in opened.output
    assert session.handle("Authorised access only").prompt == ""
    assert session.handle("second line").prompt == ""
    assert session.handle("@").prompt == "lab-r003(config)#"
    assert "banner login ^C\nAuthorised access only\nsecond line\n^C\n" in _running(session)

    session.handle("banner login #one line#")
    assert _running(session).count("banner login") == 1 and "banner login ^C\none line\n^C" in _running(session)
    session.handle("no banner login")
    assert "banner login" not in _running(session)


def test_banner_survives_a_render_and_parse_byte_for_byte(session: CliSession) -> None:
    for line in ("banner motd ^C", "", "  indented ! text", "^C"):
        session.handle(line)
    text = _running(session)
    assert RunningConfig.parse(text).render() == text


def test_acl_entries_get_sequence_numbers_and_resequence(session: CliSession) -> None:
    for line in ("ip access-list extended EDGE-IN", "permit tcp any any eq 22", "deny ip any any log",
                 "15 permit udp any any eq 53", "permit tcp any any eq 22", "exit",
                 "ip access-list resequence EDGE-IN 100 5"):
        session.handle(line)
    assert "ip access-list extended EDGE-IN\n 100 permit tcp any any eq 22\n 105 permit udp any any eq domain\n" \
           " 110 deny ip any any log\n" in _running(session)
    session.handle("ip access-list extended EDGE-IN")
    assert "Duplicate sequence" in session.handle("100 deny ip any any").output
    session.handle("no 105")
    session.handle("no deny ip any any log")
    assert "ip access-list extended EDGE-IN\n 100 permit tcp any any eq 22\n!" in _running(session)


def test_acl_entries_are_stored_as_ios_prints_them() -> None:
    entries, _ = apply_entry([], "permit tcp 10.1.1.1 0.0.0.0 0.0.0.0 255.255.255.255 eq 80 log")
    entries, _ = apply_entry(entries, "deny udp any host 10.2.2.2 eq 123")
    entries, _ = apply_entry(entries, "remark eq 80 stays as typed")

    assert entries == ["10 permit tcp host 10.1.1.1 any eq www log", "20 deny udp any host 10.2.2.2 eq ntp",
                       "30 remark eq 80 stays as typed"]
    assert apply_entry(entries, "no deny udp any 10.2.2.2 0.0.0.0 eq 123")[0] == [entries[0], entries[2]]
    assert apply_entry([], "permit 10.9.9.9 0.0.0.0")[0] == ["10 permit 10.9.9.9"]


def test_acl_entry_arithmetic() -> None:
    entries, message = apply_entry(["10 permit ip any any"], "5 remark first")
    assert entries == ["5 remark first", "10 permit ip any any"] and message == ""
    assert resequence(entries, 10, 10) == ["10 remark first", "20 permit ip any any"]


def test_show_running_config_all_spells_out_defaults(session: CliSession) -> None:
    for line in ("interface GigabitEthernet0/0/1", "shutdown", "end"):
        session.handle(line)
    full = session.handle("show running-config all").output

    assert "interface GigabitEthernet0/0/0\n description UPLINK lab-core\n no ip address\n no shutdown" in full
    assert "interface GigabitEthernet0/0/1\n description DOWNLINK lab-sw\n no ip address\n shutdown\n!" in full
    assert " no shutdown" not in session.handle("show running-config").output


@pytest.mark.parametrize("command", ["show interface loopback 0", "sh int lo0", "show interfaces Loopback0"])
def test_show_accepts_abbreviated_interface_names(session: CliSession, command: str) -> None:
    session.handle("end")
    assert session.handle(command).output.startswith("Loopback0 is up, line protocol is up")


def test_show_abbreviations_and_pipes(session: CliSession) -> None:
    session.handle("end")
    assert session.handle("sh run | i ^hostname").output == "hostname lab-r003"
    assert session.handle("show ip int brief").output.startswith("Interface")
    assert "% Invalid input" in session.handle("show interface loopback 888").output
    assert session.handle("sh run int gi0/0/0").output.splitlines()[-4] == "interface GigabitEthernet0/0/0"


def test_configure_replace_list_prints_the_remediation_and_restores_byte_for_byte(session: CliSession) -> None:
    session.handle("end")
    session.handle("copy running-config flash:before.cfg")
    session.handle("")
    before = _running(session)
    for line in ("configure terminal", "banner motd #hi#", "int lo7", "desc seven", "interface Gi0/0/0",
                 "description changed", "end"):
        session.handle(line)

    reply = session.handle("configure replace flash:before.cfg list force")

    assert reply.output.splitlines()[:3] == ["!Pass 1", "", "!List of Commands:"]
    listed = reply.output.splitlines()[3:]
    assert "no banner motd" in listed and "no interface Loopback7" in listed
    assert listed[listed.index("interface GigabitEthernet0/0/0") + 1:][:1] == [" description UPLINK lab-core"]
    assert reply.output.endswith("end\nTotal number of passes: 1\nRollback Done")
    assert _running(session) == before


ODD_CONFIG_LINES = ["interface", "int", "no", "no interface", "interface Gi9/9/9 extra", "interface 0/0/1",
                    "banner", "banner login", "ip access-list resequence", "ip access-list resequence NONE x y",
                    "ip access-list extended X", "10", "no", "no 99", "999999999999 permit ip any any", "exit",
                    "default interface lo1", "int loopback", "interface Loopback-1"]
ODD_EXEC_LINES = ["show interface", "show int lo", "sh run int", "sh run interface nothing9", "show banner",
                  "show banner login extra", "show access-lists x", "configure replace", "sh ip int br | i ("]


def test_odd_input_gets_an_ios_answer_never_an_exception(session: CliSession) -> None:
    replies = [session.handle(line) for line in ODD_CONFIG_LINES]
    session.handle("end")
    replies += [session.handle(line) for line in ODD_EXEC_LINES]

    assert all(reply.prompt.startswith("lab-r003") for reply in replies), [r.prompt for r in replies]
    assert "% Incomplete command." in replies[ODD_CONFIG_LINES.index("banner login")].output
    assert "% Invalid input detected" in replies[ODD_CONFIG_LINES.index("interface Gi9/9/9 extra")].output


def test_ipv6_addresses_and_routes_are_stored_as_ios_prints_them(session: CliSession) -> None:
    for line in ("interface gi0/0/1", "ipv6 address 2001:db8:a:0::1/64", "ipv6 address 2001:db8:b::1/64 eui-64",
                 "ipv6 address fe80::1 link-local", "exit", "ipv6 route 2001:db8:77:0::/48 gi0/0/1 2001:db8:a::2 200",
                 "ipv6 route ::/0 2001:db8:a::fe name DEFAULT-V6"):
        session.handle(line)
    refused = session.handle("ipv6 route 2001:db8:88::/48 Te0/9/9")

    running = _running(session)
    assert "interface GigabitEthernet0/0/1\n description DOWNLINK lab-sw\n no ip address\n" \
           " ipv6 address 2001:DB8:A::1/64\n ipv6 address 2001:DB8:B::1/64 eui-64\n" \
           " ipv6 address FE80::1 link-local\n!" in running, "several IPv6 addresses, none replaces another"
    assert "ipv6 route 2001:DB8:77::/48 GigabitEthernet0/0/1 2001:DB8:A::2 200\n" \
           "ipv6 route ::/0 2001:DB8:A::FE name DEFAULT-V6" in running
    assert "% Invalid input" in refused.output and "2001:DB8:88::" not in running


def test_show_ipv6_interface_lists_link_local_and_global_addresses(session: CliSession) -> None:
    for line in ("interface gi0/0/1", "ipv6 address 2001:db8:a::1/64", "interface gi0/0/0", "shutdown", "ipv6 enable",
                 "end"):
        session.handle(line)

    brief = session.handle("sh ipv6 int br").output.splitlines()
    at = brief.index("GigabitEthernet0/0/1   [up/up]")
    assert brief[at + 1].startswith("    FE80::") and "FF:FE" in brief[at + 1] and brief[at + 2] == "    2001:DB8:A::1"
    down = brief.index("GigabitEthernet0/0/0   [administratively down/down]")
    assert brief[down + 1].startswith("    FE80::") and brief[brief.index("Loopback0              [up/up]") + 1] == \
        "    unassigned"
    detail = session.handle("show ipv6 interface").output
    assert "    2001:DB8:A::1, subnet is 2001:DB8:A::/64 " in detail.splitlines() and "Loopback0" not in detail


def test_show_access_lists_prints_standard_entries_with_wildcard_bits(session: CliSession) -> None:
    for line in ("access-list 10 permit 10.1.0.0 0.0.255.255", "access-list 10 deny host 10.2.2.2",
                 "ip access-list standard 11", "permit any", "end"):
        session.handle(line)

    assert session.handle("show access-lists").output.splitlines() == [
        "Standard IP access list 10", "    10 permit 10.1.0.0, wildcard bits 0.0.255.255", "    20 deny 10.2.2.2",
        "Standard IP access list 11", "    10 permit any"]


def test_ipv6_acl_entries_carry_sequence_numbers_as_ios_prints_them(session: CliSession) -> None:
    for line in ("ipv6 access-list V6-IN", "permit tcp any host 2001:db8::1 eq 80 sequence 20",
                 "deny ipv6 any any sequence 40 log", "no sequence 40",
                 "sequence 10 permit tcp 2001:db8:a::/48 any eq 22", "deny ipv6 any any log", "no sequence 20", "end"):
        session.handle(line)

    assert "ipv6 access-list V6-IN\n sequence 10 permit tcp 2001:DB8:A::/48 any eq 22\n" \
           " sequence 30 deny ipv6 any any log\n!" in _running(session)
    assert session.handle("show access-lists").output.splitlines() == [
        "IPv6 access list V6-IN", "    permit tcp 2001:DB8:A::/48 any eq 22 sequence 10",
        "    deny ipv6 any any log sequence 30"]
