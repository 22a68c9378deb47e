"""Confirm the deletion of a domain and choose which storage goes with it.

Like virt-manager's delete dialog: only disks that belong to this machine
alone are ticked by default; shared, read-only and removable media stay
unticked and say why; paths that are not storage volumes cannot be ticked.
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
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import present, widen_text
from kvmdesk.ui.common.widgets import (
    PaddedDelegate,
    let_shrink,
    padded_row_height,
    plain_label,
    scaled_font,
)
from kvmdesk.virt.delete import DeleteOutcome, DeletePlan, Keep, StorageChoice

_CHECK, _TARGET, _SOURCE, _NOTE = range(4)


def keep_note(choice: StorageChoice) -> str:
    """Short words for the Note column: why the disk is not ticked."""
    keep = choice.keep
    if keep is Keep.SHARED:
        return tr("Shared with {0}").format(", ".join(choice.shared_with))
    if keep is Keep.READONLY:
        return tr("Read-only")
    if keep is Keep.SHAREABLE:
        return tr("Shareable")
    if keep is Keep.CDROM:
        if choice.disk.device == "floppy":
            return tr("Floppy (removable media)")
        return tr("CD-ROM (removable media)")
    if keep is Keep.NOT_A_VOLUME:
        return tr("Not a storage volume (cannot be deleted here)")
    if keep is Keep.EMPTY:
        return tr("Empty drive")
    return ""


def keep_explanation(choice: StorageChoice) -> str:
    """A longer sentence for the Note column's tooltip."""
    keep = choice.keep
    if keep is Keep.SHARED:
        return tr(
            "Other virtual machines use this disk too ({0}). Deleting it breaks them."
        ).format(", ".join(choice.shared_with))
    if keep is Keep.READONLY:
        return tr("The disk is read-only; it is often a base image other machines need.")
    if keep is Keep.SHAREABLE:
        return tr("The disk is marked shareable: other machines may use it.")
    if keep is Keep.CDROM:
        return tr("Installation media and ISO images are usually kept.")
    if keep is Keep.NOT_A_VOLUME:
        return tr(
            "No storage pool of this host manages this path, so kvmdesk cannot delete it. "
            "Remove the file by other means if it is no longer needed."
        )
    if keep is Keep.EMPTY:
        return tr("No medium is inserted in this drive.")
    return tr("Only this virtual machine uses this disk.")


class _DiskList(QTreeWidget):
    """Tall enough for its rows (within reason), so the dialog opens compact."""

    MIN_ROWS = 3
    MAX_ROWS = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(PaddedDelegate(self))

    def sizeHint(self) -> QSize:
        rows = min(max(self.topLevelItemCount(), self.MIN_ROWS), self.MAX_ROWS)
        row = self.sizeHintForRow(0) if self.topLevelItemCount() else 0
        height = self.header().sizeHint().height() + rows * max(row, padded_row_height(self))
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())


class DeleteDialog(QDialog):
    """Ask before deleting ``plan``'s domain; ``selected_sources()`` says what storage goes."""

    def __init__(self, plan: DeletePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._items: list[tuple[QTreeWidgetItem, StorageChoice]] = []
        self.setWindowTitle(self.tr("Delete Virtual Machine"))
        self.setMinimumWidth(620)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.question = plain_label(
            self.tr("Delete virtual machine “{0}”?").format(plan.name), selectable=False
        )
        self.question.setFont(scaled_font(self.font(), 1.15))
        # A very long name wraps or is cut; it must not stretch the dialog off screen.
        let_shrink(self.question)
        self.question.setToolTip(messages.plain_tooltip(plan.name))

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

        heading = QVBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(self.question)
        heading.addWidget(self.running_warning)
        heading.addWidget(explanation)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(icon)
        top.addLayout(heading, 1)

        any_default = any(c.default_selected for c in plan.choices)
        self.storage_box = QCheckBox(self.tr("Delete associated storage files"))
        self.storage_box.setChecked(any_default)
        self.storage_box.setEnabled(any(c.deletable for c in plan.choices))

        self.disks = _DiskList()
        self.disks.setRootIsDecorated(False)
        self.disks.setUniformRowHeights(True)
        self.disks.setAllColumnsShowFocus(True)
        self.disks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.disks.setHeaderLabels(
            [self.tr("Delete"), self.tr("Target"), self.tr("Source path"), self.tr("Note")]
        )
        self.disks.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for choice in plan.choices:
            self._add_choice(choice)
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
        self.delete_button.clicked.connect(self.accept)
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
        self.disks.setVisible(bool(plan.choices))
        self.no_disks.setVisible(not plan.choices)
        self.risk_warning.setVisible(False)

        self.storage_box.toggled.connect(self._storage_toggled)
        self.disks.itemChanged.connect(self._item_changed)
        self._storage_toggled(self.storage_box.isChecked())
        self.cancel_button.setFocus()

    def _add_choice(self, choice: StorageChoice) -> None:
        disk = choice.disk
        item = QTreeWidgetItem()
        flags = Qt.ItemFlag.ItemNeverHasChildren
        if choice.deletable:
            flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags)
        checked = choice.default_selected and self.storage_box.isChecked()
        item.setCheckState(_CHECK, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setText(_TARGET, disk.target)
        item.setText(_SOURCE, disk.source)
        if disk.source:
            item.setToolTip(_SOURCE, messages.plain_tooltip(disk.source))
        item.setText(_NOTE, keep_note(choice))
        item.setToolTip(_NOTE, messages.plain_tooltip(keep_explanation(choice)))
        self.disks.addTopLevelItem(item)
        self._items.append((item, choice))

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

    def selected_sources(self) -> list[str]:
        """Sources of the ticked deletable disks; empty when storage is not to be deleted."""
        if not self.storage_box.isChecked():
            return []
        sources: list[str] = []
        for item, choice in self._items:
            if (
                choice.deletable
                and item.checkState(_CHECK) == Qt.CheckState.Checked
                and choice.disk.source not in sources
            ):
                sources.append(choice.disk.source)
        return sources


def outcome_message(outcome: DeleteOutcome) -> tuple[str, str]:
    """(summary, details) saying exactly what the deletion did and did not do."""
    name = outcome.name
    if not outcome.undefined:
        summary = tr("Virtual machine “{0}” was not deleted.").format(name)
    elif not outcome.failed:
        summary = tr("Virtual machine “{0}” was deleted.").format(name)
    elif len(outcome.failed) == 1:
        summary = tr(
            "Virtual machine “{0}” was deleted, but one storage file could not be deleted."
        ).format(name)
    else:
        summary = tr(
            "Virtual machine “{0}” was deleted, but {1} storage files could not be deleted."
        ).format(name, len(outcome.failed))

    lines: list[str] = []
    if outcome.forced_off:
        lines.append(tr("It was forced off."))
    if outcome.undefined:
        lines.append(tr("Its definition was removed from the host."))
    else:
        lines.append(tr("Removing its definition failed: {0}").format(outcome.undefine_error))
        lines.append(tr("No storage was deleted."))
    for source in outcome.deleted:
        lines.append(tr("Deleted: {0}").format(source))
    for source, reason in outcome.failed:
        lines.append(tr("Not deleted: {0} ({1})").format(source, reason))
    if outcome.undefined and not outcome.deleted and not outcome.failed:
        lines.append(tr("No storage files were deleted."))
    if outcome.backup is not None:
        lines.append(tr("A copy of its definition was saved to {0}").format(outcome.backup))
    return summary, "\n".join(lines)


def outcome_box(parent: QWidget | None, outcome: DeleteOutcome) -> QMessageBox:
    """The report of a deletion as a message box; not shown yet."""
    summary, details = outcome_message(outcome)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information if outcome.complete else QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Delete Virtual Machine"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(summary)
    box.setInformativeText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    widen_text(box, 520)
    return box


def show_outcome(parent: QWidget | None, outcome: DeleteOutcome) -> None:
    """Tell the user what the deletion did, as information or, if incomplete, a warning."""
    present(outcome_box(parent, outcome))
