"""Listing a host page (networks, storage pools) and listing it again when
libvirt reports a change made elsewhere (virsh, another kvmdesk)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QLabel

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.virt.errors import classify

T = TypeVar("T")


class Relisting(QObject):
    """The listings of one page.

    Events within ``delay_ms`` of each other make one listing, and none comes
    before the page's first listing, while the connection is down or after
    ``detach``. An event during a listing or an action of the page (``busy``)
    makes one more listing after it. ``start`` starts the page's listing.
    """

    def __init__(
        self, page: QObject, start: Callable[[], None], busy: Callable[[], bool], delay_ms: int
    ) -> None:
        super().__init__(page)
        self._start = start
        self._busy = busy
        self._conn: Connection | None = None
        self._changed: SignalInstance | None = None
        self.listed = False  # listed once: events list again
        self.refreshing = False
        self.again = False  # an event came during a listing or an action
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._changed_elsewhere)

    def attach(self, conn: Connection, changed: SignalInstance) -> None:
        """``changed`` (a signal of ``conn``) reports the events."""
        self._conn = conn
        self._changed = changed
        changed.connect(self.timer.start)

    def detach(self) -> None:
        """The window closes: no more listings on events."""
        if self._conn is not None and self._changed is not None and shiboken6.isValid(self._conn):
            self._changed.disconnect(self.timer.start)
        self.timer.stop()

    def _changed_elsewhere(self) -> None:
        conn = self._conn
        if not self.listed or conn is None or not conn.is_connected:
            return
        if self.refreshing or self._busy():
            self.again = True  # after the running listing or action
            return
        self._start()

    async def refresh(
        self, conn: Connection, lister: Callable[..., T], show: Callable[[T], None], status: QLabel
    ) -> bool:
        """``show`` what ``lister`` lists on the connection's worker; a failure
        is said in ``status``. False when the listing failed."""
        self.refreshing = True
        try:
            listed = await conn.call(lister)
        except Exception as exc:  # libvirtError, NotConnectedError
            if shiboken6.isValid(self):
                self.refreshing = False
                status.setText(messages.failure_summary(classify(exc)))
            return False
        if not shiboken6.isValid(self):
            return True
        self.refreshing = False
        self.listed = True
        show(listed)
        if self.again:
            self.again = False
            self.timer.start()
        return True
