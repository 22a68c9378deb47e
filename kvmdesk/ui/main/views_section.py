"""The tree's Views section: saved views above the connections, one click applies one."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from kvmdesk.core.tree_layout import SavedView, TreeLayout
from kvmdesk.models.icons import icon
from kvmdesk.virt.shown import shown

MAX_ROWS = 8  # shown at once; more scroll


class ViewsSection(QTreeWidget):
    picked = Signal(object)  # the SavedView to apply

    def __init__(self, layout: TreeLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = layout
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(self.tr("Saved views"))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.itemExpanded.connect(self._fit)
        self.itemCollapsed.connect(self._fit)
        self.top = QTreeWidgetItem(self, [self.tr("Views")])
        font = QFont(self.top.font(0))
        font.setBold(True)
        self.top.setFont(0, font)
        self.top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.views: list[SavedView] = []
        layout.viewsChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.views = self._layout.views()
        for child in self.top.takeChildren():
            del child
        for view in self.views:
            item = QTreeWidgetItem(self.top, [shown(view.name)])
            item.setIcon(0, icon("view"))
            tip = view.query or self.tr("(no search)")
            item.setToolTip(0, tip)
        self.top.setExpanded(True)
        self.setVisible(bool(self.views))
        self._fit()

    def _fit(self, *_args: object) -> None:
        rows = 1 + (min(len(self.views), MAX_ROWS) if self.top.isExpanded() else 0)
        height = max(self.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.setFixedHeight(rows * height + 2 * self.frameWidth() + 4)

    def view_of(self, item: QTreeWidgetItem | None) -> SavedView | None:
        if item is None or item.parent() is not self.top:
            return None
        return self.views[self.top.indexOfChild(item)]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        view = self.view_of(item)
        if view is not None:
            self.picked.emit(view)

    def _context_menu(self, pos: QPoint) -> None:
        view = self.view_of(self.itemAt(pos))
        if view is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("&Apply")).triggered.connect(lambda: self.picked.emit(view))
        menu.addAction(self.tr("&Delete View")).triggered.connect(
            lambda: self._layout.remove_view(view.name)
        )
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.viewport().mapToGlobal(pos))
