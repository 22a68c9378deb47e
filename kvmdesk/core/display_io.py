"""Reading and writing a display's socket on the GUI thread, never blocking.

``DisplayIO`` is the socket half of ``core.display.DisplaySession``, as
``console_stream`` is the console's: the socket is read when it is
readable, at most ``READ_PER_TURN`` bytes a turn; what arrived is decoded
in slices of about ``WORK_PER_TURN`` bytes of work, each in its own turn of
the loop, so the window keeps painting and answering whatever the guest
draws. Reading pauses while ``HIGH_WATER`` bytes wait to be decoded, so
memory stays bounded; input for the guest waits in a bounded buffer while
the socket cannot take it. A message begun and not finished within the
stall time ends the session.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from kvmdesk.core.display_channel import Channel
from kvmdesk.core.messages import tr
from kvmdesk.virt.vnc import rfb

READ_PER_TURN = 1 << 20
WORK_PER_TURN = 4 << 20
HIGH_WATER = 8 << 20  # received, not yet decoded: stop reading
MAX_PENDING_OUTPUT = 256 * 1024  # input for the guest waiting for the socket
HANDSHAKE_SECONDS = 60.0  # ssh may be asking for a password meanwhile


class DisplayIO:
    """Mixed into ``DisplaySession``, which owns the state named here."""

    client: rfb.RfbClient | None
    received: int
    frames: int
    updated: Any  # the session's signals
    resized: Any
    cursorChanged: Any
    pointerModeChanged: Any
    serverText: Any
    _channel: Channel | None
    _closed: bool
    _reading: bool
    _writing: bool
    _scheduled: bool
    _out: bytearray
    _last_data: float
    _watch: asyncio.TimerHandle | None
    _stall_seconds: float

    @property
    def connected(self) -> bool:
        raise NotImplementedError

    def _on_connected(self) -> None:
        raise NotImplementedError

    def _ended(self, reason: str) -> None:
        raise NotImplementedError

    def _rfb_failed(self, error: rfb.RfbError) -> None:
        raise NotImplementedError

    def _on_readable(self) -> None:
        channel = self._channel
        client = self.client
        if channel is None or client is None:
            return
        total = 0
        ended = False
        error: OSError | None = None
        while total < READ_PER_TURN and client.buffered < HIGH_WATER:
            try:
                data = channel.sock.recv(256 * 1024)
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:
                error = exc
                break
            if not data:
                ended = True
                break
            total += len(data)
            client.receive(data)
        if total:
            self.received += total
            self._last_data = time.monotonic()
        if client.buffered >= HIGH_WATER and self._reading:
            asyncio.get_event_loop().remove_reader(channel.sock.fileno())
            self._reading = False
        self._process()
        if self._channel is not channel:
            return
        if error is not None:
            self._ended(str(error.strerror or error))
        elif ended:
            self._ended("")

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_event_loop().call_soon(self._process)

    def _process(self) -> None:
        self._scheduled = False
        client = self.client
        channel = self._channel
        if client is None or channel is None or self._closed:
            return
        try:
            more = client.process(WORK_PER_TURN)
        except rfb.RfbError as exc:
            self._dispatch(client)
            self._rfb_failed(exc)
            return
        self._dispatch(client)
        if self._channel is not channel:
            return
        self._flush()
        if more:
            self._schedule()
        elif not self._reading and client.buffered < HIGH_WATER // 2:
            asyncio.get_event_loop().add_reader(channel.sock.fileno(), self._on_readable)
            self._reading = True

    def _dispatch(self, client: rfb.RfbClient) -> None:
        events, client.events = client.events, []
        for event in events:
            if isinstance(event, rfb.Updated):
                self.frames += 1
                self.updated.emit(event.rects)
            elif isinstance(event, rfb.Connected):
                self._on_connected()
                self.resized.emit(event.width, event.height)
            elif isinstance(event, rfb.Resized):
                self.resized.emit(event.width, event.height)
            elif isinstance(event, rfb.CursorShape):
                self.cursorChanged.emit(event)
            elif isinstance(event, rfb.PointerMode):
                self.pointerModeChanged.emit(event.absolute)
            elif isinstance(event, rfb.ServerText):
                self.serverText.emit(event.text)

    def _flush(self) -> None:
        channel, client = self._channel, self.client
        if channel is None or client is None:
            return
        out = client.take_output()
        if out:
            if len(self._out) + len(out) > MAX_PENDING_OUTPUT:
                return  # the display does not read: the stall watch ends it
            self._out += out
        while self._out:
            try:
                sent = channel.sock.send(self._out)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                return  # the reader sees the end
            del self._out[:sent]
        loop = asyncio.get_event_loop()
        if self._out and not self._writing:
            loop.add_writer(channel.sock.fileno(), self._flush)
            self._writing = True
        elif not self._out and self._writing:
            loop.remove_writer(channel.sock.fileno())
            self._writing = False

    def _check_stall(self) -> None:
        self._watch = None
        client = self.client
        if self._channel is None or client is None:
            return
        quiet = time.monotonic() - self._last_data
        handshaking = not self.connected
        limit = HANDSHAKE_SECONDS if handshaking else self._stall_seconds
        if (handshaking or client.in_message or client.buffered) and quiet > limit:
            self._ended(tr("The display stopped answering."))
            return
        self._watch = asyncio.get_event_loop().call_later(1.0, self._check_stall)
