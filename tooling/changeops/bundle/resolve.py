"""A change's plan, resolved: the record, every step's playbook closure, the targets' inventory.

This is the one function that says what a plan is. Its manifest's digest is what an approval
signs and what a run verifies; what it does not list cannot reach Ansible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from changeops.bundle.closure import Closure, special_folder
from changeops.bundle.manifest import Manifest, ManifestEntry
from changeops.bundle.source import TreeSource, clean_path
from changeops.bundle.targets import plan_inventory
from changeops.findings import Finding, Severity
from changeops.records.model import ChangeBase, parse_change
from changeops.yaml12 import Document, load

PLAYBOOKS = "playbooks"


@dataclass
class PlanResolution:
    """What a change would run: its manifest, each step's playbook, the hosts, and what could not be resolved."""

    change_id: str
    manifest: Manifest
    findings: list[Finding] = field(default_factory=list)
    steps: dict[str, str] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing stands in the way of sealing the plan (no error findings)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def digest(self) -> str:
        return self.manifest.digest


def record_path(change_id: str) -> str:
    return f"changes/{change_id}/change.yaml"


def resolve_plan(source: TreeSource, change_id: str, *, playbook_source: TreeSource | None = None) -> PlanResolution:
    """Resolve ``change_id``'s plan: the record and inventory from ``source``, the playbooks from
    ``playbook_source`` (default ``source``; a preview passes the trusted ref here)."""
    playbook_side = playbook_source or source
    path = record_path(change_id)
    raw = source.read(path) if clean_path(path) == path else None
    change, doc, findings = _read_record(path, raw)
    if change is None or raw is None:
        return PlanResolution(change_id, Manifest(()), findings)
    closure = Closure(playbook_side)
    steps = {name: _step_playbook(name, step.playbook, closure, doc, path) for name, step in change.steps().items()}
    inventory = plan_inventory(source, list(change.targets), (path, doc))
    files = {**closure.files, path: raw}
    entries = [ManifestEntry.of(p, content) for p, content in files.items()]
    entries += [ManifestEntry.of(p, content) for p, content in inventory.files.items() if p not in files]
    manifest = Manifest(tuple(sorted(entries)), frozenset(inventory.files), inventory.inventory)
    return PlanResolution(change_id, manifest, findings + closure.findings + inventory.findings,
                          {n: p for n, p in steps.items() if p}, inventory.hosts)


def _read_record(path: str, raw: bytes | None) -> tuple[ChangeBase | None, Document, list[Finding]]:
    if raw is None:
        return None, Document(), [Finding(path, 1, 1, "plan-record", Severity.ERROR, f"{path} does not exist",
                                          "check the change ID, or commit the record")]
    doc = load(raw)
    if doc.problem is not None:
        p = doc.problem
        return None, doc, [Finding(path, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)]
    try:
        return parse_change(doc.data), doc, []
    except ValueError:
        return None, doc, [Finding(path, 1, 1, "plan-record", Severity.ERROR, "the record is not a valid change",
                                   "run `changeops validate` for the details")]


def _step_playbook(name: str, playbook: str, closure: Closure, doc: Document, record: str) -> str:
    """The repository path of a step's playbook, added to ``closure`` with all it loads ('' if it cannot be)."""
    path = clean_path(f"{PLAYBOOKS}/{playbook}")
    where = doc.locate((name, "playbook"))
    if path is None or not path.startswith(f"{PLAYBOOKS}/") or closure.source.read(path) is None:
        closure.findings.append(Finding(record, *where, "plan-unresolved", Severity.ERROR,
                                        f"the {name} playbook `{playbook}` is not a file under {PLAYBOOKS}/",
                                        "name a playbook under playbooks/, e.g. backup.yml"))
        return ""
    if (folder := special_folder(path)) is not None:
        closure.findings.append(Finding(record, *where, "plan-special-folder", Severity.ERROR,
                                        f"the {name} playbook {path} is inside `{folder}/`",
                                        "keep playbooks outside the folders Ansible loads by itself"))
        return ""
    closure.add_playbook(path)
    return path
