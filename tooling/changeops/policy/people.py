"""People in records: ``requested_by`` and ``engineers`` name people of ``policies/approvers.yml`` by id.

A free-text name cannot be compared (``Li Haitao``, ``李海涛``, ``Haitao Li`` are one person), so
self-approval could not be decided; an id can. Display names are read through ``display_name``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.policy.files import PERSON_ID, Person, Policies, person_id_problem
from changeops.records.fields import text_in
from changeops.records.model import ChangeBase


def check_people(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    """Every person reference of the record that is not the id of a listed person."""
    references: list[tuple[tuple[Any, ...], str]] = [(("requested_by",), change.requested_by)]
    references += [(("engineers", index), value) for index, value in enumerate(change.engineers)]
    for path, value in references:
        if ctx.policies.person(value) is None:
            yield _unknown(path, value, ctx.policies)


def _unknown(path: tuple[Any, ...], value: str, policies: Policies) -> PolicyIssue:
    field_name = path[0] if len(path) == 1 else f"{path[0]}[{path[1]}]"
    if not PERSON_ID.fullmatch(value):
        message = f"`{field_name}` is {value!r}, not a person id: {person_id_problem(value)}"
    else:
        message = f"`{field_name}` names {value}, who is not listed in policies/approvers.yml"
    close = close_ids(value, policies)
    hint = (f"did you mean {' or '.join(close)}? " if close else "") + \
        "write the person's id from policies/approvers.yml (add them under `people` if they are new)"
    return PolicyIssue("person-unknown", path, message, hint)


def close_ids(value: str, policies: Policies, limit: int = 3) -> list[str]:
    """Ids of people whose id or a display name is close to ``value``."""
    wanted = value.casefold()
    scored: dict[str, float] = {}
    for person in policies.everyone():
        for label in (person.id, *_names(person)):
            ratio = difflib.SequenceMatcher(None, wanted, label.casefold()).ratio()
            if label.casefold() in wanted and len(label) > 1:
                ratio = max(ratio, 0.9)  # "李海涛 (network engineer)" contains 李海涛
            scored[person.id] = max(scored.get(person.id, 0.0), ratio)
    ranked = sorted((id_ for id_, ratio in scored.items() if ratio >= 0.6), key=lambda i: -scored[i])
    return ranked[:limit]


def _names(person: Person) -> list[str]:
    name = person.name
    if isinstance(name, str):
        return [name]
    return [n for n in (name.zh, name.en) if n]


def display_name(person_id: str, policies: Policies | None, language: str = "zh") -> str:
    """How a person is shown on the site and in documents: ``李海涛 (Li Haitao)``; the id when unknown."""
    person = policies.person(person_id) if policies is not None else None
    if person is None:
        return person_id
    if isinstance(person.name, str):
        return person.name
    first, second = text_in(person.name, language), text_in(person.name, "en" if language == "zh" else "zh")
    return first if first == second else f"{first} ({second})"
