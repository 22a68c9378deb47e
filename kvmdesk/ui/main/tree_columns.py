"""Which columns the tree shows: right-click its header to tick them.

The optional columns (IP Address and the usage columns) are hidden at
first; their figures are fetched only while they are shown
(``DomainTreeModel.set_column_wanted``). A usage column draws its recent
history behind the figure (``sparklines``). Every tick in the menu is
reported through ``changed``, so that the choice is stored and comes back
at the next start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QTreeView

from kvmdesk.core.messages import tr
from kvmdesk.models.columns import OPTIONAL, USAGE, Column
from kvmdesk.models.tree import DomainTreeModel
from kvmdesk.ui.main.sparklines import UsageSparklineDelegate

WIDTHS = {Column.ADDRESS: 150, Column.MEMORY_USE: 100, Column.DISK_IO: 100, Column.NETWORK_IO: 100}


def set_column_shown(view: QTreeView, model: DomainTreeModel, column: int, shown: bool) -> None:
    view.setColumnHidden(column, not shown)
    if column in OPTIONAL:
        wanted = max(WIDTHS[Column(column)], view.header().sectionSizeFromContents(column).width())
        if shown and view.columnWidth(column) < 40:
            view.setColumnWidth(column, wanted)
        delegate = view.itemDelegateForColumn(column)
        if column in USAGE and shown and not isinstance(delegate, UsageSparklineDelegate):
            view.setItemDelegateForColumn(column, UsageSparklineDelegate(model, column, view))
        model.set_column_wanted(column, shown)


def shown_columns(view: QTreeView) -> set[Column]:
    return {c for c in Column if not view.isColumnHidden(c)}


def column_menu(
    view: QTreeView, model: DomainTreeModel, changed: Callable[[], None] | None = None
) -> QMenu:
    """A menu of the columns with a tick each; the name column always stays."""
    menu = QMenu(view)
    for column in range(1, model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        action = menu.addAction(title)
        action.setCheckable(True)
        action.setChecked(not view.isColumnHidden(column))

        def toggled(on: bool, c: int = column) -> None:
            set_column_shown(view, model, c, bool(on))
            if changed is not None:
                changed()

        action.toggled.connect(toggled)
    menu.setToolTip(tr("Columns shown in the list"))
    return menu


def install_column_menu(
    view: QTreeView, model: DomainTreeModel, changed: Callable[[], None] | None = None
) -> None:
    """Hide the optional columns and let a right-click on the header tick them."""
    for column in OPTIONAL:
        view.setColumnHidden(column, True)
        view.setColumnWidth(column, WIDTHS[column])
    header = view.header()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = column_menu(view, model, changed)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(header.mapToGlobal(pos))

    header.customContextMenuRequested.connect(show)
