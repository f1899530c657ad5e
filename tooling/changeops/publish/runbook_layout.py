"""How a runbook's Markdown is laid out on its page: an emergency plan starts with its recovery steps, and
headings written as ``English (中文)`` lead with the customer's language.

At 3 a.m. the engineer opening an emergency plan needs the steps, not its purpose
and scope; the sections keep their order otherwise.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"^## ", re.MULTILINE)
_RECOVERY = re.compile(r"\A## [^\n]*(?:recovery steps|恢复步骤)", re.IGNORECASE)
_BILINGUAL = re.compile(r"^(#{1,4}) (.+?) \(([^()\n]*[\u4e00-\u9fff][^()\n]*)\)[ \t]*$", re.MULTILINE)
_NUMBER = re.compile(r"\A(\d+(?:\.\d+)*\.?) ")
_HEADING_NUMBER = re.compile(r"\A## \d+(?:\.\d+)*\.? +")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def split_recovery(body: str, language: str = "en") -> tuple[str, str]:
    """``body``'s recovery-steps section (``## … Recovery steps`` or ``## … 恢复步骤``) and the rest of it, in
    order; ``("", body)`` when there is none. A plan may hold the steps once per language: the section whose
    heading is in ``language`` (Chinese only, or no Chinese) is taken, else the first. Taken out of the plan's
    order to open the page, the section leaves its number (``## 6. 恢复步骤`` reads ``## 恢复步骤``)."""
    starts = [m.start() for m in _SECTION.finditer(body)]
    sections = [body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    candidates = [s for s in sections if _RECOVERY.match(s)]
    if not candidates:
        return "", body
    recovery = next((s for s in candidates if _heading_language(s) == language), candidates[0])
    rest = body[:starts[0]] + "".join(s for s in sections if s is not recovery)
    return _HEADING_NUMBER.sub("## ", recovery.rstrip(), count=1) + "\n\n", rest


def _heading_language(section: str) -> str:
    heading = section.split("\n", 1)[0]
    return "zh" if _HAN.search(heading) and not _LATIN.search(heading) else "en"


def headings_in(body: str, language: str) -> str:
    """Headings ``N. English (中文)`` as ``N. 中文 (English)`` on a Chinese site; left as written otherwise."""
    if language != "zh":
        return body

    def swap(match: re.Match[str]) -> str:
        hashes, english, chinese = match.groups()
        number = _NUMBER.match(english)
        prefix = number.group(1) + " " if number else ""
        return f"{hashes} {prefix}{chinese} ({english[len(prefix):]})"

    return _BILINGUAL.sub(swap, body)
