"""Load one change for `changeops show`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from changeops.authoring.summary import Summary, summarize
from changeops.errors import UsageError
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.estate.record_files import record_file_for
from changeops.records.model import parse_change
from changeops.validation.validate import validate
from changeops.yaml12 import load


def load_summary(estate: Estate, change_id: str, language: str | None = None, *,
                 words_for: Callable[[str], Any] | None = None, state_of: Callable[[], str] | None = None) -> Summary:
    """The summary of ``change_id`` with its findings, in ``language`` or else the customer's.

    ``words_for(language)`` gives the labels to use (the site's, so `show` and the site agree) and
    ``state_of()`` the change's derived state; both come from layers above this one. A record too broken
    to summarize is a usage error.
    """
    path = record_file_for(estate, change_id)
    report = validate(estate, [path])
    doc = load(path.read_bytes())
    try:
        if doc.problem is not None or not isinstance(doc.data, dict):
            raise ValueError("unreadable")
        change = parse_change(doc.data)
    except ValueError:  # pydantic's ValidationError is a ValueError
        first = report.findings[0] if report.findings else None
        where = f" ({first.file}:{first.line}: {first.message})" if first else ""
        raise UsageError(f"{change_id} cannot be summarized until it validates{where}; "
                         f"run: changeops validate {estate.relative(path)}") from None
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource
    from changeops.policy.people import display_name

    policies = read_policies(DirectorySource(estate.policies))
    known = policies.customers.get(change.customer)
    chosen = language or (known.language if known else "en")  # the customer's document language
    people = {who: display_name(who, policies, chosen) for who in (change.requested_by, *change.engineers)}
    return summarize(change, load_inventory(estate), report.findings, chosen, people=people,
                     words=words_for(chosen) if words_for else None, state=state_of() if state_of else None)
