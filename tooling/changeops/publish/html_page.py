"""A mkdocs page whose source is HTML already, so the Markdown pass (most of a page's build time) is skipped.

Change pages, customer documents and device pages are rendered by Jinja2 straight
to HTML; their links are computed by :func:`changeops.publish.rendering.href`.

The site search parses ``page.content`` when it indexes a page, and parsing is most of
its time. So a page's content is only its indexed head (everything above
:data:`~changeops.publish.rendering.UNINDEXED`) until the search has seen it; the
plugin then puts the rest back (:meth:`HtmlPage.whole`) before the theme renders it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from changeops.publish.rendering import UNINDEXED

_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink"')
_TAG = re.compile(r"<[^>]+>")


class HtmlPage(Page):
    """Registers itself as ``file.page``; its metadata is given, not parsed from front matter."""

    def __init__(self, file: File, config: MkDocsConfig, meta: dict[str, Any]) -> None:
        super().__init__(None, file, config)
        self._given_meta = meta
        self._unindexed = ""

    def read_source(self, config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        self.markdown = source if source is not None else self.file.content_string
        self.meta = dict(self._given_meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        tokens = toc_tokens(self.markdown)
        self.toc = get_toc(tokens)  # type: ignore[arg-type]  # the toc extension's tokens, as plain dicts
        self.present_anchor_ids = {token["id"] for token in _walk(tokens)}
        self.links_to_anchors = {}
        # A plain str: ``str + Markup`` would escape the str (Markup's __radd__ wins over str's __add__).
        head, marker, self._unindexed = self.markdown.partition(str(UNINDEXED))
        self.content = head + marker

    def whole(self) -> None:
        """Put the unindexed rest of the page back after the head (once the search has indexed the head)."""
        if self.content is not None:
            self.content, self._unindexed = self.content + self._unindexed, ""


def toc_tokens(content: str) -> list[dict[str, Any]]:
    """Table-of-contents entries of the h2 and h3 headings, as Python-Markdown's toc extension makes them."""
    tokens: list[dict[str, Any]] = []
    for level, anchor, text in _HEADING.findall(content):
        # The name stays HTML (entities escaped), as Python-Markdown's toc extension makes it: themes print it raw.
        name = html.escape(html.unescape(_TAG.sub("", text)).strip())
        token = {"level": int(level), "id": anchor, "name": name, "html": name, "data-toc-label": "",
                 "children": []}
        if token["level"] == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def _walk(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _walk(token["children"])
