"""The plan digest: what an approval covers, and what a run executes.

It is the digest of the sealed bundle's manifest (:mod:`changeops.bundle`): the record,
every playbook file its steps load (resolved statically the way Ansible searches), the
inventory files chosen for its targets and the generated inventory. ``digest``,
``approve``, ``approvals``, ``check`` and ``run`` all compute it through
:func:`plan_digest`, from a folder (an approver's work tree, a pull request's checkout)
or a commit (the trusted ref a run executes), and the two agree for the same content. A
reference that cannot be resolved statically is a finding: such a plan cannot be
approved, and cannot run.
"""

from __future__ import annotations

from dataclasses import dataclass

from changeops.bundle import TreeSource, WorkTree, resolve_plan
from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity


@dataclass(frozen=True)
class PlanDigest:
    """The digest, the files it covers, and why the plan cannot be sealed (if it cannot)."""

    value: str
    files: tuple[str, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def sealed(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


def plan_digest(estate: Estate, change_id: str, *, source: TreeSource | None = None) -> PlanDigest:
    """The digest of ``change_id``'s plan as ``source`` holds it (default: the estate's folder)."""
    resolution = resolve_plan(source or WorkTree(estate.root), change_id)
    manifest = resolution.manifest
    return PlanDigest(resolution.digest, tuple(manifest.paths), tuple(resolution.findings))
