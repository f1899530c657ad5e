"""The admin channel's client: what it says when there is no lab, or the lab answers something unexpected."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from changeops_lab.control import LabControl
from changeops_lab.errors import LabError


@pytest.fixture
def answering(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A state dir whose lab.json points at a loopback server that answers each request from a list."""
    answers: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    (tmp_path / "lab.json").write_text(json.dumps({"control_port": server.getsockname()[1], "control_token": "t"}))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(answers.pop(0) + b"\n")

    threading.Thread(target=serve, daemon=True).start()
    yield tmp_path, answers
    server.close()


@pytest.mark.parametrize("lab_json", [None, "{", '{"control_port": 1}', '["not", "an", "object"]'])
def test_no_or_a_broken_lab_json_is_no_running_lab(tmp_path: Path, lab_json: str | None) -> None:
    if lab_json is not None:
        (tmp_path / "lab.json").write_text(lab_json)
    with pytest.raises(LabError, match="no running lab here"):
        LabControl(tmp_path)


def test_an_error_answer_is_a_lab_error_with_the_labs_message(answering: tuple[Path, list[bytes]]) -> None:
    state, answers = answering
    answers.append(b'{"ok": false, "error": "no lab device named `r9`"}')
    with pytest.raises(LabError, match="no lab device named `r9`"):
        LabControl(state).reset("r9")


@pytest.mark.parametrize("answer", [b"[1, 2]", b'{"ok": true, "result": [1, 2]}'])
def test_an_answer_that_is_not_an_object_is_a_lab_error(answering: tuple[Path, list[bytes]], answer: bytes) -> None:
    state, answers = answering
    answers.append(answer)
    with pytest.raises(LabError, match="answered `status`"):
        LabControl(state).status()


def test_an_object_result_is_returned(answering: tuple[Path, list[bytes]]) -> None:
    state, answers = answering
    answers.append(b'{"ok": true, "result": {"devices": [], "linux": {}}}')
    assert LabControl(state).status() == {"devices": [], "linux": {}}
