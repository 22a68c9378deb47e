"""A live serial console session on one domain of one connection.

``ConsoleSession`` opens the console stream on the connection's worker
(``virt.console.open_console``); reading and writing it, on the GUI thread
and never blocking, is the ``StreamIO`` half in ``core.console_stream``.

The session follows the connection and the domain: the stream is closed
when the domain stops, the link drops or the session is closed, and opened
again by itself once the domain runs (or the link is back). Safe mode is
the default: a console that another client holds is only taken over by an
explicit ``take_over()``."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from pathlib import Path
from typing import IO

import libvirt
import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Signal

from kvmdesk.core.command_log import logged
from kvmdesk.core.connection import Connection
from kvmdesk.core.console_stream import (
    MAX_PENDING_INPUT,
    READ_EVENTS,
    StreamIO,
)
from kvmdesk.core.domain_follow import DomainFollow
from kvmdesk.core.messages import tr
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.console import (
    ConsoleBusyError,
    ConsoleDevice,
    ConsoleError,
    ConsoleNotRunningError,
    ConsoleOpenError,
    NoConsoleDeviceError,
    OpenedConsole,
    open_console,
)
from kvmdesk.virt.errors import ErrorKind, NotConnectedError, classify

log = logging.getLogger(__name__)


class ConsoleState(enum.Enum):
    IDLE = "idle"  # closed, or not started
    CONNECTING = "connecting"
    ATTACHED = "attached"
    DISCONNECTED = "disconnected"  # with a reason; re-attaches when possible
    HELD = "held"  # another client holds the console
    NO_DEVICE = "no-device"  # the domain has no serial console
    NOT_RUNNING = "not-running"


def not_running_text() -> str:
    return tr("The virtual machine is not running.")


def not_connected_text() -> str:
    return tr("The connection to the host is not open.")


class ConsoleSession(DomainFollow, StreamIO, QObject):
    """The console of domain ``uuid`` on ``conn``; ``start()`` begins following it."""

    output = Signal(bytes)  # bytes from the guest, as received
    stateChanged = Signal()
    devicesChanged = Signal()

    def __init__(
        self,
        conn: Connection,
        uuid: str,
        device: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.conn = conn
        self.uuid = uuid
        self.state = ConsoleState.IDLE
        self.reason = ""  # a plain sentence for DISCONNECTED and the like
        self.devices: tuple[ConsoleDevice, ...] = ()
        self.device: ConsoleDevice | None = None  # the one attached (or last asked for)
        self.received = 0  # bytes received in this session, for the curious
        self._wanted_alias = device
        self._started = False
        self._closed = False
        self._stream: libvirt.virStream | None = None
        self._generation = 0  # bumped whenever a pending open becomes moot
        self._opening = False
        self._force_next = False
        self._halted = False  # HELD or NO_DEVICE: wait for a change or a request
        self._probed = False  # inactive domain: asked once whether it has a console
        self._was_attached = False
        self._last_active: bool | None = None
        self._was_connected = False
        self._retries = 0
        self._retry: asyncio.TimerHandle | None = None
        self._pending = bytearray()
        self._log: IO[bytes] | None = None
        self.log_path: Path | None = None
        self._tasks = TaskSet("console task", log)
        self._links: list[QMetaObject.Connection] = []

    # -- public API -------------------------------------------------------

    @property
    def attached(self) -> bool:
        return self._stream is not None

    @property
    def closed(self) -> bool:
        return self._closed

    def start(self) -> None:
        """Follow the domain: attach now if it runs, and whenever it runs again."""
        if self._started or self._closed:
            return
        self._started = True
        self._follow()
        self._update()

    def close(self) -> None:
        """Close the stream and stop following the domain, for good."""
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        self._cancel_retry()
        self._unfollow()
        self._end_stream(finish=False)
        self.set_log_path(None)
        self._pending.clear()
        self._set(ConsoleState.IDLE, "")

    def send(self, data: bytes) -> bool:
        """Queue keystrokes for the guest; False when not attached or the queue is full."""
        if self._stream is None or not data:
            return False
        if len(self._pending) + len(data) > MAX_PENDING_INPUT:
            return False
        self._pending += data
        self._flush()
        return True

    def take_over(self) -> None:
        """Open the console even though another client holds it (it loses it)."""
        if self._closed:
            return
        self._force_next = True
        self._restart()

    def set_device(self, alias: str | None) -> None:
        """Attach to another serial or console device of the domain."""
        if alias == self._wanted_alias or self._closed:
            return
        self._wanted_alias = alias
        self._end_stream(finish=False)
        self._restart()

    def retry(self) -> None:
        """Try to attach again now (after a failure)."""
        if not self._closed:
            self._restart()

    def set_log_path(self, path: Path | None) -> None:
        """Append everything received from now on to ``path`` (None: stop).

        Raises OSError when the file cannot be opened; the old log stays.
        """
        if path is not None:
            handle = open(path, "ab")  # noqa: SIM115 (kept open while logging)
        if self._log is not None:
            with contextlib.suppress(OSError):
                self._log.close()
        self._log = None
        self.log_path = None
        if path is not None:
            self._log, self.log_path = handle, path

    # -- following the connection and the domain ---------------------------

    def _on_conn_destroyed(self, _obj: object = None) -> None:
        self._stream = None  # its connection is gone with it
        super()._on_conn_destroyed(_obj)

    def _restart(self) -> None:
        self._generation += 1
        self._opening = False
        self._halted = False
        self._probed = False
        self._retries = 0
        self._cancel_retry()
        self._update()

    def _update(self) -> None:
        if self._closed or not self._started or not shiboken6.isValid(self):
            return
        conn = self.conn
        connected = shiboken6.isValid(conn) and conn.is_connected
        if connected != self._was_connected:
            self._was_connected = connected
            self._generation += 1
            self._opening = self._halted = self._probed = False
            self._retries = 0
            self._cancel_retry()
        if not connected:
            self._end_stream(finish=False)
            self._set(ConsoleState.DISCONNECTED, not_connected_text())
            return
        record = conn.domains.get(self.uuid)
        if record is None:
            self._end_stream(finish=False)
            self._set(ConsoleState.DISCONNECTED, tr("The virtual machine no longer exists."))
            return
        active = record.state.is_active
        if active != self._last_active:
            self._last_active = active
            self._generation += 1
            self._opening = self._halted = self._probed = False
            self._retries = 0
            self._cancel_retry()
        if not active:
            if self._stream is not None:
                self._end_stream(finish=False)
            if self._was_attached:
                self._set(ConsoleState.DISCONNECTED, not_running_text())
            elif self.state is not ConsoleState.NO_DEVICE:
                self._set(ConsoleState.NOT_RUNNING, not_running_text())
            if not self._probed and not self._opening:
                self._probed = True  # does it have a console at all? asked once
                self._open()
            return
        if self._stream is not None or self._opening or self._halted or self._retry is not None:
            return
        self._open()

    def _set(self, state: ConsoleState, reason: str) -> None:
        if state is self.state and reason == self.reason:
            return
        self.state, self.reason = state, reason
        if shiboken6.isValid(self):
            self.stateChanged.emit()

    # -- opening ------------------------------------------------------------

    def _open(self) -> None:
        self._opening = True
        force, self._force_next = self._force_next, False
        if self._last_active:
            self._set(ConsoleState.CONNECTING, "")
        self._tasks.spawn(self._attach(self._generation, force))

    def _command(self, force: bool) -> Command:
        known = self.conn.domains.get(self.uuid)
        name = known.name if known else self.uuid
        return virsh_commands.console(self.conn.uri, name, self._wanted_alias or "", force=force)

    async def _attach(self, generation: int, force: bool) -> None:
        conn = self.conn
        opened: OpenedConsole | None = None
        error: BaseException | None = None
        try:
            opened = await logged(
                conn,
                self._command(force),
                open_console,
                self.uuid,
                self._wanted_alias,
                force,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # libvirtError, ConsoleError, NotConnectedError, RuntimeError
            error = exc
        if not shiboken6.isValid(self) or generation != self._generation or self._closed:
            if opened is not None:
                self._close_in_worker(conn, opened.stream, finish=False)
            return
        self._opening = False
        if opened is not None:
            self._attached(opened)
        elif error is not None:
            self._failed(error)

    def _attached(self, opened: OpenedConsole) -> None:
        self._set_devices(opened.devices)
        self.device = opened.device
        stream = opened.stream
        generation = self._generation
        try:
            stream.eventAddCallback(READ_EVENTS, self._on_stream_event, generation)
        except libvirt.libvirtError as exc:
            self._close_in_worker(self.conn, stream, finish=False)
            self._failed(exc)
            return
        self._stream = stream
        self._was_attached = True
        self._retries = 0
        self._set(ConsoleState.ATTACHED, "")

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ConsoleError):
            self._set_devices(error.devices)
        if isinstance(error, ConsoleBusyError):
            self._halted = True
            self._set(ConsoleState.HELD, tr("Another client is using this console."))
        elif isinstance(error, NoConsoleDeviceError):
            self._halted = True
            self._set(ConsoleState.NO_DEVICE, tr("This virtual machine has no serial console."))
        elif isinstance(error, ConsoleNotRunningError):
            # The record said otherwise; the next lifecycle change brings us back.
            self._halted = True
            if self._was_attached:
                self._set(ConsoleState.DISCONNECTED, not_running_text())
            else:
                self._set(ConsoleState.NOT_RUNNING, not_running_text())
        elif isinstance(error, NotConnectedError):
            self._set(ConsoleState.DISCONNECTED, not_connected_text())
        else:
            failure = classify(error.cause if isinstance(error, ConsoleOpenError) else error)
            if failure.kind is ErrorKind.NO_DOMAIN:
                self._halted = True
                self._set(ConsoleState.DISCONNECTED, tr("The virtual machine no longer exists."))
                return
            if failure.kind is ErrorKind.NOT_SUPPORTED:  # trying again will not help
                self._halted = True
                self._set(
                    ConsoleState.DISCONNECTED,
                    tr("This host cannot open serial consoles for its virtual machines."),
                )
                return
            self._set(ConsoleState.DISCONNECTED, failure.message)
            if self._last_active:
                self._retry_later()

    def _set_devices(self, devices: tuple[ConsoleDevice, ...]) -> None:
        if devices and devices != self.devices:
            self.devices = devices
            self.devicesChanged.emit()

    def _stream_ended(self, reason: str, finish: bool) -> None:
        self._end_stream(finish=finish)
        self._pending.clear()
        record = self.conn.domains.get(self.uuid) if shiboken6.isValid(self.conn) else None
        if record is not None and not record.state.is_active:
            reason = not_running_text()
        self._set(ConsoleState.DISCONNECTED, reason or tr("The console closed."))
        # The domain may be stopping (its lifecycle event follows) or another
        # client took the console: try again later, in safe mode.
        self._retry_later()
