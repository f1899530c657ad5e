"""Who may not approve a change: the people it is their own change for, decided by id.

The requester, the change's engineers, and the author or committer of any commit that touched
the record or a file of its plan (mapped to people by e-mail address). Names are never compared:
one person has many spellings, and anyone can type anyone's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from changeops import git as gitops
from changeops.errors import UsageError
from changeops.estate.layout import Estate
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase

if TYPE_CHECKING:
    import git


def own_people(estate: Estate, change: ChangeBase, record: Path, plan_files: list[str], policies: Policies,
               *, base: str | None) -> dict[str, str]:
    """``person id: why`` for everyone whose own change this is."""
    own = {change.requested_by: "requested this change"}
    for engineer in change.engineers:
        own.setdefault(engineer, "carries out this change")
    for address in _committers(estate, record, plan_files, base):
        person = policies.person_by_email(address)
        if person is not None:
            own.setdefault(person.id, f"authored or committed the record or its plan ({address})")
    return own


def _committers(estate: Estate, record: Path, plan_files: list[str], base: str | None) -> set[str]:
    """Addresses of every commit of the record (all history) and of the plan's files since ``base``."""
    try:
        repo = gitops.open_repo(estate.root)
    except UsageError:
        return set()
    folder = estate.relative(record.parent)
    record_paths = [folder, f":(exclude){folder}/approvals", f":(exclude){folder}/runs"]
    addresses = gitops.commit_identities(repo, record_paths)
    since = _since(repo, base)
    if since is not None:
        addresses |= gitops.commit_identities(repo, plan_files, since=since)
    return addresses


def _since(repo: git.Repo, base: str | None) -> git.Commit | None:
    name = base or ("main" if "main" in [h.name for h in repo.heads] else None)
    if name is None:
        return None
    try:
        return gitops.merge_base(repo, gitops.resolve(repo, name), repo.head.commit)
    except (UsageError, ValueError):
        return None
