"""A VNC server in a thread, at the other end of a socket pair: it says what a
test tells it to, good or bad, and keeps what the client sent."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from kvmdesk.core.connection import Connection
from kvmdesk.core.display_channel import Channel
from kvmdesk.virt.vnc.des import vnc_response
from kvmdesk.virt.vnc.reach import DisplayInfo
from tests.unit.vnc.rfb_bytes import hello, server_init

CHALLENGE = bytes(range(16, 32))


class FakeServer:
    def __init__(self) -> None:
        self.client, self._server = socket.socketpair()
        self.client.setblocking(False)
        self.received = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                data = self._server.recv(65536)
                if not data:
                    return
                with self._lock:
                    self.received += data
        except OSError:
            return

    def sent(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def wait_for(self, data: bytes, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while data not in self.sent():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the client never sent {data!r}")
            time.sleep(0.01)

    def send(self, data: bytes) -> None:
        self._server.sendall(data)

    def send_in_thread(self, data: bytes) -> threading.Thread:
        thread = threading.Thread(target=self._send_quietly, args=(data,), daemon=True)
        thread.start()
        return thread

    def _send_quietly(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self._server.sendall(data)

    def handshake(self, width: int = 64, height: int = 48) -> None:
        self.send(hello() + server_init(width, height))

    def handshake_with_password(
        self, width: int = 64, height: int = 48, password: str = ""
    ) -> None:
        """VNC authentication: accepted only when the answer matches ``password``."""
        self.send(hello(security=(2,)) + CHALLENGE)
        expected = vnc_response(password, CHALLENGE)
        deadline = time.monotonic() + 5
        while expected not in self.sent() and time.monotonic() < deadline:
            if len(self.sent()) >= 12 + 1 + 16:
                break
            time.sleep(0.01)
        if expected in self.sent():
            self.send(struct.pack(">I", 0) + server_init(width, height))
        else:
            reason = b"Authentication failed"
            self.send(struct.pack(">II", 1, len(reason)) + reason)

    def close(self) -> None:
        for sock in (self._server,):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


class Servers:
    """The opener of a session: each connection attempt gets a new ``FakeServer``,
    set up by ``on_open`` (in a thread, so that it may block)."""

    def __init__(self, on_open: Callable[[FakeServer], Any] | None = None) -> None:
        self.made: list[FakeServer] = []
        self.infos: list[DisplayInfo] = []
        self.on_open = on_open

    async def __call__(self, conn: Connection, uuid: str, info: DisplayInfo) -> Channel:
        server = FakeServer()
        self.made.append(server)
        self.infos.append(info)
        if self.on_open is not None:
            threading.Thread(target=self.on_open, args=(server,), daemon=True).start()
        return Channel(server.client)

    @property
    def last(self) -> FakeServer:
        return self.made[-1]

    def close(self) -> None:
        for server in self.made:
            server.close()


class SharePolicy:
    """QEMU's default share policy (allow-exclusive), as ``Servers.on_open``: a
    client asking for exclusive use disconnects the others; a client asking to
    share while someone holds the display exclusively is disconnected right
    after its ClientInit, before any ServerInit. With ``force_shared``, asking
    for exclusive use is what gets a client disconnected."""

    def __init__(self, force_shared: bool = False) -> None:
        self.force_shared = force_shared
        self.holder: FakeServer | None = None  # the exclusive client
        self.clients: list[FakeServer] = []
        self.flags: list[int] = []  # the shared-flag of each ClientInit
        self._lock = threading.Lock()

    def __call__(self, server: FakeServer) -> None:
        server.send(hello())
        deadline = time.monotonic() + 5
        while len(server.sent()) < 14 and time.monotonic() < deadline:  # version, type, flag
            time.sleep(0.01)
        shared = server.sent()[13]
        with self._lock:
            self.flags.append(shared)
            if (shared and self.holder is not None) or (not shared and self.force_shared):
                server.close()
                return
            if not shared:
                for other in {*self.clients, *([self.holder] if self.holder else [])}:
                    other.close()
                self.clients.clear()
                self.holder = server
            self.clients.append(server)
        server.send(server_init())
