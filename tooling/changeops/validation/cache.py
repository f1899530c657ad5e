"""Remember each record's findings so an unchanged estate validates in a fraction of the cold time.

An entry is reused only while the record's (mtime, size, inode) and the context it was
checked against are unchanged: the inventory, playbook and runbook files, the policies,
and changeops's own checking code. The cache lives in ``.changeops_cache/`` (ignored by
git) and is only an accelerator: if it is unreadable it is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import changeops
from changeops.estate.inventory import inventory_sources
from changeops.estate.layout import Estate
from changeops.findings import Finding

FORMAT = 3


@dataclass(frozen=True)
class RecordResult:
    """What checking one record found, and the facts that checks across records need."""

    findings: tuple[Finding, ...]
    change_id: str | None
    id_at: tuple[int, int] = (1, 1)
    booking: dict[str, Any] | None = None
    window_at: tuple[int, int] = (1, 1)
    report_due: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"findings": [f.as_json() for f in self.findings], "id": self.change_id, "id_at": list(self.id_at),
                "booking": self.booking, "window_at": list(self.window_at), "report_due": self.report_due}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RecordResult:
        return cls(tuple(Finding.from_json(f) for f in data["findings"]), data["id"], tuple(data["id_at"]),
                   data["booking"], tuple(data["window_at"]), data["report_due"])


def _signature(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_mtime_ns, st.st_size, st.st_ino]


COMPANIONS = ("fault-report.yaml", "drill-report.yaml")
"""Files beside a record that its checks read: a change to them invalidates the record's entry."""


def _record_signature(path: Path) -> list[int]:
    record = str(path)
    st = os.stat(record)
    signature = [st.st_mtime_ns, st.st_size, st.st_ino]
    folder = os.path.dirname(record)
    for name in COMPANIONS:
        try:
            st = os.stat(os.path.join(folder, name))
            signature += [st.st_mtime_ns, st.st_size, st.st_ino]
        except FileNotFoundError:
            signature.append(0)
    return signature


def _checking_code(code: Path) -> list[Path]:
    """The modules whose behaviour decides a record's findings."""
    return [*sorted((code / "yaml12").glob("*.py")), code / "findings.py", *sorted((code / "records").glob("*.py")),
            *sorted((code / "estate").glob("*.py")), *sorted((code / "policy").glob("*.py"))]


def fingerprint(estate: Estate, policy_digest: str) -> str:
    """Everything besides the record itself that its findings depend on."""
    digest = hashlib.sha256(f"{FORMAT}:{changeops.__version__}:{policy_digest}".encode())
    sources = [*_checking_code(Path(changeops.__file__).parent), *inventory_sources(estate)]
    for folder in (estate.playbooks, estate.runbooks):
        sources += sorted(folder.rglob("*")) if folder.is_dir() else []
    for path in sources:
        try:
            digest.update(f"{path}:{_signature(path)}\n".encode())
        except OSError:
            digest.update(f"{path}:gone\n".encode())
    return digest.hexdigest()


@dataclass
class ResultCache:
    file: Path
    fingerprint: str
    entries: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False

    def get(self, path: Path) -> RecordResult | None:
        entry = self.entries.get(str(path))
        if entry is None or entry["sig"] != _record_signature(path):
            return None
        return RecordResult.from_json(entry["result"])

    def put(self, path: Path, result: RecordResult) -> None:
        self.entries[str(path)] = {"sig": _record_signature(path), "result": result.as_json()}
        self.dirty = True

    def get_context(self, key: str) -> list[Finding] | None:
        """Findings stored for ``key``, valid as long as the context fingerprint holds."""
        stored = self.entries.get(f"context:{key}")
        return None if stored is None else [Finding.from_json(f) for f in stored]

    def put_context(self, key: str, findings: list[Finding]) -> None:
        self.entries[f"context:{key}"] = [f.as_json() for f in findings]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        self.file.parent.mkdir(exist_ok=True)
        ignore = self.file.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# written by changeops; never commit\n*\n")
        temporary = self.file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"fingerprint": self.fingerprint, "entries": self.entries}))
        os.replace(temporary, self.file)


def open_cache(estate: Estate, policy_digest: str) -> ResultCache:
    """The estate's cache, empty when missing, unreadable or made for another context."""
    file = estate.cache / "validate.json"
    current = fingerprint(estate, policy_digest)
    try:
        stored = json.loads(file.read_text())
    except (OSError, ValueError):
        return ResultCache(file, current)
    if not isinstance(stored, dict) or stored.get("fingerprint") != current:
        return ResultCache(file, current, dirty=True)
    return ResultCache(file, current, stored.get("entries", {}))
