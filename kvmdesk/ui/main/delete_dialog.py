"""Confirm the deletion of a domain, say what goes with it, choose its storage.

Like virt-manager's delete dialog: only files that belong to this machine
alone are ticked by default; shared, read-only and removable media stay
unticked and say why; paths that are not storage volumes cannot be ticked.
Beyond that it says what the definition takes with it (a managed save,
snapshots, checkpoints, the UEFI variables, which can be kept), lists each
disk's backing files under it, and a file another machine needs is deleted
only after a second, explicit confirmation.

The words for each file are in ``delete_words``, the second question in
``delete_questions``.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.ui.common.widgets import (
    PaddedDelegate,
    let_shrink,
    padded_row_height,
    plain_label,
    scaled_font,
)
from kvmdesk.ui.main.delete_outcome import outcome_box, outcome_message, show_outcome
from kvmdesk.ui.main.delete_questions import accept_when_confirmed
from kvmdesk.ui.main.delete_words import extras_lines, keep_explanation, keep_note
from kvmdesk.virt.delete import DeletePlan, Keep, Role, StorageChoice
from kvmdesk.virt.shown import shown

__all__ = [
    "DeleteDialog",
    "keep_explanation",
    "keep_note",
    "outcome_box",
    "outcome_message",
    "show_outcome",
]

_CHECK, _TARGET, _SOURCE, _NOTE = range(4)


class _DiskList(QTreeWidget):
    """Tall enough for its rows (within reason), so the dialog opens compact."""

    MIN_ROWS = 3
    MAX_ROWS = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(PaddedDelegate(self))

    def _rows(self) -> int:
        count = 0
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            count += 1 + (item.childCount() if item is not None else 0)
        return count

    def sizeHint(self) -> QSize:
        rows = min(max(self._rows(), self.MIN_ROWS), self.MAX_ROWS)
        row = self.sizeHintForRow(0) if self.topLevelItemCount() else 0
        height = self.header().sizeHint().height() + rows * max(row, padded_row_height(self))
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())


class DeleteDialog(QDialog):
    """Ask before deleting ``plan``'s domain; ``selected_sources()`` says what storage goes."""

    def __init__(self, plan: DeletePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._items: list[tuple[QTreeWidgetItem, StorageChoice]] = []
        self._confirmed: list[str] = []
        self.second_confirmation: QMessageBox | None = None
        self.ask_before_files = False  # Preferences: ask again before deleting any file
        self.setWindowTitle(self.tr("Delete Virtual Machine"))
        self.setMinimumWidth(660)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.question = plain_label(
            self.tr("Delete virtual machine “{0}”?").format(shown(plan.name)), selectable=False
        )
        self.question.setFont(scaled_font(self.font(), 1.15))
        # A very long name wraps or is cut; it must not stretch the dialog off screen.
        let_shrink(self.question)
        self.question.setToolTip(messages.plain_tooltip(shown(plan.name)))
        # Names can look alike; the UUID says which machine it really is.
        self.identity = plain_label(self.tr("UUID: {0}").format(plan.uuid))

        self.running_warning = plain_label(
            self.tr("It is running and will be forced off first."), selectable=False
        )
        explanation = plain_label(
            self.tr(
                "Its definition is removed from the host. Storage files are deleted "
                "only if you select them below."
            ),
            selectable=False,
        )
        self.extras = plain_label("\n".join(extras_lines(plan.extras)))
        nvram = plan.extras.nvram
        self.nvram_box = QCheckBox(
            self.tr("Delete its UEFI variables (NVRAM): {0}").format(shown(nvram))
            if nvram
            else self.tr("Delete its UEFI variables (NVRAM)")
        )
        self.nvram_box.setChecked(True)
        self.nvram_box.setToolTip(
            messages.plain_tooltip(
                self.tr("Untick to keep the file: the machine's boot settings are kept in it.")
            )
        )

        heading = QVBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(self.question)
        heading.addWidget(self.identity)
        heading.addWidget(self.running_warning)
        heading.addWidget(explanation)
        heading.addWidget(self.extras)
        heading.addWidget(self.nvram_box)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(icon)
        top.addLayout(heading, 1)

        any_default = any(c.default_selected for c in plan.choices)
        self.storage_box = QCheckBox(self.tr("Delete associated storage files"))
        self.storage_box.setChecked(any_default)
        self.storage_box.setEnabled(any(c.deletable for c in plan.choices))

        self.disks = _DiskList()
        self.disks.setAccessibleName(self.tr("Storage to delete"))
        self.disks.setUniformRowHeights(True)
        self.disks.setAllColumnsShowFocus(True)
        self.disks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.disks.setHeaderLabels(
            [self.tr("Delete"), self.tr("Target"), self.tr("Source path"), self.tr("Note")]
        )
        self.disks.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        parents: dict[str, QTreeWidgetItem] = {}
        for choice in plan.choices:
            item = self._add_choice(
                choice, parents.get(choice.target) if choice.role is Role.BACKING else None
            )
            if choice.role is Role.DISK and choice.target:
                parents.setdefault(choice.target, item)
        self.disks.setRootIsDecorated(any(c.role is Role.BACKING for c in plan.choices))
        self.disks.expandAll()
        header = self.disks.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(_CHECK, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_TARGET, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_SOURCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_NOTE, QHeaderView.ResizeMode.ResizeToContents)

        self.no_disks = plain_label(self.tr("This virtual machine has no disks."), selectable=False)
        self.risk_warning = plain_label(
            self.tr(
                "Some selected files may be needed by other virtual machines "
                "or are installation media."
            ),
            selectable=False,
        )

        self.buttons = QDialogButtonBox()
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setAutoDefault(False)
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.delete_button.clicked.connect(self._delete_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addSpacing(4)
        layout.addWidget(self.storage_box)
        layout.addWidget(self.disks, 1)
        layout.addWidget(self.no_disks)
        layout.addWidget(self.risk_warning)
        layout.addWidget(self.buttons)
        # Only now that they have a parent: showing a parentless widget opens a window.
        self.running_warning.setVisible(plan.active)
        self.extras.setVisible(bool(self.extras.text()))
        self.nvram_box.setVisible(plan.extras.has_nvram)
        self.disks.setVisible(bool(plan.choices))
        self.no_disks.setVisible(not plan.choices)
        self.risk_warning.setVisible(False)

        self.storage_box.toggled.connect(self._storage_toggled)
        self.disks.itemChanged.connect(self._item_changed)
        self._storage_toggled(self.storage_box.isChecked())
        self.cancel_button.setFocus()

    def _add_choice(self, choice: StorageChoice, parent: QTreeWidgetItem | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        flags = Qt.ItemFlag.ItemNeverHasChildren if parent is not None else Qt.ItemFlag.NoItemFlags
        if choice.deletable:
            flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags)
        checked = choice.default_selected and self.storage_box.isChecked()
        item.setCheckState(_CHECK, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setText(_TARGET, choice.target if choice.role is Role.DISK else "")
        item.setText(_SOURCE, shown(choice.path))
        if choice.path:
            item.setToolTip(_SOURCE, messages.plain_tooltip(shown(choice.path)))
        item.setText(_NOTE, keep_note(choice))
        item.setToolTip(_NOTE, messages.plain_tooltip(keep_explanation(choice)))
        if parent is not None:
            parent.addChild(item)
        else:
            self.disks.addTopLevelItem(item)
        self._items.append((item, choice))
        return item

    def _storage_toggled(self, on: bool) -> None:
        self.disks.setEnabled(on)
        self._update_risk()

    def _item_changed(self, _item: QTreeWidgetItem, column: int) -> None:
        if column == _CHECK:
            self._update_risk()

    def _update_risk(self) -> None:
        risky = self.storage_box.isChecked() and any(
            not choice.default_selected and item.checkState(_CHECK) == Qt.CheckState.Checked
            for item, choice in self._items
        )
        self.risk_warning.setVisible(risky)

    def _chosen(self) -> list[StorageChoice]:
        if not self.storage_box.isChecked():
            return []
        chosen: list[StorageChoice] = []
        for item, choice in self._items:
            if (
                choice.deletable
                and item.checkState(_CHECK) == Qt.CheckState.Checked
                and choice not in chosen
            ):
                chosen.append(choice)
        return chosen

    def selected_sources(self) -> list[str]:
        """Paths of the ticked deletable files; empty when storage is not to be deleted."""
        return [choice.path for choice in self._chosen()]

    def confirmed_shared(self) -> list[str]:
        """Paths other machines need that the user confirmed a second time."""
        return list(self._confirmed)

    def keep_nvram(self) -> bool:
        return self.plan.extras.has_nvram and not self.nvram_box.isChecked()

    # -- the second confirmation ------------------------------------------

    def shared_chosen(self) -> list[StorageChoice]:
        """Ticked files other machines need: they need a second confirmation."""
        return [c for c in self._chosen() if c.keep is Keep.SHARED]

    def confirm_shared(self, paths: list[str]) -> None:
        """The user confirmed deleting ``paths`` although other machines need them."""
        self._confirmed = list(paths)

    def _delete_clicked(self) -> None:
        shared = self.shared_chosen()
        self.second_confirmation = accept_when_confirmed(
            self,
            shared,
            self.selected_sources() if self.ask_before_files else [],
            lambda: self.confirm_shared([c.path for c in shared]),
        )
        if self.second_confirmation is not None:
            self.second_confirmation.finished.connect(self._question_answered)

    def _question_answered(self, _result: int) -> None:
        self.second_confirmation = None
