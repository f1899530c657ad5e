"""The result stream from an execution node, read with a limit on silence and on the whole stage.

ansible-runner's processor reads the worker's stream line by line (and the returned
artifacts archive by size) and would wait forever on a node that hangs. This reader hands
it the same bytes but raises :class:`NodeSilent` when the node sends nothing for longer
than its silence limit (the worker sends keepalives while a task runs) or the stage's
deadline passes, and counts what arrived and whether the stream's end marker came.
"""

from __future__ import annotations

import io
import os
import select
import time
from typing import IO

CHUNK = 65536


class NodeSilent(Exception):
    """The node sent nothing within the limit (its message says which limit)."""


class NodeStream(io.IOBase):
    """A readable byte stream over a pipe from ``ssh``, with limits."""

    def __init__(self, pipe: IO[bytes], *, silence: float, deadline: float) -> None:
        super().__init__()
        self._fd = pipe.fileno()
        self._buffer = b""
        self._ended = False
        self.silence, self.deadline = silence, deadline
        self.received = 0
        self.eof_seen = False

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def write(self, data: bytes) -> int:
        raise io.UnsupportedOperation("the node's result stream is read-only")

    def readline(self, size: int | None = -1) -> bytes:
        """One line (with its newline), or what is left when the stream ends."""
        while b"\n" not in self._buffer and not self._ended:
            self._fill()
        cut = self._buffer.find(b"\n") + 1 or len(self._buffer)
        line, self._buffer = self._buffer[:cut], self._buffer[cut:]
        if line.startswith(b'{"eof"'):
            self.eof_seen = True
        return line

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all that is left for a negative size); fewer only at the end of the stream."""
        while not self._ended and (size is None or size < 0 or len(self._buffer) < size):
            self._fill()
        cut = len(self._buffer) if size is None or size < 0 else size
        data, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return data

    def _fill(self) -> None:
        now = time.monotonic()
        wait = min(self.silence, self.deadline - now)
        if wait <= 0:
            raise NodeSilent("did not finish the stage within its time limit")
        ready, _, _ = select.select([self._fd], [], [], wait)
        if not ready:
            if time.monotonic() >= self.deadline:
                raise NodeSilent("did not finish the stage within its time limit")
            raise NodeSilent(f"sent nothing for {self.silence:g} s (its silence limit)")
        chunk = os.read(self._fd, CHUNK)
        if not chunk:
            self._ended = True
        self.received += len(chunk)
        self._buffer += chunk
