"""libvirt's event loop on Qt's, beside the asyncio loop that qasync drives.

libvirt-python's ``libvirtaio`` does the same job but assumes it is only
ever called from the loop's thread. libvirt calls the add/update/remove
hooks from whichever thread makes an RPC (our workers do, when they take the
socket for a reply), and socket notifiers and timers must be touched from
the GUI thread only. So this adapter keeps the wanted state in plain dicts
under a lock, answers libvirt at once (it needs the watch id synchronously),
and applies the state on the GUI thread. Handle and timer callbacks
therefore always run on the GUI thread.

A fleet's RPCs switch each socket's write interest on and off several times
per call, from the workers, and update timers as often. So changes are
batched: the first one in a loop turn posts one
flush, later ones only mark their socket or timer. Each socket keeps one
``QSocketNotifier`` per direction for as long as libvirt watches it, switched
on and off (asyncio's ``add_reader`` made a new notifier, and qasync a timer
per readiness), and each libvirt timer keeps one ``QTimer``.

A timer's countdown is restarted lazily. libvirt restarts a connection's
keepalive countdown on every message it receives and checks it again at
every turn of a worker's wait for a reply: about ten restarts per call, a
flush and a ``QTimer`` restart each, on the GUI thread, for a countdown
that never runs out while the host answers. A restart that only moves the
deadline later therefore changes the wanted deadline and nothing else; the
``QTimer`` fires at the deadline it was armed for, and if the wanted one is
later by then, it is armed again for the rest (at most one wake-up per
countdown instead of one per message). Only a deadline earlier than the armed
one, or a timer not armed at all, needs a flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libvirt
from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal

log = logging.getLogger(__name__)

_READABLE: int = libvirt.VIR_EVENT_HANDLE_READABLE
_WRITABLE: int = libvirt.VIR_EVENT_HANDLE_WRITABLE


@dataclass(slots=True)
class _Handle:
    fd: int
    events: int
    cb: Callable[..., Any]
    opaque: Any


@dataclass(slots=True)
class _Timer:
    interval_ms: int
    cb: Callable[..., Any]
    opaque: Any
    due: float | None = None  # monotonic seconds it is wanted at; None: disabled
    changes: int = 0  # counts updates: did the callback set its next deadline?
    # When its QTimer fires next (None: not armed); written on the GUI thread.
    armed: float | None = None

    def restart(self, interval_ms: int) -> None:
        """libvirt's update: the countdown starts again now (-1: disabled)."""
        self.interval_ms = interval_ms
        self.due = None if interval_ms < 0 else time.monotonic() + interval_ms / 1000
        self.changes += 1

    @property
    def needs_flush(self) -> bool:
        """Only an earlier deadline than the armed one needs the GUI thread
        now; a later one is armed again when the QTimer fires, and a disabled
        timer is stopped then."""
        return self.due is not None and (self.armed is None or self.due < self.armed)


# A QTimer (coarse by default) may fire up to 5 % early: within this share of
# the interval (and a millisecond) a timer counts as due, not armed again.
_EARLY_SHARE = 0.05
_EARLY_S = 0.001


class _Poster(QObject):
    """Carries "apply the changes" to the GUI thread as one queued event."""

    flush = Signal()


class LibvirtEventLoop:
    """The libvirt event implementation; register it once, before any open."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._owner = threading.get_ident()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._handles: dict[int, _Handle] = {}
        self._timers: dict[int, _Timer] = {}
        # Changes not applied yet, and whether a flush is on its way (lock).
        self._dirty_fds: set[int] = set()
        self._dirty_timers: set[int] = set()
        self._flush_posted = False
        # What is applied: GUI thread only.
        self._notifiers: dict[int, tuple[QSocketNotifier, QSocketNotifier]] = {}
        self._qtimers: dict[int, QTimer] = {}
        self._firing: int | None = None  # the timer whose callback runs (GUI thread)
        self._poster = _Poster()
        self._poster.flush.connect(self._flush, Qt.ConnectionType.QueuedConnection)

    def register(self) -> LibvirtEventLoop:
        libvirt.virEventRegisterImpl(
            self.add_handle,
            self.update_handle,
            self.remove_handle,
            self.add_timeout,
            self.update_timeout,
            self.remove_timeout,
        )
        return self

    # -- marshalling ------------------------------------------------------

    def _changed(self, fd: int | None = None, timer_id: int | None = None) -> None:
        """Note a change; the first of a turn posts the flush that applies them."""
        if self._loop.is_closed():
            return  # quitting: a last stream or connection is being freed
        with self._lock:
            if fd is not None:
                self._dirty_fds.add(fd)
            if timer_id is not None:
                self._dirty_timers.add(timer_id)
            if self._flush_posted:
                return
            self._flush_posted = True
        self._poster.flush.emit()

    def _flush(self) -> None:
        with self._lock:
            fds, self._dirty_fds = self._dirty_fds, set()
            timers, self._dirty_timers = self._dirty_timers, set()
            self._flush_posted = False
        for fd in fds:
            self._sync_fd(fd)
        for timer_id in timers:
            self._sync_timer(timer_id)

    def _post(self, fn: Callable[..., None], *args: Any) -> None:
        # After the loop has closed (the application is quitting) there is
        # nothing left to watch, and nothing to free that matters.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(fn, *args)

    def _free_later(self, opaque: Any) -> None:
        """libvirt's free callback may take locks that the caller of a remove
        hook is holding; like libvirtaio, always run it on a later loop turn."""
        self._post(libvirt.virEventInvokeFreeCallback, opaque)

    # -- file handles -----------------------------------------------------

    def add_handle(self, fd: int, events: int, cb: Callable[..., Any], opaque: Any) -> int:
        watch = next(self._ids)
        with self._lock:
            self._handles[watch] = _Handle(fd, events, cb, opaque)
        self._changed(fd=fd)
        return watch

    def update_handle(self, watch: int, events: int) -> None:
        with self._lock:
            handle = self._handles.get(watch)
            if handle is None:
                return
            handle.events = events
            fd = handle.fd
        self._changed(fd=fd)

    def remove_handle(self, watch: int) -> int:
        with self._lock:
            handle = self._handles.pop(watch, None)
        if handle is None:
            return -1
        if threading.get_ident() == self._owner and not self._loop.is_closed():
            # At once: libvirt may close the socket as soon as this returns,
            # and a notifier left on a closed descriptor trips Qt's poll.
            self._sync_fd(handle.fd)
        else:
            self._changed(fd=handle.fd)
        self._free_later(handle.opaque)
        return 0

    def _wanted(self, fd: int) -> int | None:
        """The events some handle on ``fd`` wants; None when none watches it."""
        with self._lock:
            events = None
            for h in self._handles.values():
                if h.fd == fd:
                    events = (events or 0) | h.events
            return None if events is None else int(events & (_READABLE | _WRITABLE))

    def _sync_fd(self, fd: int) -> None:
        wanted = self._wanted(fd)
        pair = self._notifiers.get(fd)
        if wanted is None:
            if pair is not None:
                del self._notifiers[fd]
                for notifier in pair:  # perhaps inside its own signal: later
                    notifier.setEnabled(False)
                    notifier.deleteLater()
            return
        if pair is None:
            pair = (
                self._notifier(fd, QSocketNotifier.Type.Read, _READABLE),
                self._notifier(fd, QSocketNotifier.Type.Write, _WRITABLE),
            )
            self._notifiers[fd] = pair
        for notifier, event in zip(pair, (_READABLE, _WRITABLE), strict=True):
            on = bool(wanted & event)
            if notifier.isEnabled() != on:
                notifier.setEnabled(on)

    def _notifier(self, fd: int, kind: QSocketNotifier.Type, event: int) -> QSocketNotifier:
        notifier = QSocketNotifier(fd, kind)
        notifier.setEnabled(False)
        notifier.activated.connect(lambda *_a: self._dispatch(fd, event))
        return notifier

    def _dispatch(self, fd: int, event: int) -> None:
        with self._lock:
            targets = [
                (watch, h.cb, h.opaque)
                for watch, h in self._handles.items()
                if h.fd == fd and h.events & event
            ]
        for watch, cb, opaque in targets:
            try:
                cb(watch, fd, event, opaque)
            except Exception:  # a callback must never take the loop down
                log.exception("libvirt handle callback failed")

    # -- timers -----------------------------------------------------------

    def add_timeout(self, interval_ms: int, cb: Callable[..., Any], opaque: Any) -> int:
        timer_id = next(self._ids)
        timer = _Timer(interval_ms, cb, opaque)
        timer.restart(interval_ms)
        with self._lock:
            self._timers[timer_id] = timer
        self._changed(timer_id=timer_id)
        return timer_id

    def update_timeout(self, timer_id: int, interval_ms: int) -> None:
        with self._lock:
            timer = self._timers.get(timer_id)
            if timer is None:
                return
            timer.restart(interval_ms)
            # Its own callback: _fire arms it again afterwards.
            if timer_id == self._firing or not timer.needs_flush:
                return
        self._changed(timer_id=timer_id)

    def remove_timeout(self, timer_id: int) -> int:
        with self._lock:
            timer = self._timers.pop(timer_id, None)
        if timer is None:
            return -1
        self._changed(timer_id=timer_id)
        self._free_later(timer.opaque)
        return 0

    def _sync_timer(self, timer_id: int) -> None:
        """Arm the timer's QTimer for its deadline, or stop (and drop) it."""
        qtimer = self._qtimers.get(timer_id)
        with self._lock:
            timer = self._timers.get(timer_id)
            if timer is not None and timer.due is not None:
                due = timer.armed = timer.due
            else:
                due = None
                if timer is not None:
                    timer.armed = None
        if timer is None:
            if qtimer is not None:
                del self._qtimers[timer_id]
                qtimer.stop()
                qtimer.deleteLater()
            return
        if due is None:
            if qtimer is not None:
                qtimer.stop()
            return
        if qtimer is None:
            qtimer = QTimer()
            qtimer.setSingleShot(True)
            qtimer.timeout.connect(lambda: self._fire(timer_id))
            self._qtimers[timer_id] = qtimer
        qtimer.start(max(0, round((due - time.monotonic()) * 1000)))

    def _fire(self, timer_id: int) -> None:
        """The QTimer ran out: run the callback if the timer is due by now,
        and arm it for the next deadline (libvirt's timers repeat)."""
        # A change not flushed yet still counts: a disabled or removed timer
        # never runs its callback again.
        with self._lock:
            timer = self._timers.get(timer_id)
            if timer is None or timer.due is None:
                if timer is not None:
                    timer.armed = None
                return
            early = timer.due - time.monotonic()
            ready = early <= max(_EARLY_S, timer.interval_ms / 1000 * _EARLY_SHARE)
            changes = timer.changes
            if ready:
                self._firing = timer_id
            else:
                timer.armed = None  # restarted since it was armed: the rest
        if ready:
            try:
                timer.cb(timer_id, timer.opaque)
            except Exception:
                log.exception("libvirt timer callback failed")
            with self._lock:
                self._firing = None
                if timer.changes == changes and timer.due is not None:
                    timer.restart(timer.interval_ms)  # not set by the callback: repeat
        self._sync_timer(timer_id)


_registered: LibvirtEventLoop | None = None


def register_once(loop: asyncio.AbstractEventLoop) -> LibvirtEventLoop:
    """Register the implementation exactly once per process.

    libvirt allows a single event implementation for the life of the
    process, bound to one asyncio loop: the application's (or the test
    session's) only loop.
    """
    global _registered
    if _registered is None:
        _registered = LibvirtEventLoop(loop).register()
    elif _registered._loop is not loop:
        raise RuntimeError("libvirt's event loop is already bound to another asyncio loop")
    return _registered
