"""The VT100/xterm parser on top of ``Screen``.

Guest output is decoded incrementally as UTF-8 (invalid bytes become U+FFFD,
sequences split between feeds are joined) and cut by one regular expression
into runs of printable text, which are written to the screen in one go, and
control functions. An unfinished escape sequence is kept until the next feed
only up to ``MAX_SEQUENCE`` characters; a longer one is skipped up to its end
without being stored, so a guest cannot make the emulator hold megabytes.

The emulator never answers: device attribute and status reports, DECRQSS,
ENQ, title reports, OSC 52 (clipboard) and OSC 50 (font) are read and
dropped. OSC 0/2 titles are only recorded in ``title``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
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
from kvmdesk.core.terminal.screen import DEFAULT_SCROLLBACK, Screen

MAX_SEQUENCE: Final = 4096
MAX_TITLE: Final = 256
MAX_PARAM: Final = 9999

_TOKEN = re.compile(
    r"(?P<text>[^\x00-\x1f\x7f-\x9f]+)"
    r"|(?P<crlf>\r\n)"
    r"|(?P<ctrl>[\x00-\x1a\x1c-\x1f\x7f-\x8f\x91-\x97\x99\x9a\x9c])"
    r"|(?P<csi>(?:\x1b\[|\x9b)(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~]))"
    r"|(?P<osc>(?:\x1b\]|\x9d)(?P<body>[^\x07\x1b\x9c]*)(?:\x07|\x1b\\|\x9c|(?=\x1b[^\\])))"
    r"|(?P<string>(?:\x1b[P^_X]|[\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*"
    r"(?:\x07|\x1b\\|\x9c|(?=\x1b[^\\])))"
    r"|(?P<badcsi>(?:\x1b\[|\x9b)[0-?]*[ -/]*)"
    r"|(?P<badstr>(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*\x1b?)"
    r"|(?P<esc>\x1b(?P<einter>[ -/]*)(?P<efinal>[0-~]))"
    r"|(?P<badesc>\x1b[ -/]*)",
    re.DOTALL,
)
_INCOMPLETE: Final = frozenset(("badcsi", "badstr", "badesc"))

# What to skip, in each kind of over-long sequence, before its end.
_SKIP = {
    "badcsi": re.compile(r"[0-?]*[ -/]*(?P<end>[@-~])?"),
    "badesc": re.compile(r"[ -/]*(?P<end>[0-~])?"),
    "badstr": re.compile(r"[^\x07\x1b\x9c]*(?P<end>\x07|\x1b\\|\x9c|\x1b(?=[^\\]))?"),
}

_DEC_GRAPHICS = str.maketrans(
    "`abcdefghijklmnopqrstuvwxyz{|}~",
    "◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·",
)

# CSI functions that only repeat one screen operation ``count`` times (default 1).
_COUNTED: Final[dict[str, Callable[[Screen, int], None]]] = {
    "@": Screen.insert_chars,  # ICH
    "I": Screen.tab,  # CHT
    "L": Screen.insert_lines,  # IL
    "M": Screen.delete_lines,  # DL
    "P": Screen.delete_chars,  # DCH
    "S": Screen.scroll_up,  # SU
    "X": Screen.erase_chars,  # ECH
    "Z": Screen.back_tab,  # CBT
}


class Terminal(Screen):
    """A VT100/xterm screen fed with guest bytes. No Qt, no answer-back."""

    def __init__(self, cols: int = 80, rows: int = 24, scrollback: int = DEFAULT_SCROLLBACK):
        super().__init__(cols, rows, scrollback)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        self._skipping = ""
        self._str_esc = False

    @property
    def pending_size(self) -> int:
        """Characters of an unfinished sequence kept for the next feed."""
        return len(self._pending)

    def reset(self) -> None:
        """Full reset (RIS): clear screen, scrollback and modes."""
        self.history.clear()
        self.title = ""
        self._pending = ""
        self._skipping = ""
        self._init_state()

    def feed(self, data: bytes) -> None:
        self.feed_text(self._decoder.decode(data))

    def feed_text(self, text: str) -> None:
        if self._skipping:
            text = self._skip(text)
            if self._skipping:
                return
        if self._pending:
            text = self._pending + text
            self._pending = ""
        n = len(text)
        pos = 0
        match = _TOKEN.match
        while pos < n:
            m = match(text, pos)
            if m is None:  # only possible for a lone introducer the table misses
                pos += 1
                continue
            kind = m.lastgroup
            end = m.end()
            if kind == "text":
                run = m.group()
                if self.charsets[self.shift] == "0":
                    run = run.translate(_DEC_GRAPHICS)
                self.draw(run)
            elif kind == "crlf":
                self.x = 0
                self.linefeed()
            elif kind == "ctrl":
                self._control(text[pos])
            elif kind == "csi":
                self._csi(m.group("params"), m.group("inter"), m.group("final"))
            elif kind == "osc":
                self._osc(m.group("body"))
            elif kind == "esc":
                self._esc(m.group("einter"), m.group("efinal"))
            elif kind in _INCOMPLETE and end == n:
                rest = text[pos:]
                if len(rest) <= MAX_SEQUENCE:
                    self._pending = rest
                else:
                    self._skipping = kind or ""
                    self._str_esc = rest.endswith("\x1b")
                return
            # Otherwise a sequence broken by a control character: what came is dropped.
            pos = end

    def _skip(self, text: str) -> str:
        """Drop the rest of an over-long sequence; return what follows it."""
        kind = self._skipping
        if kind == "badstr" and self._str_esc:
            self._str_esc = False
            if text[:1] == "\\":
                self._skipping = ""
                return text[1:]
        m = _SKIP[kind].match(text)
        assert m is not None  # every pattern can match the empty string
        if m.group("end") is not None:
            self._skipping = ""
            return text[m.end() :]
        if kind == "badstr" and text.endswith("\x1b"):
            self._str_esc = True
        return ""

    # -- control characters ----------------------------------------------

    def _control(self, ch: str) -> None:
        if ch == "\n" or ch == "\x0b" or ch == "\x0c" or ch == "\x84":
            if self.newline_mode:
                self.x = 0
            self.linefeed()
        elif ch == "\r":
            self.x = 0
            self.wrap_pending = False
        elif ch == "\x08":
            if self.wrap_pending:
                self.wrap_pending = False
            elif self.x:
                self.x -= 1
        elif ch == "\t":
            self.tab()
        elif ch == "\x0e":
            self.shift = 1
        elif ch == "\x0f":
            self.shift = 0
        elif ch == "\x85":
            self.x = 0
            self.linefeed()
        elif ch == "\x88":
            self.tabs.add(self.x)
        elif ch == "\x8d":
            self.reverse_index()
        # BEL, ENQ (never answered), NUL, DEL and other C0/C1 codes: ignored.

    def _esc(self, inter: str, final: str) -> None:
        if not inter:
            if final == "7":
                self.save_cursor()
            elif final == "8":
                self.restore_cursor()
            elif final == "D":
                self.linefeed()
            elif final == "E":
                self.x = 0
                self.linefeed()
            elif final == "M":
                self.reverse_index()
            elif final == "H":
                self.tabs.add(self.x)
            elif final == "c":
                # RIS from the guest (firmware and boot loaders send it): the
                # screen and modes start afresh, the scrollback is kept.
                self._init_state()
            elif final == "=":
                self.application_keypad = True
            elif final == ">":
                self.application_keypad = False
            # ESC Z (DECID) would want an answer: none is given.
        elif inter in ("(", ")") and final in "0AB":
            self.charsets[0 if inter == "(" else 1] = final if final == "0" else "B"
        elif inter == "#" and final == "8":
            for line in self.buffer:
                line.chars[:] = ["E"] * self.cols
            self.dirty_all = True

    # -- CSI ---------------------------------------------------------------

    def _csi(self, params: str, inter: str, final: str) -> None:
        private = ""
        if params and params[0] in "<=>?":
            private, params = params[0], params[1:]
        if final == "m" and not private and not inter:
            self._sgr(params)
            return
        args = _numbers(params)
        first = args[0] if args else 0
        count = first or 1
        if inter:
            if inter == "!" and final == "p":
                self._soft_reset()
            return  # DECSCUSR, DECRQM (no answer) and friends
        if private == "?":
            if final in "hl":
                self._dec_modes(args, final == "h")
            return  # DECRQSS-like queries and the rest are ignored
        if private:
            return  # secondary/tertiary DA and xterm key options: no answer
        counted = _COUNTED.get(final)
        if counted is not None:
            counted(self, count)
            return
        s = self
        if final == "A":
            s.move_rel(0, -count)
        elif final == "B" or final == "e":
            s.move_rel(0, count)
        elif final == "C" or final == "a":
            s.move_rel(count, 0)
        elif final == "D":
            s.move_rel(-count, 0)
        elif final == "E":
            s.move_rel(0, count)
            s.x = 0
        elif final == "F":
            s.move_rel(0, -count)
            s.x = 0
        elif final == "G" or final == "`":
            s.x = max(0, min(count - 1, s.cols - 1))
            s.wrap_pending = False
        elif final == "H" or final == "f":
            col = args[1] if len(args) > 1 else 0
            s.move_to((col or 1) - 1, count - 1)
        elif final == "d":
            y = count - 1 + (s.top if s.origin else 0)
            s.y = max(0, min(y, s.rows - 1))
            s.wrap_pending = False
        elif final == "J":
            s.erase_in_display(first)
        elif final == "K":
            s.erase_in_line(first)
        elif final == "T" and len(args) <= 1:
            s.scroll_down(count)
        elif final == "r":
            bottom = args[1] if len(args) > 1 and args[1] else s.rows
            s.set_margins(count - 1, bottom - 1)
        elif final == "g":
            if first == 0:
                s.tabs.discard(s.x)
            elif first == 3:
                s.tabs.clear()
        elif final == "b":
            self._repeat(count)
        elif final == "s":
            s.save_cursor()
        elif final == "u":
            s.restore_cursor()
        elif final in "hl":
            on = final == "h"
            for mode in args:
                if mode == 4:
                    s.insert_mode = on
                elif mode == 20:
                    s.newline_mode = on
        # c (DA), n (DSR), t (window ops and reports), x (DECREQTPARM): no answer.

    def _repeat(self, count: int) -> None:
        line = self.buffer[self.y]
        x = self.x if self.wrap_pending else self.x - 1
        if x >= 0:
            ch = line.chars[x] or " "
            self.draw(ch * min(count, self.cols))

    def _soft_reset(self) -> None:
        self.cursor_visible = True
        self.origin = False
        self.autowrap = True
        self.insert_mode = False
        self.application_cursor_keys = False
        self.application_keypad = False
        self.top, self.bottom = 0, self.rows - 1
        self.fg = self.bg = self.flags = 0
        self.charsets = ["B", "B"]
        self.shift = 0
        self.update_style()

    def _dec_modes(self, modes: list[int], on: bool) -> None:
        for mode in modes:
            if mode == 1:
                self.application_cursor_keys = on
            elif mode == 6:
                self.origin = on
                self.move_to(0, 0)
            elif mode == 7:
                self.autowrap = on
            elif mode == 25:
                self.cursor_visible = on
                self._mark(self.y)
            elif mode == 47 or mode == 1047:
                self.switch_alt(on, save=False, clear=mode == 1047 and on)
            elif mode == 1049:
                self.switch_alt(on, save=True, clear=True)
            elif mode == 1048:
                if on:
                    self.save_cursor()
                else:
                    self.restore_cursor()
            elif mode == 2004:
                self.bracketed_paste = on

    def _sgr(self, params: str) -> None:
        if not params:
            self.fg = self.bg = self.flags = 0
            self.style = 0
            return
        parts = params.split(";")
        i = 0
        n = len(parts)
        fg, bg, flags = self.fg, self.bg, self.flags
        while i < n:
            part = parts[i]
            i += 1
            if ":" in part:
                sub = [_int(p) for p in part.split(":")]
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
            code = _int(part)
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
                mode = _int(parts[i]) if i < n else 0
                take = 4 if mode == 2 else 2 if mode == 5 else 1
                color = _extended([_int(p) for p in parts[i : i + take]], colon=False)
                i += take
                if color is not None and code == 38:
                    fg = color
                elif color is not None and code == 48:
                    bg = color
            elif code in _SET_FLAGS:
                flags |= _SET_FLAGS[code]
            elif code in _CLEAR_FLAGS:
                flags &= ~_CLEAR_FLAGS[code]
        self.fg, self.bg, self.flags = fg, bg, flags
        self.update_style()

    def _osc(self, body: str) -> None:
        code, _sep, value = body.partition(";")
        if code in ("0", "2"):
            self.title = "".join(c for c in value[:MAX_TITLE] if c.isprintable())
        # 1 (icon name), 4/10/11 (colour queries), 50 (font), 52 (clipboard): ignored.


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


def _int(text: str) -> int:
    if text.isdigit() and len(text) <= 4:
        return int(text)
    return MAX_PARAM if text.isdigit() else 0


def _numbers(params: str) -> list[int]:
    if not params:
        return []
    return [_int(p.partition(":")[0]) for p in params.split(";")[:32]]


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
