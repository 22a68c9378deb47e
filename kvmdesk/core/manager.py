"""The set of connections the user works with, and the first-start default."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, Signal

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.credentials import CredentialBroker
from kvmdesk.core.settings import SavedConnection, Settings
from kvmdesk.core.timing import Timing
from kvmdesk.paths import demo_uri

log = logging.getLogger(__name__)

FIRST_START_URIS = ("qemu:///system", "qemu:///session")


class ConnectionManager(QObject):
    connectionAdded = Signal(object)  # Connection
    connectionRemoved = Signal(object)  # Connection

    def __init__(
        self,
        settings: Settings,
        timing: Timing | None = None,
        broker: CredentialBroker | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._timing = timing
        self._broker = broker
        self.connections: list[Connection] = []
        self._first_start: asyncio.Future[Connection] | None = None

    def find(self, uri: str) -> Connection | None:
        return next((c for c in self.connections if c.uri == uri), None)

    def add(self, uri: str, *, autoconnect: bool = True, persist: bool = True) -> Connection:
        """Add (or return the existing) connection for ``uri``; does not open it."""
        existing = self.find(uri)
        if existing is not None:
            return existing
        conn = Connection(
            uri,
            autoconnect=autoconnect,
            persist=persist,
            timing=self._timing,
            broker=self._broker,
            parent=self,
        )
        self.connections.append(conn)
        self.connectionAdded.emit(conn)
        if persist:
            self.save()
        return conn

    def remove(self, conn: Connection) -> None:
        if conn not in self.connections:
            return
        conn.close()
        self.connections.remove(conn)
        self.connectionRemoved.emit(conn)
        self.save()
        conn.deleteLater()

    def edit(self, conn: Connection, uri: str, autoconnect: bool) -> Connection:
        """Change a saved connection: its autoconnect flag, or its URI.

        A new URI is a new connection (the old one is closed and removed);
        it is opened if the old one was open or trying to be. A URI already
        in the list is not added twice: that connection is returned.
        """
        if uri == conn.uri:
            conn.autoconnect = autoconnect
            self.save()
            return conn
        existing = self.find(uri)
        if existing is not None:
            return existing
        was_wanted = conn.state is not ConnState.DISCONNECTED
        persist = conn.persist
        self.remove(conn)
        new = self.add(uri, autoconnect=autoconnect, persist=persist)
        if was_wanted:
            new.open()
        return new

    def save(self) -> None:
        self._settings.set_connections(
            [SavedConnection(c.uri, c.autoconnect) for c in self.connections if c.persist]
        )

    def restore(self, extra_uris: list[str] | None = None) -> None:
        """Add saved connections and those from the command line, then open.

        Saved connections open when marked autoconnect; command-line ones
        always open and are saved only if new, like virt-manager's ``-c``.
        On the very first start (nothing ever saved, nothing asked for) the
        local hypervisor is tried and the demo host is the fall-back.
        """
        saved = self._settings.connections()
        for item in saved or []:
            conn = self.add(item.uri, autoconnect=item.autoconnect, persist=True)
            if conn.autoconnect:
                conn.open()
        for uri in extra_uris or []:
            self.add(uri, persist=True).open()
        if saved is None and not extra_uris:
            self._first_start = asyncio.ensure_future(self.first_start())

    async def first_start(self) -> Connection:
        """Try the system, then the session URI; open the demo when neither answers."""
        for uri in FIRST_START_URIS:
            conn = Connection(uri, timing=self._timing, broker=self._broker, parent=self)
            if await conn.open_and_wait():
                self.connections.append(conn)
                self.connectionAdded.emit(conn)
                self.save()
                return conn
            log.info("first start: %s did not answer", uri)
            await conn.shutdown()
            conn.deleteLater()
        # Not saved: the next start looks for a real hypervisor again.
        demo = self.add(demo_uri(), persist=False)
        demo.open()
        return demo

    async def shutdown(self) -> None:
        if self._broker is not None:
            self._broker.cancel_all()  # release any worker waiting for an answer
        await asyncio.gather(*(c.shutdown() for c in self.connections), return_exceptions=True)
