"""The control functions of a VT100/xterm screen.

``Controls`` carries out what the parser in ``emulator.Terminal`` recognises:
C0 and C1 control characters, ESC sequences, CSI sequences (cursor motion,
erasing, scrolling, margins, tab stops, modes), DEC private modes and OSC
strings. Nothing here answers the guest: device attribute and status reports,
DECRQSS, ENQ and window reports are read and dropped; OSC 0/2 titles are
only recorded in ``title``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kvmdesk.core.terminal.screen import Screen
from kvmdesk.core.terminal.sgr import apply_sgr, param_list

MAX_TITLE: Final = 256

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


class Controls(Screen):
    """A screen driven by control characters and escape sequences."""

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
            apply_sgr(self, params)
            return
        args = param_list(params)
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

    def _osc(self, body: str) -> None:
        code, _sep, value = body.partition(";")
        if code in ("0", "2"):
            self.title = "".join(c for c in value[:MAX_TITLE] if c.isprintable())
        # 1 (icon name), 4/10/11 (colour queries), 50 (font), 52 (clipboard): ignored.
