"""The commands a run sent to its devices, read from its transcripts (masked as published): the command log
(命令日志文件) a fault report lists for print, beside the link to the full transcripts (2.2.4.2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from changeops.publish.masking import mask_secrets
from changeops.publish.runs import Run

STAGE = re.compile(r"^== (?P<stage>[\w-]+):")
SENT = re.compile(r"^(?:\d\d:\d\d:\d\d\.\d{3}|\*+)?\s*> (?P<command>.*)$")
"""A line the transcript writer marks as sent (``11:05:52.952 > show version``)."""
SENT_PLAIN = re.compile(r"^\s*sent:\s+(?P<command>.*)$")
"""The older ``sent:`` form of a transcript line."""
COMMANDS_SHOWN = 400


@dataclass(frozen=True)
class SentCommand:
    host: str
    stage: str
    command: str


def commands_sent(run: Run) -> list[SentCommand]:
    """Every command the run sent, host by host in transcript order (at most ``COMMANDS_SHOWN``)."""
    found: list[SentCommand] = []
    for host, path in sorted(run.transcripts.items()):
        stage = ""
        for line in mask_secrets(path.read_text(encoding="utf-8", errors="replace")).splitlines():
            if heading := STAGE.match(line):
                stage = heading["stage"]
                continue
            sent = SENT.match(line) or SENT_PLAIN.match(line)
            if sent and sent["command"].strip():
                found.append(SentCommand(host, stage, sent["command"].rstrip()))
                if len(found) >= COMMANDS_SHOWN:
                    return found
    return found
