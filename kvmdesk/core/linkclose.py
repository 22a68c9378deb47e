"""Closing a libvirt connection safely, off the GUI thread."""

from __future__ import annotations

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
