"""The RFB handshake up to the server's init: version, then security.

Generators that ask for bytes, as ``RfbClient``'s protocol reader does;
what the client answers is appended to ``out``.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Generator

from kvmdesk.virt.vnc.des import vnc_response
from kvmdesk.virt.vnc.events import Problem, RfbError

MAX_REASON = 4096
"""Longest failure reason or desktop name kept (a longer one is refused)."""

_U8 = struct.Struct(">B")
_U32 = struct.Struct(">I")
_VERSION = re.compile(rb"RFB (\d{3})\.(\d{3})\n")

Reader = Generator[int, bytes, None]


def version(out: bytearray) -> Generator[int, bytes, int]:
    """The server's version line; answers with the highest version both speak."""
    line = yield 12
    m = _VERSION.fullmatch(line)
    if m is None:
        raise RfbError(Problem.PROTOCOL, "the server does not speak RFB")
    major, minor = int(m.group(1)), int(m.group(2))
    if major != 3 or minor < 3:
        raise RfbError(Problem.PROTOCOL, f"RFB version {major}.{minor} is not supported")
    minor = 8 if minor >= 8 else 7 if minor == 7 else 3
    out += b"RFB 003.%03d\n" % minor
    return minor


def reason() -> Generator[int, bytes, str]:
    """A length-prefixed text from the server: why it refused."""
    (length,) = _U32.unpack((yield 4))
    if length > MAX_REASON:
        raise RfbError(Problem.TOO_LARGE, f"a message of {length} bytes")
    text = (yield length) if length else b""
    return text.decode("utf-8", "replace")


def security(minor: int, password: str | None, out: bytearray) -> Reader:
    """No authentication where the server offers it, else the VNC password."""
    if minor == 3:
        (kind,) = _U32.unpack((yield 4))
        offered: tuple[int, ...] = (kind,) if kind else ()
    else:
        count = (yield 1)[0]
        offered = tuple((yield count)) if count else ()
    if not offered:
        raise RfbError(Problem.REFUSED, (yield from reason()))
    if 1 in offered:
        chosen = 1
    elif 2 in offered:
        chosen = 2
    else:
        raise RfbError(Problem.NO_SECURITY, ", ".join(str(k) for k in offered))
    if minor != 3:
        out += _U8.pack(chosen)
    if chosen == 2:
        challenge = yield 16
        if password is None:
            raise RfbError(Problem.PASSWORD_NEEDED, "the display asks for a password")
        out += vnc_response(password, challenge)
    if chosen == 2 or minor == 8:
        (result,) = _U32.unpack((yield 4))
        if result != 0:
            why = (yield from reason()) if minor == 8 else ""
            problem = Problem.AUTH_FAILED if chosen == 2 else Problem.REFUSED
            raise RfbError(problem, why or "the server refused the connection")
