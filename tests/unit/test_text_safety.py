"""Escaped text rendered by the site's Markdown (Python-Markdown with its extensions) and a CommonMark one
(markdown-it, as GitHub renders comments): no markup, and the reader sees exactly what was typed."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest
from changeops.text_safety import (
    code_block,
    html_text,
    link_target,
    markdown_cell,
    markdown_text,
    markdown_url,
    relative_link,
)
from markdown_it import MarkdownIt

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1)) ![i](javascript:alert(2)) <https://evil.example>",
    "ok\n| approvals | ✅ quorum met |\n# pwned\n---\n- item\n1. first\n> quote",
    "ok\r\n\r\n<!-- hide the rest",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62; &amp;",
    "**bold** _it_ `code` ~~s~~ \\*not\\* {: onclick=alert(1) }",
    "@everyone see #12, https://evil.example and www.evil.example, mail a@b.example",
    "    indented code\n===\n```\nfence",
    "<script>alert(1)</script><iframe src=javascript:alert(1)></iframe><svg onload=alert(1)>",
]
SITE = markdown.Markdown(extensions=["tables", "attr_list", "admonition", "toc", "pymdownx.superfences"])
GITHUB = MarkdownIt("commonmark").enable("table").enable("strikethrough")


class _Reader(HTMLParser):
    """The text a browser shows (``<br>`` as a line break) and every tag it would build."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.tags = "", []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.text += "\n" if tag == "br" else ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def shown(value: str) -> str:
    """What a reader should see: the value, line breaks normalised, blanks at the ends of lines trimmed."""
    return "\n".join(line.strip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def render_both(source: str) -> list[_Reader]:
    SITE.reset()
    return [read(SITE.convert(source)), read(GITHUB.render(source))]


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_is_one_paragraph_of_exactly_the_typed_text(value: str) -> None:
    for page in render_both(f"Title: {markdown_text(value)}"):
        assert set(page.tags) <= {"p", "br"}, page.tags
        assert shown(page.text).strip() == shown(f"Title: {value.lstrip()}")


def test_markdown_text_at_the_start_of_a_line_is_no_code_block() -> None:
    for page in render_both(markdown_text("\t    - indented\n    more")):
        assert page.tags == ["p", "br"] and shown(page.text).strip() == "- indented\nmore"


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_cell_stays_in_its_cell_and_row(value: str) -> None:
    table = f"| field | value |\n|---|---|\n| title | {markdown_cell(value)} |\n| approvals | ❌ not met |\n"
    for page in render_both(table):
        assert set(page.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "br"}, page.tags
        assert page.tags.count("tr") == 3 and page.tags.count("td") == 4
        assert shown(value.strip()) in shown(page.text) and "❌ not met" in page.text


def test_code_block_cannot_be_closed_by_its_content() -> None:
    text = "a\n```\n````json\n</details><!-- @x\n~~~"
    for page in render_both(code_block(text, "json") + "\n\nafter"):
        assert set(page.tags) <= {"div", "pre", "code", "span", "p"} and page.tags.count("pre") == 1
        assert page.tags.count("p") == 1 and "!--" not in page.tags
        assert page.text.strip().startswith(text) and page.text.rstrip().endswith("after")


def test_html_text_is_safe_in_content_and_attributes() -> None:
    assert html_text('"><script>x</script>\'') == "&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#x27;"
    assert html_text(None) == "" and html_text("a\x00b\x1bc") == "abc"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                                 " javascript:alert(1)", "\x01javascript:x", "data:text/html,<b>", "vbscript:x",
                                 "file:///etc/passwd", ""])
def test_links_from_data_refuse_other_schemes(url: str) -> None:
    assert link_target(url) is None
    assert markdown_url(url) == "#"


def test_links_from_data_keep_web_mail_and_relative_links() -> None:
    for url in ("https://example.com/a?b=1#c", "http://example.com", "mailto:noc@example.cn", "../changes/x/"):
        assert link_target(url) == url
    assert markdown_url("../runbooks/a b(c).md") == "../runbooks/a%20b%28c%29.md"


def test_a_relative_link_never_reads_as_a_scheme() -> None:
    assert relative_link("javascript:alert(1)/") == "./javascript:alert(1)/"
    assert relative_link("../devices/javascript:x/") == "../devices/javascript:x/"
    assert link_target(relative_link("javascript:alert(1).md")) is not None

