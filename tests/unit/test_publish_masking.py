"""Secrets in backups and transcripts are masked before the site publishes them."""

from __future__ import annotations

import pytest
from changeops.publish.masking import MASK, mask_secrets


@pytest.mark.parametrize("line, secret", [
    ("enable secret 9 $9$abcdef", "$9$abcdef"),
    ("username admin privilege 15 secret 9 $9$xyz", "$9$xyz"),
    ("snmp-server community Pub1ic RO", "Pub1ic"),
    ("  sent:     snmp-server community S3cret RW", "S3cret"),
    ("tacacs-server host 10.0.0.5 key 7 0822455D0A16", "0822455D0A16"),
    (" password 7 0822455D0A16", "0822455D0A16"),
    (" ip ospf message-digest-key 1 md5 7 06070D", "06070D"),
    (" neighbor 10.0.0.1 password 7 0457", "0457"),
    ("crypto isakmp key Sh4red address 1.2.3.4", "Sh4red"),
    ('{"password": "hunter2", "x": 1}', "hunter2"),
    ("tacacs server T1\n address ipv4 10.0.0.5\n key Sect1onKey", "Sect1onKey"),
    ("snmp-server user nms G v3 auth sha AuthK3y priv aes 128 PrivK3y", "PrivK3y"),
    ("10:00:00.123 > crypto isakmp key Psk0123 address 192.0.2.1", "Psk0123"),
    (" ntp authentication-key 1 md5 NtpK3y 7", "NtpK3y"),
])
def test_known_secret_places_are_masked(line: str, secret: str) -> None:
    masked = mask_secrets(line)
    assert secret not in masked and MASK in masked


def test_ordinary_configuration_is_left_alone() -> None:
    text = "hostname r1\ninterface Gi0/0\n description uplink key thing\n ip address 10.0.0.1 255.255.255.0\n"
    assert mask_secrets(text) == text
