"""The New VM wizard (like virt-install): pages, host checks, creation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow

from kvmdesk.core.connection import Connection
from kvmdesk.ui.new_vm.wizard import NewVmWizard

if TYPE_CHECKING:
    from kvmdesk.ui.mainwindow import MainWindow


def open_new_vm_wizard(window: QMainWindow, conn: Connection) -> NewVmWizard:
    """Show the wizard for ``conn``; once created, the VM is selected in
    ``window``'s list and its console opened (when the window offers one)."""
    wizard = NewVmWizard(conn, window)
    wizard.created.connect(lambda uuid: _show_new(window, conn, uuid))
    wizard.finished.connect(lambda _result: wizard.deleteLater())
    wizard.show()
    return wizard


def _show_new(window: QMainWindow, conn: Connection, uuid: str) -> None:
    select = getattr(window, "select_domain_when_listed", None)
    if callable(select):
        select(conn, uuid)
    else:
        _select_when_listed(window, conn, uuid)
    console = getattr(window, "show_domain_console", None)
    if callable(console):
        console(conn, uuid)


def _select_when_listed(window: QMainWindow, conn: Connection, uuid: str) -> None:
    main: MainWindow = window  # type: ignore[assignment]
    model = getattr(main, "model", None)
    if model is None:
        return

    def select() -> bool:
        index = main.model.index_of_domain(conn, uuid)
        if not index.isValid():
            return False
        proxy_index = main.proxy.mapFromSource(index)
        if proxy_index.isValid():
            main.tree.setCurrentIndex(proxy_index)
        return True

    if select():
        return

    def listed(record: object) -> None:
        if getattr(record, "uuid", None) == uuid:
            conn.domainChanged.disconnect(listed)
            select()

    conn.domainChanged.connect(listed)


__all__ = ["NewVmWizard", "open_new_vm_wizard"]
