"""Pages rendered from Markdown a person wrote: their HTML passes an allow-list, their titles are text.

Runbooks, emergency plans and hand-written pages are Markdown, and Markdown lets its author write
raw HTML (``<script>``, ``<img onerror>``, ``<iframe>``), links to any scheme (``javascript:``) and,
with ``attr_list``, any attribute. Sanitising the HTML mkdocs produces, rather than the Markdown,
catches all of these whichever syntax wrote them. Page titles and table-of-contents entries reach the
theme's templates unescaped (and ``striptags`` there turns ``&lt;`` back into ``<``), so they are set
to escaped text here, once, for every page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import nh3
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from changeops.text_safety import LINK_SCHEMES, html_text

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "wbr",
})
"""Text, tables, lists, code and images: no script, style, frame, form, object, SVG or MathML."""

ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style"},
    "details": {"open"},
}
STYLES = frozenset({"text-align"})
"""The one style Python-Markdown's tables write (column alignment)."""

_TAG = re.compile(r"<[^>]*>")


def sanitise(content: str) -> str:
    """``content`` with only allow-listed tags and attributes, and links only to http, https, mailto or relative."""
    return nh3.clean(content, tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                     clean_content_tags={"script", "style"}, url_schemes=set(LINK_SCHEMES),
                     filter_style_properties=set(STYLES), strip_comments=True, link_rel=None)


_EMPTY_HEAD = re.compile(r"<thead>\s*<tr>(?:\s*<th(?: [^>]*)?>\s*</th>)+\s*</tr>\s*</thead>\s*")


def without_empty_headers(content: str) -> str:
    """Tables without a header row whose cells are all empty: a Markdown key–value table must have one."""
    return _EMPTY_HEAD.sub("", content)


def title_text(title: str | None, *, is_html: bool) -> str:
    """A title as the theme may print it raw: escaped text. ``is_html`` when it is HTML (a heading's content)."""
    text = title or ""
    if is_html:
        text = html.unescape(_TAG.sub("", text))
    return html_text(" ".join(text.split()))


def settle_titles(page: Page) -> None:
    """Set the page's title, description and table-of-contents entries to escaped text.

    A title given in the page's metadata (front matter, or a generated page's) is text; one mkdocs took from
    the first heading is HTML (a title from the navigation or the file's name is read as HTML too: at worst a
    tag-like part of it is dropped). Table-of-contents titles are HTML.
    """
    if "title" in page.meta:
        page.meta["title"] = title_text(page.meta["title"], is_html=False)
    elif not page.is_homepage:  # the theme titles the home page with the site's name alone
        page.meta["title"] = title_text(page.title, is_html=True)
    if "description" in page.meta:
        page.meta["description"] = title_text(str(page.meta["description"]), is_html=False)
    for item in _toc_items(page.toc):
        item.title = title_text(item.title, is_html=True)


def _toc_items(items: Iterable[AnchorLink]) -> list[AnchorLink]:
    found: list[AnchorLink] = []
    for item in items or []:
        found.append(item)
        found.extend(_toc_items(item.children))
    return found
