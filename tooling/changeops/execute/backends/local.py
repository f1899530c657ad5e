"""The local backend: one stage through ansible-runner on this machine.

Each stage gets a private data dir of its own, absolute paths and a clean environment.
The record's step variables arrive as a vars file whose strings are all ``!unsafe``
(Ansible never templates them); changeops' own control variables (``target_hosts``,
``changeops_run``, ...) are extravars. Every runner event is normalised into a
:class:`~changeops.execute.events.HostEvent` and handed on as it happens, so a run killed
mid-stage keeps what happened up to then. Network sessions are logged to ``session.log``
in the stage's folder for the transcripts.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from changeops.execute.events import RunnerEvents
from changeops.execute.executor import Observe, StageRequest, StageResult, host_outcomes, playbook_stats
from changeops.records.run_summary import HostOutcome

PASS_THROUGH = ("HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "SSH_AUTH_SOCK", "ANSIBLE_HOME")
PASS_PREFIXES = ("CHANGEOPS_NET_", "CHANGEOPS_LINUX_")


def clean_env(*, session_log: Path, extra: dict[str, str] | None = None,
              credentials: bool = True) -> dict[str, str]:
    """The environment ansible-playbook gets: this interpreter's bin dir first on PATH, nothing inherited blindly.

    ``credentials=False`` leaves out device credentials and the vault password (a preview of
    unreviewed playbooks must not have them within reach).
    """
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    if credentials:
        env.update({name: value for name, value in os.environ.items() if name.startswith(PASS_PREFIXES)})
    env.update({
        "PATH": os.pathsep.join([*_script_dirs(), "/usr/local/bin", "/usr/bin", "/bin"]),
        "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "False", "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
        "ANSIBLE_LOG_PATH": str(session_log), "ANSIBLE_PERSISTENT_LOG_MESSAGES": "True",
    })
    vault_file = os.environ.get("CHANGEOPS_VAULT_PASSWORD_FILE")
    if vault_file and credentials:
        env["ANSIBLE_VAULT_PASSWORD_FILE"] = str(Path(vault_file).resolve())
    return {**env, **(extra or {})}


class LocalExecutor:
    """ansible-runner in this process's machine."""

    name = "ansible-runner"

    def __init__(self, *, credentials: bool = True) -> None:
        self.credentials = credentials

    def run_stage(self, request: StageRequest, observe: Observe) -> StageResult:
        """Run the request's playbook; never raises for failed hosts."""
        import ansible_runner  # heavy: only when something runs

        request.folder.mkdir(parents=True, exist_ok=True)
        session_log = request.folder / "session.log"
        keep = RunnerEvents(request.name, observe)
        events = keep.events

        cmdline = [*tethered("ansible-playbook"), "-e", f"@{request.record_vars}",
                   *(["--check", "--diff"] if request.check else []), str(request.playbook)]
        env = clean_env(session_log=session_log, extra=request.env, credentials=self.credentials)
        with only_environment(env):
            runner = ansible_runner.run(
                private_data_dir=str(request.folder), project_dir=str(request.project),
                binary=sys.executable, inventory=[str(p) for p in request.inventories],
                extravars={**request.control_vars, "target_hosts": ",".join(request.targets)}, forks=request.forks,
                cmdline=shlex.join(cmdline), envvars=env, quiet=True, event_handler=keep,
                artifact_dir=str(request.folder / "artifacts"), ident="run", suppress_output_file=True,
                timeout=request.timeout,
            )
        hosts = host_outcomes(events, request.targets)
        if runner.status == "timeout":  # the stage's time limit: whatever had not failed did not finish
            hosts = {h: o if o in (HostOutcome.FAILED, HostOutcome.UNREACHABLE) else HostOutcome.TIMED_OUT
                     for h, o in hosts.items()}
        return StageResult(request.name, request.playbook.name, runner.rc, hosts, events, session_log,
                           playbook_stats(events), str(runner.status))


TETHER = Path(__file__).with_name("tether.py")


def tethered(command: str) -> list[str]:
    """The arguments after ``python`` that run ``command`` through the tether (see its module): it dies with
    this process, and a stage's playbook cannot outlive the runner that started it."""
    return ["-I", "-S", str(TETHER), str(os.getpid()), command]


@contextmanager
def only_environment(env: dict[str, str]) -> Iterator[None]:
    """Make ``env`` the whole process environment for the duration (restored afterwards).

    ansible-runner seeds a job's environment with a copy of ``os.environ`` before adding its
    ``envvars``; without this, every variable of the runner's own process (device
    credentials, tokens, the vault password file) would reach ansible-playbook whatever
    ``clean_env`` chose.
    """
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _script_dirs() -> list[str]:
    """This interpreter's bin dir, then (in a venv made with system site packages) its base installation's."""
    own = Path(sys.executable).parent
    base = Path(sys.base_prefix) / "bin"
    return [str(own)] if sys.prefix == sys.base_prefix or base == own else [str(own), str(base)]
