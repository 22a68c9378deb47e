"""Key presses for a guest: Linux keycodes, named combinations, typed text.

libvirt's ``virDomainSendKey`` presses every key of one call together and
releases them after a hold time, so one call is one *stroke*: a key with its
modifiers (Ctrl+Alt+Del, Shift+A). Typed text is therefore one stroke per
character, sent in order; a stroke holds at most :data:`MAX_KEYS` keys,
libvirt's limit for one call.

Codes are from ``VIR_KEYCODE_SET_LINUX`` (``linux/input-event-codes.h``).
Text is typed as on a US keyboard layout; characters that layout cannot type
are refused before anything is sent (:class:`UntypableTextError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libvirt

MAX_KEYS = 16
"""Keys in one ``sendKey`` call (``VIR_DOMAIN_SEND_KEY_MAX_KEYS``)."""

MAX_TEXT = 4096
"""Characters that "Type text" accepts at once."""

TYPE_HOLD_MS = 30
"""How long each typed character is held down, in milliseconds."""

COMBO_HOLD_MS = 0
"""Hold time for combinations: 0 is the hypervisor's default (QEMU: 100 ms)."""

# Linux input event codes (linux/input-event-codes.h).
KEY_ESC = 1
KEY_BACKSPACE = 14
KEY_TAB = 15
KEY_ENTER = 28
KEY_LEFTCTRL = 29
KEY_LEFTSHIFT = 42
KEY_LEFTALT = 56
KEY_SPACE = 57
KEY_CAPSLOCK = 58
KEY_F1 = 59  # F1..F10 are 59..68
KEY_F11 = 87
KEY_F12 = 88
KEY_SYSRQ = 99  # PrintScreen
KEY_DELETE = 111
KEY_RIGHTCTRL = 97
KEY_RIGHTALT = 100
KEY_LEFTMETA = 125

_ROWS: tuple[tuple[int, str, str], ...] = (
    # (first code, characters unshifted, the same keys with Shift)
    (2, "1234567890-=", "!@#$%^&*()_+"),
    (16, "qwertyuiop[]", "QWERTYUIOP{}"),
    (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
)


def _layout() -> dict[str, tuple[int, ...]]:
    table: dict[str, tuple[int, ...]] = {}
    for first, plain, shifted in _ROWS:
        for offset, (low, high) in enumerate(zip(plain, shifted, strict=True)):
            table[low] = (first + offset,)
            table[high] = (KEY_LEFTSHIFT, first + offset)
    table[" "] = (KEY_SPACE,)
    table["\n"] = (KEY_ENTER,)
    table["\t"] = (KEY_TAB,)
    return table


US_LAYOUT: dict[str, tuple[int, ...]] = _layout()
"""Character -> the keys that type it on a US keyboard (Shift first)."""


def function_key(n: int) -> int:
    """The code of F``n`` (1 to 12)."""
    if not 1 <= n <= 12:
        raise ValueError(f"no function key F{n}")
    return KEY_F1 + n - 1 if n <= 10 else KEY_F11 + n - 11


@dataclass(frozen=True, slots=True)
class Combo:
    """A named stroke: keys pressed together, then released."""

    name: str  # as shown to the user, e.g. "Ctrl+Alt+Del"
    codes: tuple[int, ...]


CTRL_ALT_DEL = Combo("Ctrl+Alt+Del", (KEY_LEFTCTRL, KEY_LEFTALT, KEY_DELETE))
CTRL_ALT_BACKSPACE = Combo("Ctrl+Alt+Backspace", (KEY_LEFTCTRL, KEY_LEFTALT, KEY_BACKSPACE))
PRINT_SCREEN = Combo("PrintScreen", (KEY_SYSRQ,))
CTRL_ALT_F: tuple[Combo, ...] = tuple(
    Combo(f"Ctrl+Alt+F{n}", (KEY_LEFTCTRL, KEY_LEFTALT, function_key(n))) for n in range(1, 13)
)


class UntypableTextError(ValueError):
    """Text holds characters a US keyboard cannot type; ``str()`` says which."""

    def __init__(self, characters: Sequence[str]) -> None:
        self.characters = tuple(characters)
        shown = ", ".join(describe_char(c) for c in self.characters)
        super().__init__(f"These characters cannot be typed on a US keyboard: {shown}.")


def describe_char(char: str) -> str:
    """A character as a person can read it in a message (control codes by number)."""
    if char == " ":
        return "space"
    if char.isprintable():
        return f"“{char}”"
    return f"U+{ord(char):04X}"


def normalize_text(text: str) -> str:
    """Line ends made one Enter each (``\\r\\n`` and ``\\r`` become ``\\n``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def untypable(text: str) -> list[str]:
    """The distinct characters of ``text`` that cannot be typed, in order of appearance."""
    bad: list[str] = []
    for char in normalize_text(text):
        if char not in US_LAYOUT and char not in bad:
            bad.append(char)
    return bad


def text_strokes(text: str) -> list[tuple[int, ...]]:
    """One stroke per character of ``text``; refuses the whole text if any
    character cannot be typed or it is longer than :data:`MAX_TEXT`."""
    text = normalize_text(text)
    if len(text) > MAX_TEXT:
        raise ValueError(f"The text is too long to type: at most {MAX_TEXT} characters.")
    bad = untypable(text)
    if bad:
        raise UntypableTextError(bad)
    return [US_LAYOUT[char] for char in text]


def check_stroke(codes: Iterable[int]) -> tuple[int, ...]:
    """``codes`` as a tuple, refused when empty, too long or out of range."""
    stroke = tuple(int(c) for c in codes)
    if not stroke:
        raise ValueError("A key press needs at least one key.")
    if len(stroke) > MAX_KEYS:
        raise ValueError(f"At most {MAX_KEYS} keys can be pressed at once.")
    if any(not 0 < c < 0x300 for c in stroke):
        raise ValueError("Not a key code.")
    return stroke


def send_strokes(
    conn: libvirt.virConnect,
    uuid: str,
    strokes: Sequence[Sequence[int]],
    hold_ms: int = COMBO_HOLD_MS,
) -> int:
    """Send ``strokes`` in order to domain ``uuid`` (blocking: runs on a worker).

    Every stroke is checked before the first one is sent. Returns the number
    of strokes sent; raises ``libvirt.libvirtError`` as libvirt does (the
    caller words it).
    """
    checked = [check_stroke(s) for s in strokes]
    dom = conn.lookupByUUIDString(uuid)
    for stroke in checked:
        dom.sendKey(libvirt.VIR_KEYCODE_SET_LINUX, hold_ms, list(stroke), len(stroke), 0)
    return len(checked)


def type_text(conn: libvirt.virConnect, uuid: str, text: str) -> int:
    """Type ``text`` into domain ``uuid``; refuses it whole if it cannot be typed."""
    return send_strokes(conn, uuid, text_strokes(text), TYPE_HOLD_MS)


class KeyboardState:
    """Turns a keyboard's presses and releases into strokes for ``sendKey``.

    libvirt has no separate press and release, so every press of a key that
    is not a modifier becomes one stroke together with the modifiers held at
    that moment (Ctrl, Shift, Alt, Meta pressed earlier and not yet released).
    A modifier pressed and released alone sends nothing.
    """

    def __init__(self) -> None:
        self.held: list[int] = []

    def feed(self, code: int, pressed: bool) -> tuple[int, ...] | None:
        """The stroke to send for this event, or None."""
        if code in MODIFIERS:
            if pressed and code not in self.held:
                self.held.append(code)
            elif not pressed and code in self.held:
                self.held.remove(code)
            return None
        if not pressed or not 0 < code < 0x300:
            return None
        return check_stroke([*self.held[: MAX_KEYS - 1], code])

    def reset(self) -> None:
        self.held.clear()


MODIFIERS = frozenset(
    {KEY_LEFTCTRL, KEY_RIGHTCTRL, KEY_LEFTSHIFT, 54, KEY_LEFTALT, KEY_RIGHTALT, KEY_LEFTMETA, 126}
)
"""Keys that only modify a stroke (left/right Ctrl, Shift, Alt, Meta)."""
