"""File → Define from XML… and Create from XML…, as ``virsh define`` and ``virsh create``.

The user picks a file; a preview shows its XML highlighted, with the same
checks as the XML tab (declarations refused, malformed XML with its line and
column, a <domain> root). The text can be corrected in the preview. Define
adds a persistent virtual machine that stays shut off; Create starts a
transient one at once. Nothing reaches libvirt until the checks pass, and
the buffer stays whatever fails. The new virtual machine is selected in the
tree once it shows up there.

A file with the name and UUID of an existing virtual machine would replace
its definition: the dialog shows both side by side and asks, with Cancel as
the default (``define_questions``). When the link drops on the way, the
dialog says after which step, and reports what the host has once it is back.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.command_log import recorded
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, checking_text, run_steps
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import ask, present, report_text
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor
from kvmdesk.ui.domain.xml.xml_problems import move_to_problem, problem_text
from kvmdesk.ui.main.define_questions import (
    identity_taken_text,
    lost_link_text,
    replace_question,
    step_names,
)
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.define import (
    DefineCheck,
    Defined,
    Existing,
    FileProblem,
    IdentityTaken,
    InvalidXml,
    Mode,
    WouldReplace,
    checked_name,
    define_journal,
    define_or_create,
    read_text,
    recheck,
)
from kvmdesk.virt.errors import classify
from kvmdesk.virt.shown import shown
from kvmdesk.virt.steps import Journal
from kvmdesk.virt.xmledit import check_xml

log = logging.getLogger(__name__)


class DefinePreview(QDialog):
    """Shows a domain definition before it is defined or created; checks it on the button."""

    def __init__(
        self, parent: QWidget | None, conn: Connection, mode: Mode, path: str, text: str
    ) -> None:
        super().__init__(parent)
        self.conn = conn
        self.mode = mode
        self.path, self.original = path, text
        self.result_domain: Defined | None = None
        self.result_note = ""  # how a link dropped meanwhile, when it did
        self.replaced = False  # an existing virtual machine's definition was replaced
        self._busy = False
        define = mode is Mode.DEFINE
        self.setWindowTitle(self.tr("Define from XML") if define else self.tr("Create from XML"))
        self.intro = plain_label(
            self.tr(
                "The virtual machine is added to this connection and stays shut off until "
                "you start it."
            )
            if define
            else self.tr(
                "The virtual machine starts at once. It is transient: when it shuts down, "
                "it disappears from the connection."
            )
        )
        form = QFormLayout()
        self.file_label = plain_label(path)
        self.conn_label = plain_label(messages.connection_label(conn))
        form.addRow(self.tr("File:"), self.file_label)
        form.addRow(self.tr("Connection:"), self.conn_label)
        self.editor = XmlEditor()
        self.editor.setAccessibleName(tr("XML definition"))
        self.editor.setPlainText(text)
        self.hint = dim(plain_label(self.tr("You can correct the XML here before going on.")))
        self.problem = plain_label()
        self.problem.setFont(scaled_font(self.font(), 1.0))  # bold: what stops the button
        self.problem.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go_button = QPushButton(self.tr("&Define") if define else self.tr("&Create"))
        self.go_button.setDefault(True)
        self.buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.go_button.clicked.connect(self._go_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        self._tasks = TaskSet("define from XML", log)
        self.check()

    def text(self) -> str:
        return self.editor.toPlainText()

    def command(self, text: str) -> Command:
        """``virsh define`` (or ``create``) of the file, or of the text as corrected."""
        uri = self.conn.uri
        if text == self.original:
            if self.mode is Mode.DEFINE:
                return virsh_commands.define_file(uri, self.path)
            return virsh_commands.create_file(uri, self.path)
        verb = "define" if self.mode is Mode.DEFINE else "create"
        return virsh_commands.define_xml(uri, Path(self.path).stem, text, verb)

    def check(self) -> bool:
        """Show what is wrong with the text, if anything; True when it is fine."""
        problem = check_xml(self.text())
        if problem is None:
            self._say("")
            return True
        self._say(problem_text(problem))
        move_to_problem(self.editor, problem)
        return False

    def _go_clicked(self) -> None:
        self._tasks.spawn(self.submit())

    async def submit(self, replacing: Existing | None = None) -> bool:
        """Check the text, then define or create it; the dialog closes on success.

        A definition that would replace an existing virtual machine is shown
        beside that machine's first, and goes on only on an explicit Replace.
        """
        if self._busy or not self.check():
            return False
        text = self.text()
        mode = self.mode
        self._set_busy(True)
        self._say(self.tr("Defining…") if mode is Mode.DEFINE else self.tr("Creating…"))

        def run(virt: libvirt.virConnect, journal: Journal) -> Defined:
            return define_or_create(virt, text, mode, replacing=replacing, journal=journal)

        def again(virt: libvirt.virConnect, journal: Journal) -> DefineCheck:
            return recheck(virt, text, mode, replacing, journal)

        def checking(journal: Journal, _failure: object) -> None:
            if shiboken6.isValid(self):
                self._say(checking_text(journal, step_names(mode)))

        try:
            defined = await recorded(
                self.conn.command_log,
                self.command(text),
                run_steps(self.conn, run, define_journal(mode), again, checking),
                unless=(WouldReplace,),  # nothing done yet: Replace submits (and logs) again
            )
        except WouldReplace as replace:
            if not shiboken6.isValid(self):
                return False
            self._set_busy(False)
            self._say("")
            if await self._confirm_replace(replace.existing, text):
                return await self.submit(replacing=replace.existing)
            return False
        except IdentityTaken as taken:
            if shiboken6.isValid(self):
                self._set_busy(False)
                self._say(identity_taken_text(taken.existing, mode))
            return False
        except LinkLost as lost:
            return self._after_lost_link(lost, text)
        except Exception as exc:  # libvirtError (schema, name taken), lost connection
            if shiboken6.isValid(self):
                self._set_busy(False)
                failure = classify(exc)
                self._say(f"{messages.failure_summary(failure)}\n{failure.message}")
            return False
        self.replaced = replacing is not None
        return self._finish(defined)

    def _finish(self, defined: Defined) -> bool:
        self.conn.invalidate(defined.uuid)
        self.result_domain = defined
        if shiboken6.isValid(self):
            self._set_busy(False)
            self.accept()
        return True

    def _after_lost_link(self, lost: LinkLost[DefineCheck], text: str) -> bool:
        """Say what the re-read found; close as done when the domain was stored."""
        if not shiboken6.isValid(self):
            return False
        try:
            name = checked_name(text)
        except InvalidXml:
            name = ""
        said = lost_link_text(lost, self.mode, name)
        check = lost.state
        if check is not None and check.stored and check.domain is not None:
            self.result_note = said
            return self._finish(check.domain)
        self._set_busy(False)
        self._say(said)
        return False

    async def _confirm_replace(self, existing: Existing, text: str) -> bool:
        dialog, replace = replace_question(self, existing, text, self.mode)
        self.replace_dialog: CompareDialog | None = dialog  # reachable while it is open
        await ask(dialog)
        chosen = dialog.clicked is replace
        dialog.deleteLater()
        self.replace_dialog = None
        return chosen and shiboken6.isValid(self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.go_button.setEnabled(not busy)
        self.editor.setReadOnly(busy)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def outcome_text(defined: Defined, replaced: bool = False) -> str:
    if defined.active and not defined.persistent:
        return tr(
            "“{0}” was created and is running. It is transient: it disappears when it shuts down."
        ).format(shown(defined.name))
    if defined.active:
        return tr(
            "“{0}” was started with the new definition; its own is used again at its next start."
        ).format(shown(defined.name))
    if replaced:
        return tr("The definition of “{0}” was replaced.").format(shown(defined.name))
    return tr("“{0}” was defined. It is shut off until you start it.").format(shown(defined.name))


class DefineActions(QObject):
    """The File menu's Define from XML… and Create from XML… for the selected connection."""

    def __init__(
        self,
        window: QWidget,
        selected: Callable[[], Connection | None],
        select_when_listed: Callable[[Connection, str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._selected = selected
        # Selects the domain's row now or once it is listed (the main window).
        self.select_when_listed = select_when_listed
        self._conn: Connection | None = None
        self._hooked: weakref.WeakSet[Connection] = weakref.WeakSet()
        self._tasks = TaskSet("define from XML", log)
        self.define_act = QAction(self.tr("D&efine from XML…"), window)
        self.define_act.setToolTip(
            self.tr("Add a virtual machine from an XML file, without starting it")
        )
        self.define_act.triggered.connect(lambda: self._spawn(self.run(Mode.DEFINE)))
        self.create_act = QAction(self.tr("C&reate from XML…"), window)
        self.create_act.setToolTip(self.tr("Start a transient virtual machine from an XML file"))
        self.create_act.triggered.connect(lambda: self._spawn(self.run(Mode.CREATE)))
        self.update_for(None)

    def update_for(self, conn: Connection | None) -> None:
        """Enable the actions when ``conn`` is connected; follow its state."""
        self._conn = conn
        if conn is not None and conn not in self._hooked:
            self._hooked.add(conn)  # once per connection; the slot reads self._conn
            conn.stateChanged.connect(self._state_changed)
        self._state_changed()

    def _state_changed(self) -> None:
        enabled = self._conn is not None and self._conn.is_connected
        self.define_act.setEnabled(enabled)
        self.create_act.setEnabled(enabled)

    async def run(self, mode: Mode, path: str | None = None) -> Defined | None:
        """Ask for a file (unless ``path``), preview it, then define or create it."""
        conn = self._selected()
        if conn is None or not conn.is_connected:
            return None
        if path is None:
            path = await self._choose_file(mode)
            if not path:
                return None
        try:
            text = read_text(path)
        except FileProblem as exc:
            report_text(
                self._window,
                self.tr("Cannot Use the File"),
                self.tr("“{0}” cannot be used as a definition.").format(path),
                str(exc),
            )
            return None
        dialog = DefinePreview(self._window, conn, mode, path, text)
        self.preview: DefinePreview | None = dialog  # reachable while it is open
        await ask(dialog)
        defined = dialog.result_domain
        note, replaced = dialog.result_note, dialog.replaced
        dialog.deleteLater()
        self.preview = None
        if defined is None:
            return None
        self.select_when_listed(conn, defined.uuid)
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(outcome_text(defined, replaced), 15000)
        if note:  # the link dropped on the way: say what was found after the reconnect
            self.note_box = QMessageBox(self._window)
            self.note_box.setIcon(QMessageBox.Icon.Information)
            self.note_box.setWindowTitle(
                self.tr("Define from XML") if mode is Mode.DEFINE else self.tr("Create from XML")
            )
            self.note_box.setTextFormat(Qt.TextFormat.PlainText)
            self.note_box.setText(note)
            present(self.note_box)
        return defined

    async def _choose_file(self, mode: Mode) -> str:
        dialog = QFileDialog(
            self._window,
            self.tr("Define from XML") if mode is Mode.DEFINE else self.tr("Create from XML"),
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        # Qt's own dialog: a platform one may run its own event loop on open().
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setNameFilters([self.tr("XML files (*.xml)"), self.tr("All files (*)")])
        self.file_dialog: QFileDialog | None = dialog
        result = await ask(dialog)
        files = dialog.selectedFiles()
        dialog.deleteLater()
        self.file_dialog = None
        if result != QDialog.DialogCode.Accepted.value or not files:
            return ""
        return files[0]

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)
