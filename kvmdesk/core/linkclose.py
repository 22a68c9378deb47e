"""Closing a libvirt connection safely, off the GUI thread."""

from __future__ import annotations

import _thread
import concurrent.futures
import contextlib
import threading

import libvirt

from kvmdesk.core import resource_events
from kvmdesk.core.worker import BACKGROUND_NICE, Worker, lower_this_thread


def close_virt(
    virt: libvirt.virConnect,
    callback_ids: list[int],
    resources: list[resource_events.Subscription],
) -> None:
    """Best effort: on a dead link each step fails, and closing is all that is left.

    Every subscription is released first: a callback left registered keeps
    libvirt's connection (and its socket) alive.
    """
    resource_events.unsubscribe(virt, resources)
    for cid in callback_ids:
        with contextlib.suppress(libvirt.libvirtError):
            virt.domainEventDeregisterAny(cid)
    with contextlib.suppress(libvirt.libvirtError):
        virt.unregisterCloseCallback()
    with contextlib.suppress(libvirt.libvirtError):
        virt.close()


class Closing:
    """A close under way in a thread of its own; ``join`` waits for its end."""

    def __init__(self) -> None:
        self._done = threading.Event()

    def join(self, timeout: float | None = None) -> bool:
        """True once the connection is closed (False: still waiting, at ``timeout``)."""
        return self._done.wait(timeout)


def close_when_idle(
    virt: libvirt.virConnect,
    worker: Worker,
    callback_ids: list[int],
    resources: list[resource_events.Subscription] | None = None,
) -> Closing:
    """Release ``callback_ids`` (domain events) and ``resources`` (network
    and pool events), then close ``virt``, once every call running on it has
    returned.

    Closing frees libvirt's connection, so a call still running on another
    thread would read freed memory. A daemon thread waits for the worker,
    then closes; a call stuck on a dead host delays only that thread.

    The thread is started without waiting for it to run (``threading``'s
    start waits until the new thread holds the interpreter lock, up to
    120 ms while a fleet's workers are busy): a link lost in a keepalive
    timeout is torn down on the GUI thread.
    """
    closing = Closing()
    # Queued calls are dropped now, before the busy one can return and the
    # worker take the next: their callers hear "not connected" at once.
    worker.shutdown()

    def run() -> None:
        try:
            lower_this_thread(BACKGROUND_NICE)
            worker.shutdown(wait=True)
            close_virt(virt, callback_ids, resources or [])
        finally:
            closing._done.set()

    _thread.start_new_thread(run, ())
    return closing


def discard_late_open(
    opening: concurrent.futures.Future[libvirt.virConnect], worker: Worker
) -> None:
    """An open call was abandoned (cancelled, or no answer in time): close
    the connection it returns, should it ever return, and stop its worker."""

    def done(future: concurrent.futures.Future[libvirt.virConnect]) -> None:
        if future.cancelled() or future.exception() is not None:
            worker.shutdown()
        else:
            close_when_idle(future.result(), worker, [])

    opening.add_done_callback(done)
