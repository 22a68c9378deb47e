"""Keyboard input for a guest from a focused widget ("Send keyboard input").

Qt key events become Linux keycodes: on X11 and Wayland the native scan
code is the evdev code plus 8; elsewhere a table of Qt keys is used (the US
layout for characters). Presses become strokes (``virt.keys.KeyboardState``)
that queue up and are sent in order by one task on the connection's worker,
so the GUI never waits and nothing overtakes. Ctrl+Alt+Shift together
releases the keyboard (Preferences may choose Ctrl+Alt or Right Ctrl).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QWidget

from kvmdesk.core.connection import Connection
from kvmdesk.virt import keys
from kvmdesk.virt.errors import Failure, classify

log = logging.getLogger(__name__)

K = Qt.Key
_QT_KEYS: dict[int, int] = {
    K.Key_Escape.value: keys.KEY_ESC,
    K.Key_Backspace.value: keys.KEY_BACKSPACE,
    K.Key_Tab.value: keys.KEY_TAB,
    K.Key_Backtab.value: keys.KEY_TAB,
    K.Key_Return.value: keys.KEY_ENTER,
    K.Key_Enter.value: keys.KEY_ENTER,
    K.Key_Space.value: keys.KEY_SPACE,
    K.Key_Control.value: keys.KEY_LEFTCTRL,
    K.Key_Shift.value: keys.KEY_LEFTSHIFT,
    K.Key_Alt.value: keys.KEY_LEFTALT,
    K.Key_AltGr.value: keys.KEY_RIGHTALT,
    K.Key_Meta.value: keys.KEY_LEFTMETA,
    K.Key_CapsLock.value: keys.KEY_CAPSLOCK,
    K.Key_Print.value: keys.KEY_SYSRQ,
    K.Key_SysReq.value: keys.KEY_SYSRQ,
    K.Key_Pause.value: 119,
    K.Key_Home.value: 102,
    K.Key_Up.value: 103,
    K.Key_PageUp.value: 104,
    K.Key_Left.value: 105,
    K.Key_Right.value: 106,
    K.Key_End.value: 107,
    K.Key_Down.value: 108,
    K.Key_PageDown.value: 109,
    K.Key_Insert.value: 110,
    K.Key_Delete.value: keys.KEY_DELETE,
    K.Key_Menu.value: 127,
    **{K.Key_F1.value + n - 1: keys.function_key(n) for n in range(1, 13)},
}


def linux_keycode(event: QKeyEvent) -> int:
    """The Linux keycode of ``event``, or 0 when it has none."""
    scan = event.nativeScanCode()
    if QGuiApplication.platformName() in ("xcb", "wayland") and 8 < scan < 0x300 + 8:
        return scan - 8
    code = _QT_KEYS.get(event.key())
    if code is not None:
        return code
    if K.Key_A.value <= event.key() <= K.Key_Z.value:
        return keys.US_LAYOUT[chr(event.key()).lower()][-1]
    text = event.text()
    if len(text) == 1 and text in keys.US_LAYOUT:
        return keys.US_LAYOUT[text][-1]  # the key itself; Shift is tracked as held
    key = event.key()
    if 0x20 < key < 0x7F and chr(key) in keys.US_LAYOUT:
        return keys.US_LAYOUT[chr(key)][-1]
    return 0


# The combinations that give the keyboard back, by ``core.preferences.GrabKeys`` value.
RELEASE_KEYS: dict[str, frozenset[int]] = {
    "ctrl+alt+shift": frozenset({keys.KEY_LEFTCTRL, keys.KEY_LEFTALT, keys.KEY_LEFTSHIFT}),
    "ctrl+alt": frozenset({keys.KEY_LEFTCTRL, keys.KEY_LEFTALT}),
    "rightctrl": frozenset({keys.KEY_RIGHTCTRL}),
}


class KeyForwarder(QObject):
    """Sends the key presses of ``widget`` to a guest while ``enabled``."""

    released = Signal()  # the user pressed the release combination
    failed = Signal(object)  # Failure: sending stopped

    def __init__(
        self,
        widget: QWidget,
        target: Callable[[], tuple[Connection, str] | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._widget = widget
        self._target = target
        self._state = keys.KeyboardState()
        self._queue: list[tuple[int, ...]] = []
        self._task: asyncio.Task[None] | None = None
        self.enabled = False
        self.release = RELEASE_KEYS["ctrl+alt+shift"]
        self.sent: list[tuple[int, ...]] = []  # strokes sent, for tests and the record
        widget.installEventFilter(self)

    def set_enabled(self, on: bool) -> None:
        self.enabled = bool(on)
        self._state.reset()
        self._widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus if on else Qt.FocusPolicy.NoFocus)
        if on:
            self._widget.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._queue.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._widget or not self.enabled:
            return False
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the window's shortcuts stay quiet: the key is the guest's
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            self.key(linux_keycode(event), kind == QEvent.Type.KeyPress, event.isAutoRepeat())
            return True
        if kind == QEvent.Type.FocusOut:
            self._state.reset()  # keys released elsewhere would stay "held"
        return False

    def key(self, code: int, pressed: bool, repeat: bool = False) -> None:
        """One press or release of Linux key ``code``."""
        if not code or (repeat and not pressed):
            return
        if pressed and code in self.release:
            held = set(self._state.held) | {code}
            if held >= self.release:
                self._state.reset()
                self.released.emit()
                return
        stroke = self._state.feed(code, pressed)
        if stroke is None:
            return
        self._queue.append(stroke)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while self._queue and self.enabled:
            target = self._target()
            if target is None:
                self._queue.clear()
                return
            batch, self._queue = self._queue, []
            conn, uuid = target
            try:
                await conn.call(keys.send_strokes, uuid, batch, keys.TYPE_HOLD_MS)
            except Exception as exc:  # libvirtError, NotConnectedError, a closed worker
                self._queue.clear()
                self._emit_failure(classify(exc))
                return
            self.sent.extend(batch)

    def _emit_failure(self, failure: Failure) -> None:
        log.info("keyboard input not sent: %s", failure.message)
        self.failed.emit(failure)

    def pending(self) -> Any:
        """The sending task, if one runs (tests await it)."""
        return self._task
