"""The Console tab: the selected domain's serial console in a terminal.

The console stream is open only while the tab is visible for a domain: the
page creates a ``ConsoleSession`` when it is shown and closes it when it is
hidden, cleared, or pointed at another domain, so no stream outlives what
is on screen. Everything the session says is shown in the bar above the
terminal; a domain with no serial console, or one that is not running, gets
a calm message in place of the terminal, never an error dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.command_log import defined
from kvmdesk.core.connection import Connection
from kvmdesk.core.console import ConsoleSession, ConsoleState, not_running_text
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import ask, ask_yes, report_text, show_failure
from kvmdesk.ui.common.message_page import MessagePage
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.console.terminal_view import TerminalView
from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu
from kvmdesk.ui.domain.session_page import LiveSessions, followed
from kvmdesk.virt.console import add_serial_console
from kvmdesk.virt.errors import classify
from kvmdesk.virt.screenshot.naming import sanitize
from kvmdesk.virt.shown import shown

log = logging.getLogger(__name__)


class ConsolePage(QWidget):
    """A device selector, a status line, Take Over, Log to File, and the terminal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._shown = False
        self._alias: str | None = None  # the device chosen for this domain
        self._log_path: Path | None = None  # logging for this domain, across sessions
        self._had_output = False  # the terminal shows something of this domain
        self._tasks = TaskSet("console action", log)
        self.session: ConsoleSession | None = None
        # The session is not a child of the page: should the page be deleted
        # without being cleared first, this still closes its stream.
        self._live = LiveSessions(self)

        self.device_box = QComboBox()
        self.device_box.setToolTip(self.tr("Serial or console device of the virtual machine"))
        self.device_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.device_box.setVisible(False)
        self.status = plain_label(selectable=False)  # wraps in a narrow pane
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.take_over_button = QPushButton(self.tr("&Take Over Console…"))
        self.take_over_button.setToolTip(
            self.tr("Disconnect the other client and use the console here")
        )
        self.take_over_button.setVisible(False)
        self.log_button = QPushButton(self.tr("&Log to File…"))
        self.log_button.setCheckable(True)
        self.log_button.setToolTip(self.tr("Append everything the console shows to a file"))
        # Ctrl+Alt+Del and friends: keys the terminal cannot pass on.
        self.send_key_button = QToolButton()
        self.send_key_button.setText(self.tr("Send &Key"))
        self.send_key_button.setMenu(SendKeysMenu(self.target, self))
        self.send_key_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.send_key_slot = QHBoxLayout()
        self.send_key_slot.setContentsMargins(0, 0, 0, 0)
        self.send_key_slot.addWidget(self.send_key_button)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.setSpacing(10)
        bar.addWidget(self.device_box)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.take_over_button)
        bar.addLayout(self.send_key_slot)
        bar.addWidget(self.log_button)

        self.terminal = TerminalView()
        self.message = MessagePage()
        self.add_button = QPushButton(self.tr("&Add Serial Console…"))
        self.add_button.setToolTip(
            self.tr("Add a serial console to the definition; it takes effect at the next boot")
        )
        self.add_button.setVisible(False)
        self.message_take_over = QPushButton(self.tr("Take Over Console…"))
        self.message_take_over.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.message_take_over)
        buttons.addStretch(1)
        holder = self.message.headline.parentWidget()
        box = holder.layout() if holder is not None else None
        if isinstance(box, QVBoxLayout):
            box.addSpacing(6)
            box.addLayout(buttons)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.terminal)
        self.stack.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self.terminal.inputBytes.connect(self._on_input)
        self.terminal.set_input_enabled(False)
        self.device_box.activated.connect(self._on_device_chosen)
        self.take_over_button.clicked.connect(lambda: self._spawn(self.take_over()))
        self.message_take_over.clicked.connect(lambda: self._spawn(self.take_over()))
        self.log_button.toggled.connect(self._on_log_toggled)
        self.add_button.clicked.connect(lambda: self._spawn(self.add_serial()))
        self._show_state()

    # -- pointing at a domain -------------------------------------------------

    def show_domain(self, conn: Connection, uuid: str) -> None:
        """Follow ``conn``'s domain ``uuid``; its console opens while the page is shown."""
        if conn is self._conn and uuid == self._uuid:
            return
        self._close_session()
        self._conn, self._uuid = conn, uuid
        self._forget_domain()
        self._sync()

    def clear(self) -> None:
        """Point at nothing: the console closes."""
        self._close_session()
        self._conn = self._uuid = None
        self._forget_domain()
        self._show_state()

    def set_shown(self, shown: bool) -> None:
        """The tab became visible (open the console) or hidden (close it)."""
        self._shown = shown
        self._sync()
        if shown and self.session is not None and self.session.attached:
            self.terminal.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def shown(self) -> bool:
        return self._shown

    def target(self) -> tuple[Connection, str] | None:
        """The domain this page follows, for a "Send Key" menu in ``send_key_slot``."""
        return followed(self._conn, self._uuid)

    def _forget_domain(self) -> None:
        self._alias = None
        self._log_path = None
        self._had_output = False
        self.terminal.reset()
        self.device_box.clear()
        self.device_box.setVisible(False)
        self.log_button.blockSignals(True)
        self.log_button.setChecked(False)
        self.log_button.blockSignals(False)

    def _sync(self) -> None:
        conn, uuid = self._conn, self._uuid
        wanted = self._shown and conn is not None and uuid is not None and shiboken6.isValid(conn)
        if not wanted:
            self._close_session()
            self._show_state()
            return
        if self.session is not None:
            return
        assert conn is not None and uuid is not None
        session = ConsoleSession(conn, uuid, self._alias)
        self._live.add(session)
        session.output.connect(self._on_output)
        session.stateChanged.connect(self._show_state)
        session.devicesChanged.connect(self._fill_devices)
        if self._log_path is not None:
            try:
                session.set_log_path(self._log_path)
            except OSError as exc:
                log.warning("cannot log the console to %s: %s", self._log_path, exc)
                self._log_path = None
                self._set_log_checked(False)
        self.session = session
        session.start()
        self._show_state()

    def _close_session(self) -> None:
        session, self.session = self.session, None
        if session is None:
            return
        signals = (session.output, session.stateChanged, session.devicesChanged)
        if not self._live.release(session, signals):
            return
        if shiboken6.isValid(self.terminal):
            self.terminal.set_input_enabled(False)

    # -- what the session says ---------------------------------------------------

    def _on_output(self, data: bytes) -> None:
        self._had_output = True
        self.terminal.feed(data)

    def _on_input(self, data: bytes) -> None:
        if self.session is not None:
            self.session.send(bytes(data))

    def _fill_devices(self) -> None:
        session = self.session
        if session is None:
            return
        openable = [d for d in session.devices if d.openable]
        self.device_box.blockSignals(True)
        self.device_box.clear()
        for device in openable:
            self.device_box.addItem(shown(device.label), device.alias)
        current = session.device.alias if session.device is not None else self._alias
        index = self.device_box.findData(current) if current else -1
        self.device_box.setCurrentIndex(max(index, 0))
        self.device_box.blockSignals(False)
        self.device_box.setVisible(len(openable) > 1)

    def _on_device_chosen(self, index: int) -> None:
        alias = self.device_box.itemData(index)
        if not alias or alias == self._alias:
            return
        self._alias = str(alias)
        self._had_output = False
        self.terminal.reset()
        if self.session is not None:
            self.session.set_device(self._alias)

    def _show_state(self) -> None:
        session = self.session
        state = session.state if session is not None else ConsoleState.IDLE
        reason = session.reason if session is not None else ""
        attached = state is ConsoleState.ATTACHED
        self.terminal.set_input_enabled(attached)
        self.take_over_button.setVisible(state is ConsoleState.HELD and self._had_output)
        self.add_button.setVisible(state is ConsoleState.NO_DEVICE)
        self.message_take_over.setVisible(state is ConsoleState.HELD and not self._had_output)
        self.log_button.setEnabled(session is not None and state is not ConsoleState.NO_DEVICE)
        status, headline, hint = self._texts(state, reason)
        self.status.setText(status)
        self.status.setToolTip(messages.plain_tooltip(status) if status else "")
        if headline and not (self._had_output and state in _TERMINAL_STATES):
            self.message.show_message(headline, hint)
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.terminal)
        if attached and self.isVisible() and self.window().isActiveWindow():
            self.terminal.setFocus(Qt.FocusReason.OtherFocusReason)

    def _texts(self, state: ConsoleState, reason: str) -> tuple[str, str, str]:
        """The status line, and the headline and hint shown instead of the terminal."""
        again = self.tr("kvmdesk attaches again by itself when it can.")
        if state is ConsoleState.CONNECTING:
            return self.tr("Connecting…"), "", ""
        if state is ConsoleState.ATTACHED:
            device = self.session.device if self.session is not None else None
            if device is not None and device.alias:
                return self.tr("Connected to {0}").format(shown(device.alias)), "", ""
            return self.tr("Connected"), "", ""
        if state is ConsoleState.DISCONNECTED:
            reason = reason or self.tr("The console closed.")
            # The reason may be libvirt's words, without a full stop of their own.
            status = messages.sentences(
                self.tr("Disconnected: {0}").format(reason),
                self.tr("It attaches again when it runs.")
                if reason == not_running_text()
                else self.tr("It attaches again when it can."),
            )
            return status, reason, again
        if state is ConsoleState.HELD:
            return (
                self.tr("Another client is using this console."),
                self.tr("Another client is using this console."),
                self.tr(
                    "Take it over to use it here; the other client (for example a "
                    "virsh console) is then disconnected."
                ),
            )
        if state is ConsoleState.NO_DEVICE:
            return (
                self.tr("No serial console"),
                self.tr("This virtual machine has no serial console."),
                self.tr(
                    "kvmdesk can add one to its definition. "
                    "It takes effect the next time the virtual machine starts."
                ),
            )
        if state is ConsoleState.NOT_RUNNING:
            return (
                self.tr("Not running"),
                self.tr("The virtual machine is not running."),
                self.tr("Its serial console shows here by itself once it starts."),
            )
        return "", "", ""

    # -- actions ---------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    async def take_over(self) -> None:
        """Ask, then open the console even though another client holds it."""
        session = self.session
        if session is None:
            return
        confirmed = await ask_yes(
            self,
            self.tr("Take Over Console"),
            self.tr("Take over the console from the other client?"),
            self.tr("The other client (for example a virsh console) is disconnected."),
        )
        if confirmed and session is self.session:
            session.take_over()

    async def add_serial(self) -> None:
        """Ask, then add a serial console to the persistent definition."""
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return
        confirmed = await ask_yes(
            self,
            self.tr("Add Serial Console"),
            self.tr("Add a serial console to this virtual machine's definition?"),
            self.tr("It takes effect the next time the virtual machine starts."),
        )
        if not confirmed or conn is not self._conn or uuid != self._uuid:
            return
        try:
            running = await defined(conn, uuid, add_serial_console)
        except Exception as exc:  # libvirtError, ConsoleError, NotConnectedError
            if shiboken6.isValid(self):
                show_failure(self, self.tr("Add Serial Console"), classify(exc))
            return
        if not shiboken6.isValid(self) or conn is not self._conn or uuid != self._uuid:
            return
        if running:
            report_text(
                self,
                self.tr("Add Serial Console"),
                self.tr("The serial console was added to the definition."),
                self.tr(
                    "It takes effect at the next boot: shut the virtual machine "
                    "down and start it again."
                ),
            )
        if self.session is not None:
            self.session.retry()

    def _set_log_checked(self, on: bool) -> None:
        self.log_button.blockSignals(True)
        self.log_button.setChecked(on)
        self.log_button.blockSignals(False)

    def _on_log_toggled(self, on: bool) -> None:
        if on:
            self._set_log_checked(False)  # checked once a file is chosen
            self._spawn(self._choose_log_file())
        else:
            self.stop_logging()

    async def _choose_log_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Log the Console to a File"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)  # appended to
        dialog.setNameFilters([self.tr("Log files (*.log)"), self.tr("All files (*)")])
        if self.session is not None:
            record = self.session.conn.domains.get(self.session.uuid)
            if record is not None:
                dialog.selectFile(f"{sanitize(record.name)}-console.log")
        result = await ask(dialog)
        files = dialog.selectedFiles()
        dialog.deleteLater()
        if result and files and shiboken6.isValid(self):
            self.start_logging(Path(files[0]))

    def start_logging(self, path: Path) -> bool:
        """Append what the console receives to ``path``, for this domain."""
        session = self.session
        if session is None:
            return False
        try:
            session.set_log_path(path)
        except OSError as exc:
            report_text(
                self,
                self.tr("Log to File"),
                self.tr("The log file cannot be opened."),
                str(exc),
            )
            self._set_log_checked(False)
            return False
        self._log_path = path
        self._set_log_checked(True)
        self.log_button.setToolTip(
            messages.plain_tooltip(self.tr("Logging to {0}").format(str(path)))
        )
        return True

    def stop_logging(self) -> None:
        self._log_path = None
        if self.session is not None:
            self.session.set_log_path(None)
        self._set_log_checked(False)
        self.log_button.setToolTip(self.tr("Append everything the console shows to a file"))


# States in which the terminal stays on screen when it shows earlier output.
_TERMINAL_STATES = frozenset(
    {ConsoleState.CONNECTING, ConsoleState.DISCONNECTED, ConsoleState.HELD, ConsoleState.IDLE}
)
