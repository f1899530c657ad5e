"""`changeops check`: the pull-request gate.

The records a pull request adds or modifies are validated and judged by the policies of
its **base** (read from git, never from the working tree), so a pull request cannot loosen
the rules that judge it. Conflicts are checked against the base's scheduled changes and the
other changes of the pull request.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import git

from changeops import git as gitops
from changeops.approvals.quorum import MissingApprovals, missing_approvals
from changeops.approvals.status import ApprovalStatus, approval_status
from changeops.estate.layout import RECORD_NAME, Estate
from changeops.findings import Finding, Report, Severity, sorted_findings
from changeops.gate import pull_request as gate
from changeops.policy.conflicts import Booking, booking_of
from changeops.policy.duty_checks import duty_findings
from changeops.policy.engine import max_window_days, read_policies
from changeops.policy.files import DirectorySource, Policies
from changeops.records.fields import id_date, text_in
from changeops.records.model import ChangeBase, read_change
from changeops.records.notice_text import notice_text, window_text
from changeops.validation.record_check import Checker
from changeops.validation.validate import Results, across_records, future_notice

RECORD = re.compile(rf"^changes/(?P<id>[^/]+)/{re.escape(RECORD_NAME)}$")


@dataclass(frozen=True)
class ChangeReview:
    """One changed record as the pull-request comment shows it."""

    file: str
    change: ChangeBase | None
    hosts: tuple[str, ...]
    window: str
    notice: str
    findings: tuple[Finding, ...]
    approvals: ApprovalStatus | None = None
    missing: tuple[MissingApprovals, ...] = ()


@dataclass
class CheckOutcome:
    base: str
    head: str
    report: Report
    reviews: list[ChangeReview] = field(default_factory=list)
    policy_edits: list[str] = field(default_factory=list)


def check_pull_request(root: Path, *, base_ref: str, head_ref: str | None, now: datetime | None = None,
                       use_cache: bool = True) -> CheckOutcome:
    """Check the records changed between ``base_ref`` and ``head_ref`` (default: the working tree)."""
    repo = gitops.open_repo(root)
    base = gitops.resolve(repo, base_ref)
    head = gitops.resolve(repo, head_ref) if head_ref else None
    since = gitops.merge_base(repo, base, head or repo.head.commit)
    changed = gitops.changed_files(since, head)
    policies = read_policies(gitops.GitPolicySource(base, f"base {base_ref} ({gitops.short(base)})"))
    with ExitStack() as stack:
        where = stack.enter_context(gitops.checkout(repo, head)) if head is not None else Path(repo.working_dir)
        outcome = _check_tree(Estate(where), base, changed, policies, now or datetime.now(UTC),
                              use_cache=use_cache and head is None)
        outcome.report = _with(outcome.report, _pull_request_findings(
            where, repo, policies, base=base, since=since, head=head, base_label=base_ref, changed=changed))
    outcome.base = f"{base_ref} ({gitops.short(base)})"
    outcome.head = f"{head_ref} ({gitops.short(head)})" if head is not None else "working tree"
    return outcome


def _pull_request_findings(where: Path, repo: git.Repo, policies: Policies, *, base: git.Commit,
                           since: git.Commit, head: git.Commit | None, base_label: str,
                           changed: list[gitops.ChangedFile]) -> list[Finding]:
    """What the pull request as a whole may not do: unapproved policy edits, mixed judge and records, links."""
    findings = gate.policy_approval_findings(where, repo, policies, base=base, since=since, head=head,
                                             base_label=base_label)
    findings += gate.mixed_findings(changed)
    return findings + gate.tree_symlink_findings(where, head)


def _with(report: Report, more: list[Finding]) -> Report:
    return Report(report.checked, tuple(sorted_findings([*report.findings, *more])))


def _check_tree(estate: Estate, base: git.Commit, changed: list[gitops.ChangedFile], policies: Policies,
                now: datetime, *, use_cache: bool) -> CheckOutcome:
    from changeops.validation import cache as result_cache

    records = _changed_records(estate, changed)
    checker = Checker(estate, policies, now)
    store = result_cache.open_cache(estate, policies.digest) if use_cache else None
    results = Results(checker, store)
    findings = _policy_findings(estate, policies, changed)
    findings += _ids_on_base(estate, base, changed)
    scheduled = _base_bookings(checker, base, records, {p.parent.name for p in records})
    findings += across_records(results, records, estate.record_files(), label="this pull request",
                               others=scheduled)
    for path in records:
        findings += results.of(path).findings
        findings += future_notice(checker, path)
    if store is not None:
        store.save()
    changes = {path: read_change(path.read_bytes()) for path in records}
    statuses = {path: _approvals(checker, path, change, base.hexsha) for path, change in changes.items()}
    findings += [f for path, status in statuses.items() for f in _quorum_findings(checker, path, status)]
    findings += _stale_by_this_change(checker, changed, set(records))
    findings = list(sorted_findings(findings))
    reviews = [_review(checker, path, changes[path], findings, statuses[path]) for path in records]
    edits = sorted(c.path for c in changed if c.path.startswith("policies/"))
    return CheckOutcome("", "", Report(len(records), tuple(findings)), reviews, edits)


CHANGE_FILE = re.compile(r"^changes/(?P<id>[^/]+)/(?!runs/)")


def _changed_records(estate: Estate, changed: list[gitops.ChangedFile]) -> list[Path]:
    """Records the pull request adds or edits, or whose approvals or fault report it adds or edits."""
    ids = {m["id"] for c in changed if (m := CHANGE_FILE.match(c.path))}
    return [path for name in sorted(ids) if (path := estate.changes / name / RECORD_NAME).is_file()]


def _policy_findings(estate: Estate, policies: Policies, changed: list[gitops.ChangedFile]) -> list[Finding]:
    """Base policies that cannot be read; and, for a pull request editing policies, what that means: the edited
    files' own findings, and the duty roster's problems the edit brings (a gap in the rotation, a freeze
    without a roster, a person who is gone), whichever file it edits."""
    findings = [f for f in policies.findings if f.severity is Severity.ERROR]
    if any(c.path.startswith("policies/") for c in changed):
        edits = [c.path for c in changed if c.path.startswith("policies/") and c.status != "D"]
        proposed = read_policies(DirectorySource(estate.policies))
        findings += [f for f in proposed.findings if f.file in edits]
        already = {(f.file, f.rule, f.message) for f in duty_findings(policies)}
        findings += [f for f in duty_findings(proposed) if (f.file, f.rule, f.message) not in already]
    return findings


def _ids_on_base(estate: Estate, base: git.Commit, changed: list[gitops.ChangedFile]) -> list[Finding]:
    """A record added here whose ID the base already holds (another pull request merged it first)."""
    on_base = gitops.folder_names(base, "changes")
    findings = []
    for item in changed:
        match = RECORD.match(item.path)
        if item.status == "A" and match and match["id"] in on_base:
            findings.append(Finding(item.path, 1, 1, "id-exists-on-base", Severity.ERROR,
                                    f"{match['id']} already exists on the base branch",
                                    "choose another slug for this change's ID and rename its folder"))
    return findings


def _base_bookings(checker: Checker, base: git.Commit, records: list[Path], mine: set[str]) -> list[Booking]:
    """Changes scheduled on the base near the changed records' windows, as the base has them."""
    days = _days_of(records, max_window_days(checker.policies))
    names = sorted(n for n in gitops.folder_names(base, "changes") if n not in mine and id_date(n) in days)
    contents = gitops.read_files(base, [f"changes/{name}/{RECORD_NAME}" for name in names])
    bookings = []
    for raw in contents.values():
        change = read_change(raw) if raw is not None else None
        if change is not None:
            bookings.append(booking_of(change, checker.references.inventory, "base branch"))
    return bookings


def _days_of(records: list[Path], span: int) -> set[date]:
    days = set()
    for path in records:
        day = id_date(path.parent.name)
        if day is not None:
            days |= {day + timedelta(days=offset) for offset in range(-span, span + 1)}
    return days


def _approvals(checker: Checker, path: Path, change: ChangeBase | None,
               base: str | None = None) -> ApprovalStatus | None:
    """The approvals of a changed record, judged by the base's approvers and rules (None for a broken record)."""
    if change is None or change.id != path.parent.name:
        return None
    return approval_status(checker.estate, change.id, policies=checker.policies,
                           inventory=checker.references.inventory, now=checker.now, base=base)


def _quorum_findings(checker: Checker, path: Path, status: ApprovalStatus | None) -> list[Finding]:
    if status is None:
        return []
    if status.met:
        return list(status.plan_findings)
    file = checker.estate.relative(path)
    hint = (f"approvers run `changeops approve {status.change}` on this branch and commit the file; "
            "see `changeops approvals` for each approval's state")
    quorum = [Finding(file, 1, 1, "approval-quorum", Severity.ERROR, f"not approved: {reason}", hint)
              for reason in status.reasons]
    return list(status.plan_findings) + quorum


PLAN_FOLDERS = ("playbooks/", "roles/", "inventory/")


def _stale_by_this_change(checker: Checker, changed: list[gitops.ChangedFile], reviewed: set[Path]) -> list[Finding]:
    """Scheduled changes whose approvals this pull request makes stale by editing files their runs load."""
    edited = {c.path for c in changed if c.path.startswith(PLAN_FOLDERS)}
    if not edited:
        return []
    findings = []
    for path in checker.estate.record_files():
        if path in reviewed or not (path.parent / "approvals").is_dir():
            continue
        status = _approvals(checker, path, read_change(path.read_bytes()))
        if status is None:
            continue
        touched = sorted(edited & set(status.files))
        stale = [a.approver for a in status.approvals if a.state == "stale"]
        if touched and stale:
            findings.append(Finding(
                checker.estate.relative(path), 1, 1, "approval-stale", Severity.WARNING,
                f"this pull request edits {', '.join(touched)}, which {status.change} runs: the approvals of "
                f"{', '.join(stale)} no longer cover its plan",
                f"the change cannot run until it is approved again (`changeops approve {status.change}`)"))
    return findings


def _review(checker: Checker, path: Path, change: ChangeBase | None, findings: list[Finding],
            status: ApprovalStatus | None) -> ChangeReview:
    file = checker.estate.relative(path)
    mine = tuple(f for f in findings if f.file == file)
    if change is None:
        return ChangeReview(file, None, (), "", "", mine)
    customer = checker.policies.customers.get(change.customer)
    zone = ZoneInfo(customer.zone if customer else "UTC")
    language = customer.language if customer else "en"
    name = text_in(customer.name, language) if customer else change.customer
    hosts = tuple(sorted(checker.references.inventory.expand(change.targets)))
    return ChangeReview(file, change, hosts, window_text(change, zone), notice_text(change, name, zone, language),
                        mine, status, missing_approvals(checker.policies, change, status))
