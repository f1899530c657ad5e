"""build_bundle: exactly the manifest on disk, vault bytes intact, and an Ansible config that takes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from changeops.bundle import BundleError, GitTree, WorkTree, build_bundle, resolve_plan
from changeops.bundle.config import settings
from plan_estate import CHANGE, SITE, commit, make_estate, write

BIN = Path(sys.executable).parent
VAULT = b"secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  61626364\nsite: b\n"
TOOLING = Path(__file__).resolve().parents[3] / "tooling"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_estate(tmp_path / "repo", site=SITE + "    - ansible.builtin.template: {src: a.j2, dest: /tmp/a}\n",
                       extra={"playbooks/templates/a.j2": "a\n", "inventory/host_vars/node1.yml": VAULT,
                              "inventory/group_vars/lab.yml": "ntp: 10.0.0.1\n",
                              "inventory/group_vars/lab": "planted: yes\n", "playbooks/filter_plugins/x.py": "x\n"})
    commit(root)
    return root


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_bundle_holds_exactly_the_manifest(repo: Path, tmp_path: Path) -> None:
    with GitTree(repo, "HEAD") as tree:
        resolution = resolve_plan(tree, CHANGE)
        bundle = build_bundle(resolution, tree, tmp_path / "bundle")
    manifest = resolution.manifest
    assert files_under(bundle.project) == set(manifest.paths) - manifest.inventory_files
    assert files_under(bundle.root / "inventory") == {"hosts.yml"} | {
        p.removeprefix("inventory/") for p in manifest.inventory_files}
    assert files_under(bundle.root) - {"ansible.cfg", "manifest.json"} == (
        {f"project/{p}" for p in set(manifest.paths) - manifest.inventory_files}
        | {f"inventory/{p}" for p in files_under(bundle.root / "inventory")})
    assert (bundle.root / "inventory/host_vars/node1.yml").read_bytes() == VAULT
    assert list((bundle.root / "empty").iterdir()) == []
    sealed = json.loads((bundle.root / "manifest.json").read_text())
    assert sealed["digest"] == resolution.digest and sealed["change"] == CHANGE
    assert bundle.playbook("implementation") == bundle.project / "playbooks/site.yml"
    assert bundle.record.read_bytes() == (repo / f"changes/{CHANGE}/change.yaml").read_bytes()
    assert bundle.playbook("site.yml") == bundle.playbook("playbooks/site.yml")
    with pytest.raises(KeyError):
        bundle.playbook("inventory/host_vars/node1.yml")


def ansible(tool: str, env: dict[str, str], *args: str) -> str:
    full = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": os.environ["HOME"], "PYTHONPATH": str(TOOLING), **env}
    result = subprocess.run([str(BIN / tool), *args], env=full, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ansible_takes_every_pinned_setting_from_the_bundle_config(repo: Path, tmp_path: Path) -> None:
    bundle = build_bundle(resolve_plan(WorkTree(repo), CHANGE), WorkTree(repo), tmp_path / "bundle")
    dump = ansible("ansible-config", {"ANSIBLE_CONFIG": str(bundle.root / "ansible.cfg")}, "dump", "--only-changed")
    origin = f"({bundle.root / 'ansible.cfg'})"
    taken = {line.split("(", 1)[0]: line for line in dump.splitlines() if origin in line}
    assert len(taken) == len(settings(bundle.root, bundle.collections)) == 23
    assert f"['{bundle.root / 'empty'}']" in taken["DEFAULT_MODULE_PATH"]
    assert "['ansible.builtin.yaml']" in taken["INVENTORY_ENABLED"]
    assert taken["COLLECTIONS_PATHS"].endswith("site-packages/ansible_collections']")
    assert str(repo) not in dump
    # an inherited variable outranks the file; the bundle's environment, applied last, outranks it
    inherited = {"ANSIBLE_CONFIG": str(bundle.root / "ansible.cfg"), "ANSIBLE_LIBRARY": "/elsewhere"}
    assert "/elsewhere" in ansible("ansible-config", inherited, "dump", "--only-changed")
    assert "/elsewhere" not in ansible("ansible-config", {**inherited, **bundle.env()}, "dump", "--only-changed")


def test_the_generated_inventory_gives_the_targets_their_vars_and_nothing_else(repo: Path, tmp_path: Path) -> None:
    bundle = build_bundle(resolve_plan(WorkTree(repo), CHANGE), WorkTree(repo), tmp_path / "bundle")
    listing = json.loads(ansible("ansible-inventory", bundle.env(), "-i", str(bundle.inventory), "--list"))
    hostvars = listing["_meta"]["hostvars"]
    assert set(hostvars) == {"node1"}
    assert hostvars["node1"]["ntp"] == "10.0.0.1" and hostvars["node1"]["site"] == "b"
    assert hostvars["node1"]["ansible_connection"] == "local"
    assert "planted" not in hostvars["node1"] and "secret" in hostvars["node1"]
    assert listing["lab"]["hosts"] == ["node1"]


def test_a_bundle_is_never_built_inside_a_work_tree_or_over_other_files(repo: Path, tmp_path: Path) -> None:
    resolution = resolve_plan(WorkTree(repo), CHANGE)
    with pytest.raises(BundleError, match="inside the git work tree"):
        build_bundle(resolution, WorkTree(repo), repo / "build" / "bundle")
    write(tmp_path / "used", {"x": "y"})
    with pytest.raises(BundleError, match="not an empty folder"):
        build_bundle(resolution, WorkTree(repo), tmp_path / "used")


def test_content_changed_after_resolving_is_refused(repo: Path, tmp_path: Path) -> None:
    resolution = resolve_plan(WorkTree(repo), CHANGE)
    write(repo, {"playbooks/templates/a.j2": "changed after approval\n"})
    with pytest.raises(BundleError, match="playbooks/templates/a.j2 .* no longer matches"):
        build_bundle(resolution, WorkTree(repo), tmp_path / "bundle")
