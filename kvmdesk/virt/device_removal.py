"""Waiting for a running guest to let go of a device.

``detachDeviceFlags`` only asks: QEMU sends the guest an unplug request,
and the device goes once the guest agrees. libvirt then sends the domain
event ``device-removed`` (with the device's alias), or
``device-removal-failed`` when the guest refused. ``RemovalWatch`` registers
for both before the request is made, so neither is missed, and waits for
the one that names the alias. When neither comes within the time waited
(a guest still booting, a paused guest, an event lost with a dropped
link), the live definition is read once more: a device gone from it is
released, one still in it is not, and that is said plainly.

The event callbacks run on the thread that runs libvirt's event loop (the
GUI thread in kvmdesk); the wait blocks the worker thread that made the
request, never the loop.
"""

from __future__ import annotations

import contextlib
import threading
import xml.etree.ElementTree as ET
from types import TracebackType
from typing import Any

import libvirt

DETACH_WAIT_S = 10.0
# Failure.message of a detach the guest did not answer in time, or refused.
NOT_RELEASED = "device not released"
REFUSED = "device removal refused by the guest"


class NotReleased(Exception):
    """The guest kept the device: it refused (``refused``), or did not answer in time."""

    def __init__(self, alias: str, refused: bool = False) -> None:
        super().__init__(alias)
        self.alias = alias
        self.refused = refused

    @property
    def reason(self) -> str:
        return REFUSED if self.refused else NOT_RELEASED


def alias_present(xml: str, alias: str) -> bool:
    return any(node.get("name") == alias for node in ET.fromstring(xml).iter("alias"))


class RemovalWatch:
    """Use as ``with RemovalWatch(conn, dom, alias) as watch: detach…; watch.wait()``."""

    def __init__(
        self,
        conn: libvirt.virConnect,
        dom: libvirt.virDomain,
        alias: str,
        timeout: float = DETACH_WAIT_S,
    ) -> None:
        self.conn = conn
        self.dom = dom
        self.alias = alias
        self.timeout = timeout
        self.answered = threading.Event()
        self.refused = False
        self.by_event = False  # the answer came as an event, not from the re-read
        self._callbacks: list[int] = []

    def __enter__(self) -> RemovalWatch:
        for event, callback in (
            (libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, self.removed),
            (libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED, self.removal_failed),
        ):
            # A driver or process without these events: the re-read answers.
            with contextlib.suppress(libvirt.libvirtError):
                self._callbacks.append(
                    self.conn.domainEventRegisterAny(self.dom, event, callback, None)
                )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for callback in self._callbacks:
            # A connection that went took its callbacks with it.
            with contextlib.suppress(libvirt.libvirtError):
                self.conn.domainEventDeregisterAny(callback)
        self._callbacks.clear()

    # libvirt's callbacks: (connection, domain, device alias, opaque)

    def removed(self, _conn: Any, _dom: Any, alias: str, _opaque: Any) -> None:
        if alias == self.alias:
            self.by_event = True
            self.answered.set()

    def removal_failed(self, _conn: Any, _dom: Any, alias: str, _opaque: Any) -> None:
        if alias == self.alias:
            self.by_event = self.refused = True
            self.answered.set()

    def wait(self) -> None:
        """Return once the device is gone; ``NotReleased`` when the guest keeps it."""
        if not self.alias or not self._present():
            return  # released while libvirt itself waited in detachDeviceFlags
        self.answered.wait(self.timeout)
        if self.refused:
            raise NotReleased(self.alias, refused=True)
        if self._present():
            raise NotReleased(self.alias)

    def _present(self) -> bool:
        return alias_present(str(self.dom.XMLDesc(0)), self.alias)


__all__ = [
    "DETACH_WAIT_S",
    "NOT_RELEASED",
    "REFUSED",
    "NotReleased",
    "RemovalWatch",
    "alias_present",
]
