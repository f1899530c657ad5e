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
ENTRY_WORDS = ("permit", "deny", "remark")
DUPLICATE = "% Duplicate sequence number"
STEP = 10


def is_acl_section(header: str) -> bool:
    """True for the header of a named IPv4 access list."""
    return ACL_HEADER.match(header) is not None


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


def _remove(entries: list[str], target: str) -> list[str]:
    sequence, body = split_entry(target)
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
        match = ACL_HEADER.match(header)
        if match is None:
            continue
        kind, name = match.groups()
        blocks.append(f"{kind.capitalize()} IP access list {name}")
        blocks += [f"    {entry}" for entry in entries]
    return "\n".join(blocks)
