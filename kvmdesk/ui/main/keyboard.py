"""Keyboard use of the main window beyond the menus' shortcuts.

* Esc in the filter box, or in the list while a filter is set, clears the
  filter (and leaves the focus in the list).
* The Menu key and Shift+F10 open the list's context menu for the current
  row, where the row is, not where the mouse happens to be.
* Double-clicking a connection connects it (or shows its details) without
  also collapsing or expanding its row; the arrow and the keyboard do that.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTreeView


def is_menu_key(event: QKeyEvent) -> bool:
    key, mods = event.key(), event.modifiers()
    return key == Qt.Key.Key_Menu or (
        key == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier
    )


class ListKeys(QObject):
    """Event filter on the list and the filter box (see the module's docstring)."""

    def __init__(
        self, tree: QTreeView, search: QLineEdit, context_menu: Callable[[QPoint], None]
    ) -> None:
        super().__init__(tree)
        self._tree = tree
        self._search = search
        self._context_menu = context_menu
        tree.setExpandsOnDoubleClick(False)
        tree.installEventFilter(self)
        search.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() == Qt.Key.Key_Escape and self._search.text():
            self._search.clear()
            self._tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if watched is self._tree and is_menu_key(event):
            index = self._tree.currentIndex()
            rect = self._tree.visualRect(index)
            self._context_menu(rect.center() if index.isValid() else QPoint(4, 4))
            return True
        return False
