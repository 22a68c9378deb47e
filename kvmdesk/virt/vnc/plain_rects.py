"""Raw and zlib rectangles: the framebuffer's own pixels, as they are or
through the session's one zlib stream, taken in bounded slices."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Generator

from kvmdesk.virt.vnc.events import Problem, RfbError
from kvmdesk.virt.vnc.framebuffer import BPP, Framebuffer, Rect

CHUNK = 256 * 1024
"""Bytes asked of the input at once: rows of a raw rectangle, slices of zlib data."""

_U32 = struct.Struct(">I")

Reader = Generator[int, bytes, None]


def raw_rect(fb: Framebuffer, r: Rect) -> Reader:
    """The pixels of ``r`` as they are, a slice of rows at a time."""
    row_bytes = r.w * BPP
    rows_per_chunk = max(1, CHUNK // row_bytes)
    y = r.y
    end = r.y + r.h
    while y < end:
        rows = min(rows_per_chunk, end - y)
        y += fb.put_rows(r.x, y, r.w, (yield rows * row_bytes))


def zlib_rect(
    fb: Framebuffer, r: Rect, z: zlib._Decompress, count: Callable[[int], None]
) -> Reader:
    """The pixels of ``r`` through the session's zlib stream ``z``, checked against ``r``."""
    (length,) = _U32.unpack((yield 4))
    expected = r.w * r.h * BPP
    if length > expected + expected // 64 + 1024:
        raise RfbError(
            Problem.TOO_LARGE, f"{length} bytes of zlib data for a {r.w}×{r.h} rectangle"
        )
    row_bytes = max(1, r.w * BPP)
    pending = bytearray()
    y = r.y
    produced = 0
    left = length
    while left:
        data = yield min(left, CHUNK)
        left -= len(data)
        while data:
            want = expected - produced
            out = z.decompress(data, min(want, 4 * CHUNK) if want else 1)
            data = z.unconsumed_tail
            if out and not want:
                raise RfbError(Problem.PROTOCOL, "zlib data larger than its rectangle")
            produced += len(out)
            count(len(out))
            pending += out
            rows = fb.put_rows(r.x, y, r.w, pending) if r.w else 0
            y += rows
            del pending[: rows * row_bytes]
    if produced != expected:
        raise RfbError(
            Problem.PROTOCOL,
            f"zlib data ended after {produced} of {expected} bytes of its rectangle",
        )
