"""Closing a libvirt connection safely, off the GUI thread."""

from __future__ import annotations

import concurrent.futures
import contextlib
import threading

import libvirt

from kvmdesk.core.worker import Worker


def close_virt(virt: libvirt.virConnect, callback_ids: list[int]) -> None:
    """Best effort: on a dead link each step fails, and closing is all that is left."""
    for cid in callback_ids:
        with contextlib.suppress(libvirt.libvirtError):
            virt.domainEventDeregisterAny(cid)
    with contextlib.suppress(libvirt.libvirtError):
        virt.unregisterCloseCallback()
    with contextlib.suppress(libvirt.libvirtError):
        virt.close()


def close_when_idle(
    virt: libvirt.virConnect, worker: Worker, callback_ids: list[int]
) -> threading.Thread:
    """Close ``virt`` once every call running on it has returned.

    Closing frees libvirt's connection, so a call still running on another
    thread would read freed memory. A daemon thread waits for the worker,
    then closes; a call stuck on a dead host delays only that thread.
    """

    def run() -> None:
        worker.shutdown(wait=True)
        close_virt(virt, callback_ids)

    thread = threading.Thread(target=run, name="virt-close", daemon=True)
    thread.start()
    return thread


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
