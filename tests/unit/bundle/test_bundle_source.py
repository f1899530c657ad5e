"""GitTree and WorkTree: the same answers for the same content, and no way out of the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from changeops.bundle import GitTree, WorkTree, resolve_plan
from changeops.bundle.source import walk_files
from changeops.errors import UsageError
from plan_estate import CHANGE, SITE, commit, make_estate, write


@pytest.fixture
def tree_root(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write(root, {"playbooks/site.yml": "- hosts: all\n", "playbooks/roles/r/tasks/main.yml": "[]\n",
                 "inventory/hosts.yml": "all: {}\n"})
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", root / "playbooks" / "link.txt")
    os.symlink(root / "playbooks" / "roles", root / "linked-roles")
    commit(root)
    return root


def test_both_trees_read_list_and_walk_the_same(tree_root: Path) -> None:
    with GitTree(tree_root, "HEAD") as git_tree:
        for tree in (git_tree, WorkTree(tree_root)):
            assert tree.read("playbooks/site.yml") == b"- hosts: all\n"
            assert tree.read("playbooks/missing.yml") is None
            assert tree.read("playbooks") is None
            assert tree.is_dir("playbooks/roles/r") and not tree.is_dir("playbooks/site.yml")
            assert tree.list("playbooks") == ["link.txt", "roles", "site.yml"]
            assert walk_files(tree, "playbooks") == ["playbooks/roles/r/tasks/main.yml", "playbooks/site.yml"]


@pytest.mark.parametrize("path", ["playbooks/link.txt", "linked-roles/r/tasks/main.yml", "../secret.txt",
                                  "/etc/passwd", "playbooks/../../secret.txt", ".git/HEAD"])
def test_symlinks_and_paths_leaving_the_root_read_as_missing(tree_root: Path, path: str) -> None:
    with GitTree(tree_root, "HEAD") as git_tree:
        assert git_tree.read(path) is None
        assert not git_tree.is_dir("linked-roles")
    assert WorkTree(tree_root).read(path) is None
    assert not WorkTree(tree_root).is_dir("linked-roles")


def test_a_commit_is_read_as_committed_not_as_the_work_tree_holds_it(tree_root: Path) -> None:
    first = commit(tree_root, "again")
    write(tree_root, {"playbooks/site.yml": "- hosts: changed\n"})
    with GitTree(tree_root, first) as tree:
        assert tree.read("playbooks/site.yml") == b"- hosts: all\n"
    assert WorkTree(tree_root).read("playbooks/site.yml") == b"- hosts: changed\n"


def test_an_unknown_ref_is_a_usage_error(tree_root: Path) -> None:
    with pytest.raises(UsageError, match="no-such-branch"):
        GitTree(tree_root, "no-such-branch")


def test_editor_litter_in_a_working_tree_does_not_change_the_digest(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "repo", site=SITE + "  roles: [base]\n",
                       extra={"playbooks/roles/base/tasks/main.yml": "[]\n"})
    commit(root)
    write(root, {"playbooks/roles/base/tasks/.main.yml.swp": b"\0\1", "playbooks/roles/base/tasks/main.yml~": "x"})
    with GitTree(root, "HEAD") as tree:
        assert resolve_plan(WorkTree(root), CHANGE).digest == resolve_plan(tree, CHANGE).digest
