"""The host pages of resources (networks, storage pools): listing them,
listing them again when libvirt reports a change made elsewhere (virsh,
another kvmdesk), their actions, which list them again when they end, and
the plumbing and layout both pages share (``ResourcePage``)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLayout,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import report_text, show_failure
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.virt.errors import classify
from kvmdesk.virt.shown import shown

T = TypeVar("T")
_log = logging.getLogger(__name__)


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


class ActingPage(Protocol):
    """What ``run_action`` needs of a host page."""

    conn: Connection | None
    _busy: bool

    def _set_busy(self, busy: bool) -> None: ...

    async def refresh(self) -> Any: ...


async def run_action(
    page: ActingPage,
    widget: QWidget,
    title: str,
    name: str,
    call: Callable[[Connection], Awaitable[Any]],
    in_use: tuple[type[Exception], Callable[[Any], None]],
    invalid: tuple[type[Exception], Callable[[Any], str]],
) -> bool:
    """One action of a host page: nothing while another runs; a resource in
    use, refused input and libvirt's failures reported in plain words; the
    page listed again afterwards. True when the action went through."""
    conn = page.conn
    if conn is None or page._busy:
        return False
    page._set_busy(True)
    in_use_error, report_in_use = in_use
    invalid_error, invalid_text = invalid
    ok = False
    try:
        await call(conn)
        ok = True
    except in_use_error as exc:
        if shiboken6.isValid(widget):
            report_in_use(exc)
    except invalid_error as exc:
        if shiboken6.isValid(widget):
            report_text(widget, title, invalid_text(exc))
    except Exception as exc:  # libvirtError, NotConnectedError
        if shiboken6.isValid(widget):
            show_failure(widget, tr("{0}: {1}").format(title, shown(name)), classify(exc))
    if not shiboken6.isValid(widget):
        return ok
    page._set_busy(False)
    await page.refresh()
    return ok


EVENT_DELAY_MS = 150  # events within this time are listed once


class ResourcePage(QWidget):
    """What the networks and storage pages share: the connection, one action
    at a time (``_busy``) said in ``status``, their background tasks, the
    listing on events, and a table-over-table layout.

    ``changed`` picks the connection's signal for this kind of resource.
    Subclasses provide ``refresh()`` and ``update_buttons()``.
    """

    def __init__(
        self,
        what: str,
        changed: Callable[[Connection], SignalInstance],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conn: Connection | None = None
        self._busy = False
        self._changed = changed
        self._tasks = TaskSet(what, _log)
        # Looked up at call time: tests replace start_refresh on the page.
        self._relisting = Relisting(
            self, lambda: self.start_refresh(), lambda: self._busy, EVENT_DELAY_MS
        )
        self.status = dim(plain_label(selectable=False))

    def set_connection(self, conn: Connection) -> None:
        self.conn = conn
        self._relisting.attach(conn, self._changed(conn))

    def disconnect_connection(self) -> None:
        """The window closes: no more listings on events."""
        self._relisting.detach()

    def _spawn(self, fn: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        self._tasks.spawn(fn())

    def start_refresh(self) -> None:
        self._spawn(self.refresh)

    async def refresh(self) -> bool:
        raise NotImplementedError

    def update_buttons(self) -> None:
        raise NotImplementedError

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.status.setText(tr("Working…") if busy else "")
        self.update_buttons()

    def _lay_out(
        self,
        top: list[QWidget | QLayout],
        bottom: list[QWidget | QLayout],
        stretch: tuple[int, int],
        sizes: tuple[int, int],
    ) -> None:
        """``top`` above ``bottom`` in a splitter (tables take the extra
        height), and ``status`` under them."""
        halves = []
        for items, margins in ((top, (0, 0, 0, 6)), (bottom, (0, 6, 0, 0))):
            half = QWidget()
            column = QVBoxLayout(half)
            column.setContentsMargins(*margins)
            for item in items:
                if isinstance(item, QLayout):
                    column.addLayout(item)
                else:
                    column.addWidget(item, 1 if isinstance(item, QAbstractItemView) else 0)
            halves.append(half)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for index, half in enumerate(halves):
            splitter.addWidget(half)
            if stretch[index]:
                splitter.setStretchFactor(index, stretch[index])
        splitter.setSizes(list(sizes))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(10)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
