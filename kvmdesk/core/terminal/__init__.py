"""A VT100/xterm terminal emulator for guest serial consoles (no Qt)."""

from kvmdesk.core.terminal.cells import (
    BOLD,
    DIM,
    INVISIBLE,
    ITALIC,
    REVERSE,
    STRIKE,
    TRUECOLOR,
    UNDERLINE,
    Line,
    Run,
    Style,
    char_width,
    decode_color,
    decode_style,
    style_bg,
    style_fg,
    style_flags,
    xterm_rgb,
)
from kvmdesk.core.terminal.emulator import MAX_SEQUENCE, Terminal
from kvmdesk.core.terminal.screen import DEFAULT_SCROLLBACK, Cursor

__all__ = [
    "BOLD",
    "DEFAULT_SCROLLBACK",
    "DIM",
    "INVISIBLE",
    "ITALIC",
    "MAX_SEQUENCE",
    "REVERSE",
    "STRIKE",
    "TRUECOLOR",
    "UNDERLINE",
    "Cursor",
    "Line",
    "Run",
    "Style",
    "Terminal",
    "char_width",
    "decode_color",
    "decode_style",
    "style_bg",
    "style_fg",
    "style_flags",
    "xterm_rgb",
]
