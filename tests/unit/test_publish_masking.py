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
])
def test_known_secret_places_are_masked(line: str, secret: str) -> None:
    masked = mask_secrets(line)
    assert secret not in masked and MASK in masked


def test_ordinary_configuration_is_left_alone() -> None:
    text = "hostname r1\ninterface Gi0/0\n description uplink key thing\n ip address 10.0.0.1 255.255.255.0\n"
    assert mask_secrets(text) == text
