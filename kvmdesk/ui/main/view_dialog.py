"""Save View: the search, grouping and columns shown now, under a name.

The fields start from what the window shows; each can be changed before
saving.  A name that cannot be stored or a search that cannot be read is
refused in the dialog, with the reason (and, for the search, where).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.search import SearchError, parse
from kvmdesk.core.tree_layout import BadName, GroupBy, SavedView, TreeLayout, check_name
from kvmdesk.core.tree_layout import group_by_label as label_of


class ViewDialog(QDialog):
    def __init__(
        self, layout: TreeLayout, current: SavedView, columns: list[str], parent: QWidget
    ) -> None:
        """``columns``: the titles of the tree's columns, the name column first."""
        super().__init__(parent)
        self._layout = layout
        self.setWindowTitle(self.tr("Save View"))
        self.name_field = QLineEdit(current.name, self)
        self.name_field.setPlaceholderText(self.tr("e.g. Running web servers"))
        self.query_field = QLineEdit(current.query, self)
        self.query_field.setPlaceholderText(self.tr("Everything (no search)"))
        self.group_combo = QComboBox(self)
        for group_by in GroupBy:
            self.group_combo.addItem(label_of(group_by), group_by.value)
        self.group_combo.setCurrentIndex(list(GroupBy).index(current.group_by))
        self.column_boxes: dict[int, QCheckBox] = {}
        boxes = QHBoxLayout()
        for column, title in enumerate(columns):
            if column == 0:
                continue  # the name column is always shown
            box = QCheckBox(title, self)
            box.setChecked(column not in current.hidden_columns)
            self.column_boxes[column] = box
            boxes.addWidget(box)
        boxes.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_field)
        form.addRow(self.tr("&Search:"), self.query_field)
        form.addRow(self.tr("&Group by:"), self.group_combo)
        form.addRow(self.tr("Columns:"), boxes)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        body = QVBoxLayout(self)
        body.addLayout(form)
        body.addWidget(self.note)
        body.addWidget(self.problem)
        body.addWidget(buttons)
        self._names = {v.name for v in layout.views()}
        self.name_field.textChanged.connect(self._name_changed)
        self._name_changed(self.name_field.text())
        self.saved: SavedView | None = None
        self.setMinimumWidth(460)

    def _name_changed(self, text: str) -> None:
        replaces = text.strip() in self._names
        self.note.setText(self.tr("A view of this name is replaced.") if replaces else "")
        self.note.setVisible(replaces)

    def view(self) -> SavedView:
        hidden = tuple(c for c, box in self.column_boxes.items() if not box.isChecked())
        group_by = GroupBy(self.group_combo.currentData())
        return SavedView(self.name_field.text(), self.query_field.text(), group_by, hidden)

    def _refuse(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def accept(self) -> None:
        view = self.view()
        try:
            check_name(view.name)
        except BadName as exc:
            self._refuse(str(exc))
            self.name_field.setFocus()
            return
        try:
            parse(view.query)
        except SearchError as exc:
            self._refuse(self.tr("The search cannot be read: {0}").format(exc))
            self.query_field.setFocus()
            if exc.position <= len(view.query):
                self.query_field.setCursorPosition(exc.position)
            return
        try:
            self._layout.save_view(view)
        except BadName as exc:
            self._refuse(str(exc))
            return
        self.saved = view
        super().accept()
