"""Reading and writing an open console stream, on the GUI thread, never blocking.

``StreamIO`` is the stream half of ``core.console.ConsoleSession``: libvirt's
stream events (run on the GUI thread by ``core.eventloop``) say when data is
waiting; ``recv`` drains it until libvirt answers "would block", at most
``MAX_READ_PER_TURN`` bytes per event turn, so a flood from the guest never
stalls the window. Keystrokes wait in a small bounded buffer while libvirt
cannot take them. Ending the stream (``finish``/``abort``) is an RPC round
trip, so it goes to the connection's worker, or to a short-lived thread
when the connection is already gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from pathlib import Path
from typing import IO, Any

import libvirt
import shiboken6

from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt.console import close_stream
from kvmdesk.virt.errors import NotConnectedError, classify

log = logging.getLogger(__name__)

CHUNK = 65536
MAX_READ_PER_TURN = 1 << 20  # bytes read in one event turn before yielding
MAX_PENDING_INPUT = 64 * 1024  # keystrokes waiting for the stream; beyond: refused

READ_EVENTS = (
    libvirt.VIR_STREAM_EVENT_READABLE
    | libvirt.VIR_STREAM_EVENT_ERROR
    | libvirt.VIR_STREAM_EVENT_HANGUP
)
_ENDED_EVENTS = libvirt.VIR_STREAM_EVENT_ERROR | libvirt.VIR_STREAM_EVENT_HANGUP


class StreamIO:
    """Mixed into ``ConsoleSession``, which owns the state named here."""

    conn: Connection
    output: Any  # Signal(bytes) of the session
    received: int
    log_path: Path | None
    _stream: libvirt.virStream | None
    _pending: bytearray
    _log: IO[bytes] | None
    _tasks: TaskSet

    def set_log_path(self, path: Path | None) -> None:
        raise NotImplementedError

    def _stream_ended(self, reason: str, finish: bool) -> None:
        raise NotImplementedError

    # -- the stream (GUI thread, non-blocking) ------------------------------

    def _on_stream_event(self, stream: libvirt.virStream, events: int, generation: int) -> None:
        if not shiboken6.isValid(self) or stream is not self._stream:
            with contextlib.suppress(libvirt.libvirtError):
                stream.eventRemoveCallback()
            return
        if events & libvirt.VIR_STREAM_EVENT_WRITABLE:
            self._flush()
            if self._stream is not stream:
                return
        self._drain(stream, events)

    def _drain(self, stream: libvirt.virStream, events: int) -> None:
        chunks: list[bytes] = []
        total = 0
        ended: str | None = None
        while total < MAX_READ_PER_TURN:
            try:
                data = stream.recv(CHUNK)
            except libvirt.libvirtError as exc:
                ended = classify(exc).message
                break
            if isinstance(data, int):  # -2: nothing more for now
                if events & _ENDED_EVENTS:
                    ended = tr("The console closed.")
                break
            if not data:  # end of file: the guest's side closed
                ended = ""
                break
            chunks.append(data)
            total += len(data)
        if chunks:
            received = b"".join(chunks)
            self.received += len(received)
            self._write_log(received)
            self.output.emit(received)
        if ended is not None and shiboken6.isValid(self) and stream is self._stream:
            self._stream_ended(ended, finish=ended == "")

    def _write_log(self, data: bytes) -> None:
        if self._log is None:
            return
        try:
            self._log.write(data)
            self._log.flush()
        except OSError as exc:
            log.warning("console log %s failed: %s", self.log_path, exc)
            self.set_log_path(None)

    def _flush(self) -> None:
        stream = self._stream
        if stream is None:
            return
        while self._pending:
            try:
                sent = stream.send(bytes(self._pending))
            except libvirt.libvirtError as exc:
                self._stream_ended(classify(exc).message, finish=False)
                return
            if sent < 0:  # -2: libvirt cannot take more now; wait until writable
                break
            del self._pending[:sent]
        events = READ_EVENTS
        if self._pending:
            events |= libvirt.VIR_STREAM_EVENT_WRITABLE
        with contextlib.suppress(libvirt.libvirtError):
            stream.eventUpdateCallback(events)

    def _end_stream(self, finish: bool) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        with contextlib.suppress(libvirt.libvirtError):
            stream.eventRemoveCallback()
        self._close_in_worker(self.conn, stream, finish)

    def _close_in_worker(self, conn: Connection, stream: libvirt.virStream, finish: bool) -> None:
        """finish/abort are RPC round trips: the worker does them.

        When the connection was closed or dropped its worker is gone (or
        goes before it gets to the stream), but libvirt keeps the link open
        while a stream refers to it, and the console stays held: a
        short-lived thread aborts and frees the stream instead. On a dead
        link that fails at once; it never touches the GUI.
        """
        if not shiboken6.isValid(conn) or not conn.is_connected:
            _abort_in_thread(stream)
            return
        closing = self._close_quietly(conn, stream, finish)
        try:
            task = asyncio.ensure_future(closing)
        except RuntimeError:  # no loop any more: the application is quitting
            closing.close()
            _abort_in_thread(stream)
            return
        self._tasks.add(task)

    @staticmethod
    async def _close_quietly(conn: Connection, stream: libvirt.virStream, finish: bool) -> None:
        try:
            await conn.call(close_stream, stream, finish)
        except libvirt.libvirtError:
            pass  # close_stream does not raise; the call itself failed on a lost link
        except (NotConnectedError, RuntimeError, asyncio.CancelledError):
            # The worker went (the connection closed meanwhile) before it ran.
            _abort_in_thread(stream)


def _abort_in_thread(stream: libvirt.virStream) -> None:
    threading.Thread(
        target=close_stream, args=(None, stream, False), name="console-abort", daemon=True
    ).start()
