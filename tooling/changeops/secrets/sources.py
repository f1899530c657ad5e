"""Where secret values come from besides names that look secret: vault leaves, ``no_log``
arguments, the environment.

A vault protects a whole file or value, whatever its keys are called (``tacacs_key``,
``peer``), so every scalar under it is a secret. A ``no_log`` task says its arguments are
secret: its ``{{ name }}`` references are resolved through the values the inventory and vars
files give ``name`` (a literal argument is written in the playbook, which is in git already;
masking it everywhere would only blank ordinary words such as ``present``). Credentials in
the environment are every ``CHANGEOPS_NET_*`` / ``CHANGEOPS_LINUX_*`` variable but the ones
naming a user, host or port.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

CREDENTIAL_PREFIXES = ("CHANGEOPS_NET_", "CHANGEOPS_LINUX_")
NOT_SECRET_SUFFIXES = ("_USER", "_USERNAME", "_HOST", "_PORT")
TASK_META = {"name", "no_log", "when", "tags", "register", "loop", "loop_control", "delegate_to", "become",
             "ignore_errors", "changed_when", "failed_when", "notify", "run_once", "until", "retries", "delay"}
REFERENCE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*(?:\|[^}]*)?\}\}")
TRUE = (True, "yes", "true", "True", "on")


def leaves(data: Any) -> Iterator[str]:
    """Every scalar in ``data`` (numbers as text, booleans and nulls left out)."""
    if isinstance(data, dict):
        for value in data.values():
            yield from leaves(value)
    elif isinstance(data, list):
        for value in data:
            yield from leaves(value)
    elif isinstance(data, (str, int, float)) and not isinstance(data, bool):
        yield str(data)


def variables(data: Any, into: dict[str, list[str]]) -> None:
    """Record the scalar value of every key in ``data`` (inventory and vars files) by name."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                into.setdefault(key, []).append(str(value))
            variables(value, into)
    elif isinstance(data, list):
        for value in data:
            variables(value, into)


def no_log_arguments(play: Any, known: dict[str, list[str]]) -> Iterator[str]:
    """The values of every ``no_log`` task's arguments in a playbook (references resolved through ``known``)."""
    if isinstance(play, list):
        for item in play:
            yield from no_log_arguments(item, known)
        return
    if not isinstance(play, dict):
        return
    if play.get("no_log") in TRUE:
        for key, value in play.items():
            if key not in TASK_META:
                yield from _resolved(leaves(value), known)
    for value in play.values():
        if isinstance(value, (list, dict)):
            yield from no_log_arguments(value, known)


def _resolved(texts: Iterable[str], known: dict[str, list[str]]) -> Iterator[str]:
    for text in texts:
        for name in REFERENCE.findall(text):
            yield from known.get(name, [])


def environment_credentials(env: dict[str, str]) -> list[str]:
    """Names of the environment variables holding credentials for devices and hosts."""
    return sorted(name for name in env if name.startswith(CREDENTIAL_PREFIXES)
                  and not name.endswith(NOT_SECRET_SUFFIXES))
