"""What a server says in the ZRLE and Tight encodings, for tests of the client's decoders."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from kvmdesk.virt.vnc import rfb
from tests.unit.vnc.rfb_bytes import rect


def bgr(bgrx: bytes) -> bytes:
    """A framebuffer pixel as ZRLE's CPIXEL."""
    return bgrx[:3]


def rgb(bgrx: bytes) -> bytes:
    """A framebuffer pixel as Tight's TPIXEL."""
    return bytes((bgrx[2], bgrx[1], bgrx[0]))


class Zrle:
    """The server's ZRLE stream: one for the session; tiles are given as bytes."""

    def __init__(self) -> None:
        self._z = zlib.compressobj()

    def rect(
        self, x: int, y: int, w: int, h: int, *tiles: bytes, length: int | None = None
    ) -> bytes:
        body = self._z.compress(b"".join(tiles)) + self._z.flush(zlib.Z_SYNC_FLUSH)
        size = len(body) if length is None else length
        return rect(x, y, w, h, rfb.ZRLE, struct.pack(">I", size) + body)


def zrle_raw(*bgrx: bytes) -> bytes:
    return b"\0" + b"".join(bgr(p) for p in bgrx)


def zrle_solid(bgrx: bytes) -> bytes:
    return b"\1" + bgr(bgrx)


def pack_indices(indices: list[int], width: int, bits: int) -> bytes:
    out = bytearray()
    for start in range(0, len(indices), width):
        row = indices[start : start + width]
        value = 0
        used = 0
        for index in row:
            value = value << bits | index
            used += bits
            if used == 8:
                out.append(value)
                value = used = 0
        if used:
            out.append(value << (8 - used))
    return bytes(out)


def zrle_palette(palette: list[bytes], indices: list[int], width: int) -> bytes:
    bits = 1 if len(palette) == 2 else 2 if len(palette) <= 4 else 4
    head = bytes([len(palette)]) + b"".join(bgr(p) for p in palette)
    return head + pack_indices(indices, width, bits)


def run_length(n: int) -> bytes:
    n -= 1
    return b"\xff" * (n // 255) + bytes([n % 255])


def zrle_rle(runs: list[tuple[bytes, int]]) -> bytes:
    return b"\x80" + b"".join(bgr(p) + run_length(n) for p, n in runs)


def zrle_palette_rle(palette: list[bytes], runs: list[tuple[int, int]]) -> bytes:
    out = bytes([128 + len(palette)]) + b"".join(bgr(p) for p in palette)
    for index, n in runs:
        out += bytes([index]) if n == 1 else bytes([index | 0x80]) + run_length(n)
    return out


def compact(n: int) -> bytes:
    """Tight's compact length."""
    out = bytearray([n & 0x7F])
    if n > 0x7F:
        out[0] |= 0x80
        out.append(n >> 7 & 0x7F)
        if n > 0x3FFF:
            out[1] |= 0x80
            out.append(n >> 14 & 0xFF)
    return bytes(out)


class Tight:
    """The server's four Tight zlib streams."""

    def __init__(self) -> None:
        self._z = [zlib.compressobj() for _ in range(4)]

    def fill(self, x: int, y: int, w: int, h: int, bgrx: bytes) -> bytes:
        return rect(x, y, w, h, rfb.TIGHT, b"\x80" + rgb(bgrx))

    def basic(
        self,
        x: int,
        y: int,
        w: int,
        h: int,
        data: bytes,
        stream: int = 0,
        head: bytes = b"",
        reset: int = 0,
        compress: bool | None = None,
    ) -> bytes:
        """``data`` after the filter (``head``: filter id and palette, if any)."""
        control = (stream | (4 if head else 0)) << 4 | reset
        if reset & (1 << stream):
            self._z[stream] = zlib.compressobj()
        if compress is None:
            compress = len(data) >= 12
        if compress:
            z = self._z[stream]
            body = z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH)
            data = compact(len(body)) + body
        return rect(x, y, w, h, rfb.TIGHT, bytes([control]) + head + data)

    def copy(self, x: int, y: int, w: int, h: int, bgrx: list[bytes], **kw: object) -> bytes:
        return self.basic(x, y, w, h, b"".join(rgb(p) for p in bgrx), **kw)  # type: ignore[arg-type]

    def palette(
        self, x: int, y: int, w: int, h: int, palette: list[bytes], indices: list[int]
    ) -> bytes:
        head = b"\1" + bytes([len(palette) - 1]) + b"".join(rgb(p) for p in palette)
        data = pack_indices(indices, w, 1) if len(palette) == 2 else bytes(indices)
        return self.basic(x, y, w, h, data, head=head)

    def gradient(self, x: int, y: int, w: int, h: int, bgrx: list[bytes]) -> bytes:
        plain = [rgb(p) for p in bgrx]
        data = bytearray()
        for i, pixel in enumerate(plain):
            row, col = divmod(i, w)
            for c in range(3):
                left = plain[i - 1][c] if col else 0
                up = plain[i - w][c] if row else 0
                corner = plain[i - w - 1][c] if row and col else 0
                predicted = min(255, max(0, left + up - corner))
                data.append((pixel[c] - predicted) & 0xFF)
        return self.basic(x, y, w, h, bytes(data), head=b"\2")

    @staticmethod
    def jpeg(x: int, y: int, w: int, h: int, image: Image.Image) -> bytes:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=95)
        data = out.getvalue()
        return rect(x, y, w, h, rfb.TIGHT, b"\x90" + compact(len(data)) + data)
