"""What a running change shows: the stage and each host's state, live on a terminal, one line per stage otherwise."""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.table import Table

from changeops.execute.events import EventKind, HostEvent
from changeops.execute.executor import StageResult

STYLE = {"ok": "green", "failed": "red", "unreachable": "red", "skipped": "dim", "running": "yellow"}


class Progress:
    """A run observer that renders stages and host states (live on a terminal)."""

    def __init__(self, console: Console | None = None, *, live: bool | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.live_enabled = self.console.is_terminal if live is None else live
        self.stage = ""
        self.hosts: dict[str, str] = {}
        self.tasks: dict[str, str] = {}
        self._live: Live | None = None

    def stage_started(self, name: str, playbook: str, hosts: list[str]) -> None:
        self.stage = name
        self.hosts = {host: "running" for host in hosts}
        self.tasks = {}
        if self.live_enabled and self._live is None:
            self._live = Live(self._table(), console=self.console, refresh_per_second=4, transient=True)
            self._live.start()
        self._refresh()

    def host_event(self, event: HostEvent) -> None:
        if event.host and event.kind is EventKind.TASK_START:
            self.tasks[event.host] = event.task
            self._refresh()

    def stage_finished(self, result: StageResult) -> None:
        self.hosts = {host: outcome.value for host, outcome in result.hosts.items()}
        self._refresh()
        states = ", ".join(f"{h} {s}" for h, s in sorted(self.hosts.items()))
        self.console.print(f"{result.name}: {states or 'no hosts'}", markup=False)

    def note(self, text: str) -> None:
        self.console.print(text, markup=False)

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._table())

    def _table(self) -> Table:
        table = Table("host", "state", "task", title=f"stage: {self.stage}", title_justify="left")
        for host, state in sorted(self.hosts.items()):
            table.add_row(host, f"[{STYLE.get(state, '')}]{state}[/]", self.tasks.get(host, ""))
        return table
