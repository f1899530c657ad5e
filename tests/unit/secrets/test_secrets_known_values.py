"""Known values are found and masked in every spelling: raw, base64 at any offset, URL-encoded, hex."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest
from changeops.secrets.known_values import KnownValues

SECRET = "Tac+Key/9 x&y"


@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc", "Authorization: Basic "])
def test_base64_at_any_offset_is_found_and_masked(prefix: str) -> None:
    encoded = base64.b64encode(f"{prefix}{SECRET}!tail".encode()).decode()
    values = KnownValues([SECRET])
    assert {needle.form for _, needle in values.find(encoded)} == {"base64"}
    assert values.find(values.mask(encoded, "********")) == []


@pytest.mark.parametrize("text, form", [
    (f"GET /login?key={quote(SECRET, safe='')} HTTP/1.1", "url-encoded"),
    (f"payload {SECRET.encode().hex()} end", "hex"),
    (f"PAYLOAD {SECRET.encode().hex().upper()} END", "hex"),
    (f"plain {SECRET} here", "raw"),
])
def test_url_hex_and_raw_spellings(text: str, form: str) -> None:
    values = KnownValues([SECRET])
    assert form in {needle.form for _, needle in values.find(text)}
    assert values.find(values.mask(text, "********")) == []


def test_unrelated_text_is_not_a_hit() -> None:
    values = KnownValues([SECRET])
    text = base64.b64encode(b"something else entirely, long enough to have many groups").decode()
    assert values.find(text + " Tac Key 9 x y") == []
