"""Key presses and pasted text turned into the bytes an xterm would send."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

K = Qt.Key
_CURSOR: dict[int, str] = {
    K.Key_Up: "A",
    K.Key_Down: "B",
    K.Key_Right: "C",
    K.Key_Left: "D",
    K.Key_Home: "H",
    K.Key_End: "F",
}
_TILDE: dict[int, int] = {
    K.Key_Insert: 2,
    K.Key_Delete: 3,
    K.Key_PageUp: 5,
    K.Key_PageDown: 6,
    K.Key_F5: 15,
    K.Key_F6: 17,
    K.Key_F7: 18,
    K.Key_F8: 19,
    K.Key_F9: 20,
    K.Key_F10: 21,
    K.Key_F11: 23,
    K.Key_F12: 24,
}
_SS3: dict[int, str] = {K.Key_F1: "P", K.Key_F2: "Q", K.Key_F3: "R", K.Key_F4: "S"}
_CTRL_PUNCT: dict[int, int] = {
    K.Key_Space: 0,
    K.Key_At: 0,
    K.Key_2: 0,
    K.Key_BracketLeft: 27,
    K.Key_3: 27,
    K.Key_Backslash: 28,
    K.Key_4: 28,
    K.Key_BracketRight: 29,
    K.Key_5: 29,
    K.Key_AsciiCircum: 30,
    K.Key_6: 30,
    K.Key_Underscore: 31,
    K.Key_7: 31,
    K.Key_Slash: 31,
    K.Key_Question: 127,
    K.Key_8: 127,
}

# Keypad keys in application keypad mode (DECKPAM), as SS3 finals.
_KEYPAD: dict[int, str] = {K.Key_0 + i: "pqrstuvwxy"[i] for i in range(10)} | {
    K.Key_Enter: "M",
    K.Key_Plus: "k",
    K.Key_Minus: "m",
    K.Key_Asterisk: "j",
    K.Key_Slash: "o",
    K.Key_Period: "n",
    K.Key_Comma: "l",
}

PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"


def key_bytes(
    event: QKeyEvent, application_cursor: bool, application_keypad: bool = False
) -> bytes | None:
    """The bytes for ``event``, or None for keys a terminal does not send."""
    key = int(event.key())
    mods = event.modifiers()
    shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    keypad = bool(mods & Qt.KeyboardModifier.KeypadModifier)
    if application_keypad and keypad and not (alt or ctrl) and key in _KEYPAD:
        return f"\x1bO{_KEYPAD[key]}".encode()
    code = 1 + shift + 2 * alt + 4 * ctrl  # xterm's modifier parameter
    if key in _CURSOR:
        final = _CURSOR[key]
        if code > 1:
            return f"\x1b[1;{code}{final}".encode()
        return ("\x1bO" if application_cursor else "\x1b[").encode() + final.encode()
    if key in _TILDE:
        number = _TILDE[key]
        return (f"\x1b[{number};{code}~" if code > 1 else f"\x1b[{number}~").encode()
    if key in _SS3:
        final = _SS3[key]
        return (f"\x1b[1;{code}{final}" if code > 1 else f"\x1bO{final}").encode()
    prefix = b"\x1b" if alt else b""
    if key == K.Key_Backtab or (key == K.Key_Tab and shift):
        return b"\x1b[Z"
    if key == K.Key_Tab:
        return prefix + b"\t"
    if key == K.Key_Backspace:
        return prefix + (b"\x08" if ctrl else b"\x7f")
    if key in (K.Key_Return, K.Key_Enter):
        return prefix + b"\r"
    if key == K.Key_Escape:
        return prefix + b"\x1b"
    if ctrl:
        if K.Key_A <= key <= K.Key_Z:
            return prefix + bytes([key - K.Key_A + 1])
        if key in _CTRL_PUNCT:
            return prefix + bytes([_CTRL_PUNCT[key]])
    text = event.text()
    if alt and not text and K.Key_A <= key <= K.Key_Z:
        text = chr(key - K.Key_A + ord("a"))
        if shift:
            text = text.upper()
    if not text:
        return None
    return prefix + text.encode("utf-8", "replace")


def paste_bytes(text: str, bracketed: bool) -> bytes:
    """Clipboard text as typed input: newlines as Enter, bracketed if asked for."""
    text = text.replace("\r\n", "\r").replace("\n", "\r")
    data = text.encode("utf-8", "replace")
    if bracketed:
        # Pasted text must not end the bracket early and run as typed commands.
        while PASTE_END in data or PASTE_START in data:
            data = data.replace(PASTE_END, b"").replace(PASTE_START, b"")
        return PASTE_START + data + PASTE_END
    return data
