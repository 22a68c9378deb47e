"""The set of connections the user works with, and the first-start default."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal

from kvmdesk.core.askpass_log import AskpassLog
from kvmdesk.core.command_log import CommandLog
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.credentials import CredentialBroker
from kvmdesk.core.settings import SavedConnection, Settings
from kvmdesk.core.tasks import TaskSet
from kvmdesk.core.timing import Timing
from kvmdesk.paths import demo_uri

log = logging.getLogger(__name__)

FIRST_START_URIS = ("qemu:///system", "qemu:///session")


# Remote opens at a time. A 50-host fleet opens in one wave, as a plain
# client opening every host at once does: at 24 its second half waited for
# the first half's handshakes (14.3 s until all were shown, against 9.6 s
# for the plain client). The limit bounds the ssh processes and handshakes
# of a larger fleet; it no longer has to keep questions apart: ssh's
# prompts queue in kvmdesk-askpass, libvirt's own in the credentials
# dialog, one at a time, each naming its host.
OPEN_LIMIT = 64
# Saved connections restored per loop turn at start-up: each costs its row,
# its listeners and the start of its open (about 0.5 ms, and as much again
# when its open starts in the next turn); a fleet of fifty added in one
# turn stopped the window for 25-30 ms before its first frame.
RESTORE_PER_TURN = 6

# (its saved entry, or None for a command-line URI; add()'s keyword arguments)
_Restore = tuple[SavedConnection | None, dict[str, bool]]


class ConnectionManager(QObject):
    connectionAdded = Signal(object)  # Connection
    connectionRemoved = Signal(object)  # Connection
    # The first start found no hypervisor and opened the demo host:
    # [(URI tried, why it failed)], for the window to say so.
    fellBackToDemo = Signal(object)

    def __init__(
        self,
        settings: Settings,
        timing: Timing | None = None,
        broker: CredentialBroker | None = None,
        askpass: AskpassLog | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self.demo_fallback = True  # open the demo host when no hypervisor answers
        self._timing = timing
        self._broker = broker
        self._askpass = askpass
        self.command_log = CommandLog()  # every connection's actions, for the window
        self.connections: list[Connection] = []
        self._first_start: asyncio.Future[Connection | None] | None = None
        # Remote hosts open this many at a time (OPEN_LIMIT): a fleet's
        # handshakes are bounded, and a few unreachable hosts still leave
        # most of the places to the others.
        self._open_gate = asyncio.Semaphore(OPEN_LIMIT)
        self._tasks = TaskSet("restoring connections", log)
        self._restoring: asyncio.Future[None] | None = None
        self._hold_saves = 0  # > 0: save() only notes that the list changed
        self._save_due = False
        self._unrestored: deque[tuple[str, _Restore]] = deque()  # not added yet
        self._written: list[SavedConnection] | None = None  # what the file holds

    def find(self, uri: str) -> Connection | None:
        return next((c for c in self.connections if c.uri == uri), None)

    def add(
        self,
        uri: str,
        *,
        autoconnect: bool = True,
        persist: bool = True,
        allow_unsafe: bool = False,
        remember_consent: bool = False,
    ) -> Connection:
        """Add (or return the existing) connection for ``uri``; does not open it.

        ``allow_unsafe`` is consent to an unsafe URI for this start,
        ``remember_consent`` for every start (saved with it).
        """
        existing = self.find(uri)
        if existing is not None:
            if allow_unsafe or remember_consent:
                existing.give_consent(remember_consent or existing.remember_consent)
                if remember_consent:
                    self.save()
            return existing
        conn = Connection(
            uri,
            autoconnect=autoconnect,
            persist=persist,
            allow_unsafe=allow_unsafe,
            remember_consent=remember_consent,
            timing=self._timing,
            broker=self._broker,
            askpass=self._askpass,
            command_log=self.command_log,
            parent=self,
        )
        conn.open_gate = self._open_gate
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

    def edit(
        self,
        conn: Connection,
        uri: str,
        autoconnect: bool,
        *,
        allow_unsafe: bool = False,
        remember_consent: bool = False,
    ) -> Connection:
        """Change a saved connection: its autoconnect flag, or its URI.

        A new URI is a new connection (the old one is closed and removed);
        it is opened if the old one was open or trying to be. A URI already
        in the list is not added twice: that connection is returned.
        Consent to an unsafe URI is what the dialog was given now; an
        earlier consent does not carry over to another URI.
        """
        if uri == conn.uri:
            conn.autoconnect = autoconnect
            if allow_unsafe or remember_consent:
                conn.give_consent(remember_consent)
            self.save()
            return conn
        existing = self.find(uri)
        if existing is not None:
            return existing
        was_wanted = conn.state is not ConnState.DISCONNECTED
        persist = conn.persist
        self.remove(conn)
        new = self.add(
            uri,
            autoconnect=autoconnect,
            persist=persist,
            allow_unsafe=allow_unsafe,
            remember_consent=remember_consent,
        )
        if was_wanted:
            new.open()
        return new

    def save(self) -> None:
        if self._hold_saves:
            self._save_due = True
            return
        self._write(self._listed())

    def _listed(self) -> list[SavedConnection]:
        """The list to save, with the saved connections still to be restored
        (a change while a fleet is restored must not drop them)."""
        items = [
            SavedConnection(c.uri, c.autoconnect, c.remember_consent)
            for c in self.connections
            if c.persist
        ]
        items += [entry for _uri, (entry, _) in self._unrestored if entry is not None]
        return items

    def _write(self, items: list[SavedConnection]) -> None:
        self._settings.set_connections(items)
        self._written = items

    def restore(self, extra_uris: list[str] | None = None, allow_unsafe: bool = False) -> None:
        """Add saved connections and those from the command line, then open.

        Saved connections open when marked autoconnect; command-line ones
        always open and are saved only if new, like virt-manager's ``-c``.
        Every URI is checked again as it opens: a saved unsafe URI without
        remembered consent stays closed and its row says why, whatever
        consent it had when it was saved. ``allow_unsafe`` (the command
        line's ``--allow-unsafe-uri``) is consent for this start only.
        On the very first start (nothing ever saved, nothing asked for) the
        local hypervisor is tried and the demo host is the fall-back.

        The first ``RESTORE_PER_TURN`` are added now, the rest as many per
        loop turn, in the same order (``restored()`` waits for the last).
        The list is written back once, only if a command-line URI was new:
        the saved ones are what the file holds already (written again after
        each of fifty, it took 170 ms of the first turn).
        """
        saved = self._settings.connections()
        self._written = saved
        extra = extra_uris or []
        todo = self._unrestored
        todo.extend(
            (
                item.uri,
                (
                    item,
                    {
                        "autoconnect": item.autoconnect,
                        "allow_unsafe": allow_unsafe and item.uri in extra,
                        "remember_consent": item.consent,
                    },
                ),
            )
            for item in saved or []
        )
        todo.extend((uri, (None, {"allow_unsafe": allow_unsafe})) for uri in extra)
        self._restore_some()
        if todo:
            self._restoring = self._tasks.spawn(self._restore_rest())
        if saved is None and not extra_uris:
            self._first_start = asyncio.ensure_future(self.first_start())

    def _restore_some(self) -> None:
        todo = self._unrestored
        with self._saves_held():
            for _ in range(min(RESTORE_PER_TURN, len(todo))):
                uri, (entry, options) = todo.popleft()
                conn = self.add(uri, persist=True, **options)
                if entry is None or conn.autoconnect:  # the command line's always open
                    conn.open()

    async def _restore_rest(self) -> None:
        while self._unrestored:
            await asyncio.sleep(0)  # the next loop turn: a frame, input, the first opens
            self._restore_some()

    async def restored(self) -> None:
        """Until every saved and command-line connection is added."""
        if self._restoring is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._restoring)

    @contextlib.contextmanager
    def _saves_held(self) -> Iterator[None]:
        """Within: the list is written once at the end, if it changed."""
        self._hold_saves += 1
        try:
            yield
        finally:
            self._hold_saves -= 1
            if not self._hold_saves and self._save_due:
                self._save_due = False
                items = self._listed()
                if items != self._written:
                    self._write(items)

    async def first_start(self) -> Connection | None:
        """Try the system, then the session URI; open the demo when neither
        answers (unless ``demo_fallback`` was switched off in Preferences)."""
        tried: list[tuple[str, str]] = []
        for uri in FIRST_START_URIS:
            conn = Connection(
                uri,
                timing=self._timing,
                broker=self._broker,
                askpass=self._askpass,
                command_log=self.command_log,
                parent=self,
            )
            if await conn.open_and_wait():
                self.connections.append(conn)
                self.connectionAdded.emit(conn)
                self.save()
                return conn
            log.info("first start: %s did not answer", uri)
            tried.append((uri, conn.failure.message if conn.failure is not None else ""))
            await conn.shutdown()
            conn.deleteLater()
        if not self.demo_fallback:
            return None
        # Not saved: the next start looks for a real hypervisor again.
        demo = self.add(demo_uri(), persist=False)
        demo.open()
        self.fellBackToDemo.emit(tried)
        return demo

    async def shutdown(self) -> None:
        self._tasks.cancel_all()  # saved connections not added yet stay unopened
        if self._broker is not None:
            self._broker.cancel_all()  # release any worker waiting for an answer
        await asyncio.gather(*(c.shutdown() for c in self.connections), return_exceptions=True)
