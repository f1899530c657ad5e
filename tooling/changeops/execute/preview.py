"""What makes a playbook unfit for a preview: tasks that leave check mode or run commands on the controller.

``run --check`` promises that nothing changes. Ansible's check mode keeps that promise
only for tasks that honour it: a task with ``check_mode: false`` runs for real, and a task
delegated to the controller that runs a command runs on the runner. A preview refuses
such playbooks, naming the file and line, unless the task is read-only (``show``
commands, assertions, facts). The playbooks previewed are the trusted ref's, so this is
about reviewed code that was not written with previews in mind, not about an attacker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from changeops.findings import Finding, Severity
from changeops.yaml12 import Document, load

TASK_KEYWORDS = frozenset({
    "name", "when", "register", "tags", "vars", "become", "become_user", "become_method", "become_flags",
    "check_mode", "diff", "delegate_to", "delegate_facts", "ignore_errors", "ignore_unreachable", "loop",
    "loop_control", "changed_when", "failed_when", "until", "retries", "delay", "notify", "no_log",
    "environment", "run_once", "block", "rescue", "always", "timeout", "any_errors_fatal", "throttle",
    "connection", "args", "async", "poll", "module_defaults", "collections", "debugger", "listen",
    "remote_user", "port", "local_action", "action",
})
READ_ONLY = frozenset({
    "assert", "debug", "fail", "set_fact", "set_stats", "pause", "wait_for", "wait_for_connection", "stat",
    "ios_facts", "gather_facts", "setup", "include_vars", "meta",
})
CONTROLLER_COMMANDS = frozenset({"command", "shell", "raw", "script", "expect", "pipe"})
CONTROLLER = frozenset({"localhost", "127.0.0.1", "::1"})


def preview_problems(files: dict[str, bytes]) -> list[Finding]:
    """Every task in ``files`` (path -> YAML bytes) that would act for real in a preview."""
    found: list[Finding] = []
    for path, raw in sorted(files.items()):
        doc = load(raw)
        if doc.problem is None:
            found += [_finding(path, doc, where, message) for where, message in _tasks(doc.data, ())]
    return found


def _finding(path: str, doc: Document, where: tuple[Any, ...], message: str) -> Finding:
    line, column = doc.locate(where) if where else (1, 1)
    return Finding(path, line, column, "preview-not-check-mode", Severity.ERROR, message,
                   "skip the task in a preview (`when: not ansible_check_mode`), or make it read-only")


def _tasks(data: Any, where: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _tasks(item, (*where, index))
    elif isinstance(data, dict):
        problem = _task_problem(data)
        if problem is not None:
            yield where, problem
        for key, value in data.items():
            if isinstance(value, list | dict):
                yield from _tasks(value, (*where, key))


def _task_problem(task: dict[str, Any]) -> str | None:
    module = _module(task)
    if module is None:
        return None
    short = module.rsplit(".", 1)[-1]
    if "check_mode" in task and task["check_mode"] is not True and not _read_only(short, task.get(module)):
        return f"`{module}` runs with check_mode: {task['check_mode']!r}: it would act for real in a preview"
    delegated = str(task.get("delegate_to", "")).strip()
    on_controller = (delegated in CONTROLLER or "{{" in delegated or task.get("connection") == "local"
                     or "local_action" in task)
    if on_controller and (short in CONTROLLER_COMMANDS or module == "local_action"):
        return f"`{module}` runs a command on the controller: a preview would run it"
    return None


def _module(task: dict[str, Any]) -> str | None:
    if "local_action" in task:
        return "local_action"
    names = [key for key in task if isinstance(key, str) and key not in TASK_KEYWORDS]
    if "action" in task:
        return str(task["action"]).split()[0] if task["action"] else None
    return names[0] if len(names) == 1 else None


def _read_only(module: str, args: Any) -> bool:
    if module in READ_ONLY:
        return True
    if module == "ios_command" and isinstance(args, dict):
        commands = args.get("commands") or []
        texts = [c.get("command") if isinstance(c, dict) else c for c in commands]
        return bool(texts) and all(isinstance(t, str) and t.strip().startswith("show ") for t in texts)
    return False
