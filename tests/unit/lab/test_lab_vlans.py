"""The VLAN database of a lab switch: `show vlan` as IOS prints it, default VLANs, access ports."""

from __future__ import annotations

import pytest
from changeops_lab.cli_session import CliSession
from changeops_lab.device import device_from_host_vars
from changeops_lab.faults import Faults

SWITCH = {"model": "C9300-24T", "serial_number": "FOC0000001", "os_version": "17.09.04a", "role": "access-switch",
          "interfaces": [{"name": f"GigabitEthernet1/0/{n}"} for n in range(1, 7)]}


@pytest.fixture
def session() -> CliSession:
    device = device_from_host_vars("sw1", SWITCH, "netops")
    session = CliSession(device, Faults(), lambda name: None, enable_secret="s3cret", user="netops", privileged=True)
    session.handle("configure terminal")
    return session


def test_show_vlan_lists_the_configured_and_default_vlans_in_ios_columns(session: CliSession) -> None:
    for line in ("vlan 20", "name VOICE", "shutdown", "vlan 30", "state suspend", "exit",
                 *(f"interface gi1/0/{n}\nswitchport mode access" for n in range(1, 6)), "int gi1/0/6",
                 "switchport access vlan 20", "end"):
        for part in line.splitlines():
            session.handle(part)

    brief = session.handle("show vlan brief").output.splitlines()
    assert brief[1:3] == ["VLAN Name                             Status    Ports",
                          "---- -------------------------------- --------- -------------------------------"]
    assert brief[3:6] == ["1    default                          active    Gi1/0/1, Gi1/0/2, Gi1/0/3",
                          " " * 48 + "Gi1/0/4, Gi1/0/5",
                          "20   VOICE                            act/lshut Gi1/0/6"]
    assert brief[6] == "30   VLAN0030                         suspended "
    assert brief[7:] == [f"{vid} {name:<32} act/unsup " for vid, name in (
        (1002, "fddi-default"), (1003, "token-ring-default"), (1004, "fddinet-default"), (1005, "trnet-default"))]
    full = session.handle("show vlan").output
    assert "20   enet  100020     1500  -      -      -        -    -        0      0" in full
    assert "Remote SPAN VLANs" in full


def test_default_vlans_cannot_be_deleted_and_others_can(session: CliSession) -> None:
    session.handle("vlan 40")
    session.handle("exit")

    assert session.handle("no vlan 1").output == "%Default VLAN 1 may not be deleted."
    assert session.handle("no vlan 1003").output == "%Default VLAN 1003 may not be deleted."
    assert session.handle("no vlan 40").output == ""
    session.handle("end")
    assert "40 " not in session.handle("show vlan brief").output


def test_a_router_has_no_vlan_command(session: CliSession) -> None:
    session.device.role = "edge-router"
    session.handle("end")
    assert "% Invalid input" in session.handle("show vlan").output
