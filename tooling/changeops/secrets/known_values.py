"""Known secret values and the forms they take in output: raw, base64, URL-encoded and hex.

A value base64-encoded inside a longer text is spelled differently depending on where it
starts (its offset modulo 3), so each value has three base64 spellings, each cut to the
characters that depend on the value alone.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

MIN_NEEDLE = 4  # a shorter spelling would match by chance


@dataclass(frozen=True)
class Needle:
    """One spelling of a known value: what to look for and which encoding it is."""

    text: str
    form: str


def spellings(value: str) -> list[Needle]:
    """Every form of ``value`` worth looking for, the raw one first; duplicates and short ones left out."""
    raw = value.encode("utf-8")
    found = [Needle(value, "raw")]
    found += [Needle(text, "base64") for text in _base64_spellings(raw)]
    found += [Needle(text, "url-encoded") for text in {quote(value, safe=""), quote_plus(value, safe="")}]
    found += [Needle(raw.hex(), "hex"), Needle(raw.hex().upper(), "hex")]
    unique: dict[str, Needle] = {}
    for needle in found:
        if len(needle.text) >= MIN_NEEDLE and needle.text not in unique:
            unique[needle.text] = needle
    return list(unique.values())


def _base64_spellings(raw: bytes) -> set[str]:
    forms = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode("ascii")
        skip = (0, 2, 3)[offset]  # characters that mix in the bytes before the value
        keep = ((offset + len(raw)) // 3) * 4  # whole groups only: the last one mixes in what follows
        part = encoded[skip:keep]
        forms.add(part)
        forms.add(part.replace("+", "-").replace("/", "_"))  # the URL-safe alphabet
    return forms


class KnownValues:
    """A set of secret values, searched for in all their spellings (longest first, so no value hides another)."""

    def __init__(self, values: Iterable[str]) -> None:
        needles = {n.text: n for value in values for n in spellings(value)}
        self.needles = sorted(needles.values(), key=lambda n: len(n.text), reverse=True)

    def mask(self, text: str, mask: str) -> str:
        """``text`` with every spelling of every value replaced by ``mask``."""
        for needle in self.needles:
            if needle.text in text:
                text = text.replace(needle.text, mask)
        return text

    def find(self, text: str) -> list[tuple[int, Needle]]:
        """Where a spelling occurs in ``text``: (offset, needle), one per occurrence."""
        hits = []
        for needle in self.needles:
            start = text.find(needle.text)
            while start >= 0:
                hits.append((start, needle))
                start = text.find(needle.text, start + 1)
        return hits
