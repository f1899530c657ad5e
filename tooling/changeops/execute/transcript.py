"""Per-host command transcripts: time, task, every command sent, every answer received, result.

Network devices: from Ansible's log of the network_cli persistent connections
(``ANSIBLE_LOG_PATH`` with ``ANSIBLE_PERSISTENT_LOG_MESSAGES``). Each device has its own
``ansible-connection`` process, which logs the options it was started with (address and
port: the device) and, in its ``pop_messages`` answers, every ``send command`` and
``response-N`` of the session; those are decoded here, duplicates included. Other hosts
(SSH/Linux): from the runner events (command, stdout, stderr, message).
"""

from __future__ import annotations

import ast
import io
import json
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from changeops.execute.events import EventKind, HostEvent

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) p=(\d+) u=\S* n=\S+ \w+\| ?(.*)$")
OPTIONS = re.compile(r'"method": "set_options".*?"direct": \{"host": "([^"]*)", "port": (\d+|null)')
METHOD = re.compile(r'"method": "(\w+)"')
BOOKKEEPING = {"pop_messages", "set_options", "update_play_context", "set_check_prompt", "get_capabilities",
               "reset", "close"}
LOGGING_FOR = re.compile(r"^Persistent connection logging is enabled for (\S+?)\.? This will")
PROMPT = re.compile(r"(?m)^([A-Za-z0-9][\w.\-]*)[>#]\s*$")
SENT = (re.compile(r"^send command: (b.*)$"), re.compile(r"^matched command prompt answer: (b.*)$"))
RECEIVED = re.compile(r"^response-\d+: (b.*)$")


@dataclass(frozen=True)
class Exchange:
    """One line of a device session: ``>`` sent to the device, ``<`` received from it."""

    time: datetime
    direction: str
    text: str


@dataclass
class TaskOnHost:
    task: str
    start: datetime
    status: str = "started"
    message: str = ""
    no_log: bool = False
    details: list[str] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)


class _PlainUnpickler(pickle.Unpickler):
    """Lists, tuples and strings only: a log line never gets to construct objects."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a connection log")


def session_exchanges(log: Path, endpoints: dict[tuple[str, int], str]) -> dict[str, list[Exchange]]:
    """Every command sent and answer received per inventory host, in order, from an Ansible log file.

    A connection hands its messages over when the *next* task asks for them, so each
    batch is timed by the first working request (run_commands, get_config, ...) after the
    previous hand-over: the time the commands were really sent, within the task that sent them.
    """
    if not log.is_file():
        return {}
    sessions: dict[str, _Session] = {}
    for stamp, pid, message in _entries(log.read_text(encoding="utf-8", errors="replace")):
        session = sessions.setdefault(pid, _Session())
        if message.startswith("jsonrpc request: "):
            session.request(stamp, message)
            continue
        levelled = _messages(message)
        session.receive(stamp, levelled, handed_over=message.startswith("jsonrpc response: ") and bool(levelled))
    by_host: dict[str, list[Exchange]] = {}
    for session in sessions.values():  # a host has one connection process per reset (reloads)
        if session.is_connection and session.exchanges:
            by_host.setdefault(session.owner(endpoints), []).extend(session.exchanges)
    return {host: sorted(items, key=lambda e: e.time) for host, items in by_host.items()}


@dataclass
class _Session:
    """What one ``ansible-connection`` process logged: who it talked to and what was said."""

    address: str | None = None
    port: int | None = None
    is_connection: bool = False
    anchor: datetime | None = None
    exchanges: list[Exchange] = field(default_factory=list)

    def request(self, stamp: datetime, message: str) -> None:
        self.is_connection = True
        options = OPTIONS.search(message)
        if options:
            self.address = options.group(1)
            self.port = int(options.group(2)) if options.group(2) != "null" else 22
        method = METHOD.search(message)
        if method and method.group(1) not in BOOKKEEPING and self.anchor is None:
            self.anchor = stamp

    def receive(self, stamp: datetime, levelled: list[tuple[str, str]], *, handed_over: bool) -> None:
        for level, text in levelled:
            logging_for = LOGGING_FOR.match(text)
            if logging_for:
                self.address = self.address or logging_for.group(1)
            exchange = _exchange(self.anchor or stamp, text) if level == "log" else None
            if exchange is not None:
                self._add(exchange)
        if handed_over:
            self.anchor = None

    def _add(self, exchange: Exchange) -> None:
        """Keep ``exchange``; an answer read in two pieces that split a line is one answer (masked as one)."""
        last = self.exchanges[-1] if self.exchanges else None
        if last is not None and exchange.direction == last.direction == "<" and not last.text.endswith("\n"):
            self.exchanges[-1] = Exchange(last.time, "<", last.text + exchange.text)
        else:
            self.exchanges.append(exchange)

    def owner(self, endpoints: dict[tuple[str, int], str]) -> str:
        """The inventory host: by address and port, else by address and the prompt the device showed."""
        if self.address is not None and self.port is not None and (self.address, self.port) in endpoints:
            return endpoints[self.address, self.port]
        candidates = {host for (address, _), host in endpoints.items() if address == self.address}
        if len(candidates) == 1:
            return candidates.pop()
        for exchange in self.exchanges:
            prompt = PROMPT.search(exchange.text) if exchange.direction == "<" else None
            if prompt and (not candidates or prompt.group(1) in candidates):
                return prompt.group(1)
        return f"{self.address or 'unknown'}:{self.port or '?'}"


def _entries(text: str) -> Iterable[tuple[datetime, str, str]]:
    current: list[Any] | None = None
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            if current:
                yield current[0], current[1], "\n".join(current[2])
            stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").astimezone(UTC)
            current = [stamp, match.group(2), [match.group(3)]]
        elif current:
            current[2].append(line)
    if current:
        yield current[0], current[1], "\n".join(current[2])


def _messages(message: str) -> list[tuple[str, str]]:
    """The session messages in one log entry: a ``pop_messages`` answer, or a message logged at shutdown."""
    if not message.startswith("jsonrpc response: "):
        return [("log", message)]
    try:
        answer = json.loads(message[len("jsonrpc response: "):])
        if answer.get("result_type") != "pickle":
            return []
        raw = answer["result"].encode("utf-8", "surrogateescape")
        result = _PlainUnpickler(io.BytesIO(raw)).load()
    except (ValueError, KeyError, pickle.UnpicklingError, EOFError, UnicodeEncodeError, AttributeError):
        return []
    if not isinstance(result, list):
        return []
    return [(str(m[0]), m[1]) for m in result if isinstance(m, tuple) and len(m) == 2 and isinstance(m[1], str)]


def _exchange(stamp: datetime, text: str) -> Exchange | None:
    for pattern in SENT:
        match = pattern.match(text)
        if match:
            return Exchange(stamp, ">", _bytes_text(match.group(1)).rstrip("\r\n"))
    match = RECEIVED.match(text)
    if match:
        return Exchange(stamp, "<", _bytes_text(match.group(1)).replace("\r", ""))
    return None


def _bytes_text(literal: str) -> str:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def tasks_by_host(events: Iterable[HostEvent]) -> dict[str, list[TaskOnHost]]:
    """Each host's tasks in the order they started, with their final status and message."""
    hosts: dict[str, list[TaskOnHost]] = {}
    for event in events:
        if not event.host:
            continue
        if event.kind is EventKind.TASK_START:
            hosts.setdefault(event.host, []).append(TaskOnHost(event.task, event.created))
        elif event.final:
            _finish(_open_task(hosts.setdefault(event.host, []), event.task, event.created), event)
    return hosts


def _open_task(tasks: list[TaskOnHost], name: str, when: datetime) -> TaskOnHost:
    for task in reversed(tasks):
        if task.task == name and task.status == "started":
            return task
    tasks.append(TaskOnHost(name, when))
    return tasks[-1]


def _finish(task: TaskOnHost, event: HostEvent) -> None:
    res = event.result
    task.status = event.kind.value + (" (changed)" if event.changed and event.kind is EventKind.OK else "")
    if event.ignored and event.kind is EventKind.FAILED:
        task.status += " (ignored)"
    task.no_log = "censored" in res
    task.message = str(res.get("msg") or "")
    for key in ("cmd", "stdout", "stderr"):
        value = res.get(key)
        if value:
            task.details.append(f"{key}: {value if isinstance(value, str) else json.dumps(value)}")


def attach(tasks: list[TaskOnHost], exchanges: list[Exchange]) -> list[Exchange]:
    """Give each exchange to the last task that started before it; those before any task are returned."""
    loose = []
    for exchange in exchanges:
        owner = None
        for task in tasks:
            if task.start <= exchange.time:
                owner = task
        if owner is None:
            loose.append(exchange)
        else:
            owner.exchanges.append(exchange)
    return loose


def render_stage(stage: str, playbook: str, tasks: list[TaskOnHost], loose: list[Exchange]) -> str:
    """The transcript of one stage on one host, as readable text."""
    lines = [f"== {stage}: {playbook}"]
    lines += _exchange_lines(loose)
    for task in tasks:
        lines.append(f"{task.start:%H:%M:%S.%f}"[:-3] + f" TASK [{task.task}]")
        if task.no_log:
            lines.append("   (no_log: commands and answers of this task are not recorded)")
        else:
            lines += _exchange_lines(task.exchanges)
            lines += [f"   {line}" for detail in task.details for line in detail.splitlines()]
        result = f"   RESULT {task.status}"
        lines.append(result + (f": {task.message}" if task.message and not task.no_log else ""))
    return "\n".join(lines) + "\n"


def _exchange_lines(exchanges: list[Exchange]) -> list[str]:
    lines = []
    for exchange in exchanges:
        stamp = f"{exchange.time:%H:%M:%S.%f}"[:-3]
        body = exchange.text.split("\n") or [""]
        lines.append(f"{stamp} {exchange.direction} {body[0]}")
        lines += [f"{' ' * len(stamp)} {exchange.direction} {line}" for line in body[1:]]
    return lines
