"""Where a device configuration keeps its secrets: one grammar that both masks and detects.

Each rule is a regular expression whose first group is kept and whose second group is the
secret. Masking runs the rules through netutils' ``sanitize_config`` (the same filter format
netutils documents), detection runs the very same expressions and reports every second group
that is not masked yet, so what is masked and what the scan looks for cannot drift apart.

netutils ships the engine but only two example filters, so the rules are ours. They cover
Cisco IOS/IOS-XE lines as ``show running-config`` prints them *and* as a transcript, an
event or a diff shows them: a line may be led by a transcript's time and direction
(``10:00:00.123 > ``), a configuration prompt (``r1(config)#``), a transcript detail's label
(``stdout: ``), a YAML list dash or a quote, and a line may start after an escaped newline
(an error message quoting the device). A bare ``key X`` line is a server's key wherever it
is (an error message echoes it without its section); only a key made of digits, which under
``key chain`` is an identifier, needs its section (``tacacs server T``) to be a secret, and
:func:`mask_config` and :func:`config_findings` track those sections themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from netutils.config.clean import sanitize_config

MASK = "********"
# What may lead a configuration line: a transcript's time and direction, a prompt, a YAML dash, a quote.
LEAD = (r"(?:(?:\d\d:\d\d:\d\d\.\d{3})?[ \t]*[<>] )?(?:[\w.\-]+\(config[\w\-]*\)#)?[ \t]*"
        r"(?:(?:sent|received|stdout|stderr|cmd):[ \t]+)?(?:- )?[\"']?[ \t]*")
# A line starts at the start of the text, after a newline, or after an escaped one (`\r\n` as text, in
# an error message that quotes the device's answer) or a bytes literal's quote (`b"key X`).
LINE_START = r"""(?:^|(?<=\\n)|(?<=\\r)|(?<=b")|(?<=b'))"""
TYPE = r"(?: [05-9](?= ))?"  # an encryption type before the value (0 clear, 5/8/9 hashes, 6/7 reversible)
SECRET = r"(\S+)"
# Cheap test first: no rule matches a text without one of these words.
KEYWORDS = re.compile(r"secret|password|community|key|snmp-server|authentication")


@dataclass(frozen=True)
class Rule:
    """One place a configuration keeps a secret: ``prefix`` is what precedes it on the line."""

    name: str
    prefix: str
    hint: str
    anywhere: bool = False  # the keywords are specific enough to match inside a line, not only at its start

    @property
    def regex(self) -> str:
        lead = r"(\b" if self.anywhere else "(" + LINE_START + LEAD
        return lead + self.prefix + ")" + SECRET


def _rule(name: str, prefix: str, hint: str, *, anywhere: bool = False) -> Rule:
    return Rule(name, prefix + " ", hint, anywhere)


HASH_HINT = "store a type 8/9 hash, and keep the device's backup in the state directory, not in git"
KEY_HINT = "take the key from the vault or the environment, and let the run mask it (report this as a bug)"
RULES: tuple[Rule, ...] = (
    _rule("enable-secret", r"enable (?:secret|password)(?: level \d+)?" + TYPE, HASH_HINT),
    _rule("username-secret", r"username \S+(?: privilege \d+| view \S+| algorithm-type \S+)* (?:secret|password)"
          + TYPE, HASH_HINT),
    _rule("snmp-community", r"snmp-server community", "use SNMPv3, or keep the community in the vault"),
    _rule("snmp-host-community", r"snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c))?"
          r"(?! ?(?:version|vrf|informs|traps)\b)", "keep the community in the vault"),
    _rule("snmpv3-auth-key", r"snmp-server user [^\n]*? auth (?:md5|sha\S*)", KEY_HINT),
    _rule("snmpv3-priv-key", r"snmp-server user [^\n]*? priv (?:3des|des|aes(?: \d+)?)", KEY_HINT),
    _rule("tacacs-radius-key", r"(?:tacacs|radius)-server\b[^\n]*? key" + TYPE, KEY_HINT),
    _rule("ntp-authentication-key", r"ntp authentication-key \d+ \S+", KEY_HINT),
    _rule("isakmp-key", r"crypto isakmp key" + r"(?: [06](?= ))?", KEY_HINT),
    _rule("pre-shared-key", r"pre-shared-key(?: address \S+(?: \d+\.\d+\.\d+\.\d+)?| hostname \S+| local| remote)*"
          r"(?: key)?(?: [06](?= ))?", KEY_HINT, anywhere=True),
    _rule("ikev2-pre-share", r"authentication (?:local|remote) pre-share key(?: [06](?= ))?", KEY_HINT),
    _rule("neighbor-password", r"(?:mpls ldp )?neighbor \S+ password" + TYPE, KEY_HINT),
    _rule("ospf-authentication-key", r"(?<!ntp )authentication-key" + TYPE, KEY_HINT, anywhere=True),
    _rule("ospf-message-digest-key", r"message-digest-key \d+ md5" + TYPE, KEY_HINT, anywhere=True),
    _rule("ospfv3-ipsec-key", r"(?:ipv6 ospf |ospfv3 (?:\d+ )?)?authentication ipsec spi \d+ (?:md5|sha1)" + TYPE,
          KEY_HINT),
    _rule("eigrp-hmac-key", r"authentication mode hmac-sha-256" + TYPE, KEY_HINT),
    _rule("isis-password", r"(?:isis password|area-password|domain-password)" + TYPE, KEY_HINT),
    _rule("key-string", r"key-string" + TYPE, KEY_HINT, anywhere=True),
    _rule("fhrp-authentication", r"(?:(?:standby|vrrp|glbp)(?: \d+)? authentication(?! md5\b)(?: text)?"
          r"|authentication text)", KEY_HINT),
    _rule("line-password", r"password" + TYPE, HASH_HINT),
    _rule("ppp-secret", r"ppp (?:(?:chap|pap|ms-chap(?:-v2)?) password|pap sent-username \S+ password)" + TYPE,
          KEY_HINT),
    _rule("server-key", r"server-key" + TYPE, KEY_HINT, anywhere=True),
    _rule("config-key", r"key config-key password-encrypt", KEY_HINT),
    # A bare `key X` is a server's key (`tacacs server`, `radius server`): an error message echoes the line
    # without its section. `key 1` under `key chain` is an identifier (digits only) and stays.
    _rule("key-line", r"key(?: [0-7](?= ))?(?! chain | config-key )(?! \d+[ \t]*$)", KEY_HINT),
    _rule("typed-secret", r"(?:password|secret|key) [05789](?= )", KEY_HINT, anywhere=True),
)
# Sections whose bare ``key X`` line is a secret, and what may follow inside them in a sent batch.
KEYED_SECTION = re.compile(r"^" + LEAD + r"(?:(?:tacacs|radius) server \S+|aaa server radius dynamic-author"
                           r"|crypto isakmp client configuration group \S+)[ \t]*[\"']?$")
SECTION_KEY = Rule("section-key", r"key" + r"(?: [0-7](?= ))? ", KEY_HINT)
SECTION_KEY_RE = re.compile(r"(^" + LEAD + SECTION_KEY.prefix + r")" + SECRET)
SECTION_WORDS = {"key", "address", "timeout", "port", "single-connection", "send-nat-address", "automate-tester",
                 "retransmit", "pac", "client", "server-key", "dns", "pool", "acl", "domain", "exit", "no"}

FILTERS: list[dict[str, str]] = [{"regex": rule.regex, "replace": "\\g<1>" + MASK} for rule in RULES]
_LEAD_RE = re.compile("^" + LEAD)
_COMPILED = [(rule, re.compile(rule.regex, re.MULTILINE)) for rule in RULES]


@dataclass(frozen=True)
class ConfigFinding:
    """A secret-shaped configuration line that is not masked: 1-based line number and the rule."""

    line: int
    rule: str
    hint: str


def mask_config(text: str) -> str:
    """``text`` with every secret the grammar knows replaced by :data:`MASK`; the lines stay where they were."""
    if not KEYWORDS.search(text):
        return text
    masked = sanitize_config(text, FILTERS)
    lines = masked.split("\n")
    for index in _section_keys(lines):
        lines[index] = SECTION_KEY_RE.sub(lambda m: m.group(1) + MASK, lines[index])
    return "\n".join(lines)


def config_findings(text: str) -> list[ConfigFinding]:
    """Every secret the grammar finds in ``text`` that is not masked yet, by line."""
    if not KEYWORDS.search(text):
        return []
    by_offset: dict[int, ConfigFinding] = {}  # one finding per secret: the first (most specific) rule names it
    starts = _line_starts(text)
    for rule, pattern in _COMPILED:
        for match in pattern.finditer(text):
            if not is_masked(match.group(2)) and match.start(2) not in by_offset:
                by_offset[match.start(2)] = ConfigFinding(_line_of(starts, match.start(2)), rule.name, rule.hint)
    lines = text.split("\n")
    for index in _section_keys(lines):
        keyed = SECTION_KEY_RE.match(lines[index])
        if keyed and not is_masked(keyed.group(2)) and starts[index] + keyed.start(2) not in by_offset:
            by_offset[starts[index] + keyed.start(2)] = ConfigFinding(index + 1, SECTION_KEY.name, SECTION_KEY.hint)
    found = list(by_offset.values())
    return sorted(set(found), key=lambda f: (f.line, f.rule))


def is_masked(value: str) -> bool:
    """A value that is already hidden, or a placeholder rather than a secret (a template, ``<removed>``)."""
    stripped = value.strip("\"',")
    return (stripped.startswith(("****", "{{", "$ANSIBLE_VAULT", "<")) or stripped in ("", "\\n")
            or value.startswith(("\"{{", "'{{")))


def _section_keys(lines: list[str]) -> Iterator[int]:
    """Indexes of ``key ...`` lines inside a keyed section (``tacacs server X`` and the like)."""
    inside = False
    for index, line in enumerate(lines):
        if KEYED_SECTION.match(line):
            inside = True
            continue
        if not inside:
            continue
        words = _LEAD_RE.sub("", line).split()
        if not words:
            continue  # a prompt alone, an empty line: still inside
        if words[0] not in SECTION_WORDS:
            inside = False
        elif SECTION_KEY_RE.match(line):
            yield index


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [match.end() for match in re.finditer("\n", text)]
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset)
