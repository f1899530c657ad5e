"""Secrets masked before a configuration backup or a transcript is published.

The run writer redacts secrets already; the site masks the usual places in a
device configuration again (wherever they appear on a line, so a transcript's
``sent:`` lines are covered too), so nothing written before a redaction rule
existed leaks through the site.
"""

from __future__ import annotations

import re

MASK = "******"
_PATTERNS = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
    r"(\benable\s+(?:secret|password)(?:\s+level\s+\d+)?(?:\s+\d)?\s+)(\S+)",
    r"(\busername\s+\S+(?:\s+privilege\s+\d+)?\s+(?:secret|password)(?:\s+\d)?\s+)(\S+)",
    r"(\bsnmp-server\s+(?:community|user\s+\S+\s+\S+.*?\b(?:auth\s+\S+|priv\s+\S+(?:\s+\d+)?))\s+)(\S+)",
    r"(\b(?:tacacs-server|radius-server|tacacs|radius)\b[^\n]*?\bkey(?:\s+\d)?\s+)(\S+)",
    r"(\b(?:key-string|pre-shared-key|message-digest-key\s+\d+\s+md5)(?:\s+\d)?\s+)(\S+)",
    r"(\bcrypto\s+isakmp\s+key(?:\s+\d)?\s+)(\S+)",
    r"(\bneighbor\s+\S+\s+password(?:\s+\d)?\s+)(\S+)",
    r"(^[ \t]*password(?:\s+\d)?\s+)(\S+)",
    r"""((?:password|passwd|secret|token)["']?\s*[:=]\s*["']?)([^\s"',]+)""",
)]


def mask_secrets(text: str) -> str:
    """``text`` with passwords, keys and SNMP communities replaced by ``******``."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text
