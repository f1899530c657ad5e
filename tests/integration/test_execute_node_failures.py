"""Failures across the wire: a node lost mid-stage, a stream cut half-way, a node that stays silent.

Each must end in a failed run whose summary notes name the node and what happened, with the
events received up to then committed and every device lock released.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.execute.backends.node import KEY_ENV
from changeops.execute.backends.tether import below
from changeops.execute.events import HostEvent
from changeops.execute.executor import StageRequest
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from changeops.execute.record_vars import write_record_vars
from changeops.records.run_summary import HostOutcome
from execute_estate import AT, git, naming, still_alive, summary
from node_support import make_node, node_estate, worker, wrapper

pytestmark = pytest.mark.integration
WHEN = datetime.fromisoformat(AT)
HOST = "dl-pop1-edge-r1"
CHANGE = "CHG-20261208-lab-node-fail"


def _run_on(lab, tmp_path: Path, monkeypatch, forced: str, **settings):
    node = make_node(lab, tmp_path / "keys", forced=forced, **settings)
    monkeypatch.setenv(KEY_ENV, str(node.key))
    lab.control.reset(HOST)
    root = node_estate(tmp_path / "e", CHANGE, [HOST], node)
    return root, lambda: run_change(Estate(root), CHANGE, at=WHEN, overlays=[lab.info.overlay],
                                    progress=Progress(live=False), node="sy-node1")


def _assert_failed_and_recorded(root: Path, outcome, *phrases: str) -> dict:
    assert outcome.result == "failed", outcome
    record = summary(outcome.folder)
    assert record["result"] == "failed" and record["stages"][0]["name"] == "backup"
    notes = " ".join(record.get("notes", []))
    assert "execution node sy-node1" in notes, record
    for phrase in phrases:
        assert phrase in notes, notes
    assert record["stages"][0]["hosts"] == {HOST: "unreachable"}
    assert "Result: failed" in git(root, "log", "-1", "--format=%B")
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "for-each-ref", "refs/changeops/locks/") == ""
    ends = [json.loads(line) for line in (outcome.folder / "events.jsonl").read_text().splitlines()
            if "changeops_stage_end" in line]
    assert ends and "execution node sy-node1" in ends[0]["note"]
    return record


def test_a_node_killed_mid_stage_fails_the_run_keeping_what_arrived(lab, tmp_path: Path, monkeypatch) -> None:
    pid_file = tmp_path / "worker.pid"
    script = wrapper(tmp_path, "worker.sh", f"echo $$ > {pid_file}\nexec {worker()}")
    root, run = _run_on(lab, tmp_path, monkeypatch, str(script))
    killed: list[int] = []

    def kill_once_a_task_started() -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not killed:
            for events in (root / "changes" / CHANGE / "runs").glob("*/events.jsonl"):
                if '"event": "task-start"' in events.read_text() and pid_file.is_file():
                    pid = int(pid_file.read_text())
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.05)

    watcher = threading.Thread(target=kill_once_a_task_started, daemon=True)
    watcher.start()
    outcome = run()
    watcher.join(5)

    assert killed, "the worker was never seen running"
    _assert_failed_and_recorded(root, outcome, "before its end marker")
    committed = git(root, "show", f"HEAD:changes/{CHANGE}/runs/{outcome.run_id}/events.jsonl")
    assert '"event": "task-start"' in committed and f'"host": "{HOST}"' in committed


def test_a_stream_cut_half_way_fails_the_run(lab, tmp_path: Path, monkeypatch) -> None:
    script = wrapper(tmp_path, "cut.sh", f"{worker()} | head -c 3000")
    root, run = _run_on(lab, tmp_path, monkeypatch, str(script))

    outcome = run()

    record = _assert_failed_and_recorded(root, outcome, "stopped after 3000 bytes, before its end marker")
    assert len(record["stages"]) == 1, "no later stage ran on a broken node"


def test_a_silent_node_is_given_up_at_its_silence_limit(lab, tmp_path: Path, monkeypatch) -> None:
    script = wrapper(tmp_path, "slow.sh", f"sleep 20\nexec {worker()}")
    root, run = _run_on(lab, tmp_path, monkeypatch, str(script), silence_limit=2)
    started = time.monotonic()

    outcome = run()

    assert time.monotonic() - started < 20, "the controller waited for the node instead of its limit"
    _assert_failed_and_recorded(root, outcome, "sent nothing for 2 s (its silence limit)")


def test_an_unreachable_node_fails_the_stage_with_the_ssh_error(lab, tmp_path: Path, monkeypatch) -> None:
    root, run = _run_on(lab, tmp_path, monkeypatch, worker(), port=1, connect_timeout=3)

    outcome = run()

    _assert_failed_and_recorded(root, outcome, "could not be reached", "Connection refused")


def test_a_stage_over_its_time_limit_is_stopped_on_the_node_and_times_out(lab, tmp_path: Path) -> None:
    node = make_node(lab, tmp_path / "keys")
    project, folder = tmp_path / "project", tmp_path / "stage"
    project.mkdir()
    (project / "slow.yml").write_text("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                      "    - name: Take too long\n      ansible.builtin.command: sleep 60\n")
    inventory = tmp_path / "local.yml"
    inventory.write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
                         "      ansible_python_interpreter: '{{ ansible_playbook_python }}'\n")
    folder.mkdir()
    request = StageRequest("implementation", project / "slow.yml", project, (inventory,),
                           write_record_vars(folder / "record-vars.yml", {}), ("localhost",), folder, timeout=3)
    seen: list[HostEvent] = []
    started = time.monotonic()

    result = node.executor().run_stage(request, seen.append)

    assert time.monotonic() - started < 40
    assert result.hosts == {"localhost": HostOutcome.TIMED_OUT} and not result.ok
    assert "execution node sy-node1" in result.note and "time limit" in result.note
    assert [e.kind.value for e in seen] == ["task-start"]




CONTROLLER = """
import sys
from pathlib import Path
from changeops.execute.backends.node import NodeExecutor
from changeops.execute.executor import StageRequest
from changeops.execute.nodes import Node
from changeops.execute.record_vars import write_record_vars

node, key, project, inventory, folder = sys.argv[1], *map(Path, sys.argv[2:])
request = StageRequest("implementation", project / "slow.yml", project, (inventory,),
                       write_record_vars(folder / "record-vars.yml", {}), ("localhost",), folder, timeout=120)
NodeExecutor(Node.model_validate_json(node), key).run_stage(request, lambda event: print(event.kind.value, flush=True))
"""


@dataclass
class SlowStage:
    controller: subprocess.Popen[str]
    tether: int
    worker: int
    on_the_node: list[int]
    marker: Path
    unpacked: Path
    """Where the worker unpacked the job (inventory, record variables, backups) on the node."""


def _slow_stage_on_a_node(lab, tmp_path: Path) -> SlowStage:
    """A controller process running one stage on a node, its one task (sleep 15 s, then touch ``marker``) under
    way there: the node's tether, its worker and everything below the tether."""
    node = make_node(lab, tmp_path / "keys", keepalive=1)
    project, folder, marker = tmp_path / "project", tmp_path / "stage", tmp_path / "late-change"
    project.mkdir()
    folder.mkdir()
    (project / "slow.yml").write_text("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                      "    - name: Change something late\n"
                                      f"      ansible.builtin.shell: sleep 15 && touch {marker}\n")
    inventory = tmp_path / "local.yml"
    inventory.write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
                         "      ansible_python_interpreter: '{{ ansible_playbook_python }}'\n")
    controller = subprocess.Popen([sys.executable, "-c", CONTROLLER, node.node.model_dump_json(), str(node.key),
                                   str(project), str(inventory), str(folder)], stdout=subprocess.PIPE, text=True)
    assert controller.stdout is not None and controller.stdout.readline().strip() == "task-start"
    # the tether and the worker below it: the worker's script and "worker" are arguments of both (and of no other
    # process: the controller's ssh sends the whole command as one argument)
    script = str(tmp_path / "keys" / "bin" / "ansible-runner")
    found = {"channel" in args: pid for pid, args in naming(script).items() if script in args and "worker" in args}
    tether, worker = found[True], found[False]
    deadline = time.monotonic() + 20
    while not naming(str(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    on_the_node = below(tether)
    assert naming(str(marker)).keys() & set(on_the_node), "the task never started on the node"
    environment = dict(item.split(b"=", 1) for item in Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
                       if b"=" in item)
    unpacked = Path(environment[b"TMPDIR"].decode())
    assert any(unpacked.rglob("record-vars.yml")), "the job was not unpacked in the worker's TMPDIR"
    return SlowStage(controller, tether, worker, on_the_node, marker, unpacked)


def test_a_controller_killed_mid_stage_stops_the_playbook_on_the_node(lab, tmp_path: Path) -> None:
    """The controller (a CI job cancelled, a runner lost) dies while a task runs on the node: the node stops the
    task within its keepalive, before the task's late change, and leaves nothing of the stage running."""
    stage = _slow_stage_on_a_node(lab, tmp_path)

    stage.controller.kill()
    stage.controller.wait()

    assert still_alive([stage.tether, *stage.on_the_node]) == [], "the stage outlived its controller"
    assert not stage.unpacked.exists(), "the job's private data stayed on the node"
    time.sleep(16)
    assert not stage.marker.exists(), "the task made its late change on the node after the controller died"


def test_a_worker_killed_on_the_node_takes_its_playbook_along(lab, tmp_path: Path) -> None:
    stage = _slow_stage_on_a_node(lab, tmp_path)

    os.kill(stage.worker, signal.SIGKILL)

    assert still_alive(stage.on_the_node) == [], "the playbook outlived its worker on the node"
    assert still_alive([stage.tether]) == [] and not stage.unpacked.exists(), "the job stayed on the node"
    assert stage.controller.wait(timeout=30) == 0, "the controller did not end the stage"
    time.sleep(16)
    assert not stage.marker.exists(), "the task made its late change after its worker was killed"
