"""Text a person typed, made inert wherever it is shown: HTML, Markdown, table cells, code blocks, links.

Every string of a record, a policy, a runbook's front matter or a file name is data. Whatever
renders it (the site, the pull-request comment) passes it through one of these functions, so no
value can open a tag, a comment, a link, a heading or a table row, whatever it contains.

Markdown escaping uses numeric character references rather than backslashes: a reference is
literal text to every Markdown dialect (Python-Markdown for the site, GitHub's for the comment),
inside and outside tables, and it cannot combine with the characters around it into syntax.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only schemes a link made from data may have (relative links have none)."""

# Everything Markdown (CommonMark, GitHub's extensions, Python-Markdown's attr_list and tables) gives a
# meaning to, and "@" (mentions, e-mail autolinks). "&" first makes entity tricks ("&lt;") literal.
_MARKDOWN_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]<>!|#~@&$^"}
_MARKDOWN_SPECIAL.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Markers that only mean something at the start of a line: list items, block quotes, setext and thematic breaks,
# ordered lists ("1." / "1)"), and indentation that makes a code block.
_LINE_START = re.compile(r"^(\s*)([-+=:]|\d+(?=[.)]))")
# Bare URLs and "www." become links on GitHub: break the pattern without changing what is read.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)")


def plain(value: Any) -> str:
    """``value`` as text: None is empty, control characters (never printable) are dropped."""
    return _CONTROL.sub("", "" if value is None else str(value))


def html_text(value: Any) -> str:
    """Text safe in HTML content and in a double- or single-quoted attribute value."""
    return html.escape(plain(value), quote=True)


def markdown_text(value: Any) -> str:
    """Text safe anywhere in a Markdown line: shown as typed, never syntax; line breaks become ``<br>``.

    Leading blanks are dropped: at the start of a line, four of them would make a code block.
    """
    lines = [_escape_line(line) for line in _LINE_BREAK.split(plain(value).lstrip())]
    return "<br>".join(lines)


def markdown_cell(value: Any) -> str:
    """Text safe in one Markdown table cell: as :func:`markdown_text`, without surrounding blanks.

    ``|`` is a character reference and no line break survives, so a value cannot end its cell or its row.
    """
    return markdown_text(plain(value).strip())


def _escape_line(line: str) -> str:
    line = _LINE_START.sub(lambda m: m.group(1) + _reference(m.group(2)), line.translate(_MARKDOWN_SPECIAL), count=1)
    return _AUTOLINK.sub(lambda m: _reference(m.group(0)), line)


def _reference(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def code_block(text: Any, language: str = "text") -> str:
    """A fenced Markdown code block showing ``text`` verbatim: no line of it can close the fence."""
    body = _LINE_BREAK.sub("\n", plain(text)).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def link_target(url: Any) -> str | None:
    """``url`` when it is relative or uses http, https or mailto; None for anything else (``javascript:``...).

    Browsers ignore blanks and control characters inside a scheme (``java\\tscript:``), so they are
    removed before the scheme is judged.
    """
    text = re.sub(r"[\t\n\r]", "", plain(url)).strip(" ")
    if not text:
        return None
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    if scheme and scheme not in LINK_SCHEMES:
        return None
    return text


def relative_link(path: str) -> str:
    """A relative path as a link: a first segment holding ``:`` (a file or host named ``javascript:x``) would
    read as a scheme, so such a path starts with ``./``."""
    first = path.split("/", 1)[0]
    return f"./{path}" if ":" in first else path


def markdown_url(url: Any) -> str:
    """``url`` as the destination of a Markdown link ``[text](url)``: percent-encoded so that no character
    ends the destination early; ``#`` when the URL is not a safe link (see :func:`link_target`)."""
    target = link_target(url)
    return quote(target, safe="/#?=&%:@.-_~+,;!*$'") if target is not None else "#"
