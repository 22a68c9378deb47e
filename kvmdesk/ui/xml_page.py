"""The XML tab: the domain's definition in an editor, as ``virsh edit``.

The XML is fetched when the tab is shown for a domain, not on every
selection while it is hidden. Apply checks the text (``virt.xmledit``),
then defines it on the connection's worker; when someone else changed the
definition meanwhile, a dialog shows the difference and offers to reload,
to overwrite or to cancel. The buffer is kept whenever something fails.
Everything from the host is shown as plain text.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import libvirt
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.ui.errors import ask, widen_text
from kvmdesk.ui.widgets import plain_label
from kvmdesk.ui.xml_highlighter import XmlEditor
from kvmdesk.virt.errors import classify
from kvmdesk.virt.xmledit import (
    ProblemKind,
    SaveResult,
    XmlConflict,
    XmlProblem,
    check_xml,
    fetch_xml,
    save_xml,
)

log = logging.getLogger(__name__)


class XmlPage(QWidget):
    """Shows and edits the definition of one domain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._original = ""  # the stored XML the buffer started from
        self._loaded_for: tuple[Connection, str] | None = None
        self._shown = False
        self._generation = 0  # bumped whenever the page points elsewhere
        self._tasks: set[asyncio.Future[Any]] = set()

        self.editor = XmlEditor()
        self.message = plain_label()
        self.message.setVisible(False)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(260)
        self.revert_button = QPushButton(self.tr("&Revert"))
        self.apply_button = QPushButton(self.tr("&Apply"))
        self.revert_button.setToolTip(self.tr("Discard the changes and show the stored XML"))
        self.apply_button.setToolTip(self.tr("Check the XML and save it as the new definition"))

        buttons = QHBoxLayout()
        buttons.addWidget(self.find_edit)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.editor.findRequested.connect(self._focus_find)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textEdited.connect(lambda _text: self.find_next(from_start=True))
        self.editor.document().modificationChanged.connect(self._update_buttons)
        self.revert_button.clicked.connect(self.revert)
        self.apply_button.clicked.connect(lambda: self._spawn(self.apply()))
        self._set_enabled(False)

    # -- pointing at a domain -----------------------------------------------

    def show_domain(self, conn: Connection, uuid: str) -> None:
        """Follow ``conn``'s domain ``uuid``; its XML is fetched once the tab is shown."""
        if conn is self._conn and uuid == self._uuid:
            return
        self._generation += 1
        self._conn, self._uuid = conn, uuid
        self._loaded_for = None
        self._set_text("")
        self._say("")
        self._set_enabled(False)
        if self._shown:
            self.reload()

    def clear(self) -> None:
        self._generation += 1
        self._conn = self._uuid = self._loaded_for = None
        self._set_text("")
        self._say("")
        self._set_enabled(False)

    def set_shown(self, shown: bool) -> None:
        """The tab became visible (or not); load what it should show, once."""
        self._shown = shown
        if shown and self._conn is not None and self._loaded_for is None:
            self.reload()

    def reload(self) -> None:
        """Fetch the stored XML, replacing the buffer."""
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return
        self._generation += 1
        self._loaded_for = (conn, uuid)
        self._say(self.tr("Loading…"))
        self._spawn(self._load(self._generation, conn, uuid))

    def revert(self) -> None:
        self._set_text(self._original)
        self._say("")

    # -- find --------------------------------------------------------------------

    def _focus_find(self) -> None:
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_next(self, from_start: bool = False) -> bool:
        """Select the next match of the find text, wrapping around at the end."""
        needle = self.find_edit.text()
        if not needle:
            return False
        if from_start:  # searching as one types: stay on the current match
            cursor = self.editor.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self.editor.setTextCursor(cursor)
        flags = QTextDocument.FindFlag(0)
        if self.editor.find(needle, flags):
            return True
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)
        found = self.editor.find(needle, flags)
        if not found:
            self._say(self.tr("“{0}” was not found.").format(needle))
        return found

    # -- applying -----------------------------------------------------------------

    async def apply(self, force: bool = False) -> None:
        """Check the buffer, then define it; on any error the buffer stays."""
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return
        text = self.editor.toPlainText()
        problem = check_xml(text)
        if problem is not None:
            self._show_problem(problem)
            return
        generation = self._generation
        original = self._original
        self._set_enabled(False)
        self._say(self.tr("Saving…"))

        def save(virt: libvirt.virConnect) -> SaveResult:
            return save_xml(virt, uuid, original, text, force=force)

        try:
            result = await conn.call(save)
        except XmlConflict as conflict:
            if self._current(generation):
                self._set_enabled(True)
                self._say("")
                await self._resolve(conflict, generation)
            return
        except Exception as exc:  # libvirtError (schema validation), lost connection
            if self._current(generation):
                self._set_enabled(True)
                failure = classify(exc)
                self._say(f"{messages.failure_summary(failure)}\n{failure.message}")
            return
        if not self._current(generation):
            return
        conn.invalidate(uuid)
        await self._load(generation, conn, uuid)
        if self._current(generation):
            self._say(self._saved_text(result))

    def _saved_text(self, result: SaveResult) -> str:
        lines = [self.tr("Saved.")]
        if result.dropped:
            lines.append(self.tr("libvirt did not keep: {0}").format(", ".join(result.dropped)))
        if result.running:
            lines.append(self.tr("Changes take effect at the next boot."))
        return "\n".join(lines)

    async def _resolve(self, conflict: XmlConflict, generation: int) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Definition Changed"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("The virtual machine's definition changed since it was loaded."))
        box.setInformativeText(
            self.tr(
                "Reload to see the new definition (your edits are lost), or overwrite "
                "it with your edits. The details show what changed."
            )
        )
        box.setDetailedText(conflict.diff)
        reload = box.addButton(self.tr("&Reload"), QMessageBox.ButtonRole.DestructiveRole)
        overwrite = box.addButton(self.tr("&Overwrite"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        widen_text(box)
        await ask(box)
        clicked = box.clickedButton()
        box.deleteLater()
        if not self._current(generation):
            return
        if clicked is reload:
            self.reload()
        elif clicked is overwrite:
            await self.apply(force=True)

    # -- internals ------------------------------------------------------------

    def _current(self, generation: int) -> bool:
        return shiboken6.isValid(self) and generation == self._generation

    async def _load(self, generation: int, conn: Connection, uuid: str) -> None:
        try:
            text = await conn.call(fetch_xml, uuid)
        except Exception as exc:  # libvirtError; RuntimeError when the worker shut down
            if self._current(generation):
                self._loaded_for = None  # try again when shown next
                failure = classify(exc)
                self._say(f"{messages.failure_summary(failure)}\n{failure.message}")
            return
        if not self._current(generation):
            return
        self._original = text
        self._set_text(text)
        self._say("")
        self._set_enabled(True)

    def _show_problem(self, problem: XmlProblem) -> None:
        if problem.kind is ProblemKind.DECLARATION:
            detail = self.tr("{0} declarations are not allowed").format(problem.detail)
        elif problem.kind is ProblemKind.NOT_DOMAIN:
            detail = self.tr("the root element must be <domain>, not <{0}>").format(problem.detail)
        else:
            detail = problem.detail
        self._say(self.tr("line {0}, column {1}: {2}").format(problem.line, problem.column, detail))
        cursor = QTextCursor(self.editor.document().findBlockByNumber(problem.line - 1))
        cursor.movePosition(
            QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor, problem.column - 1
        )
        self.editor.setTextCursor(cursor)

    def _set_text(self, text: str) -> None:
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)
        self._update_buttons()

    def _set_enabled(self, enabled: bool) -> None:
        self.editor.setReadOnly(not enabled)
        self._update_buttons()

    def _update_buttons(self, _modified: bool = False) -> None:
        modified = self.editor.document().isModified() and not self.editor.isReadOnly()
        self.apply_button.setEnabled(modified)
        self.revert_button.setEnabled(modified)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("XML tab task failed", exc_info=task.exception())
