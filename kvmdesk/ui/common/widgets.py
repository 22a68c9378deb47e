"""Plain-text building blocks for pages and dialogs.

Labels here show host-supplied text literally (never as markup); sections
are a bold heading over "Label: value" rows or over a read-only table.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.virt.shown import shown

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse

# -- labels ---------------------------------------------------------------------


def scaled_font(base: QFont, factor: float, bold: bool = True) -> QFont:
    font = QFont(base)
    font.setBold(bold)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    return font


def plain_label(text: str = "", *, selectable: bool = True, wrap: bool = True) -> QLabel:
    """A label that shows ``text`` literally (never as markup)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(_SELECTABLE)
    label.setText(text)
    return label


def let_shrink(label: QLabel) -> QLabel:
    """Let a wrapping label be narrower than its longest word: long host-supplied
    text is cut at the edge (its tooltip has it all) instead of widening the page."""
    policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(label.wordWrap())
    label.setSizePolicy(policy)
    return label


def dim(label: QLabel) -> QLabel:
    """Grey the label's text, for notes and libvirt's own words."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


# -- rows -----------------------------------------------------------------------


def padded_row_height(widget: QWidget) -> int:
    return widget.fontMetrics().height() + 8


class PaddedDelegate(QStyledItemDelegate):
    """Rows with some air above and below the text."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))


class FitTree(QTreeWidget):
    """A read-only list as tall as its rows: the page around it scrolls, not the list."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setItemsExpandable(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setItemDelegate(PaddedDelegate(self))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Narrower than its columns (a small window): it scrolls sideways
        # instead of cutting headers and cells.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._stretch: int | None = None
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_rows(self, rows: list[list[str]], stretch: int) -> None:
        """Rows of text from the host: each cell is shown with ``virt.shown``."""
        self.clear()
        for row in rows:
            values = [shown(text) for text in row]
            item = QTreeWidgetItem(values)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren)
            for column, text in enumerate(values):
                if text:
                    item.setToolTip(column, messages.plain_tooltip(text))
            self.addTopLevelItem(item)
        self._stretch = stretch
        self._fit_columns()
        self.updateGeometry()

    def _fit_columns(self) -> None:
        """Stretch the ``stretch`` column while everything fits, else let it scroll."""
        if self._stretch is None:
            return
        header = self.header()
        wanted = sum(
            max(self.sizeHintForColumn(c), header.sectionSizeFromContents(c).width())
            for c in range(self.columnCount())
            if not header.isSectionHidden(c)
        )
        fits = wanted <= self.viewport().width()
        mode = QHeaderView.ResizeMode.Stretch if fits else QHeaderView.ResizeMode.ResizeToContents
        if header.sectionResizeMode(self._stretch) != mode:
            header.setSectionResizeMode(self._stretch, mode)
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _height(self) -> int:
        rows = self.topLevelItemCount()
        row = max(self.sizeHintForRow(0), padded_row_height(self)) if rows else 0
        header = 0 if self.isHeaderHidden() else self.header().sizeHint().height()
        bar = self.horizontalScrollBar()
        scroll = bar.sizeHint().height() if bar.maximum() > 0 else 0
        return header + rows * row + scroll + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height())


# -- sections -------------------------------------------------------------------


class Section(QWidget):
    """A bold heading over a form of "Label: value" rows."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[QLabel] = []
        self.heading = plain_label(title, selectable=False)
        self.heading.setFont(scaled_font(self.font(), 1.1))
        self.form = QFormLayout()
        self.form.setContentsMargins(12, 0, 0, 0)
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(6)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)

    def add_row(self, title: str) -> QLabel:
        name = plain_label(title, selectable=False, wrap=False)
        value = plain_label()
        let_shrink(value)
        self.form.addRow(name, value)
        self.names.append(name)
        return value

    def add_widget(self, widget: QWidget) -> None:
        self.form.addRow(widget)

    def set_row(self, value: QLabel, text: str, *, hide_empty: bool = False) -> None:
        """Set a value; a name or text from the host comes through ``virt.shown``."""
        value.setText(text)
        self.form.setRowVisible(value, bool(text) or not hide_empty)


class TableSection(Section):
    """A bold heading over a table, or over a grey line when there are no rows."""

    def __init__(
        self, title: str, headers: list[str], empty: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self.table = FitTree(headers)
        self.table.setAccessibleName(title)
        self.empty = dim(plain_label(empty, selectable=False))
        self.add_widget(self.table)
        self.add_widget(self.empty)

    def set_rows(self, rows: list[list[str]], stretch: int) -> None:
        self.table.set_rows(rows, stretch)
        self.form.setRowVisible(self.table, bool(rows))
        self.form.setRowVisible(self.empty, not rows)


# -- pages ----------------------------------------------------------------------


def fill_page(page: QWidget, head: QWidget | QLayout, parts: Sequence[QWidget]) -> None:
    """Lay out a page: ``head``, then ``parts`` one under the other, their
    sections' label columns one width so that the values line up."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(18, 16, 18, 18)
    layout.setSpacing(18)
    if isinstance(head, QLayout):
        layout.addLayout(head)
    else:
        layout.addWidget(head)
    for part in parts:
        layout.addWidget(part)
    layout.addStretch(1)
    names = [name for part in parts if isinstance(part, Section) for name in part.names]
    width = max((name.sizeHint().width() for name in names), default=0)
    for name in names:
        name.setMinimumWidth(width)


class _FocusFollowingArea(QScrollArea):
    """A scroll area that scrolls to whichever of its widgets takes the focus,
    however it got there (Tab, a click, a shortcut, ``setFocus``)."""

    def __init__(self) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new)


def scroll_page(content: QWidget) -> QScrollArea:
    area = _FocusFollowingArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


class CheckedDialog(QDialog):
    """A form whose OK refuses input that ``problem`` finds wrong, saying why.

    Subclasses add rows to ``self.form`` and return the reason (plain text)
    from ``problem``, or an empty string when the input is good.
    """

    def __init__(self, title: str, parent: QWidget | None, width: int = 420) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = plain_label(selectable=False)
        self.error.setFont(scaled_font(self.font(), 1.0))
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(width)

    def problem(self) -> str:
        return ""

    def accept(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if not problem:
            super().accept()


# -- read-only lists ------------------------------------------------------------


def make_table(headers: list[str]) -> QTreeWidget:
    """A flat read-only table, one row selectable at a time; the last column stretches."""
    table = QTreeWidget()
    table.setHeaderLabels(headers)
    table.setRootIsDecorated(False)
    table.setUniformRowHeights(True)
    table.setAlternatingRowColors(True)
    table.setAllColumnsShowFocus(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setItemDelegate(PaddedDelegate(table))
    table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.header().setStretchLastSection(True)
    return table


def plain_item(texts: list[str]) -> QTreeWidgetItem:
    """A read-only row; every cell's text is also its (plain) tooltip.

    The texts come from the host: each is shown with ``virt.shown``.
    """
    texts = [shown(text) for text in texts]
    item = QTreeWidgetItem(texts)
    item.setFlags(
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
    )
    for column, text in enumerate(texts):
        if text:
            item.setToolTip(column, messages.plain_tooltip(text))
    return item


def fit_columns(table: QTreeWidget) -> None:
    """Every column but the last (it stretches) as wide as its contents, plus a margin."""
    for column in range(table.columnCount() - 1):
        table.resizeColumnToContents(column)
        table.setColumnWidth(column, table.columnWidth(column) + 20)


def fill_table(table: QTreeWidget, rows: list[tuple[str, list[str]]]) -> None:
    """Replace the rows of ``table``: (key, cell texts) each, the key found by ``select_key``."""
    table.clear()
    for key, texts in rows:
        item = plain_item(texts)
        item.setData(0, Qt.ItemDataRole.UserRole, key)
        table.addTopLevelItem(item)
    fit_columns(table)


def select_key(table: QTreeWidget, key: str) -> None:
    for index in range(table.topLevelItemCount()):
        item = table.topLevelItem(index)
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == key:
            table.setCurrentItem(item)
            return


def selected_key(table: QTreeWidget) -> str | None:
    items = table.selectedItems()
    return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None
