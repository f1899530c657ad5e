"""Runbooks and emergency plans (应急恢复预案) from ``runbooks/``, and the playbooks they use as pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from changeops.estate.runbooks import Runbook
from changeops.findings import Finding
from changeops.publish.change_pages import playbook_uri
from changeops.publish.duty_pages import call_block
from changeops.publish.labels import Labels, labels_for
from changeops.publish.rendering import Page, rel, render, verbatim
from changeops.publish.runbook_layout import headings_in, split_recovery
from changeops.publish.snapshot import Snapshot
from changeops.records.fields import text_in
from changeops.text_safety import markdown_text

REVIEW_DAYS = 365
EMERGENCY_BOOST = 4
"""How much an emergency plan's sections outrank other pages in the site search."""
_PLAYBOOK_LINK = re.compile(r"\]\(((?:\.\./)*playbooks/[^)\s#]+?)\.ya?ml(#[^)\s]*)?\)")
_FIRST_HEADING = re.compile(r"\A\s*(# [^\n]*\n)")


def playbook_names(snap: Snapshot) -> set[str]:
    """Playbooks under ``playbooks/``, relative to it (as change steps name them)."""
    folder = snap.estate.playbooks
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.y*ml") if p.is_file()}


def runbook_uri(snap: Snapshot, runbook: Runbook) -> str:
    return f"runbooks/{runbook.path.relative_to(snap.estate.runbooks).as_posix()}"


def review_overdue(last_reviewed: date, today: date) -> bool:
    """A runbook is due for review when its last review is more than 12 months old."""
    return (today - last_reviewed).days > REVIEW_DAYS


def runbook_pages(snap: Snapshot, playbooks: set[str]) -> Iterator[Page]:
    """The runbooks index, a page per runbook (in the navigation) and a page per playbook (not)."""
    L = labels_for(snap.language)
    used_by: dict[str, list[tuple[str, str]]] = {}
    listed = []
    for runbook, findings in snap.runbooks:
        src = runbook_uri(snap, runbook)
        title = _title(runbook, snap.language)
        listed.append((title, src, runbook))
        for name in runbook.meta.playbooks if runbook.meta else []:
            used_by.setdefault(name, []).append((title, src))
        page = _runbook_page(runbook, findings, src, snap.today, playbooks, L, snap.language)
        yield Page(src, _with_who_to_call(snap, runbook, page), in_nav=True)
    for name in sorted(playbooks):
        src = playbook_uri(name)
        text = (snap.estate.playbooks / name).read_text(encoding="utf-8", errors="replace")
        yield Page(src, render("playbook.md.j2", L=L, name=name, text=verbatim(text), fence=verbatim(_fence(text)),
                               used_by=[(t, rel(u, src)) for t, u in used_by.get(name, [])]))
    yield Page("runbooks/index.md", render("runbooks_index.md.j2", L=L, runbooks=[
        (title, rel(src, "runbooks/index.md"), rb) for title, src, rb in listed],
        playbooks=[(name, rel(playbook_uri(name), "runbooks/index.md")) for name in sorted(playbooks)],
        today=snap.today, overdue=review_overdue, text=lambda t: text_in(t, snap.language)), in_nav=True)


def _title(runbook: Runbook, language: str) -> str:
    if runbook.meta is None:
        return Path(runbook.path).stem
    return runbook.meta.title_zh if language == "zh" and runbook.meta.title_zh else runbook.meta.title


def _runbook_page(runbook: Runbook, findings: list[Finding], src: str, today: date, playbooks: set[str],
                  L: Labels, language: str) -> str:
    body = _PLAYBOOK_LINK.sub(lambda m: _playbook_link(m, playbooks), runbook.body_in(language))
    heading = _FIRST_HEADING.match(body)
    if heading:
        body = body[heading.end():]
    meta = runbook.meta
    emergency = meta is not None and meta.kind == "emergency-plan"
    recovery, body = split_recovery(body, language) if emergency else ("", body)
    header = render("runbook_header.md.j2", L=L, meta=meta, findings=findings, src=src,
                    overdue=meta is not None and review_overdue(meta.last_reviewed, today),
                    scope=text_in(meta.scope, language) if meta else "",
                    playbooks=[(n, rel(playbook_uri(n), src) if n in playbooks else "") for n in
                               (meta.playbooks if meta else [])])
    title = heading.group(1) if heading else f"# {markdown_text(_title(runbook, language))}\n"
    # On call, someone searching "路由器故障" wants the recovery plan before the changes that mention the router.
    front = f"---\nsearch:\n  boost: {EMERGENCY_BOOST}\n---\n" if emergency else ""
    # An emergency plan opens on its recovery steps; what the plan covers and who owns it follow.
    return f"{front}{headings_in(title, language)}\n{headings_in(recovery, language)}{header}\n" \
           f"{headings_in(body, language)}"


def _with_who_to_call(snap: Snapshot, runbook: Runbook, page: str) -> str:
    """An emergency plan's page with who to call (duty engineer now, escalation chain) right under its title."""
    meta = runbook.meta
    if meta is None or meta.kind != "emergency-plan":
        return page
    title = re.search(r"^# [^\n]*\n", page, re.MULTILINE)
    at = title.end() if title else 0
    return f"{page[:at]}\n{call_block(snap, meta.customer, boxed=True)}\n{page[at:]}"


def _playbook_link(match: re.Match[str], playbooks: set[str]) -> str:
    target = match.group(1)
    name = target.split("playbooks/", 1)[1]
    if f"{name}.yml" in playbooks or f"{name}.yaml" in playbooks:
        return f"]({target}.md{match.group(2) or ''})"
    return match.group(0)


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    return "`" * (longest + 1)
