"""The run record under ``changes/<ID>/runs/<RUN>/``: summary, events, transcripts, backups, drill timings.

Everything goes through the run's :class:`~changeops.execute.redaction.Secrets` before it
is written; the summary is the typed :class:`~changeops.records.run_summary.RunSummary`.
A journal in the repository's state folder (outside the work tree, see
:mod:`changeops.estate.state_dir`) says which process runs, which locks it holds and which
stages it finished, so a run killed at any point can be closed out by the next invocation.
A journal is trusted only when it names this repository's own paths and this machine.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets as random
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from changeops.estate.layout import Estate
from changeops.estate.state_dir import inside
from changeops.estate.state_dir import state_dir as repository_state_dir
from changeops.execute.events import HostEvent
from changeops.execute.redaction import Secrets
from changeops.records.fields import ID_PATTERN
from changeops.records.run_summary import ClockOverride, HostOutcome, RunResult, RunSummary, StageSummary, write_summary
from changeops.records.run_summary import read_summaries as read_change_summaries

RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")


def now_utc() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id(moment: datetime) -> str:
    """Sortable and unique across clones: UTC time plus random hex."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{random.token_hex(3)}"


def state_dir(estate: Estate) -> Path:
    """This repository's state folder (outside the work tree)."""
    return repository_state_dir(estate.root)


@dataclass
class StageEntry:
    name: str
    started: str
    finished: str | None = None
    hosts: dict[str, str] = field(default_factory=dict)

    def summary(self, finished: str) -> StageSummary:
        return StageSummary(name=self.name, started=_time(self.started), finished=_time(self.finished or finished),
                            hosts={h: HostOutcome(o) for h, o in self.hosts.items()})


@dataclass
class Journal:
    """The live state of a run, outside git."""

    run: str
    change: str
    started: str
    pid: int
    machine: str
    process_start: str
    folder: str
    workdir: str
    operator: str
    plan_digest: str | None
    versions: dict[str, str]
    locks: dict[str, str] = field(default_factory=dict)
    stages: list[StageEntry] = field(default_factory=list)
    inventories: list[str] = field(default_factory=list)
    trusted_commit: str | None = None
    clock: dict[str, str] | None = None
    lab: bool = False
    executor: str = "ansible-runner"
    notes: list[str] = field(default_factory=list)
    """What an executor reported beyond the playbook (a node lost mid-stage): kept in the summary."""

    def save(self, estate: Estate) -> None:
        path = journal_path(estate, self.run)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        temporary.replace(path)

    @classmethod
    def read(cls, path: Path) -> Journal:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["stages"] = [StageEntry(**s) for s in data.get("stages", [])]
        return cls(**data)

    def trusted_in(self, estate: Estate, machine: str) -> bool:
        """Whether this journal is one of ours: its IDs well-formed, its paths this repository's, this machine."""
        if not (ID_PATTERN.match(self.change) and RUN_ID.match(self.run)) or self.machine != machine:
            return False
        expected = estate.changes / self.change / "runs" / self.run
        return Path(self.folder) == expected and inside(state_dir(estate), Path(self.workdir))


def journal_path(estate: Estate, run_id: str) -> Path:
    return state_dir(estate) / "active" / f"{run_id}.json"


def journals(estate: Estate) -> list[Path]:
    folder = state_dir(estate) / "active"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


class RunRecord:
    """Writes one run's folder; every text passes the redactor first."""

    def __init__(self, folder: Path, secrets: Secrets) -> None:
        self.folder, self.secrets = folder, secrets
        (folder / "hosts").mkdir(parents=True, exist_ok=True)
        self._events = (folder / "events.jsonl").open("a", encoding="utf-8")

    def event(self, event: HostEvent) -> None:
        """Append one host event (redacted), flushed so a kill keeps it."""
        self._line(event.as_json())

    def marker(self, kind: str, **data: Any) -> None:
        self._line({"event": f"changeops_{kind}", "created": stamp(now_utc()), **data})

    def _line(self, data: dict[str, Any]) -> None:
        self._events.write(json.dumps(self.secrets.redact(data), ensure_ascii=False, default=str) + "\n")
        self._events.flush()

    def transcript(self, host: str, text: str) -> None:
        with (self.folder / "hosts" / f"{host}.log").open("a", encoding="utf-8") as log:
            log.write(self.secrets.redact_text(text))

    def backups(self, originals: Path, hosts: list[str]) -> dict[str, str]:
        """Masked copies of the untouched backups, with each original's sha256 (host -> digest)."""
        target = self.folder / "backups"
        sums: dict[str, str] = {}
        for host in hosts:
            original = originals / f"{host}.cfg"
            if not original.is_file():
                continue
            raw = original.read_bytes()
            sums[host] = hashlib.sha256(raw).hexdigest()
            target.mkdir(exist_ok=True)
            (target / f"{host}.cfg").write_text(self.secrets.redact_text(raw.decode("utf-8", "replace")),
                                                encoding="utf-8")
        if sums:
            lines = [f"{digest}  {host}.cfg (original, before masking)\n" for host, digest in sorted(sums.items())]
            (target / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
        return sums

    def write_yaml(self, name: str, data: dict[str, Any]) -> None:
        text = yaml.safe_dump(self.secrets.redact(data), sort_keys=False, allow_unicode=True, width=120)
        (self.folder / name).write_text(text, encoding="utf-8")

    def summary(self, journal: Journal, *, result: RunResult, finished: datetime,
                notes: tuple[str, ...] = ()) -> RunSummary:
        """Write ``summary.yaml`` (the run contract) from the journal."""
        done = stamp(finished)
        clock = ClockOverride.model_validate(journal.clock) if journal.clock else None
        summary = RunSummary(run=journal.run, change=journal.change, started=_time(journal.started),
                             finished=finished, result=result, stages=tuple(s.summary(done) for s in journal.stages),
                             plan_digest=journal.plan_digest, trusted_commit=journal.trusted_commit,
                             executor=journal.executor, versions=journal.versions, operator=journal.operator,
                             clock=clock, lab=journal.lab, notes=(*journal.notes, *notes))
        write_summary(self.folder, summary)
        return summary

    def close(self) -> None:
        self._events.close()


def read_summaries(estate: Estate, change_id: str) -> list[RunSummary]:
    """The summaries of a change's runs, oldest first."""
    return read_change_summaries(estate.changes / change_id)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def versions() -> dict[str, str]:
    """changeops, ansible-core and the network collections this run used."""
    from importlib import metadata

    found = {}
    for package in ("changeops", "ansible-core", "ansible-runner"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    try:
        import ansible_collections

        root = Path(next(iter(ansible_collections.__path__)))
        for name in ("cisco/ios", "ansible/netcommon", "ansible/utils"):
            manifest = root / name / "MANIFEST.json"
            if manifest.is_file():
                found[name.replace("/", ".")] = json.loads(manifest.read_text())["collection_info"]["version"]
    except (ImportError, StopIteration, OSError, ValueError, KeyError):
        pass
    return found
