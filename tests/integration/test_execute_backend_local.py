"""The ansible-runner backend on its own: a real playbook, real events, a real time limit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from changeops.execute.backends.local import LocalExecutor
from changeops.execute.backends.tether import below
from changeops.execute.events import EventKind, HostEvent
from changeops.execute.executor import StageRequest
from changeops.execute.record_vars import write_record_vars
from changeops.records.run_summary import HostOutcome
from execute_estate import naming, still_alive

pytestmark = pytest.mark.integration
PLAY = """\
- hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Echo the record's value
      ansible.builtin.debug: {msg: "{{ note }}"}
    - name: Wait
      ansible.builtin.pause: {seconds: "{{ pause }}"}
"""


def _request(tmp_path: Path, *, pause: int, timeout: int | None, note: str) -> StageRequest:
    project = tmp_path / "project"
    project.mkdir()
    (project / "play.yml").write_text(PLAY)
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  hosts:\n    h1: {ansible_connection: local, "
                         "ansible_python_interpreter: '{{ ansible_playbook_python }}'}\n")
    folder = tmp_path / "stage"
    folder.mkdir()
    return StageRequest(name="implementation", playbook=project / "play.yml", project=project,
                        inventories=(inventory,), record_vars=write_record_vars(folder / "vars.yml",
                                                                                {"note": note, "pause": pause}),
                        targets=("h1",), folder=folder, timeout=timeout)


def test_record_values_are_never_templated(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    events: list[HostEvent] = []
    note = f"{{{{ lookup('pipe', 'touch {marker}') }}}}"
    result = LocalExecutor().run_stage(_request(tmp_path, pause=0, timeout=None, note=note), events.append)
    assert result.ok and result.hosts == {"h1": HostOutcome.OK}
    assert not marker.exists(), "a record value was templated and ran a command"
    echoed = [e.result.get("msg") for e in events if e.kind is EventKind.OK and e.task == "Echo the record's value"]
    assert echoed == [note], "the value reaches the playbook as text"


def test_a_stage_past_its_time_limit_is_timed_out_and_nothing_of_it_goes_on(tmp_path: Path) -> None:
    result = LocalExecutor().run_stage(_request(tmp_path, pause=60, timeout=5, note="x"), lambda event: None)
    assert not result.ok and result.status == "timeout" and result.hosts == {"h1": HostOutcome.TIMED_OUT}
    deadline = time.monotonic() + 10
    while naming(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert naming(str(tmp_path)) == {}, "the task in flight outlived the stage's time limit"


ORPHAN_SCRIPT = """
import sys
from pathlib import Path
from changeops.execute.backends.local import LocalExecutor
from changeops.execute.executor import StageRequest
from changeops.execute.record_vars import write_record_vars

tmp = Path(sys.argv[1])
project, folder = tmp / "project", tmp / "stage"
project.mkdir()
folder.mkdir()
(project / "play.yml").write_text(sys.argv[2])
inventory = tmp / "hosts.yml"
inventory.write_text("all:\\n  hosts:\\n    h1: {ansible_connection: local, "
                     "ansible_python_interpreter: '{{ ansible_playbook_python }}'}\\n")
LocalExecutor().run_stage(StageRequest(name="implementation", playbook=project / "play.yml", project=project,
                                       inventories=(inventory,), record_vars=write_record_vars(folder / "v.yml", {}),
                                       targets=("h1",), folder=folder, timeout=120), lambda event: None)
"""


def test_a_playbook_does_not_outlive_a_runner_killed_outright(tmp_path: Path) -> None:
    """SIGKILL to the runner alone (not its process group): its playbook and the task in flight die with it,
    so nothing reaches a device that the runner is no longer there to record or to bound in time."""
    started, marker = tmp_path / "started", tmp_path / "marker"
    play = (f'- hosts: "{{{{ target_hosts }}}}"\n  gather_facts: false\n  tasks:\n'
            f'    - ansible.builtin.shell: "touch {started} && sleep 5 && touch {marker}"\n'
            f'    - ansible.builtin.shell: "touch {marker}"\n')
    runner = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path), play], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the playbook never started"
    playbook = below(runner.pid)
    assert playbook, "the playbook runs below the runner"
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait()
    time.sleep(8)  # the task in flight would have finished by now
    assert not marker.exists(), "the playbook went on after its runner was killed"
    assert still_alive(playbook, within=0) == []
