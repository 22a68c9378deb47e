"""Words over the tree when the search hides every row.

An empty tree reads as "no machines" or "still loading"; this says that
the search is what hides them and how to see them again. It is checked a
short while after the marks, rows or search change (a few top-level rows
are looked at, never the machines), and only once the rows are all marked.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QTreeView

from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.tree import DomainTreeModel
from kvmdesk.ui.main.row_hider import RowHider

CHECK_AFTER_MS = 150  # changes close together are looked at once


class NoMatchNotice(QLabel):
    def __init__(self, tree: QTreeView, hider: RowHider) -> None:
        super().__init__(tree.viewport())
        self.tree, self.hider = tree, hider
        self.setText(
            self.tr("No machine matches the search.")
            + "\n"
            + self.tr("Clear the search box to see every machine.")
        )
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_AFTER_MS)
        self._timer.timeout.connect(self.check)
        tree.viewport().installEventFilter(self)

    def watch(self, model: DomainTreeModel | GroupsModel) -> None:
        for signal in (model.matchesChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.check_soon)
        model.modelReset.connect(self.check_soon)

    def check_soon(self, *_args: object) -> None:
        if self.hider.searching or not self.isHidden():
            self._timer.start()

    def check(self) -> None:
        model = self.tree.model()
        slicer = getattr(model, "slicer", None)
        if slicer is not None and slicer.busy:  # marks still coming
            self._timer.start()
            return
        self.setVisible(self.hider.searching and _all_hidden(self.tree, model))
        if not self.isHidden():
            self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self.isHidden():
            self._place()
        return False

    def _place(self) -> None:
        area = self.tree.viewport().rect().adjusted(16, 16, -16, -16)
        self.setGeometry(area.x(), area.y(), area.width(), min(area.height(), 80))


def _all_hidden(tree: QTreeView, model: QAbstractItemModel) -> bool:
    """There are rows, and the search hides every top-level one."""
    root = QModelIndex()
    rows = model.rowCount(root)
    return rows > 0 and all(tree.isRowHidden(row, root) for row in range(rows))
