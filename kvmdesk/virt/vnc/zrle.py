"""The ZRLE encoding (RFC 6143 section 7.7.6): 64×64 tiles in one zlib stream.

Each tile is raw, a solid colour, a packed palette of 2 to 16 colours, or
run-length coded (plainly or through a palette). Every count the server
sends is checked against the tile before anything is written: a run that
runs past its tile, a palette index beyond the palette or a sub-encoding
that does not exist ends the session with an ``RfbError``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Generator

from kvmdesk.virt.vnc.events import Problem, RfbError
from kvmdesk.virt.vnc.framebuffer import Framebuffer, Rect
from kvmdesk.virt.vnc.inflate import Inflow
from kvmdesk.virt.vnc.pixels import bgr_to_bgrx, palette_pixels, unpack_indices

TILE = 64
CPIXEL = 3

Reader = Generator[int, bytes, None]


def decode_rect(
    fb: Framebuffer, r: Rect, z: zlib._Decompress, length: int, count: Callable[[int], None]
) -> Reader:
    """The tiles of ``r``, from ``length`` bytes of the session's ZRLE stream ``z``."""
    flow = Inflow(z, length, count, "ZRLE")
    for ty in range(r.y, r.y + r.h, TILE):
        th = min(TILE, r.y + r.h - ty)
        for tx in range(r.x, r.x + r.w, TILE):
            tw = min(TILE, r.x + r.w - tx)
            tile = yield from _tile(flow, tw, th)
            fb.put_rows(tx, ty, tw, tile)
            count(len(tile))
            yield 0  # a chance to stop here when the turn's work is done
    yield from flow.finish()


def _tile(flow: Inflow, tw: int, th: int) -> Generator[int, bytes, bytes | bytearray]:
    n = tw * th
    sub = (yield from flow.take(1))[0]
    if sub == 0:
        return bgr_to_bgrx((yield from flow.take(n * CPIXEL)))
    if sub == 1:
        return bgr_to_bgrx((yield from flow.take(CPIXEL))) * n
    if 2 <= sub <= 16:
        palette = yield from _palette(flow, sub)
        bits = 1 if sub == 2 else 2 if sub <= 4 else 4
        packed = yield from flow.take((tw * bits + 7) // 8 * th)
        indices = unpack_indices(packed, tw, th, bits)
        if max(indices) >= sub:
            raise RfbError(Problem.PROTOCOL, "a ZRLE palette index beyond its palette")
        return palette_pixels(indices, palette)
    if sub == 128:
        return (yield from _runs(flow, n, None))
    if sub >= 130:
        return (yield from _runs(flow, n, (yield from _palette(flow, sub - 128))))
    raise RfbError(Problem.PROTOCOL, f"ZRLE tile sub-encoding {sub} does not exist")


def _palette(flow: Inflow, size: int) -> Generator[int, bytes, list[bytes]]:
    data = bgr_to_bgrx((yield from flow.take(size * CPIXEL)))
    return [bytes(data[i * 4 : i * 4 + 4]) for i in range(size)]


def _runs(flow: Inflow, n: int, palette: list[bytes] | None) -> Generator[int, bytes, bytearray]:
    """Run-length coded pixels: plain (``palette`` None) or palette indices."""
    out = bytearray()
    done = 0
    while done < n:
        if palette is None:
            pixel = bytes(bgr_to_bgrx((yield from flow.take(CPIXEL))))
            run = yield from _run_length(flow)
        else:
            index = (yield from flow.take(1))[0]
            run = 1
            if index & 0x80:
                index &= 0x7F
                run = yield from _run_length(flow)
            if index >= len(palette):
                raise RfbError(Problem.PROTOCOL, "a ZRLE palette index beyond its palette")
            pixel = palette[index]
        if run > n - done:
            raise RfbError(Problem.PROTOCOL, "a ZRLE run longer than its tile")
        out += pixel * run
        done += run
    return out


def _run_length(flow: Inflow) -> Generator[int, bytes, int]:
    length = 1
    while True:
        byte = (yield from flow.take(1))[0]
        length += byte
        if byte != 255:
            return length
        if length > TILE * TILE:
            raise RfbError(Problem.PROTOCOL, "a ZRLE run longer than its tile")
