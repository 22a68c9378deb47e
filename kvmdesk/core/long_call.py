"""Long libvirt calls that must not hold up their connection.

A connection makes one call at a time on its single worker (libvirt
9.0's client can crash when a keepalive timeout closes a link with two
calls in flight). A snapshot of a running domain, a save or a volume
copy can take minutes; on that worker it would stop the progress polls,
the stats and every other page of the host. So a long call gets a link of
its own, opened through the same opener with the same consent and
credentials, with its own keepalive and its own single thread, and is
closed when the call returns.

The test driver runs inside this process: it has no link that could
drop, and a second open of its URI would be another host with its own
state. Its long calls run on a thread of their own on the same handle.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import libvirt

from kvmdesk.core.connection import Connection
from kvmdesk.core.worker import start_worker
from kvmdesk.virt.errors import NotConnectedError
from kvmdesk.virt.opener import open_uri

log = logging.getLogger(__name__)
T = TypeVar("T")


def _itself(virt: libvirt.virConnect) -> libvirt.virConnect:
    return virt


def open_link(conn: Connection) -> libvirt.virConnect:
    """A link of its own to ``conn``'s host, with its consent, credentials and keepalive."""
    ask = conn.broker.request if conn.broker is not None else None
    virt = open_uri(conn.uri, allow_unsafe=conn.allow_unsafe, ask=ask)
    interval, count = conn.timing.keepalive_interval, conn.timing.keepalive_count
    try:
        virt.setKeepAlive(interval, count)
    except libvirt.libvirtError:
        log.debug("no keepalive on a long-call link to %s", conn.uri)
    return virt


def _on_own_link(conn: Connection, fn: Callable[..., T], *args: Any) -> T:
    virt = open_link(conn)
    try:
        return fn(virt, *args)
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            virt.close()


async def call_long(conn: Connection, fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(virConnect, *args)`` beside ``conn``'s worker, not on it."""
    if not conn.is_connected:
        raise NotConnectedError(conn.uri)
    worker = await start_worker("long", 1)
    try:
        if conn.is_test_driver:
            virt = await conn.call(_itself)
            return await worker.run(fn, virt, *args)
        return await worker.run(_on_own_link, conn, fn, *args)
    finally:
        worker.shutdown()
