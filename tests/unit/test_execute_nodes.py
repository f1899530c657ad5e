"""policies/nodes.yml: what a node serves, which node a change maps to, and mistakes as findings."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.execute.backends.node import authorized_keys_line, worker_command
from changeops.execute.backends.node_stream import NodeSilent, NodeStream
from changeops.execute.nodes import choose_node, known_hosts_line, node_share, parse_nodes

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx6nU5m0FJ7ml1aXQ5y2lS6t4H2G0q2v6o3b1x8Yc9Z"
NODES = f"""
nodes:
  - name: sy-node1
    address: 10.20.250.5
    user: changeops
    host_key: {KEY}
    serves: {{customers: [lnpdn], sites: [sy-dc1, sy-dc2]}}
  - name: dl-node1
    address: 10.20.3.5
    port: 2200
    user: changeops
    host_key: {KEY} dl-node1
    serves: {{sites: [dl-pop1]}}
"""


@pytest.fixture
def inventory(estate_root: Path):
    return load_inventory(Estate(estate_root))


def test_a_change_inside_one_nodes_reach_maps_to_it(inventory) -> None:
    nodes, problems = parse_nodes(NODES.encode())
    assert problems == []
    choice = choose_node(nodes, ["sy-dc1-core-r1", "sy-dc2-core-r1"], inventory, "sy-node1")
    assert choice.findings == [] and choice.node is not None and choice.node.port == 22


def test_a_change_spanning_nodes_names_each_host_and_its_node(inventory) -> None:
    nodes, _ = parse_nodes(NODES.encode())
    choice = choose_node(nodes, ["sy-dc1-core-r1", "dl-pop1-edge-r1"], inventory, "sy-node1")
    assert choice.node is None and [f.rule for f in choice.findings] == ["node-span"]
    assert "dl-pop1-edge-r1 (served by dl-node1)" in choice.findings[0].message
    assert node_share(nodes, ["sy-dc1-core-r1", "dl-pop1-edge-r1"], inventory) == {"sy-node1", "dl-node1"}


def test_a_host_no_node_serves_or_two_nodes_serve_is_refused(inventory) -> None:
    overlapping = NODES + f"""  - name: all-node
    address: 10.20.250.6
    user: changeops
    host_key: {KEY}
    serves: {{groups: [ios]}}
"""
    nodes, _ = parse_nodes(overlapping.encode())
    message = choose_node(nodes, ["sy-dc1-core-r1"], inventory, "sy-node1").findings[0].message
    assert "sy-dc1-core-r1 (served by sy-node1 and all-node)" in message
    nodes, _ = parse_nodes(NODES.encode())
    message = choose_node(nodes, ["sy-dc1-syslog1", "nowhere-host"], inventory, "sy-node1").findings[0].message
    assert "nowhere-host (served by no node)" in message


def test_every_listed_criterion_must_match(inventory) -> None:
    nodes, _ = parse_nodes(NODES.replace("customers: [lnpdn]", "customers: [other]").encode())
    assert choose_node(nodes, ["sy-dc1-core-r1"], inventory, "sy-node1").node is None


def test_an_unknown_node_and_mistakes_in_the_file_are_findings(inventory) -> None:
    nodes, _ = parse_nodes(NODES.encode())
    assert choose_node(nodes, ["sy-dc1-core-r1"], inventory, "mars").findings[0].rule == "node-unknown"
    _, problems = parse_nodes(NODES.replace("port: 2200", "port: '2200'").encode())
    assert problems and problems[0].file == "policies/nodes.yml" and problems[0].line == 10
    _, problems = parse_nodes(NODES.replace(f"host_key: {KEY} dl-node1", "host_key: trust-me").encode())
    assert problems and "nodes.1.host_key" in problems[0].message and problems[0].line == 12
    _, problems = parse_nodes(NODES.replace("dl-node1\n", "sy-node1\n", 1).encode())
    assert [p.rule for p in problems] == ["node-duplicate"]
    assert parse_nodes(None)[0].nodes == []


def test_the_forced_command_is_the_worker_and_forbids_the_rest() -> None:
    nodes, _ = parse_nodes(NODES.encode())
    node = nodes.nodes[1]
    line = authorized_keys_line(node, KEY + " controller\n")
    assert line.startswith(f'command="{worker_command(node)}",no-pty,no-port-forwarding,no-agent-forwarding')
    assert line.rstrip().endswith(KEY + " controller")
    assert known_hosts_line(node) == f"[10.20.3.5]:2200 {KEY}\n"
    assert known_hosts_line(nodes.nodes[0]) == f"10.20.250.5 {KEY}\n"


def test_a_bin_dir_that_could_end_the_forced_command_is_a_finding() -> None:
    escape = '    bin_dir: /opt/x",permitopen="*"\n'
    _, problems = parse_nodes(NODES.replace("    user: changeops\n", "    user: changeops\n" + escape, 1).encode())
    assert problems and "nodes.0.bin_dir" in problems[0].message


def test_a_public_key_of_two_lines_gets_no_key_line() -> None:
    nodes, _ = parse_nodes(NODES.encode())
    with pytest.raises(ValueError, match="one OpenSSH public key on one line"):
        authorized_keys_line(nodes.nodes[0], f"{KEY} a\n{KEY} b\n")
    with pytest.raises(ValueError):
        authorized_keys_line(nodes.nodes[0], "no-pty " + KEY)


def test_the_stream_reader_gives_up_on_silence_and_counts_what_came() -> None:
    read, write = os.pipe()
    with os.fdopen(read, "rb") as pipe:
        os.write(write, b'{"status": "starting"}\n{"eof": true}\npartial')
        stream = NodeStream(pipe, silence=0.3, deadline=time.monotonic() + 10)
        assert stream.readline() == b'{"status": "starting"}\n'
        assert stream.readline() == b'{"eof": true}\n' and stream.eof_seen
        started = time.monotonic()
        with pytest.raises(NodeSilent, match="sent nothing for 0.3 s"):
            stream.readline()
        assert 0.25 < time.monotonic() - started < 2
        threading.Thread(target=lambda: (os.write(write, b" line\n"), os.close(write))).start()
        assert stream.readline() == b"partial line\n"
        assert stream.read(10) == b"" and stream.received == len(b'{"status": "starting"}\n{"eof": true}\n'
                                                                   b"partial line\n")


AWX = """
awx:
  - name: dl-awx
    url: https://awx.dl.example.invalid
    templates: {playbooks/patch.yml: 41, playbooks/verify.yml: 42}
    serves: {sites: [dl-pop1]}
"""
AWX_NODES = NODES.split("  - name: dl-node1")[0] + AWX


def test_an_awx_controller_is_chosen_like_a_node_with_the_trusted_commit(inventory, monkeypatch) -> None:
    from changeops.execute.backends.awx import AwxExecutor
    from changeops.execute.backends.node import executor_for

    nodes, problems = parse_nodes(AWX_NODES.encode())
    assert problems == [] and [n.name for n in nodes.every] == ["sy-node1", "dl-awx"]
    monkeypatch.delenv("CHANGEOPS_AWX_TOKEN", raising=False)
    executor, findings = executor_for(AWX_NODES.encode(), "dl-awx", ["dl-pop1-edge-r1"], inventory, revision="abc1")
    assert executor is None and [f.rule for f in findings] == ["node-key"]
    monkeypatch.setenv("CHANGEOPS_AWX_TOKEN", "t0ken")
    executor, findings = executor_for(AWX_NODES.encode(), "dl-awx", ["dl-pop1-edge-r1"], inventory, revision="abc1")
    assert findings == [] and isinstance(executor, AwxExecutor)
    assert executor.settings.revision == "abc1" and executor.settings.templates["playbooks/patch.yml"] == 41
    both, _ = parse_nodes((NODES + AWX).encode())
    spans = choose_node(both, ["dl-pop1-edge-r1"], inventory, "dl-node1")
    assert [f.rule for f in spans.findings] == ["node-span"], "a host served by a node and a controller is ambiguous"
