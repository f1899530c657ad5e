"""One simulated device on the wire: an asyncssh listener on 127.0.0.1, its sessions, reloads and hangs.

A reload closes the listener (connections are refused, as with a box that is
rebooting), drops every session, waits the configured time and listens again
on the same port with the booted version. An unresponsive device swaps its
SSH listener for a plain TCP one that accepts and never says a word.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import asyncssh

from changeops_lab.cli_session import CliSession
from changeops_lab.credentials import DeviceCredentials
from changeops_lab.device import DeviceState
from changeops_lab.faults import Faults
from changeops_lab.maintenance import boot_target
from changeops_lab.replies import Reply
from changeops_lab.session_log import EVENT, MASK, RECEIVED, SENT, SessionLog

LOOPBACK = "127.0.0.1"
READ_SIZE = 65536


class FleetView(Protocol):
    """What an endpoint needs from the fleet it belongs to (``fleet.Fleet``, which owns the endpoints)."""

    credentials: DeviceCredentials
    host_key: asyncssh.SSHKey
    reload_seconds: float

    def lookup(self, name: str) -> DeviceState | None:
        """Another device of the lab, for what CDP reports about the far end of a cable."""
        ...


class LineSplitter:
    """Cuts a byte stream into lines at CR, LF or CRLF (a CRLF is one line end, CR CR is two)."""

    def __init__(self) -> None:
        self._buffer = ""
        self._after_cr = False

    def feed(self, chunk: str) -> list[str]:
        lines = []
        for char in chunk:
            if char == "\n" and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = char == "\r"
            if char in "\r\n":
                lines.append(self._buffer)
                self._buffer = ""
            else:
                self._buffer += char
        return lines


class _LoginServer(asyncssh.SSHServer):
    """Password login with the lab's device credentials."""

    def __init__(self, endpoint: DeviceEndpoint) -> None:
        self._endpoint = endpoint
        self._connection: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._connection = conn
        self._endpoint.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self._endpoint.connections.discard(self._connection)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        credentials = self._endpoint.fleet.credentials
        return username == credentials.user and password == credentials.password


class DeviceEndpoint:
    """A device's listener and sessions."""

    def __init__(self, state: DeviceState, fleet: FleetView, log: SessionLog) -> None:
        self.state, self.fleet, self.log = state, fleet, log
        self.faults = Faults()
        self.port = 0
        self.reload_seconds = fleet.reload_seconds
        self.reloading = False
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self._listener: asyncssh.SSHAcceptor | asyncio.Server | None = None
        self._silent: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def name(self) -> str:
        return self.state.name

    async def listen(self) -> None:
        """Listen on ``self.port`` (a free port the first time): SSH, or silence when unresponsive."""
        if self.faults.unresponsive:
            server = await asyncio.start_server(self._hold_silently, LOOPBACK, self.port)
            self.port = server.sockets[0].getsockname()[1]
            self._listener = server
            return
        acceptor = await asyncssh.create_server(
            lambda: _LoginServer(self), LOOPBACK, self.port, server_host_keys=[self.fleet.host_key],
            process_factory=self._serve, line_editor=False, encoding="utf-8", login_timeout=60,
        )
        self.port = acceptor.get_port()
        self._listener = acceptor

    async def stop_listening(self) -> None:
        if self._listener is not None:
            self._listener.close()
            await self._listener.wait_closed()
            self._listener = None
        for writer in list(self._silent):
            writer.close()
        self._silent.clear()

    def drop_sessions(self) -> None:
        for conn in list(self.connections):
            conn.abort()
        self.connections.clear()

    async def relisten(self) -> None:
        """Re-open the listener after a change of the unresponsive fault (not while reloading)."""
        if self.reloading:
            return
        await self.stop_listening()
        if self.faults.unresponsive:
            self.drop_sessions()
        await self.listen()

    async def reload(self) -> None:
        """Go down for ``reload_seconds``, then boot from the startup-config's boot image."""
        self.reloading = True
        await self.stop_listening()
        self.drop_sessions()
        self.log.write("-", EVENT, f"reload: down for {self.reload_seconds:g} s")
        await asyncio.sleep(self.reload_seconds)
        image, version = boot_target(self.state)
        if self.faults.bad_reload and (image, version) != (self.state.image, self.state.version):
            self.state.record("BOOT-3-BOOTTIME_IMAGE_FAIL", f"Failed to boot flash:{image}, booting the previous image")
            image, version = self.state.image, self.state.version
        self.state.boot(version, image, "Reload Command")
        self.log.write("-", EVENT, f"reload: up on {version} ({image})")
        self.reloading = False
        await self.listen()

    async def _hold_silently(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._silent.add(writer)
        self.log.write("-", EVENT, "connection accepted while unresponsive; not answering")
        await reader.read()  # until the client gives up
        self._silent.discard(writer)

    # -- a CLI session -------------------------------------------------------------------------

    async def _serve(self, process: asyncssh.SSHServerProcess[str]) -> None:
        sid = self.log.new_session_id()
        credentials = self.fleet.credentials
        session = CliSession(self.state, self.faults, self.fleet.lookup, credentials.enable, credentials.user)
        self.log.write(sid, EVENT, f"session opened for {process.get_extra_info('username')}")
        self._send(process, sid, "", session.greeting())
        splitter = LineSplitter()
        try:
            while True:
                try:
                    chunk = await process.stdin.read(READ_SIZE)
                except (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived, asyncssh.SignalReceived):
                    continue
                if not chunk:
                    break
                for line in splitter.feed(chunk):
                    if not await self._answer(process, sid, session, line):
                        return
        except (asyncssh.DisconnectError, asyncssh.ConnectionLost, BrokenPipeError, ConnectionError):
            pass
        finally:
            self.log.write(sid, EVENT, "session closed")
            if not self.reloading:
                process.exit(0)

    async def _answer(self, process: asyncssh.SSHServerProcess[str], sid: str, session: CliSession, line: str) -> bool:
        echo = session.echo
        self.log.write(sid, RECEIVED, line if echo else MASK)
        await self.faults.answering.wait()
        if self.faults.slow_seconds:
            await asyncio.sleep(self.faults.slow_seconds)
        reply = session.handle(line)
        self._send(process, sid, (line if echo else "") + "\r\n", reply)
        if reply.reload:
            self.log.write(sid, EVENT, "reload requested")
            self.reloading = True
            self.drop_sessions()  # the box goes down: TCP drops without an SSH goodbye
            task = asyncio.get_running_loop().create_task(self.reload())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return not reply.hang_up

    def _send(self, process: asyncssh.SSHServerProcess[str], sid: str, echo: str, reply: Reply) -> None:
        output = reply.output.replace("\n", "\r\n")
        process.stdout.write(echo + (output + "\r\n" if output else "") + reply.prompt)
        if reply.output:
            self.log.write(sid, SENT, reply.output)
        if reply.prompt:
            self.log.write(sid, SENT, reply.prompt)
