"""The Console tab on the test driver (which opens no console streams): its
messages, the add-serial-console offer, the device selector, logging, and
that a session lives only while the tab shows a domain."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.core.console import ConsoleState
from kvmdesk.ui.domain.console.console_page import ConsolePage
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.virt.console import list_devices
from kvmdesk.virt.xmledit import fetch_xml

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

SERIAL = "c0c0c0c0-0000-4000-8000-000000000001"
BARE = "c0c0c0c0-0000-4000-8000-000000000002"
OFF = "c0c0c0c0-0000-4000-8000-000000000003"
SEVERAL = "c0c0c0c0-0000-4000-8000-000000000005"
OpenConn = Callable[[str], Connection]
WaitUntil = Callable[..., None]


def _boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


@pytest.fixture
def page(qtbot: Any, aio_loop: Any) -> Iterator[ConsolePage]:
    widget = ConsolePage()
    qtbot.addWidget(widget)
    widget.resize(760, 480)
    widget.show()
    yield widget
    for box in _boxes():
        box.done(0)
    if shiboken6.isValid(widget):
        widget.clear()


def _state(page: ConsolePage) -> ConsoleState | None:
    return page.session.state if page.session is not None else None


def test_no_serial_console_offers_to_add_one(
    page: ConsolePage, open_connection: OpenConn, wait_until: WaitUntil, run: Any, qtbot: Any
) -> None:
    conn = open_connection("console.xml")
    page.show_domain(conn, BARE)
    page.set_shown(True)
    wait_until(lambda: _state(page) is ConsoleState.NO_DEVICE, what="no device")
    assert page.stack.currentWidget() is page.message
    assert page.message.headline.text() == "This virtual machine has no serial console."
    assert "next time" in page.message.hint.text()
    assert page.add_button.isVisible()
    assert not page.take_over_button.isVisible() and not page.device_box.isVisible()
    assert not _boxes(), "no error dialog for a domain without a serial console"
    page.grab().save("/tmp/console-no-serial.png")

    # Cancel changes nothing.
    qtbot.mouseClick(page.add_button, _left())
    wait_until(lambda: len(_boxes()) == 1, what="the question")
    _boxes()[0].done(QMessageBox.StandardButton.Cancel.value)
    run(_settle())
    xml = run(conn.call(lambda v: v.lookupByUUIDString(BARE).XMLDesc(2)))
    assert list_devices(xml) == ()

    # Yes adds it; the domain runs, so a note says it waits for the next boot.
    qtbot.mouseClick(page.add_button, _left())
    wait_until(lambda: len(_boxes()) == 1, what="the question")
    _boxes()[0].done(QMessageBox.StandardButton.Yes.value)
    wait_until(lambda: any("next boot" in b.informativeText() for b in _boxes()), what="the note")
    for box in _boxes():
        box.done(0)
    xml = run(conn.call(lambda v: v.lookupByUUIDString(BARE).XMLDesc(2)))
    assert [d.source_type for d in list_devices(xml)] == ["pty"]
    # Logged as virsh define of the definition libvirt stored, which the script writes.
    [entry] = [e for e in conn.command_log.entries if "define" in e.command.lines[0]]
    assert entry.outcome is Outcome.OK
    [(_name, written)] = entry.command.files
    assert written == run(conn.call(fetch_xml, BARE))


def test_not_running_is_a_calm_message(
    page: ConsolePage, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    conn = open_connection("console.xml")
    page.show_domain(conn, OFF)
    page.set_shown(True)
    assert _state(page) is ConsoleState.NOT_RUNNING
    wait_until(lambda: page.session is not None and page.session.devices != (), what="devices")
    assert page.stack.currentWidget() is page.message
    assert page.message.headline.text() == "The virtual machine is not running."
    assert page.status.text() == "Not running"
    assert not page.add_button.isVisible()
    assert not page.terminal.input_enabled()
    assert not _boxes()
    page.grab().save("/tmp/console-not-running.png")


def test_driver_without_consoles(
    page: ConsolePage, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    conn = open_connection("console.xml")
    page.show_domain(conn, SERIAL)
    page.set_shown(True)
    wait_until(lambda: _state(page) is ConsoleState.DISCONNECTED, what="the refusal")
    assert "cannot open serial consoles" in page.status.text()
    assert page.stack.currentWidget() is page.message
    assert not _boxes()


def test_session_only_while_shown_and_closed_on_switch(
    page: ConsolePage, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    conn = open_connection("console.xml")
    assert page.target() is None
    page.show_domain(conn, SERIAL)
    assert page.target() == (conn, SERIAL)
    assert page.session is None  # hidden: nothing opened
    page.set_shown(True)
    first = page.session
    assert first is not None and not first.closed
    page.set_shown(False)
    assert page.session is None and first.closed and not first.attached
    page.set_shown(True)
    second = page.session
    assert second is not None and second is not first
    page.show_domain(conn, SEVERAL)
    assert second.closed and page.session is not None and page.session.uuid == SEVERAL
    page.show_domain(conn, SEVERAL)  # the same again: kept
    third = page.session
    page.clear()
    assert page.session is None and third.closed


def test_several_devices_show_a_selector(
    page: ConsolePage, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    conn = open_connection("console.xml")
    page.show_domain(conn, SEVERAL)
    page.set_shown(True)
    wait_until(lambda: page.device_box.count() == 3, what="the devices")
    assert page.device_box.isVisible()
    page.device_box.setCurrentIndex(1)
    page.device_box.activated.emit(1)
    # The test driver gives no aliases; choosing a device without one keeps the primary.
    assert page.session is not None
    page.show_domain(conn, SERIAL)
    wait_until(lambda: _state(page) is ConsoleState.DISCONNECTED, what="the refusal")
    assert not page.device_box.isVisible()


def test_log_to_file_follows_the_domain(
    page: ConsolePage, open_connection: OpenConn, tmp_path: Path, run: Any
) -> None:
    conn = open_connection("console.xml")
    page.show_domain(conn, SERIAL)
    page.set_shown(True)
    target = tmp_path / "serial.log"
    assert page.start_logging(target)
    assert page.log_button.isChecked() and page.session is not None
    assert page.session.log_path == target
    page.set_shown(False)
    page.set_shown(True)  # a new session logs on
    assert page.session is not None and page.session.log_path == target
    page.show_domain(conn, SEVERAL)  # another domain: not logged
    assert not page.log_button.isChecked()
    assert page.session is not None and page.session.log_path is None

    async def bad_path() -> bool:  # as from the file dialog's coroutine
        return page.start_logging(tmp_path / "no" / "such" / "dir.log")

    assert not run(bad_path())
    boxes = _boxes()
    assert len(boxes) == 1 and "cannot be opened" in boxes[0].text()
    boxes[0].done(0)
    assert not page.log_button.isChecked()


def test_details_pane_opens_the_console_only_on_its_tab(
    qtbot: Any, aio_loop: Any, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.resize(800, 500)
    pane.show()
    conn = open_connection("console.xml")
    console = pane.console_tab
    pane.show_domain(conn, BARE)
    assert console.session is None
    pane.setCurrentWidget(console)
    first = console.session
    assert first is not None and first.uuid == BARE
    wait_until(lambda: first.state is ConsoleState.NO_DEVICE, what="no device")
    pane.grab().save("/tmp/details-console-no-serial.png")
    pane.show_domain(conn, OFF)  # switching domains closes the old session
    assert first.closed
    second = console.session
    assert second is not None and second.uuid == OFF
    pane.setCurrentWidget(pane.xml_tab)  # another tab closes it
    assert second.closed and console.session is None
    pane.setCurrentWidget(console)
    assert console.session is not None
    pane.show_connection(conn)  # the connection's overview: nothing open
    assert console.session is None
    pane.show_domain(conn, OFF)
    pane.setCurrentWidget(console)
    assert console.session is not None
    pane.clear()
    assert console.session is None


def test_main_window_shows_a_domain_console(
    qtbot: Any, settings: Any, fast_timing: Any, run: Any, wait_until: WaitUntil, data_uri: Any
) -> None:
    built: Services = build(settings, fast_timing)
    window = built.window
    window.show()
    qtbot.waitExposed(window)
    try:
        conn = built.manager.add(data_uri("console.xml"), persist=False)
        assert run(conn.open_and_wait()), conn.failure
        wait_until(lambda: window.model.index_of_domain(conn, OFF).isValid(), what="the row")
        window.show_domain_console(conn, OFF)
        assert [d.record.uuid for d in window.selected_domains()] == [OFF]
        assert window.details.currentWidget() is window.details.console_tab
        assert window.details.console_tab.session is not None
        wait_until(
            lambda: (
                window.details.console_tab.message.headline.text()
                == "The virtual machine is not running."
            ),
            what="the message",
        )
    finally:
        for box in _boxes():
            box.done(0)
        run(built.manager.shutdown())
        window.hide()
        window.deleteLater()


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


async def _settle() -> None:
    import asyncio

    await asyncio.sleep(0.2)


def test_send_key_menu_follows_the_shown_domain(
    page: ConsolePage, open_connection: OpenConn
) -> None:
    from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu

    menu = page.send_key_button.menu()
    assert isinstance(menu, SendKeysMenu)
    assert page.target() is None
    conn = open_connection("console.xml")
    page.show_domain(conn, SERIAL)
    assert page.target() == (conn, SERIAL)
    titles = [a.text().replace("&", "") for a in menu.actions()]
    assert "Ctrl+Alt+Del" in titles and any(t.startswith("Type Text") for t in titles)
