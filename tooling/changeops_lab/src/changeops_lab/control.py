"""The lab's admin channel: JSON requests over a loopback TCP socket, guarded by a token.

The supervisor serves it; :class:`LabControl` is the Python side used by the
CLI (`changeops lab fault ...`) and by tests (set a fault, rewire a port, put
a file on flash, read a device's state). One request per connection::

    {"token": "...", "op": "set_fault", "args": {"host": "r1", "kind": "slow", "argument": "2"}}
    {"ok": true, "result": {...}}   or   {"ok": false, "error": "..."}
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from changeops_lab.errors import LabError
from changeops_lab.fleet import Fleet, FleetError
from changeops_lab.paths import LabPaths

MAX_REQUEST = 16 * 1024 * 1024
TIMEOUT = 30.0


class ControlServer:
    """Answers admin requests against the fleet (runs inside the supervisor's event loop)."""

    def __init__(self, fleet: Fleet, token: str, extra_status: dict[str, Any]) -> None:
        self.fleet, self.token, self.extra_status = fleet, token, extra_status
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, limit=MAX_REQUEST)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = json.loads(await reader.readline())
            if request.get("token") != self.token:
                answer = {"ok": False, "error": "bad control token"}
            else:
                answer = {"ok": True, "result": await self._dispatch(request["op"], request.get("args") or {})}
        except (FleetError, KeyError, TypeError, ValueError) as err:
            answer = {"ok": False, "error": str(err)}
        writer.write(json.dumps(answer).encode() + b"\n")
        await writer.drain()
        writer.close()

    async def _dispatch(self, op: str, args: dict[str, Any]) -> Any:
        fleet = self.fleet
        if op == "status":
            return {"devices": [fleet.describe(h) for h in fleet.endpoints], **self.extra_status}
        if op == "set_fault":
            return await fleet.set_fault(**args)
        operations: dict[str, Callable[..., dict[str, Any]]] = {
            "describe": fleet.describe, "device_state": fleet.device_state, "rewire": fleet.rewire,
            "add_flash_file": fleet.add_flash_file, "reset": fleet.reset,
            "set_reload_seconds": fleet.set_reload_seconds,
        }
        if op not in operations:
            raise FleetError(f"unknown lab operation `{op}`")
        return operations[op](**args)


class LabControl:
    """Client of a running lab's admin channel."""

    def __init__(self, state_dir: Path) -> None:
        self.paths = LabPaths(state_dir)
        try:
            info = json.loads(self.paths.lab_json.read_text(encoding="utf-8"))
            self.port, self.token = int(info["control_port"]), str(info["control_token"])
        except (OSError, ValueError, KeyError, TypeError) as err:  # absent, or left half-written by a crash
            raise LabError(state_dir, "no running lab here", "start one with `changeops lab up`") from err

    def request(self, op: str, **args: Any) -> Any:
        payload = json.dumps({"token": self.token, "op": op, "args": args}).encode() + b"\n"
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT) as conn:
                conn.sendall(payload)
                answer = json.loads(_read_line(conn))
        except (OSError, ValueError) as err:
            raise LabError(self.paths.root, f"the lab's control channel did not answer ({err})",
                           "is the lab running? see `changeops lab status`") from err
        if not isinstance(answer, dict):
            raise LabError(self.paths.root, f"the lab's control channel answered `{op}` with {answer!r}")
        if not answer.get("ok"):
            raise LabError(self.paths.root, answer.get("error", "request failed"))
        return answer["result"]

    def _answer_object(self, op: str, **args: Any) -> dict[str, Any]:
        result = self.request(op, **args)
        if not isinstance(result, dict):
            raise LabError(self.paths.root, f"the lab answered `{op}` with {type(result).__name__}, not an object")
        return result

    def status(self) -> dict[str, Any]:
        return self._answer_object("status")

    def set_fault(self, host: str, kind: str, argument: str | None = None,
                  message: str | None = None) -> dict[str, Any]:
        """Set a fault (refuse-command REGEX, unresponsive, slow SECONDS, bad-reload, fan-failed, psu-failed,
        hot-sensor [CELSIUS], crc-errors "INTERFACE [COUNT]", neighbour-flap, high-cpu [PERCENT]) or ``clear`` them."""
        return self._answer_object("set_fault", host=host, kind=kind, argument=argument, message=message)

    def clear_faults(self, host: str) -> dict[str, Any]:
        return self.set_fault(host, "clear")

    def rewire(self, host: str, port: str, peer: str | None, peer_port: str | None) -> dict[str, Any]:
        return self._answer_object("rewire", host=host, port=port, peer=peer, peer_port=peer_port)

    def add_flash_file(self, host: str, name: str, *, size: int | None = None, md5: str | None = None,
                       content: str | None = None, version: str | None = None) -> dict[str, Any]:
        return self._answer_object("add_flash_file", host=host, name=name, size=size, md5=md5, content=content,
                            version=version)

    def set_reload_seconds(self, host: str, seconds: float) -> dict[str, Any]:
        return self._answer_object("set_reload_seconds", host=host, seconds=seconds)

    def device_state(self, host: str) -> dict[str, Any]:
        return self._answer_object("device_state", host=host)

    def reset(self, host: str) -> dict[str, Any]:
        return self._answer_object("reset", host=host)


def _read_line(conn: socket.socket) -> bytes:
    chunks = []
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
        if chunk.endswith(b"\n"):
            break
    return b"".join(chunks)
