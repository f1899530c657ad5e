"""What the pull-request gate refuses about a pull request as a whole, beyond its records.

- a policy edit without a quorum of signed approvals by the base's policy admins;
- the code or CI that judges (``tooling/``, ``.github/``, ``.gitlab-ci.yml``, ``.ci/``) or the
  policies edited in the same pull request as change records: each needs its own review;
- symbolic links anywhere under ``changes/``, ``policies/``, ``playbooks/``, ``inventory/``.
"""

from __future__ import annotations

from pathlib import Path

import git

from changeops import git as gitops
from changeops.approvals.policy_approval import PolicyDiff, diff_digest, judge_policy_approvals
from changeops.estate.layout import Estate
from changeops.estate.symlinks import GUARDED, symlink_findings, symlinks_in
from changeops.findings import Finding, Severity
from changeops.policy.files import Policies

JUDGE_PATHS = ("tooling/", ".github/", ".gitlab-ci.yml", ".ci/")
POLICIES = "policies/"


def policy_diff(repo: git.Repo, *, base: git.Commit, since: git.Commit, head: git.Commit | None) -> PolicyDiff:
    """The policy files the pull request changes, and their digest (base content → head content)."""
    files = [c.path for c in gitops.changed_files(since, head) if c.path.startswith(POLICIES)]
    before = gitops.read_files(base, files)
    if head is not None:
        after = gitops.read_files(head, files)
    else:
        root = Path(repo.working_dir)
        after = {path: (root / path).read_bytes() if (root / path).is_file() else None for path in files}
    return diff_digest(files, before, after)


def approve_policy_change(root: Path, *, base_ref: str, key: Path, reject: bool = False,
                          comment: str = "") -> Path:
    """Sign the policy diff of the working tree against ``base_ref``, as the base's policy admin holding ``key``."""
    from changeops.approvals.policy_approval import sign_policy_diff
    from changeops.policy.engine import read_policies

    repo = gitops.open_repo(root)
    base = gitops.resolve(repo, base_ref)
    since = gitops.merge_base(repo, base, repo.head.commit)
    policies = read_policies(gitops.GitPolicySource(base, f"base {base_ref} ({gitops.short(base)})"))
    diff = policy_diff(repo, base=base, since=since, head=None)
    return sign_policy_diff(Path(repo.working_dir), diff, key=key, policies=policies, reject=reject, comment=comment)


def pull_request_people(repo: git.Repo, policies: Policies, *, since: git.Commit, head: git.Commit | None) -> set[str]:
    """Ids of the people who authored or committed any commit of the pull request (mapped by e-mail)."""
    addresses = gitops.commit_identities(repo, ["."], since=since, head=head)
    return {person.id for address in addresses if (person := policies.person_by_email(address)) is not None}


def policy_approval_findings(where: Path, repo: git.Repo, policies: Policies, *, base: git.Commit,
                             since: git.Commit, head: git.Commit | None, base_label: str) -> list[Finding]:
    """An error on each edited policy file unless the policy diff carries its quorum of approvals."""
    diff = policy_diff(repo, base=base, since=since, head=head)
    if not diff.files:
        return []
    excluded = pull_request_people(repo, policies, since=since, head=head)
    status = judge_policy_approvals(where, diff, policies, excluded)
    if status.met:
        return []
    settings = policies.rules.policy_changes
    admins = sorted(p.id for p in policies.everyone() if settings.duty in p.duties)
    refused = f"; refused: {'; '.join(status.refused)}" if status.refused else ""
    message = (f"this pull request changes policies; it needs {settings.approvals} signed approvals by people with "
               f"duty {settings.duty} on the base ({', '.join(admins) or 'none defined'}), "
               f"{len(set(status.valid))} valid{refused}")
    hint = (f"policy admins who did not commit to this pull request run `changeops approve-policy --base "
            f"{base_label}` on this branch and commit {diff.folder}/<id>.yaml")
    return [Finding(path, 1, 1, "policy-approval", Severity.ERROR, message, hint) for path in diff.files]


def mixed_findings(changed: list[gitops.ChangedFile]) -> list[Finding]:
    """The judge's code, CI or policies changed in the same pull request as change records."""
    if not any(c.path.startswith("changes/") for c in changed):
        return []
    return [Finding(c.path, 1, 1, "pull-request-mixed", Severity.ERROR,
                    f"{c.path} changes what judges changes (code, CI or policies) in a pull request that also "
                    "changes records: the records would be judged by rules that are not reviewed yet",
                    "split it: the tooling, CI or policy change goes in its own pull request (CODEOWNERS review), "
                    "the change records follow once it is merged")
            for c in changed if c.path.startswith((*JUDGE_PATHS, POLICIES))]


def tree_symlink_findings(where: Path, head: git.Commit | None) -> list[Finding]:
    """Symbolic links in the judged tree: git tree entries of mode 120000, or links in the working tree."""
    if head is not None:
        return symlink_findings(gitops.symlinks(head, GUARDED))
    return symlink_findings(symlinks_in(Estate(where)))
