"""Qt key events as the guest should see them: QEMU scancodes, X keysyms as a fallback.

The scancode comes from the key's position (the Linux keycode of
``screenshot.key_capture``), so the guest's own layout decides which
character it means. The keysym is sent only to servers without QEMU's
extended key events.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from kvmdesk.ui.domain.screenshot.key_capture import linux_keycode
from kvmdesk.virt.vnc.scancodes import qnum

K = Qt.Key
_KEYSYMS = {
    K.Key_Backspace: 0xFF08,
    K.Key_Tab: 0xFF09,
    K.Key_Backtab: 0xFF09,
    K.Key_Return: 0xFF0D,
    K.Key_Enter: 0xFF8D,
    K.Key_Escape: 0xFF1B,
    K.Key_Insert: 0xFF63,
    K.Key_Delete: 0xFFFF,
    K.Key_Home: 0xFF50,
    K.Key_End: 0xFF57,
    K.Key_PageUp: 0xFF55,
    K.Key_PageDown: 0xFF56,
    K.Key_Left: 0xFF51,
    K.Key_Up: 0xFF52,
    K.Key_Right: 0xFF53,
    K.Key_Down: 0xFF54,
    K.Key_Shift: 0xFFE1,
    K.Key_Control: 0xFFE3,
    K.Key_Meta: 0xFFE7,
    K.Key_Alt: 0xFFE9,
    K.Key_AltGr: 0xFE03,
    K.Key_CapsLock: 0xFFE5,
    K.Key_Menu: 0xFF67,
    **{K(K.Key_F1.value + n): 0xFFBE + n for n in range(12)},
}


def scancode(event: QKeyEvent) -> int:
    return qnum(linux_keycode(event))


def keysym(event: QKeyEvent) -> int:
    special = _BY_VALUE.get(_value(event.key()))
    if special is not None:
        return special
    text = event.text()
    if len(text) == 1 and 0x20 <= ord(text) <= 0xFF:
        return ord(text)
    if len(text) == 1 and ord(text) > 0xFF:
        return 0x01000000 | ord(text)
    return 0


def _value(key: object) -> int:
    value = getattr(key, "value", key)
    return value if isinstance(value, int) else 0


_BY_VALUE = {k.value: sym for k, sym in _KEYSYMS.items()}
