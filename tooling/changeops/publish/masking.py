"""Secrets masked before a configuration backup or a transcript is published.

The run writer masks secrets already; the site masks them again with the same grammar
(:mod:`changeops.secrets.config_grammar`), so nothing committed before a rule existed
leaks through the site. Key-value text (``password: x``, ``"token": "y"``) is masked too.
"""

from __future__ import annotations

import re

from changeops.secrets.config_grammar import MASK, mask_config

__all__ = ["MASK", "mask_secrets"]
_KEY_VALUE = re.compile(r"""((?:password|passwd|secret|token)["']?\s*[:=]\s*["']?)([^\s"',]+)""", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """``text`` with passwords, keys and SNMP communities replaced by the mask."""
    return _KEY_VALUE.sub(lambda m: m.group(1) + MASK, mask_config(text))
