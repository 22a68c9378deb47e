"""Every screen of kvmdesk, one after the other, for checks that look at all of them.

``visit`` drives a built window on the demo host through the main window,
the Jobs view (a snapshot taken), each details tab of a running and a
shut-off domain (its Snapshots tab listing that snapshot), every form of the
Hardware tab, the connection
overview, each tab of Connection Details, each page of the New VM wizard
and each dialog, and calls ``look(where, widget)`` with the top-level widget
as it is on screen at that moment. The accessibility and window-size tests
use it, so a page added later is checked by both once it is listed here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget, QWizard

from kvmdesk.app import Services
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.domxml.install import SourceKind
from kvmdesk.paths import demo_uri
from kvmdesk.ui.connection.add_connection import AddConnectionDialog
from kvmdesk.ui.domain.screenshot.capture_all_dialog import CaptureAllDialog
from kvmdesk.ui.domain.screenshot.send_keys import TypeTextDialog
from kvmdesk.ui.host.host_window import open_host_details
from kvmdesk.ui.host.network_dialog import AddNetworkDialog
from kvmdesk.ui.host.pool_dialog import AddPoolDialog
from kvmdesk.ui.host.storage_dialogs import NewVolumeDialog, ResizeVolumeDialog
from kvmdesk.ui.main.define_dialog import DefinePreview, Mode
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.ui.main.preferences_dialog import PreferencesDialog
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.virt.pool_types import KINDS
from kvmdesk.virt.snapshots import Mode as SnapshotMode

RUNNING = "web-frontend-01"
SNAPSHOT = "before-upgrade"  # taken during the walk, then listed
SHUTOFF = "backup-server"
Look = Callable[[str, QWidget], Awaitable[None] | None]


async def settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)


async def until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the window never reached the state to look at")


async def _look(look: Look, where: str, widget: QWidget) -> None:
    result = look(where, widget)
    if result is not None:
        await result


async def _snapshot_and_jobs(services: Services, conn: Connection, uuid: str, look: Look) -> None:
    """Take a snapshot as a job: the Jobs view shows it, the Snapshots tab lists it."""
    window = services.window
    page = window.details.snapshots_tab
    job = await page.service.create(
        conn, uuid, SNAPSHOT, "Before the upgrade", SnapshotMode.INTERNAL
    )
    await until(lambda: job.state.finished)
    assert job.state.value == "done", job.failure
    window.jobs_dock.show()
    await settle(0.3)
    await _look(look, "jobs view", window)
    window.jobs_dock.hide()


async def _hardware_forms(services: Services, look: Look) -> None:
    """Every form of the Hardware tab of the domain shown."""
    details = services.window.details
    details.show_tab("hardware")
    page = details.hardware_tab
    await until(lambda: bool(page.forms))
    for label, form in zip(list(page.labels), list(page.forms), strict=True):
        page.select_form(form)
        await settle(0.1)
        await _look(look, f"hardware form {label}", services.window)


async def visit(services: Services, look: Look, size: tuple[int, int] = (1200, 800)) -> None:
    window = services.window
    window.resize(*size)
    window.show()
    conn = services.manager.add(demo_uri(), persist=False)
    conn.open()
    await until(lambda: conn.state is ConnState.CONNECTED and len(conn.domains) > 10)
    await settle(1.0)
    await _look(look, "main window", window)

    uuid_of = {record.name: uuid for uuid, record in conn.domains.items()}
    details = window.details
    await _snapshot_and_jobs(services, conn, uuid_of[RUNNING], look)
    for name in (RUNNING, SHUTOFF):
        window.select_domain(conn, uuid_of[name])
        await settle(0.8)
        for tab in details.tab_names():
            details.show_tab(tab)
            await settle(0.6)
            await _look(look, f"{name}, {tab} tab", window)
        if name == RUNNING:
            await _hardware_forms(services, look)
    window.tree.setCurrentIndex(window.from_source(window.model.index_of_connection(conn)))
    await settle(0.6)
    await _look(look, "connection overview", window)

    host = open_host_details(window, conn)
    host.resize(*size)
    for index in range(host.tabs.count()):
        host.tabs.setCurrentIndex(index)
        await settle(1.5)
        await _look(look, f"Connection Details, {host.tabs.tabText(index)}", host)
    host.close()

    window.show_domain_creator(conn)
    wizard = window.new_vm_wizard
    await asyncio.wait_for(asyncio.shield(wizard.loaded), 60)
    await settle(0.5)
    wizard.resize(min(wizard.width(), size[0]), min(wizard.height(), size[1]))
    wizard.source_page.buttons[SourceKind.MANUAL].setChecked(True)
    for page_id in PageId:
        await until(lambda p=page_id: wizard.currentId() == p)
        if page_id is PageId.MEDIA:
            wizard.media_page.select_os("linux-generic")
        if page_id is PageId.STORAGE:
            wizard.storage_page.none.setChecked(True)
        await settle(0.3)
        await _look(look, f"New VM, {page_id.name.lower()} page", wizard)
        if page_id is not PageId.SUMMARY:
            wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.reject()

    plan = await services.actions.plan_delete(conn, uuid_of[RUNNING])
    dialogs: list[tuple[str, QWidget]] = [
        ("Preferences", PreferencesDialog(services.preferences.prefs, window.model, window)),
        ("Delete", DeleteDialog(plan, window)),
        ("Add Connection", AddConnectionDialog(window)),
        ("Add Virtual Network", AddNetworkDialog([], window)),
        ("Add Storage Pool", AddPoolDialog([], window, KINDS, local=True, uri="qemu:///system")),
        ("New Volume", NewVolumeDialog([], 10 << 30, window)),
        ("Resize Volume", ResizeVolumeDialog("disk.qcow2", 1 << 30, window)),
        ("Type Text", TypeTextDialog(window)),
        ("Capture All", CaptureAllDialog(conn.uri, window, Path.home())),
        ("Define from XML", DefinePreview(window, conn, Mode.DEFINE, "/tmp/a.xml", "<domain/>")),
    ]
    for where, dialog in dialogs:
        if dialog.width() < size[0] and dialog.height() < size[1]:
            dialog.resize(min(dialog.sizeHint().width(), size[0]), dialog.sizeHint().height())
        dialog.show()
        await settle(0.2)
        if isinstance(dialog, PreferencesDialog):
            for index in range(dialog.tabs.count()):
                dialog.tabs.setCurrentIndex(index)
                await settle(0.1)
                await _look(look, f"Preferences, {dialog.tabs.tabText(index)}", dialog)
        else:
            await _look(look, where, dialog)
        dialog.close()
        dialog.deleteLater()
