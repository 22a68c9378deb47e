"""Multi-step operations whose daemon is killed at a named step (real libvirtd).

Each test kills libvirtd with SIGKILL right after one libvirt call of the
operation returned (``daemon.kill_after``), waits until kvmdesk says "the
connection was lost after step N; checking…", starts the daemon again and
checks that kvmdesk then says exactly what exists:

* XML tab: killed right after the define returned: "stored", and the next
  save is no conflict with "another client".
* Define from XML: killed right after the define returned: defined.
* Delete: killed right after the undefine returned: the VM is gone, its
  volume is still there, and "Delete Them" deletes it.

Creating a VM cut after its volume is in test_create_real.py (it needs the
wizard's fixtures). These tests stop the shared daemon: run them under the
integration lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.domxml import Disk, Domain
from kvmdesk.ui.domain.xml.xml_page import XmlPage
from kvmdesk.ui.main.define_dialog import DefinePreview
from kvmdesk.virt import storage
from kvmdesk.virt.define import Mode
from kvmdesk.virt.shown import shown

try:
    from . import daemon
    from .conftest import TEST_URI, _remove_at_teardown, new_guest_name, virsh_secure_xml
    from .conftest_pools import ScratchPool, test_pool
    from .guest import guest_domain_xml
except ImportError:
    import daemon  # type: ignore[no-redef]
    from conftest import (  # type: ignore[no-redef]
        TEST_URI,
        _remove_at_teardown,
        new_guest_name,
        virsh_secure_xml,
    )
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from guest import guest_domain_xml  # type: ignore[no-redef]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]


@pytest.fixture
def names(libvirt_conn: Any) -> Iterator[list[str]]:
    """Guest names of the test; whatever has them at teardown is removed,
    once the daemon is surely back."""
    made: list[str] = []
    yield made
    if not daemon.daemon_pids():
        daemon.restart()
    _remove_at_teardown(libvirt_conn, made)


def _fresh() -> libvirt.virConnect:
    """A connection of the test's own, opened after the daemon is back."""
    return libvirt.open(TEST_URI)


def _await_checking(run: Any, wait_until: Any, said: Any, task: asyncio.Future[Any]) -> str:
    """Wait for "the connection was lost after step N; checking…", then start the daemon."""
    try:
        wait_until(lambda: "checking" in said() or task.done(), 60, "the lost link to be said")
        text = str(said())
    finally:
        daemon.restart()
    assert not task.done() or "checking" in text, said()
    return text


def _visible_dialog() -> QDialog | None:
    """A question about the definition (a conflict), whatever shape it has."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            return widget
    return None


def test_xml_tab_save_killed_after_the_define_says_stored_and_no_conflict_follows(
    monkeypatch: pytest.MonkeyPatch,
    libvirt_conn: Any,
    guest_assets: Any,
    names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    name = new_guest_name()
    names.append(name)
    uuid = libvirt_conn.defineXML(guest_domain_xml(name, guest_assets)).UUIDString()
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    page = XmlPage()
    qtbot.addWidget(page)
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: not page.editor.isReadOnly(), 30, "the XML")
    page.editor.document().find("</name>").insertText("</name>\n  <description>first</description>")
    fired = daemon.kill_after(monkeypatch, libvirt.virConnect, "defineXMLFlags")
    task = asyncio.ensure_future(page.apply())
    checking = _await_checking(run, wait_until, page.message.text, task)
    assert fired, "the define never happened"
    assert checking == (
        "The connection was lost after step 2 of 3 (saving the new definition); checking…"
    )
    wait_until(task.done, 120, "the re-read after the reconnect")
    task.result()
    said = page.message.text()
    assert said.startswith("The connection was lost after step 2 of 3 (saving the new definition).")
    assert "your edit is stored" in said
    assert "<description>first</description>" in virsh_secure_xml(name)
    assert conn.state is ConnState.CONNECTED
    # The edit that was stored is the tab's definition now: a second edit
    # saves without a conflict with "another client".
    monkeypatch.undo()
    page.editor.document().find("first").insertText("second")

    async def apply_watching_for_a_conflict() -> bool:
        job = asyncio.ensure_future(page.apply())
        while not job.done():
            dialog = _visible_dialog()
            if dialog is not None:
                dialog.reject()
                await job
                return True
            await asyncio.sleep(0.02)
        await job
        return False

    assert not run(apply_watching_for_a_conflict()), "its own stored edit was shown as a conflict"
    assert page.message.text() == "Saved."
    assert "<description>second</description>" in virsh_secure_xml(name)


def test_define_from_xml_killed_after_the_define_says_defined(
    monkeypatch: pytest.MonkeyPatch,
    guest_assets: Any,
    names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    name = new_guest_name()
    names.append(name)
    text = guest_domain_xml(name, guest_assets)
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    window = QMainWindow()  # as in the application: closing the preview ends nothing
    qtbot.addWidget(window)
    window.show()
    preview = DefinePreview(window, conn, Mode.DEFINE, str(tmp_path / "g.xml"), text)
    preview.show()
    daemon.kill_after(monkeypatch, libvirt.virConnect, "defineXMLFlags")
    task = asyncio.ensure_future(preview.submit())
    checking = _await_checking(run, wait_until, preview.problem.text, task)
    assert checking == "The connection was lost after step 2 of 3 (defining); checking…"
    wait_until(task.done, 120, "the re-read after the reconnect")
    assert task.result() is True
    assert preview.result_domain is not None and preview.result_domain.name == name
    assert preview.result_note == (
        "The connection was lost after step 2 of 3 (defining). After reconnecting, kvmdesk "
        f"read the host again. “{shown(name)}” was defined."
    )
    fresh = _fresh()
    try:
        assert fresh.lookupByName(name).isPersistent()
    finally:
        fresh.close()


def test_delete_killed_after_the_undefine_says_what_is_left_and_deletes_it(
    monkeypatch: pytest.MonkeyPatch,
    libvirt_conn: Any,
    guest_assets: Any,
    names: list[str],
    test_pool: ScratchPool,
    manager: Any,
    settings: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    from kvmdesk.core.steps import LinkLost
    from kvmdesk.ui.main.delete_lost import lost_delete_box, lost_delete_text

    name = new_guest_name()
    names.append(name)
    storage.create_volume(libvirt_conn, test_pool.name, "disk.qcow2", 0.1, "qcow2")
    disk = str(test_pool.path / "disk.qcow2")
    domain = Domain.from_xml(guest_domain_xml(name, guest_assets))
    domain.devices.append(
        Disk(source=disk, target_dev="vda", target_bus="virtio", driver_type="qcow2")
    )
    uuid = libvirt_conn.defineXML(domain.to_xml()).UUIDString()
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    service = ActionService(settings)
    plan = run(service.plan_delete(conn, uuid))
    assert [c.disk.source for c in plan.choices] == [disk]
    said: list[str] = []
    fired = daemon.kill_after(monkeypatch, libvirt.virDomain, "undefine")
    task = asyncio.ensure_future(
        service.delete(conn, plan, [disk], lambda j, _f: said.append(f"step {j.count_done}"))
    )
    try:
        wait_until(lambda: bool(said) or task.done(), 60, "the lost link to be said")
    finally:
        daemon.restart()
    assert fired and said == ["step 2"]  # backup, undefine (nothing to force off)
    wait_until(task.done, 120, "the re-read after the reconnect")
    with pytest.raises(LinkLost) as caught:
        task.result()
    lost = caught.value
    head, details = lost_delete_text(lost, plan)
    assert head == "The connection was lost after step 2 of 3 (removing its definition)."
    assert f"Virtual machine “{shown(name)}” was deleted." in details
    assert f"Still there: {shown(disk)}" in details
    assert "no storage volume has this path" not in details
    box, delete = lost_delete_box(None, lost, plan)
    qtbot.addWidget(box)
    assert delete is not None and box.defaultButton() is not delete
    monkeypatch.undo()
    outcome = run(service.delete_volumes(conn, plan, list(lost.state.volumes_left)))
    assert outcome.deleted == [disk] and outcome.complete
    fresh = _fresh()
    try:
        with pytest.raises(libvirt.libvirtError):
            fresh.lookupByUUIDString(uuid)
        pool = fresh.storagePoolLookupByName(test_pool.name)
        pool.refresh(0)
        assert "disk.qcow2" not in pool.listVolumes()
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            fresh.close()


def test_hardware_apply_killed_after_the_define_says_stored(
    monkeypatch: pytest.MonkeyPatch,
    libvirt_conn: Any,
    guest_assets: Any,
    names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
    from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage

    name = new_guest_name()
    names.append(name)
    xml = guest_domain_xml(name, guest_assets).replace("<vcpu>1</vcpu>", "<vcpu>2</vcpu>")
    uuid = libvirt_conn.defineXML(xml).UUIDString()
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    page = HardwarePage()
    qtbot.addWidget(page)
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: page.state is not None and bool(page.forms), 30, "the forms")

    def cpu() -> CpuForm:
        return next(f for f in page.forms if isinstance(f, CpuForm))

    # Killed while the stored definition was read, before the define: the
    # re-read after the reconnect says "not stored", and the edit stays in the form.
    cpu().current.setValue(1)
    daemon.kill_after(monkeypatch, libvirt.virDomain, "XMLDesc")
    task = asyncio.ensure_future(page.apply())
    _await_checking(run, wait_until, page.message.text, task)
    wait_until(task.done, 120, "the re-read after the reconnect")
    task.result()
    monkeypatch.undo()
    assert "your changes are not stored" in page.message.text()
    assert cpu().is_dirty() and cpu().current.value() == 1
    assert "current=" not in virsh_secure_xml(name)
    wait_until(lambda: conn.state is ConnState.CONNECTED, 60, "the reconnect")

    # Killed right after the define returned: said stored, the forms show it.
    fired = daemon.kill_after(monkeypatch, libvirt.virConnect, "defineXMLFlags")
    task = asyncio.ensure_future(page.apply())
    checking = _await_checking(run, wait_until, page.message.text, task)
    assert fired, "the define never happened"
    assert checking == (
        "The connection was lost after step 2 of 3 (saving the new definition); checking…"
    )
    wait_until(task.done, 120, "the re-read after the reconnect")
    task.result()
    wait_until(lambda: "your changes are stored" in page.message.text(), 60, "the reload")
    assert not cpu().is_dirty() and cpu().current.value() == 1
    assert "current='1'" in virsh_secure_xml(name)
