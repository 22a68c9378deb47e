"""The "Send Key" menu: key combinations and typed text for a guest.

Built for a getter that says which domain to send to (its connection and
UUID, or None), so the Screenshot tab, the main window's Virtual Machine
menu and the Console tab can share it. Every ``sendKey`` runs on the
connection's worker; failures are shown in plain language. A combination
is logged as ``virsh send-key``; typed text is not logged at all (it is
often a password).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QMenu, QWidget

from kvmdesk.core.command_log import tracked
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import ask, show_failure
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.common.widgets import CheckedDialog
from kvmdesk.virt import keys, virsh_commands
from kvmdesk.virt.commands import joined
from kvmdesk.virt.errors import Failure, classify

Target = Callable[[], "tuple[Connection, str] | None"]


class TypeTextDialog(CheckedDialog):
    """Asks for the text to type; refuses characters a US keyboard cannot type."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(tr("Type Text"), parent, width=440)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Text to type in the guest"))
        self.text.setMaxLength(keys.MAX_TEXT)
        self.enter = QCheckBox(self.tr("Press Enter afterwards"))
        self.enter.setChecked(True)
        self.form.addRow(self.tr("Text:"), self.text)
        self.form.addRow("", self.enter)

    def typed(self) -> str:
        """What will be typed, Enter included."""
        return self.text.text() + ("\n" if self.enter.isChecked() else "")

    def problem(self) -> str:
        if not self.typed():
            return self.tr("Enter some text to type.")
        bad = keys.untypable(self.typed())
        if bad:
            return str(keys.UntypableTextError(bad))
        return ""


class SendKeysMenu(QMenu):
    """Ctrl+Alt+Del, Ctrl+Alt+Backspace, Ctrl+Alt+F1…F12, PrintScreen, Type Text…"""

    def __init__(self, target: Target, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Send &Key"))
        self._target = target
        self._tasks = TaskSet("sending keys")
        self.sent = 0  # strokes sent, for tests and the record

        def add_combo(menu: QMenu, combo: keys.Combo) -> None:
            action = menu.addAction(combo.name)
            action.triggered.connect(lambda _checked=False, c=combo: self.send_combo(c))

        add_combo(self, keys.CTRL_ALT_DEL)
        add_combo(self, keys.CTRL_ALT_BACKSPACE)
        self.function_keys = self.addMenu(self.tr("Ctrl+Alt+F1…F12"))
        for combo in keys.CTRL_ALT_F:
            add_combo(self.function_keys, combo)
        add_combo(self, keys.PRINT_SCREEN)
        self.addSeparator()
        self.type_action = self.addAction(self.tr("Type Text…"))
        self.type_action.triggered.connect(lambda: self._spawn(self.type_text()))
        self.aboutToShow.connect(self._update_enabled)

    def _update_enabled(self) -> None:
        on = self._target() is not None
        for action in self.actions():
            action.setEnabled(on)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        return self._tasks.spawn(coro)

    def send_combo(self, combo: keys.Combo) -> asyncio.Future[Any]:
        return self._spawn(self.send([combo.codes], keys.COMBO_HOLD_MS, combo.name, logged=True))

    async def send(
        self, strokes: Sequence[Sequence[int]], hold_ms: int, what: str, *, logged: bool = False
    ) -> bool:
        """Send ``strokes`` to the target; report a failure. True when sent.

        ``logged``: the strokes go into the command log as ``virsh send-key``.
        """
        target = self._target()
        if target is None:
            return False
        conn, uuid = target
        call = conn.call(keys.send_strokes, uuid, strokes, hold_ms)
        try:
            if logged:
                record = conn.domains.get(uuid)
                name = record.name if record is not None else uuid
                lines = [
                    virsh_commands.send_key(conn.uri, name, tuple(s), hold_ms) for s in strokes
                ]
                self.sent += await tracked(conn.command_log, joined(lines), call)
            else:
                self.sent += await call
        except Exception as exc:  # libvirtError, NotConnectedError, a closed worker
            self._failed(what, classify(exc))
            return False
        return True

    async def type_text(self) -> bool:
        """Ask for text and type it in the guest."""
        if self._target() is None:
            return False
        dialog = TypeTextDialog(self.parentWidget())
        try:
            if not await ask(dialog):
                return False
            text = dialog.typed()
        finally:
            dialog.deleteLater()
        # Not logged: typed text is often a password, and the log can be saved to a file.
        return await self.send(keys.text_strokes(text), keys.TYPE_HOLD_MS, self.tr("Type Text"))

    def _failed(self, what: str, failure: Failure) -> None:
        title = self.tr("{0} was not sent").format(what)
        show_failure(self.parentWidget(), title, failure)


def one_running(selected: Sequence[Selected]) -> tuple[Connection, str] | None:
    """The target for a selection: exactly one running domain, or None."""
    if len(selected) != 1 or not selected[0].record.state.is_active:
        return None
    return selected[0].conn, selected[0].record.uuid
