"""Render reports as text for people, JSON for tools, and annotations for GitHub Actions."""

from __future__ import annotations

import json
from collections import Counter
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.markup import escape

from changeops.findings import Report, Severity


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    MARKDOWN = "markdown"


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_report(report: Report, fmt: Format, console: Console) -> None:
    if fmt is Format.JSON:  # for tools: written as is, never wrapped or styled
        console.file.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.GITHUB:
        console.file.write("".join(line + "\n" for line in github_annotations(report)))
    else:
        _text(report, console)


def _text(report: Report, console: Console) -> None:
    for f in report.findings:
        console.print(f"[bold]{escape(f.file)}[/]:{f.line}:{f.column}: [{_STYLE[f.severity]}]{f.severity.value}[/] "
                      f"[dim]\\[{f.rule}][/] {escape(f.message)}")
        console.print(f"    [green]hint:[/] {escape(f.hint)}")
    counts = Counter(f.severity for f in report.findings)
    summary = ", ".join(f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s])
    verdict = "[bold green]valid[/]" if report.clean else "[bold red]invalid[/]"
    console.print(f"checked {report.checked} file{'s' if report.checked != 1 else ''}: {verdict}"
                  + (f" ({summary})" if summary else ""))


def github_annotations(report: Report) -> list[str]:
    """Workflow commands: ``::error file=…,line=…,col=…,title=…::message``."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    return [
        f"::{level[f.severity]} file={_prop(f.file)},line={f.line},col={f.column},title={_prop(f.rule)}::"
        f"{_data(f.message + ' — hint: ' + f.hint)}"
        for f in report.findings
    ]


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def check_markdown(outcome: Any) -> str:
    """The pull-request comment of a `changeops check` outcome.

    Every value the template prints is escaped as Markdown text (``finalize``), so nothing a person typed can
    add a row, a heading, a link, a mention or a comment; code blocks are the only values printed as they are.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined
    from markupsafe import Markup

    from changeops.records.fields import text_in
    from changeops.text_safety import code_block, markdown_text

    reviewed = {review.file for review in outcome.reviews}
    env = Environment(loader=PackageLoader("changeops", "templates"), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True,
                      finalize=lambda value: value if isinstance(value, Markup) else markdown_text(value))
    env.globals.update(
        text=lambda value: text_in(value, "en"),
        code=lambda text, language="text": Markup(code_block(text, language)),
        vars_text=lambda variables: json.dumps(variables, ensure_ascii=False, indent=2, default=str),
        icon=lambda f: {"error": "❌", "warning": "⚠️", "info": "ℹ️"}[f.severity.value],
        other_findings=lambda o: [f for f in o.report.findings if f.file not in reviewed],
    )
    return env.get_template("check.md.j2").render(outcome=outcome).strip() + "\n"
