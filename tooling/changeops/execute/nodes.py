"""Execution nodes: which machine inside a customer's network runs a change, declared in ``policies/nodes.yml``.

A node is reached over SSH (address, port, user, and the host key the controller pins it
to) and serves part of the estate: customers, sites, inventory groups or single hosts.
Every criterion a node lists must match a host (customers *and* sites, say); within one
criterion any listed value does. A change runs on a node only when every one of its target
hosts is served by that node and by no other; anything else is refused before a device is
touched, with a finding that names the hosts and their nodes. The file is read from the
trusted ref, like every policy: a branch cannot send a change to a machine of its choosing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from changeops.estate.inventory import Inventory
from changeops.findings import Finding, Severity
from changeops.records.fields import NonEmpty, Strict
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import load

FILE = "policies/nodes.yml"
NodeName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=63)]
PUBLIC_KEY = (r"^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512)|ssh-rsa) "
              r"[A-Za-z0-9+/=]+( [^\r\n]*)?$")
"""An OpenSSH public key on one line: type, base64, an optional comment."""
HostKey = Annotated[str, Field(pattern=PUBLIC_KEY)]
NodePath = Annotated[str, Field(pattern=r"^/[A-Za-z0-9._+/-]*$", description="an absolute path of letters, "
                                                                              "digits and . _ + - /")]
"""Written into the forced command of the node's authorized_keys, so no quote or space can end it."""


class Serves(Strict):
    """What a node reaches; an empty list does not restrict, but at least one list must be given."""

    customers: list[NonEmpty] = []
    sites: list[NonEmpty] = []
    groups: list[NonEmpty] = []
    hosts: list[NonEmpty] = []


class Serving(Strict):
    """Something that runs changes for part of the estate: an SSH execution node or an AWX/AAP controller."""

    name: NodeName
    serves: Serves

    def serves_host(self, host: str, inventory: Inventory) -> bool:
        """Whether every criterion this node lists matches ``host``."""
        facts = inventory.facts.get(host)
        checks = [
            (self.serves.customers, facts is not None and facts.customer in self.serves.customers),
            (self.serves.sites, facts is not None and facts.site in self.serves.sites),
            (self.serves.groups, any(host in inventory.groups.get(g, set()) for g in self.serves.groups)),
            (self.serves.hosts, host in self.serves.hosts),
        ]
        listed = [matched for values, matched in checks if values]
        return bool(listed) and all(listed)


class AwxController(Serving):
    """An AWX / AAP controller that runs the changes of what it serves, one job template per playbook.

    The API token is never in the repository: it comes from ``CHANGEOPS_AWX_TOKEN`` on the runner.
    """

    url: NonEmpty
    templates: dict[str, int] = Field(min_length=1, description="playbook path (playbooks/patch.yml) -> job "
                                                                 "template id")
    poll_seconds: float = Field(default=2.0, gt=0, le=60)


class Node(Serving):
    """One execution node: how to reach it over SSH and what it serves."""

    address: NonEmpty
    port: int = Field(default=22, gt=0, lt=65536)
    user: NonEmpty
    host_key: HostKey
    """The node's SSH host key (a known_hosts key: type and base64), pinned: no other key is accepted."""
    bin_dir: NodePath = "/usr/local/bin"
    """Where ``ansible-runner``, ``ansible-playbook`` and the tether (``changeops-tether``) are."""
    python: NodePath = "/usr/bin/python3"
    """The Python that runs the tether (3.9 or later; it uses the standard library only)."""
    connect_timeout: int = Field(default=10, gt=0, le=300)
    silence_limit: int = Field(default=120, gt=0, le=3600)
    """Seconds the node may send nothing (the worker sends a keepalive every ``keepalive`` seconds)."""
    keepalive: int = Field(default=10, gt=0, le=600)

    @property
    def endpoint(self) -> str:
        return f"{self.user}@{self.address}:{self.port}"


class NodesFile(Strict):
    nodes: list[Node] = []
    awx: list[AwxController] = []

    @property
    def every(self) -> list[Serving]:
        return [*self.nodes, *self.awx]


@dataclass
class NodeChoice:
    """The node every target maps to, or the findings that refuse the run."""

    node: Serving | None = None
    findings: list[Finding] = field(default_factory=list)


def parse_nodes(raw: bytes | None) -> tuple[NodesFile, list[Finding]]:
    """``policies/nodes.yml`` as a model; a missing file declares no node; problems are findings."""
    if raw is None:
        return NodesFile(), []
    doc = load(raw)
    if doc.problem is not None:
        p = doc.problem
        return NodesFile(), [Finding(FILE, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)]
    try:
        parsed = NodesFile.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as err:
        return NodesFile(), list(schema_findings(err, doc, FILE, NodesFile))
    names = [n.name for n in parsed.every]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        return NodesFile(), [_refusal(f"node {', '.join(twice)} is declared more than once in {FILE}",
                                      "give every node a name of its own", rule="node-duplicate")]
    return parsed, []


def read_nodes(policies: Path) -> tuple[NodesFile, list[Finding]]:
    """The ``nodes.yml`` of a policies folder (a checkout's, not the trusted ref's); none declared when missing."""
    path = policies / "nodes.yml"
    return parse_nodes(path.read_bytes() if path.is_file() else None)


def nodes_of_hosts(nodes: NodesFile, hosts: list[str], inventory: Inventory) -> dict[str, list[str]]:
    """host -> the names of the nodes serving it (empty when none does)."""
    return {host: [n.name for n in nodes.every if n.serves_host(host, inventory)] for host in hosts}


def choose_node(nodes: NodesFile, hosts: list[str], inventory: Inventory, wanted: str) -> NodeChoice:
    """The node ``wanted`` when it serves every host and no other node serves any of them; else refusals."""
    by_name = {n.name: n for n in nodes.every}
    if wanted not in by_name:
        known = ", ".join(sorted(by_name)) or "none"
        return NodeChoice(findings=[_refusal(f"node {wanted!r} is not declared in {FILE} of the trusted ref "
                                             f"(declared: {known})", f"declare it in {FILE} on main, or use one of "
                                             "the declared nodes", rule="node-unknown")])
    served = nodes_of_hosts(nodes, hosts, inventory)
    problems = [f"{host} ({_names(names)})" for host, names in sorted(served.items()) if names != [wanted]]
    if problems:
        return NodeChoice(findings=[_refusal(
            f"the targets do not all map to node {wanted} alone: {'; '.join(problems)}",
            "split the change so that each one's targets are served by exactly one node, or correct "
            f"the node's `serves` in {FILE}", rule="node-span")])
    return NodeChoice(node=by_name[wanted])


def node_share(nodes: NodesFile, hosts: list[str], inventory: Inventory) -> set[str]:
    """The names of every node that serves at least one of ``hosts`` (which runner's share a change is)."""
    return {name for names in nodes_of_hosts(nodes, hosts, inventory).values() for name in names}


def known_hosts_line(node: Node) -> str:
    """The node's pinned host key in known_hosts format (``[address]:port`` for a port other than 22)."""
    where = node.address if node.port == 22 else f"[{node.address}]:{node.port}"
    return f"{where} {' '.join(node.host_key.split()[:2])}\n"


def _names(names: list[str]) -> str:
    return "served by " + " and ".join(names) if names else "served by no node"


def _refusal(message: str, hint: str, *, rule: str) -> Finding:
    return Finding(FILE, 0, 0, rule, Severity.ERROR, message, hint)
