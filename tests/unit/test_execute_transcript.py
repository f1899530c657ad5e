"""Transcripts from Ansible's persistent-connection log: commands and answers per device, duplicates kept."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from changeops.execute.transcript import session_exchanges


def _response(messages: list[tuple[str, str]]) -> str:
    raw = pickle.dumps(messages, protocol=4).decode("utf-8", "surrogateescape")
    return "jsonrpc response: " + json.dumps({"jsonrpc": "2.0", "id": "1", "result_type": "pickle", "result": raw})


def test_each_connection_process_is_one_device_and_nothing_is_dropped(tmp_path: Path) -> None:
    def line(second: int, pid: int, text: str) -> str:
        return f"2026-12-08 01:00:{second:02d},000 p={pid} u=ops n=ansible INFO| {text}"

    batch = [("vvvv", "Persistent connection logging is enabled for 10.0.0.1. This will log ALL"),
             ("log", "send command: b'show clock\\r'"), ("log", "response-1: b'show clock\\r\\n*01:00\\r\\nr1#'"),
             ("log", "send command: b'show clock\\r'"), ("log", "response-1: b'show clock\\r\\n*01:00\\r\\nr1#'")]
    log = tmp_path / "session.log"
    log.write_text("\n".join([
        line(1, 10, "jsonrpc request: b'{\"method\": \"run_commands\"}'"),
        line(2, 10, "jsonrpc request: b'{\"method\": \"pop_messages\"}'"),
        line(2, 10, _response(batch)),
        line(3, 11, "send command: b'show version\\r'"),
        line(3, 11, "jsonrpc request: b'{\"method\": \"set_options\", \"params\": [[], {\"direct\": "
                    "{\"host\": \"10.0.0.2\", \"port\": 22}}]}'"),
        line(3, 99, "send command: b'not a connection process\\r'"),
    ]) + "\n")

    found = session_exchanges(log, {("10.0.0.1", 22): "r1", ("10.0.0.2", 22): "r2"})

    assert [(e.direction, e.text) for e in found["r1"]] == [
        (">", "show clock"), ("<", "show clock\n*01:00\nr1#"), (">", "show clock"), ("<", "show clock\n*01:00\nr1#")]
    assert found["r1"][0].time.second == 1, "timed by the request that sent it"
    assert [e.text for e in found["r2"]] == ["show version"]
    assert set(found) == {"r1", "r2"}


def test_an_answer_read_in_pieces_that_split_a_line_is_one_answer(tmp_path: Path) -> None:
    batch = [("vvvv", "Persistent connection logging is enabled for 10.0.0.1. This will log ALL"),
             ("log", "send command: b'show running-config\\r'"),
             ("log", "response-1: b'hostname r1\\r\\nntp aut'"),
             ("log", "response-2: b'hentication-key 7 md5 K3y 7\\r\\nr1#'")]
    log = tmp_path / "session.log"
    log.write_text("\n".join([
        "2026-12-08 01:00:01,000 p=10 u=ops n=ansible INFO| jsonrpc request: b'{\"method\": \"get_config\"}'",
        "2026-12-08 01:00:02,000 p=10 u=ops n=ansible INFO| " + _response(batch)]) + "\n")

    found = session_exchanges(log, {("10.0.0.1", 22): "r1"})

    assert [(e.direction, e.text) for e in found["r1"]] == [
        (">", "show running-config"), ("<", "hostname r1\nntp authentication-key 7 md5 K3y 7\nr1#")]
