"""libvirt's event loop, run by the asyncio loop that qasync drives.

libvirt-python's ``libvirtaio`` does the same job but assumes it is only
ever called from the loop's thread. libvirt calls the add/update/remove
hooks from whichever thread makes an RPC (our workers do, when they take the
socket for a reply), and qasync's readers are QSocketNotifiers that must be
touched from the GUI thread only. So this adapter keeps the wanted state in
plain dicts under a lock, answers libvirt at once (it needs the watch id
synchronously), and applies the state to the loop on the loop's own thread.
Handle and timer callbacks therefore always run on the GUI thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libvirt

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
    scheduled: asyncio.Handle | None = None


class LibvirtEventLoop:
    """The libvirt event implementation; register it once, before any open."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._owner = threading.get_ident()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._handles: dict[int, _Handle] = {}
        self._timers: dict[int, _Timer] = {}
        self._watched: dict[int, int] = {}  # fd -> events applied to the loop

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

    def _on_loop(self, fn: Callable[..., None], *args: Any) -> None:
        if self._loop.is_closed():
            return  # quitting: a last stream or connection is being freed
        if threading.get_ident() == self._owner:
            fn(*args)
        else:
            self._post(fn, *args)

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
        self._on_loop(self._sync_fd, fd)
        return watch

    def update_handle(self, watch: int, events: int) -> None:
        with self._lock:
            handle = self._handles.get(watch)
            if handle is None:
                return
            handle.events = events
            fd = handle.fd
        self._on_loop(self._sync_fd, fd)

    def remove_handle(self, watch: int) -> int:
        with self._lock:
            handle = self._handles.pop(watch, None)
        if handle is None:
            return -1
        self._on_loop(self._sync_fd, handle.fd)
        self._free_later(handle.opaque)
        return 0

    def _wanted(self, fd: int) -> int:
        with self._lock:
            events = 0
            for h in self._handles.values():
                if h.fd == fd:
                    events |= h.events
            return int(events & (_READABLE | _WRITABLE))

    def _sync_fd(self, fd: int) -> None:
        wanted = self._wanted(fd)
        applied = self._watched.get(fd, 0)
        if wanted == applied:
            return
        if wanted & _READABLE and not applied & _READABLE:
            self._loop.add_reader(fd, self._dispatch, fd, _READABLE)
        elif applied & _READABLE and not wanted & _READABLE:
            self._loop.remove_reader(fd)
        if wanted & _WRITABLE and not applied & _WRITABLE:
            self._loop.add_writer(fd, self._dispatch, fd, _WRITABLE)
        elif applied & _WRITABLE and not wanted & _WRITABLE:
            self._loop.remove_writer(fd)
        if wanted:
            self._watched[fd] = wanted
        else:
            self._watched.pop(fd, None)

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
        with self._lock:
            self._timers[timer_id] = _Timer(interval_ms, cb, opaque)
        self._on_loop(self._sync_timer, timer_id)
        return timer_id

    def update_timeout(self, timer_id: int, interval_ms: int) -> None:
        with self._lock:
            timer = self._timers.get(timer_id)
            if timer is None:
                return
            timer.interval_ms = interval_ms
        self._on_loop(self._sync_timer, timer_id)

    def remove_timeout(self, timer_id: int) -> int:
        with self._lock:
            timer = self._timers.pop(timer_id, None)
        if timer is None:
            return -1
        self._on_loop(self._cancel, timer)
        self._free_later(timer.opaque)
        return 0

    @staticmethod
    def _cancel(timer: _Timer) -> None:
        if timer.scheduled is not None:
            timer.scheduled.cancel()
            timer.scheduled = None

    def _sync_timer(self, timer_id: int) -> None:
        with self._lock:
            timer = self._timers.get(timer_id)
        if timer is None:
            return
        self._cancel(timer)
        if timer.interval_ms < 0:
            return
        delay = timer.interval_ms / 1000.0
        timer.scheduled = self._loop.call_later(delay, self._fire, timer_id)

    def _fire(self, timer_id: int) -> None:
        with self._lock:
            timer = self._timers.get(timer_id)
        if timer is None:
            return
        timer.scheduled = None
        try:
            timer.cb(timer_id, timer.opaque)
        except Exception:
            log.exception("libvirt timer callback failed")
        # The callback may have changed or removed the timer; re-arm what remains.
        with self._lock:
            still = self._timers.get(timer_id)
        if still is not None and still.scheduled is None:
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
