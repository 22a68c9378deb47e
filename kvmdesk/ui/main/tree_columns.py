"""Which columns the tree shows: right-click its header to tick them.

The optional "IP Address" column is hidden at first; its addresses are
fetched only while it is shown (``AddressBook.set_enabled``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QTreeView

from kvmdesk.core.messages import tr
from kvmdesk.models.addresses import AddressBook
from kvmdesk.models.columns import Column

ADDRESS_WIDTH = 150


def set_column_shown(view: QTreeView, addresses: AddressBook, column: int, shown: bool) -> None:
    view.setColumnHidden(column, not shown)
    if column == Column.ADDRESS:
        if shown and view.columnWidth(column) < 40:
            view.setColumnWidth(column, ADDRESS_WIDTH)
        addresses.set_enabled(shown)


def column_menu(view: QTreeView, addresses: AddressBook) -> QMenu:
    """A menu of the columns with a tick each; the name column always stays."""
    menu = QMenu(view)
    model = view.model()
    for column in range(1, model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        action = menu.addAction(title)
        action.setCheckable(True)
        action.setChecked(not view.isColumnHidden(column))
        action.toggled.connect(lambda on, c=column: set_column_shown(view, addresses, c, bool(on)))
    menu.setToolTip(tr("Columns shown in the list"))
    return menu


def install_column_menu(view: QTreeView, addresses: AddressBook) -> None:
    """Hide the optional columns and let a right-click on the header tick them."""
    view.setColumnHidden(Column.ADDRESS, True)
    view.setColumnWidth(Column.ADDRESS, ADDRESS_WIDTH)
    header = view.header()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = column_menu(view, addresses)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(header.mapToGlobal(pos))

    header.customContextMenuRequested.connect(show)
