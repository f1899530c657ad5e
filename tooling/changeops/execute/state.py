"""A change's state, derived from its run records, the running journals and its approvals; never stored."""

from __future__ import annotations

from datetime import datetime

from changeops.estate.layout import Estate
from changeops.estate.record_files import valid_record
from changeops.execute import locks
from changeops.execute.run_record import Journal, journals, now_utc, read_summaries
from changeops.policy.context import utc
from changeops.records.run_summary import RunResult

# The same names, derived the same way, as the published site (publish/labels.py words them).
STATES = ("approved", "scheduled", "unrun", "running", *(r.value for r in RunResult if r is not RunResult.CHECKED))


def change_state(estate: Estate, change_id: str, *, now: datetime | None = None) -> str:
    """running, else the newest run's result, else approved, else scheduled (window ahead) or unrun."""
    if _running(estate, change_id):
        return "running"
    runs = read_summaries(estate, change_id)
    if runs:
        return runs[-1].result.value
    if _approved(estate, change_id, now or now_utc()):
        return "approved"
    change = valid_record(estate, change_id)[1]
    return "scheduled" if utc(change.window.end) > utc(now or now_utc()) else "unrun"


def _running(estate: Estate, change_id: str) -> bool:
    machine = str(locks.me()["machine"])
    for path in journals(estate):
        try:
            journal = Journal.read(path)
        except (OSError, ValueError, TypeError):
            continue
        if journal.change == change_id and journal.trusted_in(estate, machine) \
                and locks.process_alive(journal.pid, journal.process_start):
            return True
    return False


def _approved(estate: Estate, change_id: str, now: datetime) -> bool:
    try:
        from changeops.approvals.status import approval_status
    except ImportError:
        return False
    return approval_status(estate, change_id, now=now).met
