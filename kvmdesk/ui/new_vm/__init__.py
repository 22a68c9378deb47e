"""The New VM wizard (like virt-install): pages, host checks, creation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow

from kvmdesk.core.connection import Connection
from kvmdesk.ui.new_vm.wizard import NewVmWizard

if TYPE_CHECKING:
    from kvmdesk.ui.main.mainwindow import MainWindow


def open_new_vm_wizard(window: QMainWindow, conn: Connection) -> NewVmWizard:
    """Show the wizard for ``conn``; once created, the VM is selected in
    ``window``'s list and its console opened (when the window offers one)."""
    wizard = NewVmWizard(conn, window, defaults=getattr(window, "new_vm_defaults", None))
    wizard.created.connect(lambda uuid: _show_new(window, conn, uuid))
    wizard.finished.connect(lambda _result: wizard.deleteLater())
    wizard.show()
    return wizard


def _show_new(window: QMainWindow, conn: Connection, uuid: str) -> None:
    main: MainWindow = window  # type: ignore[assignment]
    main.select_domain_when_listed(conn, uuid)
    main.show_domain_console(conn, uuid)


__all__ = ["NewVmWizard", "open_new_vm_wizard"]
