"""A run's captures for the device archive: the backup stage's configuration (before) and one read after.

The ``before`` capture is the backup stage's copy, masked by the run record
(:meth:`~changeops.execute.run_record.RunRecord.backups`). The ``after`` capture is one more
read of the running configuration once the run's last stage is over, by a read-only
playbook that is part of changeops itself (like the installed collections, not of the
estate): one task that saves running-config to the controller and configures nothing.
The hardware parts come from the ``show inventory`` a stage printed (the demo's backup
playbook lists it), kept with the backup stage's capture and, when a later stage printed it
again, with the after capture. Its commands are in the run's events and transcripts like any stage's,
but it is not a stage of the change (it decides nothing). Only devices the backup stage
saved are read again.

Both captures go through the run's redaction before they are written under
``archive/<host>/`` (:mod:`changeops.estate.archive`); the written files are then scanned as
the run folder is, and a hit keeps the archive out of the commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from changeops import git as gitops
from changeops.estate.archive import (
    CAPTURES,
    CONFIGS,
    NewCapture,
    Part,
    Stage,
    archive_root,
    parse_parts,
    read_archive,
    store_capture,
)
from changeops.estate.layout import Estate
from changeops.execute.events import EventKind, HostEvent
from changeops.execute.executor import Executor, StageRequest, StageResult
from changeops.execute.observers import RunObserver
from changeops.execute.record_vars import write_record_vars
from changeops.execute.redaction import Secrets
from changeops.execute.run_record import Journal, RunRecord, now_utc
from changeops.execute.stages import StagePlan, _timeouts
from changeops.secrets.scan import scan_bytes

CAPTURE = "archive-after"
"""The name the after capture's events and transcript lines carry."""
PLAYBOOK_NAME = "changeops-archive-capture.yml"
CAPTURE_PLAYBOOK = """\
# Written by changeops for the device archive: read the running configuration, change nothing.
- name: Read the running configuration for the device archive
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Save running-config to the controller
      cisco.ios.ios_config:
        backup: true
        backup_options:
          dir_path: "{{ backup_dir }}"
          filename: "{{ inventory_hostname }}.cfg"
"""


@dataclass
class InventoryOutput:
    """Observer: the ``show inventory`` text each host printed, per stage."""

    by_stage: dict[str, dict[str, str]] = field(default_factory=dict)

    def stage_started(self, stage: str, playbook: str, hosts: list[str]) -> None:
        return None

    def host_event(self, event: HostEvent) -> None:
        if event.kind is not EventKind.OK or not event.host:
            return
        for command, output in _outputs(event.result):
            if " ".join(command.split()).lower() == "show inventory":
                self.by_stage.setdefault(event.stage, {})[event.host] = output

    def stage_finished(self, result: StageResult) -> None:
        return None


def _outputs(result: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(command, output) of an ``ios_command`` result."""
    invocation = result.get("invocation")
    args = invocation.get("module_args") if isinstance(invocation, dict) else None
    commands = args.get("commands") if isinstance(args, dict) else None
    stdout = result.get("stdout")
    if not isinstance(commands, list) or not isinstance(stdout, list):
        return
    for command, output in zip(commands, stdout, strict=False):
        text = command.get("command") if isinstance(command, dict) else command
        if isinstance(text, str) and isinstance(output, str):
            yield text, output


@dataclass
class RunCaptures:
    """What the pipeline hands over: the run, its record, where the stages ran, who watches."""

    estate: Estate
    plan: StagePlan
    journal: Journal
    record: RunRecord
    observers: list[RunObserver]
    inventory: InventoryOutput


def archive_run(run: RunCaptures, executor: Executor) -> tuple[list[str], list[str]]:
    """Read every backed-up device once more and write both captures; (paths written, notes for the summary).

    Nothing is written under ``archive/`` before the last device command: a run killed while
    reading leaves no untracked file behind to block the next run.
    """
    backups = run.record.folder / "backups"
    hosts = [h for h in run.plan.hosts if (backups / f"{h}.cfg").is_file()]
    if not hosts:
        return [], []
    before = _stage_end(run.journal, "backup")
    after_dir, notes = _read_after(run, executor, hosts)
    moment = now_utc()
    written: list[Path] = []
    for host in hosts:
        text = (backups / f"{host}.cfg").read_text(encoding="utf-8", errors="replace")
        written += _store(run, host, text, "before", before, run.inventory.by_stage.get("backup", {}).get(host))
        original = after_dir / f"{host}.cfg"
        if original.is_file():
            text = run.record.secrets.redact_text(original.read_bytes().decode("utf-8", "replace"))
            written += _store(run, host, text, "after", moment, _latest_inventory(run.inventory, host))
    return _scanned(run, written, notes)


def _store(run: RunCaptures, host: str, text: str, stage: Stage, moment: datetime, inventory: str | None) -> list[Path]:
    parts: tuple[Part, ...] = parse_parts(run.record.secrets.redact_text(inventory)) if inventory else ()
    return store_capture(run.estate, NewCapture(host, text, moment, stage, change=run.journal.change,
                                                run=run.journal.run, parts=parts))


def _latest_inventory(outputs: InventoryOutput, host: str) -> str | None:
    """The ``show inventory`` a stage after the backup printed last (stages are kept in run order)."""
    later = [found[host] for stage, found in outputs.by_stage.items() if stage != "backup" and host in found]
    return later[-1] if later else None


def _stage_end(journal: Journal, name: str) -> datetime:
    entry = next((s for s in journal.stages if s.name == name and s.finished), None)
    return datetime.fromisoformat(entry.finished.replace("Z", "+00:00")) if entry and entry.finished else now_utc()


def _read_after(run: RunCaptures, executor: Executor, hosts: list[str]) -> tuple[Path, list[str]]:
    """Run the capture playbook on ``hosts``; the folder of the saved configurations, and notes on failures."""
    plan = run.plan
    folder = plan.workdir / CAPTURE
    saved = folder / "configs"
    saved.mkdir(parents=True, exist_ok=True)
    playbook = plan.project / PLAYBOOK_NAME
    playbook.write_text(CAPTURE_PLAYBOOK, encoding="utf-8")
    request = StageRequest(name=CAPTURE, playbook=playbook, project=plan.project, inventories=tuple(plan.inventories),
                           record_vars=write_record_vars(folder / "record-vars.yml", {}), targets=tuple(hosts),
                           folder=folder, control_vars={"changeops_run": run.journal.run,
                                                        "changeops_backup_dir": str(saved), "backup_dir": str(saved)},
                           timeout=60 * plan.limits.stage_timeout_minutes,
                           env={**_timeouts(plan.limits), **(plan.env or {})})
    for observer in run.observers:
        observer.stage_started(CAPTURE, PLAYBOOK_NAME, hosts)

    def observe(event: HostEvent) -> None:
        for observer in run.observers:
            observer.host_event(event)

    result = executor.run_stage(request, observe)
    for observer in run.observers:
        observer.stage_finished(result)
    missed = sorted(h for h in hosts if not (saved / f"{h}.cfg").is_file())
    notes = [f"{CAPTURE}: no configuration read after the run from {', '.join(missed)}"] if missed else []
    return saved, notes


def discard_captures(estate: Estate, paths: list[str]) -> None:
    """Remove captures written for a run that will not be committed, and folders they leave empty."""
    for path in (estate.root / p for p in paths):
        path.unlink(missing_ok=True)
        for folder in (path.parent, path.parent.parent):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def left_behind(estate: Estate, run_id: str, secrets: Secrets) -> tuple[list[str], list[str]]:
    """The archive files of a run killed between writing its captures and committing them; (paths, notes).

    Its captures (named by ``run_id``) and the configurations they name go into the interrupted
    record's commit, after the secret scan the run did not reach: on a hit none is kept. A file the
    kill cut short (a configuration no capture names, a capture that does not read) is removed.
    Without this the untracked files would refuse every later run in this clone (a dirty tree).
    """
    root = estate.relative(archive_root(estate))
    listed = gitops.open_repo(estate.root).git.ls_files("--others", "--exclude-standard", "-z", "--", root)
    untracked = {path for path in listed.split("\0") if path}
    kept: list[str] = []
    cut_short: list[str] = []
    for host in sorted({path.split("/")[1] for path in untracked if path.count("/") == 3}):
        archive = read_archive(estate, host)
        named = {capture.config_file for capture in archive.captures}
        mine = [c for c in archive.captures if c.file in untracked and c.data.run == run_id]
        kept += sorted({path for c in mine for path in (c.file, c.config_file) if path in untracked})
        readable = {capture.file for capture in archive.captures}
        for path in sorted(p for p in untracked if p.startswith(f"{root}/{host}/")):
            folder = path.split("/")[2]
            if (folder == CONFIGS and path not in named) or (folder == CAPTURES and path not in readable):
                cut_short.append(path)
    discard_captures(estate, cut_short)
    leaks = sorted(p for p in kept if scan_bytes(p, (estate.root / p).read_bytes(), secrets.known(), secrets.patterns))
    if leaks:
        discard_captures(estate, kept)
        return [], [f"{CAPTURE}: the archive captures were not kept: the secret scan found a secret in "
                    f"{', '.join(leaks)}"]
    return kept, []


def _scanned(run: RunCaptures, written: list[Path], notes: list[str]) -> tuple[list[str], list[str]]:
    """The written files, unless the secret scan finds something in one: then none is kept (fail closed)."""
    known, patterns = run.record.secrets.known(), run.record.secrets.patterns
    leaks = sorted({run.estate.relative(p) for p in written
                    if scan_bytes(p.name, p.read_bytes(), known, patterns)})
    if not leaks:
        return [run.estate.relative(p) for p in written], notes
    discard_captures(run.estate, [run.estate.relative(p) for p in written])
    return [], [*notes, f"{CAPTURE}: the archive captures were not kept: the secret scan found a secret in "
                        f"{', '.join(leaks)}"]
