"""The guests' IP addresses for the tree's optional "IP Address" column.

Only while the column is shown (``set_enabled``): on each stats tick of a
connection, one bulk call on its worker (``virt.addresses.bulk_addresses``)
answers for all its running domains; a call still running is not doubled.
"""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt.addresses import AddressSnapshot, bulk_addresses

log = logging.getLogger(__name__)


class _State:
    __slots__ = ("asked", "busy", "macs", "text")

    def __init__(self) -> None:
        self.text: dict[str, str] = {}
        self.macs: dict[str, tuple[str, ...]] = {}
        self.asked: frozenset[str] = frozenset()
        self.busy = False


class AddressBook(QObject):
    changed = Signal(object)  # the Connection whose addresses changed

    def __init__(self, manager: ConnectionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False
        self._states: dict[int, _State] = {}
        self._slots: dict[int, Any] = {}
        self._conns: dict[int, Connection] = {}
        self._tasks = TaskSet("address lookup")
        manager.connectionAdded.connect(self._add)
        manager.connectionRemoved.connect(self._remove)
        for conn in manager.connections:
            self._add(conn)

    def text(self, conn: Connection, uuid: str) -> str:
        state = self._states.get(id(conn))
        return state.text.get(uuid, "") if state is not None and self.enabled else ""

    def set_enabled(self, on: bool) -> None:
        """The column is shown (fetch now and on every tick) or hidden (stop)."""
        if on == self.enabled:
            return
        self.enabled = on
        for conn in list(self._conns.values()):
            if on:
                self.refresh(conn)
            else:
                self._states[id(conn)] = _State()
            self.changed.emit(conn)

    def refresh(self, conn: Connection) -> None:
        state = self._states.get(id(conn))
        if not self.enabled or state is None or state.busy or not conn.is_connected:
            return
        state.busy = True
        self._tasks.spawn(self._fetch(conn, state))

    async def _fetch(self, conn: Connection, state: _State) -> None:
        try:
            snapshot: AddressSnapshot = await conn.call(
                bulk_addresses, dict(state.macs), state.asked
            )
        except Exception as exc:  # libvirtError, NotConnectedError
            log.debug("addresses of %s: %s", conn.uri, exc)
            return
        finally:
            state.busy = False
        if self._states.get(id(conn)) is not state or not shiboken6.isValid(self):
            return  # removed or switched off meanwhile
        text = dict(snapshot.text)
        for uuid in snapshot.macs:  # running but not asked this time: keep what we knew
            if uuid not in text and uuid not in snapshot.asked and uuid in state.text:
                text[uuid] = state.text[uuid]
        state.macs = snapshot.macs
        asked = state.asked | frozenset(snapshot.asked)  # in turns, until all had theirs
        state.asked = asked if len(asked) < snapshot.unmatched else frozenset()
        if text != state.text:
            state.text = text
            self.changed.emit(conn)

    def _add(self, conn: Connection) -> None:
        key = id(conn)
        self._conns[key] = conn
        self._states[key] = _State()

        def tick(_cpu: object, c: Connection = conn) -> None:
            self.refresh(c)

        self._slots[key] = tick
        conn.statsUpdated.connect(tick)

    def _remove(self, conn: Connection) -> None:
        key = id(conn)
        slot = self._slots.pop(key, None)
        if slot is not None and shiboken6.isValid(conn):
            conn.statsUpdated.disconnect(slot)
        self._states.pop(key, None)
        self._conns.pop(key, None)
