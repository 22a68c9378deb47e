"""Rows that land below the last row the tree shows repaint nothing.

A first listing of 10,000 machines appends its rows in order, a slice per
loop turn, and after each append Qt lays the tree out and repaints every
row it shows (5-6 ms at 10,000 rows), although once the view is full the
new rows go below the last one shown and the picture stays the same (the
scroll bar, a widget of its own, still follows).  While that is so, the
rows' viewport holds its paint: until the appending job is done, or
``HOLD_MS`` went by, or anything else changes in the model or the user
moves, clicks, scrolls or types.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QEvent, QObject, QPersistentModelIndex, QPoint, QTimer
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QTreeView

from kvmdesk.models.tree import DomainTreeModel

HOLD_MS = 250  # the longest the rows go unpainted while rows land below them
_RELEASING = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.KeyPress,
    QEvent.Type.Resize,
    QEvent.Type.Leave,
    QEvent.Type.HoverMove,
}


class BelowView(QObject):
    """Holds the tree's paint while a model appends rows below the view."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        self.held = False
        self._bottom = QPersistentModelIndex()  # the last row shown, as last painted
        self._own_change = False  # the next layout change is the append's own
        tree.viewport().installEventFilter(self)
        tree.installEventFilter(self)
        tree.verticalScrollBar().valueChanged.connect(self.release)
        tree.horizontalScrollBar().valueChanged.connect(self.release)

    def watch(self, model: DomainTreeModel) -> None:
        model.rowsAppending.connect(lambda item: self._appending(model, item))
        # Anything else that changes rows may change what is shown.
        model.layoutChanged.connect(self._changed)
        model.rowsInserted.connect(self._changed)
        model.rowsRemoved.connect(self.release)
        model.dataChanged.connect(self.release)
        model.modelReset.connect(self.release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and watched is self.tree.viewport():
            # Laid out by now (the view does that before it paints): no extra layout.
            viewport = self.tree.viewport()
            self._bottom = QPersistentModelIndex(
                self.tree.indexAt(QPoint(0, viewport.height() - 1))
            )
        elif kind in _RELEASING:
            self.release()
        return False

    def _appending(self, model: DomainTreeModel, item: QStandardItem) -> None:
        self._own_change = True
        if self.held or model is not self.tree.model():
            return
        viewport = self.tree.viewport()
        bottom = self._bottom
        if not (viewport.isVisible() and viewport.updatesEnabled() and bottom.isValid()):
            return  # not shown, held by someone else, or not full: the rows show
        if bottom.model() is not model or bottom.parent() != item.index():
            return  # rows after the parent's may be in view
        self.held = True
        viewport.setUpdatesEnabled(False)

        def after_the_job() -> Iterator[int]:
            self.release()
            yield 1

        model.slicer.add(after_the_job())  # after the appending job queued before it
        QTimer.singleShot(HOLD_MS, self, self.release)

    def _changed(self) -> None:
        if self._own_change:
            self._own_change = False
        else:
            self.release()

    def release(self) -> None:
        if self.held:
            self.held = False
            self.tree.viewport().setUpdatesEnabled(True)
