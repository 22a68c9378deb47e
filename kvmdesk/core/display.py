"""A live VNC session on one domain of one connection.

``DisplaySession`` reads the domain's display from its definition, opens a
channel to it (``core.display_channel``: a socket from libvirt, or an ssh
tunnel) and runs the RFB client of ``virt.vnc.rfb`` on the GUI thread's
event loop, never blocking: the socket is read when it is readable, at most
``READ_PER_TURN`` bytes a turn; what arrived is decoded in slices of about
``WORK_PER_TURN`` bytes, each in its own turn of the loop, so the window
keeps painting and answering whatever the guest draws. Reading pauses
while ``HIGH_WATER`` bytes wait to be decoded, so memory stays bounded.

Like the serial console, the session follows the domain: it closes when the
domain stops or the link drops, and attaches again by itself once the
domain runs (or after a dropped display, with a growing delay). Problems
that waiting cannot solve (no display, a refused password) halt it until
the user acts (``core.display_ends``: the states and the words for each).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Signal

from kvmdesk.core.connection import Connection
from kvmdesk.core.display_channel import Channel, open_channel
from kvmdesk.core.display_ends import DisplayEnds, DisplayState, not_running_text
from kvmdesk.core.display_io import DisplayIO
from kvmdesk.core.messages import tr
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt.vnc import rfb
from kvmdesk.virt.vnc.framebuffer import Framebuffer
from kvmdesk.virt.vnc.reach import DisplayInfo, display_info

__all__ = ["DisplaySession", "DisplayState", "Opener", "not_running_text"]

log = logging.getLogger(__name__)

MAX_POINTER_BACKLOG = 16 * 1024  # pointer motion is dropped beyond this
STALL_SECONDS = 15.0  # a message begun and nothing more for this long: dead
TAKEN_RECHECK = 5.0  # a display held by another client: asked again this often

Opener = Callable[[Connection, str, DisplayInfo], Awaitable[Channel]]


class DisplaySession(DisplayEnds, DisplayIO, QObject):
    """The VNC display of domain ``uuid`` on ``conn``; ``start()`` begins following it."""

    stateChanged = Signal()
    resized = Signal(int, int)
    updated = Signal(object)  # tuple[Rect, ...] that changed
    cursorChanged = Signal(object)  # rfb.CursorShape
    pointerModeChanged = Signal(bool)  # absolute
    serverText = Signal(str)  # clipboard text from the guest
    framePainted = Signal()  # for measurements: emitted by the view after painting

    def __init__(
        self,
        conn: Connection,
        uuid: str,
        opener: Opener = open_channel,
        stall_seconds: float = STALL_SECONDS,
        encodings: tuple[int, ...] | None = None,
        taken_recheck: float = TAKEN_RECHECK,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.conn = conn
        self.uuid = uuid
        self.state = DisplayState.IDLE
        self.reason = ""
        self.info: DisplayInfo | None = None
        self.client: rfb.RfbClient | None = None
        self.received = 0
        self.frames = 0
        self._opener = opener
        self._stall_seconds = stall_seconds
        self._encodings = encodings  # None: by the channel (local or tunnelled)
        self._taken_recheck = taken_recheck
        self._exclusive = False  # the next attempt takes the display over (shared-flag 0)
        self._password: str | None = None  # asked of the user; never stored
        self._channel: Channel | None = None
        self._reading = False
        self._writing = False
        self._scheduled = False
        self._out = bytearray()
        self._last_data = 0.0
        self._watch: asyncio.TimerHandle | None = None
        self._started = False
        self._closed = False
        self._generation = 0
        self._opening = False
        self._halted = False
        self._was_connected = False
        self._was_attached = False
        self._last_active: bool | None = None
        self._retries = 0
        self._retry: asyncio.TimerHandle | None = None
        self._tasks = TaskSet("display task", log)
        self._links: list[QMetaObject.Connection] = []

    # -- public API -------------------------------------------------------

    @property
    def framebuffer(self) -> Framebuffer | None:
        return self.client.framebuffer if self.client is not None else None

    @property
    def connected(self) -> bool:
        return self.state is DisplayState.CONNECTED

    @property
    def absolute(self) -> bool:
        return self.client.absolute if self.client is not None else True

    def start(self) -> None:
        if self._started or self._closed:
            return
        self._started = True
        self._follow()
        self._update()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        self._cancel_retry()
        self._unfollow()
        self._drop_channel()
        self._tasks.cancel_all()
        self._set(DisplayState.IDLE, "")

    def retry(self, password: str | None = None) -> None:
        """Try again now; with ``password`` for a display that asked for one."""
        if self._closed:
            return
        if password is not None:
            self._password = password
        self._drop_channel()
        self._restart()

    def take_over(self) -> None:
        """Connect exclusively: QEMU then disconnects every other client of the display."""
        if self._closed:
            return
        self._exclusive = True
        self._drop_channel()
        self._set(DisplayState.CONNECTING, "")
        self._restart()

    def key(self, scancode: int, keysym: int, down: bool) -> None:
        if self.client is not None and self.connected:
            self.client.key(keysym, scancode, down)
            self._flush()

    def pointer(self, buttons: int, x: int, y: int) -> None:
        """An absolute position in framebuffer pixels."""
        if self.client is not None and self.connected and len(self._out) < MAX_POINTER_BACKLOG:
            self.client.pointer(buttons, x, y)
            self._flush()

    def motion(self, buttons: int, dx: int, dy: int) -> None:
        """A relative movement (the guest has no tablet)."""
        if self.client is not None and self.connected and len(self._out) < MAX_POINTER_BACKLOG:
            dx = max(-0x7FFF, min(0x7FFF, dx))
            dy = max(-0x7FFF, min(0x7FFF, dy))
            self.client.pointer(buttons, 0x7FFF + dx, 0x7FFF + dy)
            self._flush()

    def send_text(self, text: str) -> None:
        """Offer ``text`` as the clipboard to the guest."""
        if self.client is not None and self.connected:
            self.client.cut_text(text)
            self._flush()

    # -- following the connection and the domain ---------------------------

    def _restart(self) -> None:
        self._generation += 1
        self._opening = self._halted = False
        self._retries = 0
        self._cancel_retry()
        self._update()

    def _update(self) -> None:
        if self._closed or not self._started or not shiboken6.isValid(self):
            return
        conn = self.conn
        connected = shiboken6.isValid(conn) and conn.is_connected
        if connected != self._was_connected:
            self._was_connected = connected
            self._generation += 1
            self._opening = self._halted = False
            self._retries = 0
            self._cancel_retry()
        if not connected:
            self._drop_channel()
            self._set(DisplayState.DISCONNECTED, tr("The connection to the host is not open."))
            return
        record = conn.domains.get(self.uuid)
        if record is None:
            self._drop_channel()
            self._set(DisplayState.DISCONNECTED, tr("The virtual machine no longer exists."))
            return
        active = record.state.is_active
        if active != self._last_active:
            self._last_active = active
            self._generation += 1
            self._opening = self._halted = False
            self._retries = 0
            self._cancel_retry()
        if not active:
            self._drop_channel()
            if self.state not in (DisplayState.NO_DISPLAY,):
                state = (
                    DisplayState.DISCONNECTED if self._was_attached else DisplayState.NOT_RUNNING
                )
                self._set(state, not_running_text())
            return
        if self._channel is not None or self._opening or self._halted or self._retry is not None:
            return
        self._open()

    def _set(self, state: DisplayState, reason: str) -> None:
        if state is self.state and reason == self.reason:
            return
        self.state, self.reason = state, reason
        if shiboken6.isValid(self):
            self.stateChanged.emit()

    # -- opening ------------------------------------------------------------

    def _open(self) -> None:
        self._opening = True
        if self.state is not DisplayState.TAKEN:  # a recheck of a taken display: no flicker
            self._set(DisplayState.CONNECTING, "")
        self._tasks.spawn(self._attach(self._generation))

    async def _attach(self, generation: int) -> None:
        conn = self.conn
        channel: Channel | None = None
        try:
            info = await conn.call(display_info, self.uuid)
            if generation == self._generation and not self._closed:
                self.info = info
                if info.index is None:
                    self._halt_without_vnc(info)
                    return
                channel = await self._opener(conn, self.uuid, info)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # libvirtError, Unreachable, OSError, NotConnectedError
            if shiboken6.isValid(self) and generation == self._generation and not self._closed:
                self._opening = False
                self._open_failed(exc)
            return
        if not shiboken6.isValid(self) or generation != self._generation or self._closed:
            if channel is not None:
                channel.close()
            return
        self._opening = False
        if channel is not None:
            self._attached(channel)

    def _attached(self, channel: Channel) -> None:
        self._channel = channel
        password = self._password
        if password is None and self.info is not None:
            password = self.info.password
        encodings = self._encodings
        if encodings is None:
            encodings = rfb.DEFAULT_ENCODINGS if channel.tunnelled else rfb.LOCAL_ENCODINGS
        self.client = rfb.RfbClient(
            password=password, encodings=encodings, shared=not self._exclusive
        )
        self._out.clear()
        self._last_data = time.monotonic()
        loop = asyncio.get_event_loop()
        loop.add_reader(channel.sock.fileno(), self._on_readable)
        self._reading = True
        self._watch = loop.call_later(1.0, self._check_stall)
        self._flush()

    def _drop_channel(self) -> None:
        channel = self._detach_channel()
        if channel is not None:
            channel.close()

    def _detach_channel(self) -> Channel | None:
        """Stop reading and writing the channel, and hand it over (still open)."""
        channel, self._channel = self._channel, None
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        if channel is None:
            return None
        loop = asyncio.get_event_loop()
        with contextlib.suppress(Exception):
            loop.remove_reader(channel.sock.fileno())
        with contextlib.suppress(Exception):
            loop.remove_writer(channel.sock.fileno())
        self._reading = self._writing = False
        self._out.clear()
        return channel

    def _on_connected(self) -> None:
        self._exclusive = False  # attaching again later shares, as any viewer does
        self._was_attached = True
        self._retries = 0
        self._set(DisplayState.CONNECTED, "")

    def _ended(self, reason: str) -> None:
        connected_before = self.connected
        refused_to_share = self.client is not None and self.client.initialising
        channel = self._detach_channel()
        if refused_to_share:
            if channel is not None:
                channel.close()
            self._taken()
            return
        if channel is not None and channel.tunnelled and not connected_before:
            # ssh may still be writing why it gave up: wait for it off the GUI thread.
            self._opening = True  # no other attempt meanwhile
            self._tasks.spawn(self._ended_tunnel(channel, reason, self._generation))
            return
        if channel is not None:
            channel.close()
        self._report_end(reason, "", connected_before)

    async def _ended_tunnel(self, channel: Channel, reason: str, generation: int) -> None:
        loop = asyncio.get_running_loop()
        try:
            words = await loop.run_in_executor(None, channel.ssh_words, 1.0)
        finally:
            channel.close()
        if shiboken6.isValid(self) and generation == self._generation and not self._closed:
            self._opening = False
            self._report_end(reason, words, False)
