"""The serial console's terminal widget: keys to guest bytes, paste, selection
and copy, zoom, scrollback, and nothing answered back to the guest."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QPaintEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kvmdesk.ui.domain.console.terminal_view import PAD, TerminalView

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

K = Qt.Key
M = Qt.KeyboardModifier


@pytest.fixture
def view(qtbot: Any) -> TerminalView:
    widget = TerminalView()
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


@pytest.fixture
def sent(view: TerminalView) -> list[bytes]:
    out: list[bytes] = []
    view.inputBytes.connect(out.append)
    return out


def press(
    qtbot: Any, view: TerminalView, key: Any, mods: Any = M.NoModifier, text: str = ""
) -> None:
    qtbot.keyClick(view, key, mods) if not text else qtbot.keyClicks(view, text)


@pytest.mark.parametrize(
    ("key", "mods", "expected"),
    [
        (K.Key_Up, M.NoModifier, b"\x1b[A"),
        (K.Key_Down, M.NoModifier, b"\x1b[B"),
        (K.Key_Right, M.NoModifier, b"\x1b[C"),
        (K.Key_Left, M.NoModifier, b"\x1b[D"),
        (K.Key_Home, M.NoModifier, b"\x1b[H"),
        (K.Key_End, M.NoModifier, b"\x1b[F"),
        (K.Key_PageUp, M.NoModifier, b"\x1b[5~"),
        (K.Key_PageDown, M.NoModifier, b"\x1b[6~"),
        (K.Key_Insert, M.NoModifier, b"\x1b[2~"),
        (K.Key_Delete, M.NoModifier, b"\x1b[3~"),
        (K.Key_F1, M.NoModifier, b"\x1bOP"),
        (K.Key_F4, M.NoModifier, b"\x1bOS"),
        (K.Key_F5, M.NoModifier, b"\x1b[15~"),
        (K.Key_F10, M.NoModifier, b"\x1b[21~"),
        (K.Key_F12, M.NoModifier, b"\x1b[24~"),
        (K.Key_Tab, M.NoModifier, b"\t"),
        (K.Key_Backtab, M.ShiftModifier, b"\x1b[Z"),
        (K.Key_Backspace, M.NoModifier, b"\x7f"),
        (K.Key_Return, M.NoModifier, b"\r"),
        (K.Key_Enter, M.KeypadModifier, b"\r"),
        (K.Key_Escape, M.NoModifier, b"\x1b"),
        (K.Key_C, M.ControlModifier, b"\x03"),
        (K.Key_D, M.ControlModifier, b"\x04"),
        (K.Key_Z, M.ControlModifier, b"\x1a"),
        (K.Key_W, M.ControlModifier, b"\x17"),
        (K.Key_Space, M.ControlModifier, b"\x00"),
        (K.Key_BracketRight, M.ControlModifier, b"\x1d"),
        (K.Key_Right, M.ControlModifier, b"\x1b[1;5C"),
        (K.Key_Up, M.ShiftModifier, b"\x1b[1;2A"),
        (K.Key_F5, M.ControlModifier, b"\x1b[15;5~"),
        (K.Key_B, M.AltModifier, b"\x1bb"),
        (K.Key_X, M.ControlModifier | M.AltModifier, b"\x1b\x18"),
    ],
)
def test_keys_send_xterm_sequences(
    qtbot: Any, view: TerminalView, sent: list[bytes], key: Any, mods: Any, expected: bytes
) -> None:
    qtbot.keyClick(view, key, mods)
    assert sent == [expected]


def test_application_cursor_mode_changes_arrows(
    qtbot: Any, view: TerminalView, sent: list[bytes]
) -> None:
    view.feed(b"\x1b[?1h")
    for key in (K.Key_Up, K.Key_Down, K.Key_Right, K.Key_Left, K.Key_Home, K.Key_End):
        qtbot.keyClick(view, key)
    assert sent == [b"\x1bOA", b"\x1bOB", b"\x1bOC", b"\x1bOD", b"\x1bOH", b"\x1bOF"]
    view.feed(b"\x1b[?1l")
    qtbot.keyClick(view, K.Key_Up)
    assert sent[-1] == b"\x1b[A"


def test_typed_text_is_utf8(qtbot: Any, view: TerminalView, sent: list[bytes]) -> None:
    qtbot.keyClicks(view, "ls -l")
    qtbot.keyClick(view, K.Key_Shift)  # a modifier alone sends nothing
    assert b"".join(sent) == b"ls -l"
    event = QKeyEvent(QEvent.Type.KeyPress, K.Key_Eacute, M.NoModifier, "é")
    QApplication.sendEvent(view, event)
    assert sent[-1] == "é".encode()


def test_tab_stays_in_the_terminal(qtbot: Any) -> None:
    """Tab goes to the guest even with other widgets to move the focus to."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(600, 400)
    view = TerminalView(parent)
    view.setGeometry(0, 0, 600, 360)
    edit = QLineEdit(parent)
    edit.setGeometry(0, 370, 600, 30)
    parent.show()
    qtbot.waitExposed(parent)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    out: list[bytes] = []
    view.inputBytes.connect(out.append)
    qtbot.keyClick(view, K.Key_Tab)
    qtbot.keyClick(view, K.Key_Backtab, M.ShiftModifier)
    assert out == [b"\t", b"\x1b[Z"]
    assert view.hasFocus() and not edit.hasFocus()


def test_input_disabled_sends_nothing(qtbot: Any, view: TerminalView, sent: list[bytes]) -> None:
    view.set_input_enabled(False)
    assert not view.input_enabled()
    qtbot.keyClicks(view, "abc")
    qtbot.keyClick(view, K.Key_Return)
    qtbot.keyClick(view, K.Key_C, M.ControlModifier)
    QGuiApplication.clipboard().setText("pasted")
    view.paste()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.MiddleButton)
    assert sent == []
    view.set_input_enabled(True)
    qtbot.keyClicks(view, "x")
    assert sent == [b"x"]


def test_paste_without_and_with_bracketed_paste(
    qtbot: Any, view: TerminalView, sent: list[bytes]
) -> None:
    QGuiApplication.clipboard().setText("echo one\necho two")
    qtbot.keyClick(view, K.Key_V, M.ControlModifier | M.ShiftModifier)
    assert sent == [b"echo one\recho two"]
    view.feed(b"\x1b[?2004h")
    # A paste that tries to end the bracket early cannot run its own commands.
    QGuiApplication.clipboard().setText("a\x1b[201~rm -rf /\n")
    view.paste()
    assert sent[-1] == b"\x1b[200~arm -rf /\r\x1b[201~"


def test_local_shortcuts_are_not_sent(qtbot: Any, view: TerminalView, sent: list[bytes]) -> None:
    size = view.font_point_size()
    qtbot.keyClick(view, K.Key_Plus, M.ControlModifier)
    assert view.font_point_size() == size + 1
    qtbot.keyClick(view, K.Key_Minus, M.ControlModifier)
    qtbot.keyClick(view, K.Key_Minus, M.ControlModifier)
    assert view.font_point_size() == size - 1
    qtbot.keyClick(view, K.Key_0, M.ControlModifier)
    assert view.font_point_size() == size
    qtbot.keyClick(view, K.Key_C, M.ControlModifier | M.ShiftModifier)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, K.Key_V, M.ControlModifier | M.ShiftModifier)
    assert sent == []


def test_zoom_changes_font_and_grid(view: TerminalView) -> None:
    cols, rows = view.terminal.cols, view.terminal.rows
    size = view.font().pointSizeF()
    view.zoom_in()
    view.zoom_in()
    assert view.font().pointSizeF() == size + 2
    assert view.terminal.cols < cols and view.terminal.rows < rows
    view.zoom_reset()
    assert view.font().pointSizeF() == size
    assert (view.terminal.cols, view.terminal.rows) == (cols, rows)
    for _ in range(200):
        view.zoom_out()
    assert view.font().pointSizeF() >= 5


def test_feed_then_screen_text(view: TerminalView) -> None:
    view.feed(b"\x1b[31mhello\x1b[0m\r\n")
    view.feed("世界\r\n$ ".encode())
    lines = view.screen_text().split("\n")
    assert lines[:3] == ["hello", "世界", "$"]
    assert len(lines) == view.terminal.rows


def test_resize_resizes_the_emulator(qtbot: Any, view: TerminalView) -> None:
    cols = view.terminal.cols
    view.resize(view.width() + 200, view.height())
    qtbot.waitUntil(lambda: view.terminal.cols > cols)
    view.feed(b"x" * view.terminal.cols)
    assert view.screen_text().split("\n")[0] == "x" * view.terminal.cols


def test_shift_page_up_shows_the_scrollback(
    qtbot: Any, view: TerminalView, sent: list[bytes]
) -> None:
    view.feed(b"".join(b"line %d\r\n" % i for i in range(200)))
    qtbot.wait(40)
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
    qtbot.keyClick(view, K.Key_PageUp, M.ShiftModifier)
    assert bar.value() == bar.maximum() - (view.terminal.rows - 1)
    # More output does not drag the view down while reading the scrollback.
    top_before = bar.maximum() - bar.value()
    view.feed(b"more\r\n")
    qtbot.wait(40)
    assert bar.maximum() - bar.value() == top_before + 1
    qtbot.keyClick(view, K.Key_PageDown, M.ShiftModifier)
    qtbot.keyClick(view, K.Key_PageDown, M.ShiftModifier)
    assert bar.value() == bar.maximum()
    assert sent == []
    assert "line 0\nline 1\n" in view.history_text()


def test_typing_returns_to_the_live_screen(qtbot: Any, view: TerminalView) -> None:
    view.feed(b"".join(b"line %d\r\n" % i for i in range(100)))
    qtbot.keyClick(view, K.Key_PageUp, M.ShiftModifier)
    bar = view.verticalScrollBar()
    assert bar.value() < bar.maximum()
    qtbot.keyClicks(view, "q")
    assert bar.value() == bar.maximum()


def test_set_scrollback_bounds_the_history(view: TerminalView) -> None:
    view.set_scrollback(50)
    view.feed(b"".join(b"line %d\r\n" % i for i in range(500)))
    assert len(view.terminal.history) == 50
    # The screen shows the last rows - 1 lines and the prompt line below them.
    first = 500 - (view.terminal.rows - 1) - 50
    assert view.history_text().split("\n")[0] == f"line {first}"


def test_reset_clears_screen_and_scrollback(view: TerminalView) -> None:
    view.feed(b"".join(b"line %d\r\n" % i for i in range(100)))
    view.reset()
    assert view.screen_text().strip() == ""
    assert view.history_text().strip() == ""


def cell_point(view: TerminalView, col: int, row: int) -> QPoint:
    cw, ch = view._cw, view._ch
    return QPoint(PAD + col * cw + 1, PAD + row * ch + ch // 2)


def test_drag_selection_copies_text(qtbot: Any, view: TerminalView) -> None:
    view.feed(b"first line here\r\nsecond \xe4\xb8\xad\xe6\x96\x87 line\r\nthird")
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=cell_point(view, 6, 0))
    # 中 takes columns 7 and 8 of the second line.
    qtbot.mouseMove(vp, cell_point(view, 9, 1))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=cell_point(view, 9, 1))
    assert view.selected_text() == "line here\nsecond 中"
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, K.Key_C, M.ControlModifier | M.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "line here\nsecond 中"


def test_double_click_selects_a_word(qtbot: Any, view: TerminalView) -> None:
    view.feed(b"ls /var/log/syslog now")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell_point(view, 6, 0))
    assert view.selected_text() == "/var/log/syslog"
    view.copy()
    assert QGuiApplication.clipboard().text() == "/var/log/syslog"


def test_guest_queries_are_not_answered(qtbot: Any, view: TerminalView, sent: list[bytes]) -> None:
    """ENQ, DA, DSR, DECRQSS, title reports, OSC 52 and OSC 50: no reply, no effect."""
    QGuiApplication.clipboard().setText("mine")
    view.window().setWindowTitle("kvmdesk")
    view.feed(
        b"\x05\x1b[c\x1b[>c\x1b[6n\x1b[5n\x1bP$qm\x1b\\\x1b[21t\x1b[20t"
        b"\x1b]52;c;cm0gLXJmIC8K\x07\x1b]52;p;cm0=\x07\x1b]52;c;?\x07\x1b]50;?\x07"
        b"\x1b]0;pwned\x07\x1b]2;pwned\x07"
    )
    qtbot.wait(40)
    assert sent == []
    assert QGuiApplication.clipboard().text() == "mine"
    assert view.window().windowTitle() == "kvmdesk"
    assert view.screen_text().strip() == ""


def test_slow_output_flood_keeps_memory_bounded(view: TerminalView) -> None:
    """Screen clears are slow to process: the waiting output is bounded and the
    newest output is what the screen shows."""
    view.max_backlog = 256 * 1024
    flood = b"\x1b[2J\x1b[H" * 9362  # 64 KiB of screen clears
    for _ in range(16):
        view.feed(flood)
        assert view.backlog() <= view.max_backlog + len(flood)
    assert view.dropped_bytes > 0
    view.feed(b"\x1b[2J\x1b[Hthe end")
    assert view.screen_text().split("\n")[0] == "the end"
    assert view.backlog() == 0


def test_middle_click_pastes(qtbot: Any, view: TerminalView, sent: list[bytes]) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("uptime\n")
    if clipboard.supportsSelection():
        clipboard.setText("uptime\n", clipboard.Mode.Selection)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.MiddleButton, pos=cell_point(view, 2, 2))
    assert sent == [b"uptime\r"]


def test_context_menu_copies_the_selection(qtbot: Any, view: TerminalView) -> None:
    view.feed(b"copy me please")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell_point(view, 1, 0))
    QGuiApplication.clipboard().clear()
    menu = view.context_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"Copy", "Paste"}
    assert actions["Copy"].isEnabled()
    actions["Copy"].trigger()
    assert QGuiApplication.clipboard().text() == "copy"
    view.set_input_enabled(False)
    assert not {a.text(): a for a in view.context_menu().actions()}["Paste"].isEnabled()


class PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        self.regions: list[list[QRect]] = []

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.rects.append(event.region().boundingRect())
            self.regions.append(list(event.region()))
        return False


def test_feeds_are_coalesced_into_few_paints(qtbot: Any, view: TerminalView) -> None:
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    qtbot.wait(50)
    spy.rects.clear()
    for i in range(200):
        view.feed(b"output line %d\r\n" % i)
    assert spy.rects == [], "feeding never paints by itself"
    qtbot.waitUntil(lambda: len(spy.rects) >= 1)
    qtbot.wait(50)
    assert len(spy.rects) == 1


def test_only_changed_rows_are_repainted(qtbot: Any, view: TerminalView) -> None:
    view.feed(b"a prompt$ ")
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    qtbot.wait(50)
    spy.rects.clear()
    spy.regions.clear()
    view.feed(b"\x1b[5;3Hx")
    qtbot.waitUntil(lambda: len(spy.rects) >= 1)
    # Row 5 changed; row 1 lost the cursor.
    tops = sorted(r.top() for r in spy.regions[0])
    assert tops == [PAD, PAD + 4 * view._ch]
    assert all(r.height() == view._ch for r in spy.regions[0])


def test_application_keypad_mode(qtbot: Any, view: TerminalView, sent: list[bytes]) -> None:
    qtbot.keyClick(view, K.Key_5, M.KeypadModifier)
    assert sent == [b"5"]
    view.feed(b"\x1b=")
    qtbot.keyClick(view, K.Key_5, M.KeypadModifier)
    qtbot.keyClick(view, K.Key_Enter, M.KeypadModifier)
    qtbot.keyClick(view, K.Key_5)  # the main keyboard's 5 is unchanged
    assert sent[1:] == [b"\x1bOu", b"\x1bOM", b"5"]


def test_input_method_text_goes_to_the_guest(view: TerminalView, sent: list[bytes]) -> None:
    event = QInputMethodEvent()
    event.setCommitString("你好")
    QApplication.sendEvent(view, event)
    assert sent == ["你好".encode()]
    view.set_input_enabled(False)
    QApplication.sendEvent(view, event)
    assert sent == ["你好".encode()]
    view.feed(b"\x1b[3;7H")
    rect = view.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    assert (rect.left(), rect.top()) == (PAD + 6 * view._cw, PAD + 2 * view._ch)
