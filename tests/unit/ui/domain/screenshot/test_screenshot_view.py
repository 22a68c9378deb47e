"""The details pane's Screenshot tab: the guest's screen while the tab is
visible, a plain message when there is none, saving and copying."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kvmdesk.core.connection import Connection
from kvmdesk.core.screenshots import NOT_RUNNING
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.screenshot.screenshot_view import age_text, file_name_part

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
BETA = "b2b2b2b2-0000-4000-8000-000000000002"
OpenConn = Callable[[str], Connection]


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> Any:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.screenshot_tab.feed.interval = 0.1
    yield widget
    widget.screenshot_tab.feed.stop()


def _show(run: Any, pane: DetailsPane, conn: Connection, uuid: str, tab: bool = True) -> None:
    async def go() -> None:  # a slot in the application runs with the loop running
        pane.show_domain(conn, uuid)
        if tab:
            pane.setCurrentWidget(pane.screenshot_tab)

    run(go())


def _spin(run: Any, predicate: Callable[[], Any], timeout: float = 10.0) -> None:
    async def go() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    run(go(), timeout)


def test_running_domain_shows_its_screen(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, ALPHA)
    assert pane.isTabVisible(pane.indexOf(view))
    _spin(run, lambda: view.frame is not None)
    assert view.stack.currentWidget() is view.area
    pixmap = view.canvas.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 0 and pixmap.height() > 0
    # scaled to fit, aspect kept
    frame = view.frame
    assert frame is not None
    fit = pixmap.deviceIndependentSize()
    assert fit.width() <= view.canvas.width() + 1 and fit.height() <= view.canvas.height() + 1
    assert abs(fit.width() / fit.height() - frame.width / frame.height) < 0.02
    assert view.age.text().startswith("captured")
    assert view.save_button.isEnabled() and view.copy_button.isEnabled()

    view.native_button.setChecked(True)
    assert view.canvas.image().width() == frame.width
    assert view.canvas.size() == view.canvas.native_size()
    view.native_button.setChecked(False)


def test_captures_stop_when_the_tab_is_hidden(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, ALPHA, tab=False)
    run(asyncio.sleep(0.3))
    assert view.feed.captures == 0 and not view.feed.active

    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)
    assert view.feed.active

    async def hide() -> None:
        pane.setCurrentWidget(pane.overview)

    run(hide())
    assert not view.feed.active
    _spin(run, lambda: not view.feed.running)
    started = view.feed.captures
    run(asyncio.sleep(0.3))
    assert view.feed.captures == started


def test_captures_stop_while_the_window_is_minimised(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)

    async def minimise(on: bool) -> None:
        pane.setWindowState(Qt.WindowState.WindowMinimized if on else Qt.WindowState.WindowNoState)

    run(minimise(True))
    _spin(run, lambda: not view.feed.active)
    run(minimise(False))
    _spin(run, lambda: view.feed.active)


def test_shut_off_domain_shows_a_message(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, BETA)
    _spin(run, lambda: view.message.headline.text() == NOT_RUNNING)
    assert view.stack.currentWidget() is view.message
    assert view.message.hint.text() == "Its screen is shown here while it runs."
    assert view.frame is None and view.canvas.pixmap().isNull()
    assert not view.save_button.isEnabled() and not view.copy_button.isEnabled()
    assert view.feed.captures == 0

    # moving from a running domain to the shut-off one drops the picture
    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)
    _show(run, pane, conn, BETA)
    _spin(run, lambda: view.message.headline.text() == NOT_RUNNING)
    assert view.frame is None


def test_save_writes_a_png_with_metadata(
    pane: DetailsPane, open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)
    frame = view.frame
    assert frame is not None
    target = tmp_path / "alpha.png"
    view.save_to(target)
    with Image.open(target) as png:
        assert png.format == "PNG"
        assert png.size == (frame.width, frame.height)
        text = dict(png.text)  # type: ignore[attr-defined]
    assert text["Title"] == "alpha"
    assert text["kvmdesk:domain"] == "alpha"
    assert text["kvmdesk:uuid"] == ALPHA
    assert text["kvmdesk:uri"] == conn.uri
    assert text["Creation Time"].endswith("Z")


def test_copy_puts_the_image_on_the_clipboard(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)
    frame = view.frame
    assert frame is not None
    QGuiApplication.clipboard().clear()
    view.copy_button.click()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull()
    assert (image.width(), image.height()) == (frame.width, frame.height)


def test_clear_and_connection_view_stop_the_feed(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = pane.screenshot_tab
    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)

    async def to_connection() -> None:
        pane.show_connection(conn)

    run(to_connection())
    assert view.feed.uuid is None and view.frame is None
    assert not pane.isTabVisible(pane.indexOf(view))
    _spin(run, lambda: not view.feed.running)

    _show(run, pane, conn, ALPHA)
    _spin(run, lambda: view.frame is not None)
    pane.clear()
    assert view.feed.uuid is None and view.frame is None


def test_file_name_part_keeps_names_inside_the_folder() -> None:
    assert file_name_part("web-1") == "web-1"
    assert file_name_part("../../etc/passwd") == "etc_passwd"
    assert file_name_part("a/b\\c\nd") == "a_b_c_U_000A_d"
    # Hidden characters are written out, so the name cannot read otherwise.
    assert file_name_part("evil\u202egpj.exe") == "evil_U_202E_gpj.exe"
    assert file_name_part("web\u200b1") == "web_U_200B_1"
    assert file_name_part("...") == "screenshot"


def test_age_text() -> None:
    assert age_text(0.2) == "captured just now"
    assert age_text(2.2) == "captured 2 s ago"
    assert age_text(600) == "captured 10 min ago"
    assert age_text(3 * 3600) == "captured 3 h ago"
