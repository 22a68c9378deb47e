"""Compressed rectangle data, inflated a little at a time and never beyond its bounds.

ZRLE and Tight send a rectangle as a length and that many bytes of a zlib
stream which lives as long as the session. ``Inflow`` asks the RFB reader
for the compressed bytes in chunks and hands out inflated bytes as the
decoder asks for them, so neither the compressed nor the inflated data of
a rectangle is ever held whole: at most one chunk of each waits here.
Data that ends before the rectangle is complete, or inflates to more than
the rectangle holds, is a protocol error.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Generator

from kvmdesk.virt.vnc.events import Problem, RfbError

CHUNK = 256 * 1024
"""Compressed bytes asked of the input at once, and inflated bytes made at once."""

Take = Generator[int, bytes, bytes]


class Inflow:
    """``length`` bytes of compressed input for one rectangle, read through ``z``."""

    def __init__(
        self,
        z: zlib._Decompress,
        length: int,
        count: Callable[[int], None],
        what: str,
    ) -> None:
        self._z = z
        self._left = length
        self._tail = b""
        self._buf = bytearray()
        self._pos = 0
        self._count = count
        self._what = what

    def _more(self) -> Generator[int, bytes, None]:
        if self._tail:
            data = self._tail
        elif self._left:
            data = yield min(self._left, CHUNK)
            self._left -= len(data)
        else:
            raise RfbError(Problem.PROTOCOL, f"{self._what} data ended inside its rectangle")
        out = self._z.decompress(data, CHUNK)
        self._tail = self._z.unconsumed_tail
        if self._pos:
            del self._buf[: self._pos]
            self._pos = 0
        self._buf += out
        self._count(len(out) + len(data))

    def take(self, n: int) -> Take:
        """The next ``n`` inflated bytes."""
        while len(self._buf) - self._pos < n:
            yield from self._more()
        start = self._pos
        self._pos += n
        return bytes(self._buf[start : self._pos])

    def finish(self) -> Generator[int, bytes, None]:
        """The rectangle is decoded: the rest of its input must inflate to nothing."""
        while self._tail or self._left:
            if len(self._buf) > self._pos:
                break
            yield from self._more()
        if len(self._buf) > self._pos:
            raise RfbError(Problem.PROTOCOL, f"{self._what} data larger than its rectangle")


def compressed_limit(w: int, h: int) -> int:
    """The most compressed bytes a ``w`` × ``h`` rectangle may come in: zlib's worst
    case for its pixels at four bytes each, plus room for headers."""
    plain = w * h * 4 + (w + 63) // 64 * ((h + 63) // 64) + 4096
    return plain + plain // 64 + 1024
