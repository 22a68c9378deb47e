"""The Screenshot tab's tools on the test driver: the interval setting,
capture after a delay, capture all into a folder, the Send Key menu, typed
text and keyboard input, and the Virtual Machine menu's Send Key entry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.core.settings import Settings
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.screenshot.capture_all_dialog import CaptureAllDialog
from kvmdesk.ui.domain.screenshot.screenshot_view import ScreenshotView
from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu, TypeTextDialog, one_running
from kvmdesk.ui.main.actions import DomainActions
from kvmdesk.virt import keys

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"  # running
BETA = "b2b2b2b2-0000-4000-8000-000000000002"  # shut off
OpenConn = Callable[[str], Connection]


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> Any:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(480, 600)
    widget.show()
    widget.screenshot_tab.feed.interval = 0.1
    yield widget
    widget.screenshot_tab.feed.stop()
    for w in QApplication.topLevelWidgets():
        if isinstance(w, (QMessageBox, QFileDialog, CaptureAllDialog, TypeTextDialog)):
            w.close()


def _spin(run: Any, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    async def go() -> Any:
        while not (value := predicate()):
            await asyncio.sleep(0.01)
        return value

    return run(go(), timeout)


def _shown(run: Any, pane: DetailsPane, conn: Connection, uuid: str) -> ScreenshotView:
    async def go() -> None:
        pane.show_domain(conn, uuid)
        pane.setCurrentWidget(pane.screenshot_tab)

    run(go())
    view = pane.screenshot_tab
    if conn.domains[uuid].state.is_active:
        _spin(run, lambda: view.frame is not None)
    return view


def _visible(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def _png(path: Path) -> tuple[tuple[int, int], dict[str, str]]:
    with Image.open(path) as img:
        assert img.format == "PNG"
        img.load()
        return img.size, dict(img.text)  # type: ignore[attr-defined]


# -- interval -----------------------------------------------------------------------


def test_interval_comes_from_the_settings_and_is_saved(
    qtbot: Any, aio_loop: Any, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "kvmdesk.ini")
    settings.screenshot_interval = 2.0
    view = ScreenshotView(settings=settings)
    qtbot.addWidget(view)
    assert view.feed.interval == 2.0
    assert view.interval_box.currentData() == 2.0
    choices = [view.interval_box.itemData(i) for i in range(view.interval_box.count())]
    assert choices == [0.25, 0.5, 1.0, 2.0, 5.0]

    view.interval_box.setCurrentIndex(0)
    view.interval_box.activated.emit(0)
    assert view.feed.interval == 0.25
    assert Settings(tmp_path / "kvmdesk.ini").screenshot_interval == 0.25

    settings.screenshot_interval = 30
    other = ScreenshotView(settings=settings)
    qtbot.addWidget(other)
    assert other.feed.interval == 30.0 and other.interval_box.currentData() == 30.0


def test_without_settings_the_interval_still_changes(qtbot: Any, aio_loop: Any) -> None:
    view = ScreenshotView()
    qtbot.addWidget(view)
    assert view.feed.interval == 1.0 and view.interval_box.currentData() == 1.0
    view.set_interval(0.5)
    assert view.feed.interval == 0.5 and view.interval_box.currentData() == 0.5


# -- capture after a delay ------------------------------------------------------------


def test_delayed_capture_counts_down_then_saves_like_save(
    pane: DetailsPane, open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("two-domains.xml")
    view = _shown(run, pane, conn, ALPHA)
    task = view.start_delayed_capture(1.5)
    assert task is not None
    _spin(run, lambda: view.status.text() == "Capturing in 2 s…")
    assert view.cancel_button.isVisible()
    assert view.start_delayed_capture(1) is None  # one at a time
    assert not view.delay_actions[3].isEnabled()
    dialog = _spin(run, lambda: _visible(QFileDialog))
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "later.png"
    dialog.findChild(QLineEdit, "fileNameEdit").setText(str(target))
    dialog.accept()
    assert _spin(run, task.done) and task.result() == target
    size, text = _png(target)
    assert view.frame is not None and size == (view.frame.width, view.frame.height)
    assert text["kvmdesk:uuid"] == ALPHA and text["kvmdesk:domain"] == "alpha"
    assert view.status.text() == "" and not view.cancel_button.isVisible()
    assert view.delay_actions[3].isEnabled()


def test_delayed_capture_can_be_cancelled(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = _shown(run, pane, conn, ALPHA)
    task = view.start_delayed_capture(5)
    assert task is not None
    _spin(run, lambda: view.status.text() == "Capturing in 5 s…")
    view.cancel_button.click()
    _spin(run, task.done)
    assert task.cancelled()
    assert _visible(QFileDialog) is None
    assert view.status.text() == "" and not view.cancel_button.isVisible()


def test_delay_needs_a_running_domain(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = _shown(run, pane, conn, BETA)
    assert not any(a.isEnabled() for a in view.delay_actions.values())
    assert not view.send_button.isEnabled() and not view.keyboard_button.isEnabled()


# -- capture all -----------------------------------------------------------------------


def test_capture_all_asks_checks_and_reports(
    pane: DetailsPane, open_connection: OpenConn, run: Any, tmp_path: Path
) -> None:
    conn = open_connection("names.xml")
    uuid = next(u for u, r in conn.domains.items() if r.state.is_active)
    view = _shown(run, pane, conn, uuid)
    folder = tmp_path / "shots"
    folder.mkdir()
    task = view.start_capture_all()
    assert task is not None
    dialog = _spin(run, lambda: _visible(CaptureAllDialog))
    assert dialog.template.text() == "{connection}-{domain}-{time}.png"

    dialog.folder.setText(str(tmp_path / "missing"))
    dialog.accept()
    assert dialog.isVisible() and "does not exist" in dialog.error.text()
    dialog.folder.setText(str(folder))
    dialog.template.setText("{domain}-{user}.png")
    assert "unknown placeholder" in dialog.preview.text()
    dialog.accept()
    assert dialog.isVisible() and "unknown placeholder “{user}”" in dialog.error.text()
    dialog.template.setText("shot-{domain}.png")
    assert dialog.preview.text() == "For example: shot-web1.png"
    dialog.accept()

    outcome = _spin(run, lambda: task.done() and task.result())
    running = sorted(r.name for r in conn.domains.values() if r.state.is_active)
    assert sorted(name for name, _p in outcome.written) == running
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for _n, p in outcome.written)
    assert all(p.name.startswith("shot-") for p in folder.iterdir())
    box = _spin(run, lambda: _visible(QMessageBox))
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"Saved {len(running)} screenshots."
    assert all(p.name in box.informativeText() for _n, p in outcome.written)
    box.close()


# -- send keys -----------------------------------------------------------------------------


def test_send_keys_menu_sends_combos_and_reports_failures(
    qtbot: Any, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    host = QWidget()
    qtbot.addWidget(host)
    chosen: list[tuple[Connection, str] | None] = [(conn, ALPHA)]
    menu = SendKeysMenu(lambda: chosen[0], host)
    names = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert names == [
        "Ctrl+Alt+Del",
        "Ctrl+Alt+Backspace",
        "Ctrl+Alt+F1…F12",
        "PrintScreen",
        "Type Text…",
    ]
    assert [a.text() for a in menu.function_keys.actions()] == [
        f"Ctrl+Alt+F{n}" for n in range(1, 13)
    ]
    assert run(menu.send_combo(keys.CTRL_ALT_DEL)) is True
    menu.function_keys.actions()[1].trigger()
    _spin(run, lambda: menu.sent == 2)

    chosen[0] = (conn, BETA)  # shut off
    assert run(menu.send_combo(keys.PRINT_SCREEN)) is False
    box = _spin(run, lambda: _visible(QMessageBox))
    assert box.windowTitle() == "PrintScreen was not sent"
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "not running" in box.detailedText()
    box.close()
    assert menu.sent == 2
    # Each combination is in the log as virsh send-key, the failed one with libvirt's words.
    entries = conn.command_log.entries[-3:]
    assert [e.command.lines[0][3:] for e in entries] == [
        ("send-key", "--domain", "alpha", "--codeset", "linux", "29", "56", "111"),
        ("send-key", "--domain", "alpha", "--codeset", "linux", "29", "56", "60"),
        ("send-key", "--domain", "beta", "--codeset", "linux", "99"),
    ]
    assert [e.outcome for e in entries] == [Outcome.OK, Outcome.OK, Outcome.FAILED]
    assert "not running" in entries[-1].error

    chosen[0] = None
    menu.aboutToShow.emit()
    assert not any(a.isEnabled() for a in menu.actions() if not a.isSeparator())


def test_type_text_refuses_untypable_characters_then_types(
    qtbot: Any, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    host = QWidget()
    qtbot.addWidget(host)
    menu = SendKeysMenu(lambda: (conn, ALPHA), host)
    task = asyncio.ensure_future(menu.type_text())
    dialog = _spin(run, lambda: _visible(TypeTextDialog))
    dialog.enter.setChecked(False)
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "Enter some text to type."
    dialog.enter.setChecked(True)
    dialog.text.setText("café ½")
    dialog.accept()
    assert dialog.isVisible()
    assert "cannot be typed" in dialog.error.text()
    assert "“é”" in dialog.error.text() and "“½”" in dialog.error.text()
    dialog.text.setText("echo kvmdesk$((40+2))")
    dialog.accept()
    assert _spin(run, task.done) and task.result() is True
    assert menu.sent == len("echo kvmdesk$((40+2))") + 1  # and Enter
    assert conn.command_log.entries == []  # typed text may be a password: never logged


def test_keyboard_input_goes_to_the_guest_until_released(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = _shown(run, pane, conn, ALPHA)
    view.keyboard_button.click()
    assert view.keys.enabled and view.keyboard_button.isChecked()
    assert "Keys go to the guest" in view.status.text()
    canvas = view.canvas
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_A)
    QTest.keyClick(canvas, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(canvas, Qt.Key.Key_F2, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    _spin(run, lambda: len(view.keys.sent) == 4)
    assert view.keys.sent == [(30,), (42, 30), (29, 60), (28,)]

    # Ctrl+Alt+Shift gives the keyboard back
    QTest.keyPress(canvas, Qt.Key.Key_Control)
    QTest.keyPress(canvas, Qt.Key.Key_Alt, Qt.KeyboardModifier.ControlModifier)
    QTest.keyPress(
        canvas,
        Qt.Key.Key_Shift,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert not view.keys.enabled and not view.keyboard_button.isChecked()
    assert view.status.text() == ""
    QTest.keyClick(canvas, Qt.Key.Key_B)
    assert len(view.keys.sent) == 4


def test_keyboard_input_is_off_for_a_shut_off_domain(
    pane: DetailsPane, open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    view = _shown(run, pane, conn, ALPHA)
    view.set_keyboard_input(True)
    assert view.keys.enabled
    _shown(run, pane, conn, BETA)
    assert not view.keys.enabled
    view.set_keyboard_input(True)
    assert not view.keys.enabled


def test_vm_menu_send_key_needs_exactly_one_running_domain(
    qtbot: Any, open_connection: OpenConn
) -> None:
    conn = open_connection("two-domains.xml")
    window = QMainWindow()
    qtbot.addWidget(window)
    acts = DomainActions(window)
    alpha = Selected(conn, conn.domains[ALPHA])
    beta = Selected(conn, conn.domains[BETA])
    acts.update_for([alpha])
    assert acts.send_key.isEnabled()
    for selection in ([], [beta], [alpha, beta]):
        acts.update_for(selection)
        assert not acts.send_key.isEnabled()
    assert one_running([alpha]) == (conn, ALPHA)
    assert one_running([beta]) is None and one_running([alpha, beta]) is None


def test_main_window_vm_menu_has_the_send_key_submenu(
    qtbot: Any, settings: Settings, fast_timing: Any, run: Any, data_uri: Callable[[str], str]
) -> None:
    from kvmdesk.app import build

    built = build(settings, fast_timing)
    window = built.window
    try:
        entry = next(a for a in window.vm_menu.actions() if a.text() == "Send &Key")
        assert isinstance(entry.menu(), SendKeysMenu)
        assert not entry.isEnabled()  # nothing selected
        conn = built.manager.add(data_uri("two-domains.xml"), persist=False)
        assert run(conn.open_and_wait())
        window.acts.update_for([Selected(conn, conn.domains[ALPHA])])
        assert entry.isEnabled()
    finally:
        run(built.manager.shutdown())
        window.hide()
        window.deleteLater()


# -- the canvas ---------------------------------------------------------------------------


def test_canvas_enlarges_sharply_and_shrinks_smoothly(qtbot: Any) -> None:
    from PySide6.QtGui import QColor, QImage

    from kvmdesk.ui.domain.screenshot.screen_canvas import ScreenCanvas

    checker = QImage(4, 4, QImage.Format.Format_RGB32)
    for x in range(4):
        for y in range(4):
            checker.setPixelColor(x, y, QColor("black") if (x + y) % 2 else QColor("white"))
    canvas = ScreenCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(200, 200)
    canvas.set_image(checker)
    big = canvas.pixmap()
    assert big.devicePixelRatio() == canvas.devicePixelRatioF()
    colours = {big.toImage().pixelColor(x, y).name() for x in range(0, 160, 7) for y in (3, 50)}
    assert colours == {"#000000", "#ffffff"}  # no blurred greys when enlarging

    wide = QImage(400, 400, QImage.Format.Format_RGB32)
    for x in range(400):
        for y in range(400):
            wide.setPixelColor(x, y, QColor("black") if (x + y) % 2 else QColor("white"))
    canvas.set_image(wide)
    small = canvas.pixmap().toImage()
    assert small.width() < 400
    greys = {small.pixelColor(x, 20).name() for x in range(10, 60)}
    assert greys - {"#000000", "#ffffff"}  # shrinking averages the pixels

    canvas.set_native(True)
    assert canvas.image().size() == wide.size()
    assert canvas.size() == canvas.native_size()
    # 1:1 is painted from the image itself: pixel for pixel, no scaled copy.
    painted = canvas.grab().toImage()
    assert {painted.pixelColor(x, 5).name() for x in range(10, 20)} == {"#000000", "#ffffff"}
    assert painted.pixelColor(11, 5) == wide.pixelColor(11, 5)


def test_a_large_screen_is_scaled_strip_by_strip_without_seams(qtbot: Any) -> None:
    """Above STRIP_PIXELS the canvas scales a strip at a time (no 4-bytes-a-pixel
    copy of the whole screen); the picture is the one scaling it whole gives."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter

    from kvmdesk.ui.domain.screenshot.screen_canvas import STRIP_PIXELS, scaled_in_strips

    big = QImage(3000, 1200, QImage.Format.Format_RGB888)
    assert big.width() * big.height() > STRIP_PIXELS
    big.fill(QColor("white"))
    painter = QPainter(big)
    for y in range(0, 1200, 50):
        painter.fillRect(0, y, 3000, 25, QColor(0, 0, (y * 2) % 256))
    painter.end()
    fit = QSize(750, 300)
    strips = scaled_in_strips(big, fit).convertToFormat(QImage.Format.Format_RGB32)
    whole = big.scaled(fit, mode=Qt.TransformationMode.SmoothTransformation).convertToFormat(
        QImage.Format.Format_RGB32
    )
    assert strips.size() == fit
    # The same stripes at the same rows, give or take a row and the blend at a
    # strip's edge; a row left out would differ by up to 255.
    worst = max(
        min(
            abs(
                strips.pixelColor(x, y).blue() - whole.pixelColor(x, min(299, max(0, y + d))).blue()
            )
            for d in (-1, 0, 1)
        )
        for x in range(0, 750, 37)
        for y in range(300)
    )
    assert worst <= 100
