"""The ansible-runner backend on its own: a real playbook, real events, a real time limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from changeops.execute.backends.local import LocalExecutor
from changeops.execute.events import EventKind, HostEvent
from changeops.execute.executor import StageRequest
from changeops.execute.record_vars import write_record_vars
from changeops.records.run_summary import HostOutcome

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


def test_a_stage_past_its_time_limit_is_timed_out(tmp_path: Path) -> None:
    result = LocalExecutor().run_stage(_request(tmp_path, pause=60, timeout=5, note="x"), lambda event: None)
    assert not result.ok and result.status == "timeout" and result.hosts == {"h1": HostOutcome.TIMED_OUT}
