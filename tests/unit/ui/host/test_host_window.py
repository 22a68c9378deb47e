"""The Host Details window on a private copy of the demo host (test driver)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.paths import DEMO_HOST_XML
from kvmdesk.ui.host.host_window import HostDetailsWindow, open_host_details
from kvmdesk.ui.host.network_dialog import AddNetworkDialog
from kvmdesk.ui.host.networks_page import NetworksPage
from kvmdesk.virt.shown import FSI, PDI, shown

OpenConn = Callable[[str], Connection]
STATE, AUTOSTART = 1, 2


@pytest.fixture
def demo(tmp_path: Path, open_connection: OpenConn) -> Connection:
    copy = tmp_path / "demo-host.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    return open_connection(f"test://{copy}")


@pytest.fixture
def window(qtbot: Any, demo: Connection) -> HostDetailsWindow:
    win = open_host_details(None, demo)
    qtbot.addWidget(win)
    return win


async def _until(predicate: Callable[[], Any], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def _rows(page: NetworksPage) -> dict[str, list[str]]:
    rows = {}
    for index in range(page.table.topLevelItemCount()):
        item = page.table.topLevelItem(index)
        assert item is not None
        texts = [_unshown(item.text(c)) for c in range(page.table.columnCount())]
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


def test_four_tabs_and_the_overview(window: HostDetailsWindow, demo: Connection) -> None:
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Overview", "Virtualization Check", "Virtual Networks", "Storage"]
    assert window.overview.uri.text() == demo.uri
    assert window.overview.state.text() == "Connected"
    assert "Connection Details" in window.windowTitle()


def test_networks_buttons_off_while_disconnected(
    window: HostDetailsWindow, demo: Connection, run: Callable[..., Any]
) -> None:
    page = window.networks_page
    assert run(page.refresh())
    assert page.add_button.isEnabled() and page.stop_button.isEnabled()
    demo.close()
    assert window.overview.state.text() != "Connected"
    assert not page.add_button.isEnabled() and not page.stop_button.isEnabled()
    assert not run(page.refresh())


def test_one_window_per_connection(window: HostDetailsWindow, demo: Connection) -> None:
    assert open_host_details(None, demo) is window


def test_window_closes_when_its_connection_is_deleted(
    qtbot: Any, run: Callable[..., Any], tmp_path: Path
) -> None:
    from kvmdesk.core.connection import Connection as Conn

    copy = tmp_path / "gone.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    conn = Conn(f"test://{copy}")
    assert run(conn.open_and_wait())
    win = open_host_details(None, conn)
    qtbot.addWidget(win)
    closed: list[bool] = []
    win.destroyed.connect(lambda *_: closed.append(True))
    run(conn.shutdown())

    async def go() -> None:
        conn.deleteLater()
        await _until(lambda: bool(closed))

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quits = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)  # the window is the only one here
    try:
        run(go())
    finally:
        app.setQuitOnLastWindowClosed(quits)


def test_check_page_lists_the_checks_and_the_verdict(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    page = window.check_page

    async def go() -> None:
        window.tabs.setCurrentWidget(page)  # starts the check
        await _until(lambda: page.report is not None)

    run(go())
    # The test driver runs no QEMU/KVM guest: the verdict is FAIL.
    assert page.verdict.text() == "FAIL: Not usable"
    assert page.summary.text().startswith("No QEMU/KVM guest can run through test://")
    badges = {
        label.objectName().removeprefix("status-"): label.text()
        for label in page.findChildren(QLabel)
        if label.objectName().startswith("status-")
    }
    assert badges["libvirt"] == "PASS"
    assert badges["acceleration"] == "FAIL"
    assert set(badges.values()) <= {"PASS", "WARN", "FAIL"}
    meaning = page.findChild(QLabel, "meaning-acceleration")
    assert meaning is not None and "TEST driver" in meaning.text()
    assert any(label.text().startswith("→ ") for label in page.findChildren(QLabel))

    async def again() -> None:
        first = page.report
        page.run_button.click()
        assert page.report is None and not page.run_button.isEnabled()
        await _until(lambda: page.report is not None)
        assert page.report is not first

    run(again())
    assert page.verdict.text() == "FAIL: Not usable"


def test_networks_table_stop_start_and_autostart(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    page = window.networks_page
    assert not _boxes()

    async def go() -> None:
        window.tabs.setCurrentWidget(page)  # lists the networks
        await _until(lambda: page.table.topLevelItemCount() == 2)
        rows = _rows(page)
        assert rows["default"] == [
            "default",
            "Active",
            "No",
            "virbr0",
            "NAT",
            "192.168.122.1/24",
            "192.168.122.2 – 192.168.122.254",
        ]
        assert rows["isolated"][4] == "Isolated"

        page.select("isolated")
        assert page.stop_button.isEnabled() and not page.start_button.isEnabled()
        # Running domains use it: Stop asks first, and Cancel keeps it up.
        page.stop_button.click()
        await _until(lambda: bool(_boxes()))
        box = _boxes()[0]
        assert box.text() == f"Stop the virtual network {shown('isolated')}?"
        assert box.informativeText().endswith(
            f":\n• {shown('alpine-router')}\n• {shown('db-primary')}"
        )
        box.done(QMessageBox.StandardButton.Cancel.value)
        await asyncio.sleep(0.1)
        assert _rows(page)["isolated"][STATE] == "Active"
        page.stop_button.click()
        await _until(lambda: bool(_boxes()))
        _boxes()[0].done(QMessageBox.StandardButton.Yes.value)
        await _until(lambda: _rows(page)["isolated"][STATE] == "Inactive")
        assert page.selected() is not None and page.selected().name == "isolated"
        assert page.start_button.isEnabled() and not page.stop_button.isEnabled()
        page.start_button.click()
        await _until(lambda: _rows(page)["isolated"][STATE] == "Active")

        page.autostart_button.click()
        await _until(lambda: _rows(page)["isolated"][AUTOSTART] == "Yes")
        assert page.autostart_button.isChecked()

    run(go())


def test_delete_refused_names_the_running_domains(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    page = window.networks_page
    try:

        async def go() -> None:
            assert await page.refresh()
            assert not await page.delete("isolated", confirm=False)
            await _until(lambda: bool(_boxes()))

        run(go())
        box = _boxes()[0]
        assert box.text() == f"The network {shown('isolated')} is in use and was not deleted."
        assert f"\n• {shown('alpine-router')}\n• {shown('db-primary')}\n" in box.informativeText()
        assert "isolated" in _rows(page)
    finally:
        _close_boxes()


def test_delete_asks_first(window: HostDetailsWindow, run: Callable[..., Any]) -> None:
    page = window.networks_page

    async def go(answer: QMessageBox.StandardButton) -> bool:
        assert await page.refresh()
        task = asyncio.ensure_future(page.delete("isolated"))
        await _until(lambda: bool(_boxes()))
        box = _boxes()[0]
        assert "isolated" in box.text()
        box.done(answer.value)
        return await task

    assert not run(go(QMessageBox.StandardButton.Cancel))
    assert "isolated" in _rows(page)
    # Say yes: refused anyway, the network is in use.
    try:
        assert not run(go(QMessageBox.StandardButton.Yes))
    finally:
        _close_boxes()


async def _open_add_network(page: Any) -> tuple[AddNetworkDialog, asyncio.Future[bool]]:
    """List the networks, press Add…, and wait for the dialog."""

    def dialogs() -> list[AddNetworkDialog]:
        return [d for d in page.findChildren(AddNetworkDialog) if d.isVisible()]

    assert await page.refresh()
    task = asyncio.ensure_future(page.add_network())
    await _until(lambda: bool(dialogs()))
    return dialogs()[0], task


def test_add_network_dialog_explains_and_creates(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    page = window.networks_page

    async def go() -> bool:
        dialog, task = await _open_add_network(page)
        dialog.name.setText("default")
        dialog.address.setText("10.44.0.1/24")
        dialog.accept()
        assert dialog.isVisible()
        assert dialog.error.text() == "There is already a network named default."
        dialog.name.setText("lab <&>")
        dialog.address.setText("192.168.122.9/24")
        dialog.accept()
        assert dialog.error.text() == "The addresses overlap those of the network default."
        dialog.address.setText("10.44.0.1/24")
        dialog.dhcp_start.setText("10.45.0.2")
        dialog.dhcp_end.setText("10.44.0.9")
        dialog.accept()
        assert (
            dialog.error.text()
            == "The DHCP address 10.45.0.2 is not a guest address of the network."
        )
        assert dialog.command_view.command is None  # invalid input: no command yet
        assert not dialog.command_view.copy.isEnabled()
        dialog.dhcp_start.setText("10.44.0.2")
        shown_command = dialog.command_view.command
        assert shown_command is not None
        # The dialog shows the XML it defines, then starts and autostarts it.
        assert [argv[3:] for argv in shown_command.lines] == [
            ("net-define", "--file", "lab.xml", "--validate"),
            ("net-start", "--network", "lab <&>"),
            ("net-autostart", "--network", "lab <&>"),
        ]
        [(file, xml)] = shown_command.files
        assert file == "lab.xml"
        assert '<ip address="10.44.0.1" netmask="255.255.255.0">' in xml
        assert "cat > lab.xml <<'KVMDESK_EOF'" in dialog.command_view.text.toPlainText()
        dialog.accept()
        return await task

    assert run(go())
    # What the dialog showed is what the log holds, with its outcome.
    [entry] = page.conn.command_log.entries
    assert entry.command.lines[1] == (
        "virsh",
        "-c",
        page.conn.uri,
        "net-start",
        "--network",
        "lab <&>",
    )
    assert entry.outcome is Outcome.OK
    rows = _rows(page)
    assert rows["lab <&>"][1:3] == ["Active", "Yes"]
    assert rows["lab <&>"][5:] == ["10.44.0.1/24", "10.44.0.2 – 10.44.0.9"]
    assert page.selected() is not None and page.selected().name == "lab <&>"


def test_add_network_dialog_is_filled_in_with_a_free_subnet(
    window: HostDetailsWindow, run: Callable[..., Any]
) -> None:
    """OK at once creates a working network: the fields hold values, not grey examples."""
    page = window.networks_page

    async def go() -> bool:
        dialog, task = await _open_add_network(page)
        assert dialog.name.text() == "network"
        assert dialog.address.text() == "192.168.100.1/24"
        assert (dialog.dhcp_start.text(), dialog.dhcp_end.text()) == (
            "192.168.100.2",
            "192.168.100.254",
        )
        dialog.accept()
        return await task

    assert run(go())
    assert _rows(page)["network"][5:] == ["192.168.100.1/24", "192.168.100.2 – 192.168.100.254"]
