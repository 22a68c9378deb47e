"""Select Graphic Rendition (``CSI ... m``) and the parameters of CSI sequences.

``apply_sgr`` turns the parameters of an SGR sequence into the screen's
foreground, background and attribute flags: the 16 colours, the 256-colour
palette and true colour, in both the ``;`` and the ``:`` spellings. The
parameter parsers cap every number at ``MAX_PARAM``, so a guest cannot make
the emulator work with huge values.
"""

from __future__ import annotations

from typing import Final

from kvmdesk.core.terminal.cells import (
    BLINK,
    BOLD,
    DIM,
    INVISIBLE,
    ITALIC,
    REVERSE,
    STRIKE,
    UNDERLINE,
    palette,
    rgb,
)
from kvmdesk.core.terminal.grid import Grid

MAX_PARAM: Final = 9999


def apply_sgr(screen: Grid, params: str) -> None:
    """Set the colours and attributes of ``CSI params m`` for the text that follows."""
    if not params:
        screen.fg = screen.bg = screen.flags = 0
        screen.style = 0
        return
    parts = params.split(";")
    i = 0
    n = len(parts)
    fg, bg, flags = screen.fg, screen.bg, screen.flags
    while i < n:
        part = parts[i]
        i += 1
        if ":" in part:
            sub = [param_int(p) for p in part.split(":")]
            code = sub[0]
            if code in (38, 48, 58):
                color = _extended(sub[1:], colon=True)
                if color is not None and code == 38:
                    fg = color
                elif color is not None and code == 48:
                    bg = color
            elif code == 4:
                flags = flags | UNDERLINE if (len(sub) < 2 or sub[1]) else flags & ~UNDERLINE
            continue
        code = param_int(part)
        if code == 0:
            fg = bg = flags = 0
        elif 30 <= code <= 37:
            fg = palette(code - 30)
        elif 40 <= code <= 47:
            bg = palette(code - 40)
        elif code == 39:
            fg = 0
        elif code == 49:
            bg = 0
        elif 90 <= code <= 97:
            fg = palette(code - 82)
        elif 100 <= code <= 107:
            bg = palette(code - 92)
        elif code == 38 or code == 48 or code == 58:
            mode = param_int(parts[i]) if i < n else 0
            take = 4 if mode == 2 else 2 if mode == 5 else 1
            color = _extended([param_int(p) for p in parts[i : i + take]], colon=False)
            i += take
            if color is not None and code == 38:
                fg = color
            elif color is not None and code == 48:
                bg = color
        elif code in _SET_FLAGS:
            flags |= _SET_FLAGS[code]
        elif code in _CLEAR_FLAGS:
            flags &= ~_CLEAR_FLAGS[code]
    screen.fg, screen.bg, screen.flags = fg, bg, flags
    screen.update_style()


_SET_FLAGS = {
    1: BOLD,
    2: DIM,
    3: ITALIC,
    4: UNDERLINE,
    5: BLINK,
    6: BLINK,
    7: REVERSE,
    8: INVISIBLE,
    9: STRIKE,
    21: UNDERLINE,
}
_CLEAR_FLAGS = {
    22: BOLD | DIM,
    23: ITALIC,
    24: UNDERLINE,
    25: BLINK,
    27: REVERSE,
    28: INVISIBLE,
    29: STRIKE,
}


def param_int(text: str) -> int:
    """One numeric parameter; empty or garbled is 0, over four digits ``MAX_PARAM``."""
    if text.isdigit() and len(text) <= 4:
        return int(text)
    return MAX_PARAM if text.isdigit() else 0


def param_list(params: str) -> list[int]:
    """The numeric parameters of a CSI sequence (at most 32; sub-parameters dropped)."""
    if not params:
        return []
    return [param_int(p.partition(":")[0]) for p in params.split(";")[:32]]


def _extended(args: list[int], colon: bool) -> int | None:
    """Colour of ``38;5;n``, ``38;2;r;g;b`` or the colon forms (``38:2::r:g:b``)."""
    if not args:
        return None
    if args[0] == 5 and len(args) >= 2:
        return palette(min(args[1], 255))
    if args[0] == 2:
        values = args[1:]
        if colon and len(values) >= 4:
            values = values[1:]  # the colour space id
        if len(values) >= 3:
            r, g, b = (min(v, 255) for v in values[:3])
            return rgb(r, g, b)
    return None
