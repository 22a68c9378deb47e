"""The VT100/xterm parser: guest bytes in, screen operations out.

Guest output is decoded incrementally as UTF-8 (invalid bytes become U+FFFD,
sequences split between feeds are joined) and cut by one regular expression
into runs of printable text, which are written to the screen in one go, and
control functions, which ``controls.Controls`` carries out. An unfinished
escape sequence is kept until the next feed only up to ``MAX_SEQUENCE``
characters; a longer one is skipped up to its end without being stored, so a
guest cannot make the emulator hold megabytes.

The emulator never answers: device attribute and status reports, DECRQSS,
ENQ, title reports, OSC 52 (clipboard) and OSC 50 (font) are read and
dropped. OSC 0/2 titles are only recorded in ``title``.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from kvmdesk.core.terminal.controls import Controls
from kvmdesk.core.terminal.screen import DEFAULT_SCROLLBACK

MAX_SEQUENCE: Final = 4096

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


class Terminal(Controls):
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
