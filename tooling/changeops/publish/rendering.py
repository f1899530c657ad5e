"""Generated pages and the Jinja2 templates (in ``templates/``) they are rendered from."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from changeops.records.fields import text_in
from changeops.text_safety import html_text, markdown_cell, markdown_text, markdown_url, relative_link

UNINDEXED = Markup("<!-- changeops: the site search indexes the page above this line -->\n")
"""Where a generated HTML page's indexed head ends (the ``unindexed`` template global): the search never parses
what follows, so a change is found by its ID, title, targets and customer, not by every table of its plan."""

RECORD_TEMPLATE = "changeops-record.html"
"""The theme template of generated HTML pages (in ``templates/theme/``): the page without the navigation sidebar."""


@dataclass(frozen=True)
class Page:
    """A file of the site: Markdown pages are rendered by mkdocs, anything else is copied as it is."""

    src_uri: str
    content: str | bytes
    in_nav: bool = False
    html: bool = False
    """The content is HTML: mkdocs' Markdown pass is skipped (thousands of change pages)."""
    meta: dict[str, Any] | None = None
    """The page's metadata (title, template ...) for an HTML page, which has no front matter to parse."""


def escape(value: Any) -> Markup:
    """Record text safe in a line of a generated Markdown page (the ``e`` filter)."""
    return value if isinstance(value, Markup) else Markup(markdown_text(value))


def cell(value: Any) -> Markup:
    """Record text safe inside one Markdown table cell (the ``cell`` filter)."""
    return value if isinstance(value, Markup) else Markup(markdown_cell(value))


def url(value: Any) -> Markup:
    """A link's destination in a Markdown page (the ``url`` filter): percent-encoded, http(s)/mailto or relative."""
    return Markup(markdown_url(value))


def verbatim(text: str) -> Markup:
    """Text the template places inside a fenced code block it writes with a fence ``text`` cannot close."""
    return Markup(text)


def text_filter(value: Any, language: str) -> str:
    return text_in(value, language) if value is not None else ""


def when(value: datetime | date | None, zone: Any = None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and zone is not None:
        value = value.astimezone(zone)
    return value.strftime(fmt if isinstance(value, datetime) else "%Y-%m-%d")


def rel(target: str, start: str) -> str:
    """The link from page ``start`` to file ``target`` (both docs-relative source paths)."""
    return relative_link(posixpath.relpath(target, posixpath.dirname(start) or "."))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Markdown templates: every ``{{ value }}`` is escaped as Markdown text unless it is ``Markup`` already.

    Escaping by default (``finalize``) rather than by filter makes a forgotten filter safe; values that are
    Markdown or HTML on purpose (a rendered table, a hand-written intro) are wrapped in ``Markup`` by the caller.
    """
    env = Environment(loader=PackageLoader("changeops.publish", "templates"), autoescape=False, finalize=escape,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(e=escape, cell=cell, url=url, text=text_filter, when=when)
    env.globals.update(rel=rel, timedelta_second=timedelta(seconds=1))
    return env


def render(template: str, **context: Any) -> str:
    """A Markdown page (``*.md.j2``, record text escaped as Markdown) or an HTML fragment (``*.html.j2``,
    autoescaped) from ``template``."""
    env = html_environment() if template.endswith(".html.j2") else environment()
    return env.get_template(template).render(**context)


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    env = Environment(loader=PackageLoader("changeops.publish", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(text=text_filter, when=when, var_rows=variable_rows)
    env.globals.update(timedelta_second=timedelta(seconds=1), h=heading, state_badge=state_badge,
                       host_badge=host_badge, playbook_ref=playbook_ref, unindexed=UNINDEXED)
    return env


# Small pieces of HTML used thousands of times: Python is much cheaper than Jinja macros here.
def heading(level: int, anchor: str, text: str) -> Markup:
    """A heading with its permalink."""
    anchor = html_text(anchor)
    return Markup(f'<h{level} id="{anchor}">{html_text(text)}<a class="headerlink" href="#{anchor}" '
                  f'title="Permanent link">&para;</a></h{level}>\n')


def state_badge(labels: Any, state: str) -> Markup:
    return Markup(f'<span class="co-state co-state--{html_text(state)}">{html_text(labels.state(state))}</span>')


def host_badge(labels: Any, result: str) -> Markup:
    return Markup(f'<span class="co-host co-host--{html_text(result)}">{html_text(labels.host_result(result))}</span>')


def playbook_ref(name: str, link: Callable[[str], str], playbooks: set[str]) -> Markup:
    """The playbook's name, linked to its page when it has one."""
    code = f"<code>{html_text(name)}</code>"
    if name not in playbooks:
        return Markup(code)
    return Markup(f'<a href="{html_text(link("playbooks/" + name.rsplit(".", 1)[0] + ".md"))}">{code}</a>')


def variable_rows(variables: dict[str, Any]) -> list[tuple[str, str]]:
    """A step's variables as (name, value) rows a reader can scan: lists joined, nested values as JSON."""
    rows = []
    for name, value in variables.items():
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dict | list):
            shown = json.dumps(value, ensure_ascii=False, default=str)
        else:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
        rows.append((str(name), shown))
    return rows


def html_page(src_uri: str, template: str, title: str, meta: dict[str, Any] | None = None, **context: Any) -> Page:
    """The page ``src_uri`` rendered to HTML from ``template`` (autoescaped), in the site search unless ``meta``
    says ``search: {exclude: true}``."""
    body = html_environment().get_template(template).render(title=title, **context)
    return Page(src_uri, body, html=True, meta={"title": title, "template": RECORD_TEMPLATE, **(meta or {})})


def linker(start: str, directory_urls: bool) -> Callable[[str], str]:
    """``link(target)``: the href from page ``start`` to the page or file ``target``."""
    return lambda target: href(target, start, directory_urls)


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The URL mkdocs gives the page ``src_uri`` (relative to the site root)."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def href(target: str, start: str, directory_urls: bool) -> str:
    """A link for raw HTML (which mkdocs does not rewrite) from page ``start`` to page or file ``target``."""
    target_url, start_url = page_url(target, directory_urls), page_url(start, directory_urls)
    base = start_url if start_url.endswith("/") or not start_url else posixpath.dirname(start_url) + "/"
    link = _relative(target_url, base)
    link = link + "/" if (not target_url or target_url.endswith("/")) and not link.endswith("/") else link
    return relative_link(link)


def _relative(target: str, base_dir: str) -> str:
    """``posixpath.relpath`` for the site's relative URLs, without its filesystem calls (cwd, abspath)."""
    to, start = [p for p in target.split("/") if p], [p for p in base_dir.split("/") if p]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
