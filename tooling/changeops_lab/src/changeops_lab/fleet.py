"""All simulated devices of one lab, and the admin operations on them (faults, rewiring, flash, reset).

The fleet lives in the supervisor process; the control channel calls these
methods. Every method returns plain data (for JSON) or raises FleetError with
a message for the caller.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh

from changeops_lab.credentials import DeviceCredentials
from changeops_lab.device import DeviceState
from changeops_lab.faults import FaultError
from changeops_lab.session_log import SessionLog
from changeops_lab.ssh_server import DeviceEndpoint


class FleetError(ValueError):
    """An admin request the fleet cannot carry out."""


class Fleet:
    def __init__(self, builders: dict[str, Callable[[], DeviceState]], *, state_dir: Path,
                 credentials: DeviceCredentials, host_key: asyncssh.SSHKey, reload_seconds: float) -> None:
        self.state_dir, self.credentials, self.host_key = state_dir, credentials, host_key
        self.reload_seconds = reload_seconds
        self._builders = builders
        self.endpoints: dict[str, DeviceEndpoint] = {
            name: DeviceEndpoint(build(), self, SessionLog(state_dir / "sessions" / f"{name}.log"))
            for name, build in builders.items()
        }

    def lookup(self, name: str) -> DeviceState | None:
        endpoint = self.endpoints.get(name)
        return endpoint.state if endpoint else None

    def endpoint(self, name: str) -> DeviceEndpoint:
        if name not in self.endpoints:
            raise FleetError(f"no lab device named `{name}`")
        return self.endpoints[name]

    async def start(self) -> None:
        await asyncio.gather(*(e.listen() for e in self.endpoints.values()))

    async def stop(self) -> None:
        for endpoint in self.endpoints.values():
            await endpoint.stop_listening()
            endpoint.drop_sessions()
            endpoint.log.close()

    # -- admin operations ----------------------------------------------------------------------

    async def set_fault(self, host: str, kind: str, argument: str | None = None,
                        message: str | None = None) -> dict[str, Any]:
        endpoint = self.endpoint(host)
        was_unresponsive = endpoint.faults.unresponsive
        try:
            endpoint.faults.apply(kind, argument, message, endpoint.state, self.lookup)
        except FaultError as err:
            raise FleetError(str(err)) from err
        if endpoint.faults.unresponsive != was_unresponsive:
            await endpoint.relisten()
        return self.describe(host)

    def set_reload_seconds(self, host: str, seconds: float) -> dict[str, Any]:
        if not 0 <= seconds <= 3600:
            raise FleetError(f"reload time {seconds} s is outside 0..3600")
        self.endpoint(host).reload_seconds = seconds
        return self.describe(host)

    def rewire(self, host: str, port: str, peer: str | None, peer_port: str | None) -> dict[str, Any]:
        """Plug ``host`` ``port`` into ``peer`` ``peer_port`` (None: unplug); both ends change in the lab."""
        state = self.endpoint(host).state
        local = state.port(port)
        if local is None:
            raise FleetError(f"{host} has no port `{port}`; ports: {', '.join(p.name for p in state.ports)}")
        self._unplug_far_end(host, local.name, local.peer, local.peer_port)
        local.peer, local.peer_port = peer, peer_port
        far = self.lookup(peer) if peer else None
        far_port = far.port(peer_port) if far and peer_port else None
        if far_port is not None:
            self._unplug_far_end(peer or "", far_port.name, far_port.peer, far_port.peer_port)
            far_port.peer, far_port.peer_port = host, local.name
        return self.describe(host)

    def _unplug_far_end(self, host: str, port: str, peer: str | None, peer_port: str | None) -> None:
        far = self.lookup(peer) if peer else None
        far_port = far.port(peer_port) if far and peer_port else None
        if far_port is not None and far_port.peer == host and far_port.peer_port == port:
            far_port.peer, far_port.peer_port = None, None

    def add_flash_file(self, host: str, name: str, *, size: int | None = None, md5: str | None = None,
                       content: str | None = None, version: str | None = None) -> dict[str, Any]:
        flash_file = self.endpoint(host).state.software.add_file(name, size=size, md5=md5, content=content,
                                                                version=version)
        return {"host": host, "name": flash_file.name, "size": flash_file.size, "md5": flash_file.md5}

    def reset(self, host: str) -> dict[str, Any]:
        """Back to the state the lab started with (faults cleared, sessions dropped)."""
        endpoint = self.endpoint(host)
        endpoint.state = self._builders[host]()
        endpoint.faults.apply("clear")
        endpoint.drop_sessions()
        return self.describe(host)

    def describe(self, host: str) -> dict[str, Any]:
        endpoint = self.endpoint(host)
        state = endpoint.state
        return {
            "host": host, "port": endpoint.port, "hostname": state.hostname, "version": state.version,
            "image": state.image, "model": state.model, "serial": state.serial,
            "reloading": endpoint.reloading, "faults": endpoint.faults.describe() + state.health.describe(),
            "reload_seconds": endpoint.reload_seconds, "sessions": len(endpoint.connections),
        }

    def device_state(self, host: str) -> dict[str, Any]:
        """Everything a test may want to compare: configs, cabling, flash, SMUs, log."""
        state = self.endpoint(host).state
        return {
            **self.describe(host),
            "running_config": state.running.render(), "startup_config": state.startup.render(),
            "ports": [{"name": p.name, "peer": p.peer, "peer_port": p.peer_port} for p in state.ports],
            "flash": {f.name: {"size": f.size, "md5": f.md5} for f in state.software.flash.values()},
            "packages": [{"filename": p.filename, "state": p.state} for p in state.software.packages],
            "log": list(state.log),
        }

    def save_snapshots(self) -> None:
        """Write each device's state to ``<state>/snapshots/<host>.json`` (done when the lab stops)."""
        folder = self.state_dir / "snapshots"
        folder.mkdir(parents=True, exist_ok=True)
        for host in self.endpoints:
            (folder / f"{host}.json").write_text(json.dumps(self.device_state(host), indent=1), encoding="utf-8")
