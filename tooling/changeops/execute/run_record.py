"""The run record under ``changes/<ID>/runs/<RUN>/``: summary, events, transcripts, backups, drill timings.

Everything goes through the run's :class:`~changeops.execute.redaction.Secrets` before it
is written. A journal outside git (``.changeops_state/active/<RUN>.json``) says which
process runs, which locks it holds and which stages it finished, so a run killed at any
point can be closed out by the next invocation.
"""

from __future__ import annotations

import hashlib
import json
import secrets as random
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from changeops.estate.layout import Estate
from changeops.execute.redaction import Secrets

STATE_DIR = ".changeops_state"
RESULTS = ("completed", "failed", "rolled-back", "interrupted")


def now_utc() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id(moment: datetime) -> str:
    """Sortable and unique across clones: UTC time plus random hex."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{random.token_hex(3)}"


def state_dir(estate: Estate) -> Path:
    folder = estate.root / STATE_DIR
    if not folder.is_dir():
        folder.mkdir(parents=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
    return folder


@dataclass
class StageEntry:
    name: str
    started: str
    finished: str | None = None
    hosts: dict[str, str] = field(default_factory=dict)


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


def journal_path(estate: Estate, run_id: str) -> Path:
    return state_dir(estate) / "active" / f"{run_id}.json"


def journals(estate: Estate) -> list[Path]:
    folder = estate.root / STATE_DIR / "active"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


class RunRecord:
    """Writes one run's folder; every text passes the redactor first."""

    def __init__(self, folder: Path, secrets: Secrets) -> None:
        self.folder, self.secrets = folder, secrets
        (folder / "hosts").mkdir(parents=True, exist_ok=True)
        self._events = (folder / "events.jsonl").open("a", encoding="utf-8")

    def event(self, event: dict[str, Any]) -> None:
        """Append one runner event (redacted), flushed so a kill keeps it."""
        self._events.write(json.dumps(self.secrets.redact(event), ensure_ascii=False, default=str) + "\n")
        self._events.flush()

    def marker(self, kind: str, **data: Any) -> None:
        self.event({"event": f"changeops_{kind}", "created": stamp(now_utc()), **data})

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

    def summary(self, journal: Journal, *, result: str, finished: datetime) -> None:
        self.write_yaml("summary.yaml", {
            "run": journal.run, "change": journal.change, "started": journal.started, "finished": stamp(finished),
            "result": result,
            "stages": [{"name": s.name, "started": s.started, "finished": s.finished or stamp(finished),
                        "hosts": dict(s.hosts)} for s in journal.stages],
            "plan_digest": journal.plan_digest, "versions": journal.versions, "operator": journal.operator,
        })

    def close(self) -> None:
        self._events.close()


def read_summaries(estate: Estate, change_id: str) -> list[dict[str, Any]]:
    """The summaries of a change's runs, oldest first."""
    folder = estate.changes / change_id / "runs"
    found = []
    for path in sorted(folder.glob("*/summary.yaml")) if folder.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict):
            found.append(data)
    return found


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
