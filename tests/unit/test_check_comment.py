"""The pull-request comment of `changeops check` (render.check_markdown), read as GitHub would (CommonMark
with tables): whatever a record holds, the comment's structure is the template's, and it shows the whole plan."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from changeops.approvals.status import ApprovalItem, ApprovalStatus
from changeops.findings import Finding, Report, Severity
from changeops.gate.check import ChangeReview, CheckOutcome, missing_approvals
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from changeops.records.model import ChangeBase, parse_change
from changeops.records.notice_text import notice_text, window_text
from changeops.render import check_markdown
from changeops.yaml12 import load
from markdown_it import MarkdownIt
from markdown_it.token import Token

REPO = Path(__file__).resolve().parents[2]
PATCH = "CHG-20261208-core-smu-snmp"
FILE = f"changes/{PATCH}/change.yaml"
FORGED_ROW = "| approvals | ✅ quorum met |"
TITLE = (f"SNMP fix\n{FORGED_ROW}\n### Approved by everyone\n[merge me](https://evil.example) "
         "![x](https://evil.example/p.png) <https://evil.example> @admin <!-- ")
HOSTILE_VAR = "```\n</details><!-- [x](javascript:alert(1)) | a |\n# h"
GITHUB = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def hostile_change() -> ChangeBase:
    data: dict[str, Any] = load((REPO / FILE).read_bytes()).data
    data["title"] = {"zh": "补丁 <!--", "en": TITLE}
    data["risk"]["description"] = {"en": "risky\n## Heading from risk\n<img src=x onerror=alert(1)>"}
    data["impact"]["summary"] = {"en": "none | at all |\n- list item"}
    data["engineers"] = ["Li <li@example.cn> [x](javascript:alert(1))"]
    data["implementation"]["description"] = "install `it` **now** <script>alert(1)</script>"
    data["implementation"]["vars"]["note"] = HOSTILE_VAR
    data["rollback"]["description"] = {"en": "deactivate\n\n<!-- hidden\n| x |"}
    return parse_change(data)


def outcome_of(change: ChangeBase) -> tuple[CheckOutcome, ChangeReview]:
    policies = read_policies(DirectorySource(REPO / "policies"))
    rejection = ApprovalItem("approvals/bob.yaml", "bob", "reject", None, "rejected",
                             "no | way |\n# nope <!-- ", "customer")
    status = ApprovalStatus(PATCH, "sha256:" + "0" * 64, [FILE], [rejection], met=False,
                            reasons=["rejected by bob: no | way |"])
    zone = ZoneInfo("Asia/Shanghai")
    finding = Finding(FILE, 1, 1, "approval-quorum", Severity.ERROR, "not approved <!-- ", "approve it")
    review = ChangeReview(FILE, change, ("sy-dc1-core-r1", "sy-dc1-core-r2"), window_text(change, zone),
                          notice_text(change, "LNPDN", zone, "en"), (finding,), status,
                          missing_approvals(policies, change, status))
    return CheckOutcome("main (abc1234)", "working tree", Report(1, (finding,)), [review], []), review


@pytest.fixture(scope="module")
def comment() -> tuple[str, list[Token], ChangeReview]:
    outcome, review = outcome_of(hostile_change())
    text = check_markdown(outcome)
    return text, GITHUB.parse(text), review


def walk(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        found.append(token)
        found.extend(walk(token.children or []))
    return found


def cells(tokens: list[Token]) -> list[list[str]]:
    """The rows of every table, as the inline text of their cells."""
    rows: list[list[str]] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and i and tokens[i - 1].type in ("td_open", "th_open"):
            rows[-1].append(token.content)
    return rows


def test_hostile_text_adds_no_heading_link_image_or_comment(comment: tuple[str, list[Token], ChangeReview]) -> None:
    text, tokens, _ = comment
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 5 and headings[2:] == ["Steps", "Rollback plan", "Approvals"]
    everything = walk(tokens)
    assert not [t for t in everything if t.type in ("link_open", "image")]
    raw_html = [t.content.strip() for t in everything if t.type in ("html_block", "html_inline")]
    assert set(raw_html) <= {"<br>", "<code>", "</code>", "<details><summary>Notice the customer receives</summary>",
                             "</details>"}
    assert "<!--" not in GITHUB.render(text)
    assert not [t for t in tokens if t.type == "inline" and "@admin" in t.content]  # no mention outside code


def test_hostile_text_adds_no_table_row(comment: tuple[str, list[Token], ChangeReview]) -> None:
    _, tokens, _ = comment
    rows = cells(tokens)
    assert [row[0] for row in rows].count("approvals") == 1
    assert ["approvals", "❌ quorum not met"] in rows
    assert all(len(row) in (2, 5) for row in rows)
    approvals = [row for row in rows if len(row) == 5]
    assert len(approvals) == 2 and approvals[1][:4] == ["bob", "customer", "reject", "rejected"]


def test_nothing_after_an_unclosed_comment_is_hidden(comment: tuple[str, list[Token], ChangeReview]) -> None:
    text, _, _ = comment
    shown = unescape(GITHUB.render(text))
    for expected in ("SNMP fix", FORGED_ROW, "### Approved by everyone", "[merge me](https://evil.example)",
                     "<!--", "deactivate", "approve it", "not approved", "sy-dc1-core-r2"):
        assert expected in shown
    assert shown.rstrip().endswith("</ul>")


def test_every_step_shows_its_playbook_and_exact_vars(comment: tuple[str, list[Token], ChangeReview]) -> None:
    text, tokens, review = comment
    assert review.change is not None
    fences = [t for t in tokens if t.type == "fence"]
    shown_vars = [json.loads(t.content) for t in fences if t.info == "json"]
    assert shown_vars == [step.vars for step in review.change.steps().values() if step.vars]
    assert HOSTILE_VAR in [v.get("note") for v in shown_vars]
    assert [t.content.rstrip("\n") for t in fences if t.info == "text"] == [review.notice]
    for step in review.change.steps().values():
        assert f"<code>{step.playbook}</code>" in text


def test_comment_shows_window_risk_impact_rollback_and_who_may_still_approve(
        comment: tuple[str, list[Token], ChangeReview]) -> None:
    text, _, _ = comment
    shown = unescape(GITHUB.render(text))
    assert "2026-12-08 00:30 – 2026-12-08 04:30 (Asia/Shanghai)" in shown
    assert "risky\n## Heading from risk" in shown.replace("<br>", "\n").replace("<br />", "\n")
    assert "none | at all |" in shown and "deactivate" in shown
    assert "provider approval: 0 of 1 valid; may approve: lihaitao" in shown
    assert "customer approval: 0 of 1 valid; may approve:" in shown and "chenjing" in shown
    assert "rejected by bob: no | way |" in shown


def test_an_unreadable_record_is_named_by_its_path_as_text() -> None:
    file = "changes/CHG-20261208-x <!-- [a](https://evil.example)\n# h/change.yaml"
    finding = Finding(file, 3, 1, "yaml-syntax", Severity.ERROR, "bad <b>yaml</b>", "fix it")
    outcome = CheckOutcome("main (abc1234)", "working tree", Report(1, (finding,)),
                           [ChangeReview(file, None, (), "", "", (finding,))], [])
    tokens = GITHUB.parse(check_markdown(outcome))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 2 and not [t for t in walk(tokens) if t.type in ("link_open", "html_block")]
    assert "changes/CHG-20261208-x <!-- [a](https://evil.example)" in unescape(GITHUB.render(headings[1]))
    assert "bad <b>yaml</b>" in unescape(GITHUB.render(check_markdown(outcome)))
