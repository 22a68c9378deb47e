"""The byte pipe to a VNC display: a socket, and the ssh process behind it if any.

``open_channel`` decides how (``virt.vnc.reach``): a socket from libvirt on a
local connection, or ``ssh -W`` on a ``+ssh`` connection, whose standard
input and output are one end of a socket pair, so that the session reads
and writes a socket either way. ssh's own words (what it printed on
standard error, at most a few kilobytes) explain a tunnel that failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import threading
from urllib.parse import urlsplit

from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.virt.vnc.reach import (
    DisplayInfo,
    can_pass_fds,
    open_local,
    ssh_tunnel_argv,
    tunnel_target,
)

MAX_SSH_WORDS = 4096  # of ssh's standard error kept


class Unreachable(Exception):
    """This display cannot be reached from here; the message says why, in plain words."""


class Channel:
    """A connected, non-blocking socket; ``close`` also ends the ssh behind it."""

    def __init__(self, sock: socket.socket, process: subprocess.Popen[bytes] | None = None):
        self.sock = sock
        self.process = process
        self._words = bytearray()
        self._reader: threading.Thread | None = None
        if process is not None and process.stderr is not None:
            self._reader = threading.Thread(
                target=self._read_stderr, name="display-ssh-stderr", daemon=True
            )
            self._reader.start()

    @property
    def tunnelled(self) -> bool:
        return self.process is not None

    def _read_stderr(self) -> None:
        stream = self.process.stderr if self.process is not None else None
        if stream is None:
            return
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                if len(self._words) < MAX_SSH_WORDS:
                    self._words += line[: MAX_SSH_WORDS - len(self._words)]

    def ssh_words(self, wait: float = 0.0) -> str:
        """What ssh said on standard error (waiting up to ``wait`` s for it to exit)."""
        process = self.process
        if process is None:
            return ""
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
        if self._reader is not None:
            self._reader.join(timeout=wait)
        text = bytes(self._words).decode("utf-8", "replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return " ".join(lines[-3:])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                process.terminate()
            threading.Thread(target=_reap, args=(process,), daemon=True).start()


def _reap(process: subprocess.Popen[bytes]) -> None:
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def _start_ssh(argv: list[str]) -> Channel:
    ours, theirs = socket.socketpair()
    try:
        process = subprocess.Popen(
            argv,
            stdin=theirs.fileno(),
            stdout=theirs.fileno(),
            stderr=subprocess.PIPE,
            start_new_session=True,  # no terminal: ssh asks through SSH_ASKPASS
        )
    except OSError:
        ours.close()
        raise
    finally:
        theirs.close()
    ours.setblocking(False)
    return Channel(ours, process)


async def open_channel(conn: Connection, uuid: str, info: DisplayInfo) -> Channel:
    """A channel to the VNC display ``info`` describes. Raises ``Unreachable``
    (with the reason), libvirt errors, or OSError when ssh cannot start."""
    assert info.index is not None
    if can_pass_fds(conn.uri):
        sock = await conn.call(open_local, uuid, info.index)
        return Channel(sock)
    transport = urlsplit(conn.uri).scheme.partition("+")[2]
    if transport != "ssh":
        raise Unreachable(
            tr(
                "kvmdesk shows displays of local connections and of connections over ssh; "
                "this one uses {0}."
            ).format(transport or "tcp")
        )
    target = tunnel_target(info)
    if target is None:
        raise Unreachable(
            tr("The display listens on a socket on the host, which the ssh tunnel cannot reach.")
        )
    argv = ssh_tunnel_argv(conn.uri, target)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, _start_ssh, argv)
