"""The XML tab: the domain's definition in an editor, as ``virsh edit``.

The XML is fetched when the tab is shown for a domain, not on every
selection while it is hidden. Apply checks the text (``virt.xmledit``),
then defines it on the connection's worker; when someone else changed the
definition meanwhile, a dialog shows the difference and offers to reload,
to overwrite or to cancel. The buffer is kept whenever something fails.
Everything from the host is shown as plain text.

For a running domain the page says that changes take effect at the next
boot, and "Compare with Running" shows the live XML (read-only) beside the
next-boot XML being edited.

Unsaved edits are never dropped silently: when another domain is selected,
the edited text is kept as a draft for its domain and shown again, still
unsaved, when that domain is selected again (Apply saves it, with the usual
conflict check against the definition it started from; Revert discards it).
``unsaved_names`` lists the drafts, so that closing the window can ask.

Passwords (VNC, SPICE) are read with the definition, where the
connection may read them, and shown masked unless "Show Passwords" is on
(``xml_secrets``); a save puts them back, so an unrelated edit never
deletes one. A save whose link drops says after which step, waits for the
reconnect and reads the definition again (``core.steps``): the edit is
then reported as stored or not stored, and a stored one is never shown
later as someone else's change.

The comparison with the running XML lives in ``xml_compare``, the wording
of XML problems in ``xml_problems`` and the questions in ``xml_questions``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.tasks import TaskSet
from kvmdesk.domxml.domain import parse_domain
from kvmdesk.domxml.secrets import Key
from kvmdesk.ui.common.errors import ask
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.xml.xml_apply import apply_edit
from kvmdesk.ui.domain.xml.xml_compare import RunningComparison
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor
from kvmdesk.ui.domain.xml.xml_problems import move_to_problem, problem_text
from kvmdesk.ui.domain.xml.xml_questions import discard_question
from kvmdesk.ui.domain.xml.xml_secrets import HiddenSecrets
from kvmdesk.virt.errors import classify
from kvmdesk.virt.records import DomainRecord
from kvmdesk.virt.xmledit import (
    Definitions,
    XmlProblem,
    fetch_definitions,
)

log = logging.getLogger(__name__)


class XmlPage(QWidget):
    """Shows and edits the definition of one domain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._original = ""  # the stored XML the buffer started from (with secrets)
        self._original_secure = True  # read with its secrets (the connection may)
        self._stored = ""  # the stored XML as last fetched
        self._live: str | None = None  # the running configuration, with secrets
        self._loaded_for: tuple[Connection, str] | None = None
        self._shown = False
        self.editable = True  # Preferences may make the tab read-only
        self._loaded = False  # a definition is in the editor
        self._generation = 0  # bumped whenever the page points elsewhere
        self._tasks = TaskSet("XML tab task", log)
        # (connection, uuid) -> the edit: what it started from, and the buffer
        self._drafts: dict[tuple[Connection, str], _Draft] = {}
        self._names: dict[tuple[Connection, str], str] = {}
        self._watched: Connection | None = None
        self.conflict_dialog: QDialog | None = None  # reachable while it is open

        self.editor = XmlEditor()
        self.editor.setAccessibleName(self.tr("XML definition"))
        self.secrets = HiddenSecrets(self.editor, self)
        self.reveal_button = self.secrets.reveal_button
        self.compare = RunningComparison(self.editor, self)
        self.live_editor = self.compare.live_editor
        self.edit_title = self.compare.edit_title
        self.running_label = self.compare.running_label
        self.compare_button = self.compare.compare_button
        self.banner = self.compare.banner
        self.live_panel = self.compare.live_panel
        self.message = plain_label()
        self.message.setVisible(False)
        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName(self.tr("Find in the XML"))
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(260)
        self.revert_button = QPushButton(self.tr("&Revert"))
        self.apply_button = QPushButton(self.tr("&Apply"))
        self.revert_button.setToolTip(self.tr("Discard the changes and show the stored XML"))
        self.apply_button.setToolTip(self.tr("Check the XML and save it as the new definition"))

        edit_panel = QWidget()
        edit_layout = QVBoxLayout(edit_panel)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(self.edit_title)
        edit_layout.addWidget(self.editor, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.live_panel)
        self.splitter.addWidget(edit_panel)

        buttons = QHBoxLayout()
        buttons.addWidget(self.find_edit)
        buttons.addStretch(1)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.editor.findRequested.connect(self._focus_find)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textEdited.connect(lambda _text: self.find_next(from_start=True))
        self.editor.document().modificationChanged.connect(self._update_buttons)
        self.revert_button.clicked.connect(self.revert)
        self.apply_button.clicked.connect(lambda: self._spawn(self.apply()))
        self.secrets.revealChanged.connect(lambda _on: self._show_live(self._live))
        self._set_enabled(False)

    # -- pointing at a domain -----------------------------------------------

    def show_domain(self, conn: Connection, uuid: str) -> None:
        """Follow ``conn``'s domain ``uuid``; its XML is fetched once the tab is shown."""
        if conn is self._conn and uuid == self._uuid:
            return
        self._keep_draft()
        self._generation += 1
        self._conn, self._uuid = conn, uuid
        self._watch(conn)
        self._loaded_for = None
        self._set_text("")
        self._show_live(None)
        self._say("")
        self._set_enabled(False)
        if self._shown:
            self.reload()

    def clear(self) -> None:
        self._keep_draft()
        self._generation += 1
        self._conn = self._uuid = self._loaded_for = None
        self._watch(None)
        self._set_text("")
        self._show_live(None)
        self._say("")
        self._set_enabled(False)

    # -- unsaved edits ------------------------------------------------------

    def is_modified(self) -> bool:
        """The buffer holds edits that are not applied."""
        return self._loaded_for is not None and self.editor.document().isModified()

    def unsaved_names(self) -> list[str]:
        """The domains with unapplied edits: kept drafts and the buffer shown now."""
        keys = list(self._drafts)
        if self.is_modified() and self._loaded_for is not None:
            keys.append(self._loaded_for)
        return [self._names.get(key, key[1]) for key in dict.fromkeys(keys)]

    def discard_unsaved(self) -> None:
        self._drafts.clear()
        if self.is_modified():
            self.revert()

    async def confirm_discard(self, parent: QWidget) -> bool:
        """Ask whether unapplied XML edits may be discarded; discards them on yes."""
        names = self.unsaved_names()
        if not names:
            return True
        box, discard = discard_question(parent, names)
        self.discard_box: QMessageBox | None = box  # reachable while it is open
        await ask(box)
        clicked = box.clickedButton()
        box.deleteLater()
        self.discard_box = None
        if clicked is not discard or not shiboken6.isValid(self):
            return False
        self.discard_unsaved()
        return True

    def _keep_draft(self) -> None:
        if self.is_modified() and self._loaded_for is not None:
            text, hidden, revealed = self.secrets.snapshot()
            self._drafts[self._loaded_for] = _Draft(
                self._original, self._original_secure, text, hidden, revealed
            )

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
        if self._loaded_for is not None:
            self._drafts.pop(self._loaded_for, None)
        self._original = self._stored
        self._set_text(self._stored)
        self._say("")

    # -- running domains --------------------------------------------------------

    def mark_differences(self) -> int:
        """Shade the lines that differ between the live and the next-boot XML."""
        return self.compare.mark_differences()

    def _watch(self, conn: Connection | None) -> None:
        if conn is self._watched:
            return
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.domainChanged.disconnect(self._domain_changed)
        self._watched = conn
        if conn is not None:
            conn.domainChanged.connect(self._domain_changed)

    def _domain_changed(self, record: DomainRecord) -> None:
        if record.uuid != self._uuid or self._loaded_for is None:
            return
        self._names[self._loaded_for] = record.name
        if record.state.is_active != self.compare.running:
            self._spawn(self._refresh_live(self._generation, *self._loaded_for))

    async def _refresh_live(self, generation: int, conn: Connection, uuid: str) -> None:
        """The domain started or stopped: update the banner and the live XML only."""
        try:
            found = await conn.call(fetch_definitions, uuid)
        except Exception:  # gone meanwhile: the details pane says so
            return
        if self._current(generation):
            self._show_live(found.live)

    def _show_live(self, live: str | None) -> None:
        self._live = live
        self.compare.set_live(None if live is None else self.secrets.display(live))

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

    # -- applying -------------------------------------------------------------------

    async def apply(self, force: bool = False) -> None:
        """Check the buffer, then define it; on any error the buffer stays (``xml_apply``)."""
        await apply_edit(self, force)

    # -- internals ------------------------------------------------------------

    def _current(self, generation: int) -> bool:
        return shiboken6.isValid(self) and generation == self._generation

    async def _load(self, generation: int, conn: Connection, uuid: str) -> None:
        try:
            found: Definitions = await conn.call(fetch_definitions, uuid)
        except Exception as exc:  # libvirtError; RuntimeError when the worker shut down
            if self._current(generation):
                self._loaded_for = None  # try again when shown next
                failure = classify(exc)
                self._say(f"{messages.failure_summary(failure)}\n{failure.message}")
            return
        if not self._current(generation):
            return
        self._names[(conn, uuid)] = parse_domain(found.stored).name
        self._stored = self._original = found.stored
        self._original_secure = found.secure
        self._set_text(found.stored)
        self._show_live(found.live)
        self._say("")
        self._set_enabled(True)
        draft = self._drafts.pop((conn, uuid), None)
        if draft is not None:
            self._original, self._original_secure = draft.original, draft.secure
            self.secrets.restore(draft.text, draft.hidden, draft.revealed)
            self.editor.document().setModified(True)
            self._update_buttons()
            self._say(
                self.tr(
                    "Your unsaved changes are shown again. Apply saves them; Revert discards them."
                )
            )

    def _show_problem(self, problem: XmlProblem) -> None:
        self._say(problem_text(problem))
        move_to_problem(self.editor, problem)

    def _set_text(self, text: str) -> None:
        self.secrets.show_text(text)
        self.editor.document().setModified(False)
        self._update_buttons()

    def _set_enabled(self, enabled: bool) -> None:
        self._loaded = enabled
        self.editor.setReadOnly(not (enabled and self.editable))
        self._update_buttons()

    def set_editable(self, editable: bool) -> None:
        """Preferences: whether the definition may be edited here at all."""
        self.editable = editable
        self._set_enabled(self._loaded)

    def _update_buttons(self, _modified: bool = False) -> None:
        modified = self.editor.document().isModified() and not self.editor.isReadOnly()
        self.apply_button.setEnabled(modified)
        self.revert_button.setEnabled(modified)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)


@dataclass(frozen=True)
class _Draft:
    """An unapplied edit kept while another domain is shown."""

    original: str  # the stored definition it started from
    secure: bool  # that was read with its secrets
    text: str  # the editor's text (``HiddenSecrets.snapshot``)
    hidden: dict[tuple[Key, str], str]
    revealed: bool


__all__ = ["XmlPage", "move_to_problem", "problem_text"]
