"""resolve_plan: what a plan covers, the same digest from a commit and a folder, findings where they are written."""

from __future__ import annotations

from pathlib import Path

import pytest
from changeops.bundle import GitTree, PlanResolution, WorkTree, resolve_plan
from changeops.bundle.manifest import VERSION
from changeops.estate.layout import Estate
from changeops.findings import Finding
from conftest import copy_estate
from plan_estate import CHANGE, HOSTS, SITE, commit, make_estate, record_text, write

HINT = "name the file literally, or list the candidates with a `when:` per include"


def resolve(root: Path, change_id: str = CHANGE) -> PlanResolution:
    return resolve_plan(WorkTree(root), change_id)


def only(findings: list[Finding], rule: str) -> Finding:
    chosen = [f for f in findings if f.rule == rule]
    assert len(chosen) == 1, findings
    return chosen[0]


def test_the_demo_changes_digest_the_same_from_a_commit_and_from_the_folder(tmp_path: Path) -> None:
    root = copy_estate(tmp_path / "estate")
    commit(root)
    ids = [path.parent.name for path in Estate(root).record_files()]
    with GitTree(root, "HEAD") as tree:
        from_commit = {change: resolve_plan(tree, change) for change in ids}
    for change in ids:
        from_folder = resolve(root, change)
        assert from_folder.findings == [] and from_commit[change].findings == []
        assert from_folder.digest == from_commit[change].digest
        assert from_folder.manifest == from_commit[change].manifest
    smu = from_commit[CHANGE]
    assert smu.manifest.paths == (
        f"changes/{CHANGE}/change.yaml", "inventory/group_vars/ios.yml", "inventory/host_vars/sy-dc1-core-r1.yml",
        "inventory/host_vars/sy-dc1-core-r2.yml", "playbooks/backup.yml", "playbooks/patch.yml",
        "playbooks/precheck.yml", "playbooks/rollback.yml", "playbooks/verify.yml")
    assert smu.manifest.canonical_text().startswith(VERSION + "\n")
    assert smu.digest.startswith("sha256:") and len(set(r.digest for r in from_commit.values())) == len(ids)


def test_approvals_and_runs_of_the_change_are_never_covered(tmp_path: Path) -> None:
    root = make_estate(tmp_path, extra={f"changes/{CHANGE}/approvals/ann.yaml": "decision: approve\n",
                                        f"changes/{CHANGE}/runs/R1/summary.yaml": "result: ok\n"})
    before = resolve(root)
    write(root, {f"changes/{CHANGE}/approvals/bob.yaml": "decision: approve\n"})
    assert resolve(root).digest == before.digest
    assert not any("/approvals/" in p or "/runs/" in p for p in before.manifest.paths)


@pytest.mark.parametrize(("edit", "changes_digest"), [
    ({"inventory/hosts.yml": HOSTS.replace("    lab:\n", "    lab:\n      vars:\n        ntp: 10.0.0.1\n")}, True),
    ({"inventory/hosts.yml": HOSTS.replace("        node1:\n", "        node1:\n          site: b\n")}, True),
    ({"inventory/hosts.yml": HOSTS.replace("        node3:\n", "        node3:\n          site: b\n")}, False),
    ({"inventory/host_vars/node1.yml": "site: b\n"}, True),
    ({"inventory/host_vars/node1/extra.yaml": "site: b\n"}, True),
    ({"inventory/group_vars/all.yml": "ntp: 10.0.0.1\n"}, True),
    ({"inventory/group_vars/lab/ntp.yml": "ntp: 10.0.0.1\n"}, True),
    ({"inventory/host_vars/node3.yml": "site: b\n"}, False),
    ({"inventory/group_vars/spare.yml": "ntp: 10.0.0.1\n"}, False),
    ({"inventory/group_vars/lab": "ntp: 10.0.0.1\n"}, False),  # never copied, so it cannot load
    ({"inventory/group_vars/lab.json": '{"ntp": "10.0.0.1"}'}, False),
    ({"playbooks/unused.yml": "- hosts: all\n"}, False),
])
def test_what_the_inventory_side_covers(tmp_path: Path, edit: dict[str, str], changes_digest: bool) -> None:
    root = make_estate(tmp_path)
    before = resolve(root)
    write(root, edit)
    after = resolve(root)
    assert (after.digest != before.digest) is changes_digest
    assert after.findings == []


def test_the_generated_inventory_holds_only_the_targets_and_their_groups(tmp_path: Path) -> None:
    hosts = HOSTS.replace("    lab:\n", "    lab:\n      vars:\n        ntp: 10.0.0.1\n") + (
        "    dc:\n      children:\n        lab:\n        spare:\n")
    root = make_estate(tmp_path, extra={"inventory/hosts.yml": hosts})
    inventory = resolve(root).manifest.inventory["all"]
    assert set(inventory["hosts"]) == {"node1"}
    assert inventory["children"]["lab"] == {"hosts": {"node1": None}, "vars": {"ntp": "10.0.0.1"}}
    assert inventory["children"]["dc"] == {"children": {"lab": None}}
    assert "spare" not in inventory["children"]


def test_the_playbook_closure_follows_every_static_reference(tmp_path: Path) -> None:
    site = SITE + """\
    - ansible.builtin.import_tasks: tasks/prepare.yml
    - ansible.builtin.include_vars: {file: settings.yml}
    - ansible.builtin.copy: {src: configs/, dest: /tmp/x}
    - ansible.builtin.debug: {msg: "{{ lookup('template', 'report.j2') }}"}
    - ansible.builtin.debug: {msg: "{{ item }}"}
      with_first_found: [missing.txt, present.txt]
      when: lookup('file', 'flag.txt') == 'on'
  roles:
    - role: base
  vars_files:
    - vars/common.yml

- ansible.builtin.import_playbook: more/second.yml
- ansible.builtin.import_playbook: acme.ops.site
"""
    root = make_estate(tmp_path, site=site, extra={
        "playbooks/tasks/prepare.yml": "- ansible.builtin.include_tasks: nested.yml\n",
        "playbooks/tasks/nested.yml": "- ansible.builtin.debug: {msg: nested}\n",
        "playbooks/vars/settings.yml": "a: 1\n", "playbooks/vars/common.yml": "b: 2\n",
        "playbooks/files/configs/a.cfg": "x\n", "playbooks/files/configs/b.cfg": "y\n",
        "playbooks/files/present.txt": "p\n", "playbooks/files/flag.txt": "on",
        "playbooks/templates/report.j2": "{% include 'part.j2' %}\n", "playbooks/templates/part.j2": "part\n",
        "playbooks/roles/base/tasks/main.yml": "- ansible.builtin.template: {src: motd.j2, dest: /etc/motd}\n",
        "playbooks/roles/base/templates/motd.j2": "hello\n", "playbooks/roles/base/defaults/main.yml": "c: 3\n",
        "playbooks/roles/base/meta/main.yml": "dependencies: [common]\n",
        "playbooks/roles/common/handlers/main.yml": "[]\n", "playbooks/roles/base/library/mod.py": "code\n",
        "playbooks/more/second.yml": "- hosts: all\n  tasks:\n    - ansible.builtin.script: check.sh --fast\n"
                                     "    - ansible.builtin.script: {cmd: tidy.sh --all}\n",
        "playbooks/more/files/tidy.sh": "#!/bin/sh\n",
        "playbooks/more/files/check.sh": "#!/bin/sh\n",
    })
    resolution = resolve(root)
    assert resolution.findings == []
    assert set(resolution.manifest.paths) == {
        f"changes/{CHANGE}/change.yaml", "playbooks/site.yml", "playbooks/tasks/prepare.yml",
        "playbooks/tasks/nested.yml", "playbooks/vars/settings.yml", "playbooks/vars/common.yml",
        "playbooks/files/configs/a.cfg", "playbooks/files/configs/b.cfg", "playbooks/files/present.txt",
        "playbooks/files/flag.txt", "playbooks/templates/report.j2", "playbooks/templates/part.j2",
        "playbooks/roles/base/tasks/main.yml", "playbooks/roles/base/templates/motd.j2",
        "playbooks/roles/base/defaults/main.yml", "playbooks/roles/base/meta/main.yml",
        "playbooks/roles/common/handlers/main.yml", "playbooks/more/second.yml", "playbooks/more/files/check.sh",
        "playbooks/more/files/tidy.sh"}


UNRESOLVED = [
    ("templated include", '    - ansible.builtin.include_tasks: "tasks/{{ which }}.yml"\n', "plan-unresolved"),
    ("missing file", "    - ansible.builtin.import_tasks: tasks/absent.yml\n", "plan-unresolved"),
    ("absolute src", "    - ansible.builtin.copy: {src: /etc/shadow, dest: /tmp/x}\n", "plan-unresolved"),
    ("climbing src", "    - ansible.builtin.template: {src: ../../../etc/motd.j2, dest: /tmp/x}\n",
     "plan-unresolved"),
    ("computed lookup name", "    - ansible.builtin.debug: {msg: \"{{ lookup('file', name) }}\"}\n",
     "plan-unresolved"),
    ("fileglob", "    - ansible.builtin.debug: {msg: \"{{ lookup('fileglob', '*.txt') }}\"}\n", "plan-unresolved"),
    ("unknown lookup", "    - ansible.builtin.debug: {msg: \"{{ query('community.general.filetree', 'x') }}\"}\n",
     "plan-unresolved"),
    ("include_vars dir", "    - ansible.builtin.include_vars: {dir: vars}\n", "plan-unresolved"),
    ("with_file computed", "    - ansible.builtin.debug: {msg: x}\n      with_file: [\"{{ name }}.txt\"]\n",
     "plan-unresolved"),
    ("bare condition", "    - ansible.builtin.debug: {msg: x}\n      when: lookup('file', name) == 'on'\n",
     "plan-unresolved"),
    ("special folder", "    - ansible.builtin.include_vars: group_vars/all.yml\n", "plan-special-folder"),
    ("plugin file as src", "    - ansible.builtin.copy: {src: filter_plugins/x.py, dest: /tmp/x}\n",
     "plan-special-folder"),
]


@pytest.mark.parametrize(("case", "task", "rule"), UNRESOLVED, ids=[c[0] for c in UNRESOLVED])
def test_a_reference_that_cannot_be_sealed_is_a_finding_where_it_is_written(tmp_path: Path, case: str, task: str,
                                                                           rule: str) -> None:
    root = make_estate(tmp_path, site=SITE + task, extra={
        "playbooks/group_vars/all.yml": "a: 1\n", "playbooks/filter_plugins/x.py": "code\n"})
    finding = only(resolve(root).findings, rule)
    assert (finding.file, finding.line) == ("playbooks/site.yml", SITE.count("\n") + 1 + ("when" in task)
                                           + ("with_file" in task))
    assert finding.column > 1 and finding.message and finding.severity.value == "error"
    assert finding.hint == HINT if rule == "plan-unresolved" else "Ansible loads that folder" in finding.hint
    assert not any("group_vars" in p or "_plugins" in p for p in resolve(root).manifest.paths)


def test_findings_in_a_template_and_in_the_record_name_their_lines(tmp_path: Path) -> None:
    site = SITE + "    - ansible.builtin.template: {src: page.j2, dest: /tmp/page}\n"
    record = record_text(["node1", "nosuch"]).replace("playbook: site.yml", "playbook: absent.yml", 1)
    root = make_estate(tmp_path, site=site, extra={
        "playbooks/templates/page.j2": "line one\n{{ lookup('file', host ~ '.txt') }}\n",
        f"changes/{CHANGE}/change.yaml": record})
    findings = resolve(root).findings
    template = [f for f in findings if f.file.endswith("page.j2")][0]
    assert (template.rule, template.line) == ("plan-unresolved", 2)
    target = only(findings, "plan-target")
    lines = record.splitlines()
    assert "nosuch" in lines[target.line - 1]
    step = [f for f in findings if f.file.endswith("change.yaml") and f.rule == "plan-unresolved"][0]
    assert "absent.yml" in lines[step.line - 1]


def test_an_unreadable_playbook_is_a_finding_and_a_vault_file_is_still_sealed(tmp_path: Path) -> None:
    vault = "secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n"
    site = SITE + "  vars_files: [vars/secret.yml]\n    - broken: [\n"
    root = make_estate(tmp_path, site=site, extra={"playbooks/vars/secret.yml": vault,
                                                   "inventory/host_vars/node1.yml": vault})
    resolution = resolve(root)
    assert only(resolution.findings, "plan-unreadable").file == "playbooks/site.yml"
    root2 = make_estate(tmp_path / "two", site=SITE + "  vars_files: [vars/secret.yml]\n",
                        extra={"playbooks/vars/secret.yml": vault, "inventory/host_vars/node1.yml": vault})
    sealed = resolve(root2)
    assert sealed.findings == []
    assert {"playbooks/vars/secret.yml", "inventory/host_vars/node1.yml"} <= set(sealed.manifest.paths)


def test_the_playbooks_can_come_from_another_tree_than_the_record(tmp_path: Path) -> None:
    trusted = make_estate(tmp_path / "main")
    commit(trusted)
    git_branch = tmp_path / "main"
    write(git_branch, {"playbooks/site.yml": SITE + "    - ansible.builtin.command: echo branch\n",
                       f"changes/{CHANGE}/change.yaml": record_text(["node1", "node2"])})
    with GitTree(trusted, "HEAD") as base:
        preview = resolve_plan(WorkTree(git_branch), CHANGE, playbook_source=base)
        assert preview.hosts == ["node1", "node2"]
        assert preview.manifest.entry("playbooks/site.yml").sha256 == (  # type: ignore[union-attr]
            resolve_plan(base, CHANGE).manifest.entry("playbooks/site.yml").sha256)  # type: ignore[union-attr]
    assert resolve(git_branch).digest != preview.digest


def test_a_missing_record_is_a_finding_not_an_exception(tmp_path: Path) -> None:
    root = make_estate(tmp_path)
    resolution = resolve(root, "CHG-20990101-nothing")
    assert [f.rule for f in resolution.findings] == ["plan-record"] and resolution.manifest.entries == ()
    write(root, {f"changes/{CHANGE}/change.yaml": "id: [\n"})
    assert resolve(root).findings[0].rule == "yaml-syntax"


@pytest.mark.parametrize("site", [
    "- hosts: all\n  roles:\n    - role: [1, 2]\n    - {name: {nested: x}}\n",
    "- hosts: all\n  tasks:\n    - include_tasks: {file: [a, b]}\n    - import_role: {}\n    - {1: 2, ? [a] : b}\n",
    "- hosts: all\n  vars_files: [[], [{a: 1}], 7]\n  tasks:\n    - template: 'src=\"unclosed dest=/x'\n",
    "- hosts: all\n  tasks:\n    - debug: {msg: \"{{ lookup('file', 'a' }}\"}\n      with_file: 7\n",
    "just a string\n", "[[[[[[[[[[[[]]]]]]]]]]]]\n", "- hosts: all\n  tasks: !unsafe '{{ x }}'\n",
])
def test_malformed_playbooks_give_findings_never_a_traceback(tmp_path: Path, site: str) -> None:
    resolution = resolve(make_estate(tmp_path, site=site))
    assert all(f.file == "playbooks/site.yml" and f.line >= 1 and f.hint for f in resolution.findings)
    assert "playbooks/site.yml" in resolution.manifest.paths


@pytest.mark.parametrize("hosts", [
    "all:\n  children:\n    lab:\n      hosts: [node1]\n", "all:\n  children:\n    lab: [node1]\n",
    "all:\n  children:\n    lab:\n      hosts:\n        node1: just-a-string\n", "- a list\n",
    "all:\n  children:\n    lab:\n      vars: [1]\n      hosts:\n        node1:\n",
])
def test_a_malformed_inventory_is_a_finding_with_its_line(tmp_path: Path, hosts: str) -> None:
    findings = resolve(make_estate(tmp_path, extra={"inventory/hosts.yml": hosts})).findings
    shape = [f for f in findings if f.file == "inventory/hosts.yml"]
    assert shape and shape[0].rule == "inventory-shape" and shape[0].hint
    assert any(f.rule == "plan-target" for f in findings)


def test_a_role_template_is_read_for_what_it_includes_when_a_task_renders_it(tmp_path: Path) -> None:
    # the role is copied (its templates with it) before the play's task names one of them
    site = ("- hosts: all\n  roles: [web]\n  tasks:\n"
            "    - ansible.builtin.template: {src: roles/web/templates/page.j2, dest: /tmp/page}\n")
    root = make_estate(tmp_path, site=site, extra={
        "playbooks/roles/web/tasks/main.yml": "- ansible.builtin.template: {src: other.j2, dest: /tmp/other}\n",
        "playbooks/roles/web/templates/page.j2": "{% include 'common.j2' %}\n",
        "playbooks/roles/web/templates/other.j2": "\n\n{{ lookup('file', name) }}\n",
        "playbooks/templates/common.j2": "shared\n"})
    resolution = resolve(root)
    assert "playbooks/templates/common.j2" in resolution.manifest.paths
    finding = only(resolution.findings, "plan-unresolved")
    assert (finding.file, finding.line) == ("playbooks/roles/web/templates/other.j2", 3)


def test_a_playbook_edited_in_a_running_process_is_followed_afresh(tmp_path: Path) -> None:
    """What a playbook refers to is remembered by its bytes (a site build resolves thousands of plans): an edit
    under the same path, as `mkdocs serve` sees one, is read again and cannot hide a new include."""
    root = make_estate(tmp_path, extra={"playbooks/tasks/extra.yml": "- ansible.builtin.debug: {msg: x}\n"})
    first = resolve(root)
    write(root, {"playbooks/site.yml": SITE + "    - ansible.builtin.import_tasks: tasks/extra.yml\n"})
    edited = resolve(root)
    assert "playbooks/tasks/extra.yml" in edited.manifest.paths
    assert "playbooks/tasks/extra.yml" not in first.manifest.paths and edited.digest != first.digest
    write(root, {"playbooks/site.yml": SITE})
    assert resolve(root).manifest == first.manifest
