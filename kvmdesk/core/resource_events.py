"""Network and storage pool events of one connection.

A connection subscribes to the lifecycle events of virtual networks and
storage pools (and to pool refreshes) when it opens, so that the Host
Details pages list again when another client (``virsh``) defines, starts,
stops or removes one. Callbacks make no RPC: they only call ``notify``.

Subscriptions are released before the libvirt connection is closed, in
the thread that closes it (``linkclose``): a callback left registered keeps
libvirt's connection (and its socket) alive.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import libvirt

log = logging.getLogger(__name__)

NETWORK = "network"
POOL = "pool"

Subscription = tuple[str, int]  # (NETWORK or POOL, libvirt callback id)


def subscribe(
    virt: libvirt.virConnect, on_networks: Callable[[], None], on_pools: Callable[[], None]
) -> list[Subscription]:
    """Runs in the worker. Drivers without these events give an empty list."""

    def network_cb(*_args: Any) -> None:
        on_networks()

    def pool_cb(*_args: Any) -> None:
        on_pools()

    subscriptions: list[Subscription] = []
    with contextlib.suppress(libvirt.libvirtError):
        cid = virt.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, network_cb, None
        )
        subscriptions.append((NETWORK, cid))
    pool_events = (
        libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
        libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
    )
    for event in pool_events:
        with contextlib.suppress(libvirt.libvirtError):
            cid = virt.storagePoolEventRegisterAny(None, event, pool_cb, None)
            subscriptions.append((POOL, cid))
    return subscriptions


def unsubscribe(virt: libvirt.virConnect, subscriptions: list[Subscription]) -> None:
    """Best effort: on a dead link each call fails, and closing is all that is left."""
    for kind, cid in subscriptions:
        try:
            if kind == NETWORK:
                virt.networkEventDeregisterAny(cid)
            else:
                virt.storagePoolEventDeregisterAny(cid)
        except (libvirt.libvirtError, KeyError) as exc:
            log.debug("releasing a %s event subscription failed: %s", kind, exc)
