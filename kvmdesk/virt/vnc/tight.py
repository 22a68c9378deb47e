"""The Tight encoding as QEMU sends it: fill, JPEG, and zlib with filters.

A rectangle starts with a control byte: which of the four zlib streams to
reset, then a solid fill, a JPEG image (only when the client asked for a
JPEG quality and the server allows lossy updates), or basic compression
through one of the four streams with the copy, palette or gradient filter.
Pixels are 3-byte TPIXELs (R G B) for kvmdesk's 32-bit true-colour format.

Data is decoded in bands of rows, so a rectangle's pixels are never held
whole; JPEG data is at most 4 MB by the protocol's own length field, and
Pillow decodes it only after its header has been found to describe exactly
the rectangle.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Generator

from PIL import Image

from kvmdesk.virt.vnc.events import Problem, RfbError
from kvmdesk.virt.vnc.framebuffer import Framebuffer, Rect
from kvmdesk.virt.vnc.inflate import CHUNK, Inflow, compressed_limit
from kvmdesk.virt.vnc.pixels import palette_pixels, rgb_to_bgrx, unpack_indices

TPIXEL = 3
MIN_TO_COMPRESS = 12
"""Data shorter than this is sent as it is, without zlib and without a length."""

GRADIENT_BAND = 16 * 1024
"""Bytes of gradient-filtered data undone at once: it is undone pixel by pixel
in Python (about 1 µs a byte), so a band is a few milliseconds of work."""
GRADIENT_COST = 256
"""Work counted per gradient byte: one band fills a turn's budget, so the loop
turns between bands."""

FILL, JPEG, PNG = 8, 9, 10
COPY_FILTER, PALETTE_FILTER, GRADIENT_FILTER = 0, 1, 2

Reader = Generator[int, bytes, None]


class TightDecoder:
    """The four zlib streams of one session, and the rectangles that use them."""

    def __init__(self, count: Callable[[int], None]) -> None:
        self._streams = [zlib.decompressobj() for _ in range(4)]
        self._count = count
        self.jpeg_rects = 0  # how many came as JPEG (the figures of ``make bench``)

    def decode_rect(self, fb: Framebuffer, r: Rect) -> Reader:
        control = (yield 1)[0]
        for i in range(4):
            if control & (1 << i):
                self._streams[i] = zlib.decompressobj()
        kind = control >> 4
        if kind == FILL:
            pixel = rgb_to_bgrx((yield TPIXEL))
            if r.w and r.h:
                fb.fill(r, bytes(pixel))
                self._count(r.w * r.h * 4)
        elif kind == JPEG:
            yield from self._jpeg(fb, r)
            self.jpeg_rects += 1
        elif kind > JPEG:
            raise RfbError(Problem.PROTOCOL, f"Tight compression type {kind}, never offered")
        else:
            yield from self._basic(fb, r, kind)

    def _length(self, r: Rect) -> Generator[int, bytes, int]:
        """Tight's compact length (1 to 3 bytes), checked against the rectangle."""
        b = (yield 1)[0]
        length = b & 0x7F
        if b & 0x80:
            b = (yield 1)[0]
            length |= (b & 0x7F) << 7
            if b & 0x80:
                length |= (yield 1)[0] << 14
        if length > compressed_limit(r.w, r.h):
            raise RfbError(
                Problem.TOO_LARGE, f"{length} bytes of Tight data for a {r.w}×{r.h} rectangle"
            )
        return length

    def _jpeg(self, fb: Framebuffer, r: Rect) -> Reader:
        length = yield from self._length(r)
        parts = []
        left = length
        while left:
            data = yield min(left, CHUNK)
            left -= len(data)
            parts.append(data)
        self._count(length + r.w * r.h * 4)
        if not (r.w and r.h):
            return
        try:
            with Image.open(io.BytesIO(b"".join(parts)), formats=("JPEG",)) as image:
                if image.size != (r.w, r.h):
                    raise RfbError(
                        Problem.PROTOCOL,
                        f"a {image.size[0]}×{image.size[1]} JPEG image for a {r.w}×{r.h} rectangle",
                    )
                image.load()
                pixels = image.convert("RGB").tobytes("raw", "BGRX")
        except RfbError:
            raise
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise RfbError(Problem.PROTOCOL, f"a JPEG image that cannot be decoded: {exc}") from exc
        fb.put_rows(r.x, r.y, r.w, pixels)

    def _basic(self, fb: Framebuffer, r: Rect, kind: int) -> Reader:
        stream = kind & 3
        kind_filter = (yield 1)[0] if kind & 4 else COPY_FILTER
        palette: list[bytes] = []
        if kind_filter == PALETTE_FILTER:
            size = (yield 1)[0] + 1
            data = rgb_to_bgrx((yield size * TPIXEL))
            palette = [bytes(data[i * 4 : i * 4 + 4]) for i in range(size)]
            bits = 1 if size == 2 else 8
            row_bytes = (r.w + 7) // 8 if bits == 1 else r.w
        elif kind_filter in (COPY_FILTER, GRADIENT_FILTER):
            bits = 0
            row_bytes = r.w * TPIXEL
        else:
            raise RfbError(Problem.PROTOCOL, f"Tight filter {kind_filter} does not exist")
        total = row_bytes * r.h
        flow: Inflow | None = None
        if total >= MIN_TO_COMPRESS:
            length = yield from self._length(r)
            flow = Inflow(self._streams[stream], length, self._count, "Tight")
        if not total:
            if flow is not None:
                yield from flow.finish()
            return
        band_bytes = GRADIENT_BAND if kind_filter == GRADIENT_FILTER else CHUNK
        rows_per_band = max(1, band_bytes // row_bytes)
        above = bytes(row_bytes)  # the gradient filter's row above the first: black
        y = r.y
        while y < r.y + r.h:
            rows = min(rows_per_band, r.y + r.h - y)
            size = rows * row_bytes
            band = (yield from flow.take(size)) if flow is not None else (yield size)
            if kind_filter == PALETTE_FILTER:
                indices = unpack_indices(band, r.w, rows, bits)
                if max(indices) >= len(palette):
                    raise RfbError(Problem.PROTOCOL, "a Tight palette index beyond its palette")
                pixels = palette_pixels(indices, palette)
            else:
                if kind_filter == GRADIENT_FILTER:
                    band = _ungradient(band, above, row_bytes)
                    above = band[-row_bytes:]
                    self._count(len(band) * GRADIENT_COST)
                pixels = rgb_to_bgrx(band)
            fb.put_rows(r.x, y, r.w, pixels)
            self._count(len(pixels))
            y += rows
            yield 0  # a chance to stop here when the turn's work is done
        if flow is not None:
            yield from flow.finish()


def _ungradient(band: bytes, above: bytes, row_bytes: int) -> bytes:
    """Undo the gradient filter: each component was sent as its difference from
    left + above - above-left (clamped to 0..255)."""
    out = bytearray()
    prev: bytes | bytearray = above
    for start in range(0, len(band), row_bytes):
        row = bytearray(band[start : start + row_bytes])
        for i in range(min(TPIXEL, row_bytes)):  # nothing to the left: the one above
            row[i] = (row[i] + prev[i]) & 0xFF
        for i in range(TPIXEL, row_bytes):
            predicted = row[i - TPIXEL] + prev[i] - prev[i - TPIXEL]
            if predicted < 0:
                predicted = 0
            elif predicted > 0xFF:
                predicted = 0xFF
            row[i] = (row[i] + predicted) & 0xFF
        out += row
        prev = row
    return bytes(out)
