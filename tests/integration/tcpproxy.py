"""A small TCP proxy for network-trouble tests, on threads.

It listens on a free 127.0.0.1 port and forwards every accepted link to a
target port. Tests can delay every byte by the same time in each direction
(``latency``: a round trip costs twice that), limit each direction of each
link to a number of bytes a second (``rate``; unlimited by default), make
the proxy swallow all traffic while the sockets stay open (``black_hole``,
as a dead route does), and cut every link at once (``cut_all``).

``turns`` counts the times the client spoke again after the server had
answered: the network round trips a conversation needed.

Threads rather than asyncio: the tests' event loop runs only while a test
waits on it, and the proxy must keep forwarding in between.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time

_CHUNK = 65536


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.latency = 0.0  # seconds added before each forwarded chunk
        self.rate = 0  # bytes a second, each direction of each link; 0: unlimited
        self._black_hole = threading.Event()
        self._lock = threading.Lock()
        self._links: set[socket.socket] = set()
        self._closed = False
        self.accepted = 0
        self.turns = 0  # client -> server after server -> client, over all links
        self._last_from_client: dict[int, bool] = {}
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, name="tcpproxy", daemon=True)
        self._acceptor.start()

    # -- controls ----------------------------------------------------------

    def set_latency(self, seconds: float) -> None:
        self.latency = seconds

    def set_rate(self, bytes_per_second: int) -> None:
        """Forward at most this many bytes a second each way (0: no limit)."""
        if bytes_per_second < 0:
            raise ValueError(f"a rate of {bytes_per_second} bytes a second")
        self.rate = bytes_per_second

    def black_hole(self) -> None:
        """Drop all traffic from now on, in both directions; sockets stay open."""
        self._black_hole.set()

    def restore(self) -> None:
        """Forward again (links that lost data meanwhile are best cut as well)."""
        self._black_hole.clear()

    def cut_all(self) -> int:
        """Close every open link at once; returns how many sockets were closed."""
        with self._lock:
            links, self._links = self._links, set()
        for sock in links:
            _close(sock)
        return len(links)

    @property
    def open_links(self) -> int:
        with self._lock:
            return len(self._links) // 2

    def close(self) -> None:
        self._closed = True
        _close(self._server)
        self.cut_all()
        self._acceptor.join(5)

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- forwarding --------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _addr = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._closed:
                    _close(client)
                    _close(upstream)
                    return
                self._links.update((client, upstream))
                self.accepted += 1
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump,
                    args=(src, dst, src is client, id(client)),
                    name="tcpproxy-pump",
                    daemon=True,
                ).start()

    def _count_turn(self, from_client: bool, link: int) -> None:
        with self._lock:
            last = self._last_from_client.get(link)
            if from_client and last is not True:
                self.turns += 1
            self._last_from_client[link] = from_client

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool, link: int) -> None:
        """Read ``src``; a sender thread writes each chunk ``latency`` later."""
        delayed: queue.SimpleQueue[tuple[float, bytes] | None] = queue.SimpleQueue()
        sender = threading.Thread(
            target=self._send_later, args=(delayed, dst), name="tcpproxy-send", daemon=True
        )
        sender.start()
        try:
            while True:
                data = src.recv(_CHUNK)
                if not data:
                    break
                if self._black_hole.is_set():
                    continue
                self._count_turn(from_client, link)
                delayed.put((time.monotonic() + self.latency, data))
        except OSError:
            pass
        delayed.put(None)
        sender.join()
        if self._black_hole.is_set():
            # Not even the end of a link gets through a black hole: the other
            # side stays open until cut_all().
            return
        with self._lock:
            self._links.discard(src)
            self._links.discard(dst)
        _close(src)
        _close(dst)

    def _send_later(
        self, delayed: queue.SimpleQueue[tuple[float, bytes] | None], dst: socket.socket
    ) -> None:
        free = 0.0  # when the limited link has sent what it was given
        while True:
            item = delayed.get()
            if item is None:
                return
            due, data = item
            if self.rate:
                free = max(free, due) + len(data) / self.rate
                due = free
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if self._black_hole.is_set():
                continue
            try:
                dst.sendall(data)
            except OSError:
                return


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
