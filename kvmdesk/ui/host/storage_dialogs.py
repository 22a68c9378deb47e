"""Parts of the Storage tab: its dialogs (a new volume, resize a volume; adding
a pool is ``pool_dialog``), its tables, the usage bar and its message boxes.

Input is checked with the functions of ``virt.storage`` and every refusal
is worded here (``input_message``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.command_view import command_row
from kvmdesk.ui.common.widgets import CheckedDialog, PaddedDelegate, plain_label
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage import (
    GIB,
    InvalidStorageInput,
    PoolRecord,
    size_bytes,
    validate_name,
)


def gib_text(size: int) -> str:
    return tr("{0} GiB").format(f"{size / GIB:,.1f}")


def input_message(error: InvalidStorageInput) -> str:
    """A refused input for a pool or a volume, as a sentence."""
    templates = {
        ("name", "empty"): tr("Enter a name."),
        ("name", "slash"): tr("A name cannot contain “/”."),
        ("name", "dash"): tr("A name cannot start with “-”."),
        ("name", "control"): tr("A name cannot contain line breaks."),
        ("name", "taken"): tr("The name {0} is already taken."),
        ("path", "relative"): tr("Enter an absolute path, starting with “/”."),
        ("path", "dotdot"): tr("The path cannot contain “..”."),
        ("path", "control"): tr("The path cannot contain line breaks."),
        ("size", "invalid"): tr("The size {0} is not a number."),
        ("size", "zero"): tr("The size must be larger than zero."),
        ("size", "space"): tr("The pool has only {0} free."),
        ("size", "shrink"): tr(
            "The volume is {0}: it can only grow. Shrinking would destroy data."
        ),
        ("format", "invalid"): tr("Unknown volume format {0}."),
        ("host", "empty"): tr("Enter the host that serves the storage."),
        ("host", "invalid"): tr("{0} is not a host name."),
        ("device", "empty"): tr("Enter the device, or the target's IQN."),
        ("device", "invalid"): tr("{0} is not an iSCSI target name (IQN)."),
        ("source_name", "empty"): tr("Enter the name of the volume group, pool or volume."),
        ("source_name", "invalid"): tr("{0} cannot be the name of a source: no spaces."),
        ("adapter", "empty"): tr("Enter the SCSI host adapter, for example host0."),
        ("adapter", "invalid"): tr("{0} is not a SCSI host adapter name."),
        ("type", "invalid"): tr("This host does not offer pools of type {0}."),
    }
    detail = error.detail
    if error.reason in ("space", "shrink") and detail.isdigit():
        detail = gib_text(int(detail))
    template = templates.get((error.field, error.reason), tr("The input is not valid: {0}"))
    return template.format(detail or str(error))


class _CheckedDialog(CheckedDialog):
    """A storage form: ``check`` raises InvalidStorageInput for bad input."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(title, parent)
        self.check: Callable[[], None] = lambda: None

    def problem(self) -> str:
        try:
            self.check()
        except InvalidStorageInput as exc:
            return input_message(exc)
        return ""


def _size_box(value: float, maximum: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(1)
    box.setRange(0.0, max(maximum, 1.0))
    box.setSuffix(tr(" GiB"))
    box.setValue(value)
    return box


class NewVolumeDialog(_CheckedDialog):
    def __init__(
        self,
        existing: list[str],
        available: int,
        parent: QWidget | None = None,
        uri: str = "",
        pool: str = "",
    ) -> None:
        super().__init__(tr("New Volume"), parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("for example: disk1.qcow2"))
        self.size_box = _size_box(min(20.0, available / GIB), available / GIB)
        self.format = QComboBox()
        self.format.addItem(tr("qcow2 (grows as used, snapshots)"), "qcow2")
        self.format.addItem(tr("raw (plain image)"), "raw")
        self.form.addRow(tr("Name:"), self.name)
        self.form.addRow(tr("Size:"), self.size_box)
        self.form.addRow(tr("Format:"), self.format)
        self.form.addRow(
            plain_label(tr("Free in the pool: {0}").format(gib_text(available)), selectable=False)
        )

        def check() -> None:
            validate_name(self.name.text(), existing)
            if size_bytes(self.size_box.value()) > available:
                raise InvalidStorageInput("size", "space", str(available))

        self.check = check

        def command() -> Command | None:
            try:
                check()
            except InvalidStorageInput:
                return None
            name, size, fmt = self.values()
            return virsh_commands.vol_create_as(uri, pool, name, size_bytes(size), fmt)

        if uri:
            self.command_view = command_row(
                self.form,
                command,
                self.name.textChanged,
                self.size_box.valueChanged,
                self.format.currentIndexChanged,
            )

    def values(self) -> tuple[str, float, str]:
        return self.name.text(), self.size_box.value(), str(self.format.currentData())


class ResizeVolumeDialog(_CheckedDialog):
    def __init__(self, name: str, capacity: int, parent: QWidget | None = None) -> None:
        super().__init__(tr("Resize Volume"), parent)
        self.size_box = _size_box(capacity / GIB, 1024 * 1024)
        self.form.addRow(plain_label(tr("Volume: {0}").format(shown(name)), selectable=False))
        self.form.addRow(tr("Current size:"), plain_label(gib_text(capacity), selectable=False))
        self.form.addRow(tr("New size:"), self.size_box)

        def check() -> None:
            if size_bytes(self.size_box.value()) < capacity:
                raise InvalidStorageInput("size", "shrink", str(capacity))

        self.check = check

    def value(self) -> float:
        return self.size_box.value()


# ---------------------------------------------------------------- tables

USAGE = 3  # the pools' column drawn as a bar
FRACTION = Qt.ItemDataRole.UserRole + 1


def pool_texts(record: PoolRecord) -> list[str]:
    usage = ""
    if record.capacity:
        usage = tr("{0} used of {1}, {2} free").format(
            gib_text(record.allocation), gib_text(record.capacity), gib_text(record.available)
        )
    return [
        record.name,
        tr("Active") if record.active else tr("Inactive"),
        tr("Yes") if record.autostart else tr("No"),
        usage,
        record.pool_type,
        record.path,
    ]


class UsageDelegate(PaddedDelegate):
    """The usage column: a bar in the palette's colours, then its text."""

    BAR = 90  # pixels

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        fraction = index.data(FRACTION)
        if index.column() != USAGE or not isinstance(fraction, float):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        palette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        cell: QRect = opt.rect
        height = min(cell.height() - 8, opt.fontMetrics.height())
        bar = QRect(cell.left() + 6, cell.top() + (cell.height() - height) // 2, self.BAR, height)
        painter.save()
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRect(bar.adjusted(0, 0, -1, -1))
        filled = bar.adjusted(1, 1, -1, -1)
        filled.setWidth(round(filled.width() * max(0.0, min(1.0, fraction))))
        painter.fillRect(filled, palette.color(QPalette.ColorRole.Highlight))
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        text_rect = cell.adjusted(self.BAR + 14, 0, -4, 0)
        elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() == USAGE:
            size.setWidth(size.width() + self.BAR + 14)
        return size
