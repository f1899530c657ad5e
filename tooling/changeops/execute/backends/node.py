"""The execution-node backend: one stage on a node in the customer's network, over ansible-runner's stream.

The controller packs the stage's private data dir (the project, the inventories, the record's
vars file, changeops' control variables) with ``ansible_runner.run(streamer="transmit")``,
pipes the stream over SSH to the node, whose key may only run ``ansible-runner worker`` (a
forced command in its ``authorized_keys``), and feeds what comes back to
``ansible_runner.run(streamer="process")``. The events arrive in the shape of a local run and
go through the same normaliser; the returned artifacts carry the network session log, so the
run record is the same as a local run's.

Whatever goes wrong on the wire (the node gone, the stream cut, the node silent past its
limit) ends the stage with a failed result whose note names the node and what happened; the
events received up to then are kept. SSH pins the node's host key from ``policies/nodes.yml``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from changeops.estate.inventory import Inventory
from changeops.execute.backends.local import clean_env
from changeops.execute.backends.node_stream import NodeSilent, NodeStream
from changeops.execute.events import HostEvent, RunnerEvents
from changeops.execute.executor import Executor, Observe, StageRequest, StageResult, host_outcomes, playbook_stats
from changeops.execute.nodes import PUBLIC_KEY, AwxController, Node, choose_node, known_hosts_line, parse_nodes
from changeops.execute.preconditions import refusal
from changeops.findings import Finding
from changeops.records.run_summary import HostOutcome

IDENT = "run"
SESSION_LOG = f"../artifacts/{IDENT}/session.log"
"""Relative to the project folder (the playbook's working directory on the node): returned with the artifacts."""
RECORD_VARS = "../vars/record-vars.yml"
NODE_ENV_DROP = ("HOME", "USER", "LOGNAME", "SSH_AUTH_SOCK", "ANSIBLE_HOME")
"""The controller's own identity and home mean nothing on the node: it keeps its own."""


NODE_TETHER = "changeops-tether"
"""The tether's file name in the node's ``bin_dir``: a copy of ``execute/backends/tether.py``."""


def worker_command(node: Node) -> str:
    """The command the node runs: also the forced command of the controller's key in the node's authorized_keys.

    The worker runs below the tether in its ``channel`` mode: when the channel hangs up (the controller killed,
    its connection lost) or the worker is killed, the playbook and everything it started are killed on the node.
    """
    bin_dir = Path(node.bin_dir)
    return shlex.join([node.python, "-I", "-S", str(bin_dir / NODE_TETHER), "channel",
                       str(bin_dir / "ansible-runner"), "worker", "--keepalive-seconds", str(node.keepalive)])


def authorized_keys_line(node: Node, public_key: str) -> str:
    """The node's ``authorized_keys`` line for the controller's key: the worker and nothing else.

    Raises ValueError unless ``public_key`` is one OpenSSH public key on one line: a second line would be a
    second key, allowed everything."""
    key = public_key.strip()
    if not re.fullmatch(PUBLIC_KEY, key):
        raise ValueError("not one OpenSSH public key on one line (type, base64, an optional comment), "
                         "e.g. the .pub file ssh-keygen wrote")
    options = (f'command="{worker_command(node)}",no-pty,no-port-forwarding,no-agent-forwarding,'
               "no-X11-forwarding,no-user-rc")
    return f"{options} {key}\n"


@dataclass
class NodeExecutor:
    """Runs every stage on one execution node through ``ssh`` and ``ansible-runner worker``."""

    node: Node
    identity: Path
    """The controller's private SSH key for the node (a CI secret; never in the repository)."""
    ssh: str = "ssh"
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = f"node:{self.node.name}"

    def run_stage(self, request: StageRequest, observe: Observe) -> StageResult:
        """Run the stage on the node; never raises for a failed host or a lost node."""
        import ansible_runner  # heavy: only when something runs

        request.folder.mkdir(parents=True, exist_ok=True)
        private = pack_private_data(request, request.folder / "node")
        keep = RunnerEvents(request.name, observe)
        events = keep.events

        payload = request.folder / "transmit.stream"
        with payload.open("wb") as out:
            ansible_runner.run(streamer="transmit", _output=out, private_data_dir=str(private), ident=IDENT,
                               **self._job(request, private))
        artifacts = request.folder / "artifacts" / IDENT
        trip = self._round_trip(payload, request, artifacts, keep)
        payload.unlink(missing_ok=True)
        _bring_back_backups(request, artifacts)
        return self._result(request, events, artifacts, trip)

    def _job(self, request: StageRequest, private: Path) -> dict[str, Any]:
        env = clean_env(session_log=Path(SESSION_LOG), extra=request.env)
        for name in NODE_ENV_DROP:
            env.pop(name, None)
        env = node_paths(env, request.project.parent, private)
        env["PATH"] = ":".join([self.node.bin_dir, "/usr/local/bin", "/usr/bin", "/bin"])
        cmdline = ["-e", f"@{RECORD_VARS}"] + (["--check", "--diff"] if request.check else [])
        # no inventory argument: the runner uses the private data dir's inventory/ folder on the node
        return {"playbook": str(request.playbook.relative_to(request.project)),
                "extravars": {**_node_control_vars(request), "target_hosts": ",".join(request.targets)},
                "forks": request.forks, "cmdline": shlex.join(cmdline), "envvars": env,
                "timeout": request.timeout, "suppress_output_file": True}

    def _round_trip(self, payload: Path, request: StageRequest, artifacts: Path, keep: Any) -> Trip:
        known_hosts = request.folder / "known_hosts"
        known_hosts.write_text(known_hosts_line(self.node), encoding="utf-8")
        deadline = time.monotonic() + self._limit(request)
        trip = Trip()
        with payload.open("rb") as stdin, tempfile.TemporaryFile() as stderr:
            try:
                ssh = subprocess.Popen(self.command(known_hosts), stdin=stdin, stdout=subprocess.PIPE,
                                       stderr=stderr, start_new_session=True)
            except OSError as err:
                trip.ssh_rc, trip.ssh_error = 255, f"{self.ssh} could not be started: {err}"
                return trip
            assert ssh.stdout is not None
            stream = NodeStream(ssh.stdout, silence=self.node.silence_limit, deadline=deadline)
            _process(stream, request.folder / "node", artifacts, keep, trip)
            trip.ssh_rc = _stop(ssh, now=bool(trip.silent or trip.broken))
            stderr.seek(0)
            trip.ssh_error = stderr.read().decode("utf-8", "replace").strip()[-300:]
        return trip

    def _limit(self, request: StageRequest) -> float:
        # the worker's own timeout stops the playbook; the controller waits a little longer for the result
        return float(request.timeout) + 60.0 if request.timeout else 24 * 3600.0

    def command(self, known_hosts: Path) -> list[str]:
        """The ssh command line: key only, no agent, the node's host key pinned, the worker as the command."""
        return [self.ssh, "-i", str(self.identity), "-p", str(self.node.port), "-l", self.node.user,
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", f"UserKnownHostsFile={known_hosts}", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", f"ConnectTimeout={self.node.connect_timeout}", "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=3", "-o", "ForwardAgent=no", "-T", self.node.address,
                worker_command(self.node)]

    def _result(self, request: StageRequest, events: list[HostEvent], artifacts: Path, trip: Trip) -> StageResult:
        hosts = host_outcomes(events, request.targets)
        note = trip.problem(self.node)
        rc = _artifact_rc(artifacts)
        session_log = artifacts / "session.log"
        if trip.timed_out:  # the worker stopped the playbook at the stage's limit, as the local backend would
            hosts = {h: o if o in (HostOutcome.FAILED, HostOutcome.UNREACHABLE) else HostOutcome.TIMED_OUT
                     for h, o in hosts.items()}
        elif note:
            # a host the node never reported on was not reached by this run: say so, not "skipped"
            hosts = {h: HostOutcome.UNREACHABLE if o is HostOutcome.SKIPPED else o for h, o in hosts.items()}
        if note:
            rc = rc if rc not in (None, 0) else 255
        shutil.rmtree(request.folder / "node", ignore_errors=True)
        return StageResult(request.name, request.playbook.name, 1 if rc is None else rc, hosts, events,
                           session_log if session_log.is_file() else None, playbook_stats(events),
                           "failed" if note else trip.finished or "", note=note)


@dataclass
class Trip:
    """What came back from one round trip to the node."""

    finished: str = ""
    statuses: list[dict[str, Any]] = field(default_factory=list)
    eof: bool = False
    received: int = 0
    silent: str = ""
    broken: str = ""
    ssh_rc: int | None = None
    ssh_error: str = ""

    def status(self, data: dict[str, Any], runner_config: Any = None) -> None:
        """The processor's status handler: keep every status the worker sent."""
        self.statuses.append(data)

    @property
    def timed_out(self) -> bool:
        return bool(self.statuses) and self.statuses[-1].get("status") == "timeout" and self.eof

    def problem(self, node: Node) -> str:
        """One sentence naming the node and what went wrong on the wire; empty when nothing did."""
        where = f"execution node {node.name} ({node.endpoint})"
        last = self.statuses[-1] if self.statuses else {}
        if self.silent:
            return f"{where} {self.silent}; the stage was stopped after {self.received} bytes of results"
        if self.ssh_rc == 255 and self.received == 0:
            return f"{where} could not be reached: {self.ssh_error or 'ssh exited with 255'}"
        if self.broken or not self.eof:
            why = self.broken or str(last.get("job_explanation") or "the stream ended")
            lost = f"ssh exited with {self.ssh_rc}" + (f": {self.ssh_error}" if self.ssh_error else "")
            return (f"{where}: the result stream stopped after {self.received} bytes, before its end marker "
                    f"(the node or the connection was lost: {why.splitlines()[0][:200]}; {lost})")
        if last.get("status") == "error":
            return f"{where} reported an error: {last.get('job_explanation') or json.dumps(last)[:300]}"
        if last.get("status") == "timeout":
            return f"{where} stopped the playbook at the stage's time limit"
        return ""


def _process(stream: NodeStream, private: Path, artifacts: Path, keep: Any, trip: Trip) -> None:
    """Feed the node's stream to ansible-runner's processor; what went wrong goes into ``trip``."""
    import ansible_runner

    try:
        processor = ansible_runner.run(streamer="process", _input=stream, private_data_dir=str(private),
                                       artifact_dir=str(artifacts), ident=IDENT, quiet=True, event_handler=keep,
                                       status_handler=trip.status)
        trip.finished = str(processor.status)
    except NodeSilent as silent:
        trip.silent = str(silent)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:  # a cut inside the returned artifacts
        trip.broken = f"{type(err).__name__}: {err}"
    trip.eof, trip.received = stream.eof_seen, stream.received


NODE_BACKUPS = "{{ lookup('ansible.builtin.env', 'AWX_ISOLATED_DATA_DIR') }}/backups"
"""The backup folder on the node: inside the job's artifacts, so what the backup stage saves comes back."""
BACKUP_VARS = ("changeops_backup_dir", "backup_dir")


def _local_backups(request: StageRequest) -> Path | None:
    folder = request.control_vars.get("changeops_backup_dir")
    return Path(folder) if folder else None


def _node_control_vars(request: StageRequest) -> dict[str, str]:
    """changeops' control variables as the node sees them: the backup folder is the job's own."""
    return {name: NODE_BACKUPS if name in BACKUP_VARS else value for name, value in request.control_vars.items()}


def _bring_back_backups(request: StageRequest, artifacts: Path) -> None:
    """Copy what the node saved in its backup folder into the run's backup folder on the controller."""
    local, returned = _local_backups(request), artifacts / "backups"
    if local is None or not returned.is_dir():
        return
    local.mkdir(parents=True, exist_ok=True)
    for item in returned.iterdir():
        if item.is_file():
            shutil.copyfile(item, local / item.name)


def node_paths(env: dict[str, str], root: Path, private: Path) -> dict[str, str]:
    """The environment with paths inside the stage's bundle made relative to the playbook's folder on the node.

    The node's working directory is ``<private>/project``, the bundle's project; what else of the
    bundle a setting names (its ansible.cfg, its empty plugin folder) is packed beside it.
    """
    mapped = {}
    for name, value in env.items():
        path = Path(value)
        if not path.is_absolute() or not path.is_relative_to(root):
            mapped[name] = value
            continue
        inside = path.relative_to(root)
        target = private / inside
        if path.exists() and not target.exists():
            shutil.copytree(path, target) if path.is_dir() else shutil.copyfile(path, target)
        mapped[name] = str(Path("..") / inside)
    (private / "roles").mkdir(exist_ok=True)  # the worker puts ANSIBLE_ROLES_PATH under roles/
    return mapped


def pack_private_data(request: StageRequest, private: Path) -> Path:
    """The private data dir the node receives: project, inventories and the record's vars, all relative."""
    shutil.rmtree(private, ignore_errors=True)
    shutil.copytree(request.project, private / "project", symlinks=False,
                    ignore=shutil.ignore_patterns(".changeops_cache", "__pycache__", "*.retry"))
    inventory = private / "inventory"
    inventory.mkdir()
    for index, source in enumerate(request.inventories):
        if source.is_dir():
            # the first directory keeps its group_vars/ and host_vars/ next to its hosts, as Ansible reads them
            target = inventory if index == 0 else inventory / f"{index:02d}-{source.name}"
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            # later sources win, as with repeated -i: overlays sort after the estate's own files
            shutil.copyfile(source, inventory / f"zz-{index:02d}-{source.stem}{source.suffix or '.yml'}")
    (private / "vars").mkdir()
    shutil.copyfile(request.record_vars, private / "vars" / "record-vars.yml")
    backups = _local_backups(request)
    if backups is not None and backups.is_dir():
        # the rollback restores from the backups: they travel with the job
        shutil.copytree(backups, private / "artifacts" / IDENT / "backups")
    return private


def _artifact_rc(artifacts: Path) -> int | None:
    try:
        return int((artifacts / "rc").read_text().strip())
    except (OSError, ValueError):
        return None


def _stop(ssh: subprocess.Popen[bytes], *, now: bool) -> int | None:
    """End ssh (and only it): at once when the node went silent, else after a short wait for its exit."""
    try:
        return ssh.wait(timeout=0.1 if now else 5)
    except subprocess.TimeoutExpired:
        ssh.kill()
        return ssh.wait(timeout=5)


KEY_ENV = "CHANGEOPS_NODE_SSH_KEY"


def executor_for(nodes_yml: bytes | None, wanted: str, hosts: list[str], inventory: Inventory, *,
                 revision: str | None = None) -> tuple[Executor | None, list[Finding]]:
    """The executor for node ``wanted`` (an SSH node or an AWX controller of the trusted ``nodes.yml``).

    ``revision`` is the trusted commit an AWX project must run at."""
    nodes, findings = parse_nodes(nodes_yml)
    if findings:
        return None, findings
    choice = choose_node(nodes, hosts, inventory, wanted)
    if choice.node is None:
        return None, choice.findings
    if isinstance(choice.node, AwxController):
        return _awx_executor(choice.node, revision)
    assert isinstance(choice.node, Node)
    key = os.environ.get(KEY_ENV, "")
    if not key or not Path(key).is_file():
        return None, [refusal("node-key", f"no SSH key for execution node {wanted}: {KEY_ENV} "
                                          f"{'names no file' if key else 'is not set'}",
                              f"set {KEY_ENV} to the private key whose public half the node's authorized_keys "
                              "allows (see docs/developers/nodes.md)")]
    return NodeExecutor(choice.node, Path(key).resolve()), []


AWX_TOKEN_ENV = "CHANGEOPS_AWX_TOKEN"


def _awx_executor(controller: AwxController, revision: str | None) -> tuple[Executor | None, list[Finding]]:
    token = os.environ.get(AWX_TOKEN_ENV, "")
    if not token:
        return None, [refusal("node-key", f"no API token for AWX controller {controller.name}: {AWX_TOKEN_ENV} "
                                          "is not set", f"set {AWX_TOKEN_ENV} to a token of a user who may launch "
                                                        "its job templates (see docs/developers/awx.md)")]
    from changeops.execute.backends.awx import AwxExecutor, AwxSettings

    settings = AwxSettings(url=controller.url, token=token, templates=dict(controller.templates), revision=revision,
                           poll_seconds=controller.poll_seconds)
    return AwxExecutor(settings), []
