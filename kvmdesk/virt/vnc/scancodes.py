"""Linux keycodes to the scancodes QEMU's extended key events carry.

QEMU numbers keys as the PC's XT set 1 scancodes, with 0x80 added for the
keys whose scancode has an 0xE0 prefix ("qnum"). For the main block the
Linux keycode is that scancode already; the rest is this table.
"""

from __future__ import annotations

_EXTENDED = {
    96: 0x9C,  # KP Enter
    97: 0x9D,  # Right Ctrl
    98: 0xB5,  # KP /
    99: 0xB7,  # SysRq / Print
    100: 0xB8,  # Right Alt (AltGr)
    102: 0xC7,  # Home
    103: 0xC8,  # Up
    104: 0xC9,  # Page Up
    105: 0xCB,  # Left
    106: 0xCD,  # Right
    107: 0xCF,  # End
    108: 0xD0,  # Down
    109: 0xD1,  # Page Down
    110: 0xD2,  # Insert
    111: 0xD3,  # Delete
    113: 0xA0,  # Mute
    114: 0xAE,  # Volume Down
    115: 0xB0,  # Volume Up
    116: 0xDE,  # Power
    117: 0x59,  # KP =
    119: 0xC6,  # Pause
    121: 0x7E,  # KP ,
    124: 0x7D,  # Yen
    125: 0xDB,  # Left Meta
    126: 0xDC,  # Right Meta
    127: 0xDD,  # Menu
    183: 0x5D,  # F13
    184: 0x5E,  # F14
    185: 0x5F,  # F15
}


def qnum(keycode: int) -> int:
    """QEMU's number for Linux ``keycode``, or 0 when it has none."""
    if 0 < keycode <= 88:
        return keycode
    return _EXTENDED.get(keycode, 0)
