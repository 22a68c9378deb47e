"""Run kvmdesk's window in the user's locale and list the visible texts.

Run as a program (tests/unit/translations/test_zh_cn_ui.py starts it with
LANG=zh_CN.UTF-8): it installs the translations the way the application
does (``app.install_translations`` with the system locale), opens the demo
host, shows the main window with its menus, columns and states, every
details tab of a running and a shut-off domain, the connection overview,
every tab of Connection Details, every page of the New VM wizard and the
main dialogs, and prints one JSON list of [where, text] for every text on
screen, in menus, headers, cells and tooltips.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sys
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from typing import Any

import qasync
from PySide6 import QtGui
from PySide6.QtCore import QAbstractItemModel, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QWidget,
    QWizard,
)

from kvmdesk.app import build, install_translations
from kvmdesk.core.connection import ConnState
from kvmdesk.core.eventloop import register_once
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.paths import demo_uri
from kvmdesk.ui.connection.add_connection import AddConnectionDialog
from kvmdesk.ui.domain.screenshot.send_keys import TypeTextDialog
from kvmdesk.ui.host.host_window import open_host_details
from kvmdesk.ui.host.network_dialog import AddNetworkDialog
from kvmdesk.ui.host.pool_dialog import AddPoolDialog
from kvmdesk.ui.host.storage_dialogs import NewVolumeDialog, ResizeVolumeDialog
from kvmdesk.ui.main.define_dialog import DefinePreview, Mode
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.ui.main.delete_many import DeleteManyDialog
from kvmdesk.ui.main.preferences_dialog import PreferencesDialog
from kvmdesk.virt.errors import silence_stderr_printing
from kvmdesk.virt.pool_types import KINDS

Found = list[tuple[str, str]]
TAGS = re.compile(r"<[^>]+>")
RUNNING, SHUTOFF = "web-frontend-01", "legacy-centos7"


def plain(text: str) -> str:
    """Rich text as the words it shows; plain text as it is."""
    return html.unescape(TAGS.sub(" ", text)) if QtGui.Qt.mightBeRichText(text) else text


def model_texts(model: QAbstractItemModel | None, where: str, found: Found) -> None:
    if model is None:
        return
    from PySide6.QtCore import QAbstractListModel, QModelIndex

    def columns(parent: Any) -> int:
        # a list model (QListWidget's) keeps columnCount private: one column
        return 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)

    for column in range(columns(QModelIndex())):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if isinstance(header, str):
            found.append((f"{where} header", header))

    def rows(parent: Any, depth: int) -> None:
        for row in range(min(model.rowCount(parent), 300)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        found.append((f"{where} cell", plain(value)))
            if depth < 3:
                rows(model.index(row, 0, parent), depth + 1)

    from PySide6.QtCore import QModelIndex

    rows(QModelIndex(), 0)


def model_texts_list(model: QAbstractItemModel | None) -> Found:
    listed: Found = []
    model_texts(model, "", listed)
    return listed


def menu_texts(menu: QMenu, where: str, found: Found) -> None:
    for action in menu.actions():
        if not action.isVisible() or action.isSeparator():
            continue
        found.append((f"{where} menu", action.text()))
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            found.append((f"{where} menu tooltip", plain(action.toolTip())))
        if action.menu() is not None:
            menu_texts(action.menu(), where, found)


def texts(root: QWidget, where: str, found: Found, data: tuple[QWidget, ...] = ()) -> None:
    """Every text a person sees in ``root`` (and its visible children).

    The views in ``data`` show data from outside kvmdesk (osinfo's operating
    systems): their cells are listed as "data", like libvirt's names.
    """
    found.append((f"{where} title", root.windowTitle()))
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if widget in data and isinstance(widget, QAbstractItemView):
            found += [("data", text) for _, text in model_texts_list(widget.model())]
            continue
        name = f"{where}/{type(widget).__name__}"
        if widget.toolTip():
            found.append((f"{name} tooltip", plain(widget.toolTip())))
        if isinstance(widget, QLabel):
            found.append((name, plain(widget.text())))
        elif isinstance(widget, QAbstractButton):
            found.append((name, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            found.append((f"{name} placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            found += [(name, widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTabBar):
            found += [
                (name, widget.tabText(i)) for i in range(widget.count()) if widget.isTabVisible(i)
            ]
        elif isinstance(widget, QAbstractItemView):
            model_texts(widget.model(), name, found)
        for action in widget.actions():
            if action.isVisible() and not action.isSeparator():
                found.append((f"{name} action", action.text()))
                found.append((f"{name} action tooltip", plain(action.toolTip())))
                if action.menu() is not None:
                    menu_texts(action.menu(), name, found)


async def settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)


async def until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the window never reached the state to look at")


async def walk(config: Path) -> Found:
    found: Found = []
    services = build(Settings(config), Timing(stats_interval=0.5))
    window = services.window
    window.resize(1200, 800)
    window.show()
    conn = services.manager.add(demo_uri(), persist=False)
    conn.open()
    await until(lambda: conn.state is ConnState.CONNECTED and len(conn.domains) > 10)
    await settle(1.5)  # stats: CPU column, IP addresses

    texts(window, "main window", found)
    menu_texts(window.menuBar(), "menu bar", found)  # type: ignore[arg-type]
    window.tree.expandAll()
    model_texts(window.tree.model(), "domain list", found)

    uuid_of = {record.name: uuid for uuid, record in conn.domains.items()}
    details = window.details
    for name in (RUNNING, SHUTOFF):
        window.select_domain(conn, uuid_of[name])
        await settle(1.0)
        for tab in details.tab_names():
            details.show_tab(tab)
            await settle(0.8)
            texts(window, f"details of {name}, {tab} tab", found)
    window.tree.setCurrentIndex(window.from_source(window.model.index_of_connection(conn)))
    await settle(0.8)
    texts(window, "connection overview", found)

    host = open_host_details(window, conn)
    for index in range(host.tabs.count()):
        host.tabs.setCurrentIndex(index)
        await settle(2.0)
        texts(host, f"Connection Details, tab {index}", found)
    host.close()

    window.show_domain_creator(conn)
    wizard = window.new_vm_wizard
    await asyncio.wait_for(asyncio.shield(wizard.loaded), 60)
    await settle(0.5)
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        found.append((f"New VM page {page_id} title", page.title()))
        found.append((f"New VM page {page_id} subtitle", page.subTitle()))
        texts(page, f"New VM page {page_id}", found, data=(wizard.media_page.os_view,))
    for button in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton):
        found.append(("New VM button", wizard.buttonText(button)))
    wizard.reject()

    plan = await services.actions.plan_delete(conn, uuid_of[RUNNING])
    dialogs: list[tuple[str, QWidget]] = [
        ("Delete dialog", DeleteDialog(plan, window)),
        ("Add Connection", AddConnectionDialog(window)),
        ("Add Virtual Network", AddNetworkDialog([], window)),
        ("Add Storage Pool", AddPoolDialog([], window, KINDS, local=True, uri="qemu:///system")),
        ("New Volume", NewVolumeDialog([], 10 << 30, window)),
        ("Resize Volume", ResizeVolumeDialog("disk.qcow2", 1 << 30, window)),
        ("Type Text", TypeTextDialog(window)),
        ("Define from XML", DefinePreview(window, conn, Mode.DEFINE, "/tmp/a.xml", "<domain/>")),
        ("Preferences", PreferencesDialog(services.preferences.prefs, window.model, window)),
        ("Delete several", DeleteManyDialog([plan, plan], window)),
    ]
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "",
        "",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
        | QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard,
        window,
    )
    dialogs.append(("Qt's message box", box))
    files = QFileDialog(window, "", str(config.parent))
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    # File names are data: the dialog's folder, and the working folder Qt also lists.
    found += [("data", part) for part in (*config.parent.parts, *Path.cwd().parts)]
    dialogs.append(("Qt's file dialog", files))
    for where, dialog in dialogs:
        dialog.show()
        await settle(0.3)
        texts(dialog, where, found)
        dialog.close()
        dialog.deleteLater()

    host_facts = conn.host
    await services.manager.shutdown()
    window.hide()
    if host_facts is not None:  # what libvirt says about the host is libvirt's text
        found += [("data", str(value)) for value in astuple(host_facts)]
    return [(where, text) for where, text in found if text and text.strip()]


def main() -> int:
    app = QApplication(sys.argv[:1])
    installed = install_translations(app, QLocale.system())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    silence_stderr_printing()
    with loop:
        found = loop.run_until_complete(walk(Path(sys.argv[1])))
    languages = [t.language() for t in installed]
    print(json.dumps({"languages": languages, "texts": found}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
