"""The command log: for each action the user took, the command line that does
the same, when it ran and how it ended (ok, or libvirt's words).

Plain Python (no Qt): listeners are called on the thread that changes the
log, which is the GUI thread (actions are awaited there). Each connection
carries the window's log (``Connection.command_log``), so an action logs
with one call wherever it has its connection::

    await logged(conn, virsh_commands.domain(conn.uri, "setvcpus", name, "4",
                                             "--config"), fn, *args)

or, when the command is known only afterwards (what a deletion removed),
``conn.command_log.record(command, error)``.
"""

from __future__ import annotations

import enum
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command, Note, noted, script
from kvmdesk.virt.errors import classify
from kvmdesk.virt.xmledit import fetch_xml

if TYPE_CHECKING:
    from kvmdesk.core.connection import Connection

T = TypeVar("T")
LIMIT = 2000  # entries kept; the oldest go first


class Outcome(enum.Enum):
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"


@dataclass(slots=True, eq=False)
class Entry:
    command: Command
    when: float = field(default_factory=time.time)  # seconds since the epoch
    outcome: Outcome = Outcome.RUNNING
    error: str = ""  # libvirt's (or the OS's) own words when it failed


Listener = Callable[[Entry, bool], None]  # (entry, is new)


class CommandLog:
    """The entries, oldest first, at most ``limit`` of them."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._entries: deque[Entry] = deque(maxlen=limit)
        self._listeners: list[Listener] = []

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` for every new or finished entry; returns the unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _tell(self, entry: Entry, new: bool) -> None:
        for listener in list(self._listeners):
            listener(entry, new)

    def add(self, command: Command) -> Entry:
        """An action began: its entry, running until ``finish``."""
        entry = Entry(command)
        self._entries.append(entry)
        self._tell(entry, True)
        return entry

    def finish(self, entry: Entry, error: str | None = None) -> None:
        """The action ended: ok, or failed with ``error``."""
        entry.outcome = Outcome.OK if error is None else Outcome.FAILED
        entry.error = error or ""
        self._tell(entry, False)

    def record(self, command: Command, error: str | None = None) -> Entry:
        """An action that already ended."""
        entry = Entry(command)
        entry.outcome = Outcome.OK if error is None else Outcome.FAILED
        entry.error = error or ""
        self._entries.append(entry)
        self._tell(entry, True)
        return entry

    def failed(self, entry: Entry, exc: BaseException) -> None:
        """The action raised ``exc``: logged with the words libvirt (or the OS) used."""
        self.finish(entry, error_words(exc))

    def script(self) -> str:
        """Every command, as a shell script that stops at the first failure."""
        return script([e.command for e in self._entries])


def error_words(exc: BaseException) -> str:
    return classify(exc).message or type(exc).__name__


async def logged(conn: Connection, command: Command, fn: Callable[..., T], *args: Any) -> T:
    """``await conn.call(fn, *args)``, with ``command`` in the connection's log."""
    return await tracked(conn.command_log, command, conn.call(fn, *args))


async def tracked(log: CommandLog, command: Command, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` with ``command`` logged: ok, or the error it raised."""
    entry = log.add(command)
    try:
        result = await awaitable
    except BaseException as exc:
        log.failed(entry, exc)
        raise
    log.finish(entry)
    return result


async def recorded(
    log: CommandLog,
    command: Command,
    awaitable: Awaitable[T],
    unless: tuple[type[BaseException], ...] = (),
) -> T:
    """Like ``tracked``, but the entry is written once it ended, and not at
    all when ``awaitable`` raises one of ``unless`` (a question before
    anything was done, such as "replace the existing definition?")."""
    try:
        result = await awaitable
    except unless:
        raise
    except BaseException as exc:
        log.record(command, error_words(exc))
        raise
    log.record(command)
    return result


async def defined(conn: Connection, uuid: str, fn: Callable[..., T], *args: Any) -> T:
    """``await conn.call(fn, uuid, *args)`` for a change kvmdesk makes by
    defining a changed definition (a device added): logged as ``virsh define``
    of the definition libvirt stored afterwards; a failure as ``virsh edit``
    (the nearest command) with libvirt's words."""
    record = conn.domains.get(uuid)
    name = record.name if record is not None else uuid
    try:
        result = await conn.call(fn, uuid, *args)
    except Exception as exc:
        edit = noted(virsh_commands.domain(conn.uri, "edit", name), Note.NO_SINGLE_COMMAND)
        conn.command_log.record(edit, error_words(exc))
        raise
    try:
        stored = await conn.call(fetch_xml, uuid)
    except Exception as exc:  # the change is made; what was stored cannot be read now
        edit = noted(virsh_commands.domain(conn.uri, "edit", name), Note.NO_SINGLE_COMMAND)
        conn.command_log.record(edit)
        logging.getLogger(__name__).info("definition of %s not read again: %s", name, exc)
        return result
    conn.command_log.record(virsh_commands.edited(conn.uri, name, stored))
    return result
