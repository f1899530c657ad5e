"""The site test estate with markup, scripts and links in every string a person typed.

Each string gets a payload starting with its own tag (``X001`` ...), so a test can say which field
leaked: a tag whose payload is not shown whole as text means the page turned part of it into markup.
Payloads that run set ``window.__xss`` and open an alert.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo_keys import demo_key
from site_estate import PATCH, site_copy

EMERGENCY = "CHG-20261120-dl-edge-route-fix"
UPGRADE = "CHG-20261210-dl-edge-upgrade"
DRILL = "CHG-20261215-core-failover-drill"
MOVE = "CHG-20261217-acc-sw1-move"
PAST_DRILL = "CHG-20261105-core-r2-failover-drill"
INSPECTION = "CHG-20261224-monthly-inspection"
RECORDS = (PATCH, EMERGENCY, UPGRADE, DRILL, MOVE, PAST_DRILL, INSPECTION)
REPORTS = ("2026-11.yaml", "2026-Q4.yaml")
"""The summaries' files under reports/: delivery, assessment, proposals."""
NAMES = {"engineers", "requested_by", "author", "owner", "trainer", "attendees", "participants", "customer_engineers"}
"""Keys whose values are names (at most 120 characters): they get the short payload."""
HOSTILE_RUNBOOK = "hostile-plan.md"
RUNBOOK_MARK = "RBK"
"""Marks the hostile runbook's own text (its body is Markdown, so its payloads are not shown whole)."""

# Keys whose values the record schema or the estate pins down (identifiers, enums, times, references).
KEPT = {"id", "type", "model", "customer", "targets", "playbook", "checksum", "level", "severity", "result", "channel",
        "runbook", "zone", "start", "end", "sent", "declared", "detected", "restored", "date", "repaired", "reported",
        "change", "written", "submitted", "catalogue", "period"}


def short_payload(tag: str) -> str:
    """At most 120 characters (names have that limit); no quotes, backslashes or line breaks (JSON shows it as is)."""
    return f"{tag}<img src=x onerror=alert(__xss=1)>[a](javascript:alert(__xss=2))<svg onload=alert(__xss=3)><!--{tag}e"


def long_payload(tag: str) -> str:
    """Every kind of markup: tags, a link, an image, attr_list, a table row, a heading, an entity, a comment."""
    return (f"{tag} <img src=x onerror=alert(__xss=1)> [a](javascript:alert(__xss=2)) <svg onload=alert(__xss=3)>"
            f" ![i](javascript:alert(__xss=4)) {{: onclick=alert(__xss=5) }}\n# H{tag}\n| r | &lt;b&gt; |\n"
            f"<iframe src=javascript:alert(__xss=6)></iframe> <script>alert(__xss=7)</script> *e* _u_ `c`"
            f" <!-- {tag}end")


FEED_TRICK = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@changeops\r\nSUMMARY:forged\r\nDTSTART:20261209T000000Z"
"""Ends the event and starts another, if a feed wrote the title by concatenation."""


@dataclass
class Hostile:
    """What was planted: payload by tag, tag by field (``record:path``), and the shown text of each title."""

    root: Path
    language: str
    payloads: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    planted: int = 0

    def plant(self, where: str, value: str, *, short: bool) -> str:
        self.planted += 1
        tag = f"X{self.planted:03d}"
        self.payloads[tag] = short_payload(tag) if short else long_payload(tag)
        self.tags[where] = tag
        return self.payloads[tag]

    def tag(self, where: str) -> str:
        return self.tags[where]


def hostile_copy(target: Path, language: str = "zh") -> Hostile:
    """The site test estate (see site_estate.py) with payloads in every free-text string of every record,
    the emergency change's fault report, a runbook, and a signed rejection whose comment is a payload; the
    customer reads ``language``."""
    site_copy(target, language=None if language == "zh" else language)
    hostile = Hostile(target, language)
    for change_id in RECORDS:
        path = target / "changes" / change_id / "change.yaml"
        data = _load(path)
        _plant_all(hostile, change_id, data, "")
        for key in ("zh", "en"):
            if isinstance(data["title"], dict):
                data["title"][key] += FEED_TRICK
        path.write_text(_as_yaml(data), encoding="utf-8")
    report = target / "changes" / EMERGENCY / "fault-report.yaml"
    data = _load(report)
    _plant_all(hostile, f"{EMERGENCY}/fault-report", data, "")
    # The report names its change's incident ticket (or it is refused): the one planted there.
    data["ticket"] = _load(target / "changes" / EMERGENCY / "change.yaml")["incident"]["ticket"]
    hostile.payloads.pop(hostile.tags.pop(f"{EMERGENCY}/fault-report:ticket"))
    report.write_text(_as_yaml(data), encoding="utf-8")
    _plant_file(hostile, target / "changes" / PAST_DRILL / "drill-report.yaml", f"{PAST_DRILL}/drill-report")
    for name in REPORTS:
        _plant_file(hostile, target / "reports" / name, f"reports/{name}")
    _hostile_runbook(hostile, target)
    _hostile_duty(hostile, target)
    _reject(hostile, target)
    return hostile


def _hostile_duty(hostile: Hostile, target: Path) -> None:
    """Payloads in the duty roster's free text (a roster day's note, an escalation level's role) and in the name
    of the engineer on duty (approvers.yml), which the home page, the calendar and the emergency plans show."""
    path = target / "policies/duty.yml"
    data = _load(path)
    duty = data["customers"]["lnpdn"]
    roster = next(r for r in duty["assurance"] if r["days"][0].get("note"))
    for language in ("zh", "en"):
        roster["days"][0]["note"][language] = hostile.plant(f"duty:note.{language}", "", short=False)
        duty["escalation"][0]["role"][language] = hostile.plant(f"duty:role.{language}", "", short=True)
    path.write_text(_as_yaml(data), encoding="utf-8")
    approvers = target / "policies/approvers.yml"
    name = ", ".join(f'"{language}": "{hostile.plant(f"duty:name.{language}", "", short=True)}"'
                     for language in ("zh", "en"))
    text = approvers.read_text(encoding="utf-8")
    assert "name: {zh: 赵敏, en: Zhao Min}" in text
    approvers.write_text(text.replace("name: {zh: 赵敏, en: Zhao Min}", f"name: {{{name}}}"), encoding="utf-8")
def _plant_file(hostile: Hostile, path: Path, where: str) -> None:
    data = _load(path)
    _plant_all(hostile, where, data, "")
    path.write_text(_as_yaml(data), encoding="utf-8")


def _as_yaml(data: Any) -> str:
    """JSON, which YAML 1.2 reads as it is: no YAML quoting rules to get right for the payloads."""
    return json.dumps(data, ensure_ascii=False, indent=1, default=lambda value: value.isoformat())


def _load(path: Path) -> Any:
    from changeops.yaml12 import load

    return load(path.read_bytes()).data


def _plant_all(hostile: Hostile, record: str, data: Any, path: str) -> None:
    """Replace every string under ``data`` (in place) but the kept keys' values."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in list(items):
        where = f"{path}.{key}" if path else str(key)
        if isinstance(value, str) and key not in KEPT and not _is_time(value):
            short = ".vars." in f".{where}" or bool(NAMES & set(where.split(".")))
            data[key] = hostile.plant(f"{record}:{where}", value, short=short)
        elif isinstance(value, dict | list) and key not in KEPT:
            _plant_all(hostile, record, value, where)


def _is_time(value: str) -> bool:
    return len(value) >= 10 and value[:4].isdigit() and value[4] == "-" and value[7] == "-"


RUNBOOK_BODY = """
# {tag} plan &lt;/title&gt;&lt;script&gt;alert(__xss=20)&lt;/script&gt;

Raw HTML a runbook author wrote: {tag}-text

<script>alert(__xss=21)</script>
<img src=x onerror="alert(__xss=22)">
<iframe src="javascript:alert(__xss=23)"></iframe>
<svg onload="alert(__xss=24)"><circle r="1"/></svg>

[{tag}-js-link](javascript:alert(__xss=25)) and [{tag}-ok-link](https://example.com/a)

<a href="JaVaScRiPt:alert(__xss=26)">{tag}-html-link</a> <a href="java&#x09;script:alert(__xss=27)">{tag}-tab-link</a>

## {tag} <img src=x onerror=alert(__xss=28)> heading

Paragraph with attributes {tag}-attr
{{: onclick="alert(__xss=29)" }}

<details open><summary>{tag}-details</summary><p onmouseover="alert(__xss=30)">{payload}</p></details>
"""
"""Raw HTML, script links and attr_list handlers as a runbook's author could write them."""


def _hostile_runbook(hostile: Hostile, target: Path) -> None:
    title = hostile.plant("runbook:title", "", short=True)
    owner = hostile.plant("runbook:owner", "", short=False)
    who = hostile.plant("runbook:roles.0.who", "", short=False)
    front = {"title": title, "title_zh": title, "kind": "emergency-plan", "customer": "lnpdn", "owner": owner,
             "last_reviewed": "LAST_REVIEWED", "scope": hostile.plant("runbook:scope", "", short=False),
             "playbooks": ["verify.yml"], "objectives": {"rto_minutes": 30, "rpo_minutes": 0},
             "roles": [{"role": "commander", "who": who}]}
    body = RUNBOOK_BODY.format(tag=RUNBOOK_MARK, payload=short_payload(RUNBOOK_MARK))
    # A date, not text: YAML's plain 2026-10-15 (JSON has no way to write one).
    front_matter = json.dumps(front, ensure_ascii=False, indent=1).replace('"LAST_REVIEWED"', "2026-10-15")
    text = "---\n" + front_matter + "\n---\n" + body
    (target / "runbooks" / HOSTILE_RUNBOOK).write_text(text, encoding="utf-8")


def _reject(hostile: Hostile, target: Path) -> None:
    """A signed rejection of the patch whose comment is a payload (the change page shows the comment)."""
    from changeops.cli import main

    comment = hostile.plant(f"{PATCH}:approval-comment", "", short=False)
    key = demo_key("chenjing")
    assert main(["approve", PATCH, "--key", str(key), "--repo", str(target), "--reject", "--comment", comment]) == 0
