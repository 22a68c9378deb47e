"""Tags and OS of every domain of every connection, fetched in the background.

There is no bulk call for a domain's <metadata>: after each full listing a
connection's domains are read one after another in its worker, in small
batches so that a user's action waits for one batch at most (a remote host
pays a round trip per domain; its rows are listed and usable long before).
A metadata-change event, a new domain or an edit made here refreshes only
that domain.  ``changed`` says which domains have new facts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import libvirt
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt.errors import NotConnectedError
from kvmdesk.virt.facts import DomainFacts, bulk_facts
from kvmdesk.virt.records import DomainRecord

log = logging.getLogger(__name__)

_NONE = DomainFacts(())
LOCAL_BATCH = 500
REMOTE_BATCH = 8


class _Known:
    __slots__ = ("busy", "facts", "pending")

    def __init__(self) -> None:
        self.facts: dict[str, DomainFacts] = {}
        self.pending: set[str] = set()
        self.busy = False


class FactBook(QObject):
    changed = Signal(object, object)  # Connection, list of uuids

    def __init__(self, manager: ConnectionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._known: dict[int, _Known] = {}
        self._slots: dict[int, list[tuple[Any, Any]]] = {}
        self._tasks = TaskSet("tag and OS lookup", log)
        self._manager = manager
        self.enabled = False  # until something asks for tags or OS (search, tag editing)
        manager.connectionAdded.connect(self._add)
        manager.connectionRemoved.connect(self._remove)
        for conn in manager.connections:
            self._add(conn)

    # -- answers ------------------------------------------------------------

    def tags(self, conn: Connection, uuid: str) -> tuple[str, ...]:
        known = self._known.get(id(conn))
        facts = None if known is None else known.facts.get(uuid)
        return () if facts is None or facts.tags is None else facts.tags

    def os(self, conn: Connection, uuid: str) -> str:
        known = self._known.get(id(conn))
        facts = None if known is None else known.facts.get(uuid)
        return "" if facts is None else facts.os

    def unreadable(self, conn: Connection, uuid: str) -> bool:
        """Its stored tags were written by another program in a shape not understood."""
        known = self._known.get(id(conn))
        facts = None if known is None else known.facts.get(uuid)
        return facts is not None and facts.tags is None

    def settled(self, conn: Connection) -> bool:
        """Every listed domain's facts have been read."""
        known = self._known.get(id(conn))
        return known is not None and not known.busy and not known.pending

    # -- keeping up -----------------------------------------------------------

    def set_enabled(self, on: bool = True) -> None:
        """Start reading (every connection's domains now, then as they change)."""
        if on and not self.enabled:
            self.enabled = True
            for conn in self._manager.connections:
                self.refresh(conn, list(conn.domains))
        self.enabled = on

    def _add(self, conn: Connection) -> None:
        key = id(conn)
        self._known[key] = _Known()
        slots: list[tuple[Any, Any]] = [
            (conn.domainsReset, lambda c=conn: self.refresh(c, list(c.domains))),
            (conn.domainChanged, lambda rec, c=conn: self._domain_changed(c, rec)),
            (conn.domainRemoved, lambda uuid, c=conn: self._forget(c, uuid)),
            (conn.metadataChanged, lambda uuid, c=conn: self.refresh(c, [uuid])),
        ]
        for signal, slot in slots:
            signal.connect(slot)
        self._slots[key] = slots
        self.refresh(conn, list(conn.domains))

    def _remove(self, conn: Connection) -> None:
        for signal, slot in self._slots.pop(id(conn), []):
            signal.disconnect(slot)
        self._known.pop(id(conn), None)

    def _domain_changed(self, conn: Connection, record: DomainRecord) -> None:
        known = self._known.get(id(conn))
        if known is not None and record.uuid not in known.facts:
            self.refresh(conn, [record.uuid])

    def _forget(self, conn: Connection, uuid: str) -> None:
        known = self._known.get(id(conn))
        if known is not None:
            known.facts.pop(uuid, None)
            known.pending.discard(uuid)

    def refresh(self, conn: Connection, uuids: Sequence[str]) -> None:
        """Read these domains' facts again (soon, in the connection's worker)."""
        known = self._known.get(id(conn))
        if known is None or not uuids or not self.enabled:
            return
        known.pending.update(uuids)
        if not known.busy:
            known.busy = True
            self._tasks.spawn(self._drain(conn, known))

    async def _drain(self, conn: Connection, known: _Known) -> None:
        batch_size = REMOTE_BATCH if conn.is_remote else LOCAL_BATCH
        try:
            queue: list[str] = []
            while known.pending and self._known.get(id(conn)) is known:
                # Taken once per round: sorting all that was pending for
                # each batch took 3 ms of the GUI thread a batch at 10,000.
                queue = queue or list(known.pending)
                batch = [u for u in queue[:batch_size] if u in known.pending]
                del queue[:batch_size]
                if not batch:
                    continue
                known.pending.difference_update(batch)
                try:
                    found = await conn.call(bulk_facts, batch)
                except (libvirt.libvirtError, NotConnectedError) as exc:
                    log.debug("tags of %s: %s", conn.uri, exc)
                    known.pending.clear()  # the next listing asks again
                    return
                # Nothing known reads as no tags and no OS: only real news is said.
                changed = [u for u, f in found.items() if known.facts.get(u, _NONE) != f]
                known.facts.update(found)
                if changed:
                    self.changed.emit(conn, changed)
        finally:
            known.busy = False
