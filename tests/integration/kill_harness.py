"""Kill a real run at a named point, discard its runner's clone, and let a runner elsewhere close it out.

One trial, against the lab's devices with real Ansible and real git:

1. an estate with one approved change on two lab devices is pushed to a bare remote; clone A and
   clone B are taken from it;
2. runner A runs the change in clone A under its own host name (``unshare -u``: a UTS namespace, so
   the lock's ``machine`` is ``runner-a`` and runner B, ``runner-b``, cannot take A for one of its
   own processes) and is stopped at the point:

   - ``before-backup``: ``CHANGEOPS_TEST_KILL_AT=before-backup`` (the run stops itself once its
     locks are held and the backup stage is recorded, before its first device command);
   - ``implementation``: the first device received the change's line (the lab's session log), the
     second not yet (the play goes one device at a time, the second is slowed);
   - ``rollback``: verification failed and a device received ``configure replace``;
   - ``commit``: the run's commit exists in clone A (a ``post-commit`` hook in clone A waits);
   - ``push``: the push reached the remote (a ``pre-receive`` hook on the remote waits);

3. A is killed with SIGKILL: the process alone (its playbook's tether then ends the rest) or its whole tree;
   clone A and A's state folder are deleted;
4. runner B (its own clone, state folder and host name) is refused while the lease runs, then,
   once it expired, ``apply --due`` closes A's run out from the remote.

The figures of a trial are what the exactly-once promise says must be zero.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from changeops.execute.backends.tether import below, kill_below
from execute_estate import AT, default_steps, git, make_estate, remote_with_clones, still_alive

POINTS = ("before-backup", "implementation", "rollback", "commit", "push")
KINDS = ("process", "tree")
HOSTS = ("sy-dc1-fw1", "sy-dc1-fw2")
RUNNER_A, RUNNER_B = "runner-a", "runner-b"
STAGE_SECONDS, LEASE_MARGIN_SECONDS = 60, 15
"""Five stages may run (backup, implementation, verification, rollback and its verification): a 315 s lease.

Generous for two lab devices on a busy machine (a stage that runs out of time changes the flow);
the trials of a matrix are killed one after another, so their leases run out side by side."""
WAIT = 150.0

IMPLEMENT_PLAY = """
- name: Kill-test change (one device at a time; the line is sent whatever the running-config holds)
  hosts: "{{ target_hosts }}"
  gather_facts: false
  serial: 1
  tasks:
    - name: Add the logging host
      cisco.ios.ios_config:
        lines: ["logging host {{ log_host }}"]
        match: none
"""
COMMIT_HOOK = """#!/bin/sh
git log -1 --format=%B | grep -q '^Run-Id: ' || exit 0
: > "{reached}"
i=0
while [ -e "{gate}" ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
"""
PUSH_HOOK = """#!/bin/sh
main=""
while read old new ref; do [ "$ref" = refs/heads/main ] && main=1; done
[ -n "$main" ] && [ -e "{gate}" ] || exit 0
: > "{reached}"
i=0
while [ -e "{gate}" ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
exit 0
"""

UTS_NAMESPACE = ["unshare", "-u"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "-u"]
"""A UTS namespace (a host name of its own): as root directly, else inside a user namespace."""


def uts_namespace_works() -> bool:
    """Whether this machine lets the tests give a runner a host name of its own."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run([*UTS_NAMESPACE, "hostname", "runner-probe"], capture_output=True, check=False)
    return probe.returncode == 0


@dataclass
class Trial:
    """What one kill left behind, as the remote and the devices show it."""

    point: str
    kind: str
    changed_without_record: int = 0
    relabelled: int = 0
    stuck_locks: int = 0
    duplicates: int = 0
    refused_before_lease: bool = False
    error: str = ""
    """Why the trial could not be run (runner A never reached its point)."""
    diverged: bool = False
    """Runner B's clone no longer fast-forwards to the remote (it committed what the remote contradicts)."""
    remote_result: str = ""
    lost_note: str = ""
    """The remote record's note on a run closed out from the remote (it names the lost runner's host)."""
    changed: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.error or self.changed_without_record or self.relabelled or self.stuck_locks or self.duplicates
                    or self.diverged) and self.refused_before_lease


def run_trial(lab: Any, workdir: Path, point: str, kind: str) -> Trial:
    """Run A, kill it at ``point`` (``kind``: process or tree), discard clone A, let B close it out."""
    return close_out_by_b(kill_a(lab, workdir, point, kind))


def run_matrix(lab: Any, workdir: Path, cells: list[tuple[str, str]], *,
               rounds: int = 1) -> dict[tuple[str, str], list[Trial]]:
    """Every cell's trials: all the kills first, then every close-out, so the leases run out side by side.

    A trial whose runner A never reached its point (a stage ran out of time on a busy machine)
    is kept with its ``error`` and not closed out.
    """
    killed: list[_World] = []
    trials: dict[tuple[str, str], list[Trial]] = {cell: [] for cell in cells}
    for index in range(rounds):
        for point, kind in cells:
            try:
                killed.append(kill_a(lab, workdir / f"{point}-{kind}-{index}", point, kind, round_=index))
            except AssertionError as error:
                trials[(point, kind)].append(Trial(point, kind, error=str(error)))
    killed.sort(key=lambda world: world.lease or datetime.max.replace(tzinfo=UTC))
    for world in killed:
        trials[(world.trial.point, world.trial.kind)].append(close_out_by_b(world))
    return trials


def kill_a(lab: Any, workdir: Path, point: str, kind: str, *, round_: int = 0) -> _World:
    """Steps 1-3 and runner B's attempt within the lease; the devices' state is taken once A's processes ended."""
    assert point in POINTS and kind in KINDS
    world = _World.build(lab, workdir, point, kind, round_)
    runner = world.start_a()
    try:
        survivors = _kill_at(world, runner, point, kind)
    except BaseException:
        kill_tree(runner.pid)
        runner.wait()
        raise
    runner.wait()  # reaped; after a process kill the tether ends what ran below it
    world.lease = world.lease_until()
    world.trial.refused_before_lease = world.refused_before_lease()
    world.release_gates()
    _wait_gone(survivors, world.trial)
    shutil.rmtree(world.clone_a)
    shutil.rmtree(world.state_a, ignore_errors=True)
    world.configs = {h: world.lab.control.device_state(h)["running_config"] for h in HOSTS}
    return world


def close_out_by_b(world: _World) -> Trial:
    """Step 4 once the lease expired, and the figures."""
    if world.lease is not None:
        time.sleep(max(0.0, (world.lease - datetime.now(UTC)).total_seconds()) + 1.5)
    overlay = str(world.lab.info.overlay)
    for _ in range(2):  # a second invocation finds nothing left to do
        world.trial.details.append(world.changeops_b("apply", "--due", "--inventory", overlay, "--at", AT)[1])
    world.measure()
    (world.workdir / "trial.json").write_text(json.dumps(asdict(world.trial), indent=1), encoding="utf-8")
    return world.trial


@dataclass
class _World:
    lab: Any
    workdir: Path
    point: str
    change: str
    log_host: str
    remote: Path
    clone_a: Path
    clone_b: Path
    state_a: Path
    state_b: Path
    baseline: dict[str, str]
    offsets: dict[str, int]
    trial: Trial
    lease: datetime | None = None
    configs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, lab: Any, workdir: Path, point: str, kind: str, round_: int) -> _World:
        for host in HOSTS:
            lab.control.reset(host)
        baseline = {h: lab.control.device_state(h)["running_config"] for h in HOSTS}
        offsets = {h: len(lab.session_log(h)) for h in HOSTS}
        change = f"CHG-20261208-kill-{point.split('-')[-1]}-{kind}"
        # unique per trial: the session logs of every trial of a matrix tell its executions apart
        log_host = f"10.20.{200 + round_ % 50}.{100 + POINTS.index(point) * 2 + KINDS.index(kind)}"
        steps = default_steps(log_host=log_host, forbidden=log_host if point == "rollback" else "10.99.99.99")
        steps["implementation"]["playbook"] = "kill-config.yml"
        rules = (f"execution:\n  stage_timeout_seconds: {STAGE_SECONDS}\n"
                 f"  lease_margin_seconds: {LEASE_MARGIN_SECONDS}\n")
        with redirect_stdout(io.StringIO()):  # the approvals' own messages
            origin = make_estate(workdir / "origin", change, list(HOSTS), steps=steps,
                                 playbooks={"kill-config.yml": IMPLEMENT_PLAY}, files={"policies/rules.yml": rules})
        remote, clones = remote_with_clones(origin, workdir, ("clone-a", "clone-b"))
        world = cls(lab, workdir, point, change, log_host, remote, clones[0], clones[1], workdir / "state-a",
                    workdir / "state-b", baseline, offsets, Trial(point, kind))
        world._hooks()
        return world

    def _hooks(self) -> None:
        gates = self.workdir / "gates"
        gates.mkdir()
        if self.point == "commit":
            _hook(self.clone_a / ".git" / "hooks" / "post-commit",
                  COMMIT_HOOK.format(reached=gates / "reached", gate=gates / "gate"))
        elif self.point == "push":
            _hook(self.remote / "hooks" / "pre-receive", PUSH_HOOK.format(reached=gates / "reached",
                                                                          gate=gates / "gate"))
        (gates / "gate").touch()

    @property
    def reached(self) -> Path:
        return self.workdir / "gates" / "reached"

    def release_gates(self) -> None:
        (self.workdir / "gates" / "gate").unlink(missing_ok=True)
        for host in HOSTS:
            self.lab.control.clear_faults(host)

    def command(self, host_name: str, clone: Path, *args: str) -> list[str]:
        """``changeops ARGS --repo CLONE`` in a UTS namespace whose host name is ``host_name``."""
        return [*UTS_NAMESPACE, "sh", "-c", 'hostname "$0" && exec "$@"', host_name, sys.executable, "-m",
                "changeops", *args, "--repo", str(clone)]

    def env(self, state: Path, **extra: str) -> dict[str, str]:
        return {**os.environ, "CHANGEOPS_STATE_HOME": str(state), "COLUMNS": "200", **extra}

    def start_a(self) -> subprocess.Popen[bytes]:
        extra = {"CHANGEOPS_TEST_KILL_AT": "before-backup"} if self.point == "before-backup" else {}
        log = (self.workdir / "runner-a.log").open("wb")
        return subprocess.Popen(self.command(RUNNER_A, self.clone_a, "run", self.change, "--inventory",
                                             str(self.lab.info.overlay), "--at", AT),
                                env=self.env(self.state_a, **extra), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def output_a(self) -> str:
        return (self.workdir / "runner-a.log").read_text(errors="replace")

    def changeops_b(self, *args: str) -> tuple[int, str]:
        done = subprocess.run(self.command(RUNNER_B, self.clone_b, *args), env=self.env(self.state_b),
                              capture_output=True, text=True, timeout=WAIT)
        return done.returncode, done.stdout + done.stderr

    def refused_before_lease(self) -> bool:
        """Runner B, while A's lease runs: refused (the devices are locked, or the change is done), nothing run."""
        git(self.clone_b, "pull", "-q", "--ff-only")
        lease = self.lease
        code, output = self.changeops_b("run", self.change, "--inventory", str(self.lab.info.overlay), "--at", AT)
        self.trial.details.append(output)
        if lease is None or datetime.now(UTC) >= lease:
            raise AssertionError(f"the lease ({lease}) ran out before runner B's first attempt; lengthen it")
        runs = self.clone_b / "changes" / self.change / "runs"
        recorded = {p.name for p in runs.iterdir()} if runs.is_dir() else set()
        remote = set(git(self.remote, "ls-tree", "--name-only", f"main:changes/{self.change}/runs").split()) \
            if "runs" in git(self.remote, "ls-tree", "--name-only", f"main:changes/{self.change}") else set()
        return code == 1 and "refused:" in output and recorded <= remote

    def lease_until(self) -> datetime | None:
        leases = [json.loads(payload).get("lease_until") for payload in self.lock_payloads()]
        return max((datetime.fromisoformat(v) for v in leases if v), default=None)

    def lock_payloads(self) -> list[str]:
        refs = git(self.remote, "for-each-ref", "--format=%(objectname)", "refs/changeops/locks/").split()
        return [git(self.remote, "log", "-1", "--format=%B", sha).strip() for sha in refs]

    def measure(self) -> None:
        """The figures: devices changed without a record, relabelled runs, locks left, duplicate executions."""
        trial = self.trial
        summaries = self.remote_summaries()
        trial.remote_result = ",".join(str(s.get("result")) for s in summaries.values())
        trial.lost_note = " ".join(str(note) for s in summaries.values() for note in s.get("notes") or [])
        for host in HOSTS:
            if self.configs[host] == self.baseline[host]:
                continue
            trial.changed.append(host)
            if not any(host in yaml.safe_dump(s, allow_unicode=True) for s in summaries.values()):
                trial.changed_without_record += 1
        trial.relabelled = self.relabelled()
        trial.stuck_locks = len(self.lock_payloads())
        trial.duplicates = sum(max(0, n - 1) for n in self.implementations().values())
        pulled = subprocess.run(["git", "pull", "-q", "--ff-only"], cwd=self.clone_b, capture_output=True, text=True)
        trial.diverged = pulled.returncode != 0

    def remote_summaries(self) -> dict[str, dict[str, Any]]:
        folder = f"changes/{self.change}/runs"
        listing = git(self.remote, "ls-tree", "-r", "--name-only", "main", "--", folder).split()
        return {path.split("/")[3]: yaml.safe_load(git(self.remote, "show", f"main:{path}"))
                for path in listing if path.endswith("/summary.yaml")}

    def relabelled(self) -> int:
        """Runs the remote once recorded as completed and later as something else."""
        results: dict[str, list[str]] = {}
        log = git(self.remote, "log", "--reverse", "--format=%x00%B", "main").split("\0")
        for message in log:
            trailers = dict(line.split(": ", 1) for line in message.splitlines() if ": " in line)
            if "Run-Id" in trailers and "Result" in trailers:
                results.setdefault(trailers["Run-Id"], []).append(trailers["Result"].strip())
        return sum(1 for seen in results.values() if "completed" in seen and seen[-1:] != ["completed"] or
                   seen.count("completed") > 1)

    def implementations(self) -> dict[str, int]:
        """Per device, the sessions in which it received the change's line: one per implementation run."""
        line = f"logging host {self.log_host}"
        return {host: len({e.session for e in self.lab.session_log(host)[self.offsets[host]:]
                           if e.direction == "<" and e.text.strip() == line}) for host in HOSTS}

    def received(self, host: str, predicate: Callable[[str], bool]) -> bool:
        return any(e.direction == "<" and predicate(e.text.strip())
                   for e in self.lab.session_log(host)[self.offsets[host]:])

    def stage_started(self, stage: str) -> bool:
        for events in (self.clone_a / "changes" / self.change / "runs").glob("*/events.jsonl"):
            if f'"stage": "{stage}"' in events.read_text(errors="replace"):
                return True
        return False


def _hook(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def _kill_at(world: _World, runner: subprocess.Popen[bytes], point: str, kind: str) -> list[int]:
    """Wait for ``point``, kill runner A (``kind``); the processes that were below it (ended by the tether)."""
    line = f"logging host {world.log_host}"
    if point == "before-backup":
        _wait(world, runner, lambda: _state(runner.pid) == "T", point)
    elif point == "implementation":
        _wait(world, runner, lambda: world.stage_started("implementation"), "the implementation stage")
        world.lab.control.set_fault(HOSTS[1], "slow", "1")
        _wait(world, runner, lambda: world.received(HOSTS[0], lambda text: text == line), point)
    elif point == "rollback":
        _wait(world, runner, lambda: any(world.received(h, lambda t: t.startswith("configure replace"))
                                         for h in HOSTS), point)
    else:
        _wait(world, runner, world.reached.exists, point)
    if kind == "tree":
        kill_tree(runner.pid)
        return []
    survivors = below(runner.pid)
    os.kill(runner.pid, signal.SIGKILL)
    names = sorted({_name(pid) for pid in survivors} - {""})
    world.trial.details.append(f"killed runner A alone; {len(survivors)} processes below it went on: {names}")
    return survivors


def _wait(world: _World, runner: subprocess.Popen[bytes], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        if runner.poll() is not None:
            raise AssertionError(f"runner A ended (rc {runner.returncode}) before {what}:\n{world.output_a()[-3000:]}")
        time.sleep(0.05)
    raise AssertionError(f"runner A never reached {what}:\n{world.output_a()[-3000:]}")


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _state(pid: int) -> str:
    fields = _stat(pid)
    return fields[0] if fields else ""


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid`` and every process below it: stopped first (no new children escape), then killed."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGSTOP)
    kill_below(pid)
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _wait_gone(pids: list[int], trial: Trial) -> None:
    """Wait until what ran below a killed runner has ended (the tether ends it; the trial measures what it did)."""
    running = still_alive(pids, within=WAIT)
    if running:
        trial.details.append(f"orphans still running after {WAIT:.0f} s, killed: {running}")
    for member in running:
        kill_tree(member)
