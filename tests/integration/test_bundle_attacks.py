"""Each way Ansible loads a file it was not asked to, planted in a commit: the sealed bundle never loads it.

For every mechanism the same run: the payload would touch a marker file on the controller. A plain
`ansible-playbook` from the repository proves the payload works (the marker appears); the run from
the bundle built from the same commit must leave no marker, and the payload must be either absent
from the manifest or named by a finding.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ansible_runner  # type: ignore[import-untyped]
import pytest
from changeops.bundle import Bundle, GitTree, PlanResolution, build_bundle, resolve_plan
from conftest import copy_estate
from plan_estate import CHANGE, SITE, commit, make_estate, write

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
PIPE = "{{ lookup('pipe', 'touch MARKER') }}"
PLUGIN = "import pathlib\npathlib.Path('MARKER').touch()\n"
SHADOW_PING = "#!/usr/bin/python\nimport json\n" + PLUGIN + "print(json.dumps({'ping': 'x'}))\n"
USES = """\
    - name: Use what the plugins would shadow
      ansible.builtin.debug:
        msg: "{{ {'a': 1} | to_json }} {{ lookup('env', 'HOME') }} {{ [1, 2] | ansible.netcommon.vlan_parser }}"
    - name: A module found by its short name
      ping:
"""
NETCOMMON = "playbooks/collections/ansible_collections/ansible/netcommon"


def shadow_basic() -> str:
    """ansible.module_utils.basic as installed, touching the marker when a module imports it."""
    import ansible.module_utils.basic as basic  # type: ignore[import-untyped]

    lines = Path(basic.__file__).read_text().splitlines(keepends=True)
    after = max(n for n, line in enumerate(lines) if line.startswith("from __future__")) + 1
    return "".join(lines[:after] + ["import pathlib as _p; _p.Path('MARKER').touch()\n"] + lines[after:])


@dataclass(frozen=True)
class Attack:
    name: str
    files: dict[str, str]
    payload: str  # the file the attack plants (absent from the manifest, or named by a finding)
    site: str = SITE + USES
    rule: str | None = None  # the finding that names it, when it is not simply left out
    executable: tuple[str, ...] = field(default=())


ATTACKS = [
    Attack("inventory script", {"inventory/extra.sh": "#!/bin/sh\ntouch MARKER\necho '{}'\n"},
           "inventory/extra.sh", executable=("inventory/extra.sh",)),
    Attack("inventory ini file", {"inventory/extra.ini": f"[lab]\nnode1 payload=\"{PIPE}\"\n"}, "inventory/extra.ini"),
    Attack("group vars: in hosts.yml", {"inventory/hosts.yml": (
        "all:\n  children:\n    lab:\n      vars:\n        payload: \"" + PIPE + "\"\n      hosts:\n        node1:\n"
        "          ansible_connection: local\n"
        "          ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n")},
        "inventory/hosts.yml", rule="plan-inventory-code"),
    Attack("group_vars json", {"inventory/group_vars/lab.json": '{"payload": "' + PIPE + '"}\n'},
           "inventory/group_vars/lab.json"),
    Attack("group_vars without extension", {"inventory/group_vars/lab": f'payload: "{PIPE}"\n'},
           "inventory/group_vars/lab"),
    Attack("host_vars without extension", {"inventory/host_vars/node1": f'payload: "{PIPE}"\n'},
           "inventory/host_vars/node1"),
    Attack("pipe in chosen group_vars", {"inventory/group_vars/lab.yml": f'payload: "{PIPE}"\n'},
           "inventory/group_vars/lab.yml", rule="plan-inventory-code"),
    Attack("playbook group_vars", {"playbooks/group_vars/all.yml": f'payload: "{PIPE}"\n'},
           "playbooks/group_vars/all.yml"),
    Attack("playbook host_vars", {"playbooks/host_vars/node1.yml": f'payload: "{PIPE}"\n'},
           "playbooks/host_vars/node1.yml"),
    Attack("filter plugin", {"playbooks/filter_plugins/shadow.py": PLUGIN + (
        "class FilterModule:\n    def filters(self):\n        return {'to_json': lambda value: 'shadowed'}\n")},
        "playbooks/filter_plugins/shadow.py"),
    Attack("lookup plugin", {"playbooks/lookup_plugins/env.py": PLUGIN + (
        "from ansible.plugins.lookup import LookupBase\nclass LookupModule(LookupBase):\n"
        "    def run(self, terms, variables=None, **kwargs):\n        return ['shadowed']\n")},
        "playbooks/lookup_plugins/env.py"),
    Attack("vars plugin", {"playbooks/vars_plugins/extra.py": PLUGIN + (
        "from ansible.plugins.vars import BaseVarsPlugin\nclass VarsModule(BaseVarsPlugin):\n"
        "    def get_vars(self, loader, path, entities, cache=True):\n        return {}\n")},
        "playbooks/vars_plugins/extra.py"),
    Attack("library module", {"playbooks/library/ping.py": SHADOW_PING},
        "playbooks/library/ping.py"),
    Attack("library of a role", {
        "playbooks/roles/base/tasks/main.yml": "- name: Ping by short name\n  ping:\n",
        "playbooks/roles/base/library/ping.py": SHADOW_PING},
        "playbooks/roles/base/library/ping.py",
        site=SITE + "\n- name: Base\n  hosts: all\n  gather_facts: false\n  roles:\n    - base\n"),
    Attack("ansible.cfg in the work tree", {"ansible.cfg": "[defaults]\nlibrary = modules\n",
                                             "modules/ping.py": SHADOW_PING}, "ansible.cfg"),
    Attack("module_utils shadowing core", {"playbooks/module_utils/basic.py": shadow_basic()},
           "playbooks/module_utils/basic.py"),
    Attack("connection plugin", {"playbooks/connection_plugins/local.py": PLUGIN + (
        "from ansible.plugins.connection.local import Connection, DOCUMENTATION  # noqa\n")},
        "playbooks/connection_plugins/local.py"),
    Attack("shadowed ansible.netcommon", {f"{NETCOMMON}/plugins/filter/vlan_parser.py": PLUGIN + (
        "class FilterModule:\n    def filters(self):\n        return {'vlan_parser': lambda value: 'shadowed'}\n")},
        f"{NETCOMMON}/plugins/filter/vlan_parser.py"),
    Attack("role in playbooks/collections", {
        "playbooks/collections/ansible_collections/acme/ops/roles/probe/tasks/main.yml": (
            "- name: Probe\n  ansible.builtin.command: touch MARKER\n")},
        "playbooks/collections/ansible_collections/acme/ops/roles/probe/tasks/main.yml",
        site=SITE + "\n- name: Probe\n  hosts: all\n  gather_facts: false\n  roles:\n    - acme.ops.probe\n"),
    Attack("templated include_tasks", {"playbooks/tasks/extra.yml": (
        "- name: Extra\n  ansible.builtin.command: touch MARKER\n")},
        "playbooks/site.yml", rule="plan-unresolved",
        site=SITE + "    - name: Include by name\n      ansible.builtin.include_tasks: \"tasks/{{ which }}.yml\"\n"
                    "      vars:\n        which: extra\n"),
    Attack("templated lookup('template')", {"playbooks/templates/extra.j2": PIPE + "\n"},
           "playbooks/site.yml", rule="plan-unresolved",
           site=SITE + "    - name: Render by name\n      ansible.builtin.debug:\n"
                       "        msg: \"{{ lookup('template', which ~ '.j2') }}\"\n      vars:\n        which: extra\n"),
    Attack("templated template src", {"playbooks/templates/extra.j2": PIPE + "\n"},
           "playbooks/site.yml", rule="plan-unresolved",
           site=SITE + "    - name: Render by name\n      ansible.builtin.template:\n"
                       "        src: \"{{ which }}.j2\"\n        dest: \"{{ playbook_dir }}/out.txt\"\n"
                       "      vars:\n        which: extra\n"),
]


def _plant(repo: Path, attack: Attack, marker: Path) -> None:
    files = {name: text.replace("MARKER", str(marker)) for name, text in attack.files.items()}
    make_estate(repo, site=attack.site.replace("MARKER", str(marker)))
    write(repo, files, executable=attack.executable)
    commit(repo, f"plant: {attack.name}")


def direct_run(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """ansible-playbook as it would run from the repository, with its own inventory folder."""
    env = {**os.environ, "PATH": f"{BIN}:/usr/bin:/bin", "ANSIBLE_HOME": str(home)}
    return subprocess.run([str(BIN / "ansible-playbook"), "-i", str(repo / "inventory"),
                           str(repo / "playbooks" / "site.yml")], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=180)


def bundle_run(repo: Path, work: Path) -> tuple[PlanResolution, Bundle, Any]:
    """Resolve and seal the committed plan, then run its implementation playbook through ansible-runner."""
    with GitTree(repo, "HEAD") as tree:
        resolution = resolve_plan(tree, CHANGE)
        bundle = build_bundle(resolution, tree, work / "bundle")
    env = {**bundle.env(), "PATH": f"{BIN}:/usr/bin:/bin", "ANSIBLE_HOME": str(work / "ansible-home")}
    (work / "runner").mkdir()
    runner = ansible_runner.run(private_data_dir=str(work / "runner"), project_dir=str(bundle.project),
                                playbook=str(bundle.playbook("implementation")), inventory=str(bundle.inventory),
                                envvars=env, quiet=True)
    return resolution, bundle, runner


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_a_planted_file_never_loads_from_the_bundle(attack: Attack, tmp_path: Path) -> None:
    repo, marker = tmp_path / "repo", tmp_path / "marker"
    _plant(repo, attack, marker)
    direct = direct_run(repo, tmp_path / "direct-home")
    assert marker.exists(), f"the payload does not work outside the bundle either:\n{direct.stdout}{direct.stderr}"
    marker.unlink()

    resolution, bundle, runner = bundle_run(repo, tmp_path / "sealed")

    assert not marker.exists(), f"{attack.name}: the payload ran from the bundle"
    named = [f for f in resolution.findings if f.file == attack.payload and f.rule == attack.rule]
    if attack.rule is None:
        assert attack.payload not in resolution.manifest.paths
        beside = bundle.root / attack.payload if attack.payload.startswith("inventory/") else bundle.project
        assert not (bundle.project / attack.payload).exists() and not beside.is_file()
        assert runner.rc == 0 or "acme.ops.probe" in attack.site
    else:
        assert named, f"no {attack.rule} finding names {attack.payload}: {resolution.findings}"
        written = (repo / attack.payload).read_text().splitlines()[named[0].line - 1]
        assert "{{" in written, f"the finding points at line {named[0].line}: {written!r}"


def test_the_bundle_run_uses_the_installed_collections_and_plugins(tmp_path: Path) -> None:
    repo = make_estate(tmp_path / "repo", site=SITE + USES)
    commit(repo)
    _, _, runner = bundle_run(repo, tmp_path / "sealed")
    messages = [e["event_data"]["res"].get("msg", "") for e in runner.events if e["event"] == "runner_on_ok"]
    assert runner.rc == 0
    assert any('{"a": 1}' in str(m) and "shadowed" not in str(m) for m in messages), messages


LEGIT = SITE + """\
    - name: Render the banner
      ansible.builtin.template:
        src: motd.j2
        dest: "{{ out_dir }}/motd.txt"
    - name: Show the reviewed note
      ansible.builtin.debug:
        msg: "note={{ lookup('ansible.builtin.file', 'note.txt') }}"
"""


def test_a_resolved_template_and_file_lookup_run_and_are_covered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    repo = make_estate(tmp_path / "repo", site=LEGIT.replace("{{ out_dir }}", str(out)), extra={
        "playbooks/templates/motd.j2": "maintenance on {{ inventory_hostname }}: {{ lookup('file', 'note.txt') }}\n",
        "playbooks/files/note.txt": "window 00:30-04:30"})
    commit(repo)
    resolution, _, runner = bundle_run(repo, tmp_path / "first")
    assert resolution.findings == []
    assert {"playbooks/templates/motd.j2", "playbooks/files/note.txt"} <= set(resolution.manifest.paths)
    assert runner.rc == 0
    assert (out / "motd.txt").read_text() == "maintenance on node1: window 00:30-04:30\n"

    digests = [resolution.digest]
    for name, text in (("playbooks/files/note.txt", "window 01:00-05:00"),
                       ("playbooks/templates/motd.j2", "maintenance: {{ lookup('file', 'note.txt') }}\n")):
        write(repo, {name: text})
        commit(repo, f"edit {name}")
        with GitTree(repo, "HEAD") as tree:
            digests.append(resolve_plan(tree, CHANGE).digest)
    assert len(set(digests)) == 3


def test_plugin_paths_inherited_by_the_runner_do_not_reach_ansible(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    marker, outside = tmp_path / "marker", tmp_path / "outside"
    write(outside, {"library/ping.py": SHADOW_PING.replace("MARKER", str(marker)),
                    "filter_plugins/shadow.py": PLUGIN.replace("MARKER", str(marker))})
    # ansible-runner hands its own environment down to ansible-playbook
    monkeypatch.setenv("ANSIBLE_LIBRARY", str(outside / "library"))
    monkeypatch.setenv("ANSIBLE_FILTER_PLUGINS", str(outside / "filter_plugins"))
    repo = make_estate(tmp_path / "repo", site=SITE + USES)
    commit(repo)
    direct_run(repo, tmp_path / "direct-home")
    assert marker.exists()
    marker.unlink()
    _, _, runner = bundle_run(repo, tmp_path / "sealed")
    assert runner.rc == 0 and not marker.exists()


DEMO_CHANGES = sorted(path.parent.name for path in (Path(__file__).resolve().parents[2] / "changes").glob(
    "*/change.yaml"))


@pytest.mark.parametrize("change", DEMO_CHANGES)
def test_every_demo_change_seals_and_its_playbooks_check_under_the_pinned_config(change: str,
                                                                                tmp_path: Path) -> None:
    repo = copy_estate(tmp_path / "repo")
    commit(repo)
    with GitTree(repo, "HEAD") as tree:
        resolution = resolve_plan(tree, change)
        bundle = build_bundle(resolution, tree, tmp_path / "bundle")
    assert resolution.findings == []
    env = {**os.environ, **bundle.env(), "PATH": f"{BIN}:/usr/bin:/bin", "ANSIBLE_HOME": str(tmp_path / "home")}
    playbooks = sorted({str(bundle.playbook(step)) for step in resolution.steps})
    result = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", "-i", str(bundle.inventory),
                             *playbooks], cwd=bundle.project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


FULL = """\
- name: Everything a playbook may load, named literally
  hosts: all
  gather_facts: false
  vars_files:
    - vars/common.yml
  roles:
    - role: base
  tasks:
    - ansible.builtin.import_tasks: tasks/prepare.yml
    - ansible.builtin.include_vars: {file: settings.yml}
    - ansible.builtin.copy: {src: configs/, dest: "OUT/configs/"}
    - ansible.builtin.script: check.sh OUT/script.txt
    - ansible.builtin.copy:
        content: "{{ lookup('template', 'report.j2') }}|{{ common }}|{{ setting }}|{{ role_default }}\\n"
        dest: OUT/report.txt

- ansible.builtin.import_playbook: more/second.yml
"""


def test_a_playbook_using_every_static_reference_runs_from_the_bundle(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    repo = make_estate(tmp_path / "repo", site=FULL.replace("OUT", str(out)), extra={
        "playbooks/vars/common.yml": "common: c\n", "playbooks/vars/settings.yml": "setting: s\n",
        "playbooks/tasks/prepare.yml": "- ansible.builtin.include_tasks: nested.yml\n",
        "playbooks/tasks/nested.yml": "- ansible.builtin.debug: {msg: nested}\n",
        "playbooks/files/configs/a.cfg": "a\n", "playbooks/files/check.sh": "#!/bin/sh\necho ran > \"$1\"\n",
        "playbooks/templates/report.j2": "{% include 'part.j2' %}", "playbooks/templates/part.j2": "part",
        "playbooks/roles/base/defaults/main.yml": "role_default: d\n",
        "playbooks/roles/base/tasks/main.yml": (
            f"- ansible.builtin.template: {{src: motd.j2, dest: {out}/motd.txt}}\n"
            f"- ansible.builtin.copy: {{src: banner.txt, dest: {out}/banner.txt}}\n"),
        "playbooks/roles/base/templates/motd.j2": "motd {{ inventory_hostname }}\n",
        "playbooks/roles/base/files/banner.txt": "banner\n",
        "playbooks/more/second.yml": (
            f"- hosts: all\n  gather_facts: false\n  tasks:\n"
            f"    - ansible.builtin.template: {{src: second.j2, dest: {out}/second.txt}}\n"),
        "playbooks/more/templates/second.j2": "second\n",
    })
    commit(repo)
    resolution, _, runner = bundle_run(repo, tmp_path / "sealed")
    assert resolution.findings == [] and runner.rc == 0, runner.stdout.read()
    assert {p.name: p.read_text() for p in out.rglob("*") if p.is_file()} == {
        "a.cfg": "a\n", "script.txt": "ran\n", "report.txt": "part|c|s|d\n", "motd.txt": "motd node1\n",
        "banner.txt": "banner\n", "second.txt": "second\n"}
