"""The Storage tab of the Host Details window on a private copy of the demo host."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView, QTreeWidget

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.paths import DEMO_HOST_XML
from kvmdesk.ui.host.host_window import HostDetailsWindow, open_host_details
from kvmdesk.ui.host.pool_dialog import AddPoolDialog
from kvmdesk.ui.host.storage_dialogs import NewVolumeDialog, ResizeVolumeDialog
from kvmdesk.ui.host.storage_page import StoragePage
from kvmdesk.virt.pool_types import KINDS, PoolSpec
from kvmdesk.virt.shown import FSI, PDI, shown

OpenConn = Callable[[str], Connection]
USED_BY = 4


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, open_connection: OpenConn) -> HostDetailsWindow:
    copy = tmp_path / "demo-host.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    win = open_host_details(None, open_connection(f"test://{copy}"))
    qtbot.addWidget(win)
    return win


async def _until(predicate: Callable[[], Any], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def _rows(table: QTreeWidget | QTableView) -> dict[str, list[str]]:
    rows = {}
    if not isinstance(table, QTreeWidget):  # the volumes: a view on a table model
        model = table.model()
        for row in range(model.rowCount()):
            texts = [_unshown(model.index(row, c).data() or "") for c in range(model.columnCount())]
            rows[texts[0]] = texts
        return rows
    for index in range(table.topLevelItemCount()):
        item = table.topLevelItem(index)
        assert item is not None
        texts = [_unshown(item.text(c)) for c in range(table.columnCount())]
        rows[texts[0]] = texts
    return rows


def _unshown(text: str) -> str:
    """A cell's text as the host spells it: cells come isolated (``virt.shown``)."""
    if text.startswith(FSI) and text.endswith(PDI):
        return text[1:-1]
    return text


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def _close_boxes() -> None:
    for box in _boxes():
        box.done(0)
        box.deleteLater()


async def _show(window: HostDetailsWindow) -> StoragePage:
    page = window.storage_page
    window.tabs.setCurrentWidget(page)  # lists the pools, then the first pool's volumes
    await _until(lambda: page.pool_table.topLevelItemCount() == 2)
    await _until(lambda: "web-assets.raw" in _rows(page.volume_table))
    return page


def test_the_tab_lists_pools_and_volumes_with_users(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs[-1] == "Storage"

    async def go() -> StoragePage:
        page = await _show(window)
        pools = _rows(page.pool_table)
        assert pools["default"][:3] == ["default", "Active", "No"]
        assert pools["default"][4:] == ["dir", "/var/lib/libvirt/images"]
        assert "free" in pools["default"][3]
        vols = _rows(page.volume_table)
        assert vols["web-assets.raw"][1:3] == ["raw", "2.0 GiB"]
        assert vols["web-assets.raw"][USED_BY] == "web-frontend-01, web-frontend-02"
        page.select("iso")
        assert _rows(page.volume_table) == {"Loading…": ["Loading…", "", "", "", ""]}
        await _until(lambda: page.selected_pool() is not None and page.volumes)
        assert all(name.endswith(".iso") for name in _rows(page.volume_table))
        return page

    page = run(go())
    assert page.new_volume_button.isEnabled() and page.stop_button.isEnabled()


def test_create_resize_and_delete_a_volume(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    def dialogs(kind: type) -> list[Any]:
        return [d for d in window.storage_page.findChildren(kind) if d.isVisible()]

    async def go() -> None:
        page = await _show(window)
        page.new_volume_button.click()
        await _until(lambda: bool(dialogs(NewVolumeDialog)))
        dialog = dialogs(NewVolumeDialog)[0]
        dialog.name.setText("web-assets.raw")
        dialog.accept()
        assert dialog.error.text() == "The name web-assets.raw is already taken."
        dialog.name.setText("scratch <&>.qcow2")
        dialog.size_box.setValue(0)
        dialog.accept()
        assert dialog.error.text() == "The size must be larger than zero."
        assert dialog.command_view.command is None
        dialog.size_box.setValue(3)
        command = dialog.command_view.command
        assert command is not None
        assert command.lines[0][3:] == (
            "vol-create-as",
            "--pool",
            "default",
            "--name",
            "scratch <&>.qcow2",
            "--capacity",
            str(3 * 1024**3),
            "--format",
            "qcow2",
        )
        dialog.accept()
        await _until(lambda: "scratch <&>.qcow2" in _rows(page.volume_table))
        assert _rows(page.volume_table)["scratch <&>.qcow2"][1:4] == ["qcow2", "3.0 GiB", "3.0 GiB"]

        select_volume(page, "scratch <&>.qcow2")
        page.resize_button.click()
        await _until(lambda: bool(dialogs(ResizeVolumeDialog)))
        resize = dialogs(ResizeVolumeDialog)[0]
        resize.size_box.setValue(1)
        resize.accept()
        assert resize.error.text().startswith("The volume is 3.0 GiB: it can only grow.")
        resize.reject()

        select_volume(page, "scratch <&>.qcow2")
        page.delete_volume_button.click()
        await _until(lambda: bool(_boxes()))
        assert _boxes()[0].text() == f"Delete the volume {shown('scratch <&>.qcow2')}?"
        _boxes()[0].done(QMessageBox.StandardButton.Yes.value)
        await _until(lambda: "scratch <&>.qcow2" not in _rows(page.volume_table) and page.volumes)

    run(go())
    conn = window.storage_page.conn
    assert conn is not None
    # Each action's command, in order; the refused shrink never ran.
    assert [(e.command.lines[0][3], e.outcome) for e in conn.command_log.entries] == [
        ("vol-create-as", Outcome.OK),
        ("vol-delete", Outcome.OK),
    ]


def select_volume(page: StoragePage, name: str) -> None:
    page.select_volume(name)


def test_delete_of_a_used_volume_is_refused_naming_the_domains(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    async def go() -> bool:
        page = await _show(window)
        ok = await page.delete_volume("default", "web-assets.raw", confirm=False)
        await _until(lambda: "web-assets.raw" in _rows(page.volume_table))  # listed again
        return ok

    try:
        assert not run(go())
        box = _boxes()[0]
        assert box.text() == (
            f"The volume {shown('web-assets.raw')} is in use and was not deleted."
        )
        assert (
            f"\n• {shown('web-frontend-01')}\n• {shown('web-frontend-02')}\n"
            in box.informativeText()
        )
    finally:
        _close_boxes()


def test_delete_pool_with_used_volumes_refused(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    async def go() -> bool:
        page = await _show(window)
        return await page.delete_pool("default", confirm=False)

    try:
        assert not run(go())
        assert _boxes()[0].text() == (
            f"Volumes of the pool {shown('default')} are in use: it was not deleted."
        )
    finally:
        _close_boxes()


def test_upload_is_offered_with_jobs_and_refuses_a_taken_name(
    window: HostDetailsWindow, run: Callable[..., Any], tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit

    from kvmdesk.core.jobs import JobService, JobState

    source = tmp_path / "web-assets.raw"
    source.write_bytes(b"data")

    def shown_dialog(kind: type) -> Any:
        found = [d for d in window.storage_page.findChildren(kind) if d.isVisible()]
        return found[0] if found else None

    async def go() -> None:
        page = await _show(window)
        assert not page.upload_button.isEnabled()  # no jobs service: nowhere to run
        jobs = JobService(poll_interval=0.01)
        open_host_details(None, window.conn, jobs)
        assert page.upload_button.isEnabled()
        for name, said in (("web-assets.raw", "already taken"), ("fresh.raw", "")):
            page.upload_button.click()
            await _until(lambda: shown_dialog(QFileDialog) is not None)
            files = shown_dialog(QFileDialog)
            files.findChild(QLineEdit, "fileNameEdit").setText(str(source))
            files.accept()
            await _until(lambda: shown_dialog(QInputDialog) is not None)
            ask_name = shown_dialog(QInputDialog)
            assert ask_name.textValue() == "web-assets.raw"  # the file's name, suggested
            ask_name.setTextValue(name)
            ask_name.accept()
            await _until(lambda: bool(_boxes()))
            box = _boxes()[0]
            if said:
                assert said in box.text() and not jobs.jobs  # refused before anything started
            else:
                # the test driver cannot take uploads: the job failed, nothing left behind
                assert jobs.jobs[0].state is JobState.FAILED
                assert "fresh.raw" not in _rows(page.volume_table)
            _close_boxes()

    run(go())


def test_deleting_a_volume_runs_as_a_job(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    from kvmdesk.core.jobs import JobService, JobState

    async def go() -> None:
        page = await _show(window)
        jobs = JobService(poll_interval=0.01)
        open_host_details(None, window.conn, jobs)
        volume = next(v.name for v in page.volumes if not v.used_by)
        select_volume(page, volume)
        page.delete_volume_button.click()
        await _until(lambda: bool(_boxes()))
        _boxes()[0].done(QMessageBox.StandardButton.Yes.value)
        await _until(lambda: volume not in _rows(page.volume_table) and bool(page.volumes))
        assert [j.subject for j in jobs.jobs] == [volume]
        assert jobs.jobs[0].state is JobState.DONE
        assert jobs.jobs[0].title == f"Delete volume “{shown(volume)}”"

    run(go())


def test_add_pool_starts_with_a_free_name_and_folder_and_creates_it(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    """The test driver has no pool capabilities: folders only, filled in."""

    def dialogs() -> list[AddPoolDialog]:
        return [d for d in window.storage_page.findChildren(AddPoolDialog) if d.isVisible()]

    async def go() -> None:
        page = await _show(window)
        page.add_pool_button.click()
        await _until(lambda: bool(dialogs()))
        dialog = dialogs()[0]
        assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == ["dir"]
        assert dialog.name.text() == "pool"
        assert dialog.target.text() == "/var/lib/libvirt/images/pool"
        dialog.name.setText("lab")
        assert dialog.target.text() == "/var/lib/libvirt/images/lab"  # follows the name
        dialog.target.setText("relative")
        dialog.accept()
        assert dialog.error.text() == "Enter an absolute path, starting with “/”."
        dialog.target.setText("/srv/lab")
        dialog.accept()
        await _until(lambda: "lab" in _rows(page.pool_table))
        assert _rows(page.pool_table)["lab"][1:3] == ["Active", "Yes"]

    run(go())


def test_add_pool_shows_what_each_type_needs(qtbot: Any) -> None:
    dialog = AddPoolDialog(["pool"], None, KINDS, local=True)
    qtbot.addWidget(dialog)
    assert dialog.kind.count() == len(KINDS) and dialog.name.text() == "pool1"

    def shown_fields() -> set[str]:
        return {f for f, row in dialog.rows.items() if dialog.form.isRowVisible(row)}

    dialog.kind.setCurrentIndex(dialog.kind.findData("netfs"))
    assert shown_fields() == {"host", "source_path", "target"}
    dialog.accept()
    assert dialog.error.text() == "Enter the host that serves the storage."
    dialog.kind.setCurrentIndex(dialog.kind.findData("iscsi"))
    assert shown_fields() == {"host", "device"}
    assert dialog.labels["device"].text() == "Target IQN:"
    dialog.kind.setCurrentIndex(dialog.kind.findData("logical"))
    assert shown_fields() == {"source_name"}
    assert dialog.labels["source_name"].text() == "Volume group:"
    dialog.source_name.setText("vg0")
    assert dialog.spec() == PoolSpec("logical", "pool1", "/mnt/pool1", "", "", "", "vg0", "host0")
    dialog.kind.setCurrentIndex(dialog.kind.findData("mpath"))
    assert shown_fields() == set()


def test_add_pool_shows_its_virsh_commands_as_the_fields_change(qtbot: Any) -> None:
    dialog = AddPoolDialog(["pool"], None, KINDS, local=False, uri="qemu:///system")
    qtbot.addWidget(dialog)
    view = dialog.command_view
    assert view.command is not None and view.command.lines[0][3:6] == (
        "pool-define-as",
        "--name",
        "pool1",
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData("netfs"))
    assert view.command is None and not view.copy.isEnabled()  # no host yet
    dialog.host.setText("nas")
    dialog.source_path.setText("/export")
    assert view.command is not None
    assert view.text.toPlainText() == view.command.text()
    assert "--source-host nas" in view.text.toPlainText()
    assert dialog.minimumWidth() >= 560
