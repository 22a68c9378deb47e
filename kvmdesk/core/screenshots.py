"""A live feed of one domain's screen, captured at an interval.

``ScreenshotFeed`` captures the selected domain while it is ``active`` (the
Screenshot tab is visible, the window not minimised) and the domain is
running. Capturing *and* decoding run on the connection's worker
(:func:`grab_frame`); the GUI thread gets a frozen :class:`Frame` with raw
RGB pixels and turns it into an image itself.

Pacing: one capture every ``interval`` seconds, never more than one in
flight. A capture that takes longer than its slot pushes the next one back
by at least as long as it took, so a slow host spends at most about half its
time on screenshots.

Selection changes bump a generation counter; a capture that was in flight
for an earlier selection finishes in the worker, but its frame is dropped.

Failures are emitted as one plain sentence each, once per distinct reason
until a frame arrives or the selection changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import libvirt
import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Signal

from kvmdesk.core.connection import Connection
from kvmdesk.virt.errors import NotConnectedError, classify
from kvmdesk.virt.screenshot import (
    DomainNotRunningError,
    NoDisplayError,
    ScreenshotError,
    capture,
    decode,
    screenshot_metadata,
)

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 1.0
"""Seconds between two captures, unless the settings say otherwise."""

NOT_RUNNING = "The virtual machine is not running."
NOT_CONNECTED = "The connection to the host is not open."
GONE = "The virtual machine no longer exists."


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """One decoded screenshot: packed 8-bit RGB rows, top to bottom."""

    uuid: str
    name: str
    uri: str
    screen: int
    width: int
    height: int
    # width * height * 3 bytes; for what QEMU sends, a view of the received data
    rgb: memoryview = dataclasses.field(repr=False)
    taken_at: datetime  # UTC, when the capture was requested
    monotonic: float  # time.monotonic() when the capture was requested
    metadata: tuple[tuple[str, str], ...]  # PNG text chunks (virt.screenshot)

    @property
    def stride(self) -> int:
        return self.width * 3

    def age(self, now: float | None = None) -> float:
        """Seconds since the capture was requested."""
        return max(0.0, (time.monotonic() if now is None else now) - self.monotonic)


def grab_frame(virt: libvirt.virConnect, uuid: str, uri: str, screen: int = 0) -> Frame:
    """Capture and decode one screenshot (blocking: runs on a worker).

    Raises :class:`ScreenshotError` with a plain sentence for every failure.
    """
    started = time.monotonic()
    shot = capture(virt, uuid, screen)
    image = decode(shot.data, shot.mime)
    return Frame(
        uuid=shot.uuid,
        name=shot.name,
        uri=uri,
        screen=shot.screen,
        width=image.width,
        height=image.height,
        rgb=image.rgb,
        taken_at=shot.taken_at,
        monotonic=started,
        metadata=tuple(screenshot_metadata(shot, uri).items()),
    )


def next_delay(interval: float, took: float) -> float:
    """Seconds to wait after a capture that took ``took`` seconds."""
    if took > interval:
        return took  # over its slot: back off at least as long as it took
    return interval - took


class ScreenshotFeed(QObject):
    """Captures the selected domain's screen while active; see the module text."""

    frame = Signal(object)  # Frame
    failed = Signal(str)  # a plain sentence

    def __init__(
        self, interval: float = DEFAULT_INTERVAL, screen: int = 0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._interval = max(0.05, float(interval))
        self.screen = screen
        self._active = False
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._links: list[QMetaObject.Connection] = []
        self._linked: Connection | None = None
        self._generation = 0
        self._last_reason: str | None = None
        self._halted_for: int | None = None  # generation stopped by a lasting failure
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self.captures = 0  # captures started, for tests and benchmarks

    # -- public API -------------------------------------------------------

    @property
    def interval(self) -> float:
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self._interval = max(0.05, float(seconds))

    @property
    def active(self) -> bool:
        return self._active

    @active.setter
    def active(self, on: bool) -> None:
        self.set_active(on)

    @property
    def connection(self) -> Connection | None:
        return self._conn

    @property
    def uuid(self) -> str | None:
        return self._uuid

    @property
    def running(self) -> bool:
        """True while the capture loop runs (or finishes its last capture)."""
        return self._task is not None and not self._task.done()

    @property
    def retrying(self) -> bool:
        """After a failure: whether the feed keeps trying (False for "not
        running", "no display" and the like, which wait for a change)."""
        return self._blocker() is None and self._halted_for != self._generation

    def set_active(self, on: bool) -> None:
        """Capture while on; off stops after the capture in flight (its frame dropped)."""
        on = bool(on)
        if on == self._active:
            return
        self._active = on
        if not on:
            self._bump()
        self._relink()
        self._update()

    def set_domain(self, conn: Connection | None, uuid: str | None) -> None:
        """Follow domain ``uuid`` of ``conn`` (None: nothing)."""
        if conn is not None and not shiboken6.isValid(conn):
            conn = None
        if conn is self._conn and uuid == self._uuid:
            return
        self._conn = conn
        self._uuid = uuid if conn is not None else None
        self._relink()
        self._last_reason = None
        self._bump()
        self._update()

    def clear(self) -> None:
        self.set_domain(None, None)

    def stop(self) -> None:
        """Stop for good (the owner goes away): inactive and pointing nowhere."""
        self._active = False
        self.set_domain(None, None)
        if self._task is not None:
            self._task.cancel()

    # -- state ------------------------------------------------------------

    def _bump(self) -> None:
        self._generation += 1
        self._halted_for = None
        if self._wake is not None:
            self._wake.set()

    def _relink(self) -> None:
        """Follow the connection's signals only while active: a hidden tab
        costs the connection nothing."""
        conn = self._conn if self._active else None
        if conn is self._linked:
            return
        for link in self._links:
            QObject.disconnect(link)
        self._links = []
        self._linked = conn
        if conn is not None:
            self._links = [
                conn.stateChanged.connect(self._update),
                conn.domainChanged.connect(self._on_domain_changed),
                conn.domainRemoved.connect(self._on_domain_changed),
                conn.destroyed.connect(self._on_conn_destroyed),
            ]

    def _on_conn_destroyed(self, _obj: object = None) -> None:
        self._links = []
        self._linked = self._conn = None
        self._uuid = None
        self._bump()
        self._update()

    def _on_domain_changed(self, record_or_uuid: Any) -> None:
        uuid = getattr(record_or_uuid, "uuid", record_or_uuid)
        if uuid == self._uuid:
            if self._halted_for == self._generation:
                self._halted_for = None  # the domain changed: worth another try
            self._update()

    def _blocker(self) -> str | None:
        """Why nothing can be captured now, or None when it can."""
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return ""
        if not shiboken6.isValid(conn) or not conn.is_connected:
            return NOT_CONNECTED
        record = conn.domains.get(uuid)
        if record is None:
            return GONE
        if not record.state.is_active:
            return NOT_RUNNING
        return None

    def _update(self) -> None:
        """Start the loop when capturing is possible and wanted; report why not."""
        if not shiboken6.isValid(self):
            return
        blocker = self._blocker()
        if blocker:
            self._report(blocker)
        if not self._active or blocker is not None or self._halted_for == self._generation:
            return
        if self._task is None or self._task.done():  # (its done callback may be pending)
            self._task = asyncio.ensure_future(self._run())
            self._task.add_done_callback(self._task_done)

    def _report(self, reason: str) -> None:
        if reason != self._last_reason:
            self._last_reason = reason
            self.failed.emit(reason)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if self._task is task:
            self._task = None
        if not task.cancelled() and task.exception() is not None:
            log.error("screenshot feed failed", exc_info=task.exception())

    # -- the loop ----------------------------------------------------------

    def _wanted(self) -> bool:
        return (
            shiboken6.isValid(self)
            and self._active
            and self._halted_for != self._generation
            and self._blocker() is None
        )

    async def _run(self) -> None:
        self._wake = asyncio.Event()
        try:
            while self._wanted():
                await self._capture_once()
        finally:
            self._wake = None

    async def _capture_once(self) -> None:
        conn, uuid, generation = self._conn, self._uuid, self._generation
        assert conn is not None and uuid is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.captures += 1
        frame: Frame | None = None
        reason = ""
        lasting = False
        try:
            frame = await conn.call(grab_frame, uuid, conn.uri, self.screen)
        except (DomainNotRunningError, NoDisplayError) as exc:
            reason, lasting = str(exc), True
        except ScreenshotError as exc:
            reason = str(exc)
        except NotConnectedError:
            reason = NOT_CONNECTED
        except Exception as exc:  # libvirtError, RuntimeError from a closed worker
            reason = classify(exc).message or str(exc)
        took = loop.time() - started
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # the selection moved on meanwhile: drop this result
        if frame is not None:
            self._last_reason = None
            self.frame.emit(frame)
        else:
            if lasting:  # no retries until the domain or the selection changes
                self._halted_for = generation
            self._report(reason)
            if lasting:
                return
        await self._pause(next_delay(self._interval, took), generation)

    async def _pause(self, seconds: float, generation: int) -> None:
        wake = self._wake
        if wake is None or generation != self._generation:
            return
        wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), seconds)
