"""An execution node for the tests: a lab sshd Linux host, a controller key whose only command is a worker.

The lab's Linux hosts run a real OpenSSH sshd on 127.0.0.x as this user, so ``ansible-runner``
of this Python is on the node. Each node gets a fresh controller key, appended to the lab's
``authorized_keys`` with a forced command: the worker itself, or a wrapper a failure test
needs (one that records its pid, cuts the stream, or stalls).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from changeops.execute.backends.local import TETHER
from changeops.execute.backends.node import NODE_TETHER, NodeExecutor, authorized_keys_line, worker_command
from changeops.execute.nodes import Node
from execute_estate import approve_change, git, make_estate

BIN = str(Path(sys.executable).parent)
NODE_HOST = "sy-dc1-syslog1"


@dataclass
class TestNode:
    node: Node
    key: Path
    declaration: dict[str, Any]

    def executor(self) -> NodeExecutor:
        return NodeExecutor(self.node, self.key)


def make_node(lab, folder: Path, *, name: str = "sy-node1", forced: str | None = None, serves: dict[str, Any] | None
              = None, **settings: Any) -> TestNode:
    """A node on the lab's first Linux host; ``forced`` replaces the worker as the key's forced command."""
    from changeops_lab.credentials import linux_user
    from changeops_lab.paths import LabPaths

    folder.mkdir(parents=True, exist_ok=True)
    key = folder / f"controller-{name}"
    bin_dir = node_bin(folder / "bin")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"changeops-controller-{name}", "-f",
                    str(key)], check=True, capture_output=True)
    paths = LabPaths(lab.info.state_dir)
    linux = lab.info.linux[NODE_HOST]
    host_key = (paths.linux_host(NODE_HOST) / "ssh_host_ed25519_key.pub").read_text().split()[:2]
    declaration = {"name": name, "address": linux["address"], "port": linux["port"], "user": linux_user(),
                   "host_key": " ".join(host_key), "bin_dir": str(bin_dir),
                   "serves": serves or {"customers": ["lnpdn"]}, **settings}
    node = Node.model_validate(declaration)
    line = authorized_keys_line(node, (key.with_suffix(".pub")).read_text())
    if forced is not None:
        line = line.replace(f'command="{worker_command(node)}"', f'command="{forced}"')
    with paths.authorized_keys.open("a", encoding="utf-8") as keys:
        keys.write(line)
    return TestNode(node, key, declaration)


def node_bin(folder: Path) -> Path:
    """The node's ``bin_dir``: this Python's scripts (ansible-runner, ansible-playbook), and the tether copied in
    as the node's administrator installs it (the node's ``python`` is the default, /usr/bin/python3)."""
    if not folder.is_dir():
        folder.mkdir(parents=True)
        for script in Path(BIN).iterdir():
            (folder / script.name).symlink_to(script)
        shutil.copyfile(TETHER, folder / NODE_TETHER)
    return folder


def nodes_yaml(*nodes: TestNode) -> str:
    return yaml.safe_dump({"nodes": [n.declaration for n in nodes]}, sort_keys=False)


def node_estate(root: Path, change_id: str, targets: list[str], *nodes: TestNode, approve: bool = True) -> Path:
    """The execution estate with ``nodes`` (in place of the demo's) as policies/nodes.yml on main, approved."""
    make_estate(root, change_id, targets, approve=False)
    (root / "policies" / "nodes.yml").write_text(nodes_yaml(*nodes), encoding="utf-8")
    git(root, "commit", "-q", "-a", "--amend", "--no-edit")
    if approve:
        approve_change(root, change_id)
    return root


def wrapper(folder: Path, name: str, body: str) -> Path:
    """An executable shell script on the node (this machine) used as a forced command."""
    script = folder / name
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def worker(node_keepalive: int = 1) -> str:
    return f"{BIN}/ansible-runner worker --keepalive-seconds {node_keepalive}"
