"""The client's copy of the guest's screen: 32-bit pixels in one bytearray.

Pixels are little-endian B, G, R, X — the format kvmdesk asks the server
for, and the one Qt paints without converting (``QImage.Format_RGB32``).
Its size is bounded by the screenshot limits: at most an 8K screen, 133 MB.
"""

from __future__ import annotations

from dataclasses import dataclass

from kvmdesk.virt.screenshot.limits import MAX_PIXELS, MAX_SIDE

BPP = 4
MAX_BYTES = MAX_PIXELS * BPP
"""The largest framebuffer held: an 8K screen at 4 bytes a pixel."""


def size_allowed(width: int, height: int) -> bool:
    """Whether a ``width`` × ``height`` screen is within the limits (and not empty)."""
    return 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_PIXELS


@dataclass(frozen=True, slots=True)
class Rect:
    x: int
    y: int
    w: int
    h: int


class Framebuffer:
    """``width`` × ``height`` pixels, written rectangle by rectangle."""

    def __init__(self, width: int, height: int) -> None:
        if not size_allowed(width, height):
            raise ValueError(f"screen size {width}x{height} is outside the limits")
        self.width = width
        self.height = height
        self.stride = width * BPP
        self.data = bytearray(self.stride * height)
        self.generation = 0  # bumped whenever the buffer is replaced

    def contains(self, x: int, y: int, w: int, h: int) -> bool:
        return x >= 0 and y >= 0 and x + w <= self.width and y + h <= self.height

    def put_rows(self, x: int, y: int, w: int, rows: bytes | bytearray | memoryview) -> int:
        """Copy whole rows of ``w`` pixels to (x, y); returns how many rows were written."""
        row_bytes = w * BPP
        count = len(rows) // row_bytes
        src = memoryview(rows)
        data, stride = self.data, self.stride
        start = y * stride + x * BPP
        if x == 0 and w == self.width:
            data[start : start + count * row_bytes] = src[: count * row_bytes]
            return count
        for i in range(count):
            offset = start + i * stride
            data[offset : offset + row_bytes] = src[i * row_bytes : (i + 1) * row_bytes]
        return count

    def copy(self, sx: int, sy: int, r: Rect) -> None:
        """CopyRect: move the w × h block at (sx, sy) to (r.x, r.y); they may overlap."""
        row_bytes = r.w * BPP
        block = bytearray()
        stride = self.stride
        for i in range(r.h):  # read all first: overlap in either direction is safe
            o = (sy + i) * stride + sx * BPP
            block += self.data[o : o + row_bytes]
        self.put_rows(r.x, r.y, r.w, block)

    def fill(self, r: Rect, pixel: bytes) -> None:
        self.put_rows(r.x, r.y, r.w, pixel * (r.w * r.h))

    def resize(self, width: int, height: int) -> None:
        """A new, black screen of another size."""
        if not size_allowed(width, height):
            raise ValueError(f"screen size {width}x{height} is outside the limits")
        self.width, self.height, self.stride = width, height, width * BPP
        self.data = bytearray(self.stride * height)
        self.generation += 1
