"""The Display tab against a fake VNC server on the test driver's domains:
keys by scancode, absolute and grabbed relative pointers, resizing, scaling,
full screen, screenshots, the clipboard and the messages for every display
kvmdesk cannot show."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.core.display import DisplayState
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.display import display_actions
from kvmdesk.ui.domain.display.display_page import DisplayPage
from kvmdesk.ui.domain.display.display_view import Scale
from kvmdesk.virt.vnc import rfb
from tests.unit.vnc.fake_server import FakeServer, Servers, SharePolicy
from tests.unit.vnc.rfb_bytes import raw, rect, update

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(
        r"^This plugin does not support propagateSizeHints\(\)$",
        r"^This plugin does not support grabbing the (mouse|keyboard)$",  # offscreen
    ),
]

VNC = "d15d15d1-0000-4000-8000-000000000001"
SPICE = "d15d15d1-0000-4000-8000-000000000002"
HEADLESS = "d15d15d1-0000-4000-8000-000000000003"
OpenConn = Callable[[str], Connection]
WaitUntil = Callable[..., None]


def qemu_server(absolute: bool = True) -> Callable[[FakeServer], None]:
    def start(server: FakeServer) -> None:
        server.handshake_with_password(320, 200, password="s3cret")
        server.send(
            update(
                rect(0, 0, 0, 0, rfb.QEMU_EXTENDED_KEY),
                rect(int(absolute), 0, 0, 0, rfb.POINTER_TYPE_CHANGE),
                raw(0, 0, 320, 200, b"\x00\x00\xff\x00"),
            )
        )

    return start


@pytest.fixture
def servers() -> Iterator[Servers]:
    made = Servers()
    yield made
    made.close()


@pytest.fixture
def page(qtbot: Any, aio_loop: Any, servers: Servers) -> Iterator[DisplayPage]:
    widget = DisplayPage(opener=servers)
    qtbot.addWidget(widget)
    widget.resize(800, 560)
    widget.show()
    yield widget
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox) and box.isVisible():
            box.done(0)
    if shiboken6.isValid(widget):
        widget.clear()


def _connect(
    page: DisplayPage, conn: Connection, wait_until: WaitUntil, uuid: str = VNC
) -> FakeServer:
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: page.session is not None and page.session.connected, what="connected")
    wait_until(lambda: page.session is not None and page.session.frames > 0, what="a frame")
    opener = page._opener
    assert isinstance(opener, Servers)
    return opener.last


def _waits_for(server: FakeServer, wait_until: WaitUntil, data: bytes, what: str) -> None:
    wait_until(lambda: data in server.sent(), what=what)


def test_keys_go_by_scancode_and_tab_stays_in_the_guest(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server()
    server = _connect(page, open_connection("display.xml"), wait_until)
    assert page.stack.currentWidget() is page.scroller
    view = page.view
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 1, ord("a"), 0x1E), "A down")
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 0, ord("a"), 0x1E), "A up")
    QTest.keyClick(view, Qt.Key.Key_Tab)
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 1, 0xFF09, 0x0F), "Tab")
    assert view.hasFocus()
    QTest.keyClick(view, Qt.Key.Key_Up)
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 1, 0xFF52, 0xC8), "Up")


def test_focus_leaving_releases_held_keys(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server()
    server = _connect(page, open_connection("display.xml"), wait_until)
    view = page.view
    view.setFocus()
    QTest.keyPress(view, Qt.Key.Key_Shift)
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 1, 0xFFE1, 42), "Shift down")
    page.scale_box.setFocus()
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 0, 0xFFE1, 42), "Shift up")


def test_absolute_pointer_in_guest_pixels(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server(absolute=True)
    server = _connect(page, open_connection("display.xml"), wait_until)
    view = page.view
    target = view.target_rect()
    # Fit: the 320x200 screen is scaled up to the view; its middle is the guest's middle.
    point = target.center().toPoint()
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    guest = view.to_screen(target.center())
    assert guest is not None and abs(guest.x() - 160) <= 1 and abs(guest.y() - 100) <= 1
    _waits_for(
        server, wait_until, struct.pack(">BBHH", 5, 1, guest.x(), guest.y()), "the left button"
    )
    _waits_for(server, wait_until, struct.pack(">BBHH", 5, 0, guest.x(), guest.y()), "release")
    assert not view.grabbed


def test_relative_pointer_is_grabbed_with_a_hint_and_released(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server(absolute=False)
    conn = open_connection("display.xml")
    server = _connect(page, conn, wait_until)
    wait_until(lambda: page.session is not None and not page.session.absolute, what="relative")
    assert "click to grab" in page.status.text()
    view = page.view
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rect().center())
    assert view.grabbed
    assert view.hint.isVisible()
    assert view.hint.text() == "Press Ctrl+Alt to release the pointer"
    centre = view.mapFromGlobal(view.mapToGlobal(view.rect().center()))
    QTest.mouseMove(view, centre + QPoint(7, -3))
    _waits_for(server, wait_until, struct.pack(">BBHH", 5, 0, 0x7FFF + 7, 0x7FFF - 3), "motion")
    QTest.keyPress(view, Qt.Key.Key_Control)
    QTest.keyPress(view, Qt.Key.Key_Alt, Qt.KeyboardModifier.ControlModifier)
    assert not view.grabbed
    assert not view.hint.isVisible()
    # The keys the release combination pressed in the guest are let go there.
    _waits_for(server, wait_until, struct.pack(">BBHII", 255, 0, 0, 0xFFE3, 29), "Ctrl up")


def test_the_release_keys_are_a_setting(page: DisplayPage, servers: Servers, settings: Any) -> None:
    page.use_settings(settings)
    assert page.view.release.label() == "Ctrl+Alt"
    assert page.release_actions.actions()[0].isChecked()
    page.release_actions.actions()[1].trigger()
    assert settings.display_release == "ctrl+alt+shift"
    assert page.view.release.label() == "Ctrl+Alt+Shift"


def test_resize_scale_and_full_screen(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server()
    server = _connect(page, open_connection("display.xml"), wait_until)
    view = page.view
    assert view.screen_size().width() == 320
    server.send(update(rect(0, 0, 640, 480, rfb.DESKTOP_SIZE)))
    wait_until(lambda: view.screen_size().width() == 640, what="the resize")
    assert view.screen_size().height() == 480
    page.set_scale(Scale.ONE_TO_ONE)
    ratio = view.devicePixelRatioF()
    assert view.size().width() == round(640 / ratio)
    assert view.target_rect().width() == pytest.approx(640 / ratio)
    page.set_scale(Scale.FIT)
    assert page.scroller.widgetResizable()
    page.toggle_fullscreen()
    assert page.fullscreen
    assert page.scroller.window() is not page.window()
    assert page.scroller.window().isFullScreen()
    page.toggle_fullscreen()
    assert not page.fullscreen
    assert page.scroller.window() is page.window()


def test_copy_the_live_screen(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server()
    _connect(page, open_connection("display.xml"), wait_until)
    page.copy()
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (320, 200)
    assert image.pixelColor(10, 10).red() == 255


def test_the_clipboard_is_shared_only_when_asked(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server()
    server = _connect(page, open_connection("display.xml"), wait_until)
    QGuiApplication.clipboard().setText("host text")
    server.send(b"\x03\0\0\0" + struct.pack(">I", 10) + b"guest text")
    wait_until(lambda: page.session is not None and page.session.client is not None, what="")
    QTest.qWait(200)
    assert QGuiApplication.clipboard().text() == "host text"
    assert b"host text" not in server.sent()
    page.clipboard_action.setChecked(True)
    _waits_for(server, wait_until, b"\x06\0\0\0" + struct.pack(">I", 9) + b"host text", "offer")
    server.send(b"\x03\0\0\0" + struct.pack(">I", 10) + b"guest text")
    wait_until(lambda: QGuiApplication.clipboard().text() == "guest text", what="guest text")
    page.clipboard_action.setChecked(False)


@pytest.mark.parametrize(
    ("uuid", "state", "headline", "button"),
    [
        (SPICE, DisplayState.SPICE_ONLY, "SPICE display", "add_button"),
        (HEADLESS, DisplayState.NO_DISPLAY, "no graphical display", "add_button"),
    ],
)
def test_displays_it_cannot_show_say_why(
    page: DisplayPage,
    open_connection: OpenConn,
    wait_until: WaitUntil,
    uuid: str,
    state: DisplayState,
    headline: str,
    button: str,
) -> None:
    page.show_domain(open_connection("display.xml"), uuid)
    page.set_shown(True)
    wait_until(lambda: page.session is not None and page.session.state is state, what="state")
    assert page.stack.currentWidget() is page.message
    assert headline in page.message.headline.text()
    assert getattr(page, button).isVisibleTo(page)
    assert "next time the virtual machine starts" in page.message.hint.text() or (
        "next boot" in page.message.hint.text()
    )


def test_a_refused_password_offers_to_enter_one(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = lambda s: s.handshake_with_password(password="something else")
    page.show_domain(open_connection("display.xml"), VNC)
    page.set_shown(True)
    wait_until(
        lambda: page.session is not None and page.session.state is DisplayState.AUTH_FAILED,
        what="the refusal",
    )
    assert page.status.text() == "Password refused"
    assert page.password_button.isVisibleTo(page)
    assert page.retry_button.isVisibleTo(page)


def test_the_session_lives_only_while_the_tab_shows(
    page: DisplayPage, servers: Servers, open_connection: OpenConn, wait_until: WaitUntil
) -> None:
    servers.on_open = qemu_server()
    _connect(page, open_connection("display.xml"), wait_until)
    session = page.session
    assert session is not None
    page.set_shown(False)
    assert page.session is None
    assert session.state is DisplayState.IDLE


def test_the_details_pane_has_a_display_tab(qtbot: Any, aio_loop: Any) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    assert pane.tab_names()["display"] is pane.display_tab
    assert pane.tabText(pane.indexOf(pane.display_tab)) == "Display"


def test_save_screenshot_writes_a_png_and_logs_virsh_screenshot(
    page: DisplayPage,
    servers: Servers,
    open_connection: OpenConn,
    wait_until: WaitUntil,
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    servers.on_open = qemu_server()
    conn = open_connection("display.xml")
    _connect(page, conn, wait_until)
    target = tmp_path / "screen 'one'.png"

    async def chosen(_parent: Any, _suggested: str) -> Path:
        return target

    monkeypatch.setattr(display_actions, "ask_png_path", chosen)
    assert run(page.save()) == target
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    entry = conn.command_log.entries[-1]
    name = conn.domains[VNC].name
    assert entry.outcome is Outcome.OK
    assert entry.command.lines[0][3:] == (
        "screenshot", "--domain", name, "--file", str(target), "--screen", "0",
    )  # fmt: skip
    # A file that cannot be written: said, and logged as failed.
    monkeypatch.setattr(display_actions, "report_text", lambda *args: None)
    missing = tmp_path / "missing" / "x.png"
    target = missing
    assert run(page.save()) is None
    assert conn.command_log.entries[-1].outcome is Outcome.FAILED
    assert str(missing) in conn.command_log.entries[-1].error


def test_a_taken_display_offers_to_take_it_over(
    page: DisplayPage,
    servers: Servers,
    open_connection: OpenConn,
    wait_until: WaitUntil,
    qtbot: Any,
) -> None:
    policy = SharePolicy()
    policy.holder = other = FakeServer()
    servers.on_open = policy
    page.show_domain(open_connection("display.xml"), VNC)
    page.set_shown(True)
    wait_until(
        lambda: page.session is not None and page.session.state is DisplayState.TAKEN,
        what="the taken display",
    )
    assert page.status.text() == "Display taken by another client"
    assert "holds the display" in page.message.headline.text()
    assert "every 5 seconds" in page.message.hint.text()
    assert page.take_over_button.isVisibleTo(page)
    page.take_over_button.click()
    box = _question(wait_until)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert page.session is not None and page.session.state is DisplayState.TAKEN
    page.take_over_button.click()
    box = _question(wait_until)
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_until(lambda: page.session is not None and page.session.connected, what="taken over")
    assert policy.flags[-1] == 0
    assert not page.take_over_button.isVisibleTo(page)
    other.close()


def _question(wait_until: WaitUntil) -> QMessageBox:
    found: list[QMessageBox] = []

    def visible() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return bool(found)

    wait_until(visible, what="the question")
    return found[0]
