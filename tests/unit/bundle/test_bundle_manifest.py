"""The canonical text of a manifest: what every approval signs, so its form may never drift by accident."""

from __future__ import annotations

import hashlib
from datetime import date

from changeops.bundle import Manifest, ManifestEntry


def test_the_canonical_text_and_digest_are_fixed() -> None:
    manifest = Manifest((ManifestEntry.of("playbooks/b.yml", b"b"), ManifestEntry.of("changes/X/change.yaml", b"a")),
                        frozenset(), {"all": {"hosts": {"n1": {"z": 1, "a": "沈阳", "when": date(2026, 12, 8)}}}})
    sha_a, sha_b = hashlib.sha256(b"a").hexdigest(), hashlib.sha256(b"b").hexdigest()
    assert manifest.canonical_text() == (
        f"changeops-plan-v2\nchanges/X/change.yaml\0{sha_a}\nplaybooks/b.yml\0{sha_b}\n"
        'inventory\0{"all":{"hosts":{"n1":{"a":"沈阳","when":"2026-12-08","z":1}}}}\n')
    assert manifest.digest == "sha256:" + hashlib.sha256(manifest.canonical_text().encode()).hexdigest()


def test_entry_order_and_inventory_key_order_do_not_matter_but_content_does() -> None:
    one = Manifest((ManifestEntry.of("a", b"1"), ManifestEntry.of("b", b"2")), frozenset(), {"x": 1, "y": 2})
    same = Manifest((ManifestEntry.of("b", b"2"), ManifestEntry.of("a", b"1")), frozenset(), {"y": 2, "x": 1})
    assert one.digest == same.digest
    assert Manifest((ManifestEntry.of("a", b"1!"), ManifestEntry.of("b", b"2")), frozenset(),
                    {"x": 1, "y": 2}).digest != one.digest
    assert Manifest(one.entries, frozenset(), {"x": 1, "y": 3}).digest != one.digest
    assert one.as_json()["files"][0] == {"path": "a", "sha256": hashlib.sha256(b"1").hexdigest(), "size": 1,
                                         "beside": "project"}
