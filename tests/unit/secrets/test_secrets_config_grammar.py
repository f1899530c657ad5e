"""The configuration grammar: for every shape, the mask hides the secret and the detector finds it, and they agree."""

from __future__ import annotations

import pytest
from changeops.secrets.config_grammar import MASK, RULES, config_findings, mask_config

# (rule, configuration text, the secret, the line of the text that holds it)
SHAPES = [
    ("enable-secret", "enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM", "$9$nhEmQV", 1),
    ("enable-secret", "enable password 7 0822455D0A16", "0822455D0A16", 1),
    ("enable-secret", "enable secret level 5 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "$1$mERr$hx5", 1),
    ("username-secret", "username ops privilege 15 secret 0 Cle4rSecret", "Cle4rSecret", 1),
    ("username-secret", "username ops secret 5 $1$abcd$Md5HashValue", "$1$abcd$Md5", 1),
    ("username-secret", "username ops password 7 045802150C2E", "045802150C2E", 1),
    ("username-secret", "username ops secret 8 $8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs",
     "$8$dsYGNam3K1", 1),
    ("username-secret", "username ops privilege 15 secret 9 $9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryv"
     "OdfAk", "$9$2MJBozw", 1),
    ("username-secret", "username ops algorithm-type scrypt secret Scrypt3dPw", "Scrypt3dPw", 1),
    ("snmp-community", "snmp-server community Publ1cRO RO 10", "Publ1cRO", 1),
    ("snmp-host-community", "snmp-server host 10.0.0.9 version 2c TrapC0mm", "TrapC0mm", 1),
    ("snmpv3-auth-key", "snmp-server user nms NMS v3 auth sha AuthK3y1 priv aes 128 PrivK3y1", "AuthK3y1", 1),
    ("snmpv3-priv-key", "snmp-server user nms NMS v3 auth sha AuthK3y1 priv aes 128 PrivK3y1", "PrivK3y1", 1),
    ("tacacs-radius-key", "tacacs-server host 10.1.1.1 key 7 060506324F41", "060506324F41", 1),
    ("tacacs-radius-key", "radius-server host 10.1.1.2 auth-port 1645 acct-port 1646 key Rad1usKey", "Rad1usKey", 1),
    ("key-line", "tacacs server TAC1\n address ipv4 10.1.1.3\n key Tac4csBlockKey", "Tac4csBlockKey", 3),
    ("key-line", "radius server RAD1\n address ipv4 10.1.1.4 auth-port 1812\n key 7 RadBl0ckKey", "RadBl0ckKey", 3),
    ("section-key", "tacacs server TAC2\n address ipv4 10.1.1.5\n key 31415926", "31415926", 3),
    ("config-key", "key config-key password-encrypt Mast3rKey", "Mast3rKey", 1),
    ("ntp-authentication-key", "ntp authentication-key 1 md5 NtpK3yValue 7", "NtpK3yValue", 1),
    ("isakmp-key", "crypto isakmp key Isakmp5har3d address 192.0.2.1", "Isakmp5har3d", 1),
    ("pre-shared-key", "crypto keyring KR1\n pre-shared-key address 192.0.2.2 key Keyr1ngPsk", "Keyr1ngPsk", 2),
    ("pre-shared-key", "crypto ikev2 keyring IK1\n peer P1\n  address 192.0.2.3\n  pre-shared-key Ik3v2Psk", "Ik3v2Psk",
     4),
    ("ikev2-pre-share", "crypto ikev2 profile PR1\n authentication local pre-share key Pr0filePsk", "Pr0filePsk", 2),
    ("neighbor-password", "router bgp 65000\n neighbor 192.0.2.9 password 7 Bgp5essionPw", "Bgp5essionPw", 2),
    ("ospf-authentication-key", "interface Gi1\n ip ospf authentication-key 7 0SpfPlainKey", "0SpfPlainKey", 2),
    ("ospf-message-digest-key", "interface Gi1\n ip ospf message-digest-key 1 md5 0spfMd5Key", "0spfMd5Key", 2),
    ("eigrp-hmac-key", "router eigrp N\n af-interface default\n  authentication mode hmac-sha-256 7 Eigrp5ha",
     "Eigrp5ha", 3),
    ("isis-password", "interface Gi1\n isis password Is1sPassword", "Is1sPassword", 2),
    ("isis-password", "router isis\n area-password Ar3aPassword", "Ar3aPassword", 2),
    ("key-string", "key chain KC\n key 1\n  key-string 7 Ch4inKeyString", "Ch4inKeyString", 3),
    ("key-string", "interface Gi1\n standby 1 authentication md5 key-string Hsrp5tring", "Hsrp5tring", 2),
    ("fhrp-authentication", "interface Gi1\n standby 2 authentication HsrpT3xt", "HsrpT3xt", 2),
    ("fhrp-authentication", "interface Gi1\n vrrp 1 authentication text VrrpT3xt", "VrrpT3xt", 2),
    ("line-password", "line vty 0 4\n password 7 L1nePassword\n transport input ssh", "L1nePassword", 2),
    ("line-password", "line con 0\n password C0nsolePw", "C0nsolePw", 2),
    ("ppp-secret", "interface Serial0\n ppp chap password 7 Ch4pSecret", "Ch4pSecret", 2),
    ("ppp-secret", "interface Serial0\n ppp pap sent-username isp password 0 P4pSecret", "P4pSecret", 2),
    ("server-key", "aaa server radius dynamic-author\n client 10.9.9.9 server-key Dyn4uthKey", "Dyn4uthKey", 2),
    ("ospfv3-ipsec-key", "interface Gi1\n ipv6 ospf authentication ipsec spi 256 md5 0123456789ABCDEF0123456789ABCDEF",
     "0123456789ABCDEF", 2),
]


@pytest.mark.parametrize("rule, text, secret, line", SHAPES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SHAPES)])
def test_each_shape_is_masked_and_detected_alike(rule: str, text: str, secret: str, line: int) -> None:
    config = f"hostname r1\n!\n{text}\n!\nend\n"

    found = config_findings(config)
    masked = mask_config(config)

    assert (line + 2, rule) in [(f.line, f.rule) for f in found]
    assert {f.line for f in found} == {line + 2}  # nothing else in the configuration is taken for a secret
    assert secret not in masked and MASK in masked.split("\n")[line + 1]
    assert config_findings(masked) == []
    assert masked.count("\n") == config.count("\n")  # lines stay where they were: findings keep their line numbers


@pytest.mark.parametrize("rule, text, secret, line", SHAPES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SHAPES)])
def test_each_shape_is_found_in_a_transcript_in_both_directions(rule: str, text: str, secret: str, line: int) -> None:
    sent = "\n".join(f"10:00:0{i}.123 > {part.strip()}" for i, part in enumerate(text.split("\n")))
    received = "10:00:09.000 < r1#show running-config\n" + "\n".join(f"             < {part}" for part in
                                                                        text.split("\n"))
    for transcript in (sent, received):
        assert rule in {f.rule for f in config_findings(transcript)}, transcript
        masked = mask_config(transcript)
        assert secret not in masked and config_findings(masked) == []


def test_every_rule_has_a_shape() -> None:
    assert {rule.name for rule in RULES} - {"typed-secret"} <= {shape[0] for shape in SHAPES}


def test_a_key_line_echoed_in_an_error_message_is_masked_without_its_section() -> None:
    message = "key Refus3dKey\r\n    ^\r\n% Invalid input detected at '^' marker.\r\n\r\nr1(config-radius-server)#"
    assert [f.rule for f in config_findings(message)] == ["key-line"]
    assert "Refus3dKey" not in mask_config(message)


def test_a_command_echoed_after_a_configuration_prompt_is_masked() -> None:
    text = "10:00:00.123 < r1(config)#snmp-server community Ech0edComm RO"
    assert [f.rule for f in config_findings(text)] == ["snmp-community"]
    assert "Ech0edComm" not in mask_config(text)


def test_a_numeric_key_is_an_identifier_outside_a_keyed_section_and_a_secret_inside() -> None:
    text = "key chain KC\n key 1\n  key-string ********\ntacacs server T\n key 2718281\ninterface Gi1\n key 2\n"
    assert [(f.line, f.rule) for f in config_findings(text)] == [(5, "section-key")]
    assert mask_config(text) == text.replace("2718281", MASK)


def test_ordinary_configuration_and_output_are_left_alone() -> None:
    text = ("hostname r1\ninterface Gi0/0\n description uplink key thing password holder\n ip address 10.0.0.1 "
            "255.255.255.0\nservice password-encryption\nsnmp-server location DC1\naaa authentication login default "
            "group tacacs+ local\nkey chain KC\n key 1\nntp authenticate\nntp trusted-key 1\nPassword:\n"
            "% Bad secrets\nstandby 1 authentication md5 key-chain HSRP\n")
    assert config_findings(text) == []
    assert mask_config(text) == text


def test_templates_placeholders_and_masks_are_not_findings() -> None:
    text = ("snmp-server community {{ snmp_community }} RO\nenable secret 9 <removed>\nusername a secret 9 ********\n"
            "crypto isakmp key ******** address 192.0.2.1\n")
    assert config_findings(text) == []


def test_lines_quoted_in_an_error_message_with_escaped_newlines_are_found() -> None:
    message = ('[ERROR]: Task failed: b"key Refus3dKey\\r\\n   ^\\r\\n% Invalid input detected\\r\\n'
               'r1(config)#snmp-server community Esc4ped RO\\r\\n"')
    assert [f.rule for f in config_findings(message)] == ["key-line", "snmp-community"]
    masked = mask_config(message)
    assert "Refus3dKey" not in masked and "Esc4ped" not in masked and config_findings(masked) == []
