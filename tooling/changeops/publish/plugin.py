"""The mkdocs plugin: ``plugins: [changeops]`` in mkdocs.yml turns the estate into pages at build time.

``on_files`` reads the estate once and adds every generated page as a mkdocs
``File``; only index pages go into the navigation (thousands of change pages in
the navigation would make every page carry them). ``on_serve`` watches the
estate so ``mkdocs serve`` rebuilds when a record, policy, runbook or the
inventory changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkdocsPage
from mkdocs.utils.templates import TemplateContext

from changeops.publish.calendar_pages import calendar_pages
from changeops.publish.change_pages import change_indexes, change_pages
from changeops.publish.devices import device_pages
from changeops.publish.documents import document_pages
from changeops.publish.home import home_page
from changeops.publish.html_page import HtmlPage
from changeops.publish.inspection_report import inspection_report_pages, inspections_index
from changeops.publish.labels import LANGUAGES, labels_for
from changeops.publish.rendering import Page
from changeops.publish.runbook_pages import playbook_names, runbook_pages, runbook_uri
from changeops.publish.sanitiser import sanitise, settle_titles, without_empty_headers
from changeops.publish.snapshot import Snapshot, take_snapshot
from changeops.publish.summary import summary_pages

log = logging.getLogger("mkdocs.plugins.changeops")
STYLESHEET = "assets/changeops.css"
WATCHED = ("changes", "policies", "inventory", "runbooks", "playbooks", "reports")


class ChangeopsConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs' __init_subclass__ is untyped
    estate = opt.Optional(opt.Type(str))
    """The estate's root; default: the folder holding mkdocs.yml."""
    customer = opt.Optional(opt.Type(str))
    """Whose language the site's labels use; default: the first customer of policies/customers.yml."""
    today = opt.Optional(opt.Type((str, date)))
    """The day the site treats as today (YYYY-MM-DD); default: the build's date."""


class ChangeopsPlugin(BasePlugin[ChangeopsConfig]):  # type: ignore[no-untyped-call]
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._user_nav = config.nav
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        built = None if self.config.today else datetime.now(UTC)
        snap = take_snapshot(self._root(config), self._today(), self.config.customer, built)
        intro = _take_intro(files, snap.language)
        pages = list(generate(snap, intro, config.use_directory_urls, config.site_url))
        for page in pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(_file(config, page))
        files.append(File.generated(config, STYLESHEET, content=_stylesheet()))
        config.nav = self._nav(snap, pages, files)
        log.info("changeops: %d changes, %d generated files, %d invalid records", len(snap.records), len(pages),
                 len(snap.invalid))
        return files

    def on_page_content(self, html: str, *, page: MkdocsPage, config: MkDocsConfig, files: Files) -> str:
        """Pages from Markdown are sanitised (see :mod:`changeops.publish.sanitiser`); every title becomes text.

        Generated HTML pages are autoescaped templates with no HTML a person wrote: they skip the sanitiser.
        """
        settle_titles(page)
        return html if isinstance(page, HtmlPage) else without_empty_headers(sanitise(html))

    @event_priority(-100)  # after the search plugin has indexed the page's head (see HtmlPage)
    def on_page_context(self, context: TemplateContext, *, page: MkdocsPage, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if isinstance(page, HtmlPage):
            page.whole()
        return context

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        theme = PackageLoader("changeops.publish", "templates/theme")
        env.loader = ChoiceLoader([env.loader, theme] if env.loader is not None else [theme])
        return env

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        for folder in WATCHED:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def _root(self, config: MkDocsConfig) -> Path:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return (base / self.config.estate).resolve() if self.config.estate else base.resolve()

    def _today(self) -> date:
        value = self.config.today
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)) if value else date.today()

    def _nav(self, snap: Snapshot, pages: list[Page], files: Files) -> list[Any]:
        """The index pages, then the configured nav or else the hand-written pages."""
        L = labels_for(snap.language)
        runbooks = [p.src_uri for p in pages if p.in_nav and p.src_uri.startswith("runbooks/")
                    and p.src_uri != "runbooks/index.md"]
        generated = [{L.home: "index.md"}, {L.changes: "changes/index.md"}, {L.calendar: "calendar/index.md"},
                     {L.runbooks: ["runbooks/index.md", *runbooks]}, {L.devices: "devices/index.md"},
                     {L.summaries: "summaries/index.md"}, {L.inspection_reports: "inspections/index.md"}]
        if self._user_nav is not None:
            listed = set(_nav_paths(self._user_nav))
            return [entry for entry in generated if not listed & set(_nav_paths([entry]))] + list(self._user_nav)
        known = {p.src_uri for p in pages}
        handwritten = [f.src_uri for f in files.documentation_pages() if f.src_uri not in known]
        return generated + sorted(handwritten)


def generate(snap: Snapshot, intro: str, directory_urls: bool, site_url: str | None = None) -> Iterable[Page]:
    """Every generated page and file of the site."""
    playbooks = playbook_names(snap)
    runbooks = {runbook_uri(snap, rb) for rb, _ in snap.runbooks}
    yield home_page(snap, intro)
    yield from change_indexes(snap, directory_urls)
    yield from change_pages(snap, playbooks, runbooks, directory_urls)
    yield from document_pages(snap, playbooks, runbooks, directory_urls)
    yield from inspection_report_pages(snap, directory_urls)
    yield inspections_index(snap, directory_urls)
    yield from calendar_pages(snap, directory_urls, site_url)
    yield from device_pages(snap, directory_urls)
    yield from runbook_pages(snap, playbooks)
    yield from summary_pages(snap)


def _take_intro(files: Files, language: str) -> str:
    """The hand-written home page's text, which the generated home page starts with: ``index.<language>.md``
    when there is one (``index.zh.md`` on a Chinese site), else ``index.md``."""
    texts = {}
    for name in (f"index.{language}.md", "index.md", *(f"index.{other}.md" for other in LANGUAGES)):
        found = files.get_file_from_path(name)
        if found is not None and found.generated_by is None:
            texts[name] = found.content_string
            files.remove(found)
    return texts.get(f"index.{language}.md", texts.get("index.md", ""))


def _file(config: MkDocsConfig, page: Page) -> File:
    inclusion = InclusionLevel.INCLUDED if page.in_nav or not page.src_uri.endswith(".md") \
        else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, page.src_uri, content=page.content, inclusion=inclusion)
    if page.html:
        HtmlPage(file, config, page.meta or {})  # becomes file.page: mkdocs then skips its Markdown pass
    return file


def _nav_paths(nav: Any) -> Iterable[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


def _stylesheet() -> str:
    return package_files("changeops.publish").joinpath("templates/changeops.css").read_text(encoding="utf-8")
