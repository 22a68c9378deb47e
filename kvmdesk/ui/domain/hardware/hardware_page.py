"""The Hardware tab: the devices of a domain on the left, a form on the right, Apply/Revert.

The definition is fetched when the tab is shown for a domain
(``virt.hardware.fetch_hardware`` on the connection's worker: the
next-boot definition with its secrets, the live one of a running guest,
autostart, what the host offers). Every form edits its own part of that
definition; forms with unapplied edits are marked with "*" and Apply
applies them all at once (``hardware_apply``). A device whose running
state differs from its next boot is marked "pending restart".

For a running guest the page says, for what was changed, whether it
applies now, at the next boot, or both, and lets the user choose where
both are possible. Add Hardware… and Remove are in ``hardware_devices``.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.command_view import CommandView
from kvmdesk.ui.common.widgets import plain_label, scroll_page
from kvmdesk.ui.domain.hardware.drafts import Draft, confirm_discard, keep_draft, restore_draft
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm, name_fields
from kvmdesk.ui.domain.hardware.form_list import REMOVABLE, forms_for
from kvmdesk.virt.errors import classify
from kvmdesk.virt.hardware import HardwareState, Scope, fetch_hardware
from kvmdesk.virt.records import DomainRecord

log = logging.getLogger(__name__)


class HardwarePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._shown = False
        self._loaded_for: tuple[Connection, str] | None = None
        self._generation = 0
        self._watched: Connection | None = None
        self._tasks = TaskSet("Hardware tab task", log)
        self.state: HardwareState | None = None
        self.stored_root: ET.Element | None = None
        self.live_root: ET.Element | None = None
        self.forms: list[HardwareForm] = []
        self.drafts: dict[tuple[Connection, str], Draft] = {}
        self.labels: list[str] = []
        self.dialog: QWidget | None = None  # a question or dialog, reachable while open
        self.confirm_remove = True  # Preferences: ask before Remove

        self.items = QListWidget()
        self.items.setAccessibleName(self.tr("Devices"))
        self.items.setMinimumWidth(180)
        self.add_button = QPushButton(self.tr("Add &Hardware…"))
        self.remove_button = QPushButton(self.tr("Re&move"))
        self.stack = QStackedWidget()
        self.empty = plain_label()
        self.stack.addWidget(self.empty)
        self.message = plain_label()
        self.message.setVisible(False)
        self.command = CommandView(self, lines=3)
        self.command.setVisible(False)
        self.scope = QComboBox()
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_label = plain_label(self.tr("Apply:"), selectable=False, wrap=False)
        self.revert_button = QPushButton(self.tr("&Revert"))
        self.apply_button = QPushButton(self.tr("&Apply"))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.items, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        # The forms get the room: the list starts at its minimum width.
        splitter.setSizes([self.items.minimumWidth(), 4 * self.items.minimumWidth()])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.scope_label)
        buttons.addWidget(self.scope)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.command)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.items.currentRowChanged.connect(self._select)
        self.revert_button.clicked.connect(self.revert)
        self.scope.currentIndexChanged.connect(self.update_command)
        self.apply_button.clicked.connect(lambda: self.spawn(self.apply()))
        self.add_button.clicked.connect(lambda: self.spawn(self.add_hardware()))
        self.remove_button.clicked.connect(lambda: self.spawn(self.remove_selected()))
        self.update_buttons()

    # -- pointing at a domain ---------------------------------------------------

    @property
    def conn(self) -> Connection | None:
        return self._conn

    @property
    def uuid(self) -> str | None:
        return self._uuid

    @property
    def loaded_for(self) -> tuple[Connection, str] | None:
        return self._loaded_for

    @property
    def running(self) -> bool:
        """The domain ran when its definitions were read (the forms' view of it)."""
        return self.live_root is not None

    def show_domain(self, conn: Connection, uuid: str) -> None:
        if conn is self._conn and uuid == self._uuid:
            return
        self._keep_draft()
        self._generation += 1
        self._conn, self._uuid = conn, uuid
        self._loaded_for = None
        self._watch(conn)
        self._clear_forms()
        self.say("")
        if self._shown:
            self._load_or_restore()

    def clear(self) -> None:
        self._keep_draft()
        self._generation += 1
        self._conn = self._uuid = self._loaded_for = None
        self._watch(None)
        self._clear_forms()
        self.say("")

    def set_shown(self, shown: bool) -> None:
        self._shown = shown
        if shown and self._conn is not None and self._loaded_for is None:
            self._load_or_restore()

    def unsaved_names(self) -> list[str]:
        """The domains whose forms hold unapplied changes (kept drafts and the one shown)."""
        drafts = [d.stored_root.findtext("name", "") for d in self.drafts.values()]
        return drafts + ([self.domain_name()] if self.is_modified() else [])

    async def confirm_discard(self, parent: QWidget) -> bool:
        return await confirm_discard(self, parent)

    def _keep_draft(self) -> None:
        keep_draft(self)

    def _load_or_restore(self) -> None:
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return
        draft = self.drafts.pop((conn, uuid), None)
        if draft is None:
            self.reload()
        else:
            self._loaded_for = (conn, uuid)
            restore_draft(self, draft)

    def reload(self, then_say: str = "") -> None:
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return
        self._generation += 1
        self._loaded_for = (conn, uuid)
        if not then_say:
            self.say(self.tr("Loading…"))
        self.spawn(self._load(self._generation, conn, uuid, then_say))

    def revert(self) -> None:
        if self.state is not None:
            self._build(self.state, self.items.currentRow())
        self.say("")

    def is_modified(self) -> bool:
        return any(form.is_dirty() for form in self.forms)

    def current(self, generation: int) -> bool:
        return shiboken6.isValid(self) and generation == self._generation

    @property
    def generation(self) -> int:
        return self._generation

    # -- loading ------------------------------------------------------------------

    async def _load(self, generation: int, conn: Connection, uuid: str, then_say: str) -> None:
        try:
            state: HardwareState = await conn.call(fetch_hardware, uuid)
        except Exception as exc:  # libvirtError; RuntimeError when the worker shut down
            if self.current(generation):
                self._loaded_for = None
                failure = classify(exc)
                self.say(f"{messages.failure_summary(failure)}\n{failure.message}")
            return
        if not self.current(generation):
            return
        self._build(state, self.items.currentRow())
        self.say(then_say)

    def _build(self, state: HardwareState, row: int) -> None:
        conn, uuid = self._conn, self._uuid
        assert conn is not None and uuid is not None
        self._clear_forms()
        self.state = state
        self.stored_root = ET.fromstring(state.stored)
        self.live_root = ET.fromstring(state.live) if state.live is not None else None
        ctx = FormContext(conn, uuid, state.offer, self.running, state.persistent)
        entries = forms_for(ctx, self.stored_root, state.autostart)
        for label, form in entries:
            form.load(self.stored_root, self.live_root)
            name_fields(form.form)  # for screen readers: each field says its label
            form.changed.connect(self._changed)
            self.forms.append(form)
            self.labels.append(label)
            self.items.addItem(label)
            self.stack.addWidget(scroll_page(form) if form.editable else form)
        self.relabel()
        self.update_scope()
        self.items.setCurrentRow(min(max(row, 0), self.items.count() - 1))
        self.update_buttons()

    def _clear_forms(self) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        self.items.blockSignals(False)
        while self.stack.count() > 1:
            widget = self.stack.widget(1)
            assert widget is not None
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.forms, self.labels = [], []
        self.state = self.stored_root = self.live_root = None
        self.stack.setCurrentWidget(self.empty)
        self.update_buttons()

    # -- following the domain ----------------------------------------------------

    def _watch(self, conn: Connection | None) -> None:
        if conn is self._watched:
            return
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.domainChanged.disconnect(self._domain_changed)
        self._watched = conn
        if conn is not None:
            conn.domainChanged.connect(self._domain_changed)

    def _domain_changed(self, record: DomainRecord) -> None:
        if record.uuid != self._uuid or self.state is None:
            return
        if record.state.is_active != self.running and not self.is_modified():
            self.reload()

    # -- the list and the forms -----------------------------------------------------

    def _select(self, row: int) -> None:
        if 0 <= row < len(self.forms):
            self.stack.setCurrentIndex(row + 1)
        self.update_buttons()

    def domain_name(self) -> str:
        return self.stored_root.findtext("name", "") if self.stored_root is not None else ""

    def selected_form(self) -> HardwareForm | None:
        row = self.items.currentRow()
        return self.forms[row] if 0 <= row < len(self.forms) else None

    def select_form(self, form: HardwareForm) -> None:
        self.items.setCurrentRow(self.forms.index(form))

    def dirty_forms(self) -> list[HardwareForm]:
        return [form for form in self.forms if form.is_dirty()]

    def _changed(self) -> None:
        self.relabel()
        self.update_scope()
        self.update_buttons()

    def relabel(self) -> None:
        for row, (label, form) in enumerate(zip(self.labels, self.forms, strict=True)):
            text = label
            if form.is_dirty():
                text = f"{label} *"
            if form.pending():
                text = self.tr("{0} (pending restart)").format(text)
                self.items.item(row).setToolTip(
                    self.tr("The running guest differs from its next boot: restart it to apply.")
                )
            self.items.item(row).setText(text)
            form.when.setText(self._when_text(form))

    def _when_text(self, form: HardwareForm) -> str:
        if not form.is_dirty():
            return ""
        if not self.running:
            return self.tr("Apply saves this change; it takes effect at the next start.")
        if self.live_root is not None and form.live_ops(self.live_root) is not None:
            return self.tr(
                "This change can be made now, on the running guest, and at the next boot."
            )
        return self.tr("This change takes effect at the next boot: the guest must be restarted.")

    def live_capable(self) -> bool:
        live = self.live_root
        return live is not None and all(f.live_ops(live) is not None for f in self.dirty_forms())

    def update_scope(self) -> None:
        state = self.state
        previous = self.scope.currentData()
        self.scope.clear()
        running = self.running and state is not None
        if running and self.dirty_forms():
            assert state is not None
            if self.live_capable():
                if state.persistent:
                    self.scope.addItem(self.tr("Now and at next boot"), Scope.BOTH)
                self.scope.addItem(self.tr("Now only (until it shuts down)"), Scope.LIVE)
            if state.persistent:
                self.scope.addItem(self.tr("At next boot only"), Scope.CONFIG)
        index = self.scope.findData(previous)
        if index >= 0:
            self.scope.setCurrentIndex(index)
        self.scope.setVisible(self.scope.count() > 0)
        self.scope_label.setVisible(self.scope.count() > 0)

    def chosen_scope(self) -> Scope | None:
        """Where Apply makes the change; None when it cannot be made at all."""
        if not self.running:
            return Scope.CONFIG
        data = self.scope.currentData()
        return data if isinstance(data, Scope) else None

    def update_command(self, *_args: object) -> None:
        """The equivalent command of Apply, shown while something is edited."""
        from kvmdesk.ui.domain.hardware.hardware_apply import preview_command

        dirty = bool(self.forms) and self.is_modified()
        self.command.setVisible(dirty)
        if dirty:
            self.command.set_command(
                preview_command(self), self.tr("No command while an entry is not valid.")
            )

    def update_buttons(self) -> None:
        self.update_command()
        dirty = bool(self.forms) and self.is_modified()
        self.apply_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.add_button.setEnabled(self.state is not None and not dirty)
        form = self.selected_form()
        self.remove_button.setEnabled(
            self.state is not None and not dirty and isinstance(form, REMOVABLE)
        )

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        for widget in (self.items, self.stack, self.apply_button, self.revert_button):
            widget.setEnabled(not busy)
        if not busy:
            self.update_buttons()

    def spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    # -- actions ----------------------------------------------------------------

    async def apply(self) -> None:
        from kvmdesk.ui.domain.hardware.hardware_apply import apply_forms

        await apply_forms(self)

    async def add_hardware(self) -> None:
        from kvmdesk.ui.domain.hardware.hardware_devices import add_hardware

        await add_hardware(self)

    async def remove_selected(self) -> None:
        from kvmdesk.ui.domain.hardware.hardware_devices import remove_device

        await remove_device(self)


__all__ = ["HardwarePage"]
