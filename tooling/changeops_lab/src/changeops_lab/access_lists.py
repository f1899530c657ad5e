"""Named access lists as IOS-XE keeps them: every entry has a sequence number.

``permit ...`` typed without a number is appended 10 after the last entry;
``20 deny ...`` lands in order; ``no 20`` and ``no deny ...`` remove an entry;
``ip access-list resequence NAME 10 10`` renumbers. `show running-config`
prints the numbers, which is what ``ios_acls`` and ``ios_config`` with
``replace: block`` compare against.
"""

from __future__ import annotations

import re

ACL_HEADER = re.compile(r"^ip access-list (extended|standard) (\S+)$")
IPV6_HEADER = re.compile(r"^ipv6 access-list (\S+)$")
ENTRY_WORDS = ("permit", "deny", "remark")
DUPLICATE = "% Duplicate sequence number"
STEP = 10
INVALID = "% Invalid input detected at '^' marker."
# List numbers by kind: a numbered list is standard or extended by its number alone.
NUMBERED = {"standard": ((1, 99), (1300, 1999)), "extended": ((100, 199), (2000, 2699))}
# Ports IOS prints by name, by protocol (`eq 80` is shown as `eq www`).
PORT_NAMES = {
    "tcp": {"21": "ftp", "23": "telnet", "25": "smtp", "53": "domain", "80": "www", "179": "bgp"},
    "udp": {"53": "domain", "69": "tftp", "123": "ntp", "161": "snmp", "162": "snmptrap", "514": "syslog"},
}
_PORT_OPERATORS = ("eq", "neq", "lt", "gt")


def numbered_header(number: str) -> str | None:
    """The section a numbered list lives in on IOS-XE (``ip access-list standard 10``), None if not a list number."""
    if not number.isdigit():
        return None
    value = int(number)
    for kind, ranges in NUMBERED.items():
        if any(low <= value <= high for low, high in ranges):
            return f"ip access-list {kind} {value}"
    return None


def is_acl_section(header: str) -> bool:
    """True for the header of an access list (IPv4 named or numbered, or IPv6)."""
    return ACL_HEADER.match(header) is not None or IPV6_HEADER.match(header) is not None


def apply_ipv6_entry(entries: list[str], line: str) -> tuple[list[str], str]:
    """An IPv6 list: IOS keeps ``sequence N permit ...`` (typed so, or ``permit ... sequence N``, or unnumbered)."""
    words = line.split()
    if words[0] == "no":
        sequence, body = _ipv6_parts(words[1:])
        return [e for e in entries if not _same_ipv6(e, sequence, body)], ""
    sequence, body = _ipv6_parts(words)
    if not body or body.split()[0] not in ENTRY_WORDS:
        return entries, ""
    numbered = [_ipv6_parts(entry.split()) for entry in entries]
    if sequence is None:
        if any(text == body for _, text in numbered):
            return entries, ""
        sequence = max((s or 0 for s, _ in numbered), default=0) + STEP
    clash = next((text for s, text in numbered if s == sequence), None)
    if clash is not None:
        return entries, "" if clash == body else DUPLICATE
    numbered.append((sequence, body))
    return [f"sequence {s} {text}" for s, text in sorted(numbered, key=lambda entry: entry[0] or 0)], ""


def _ipv6_parts(words: list[str]) -> tuple[int | None, str]:
    """(sequence, the entry as IOS prints it) of ``sequence N permit ...``, ``permit ... sequence N [log]`` ..."""
    at = next((i for i in range(len(words) - 1) if words[i] == "sequence" and words[i + 1].isdigit()), None)
    sequence = int(words[at + 1]) if at is not None else None
    if at is not None:
        words = words[:at] + words[at + 2:]
    body = canonical_entry(" ".join(word.upper() if ":" in word else word for word in words), ipv6=True) \
        if words else ""
    return sequence, body


def _same_ipv6(entry: str, sequence: int | None, body: str) -> bool:
    number, text = _ipv6_parts(entry.split())
    return number == sequence if sequence is not None else text == body


def split_entry(text: str) -> tuple[int | None, str]:
    """(sequence number or None, the entry without it)."""
    first, _, rest = text.partition(" ")
    return (int(first), rest) if first.isdigit() else (None, text)


def apply_entry(entries: list[str], line: str) -> tuple[list[str], str]:
    """The entries after typing ``line`` in the access list, and IOS's message (empty when accepted)."""
    words = line.split()
    if words[0] == "no":
        return _remove(entries, " ".join(words[1:])), ""
    sequence, body = split_entry(line)
    if body.split(" ", 1)[0] not in ENTRY_WORDS:
        return entries, ""
    body = canonical_entry(body)
    numbered = [split_entry(e) for e in entries]
    if sequence is None:
        if any(text == body for _, text in numbered):
            return entries, ""  # IOS keeps one copy of an entry typed twice
        sequence = max((s or 0 for s, _ in numbered), default=0) + STEP
    clash = next((text for s, text in numbered if s == sequence), None)
    if clash is not None:
        return entries, "" if clash == body else DUPLICATE
    numbered.append((sequence, body))
    return [f"{s} {text}" for s, text in sorted(numbered, key=lambda entry: entry[0] or 0)], ""


def canonical_entry(body: str, ipv6: bool = False) -> str:
    """The entry as IOS prints it: ``any``, ``host A`` and port names for the wildcards and ports typed.

    A standard list has no protocol word and prints a host as the bare address.
    """
    words = body.split()
    if words[0] == "remark" or len(words) < 2:
        return body
    standard = not ipv6 and (_is_address(words[1]) or words[1] in ("any", "host"))
    if standard and words[1] == "host":
        words = [words[0], *words[2:]]  # a standard list prints a host as the bare address
    out: list[str] = []
    index = 0
    while index < len(words):
        word, after = words[index], words[index + 1] if index + 1 < len(words) else ""
        if word == "0.0.0.0" and after == "255.255.255.255":
            out.append("any")
            index += 1
        elif _is_address(word) and after == "0.0.0.0" and out[-1:] != ["host"]:
            out += [word] if standard else ["host", word]
            index += 1
        elif out and out[-1] in _PORT_OPERATORS:
            out.append(PORT_NAMES.get(words[1], {}).get(word, word))
        else:
            out.append(word)
        index += 1
    return " ".join(out)


def _is_address(word: str) -> bool:
    parts = word.split(".")
    return len(parts) == 4 and all(part.isdigit() for part in parts)


def _remove(entries: list[str], target: str) -> list[str]:
    sequence, body = split_entry(target)
    body = canonical_entry(body) if body else body
    kept = []
    for entry in entries:
        number, text = split_entry(entry)
        if (sequence is not None and number == sequence) or (sequence is None and text == body):
            continue
        kept.append(entry)
    return kept


def resequence(entries: list[str], start: int, step: int) -> list[str]:
    """The entries renumbered ``start``, ``start + step``, ... in their current order."""
    return [f"{start + index * step} {split_entry(entry)[1]}" for index, entry in enumerate(entries)]


def show_access_lists(sections: list[tuple[str, list[str]]]) -> str:
    """`show access-lists` for (header, entries) pairs of the running configuration."""
    blocks = []
    for header, entries in sections:
        ipv6 = IPV6_HEADER.match(header)
        if ipv6 is not None:
            blocks.append(f"IPv6 access list {ipv6.group(1)}")
            blocks += [f"    {_ipv6_shown(entry)}" for entry in entries]
        match = ACL_HEADER.match(header)
        if match is None:
            continue
        kind, name = match.groups()
        blocks.append(f"{kind.capitalize()} IP access list {name}")
        blocks += [f"    {_shown(entry) if kind == 'standard' else entry}" for entry in entries]
    return "\n".join(blocks)


def _shown(entry: str) -> str:
    """A standard entry as `show access-lists` prints it: ``10 permit 10.9.0.0, wildcard bits 0.0.255.255``."""
    words = entry.split()
    if len(words) >= 4 and _is_address(words[2]) and _is_address(words[3]):
        return " ".join([*words[:2], words[2] + ",", "wildcard", "bits", *words[3:]])
    return entry


def _ipv6_shown(entry: str) -> str:
    """An IPv6 entry as `show access-lists` prints it: the sequence number last."""
    sequence, body = _ipv6_parts(entry.split())
    return f"{body} sequence {sequence}" if sequence is not None else body
