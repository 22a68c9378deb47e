"""Decoding a PNG band by band into packed 8-bit RGB, memory bounded.

Pillow decodes a whole PNG at once, in its own layout: 4 bytes a pixel for
RGB, a byte a pixel even for a 1-bit image, and a second copy for every
conversion. A 16384×4096 1-bit PNG of 8 KiB became 320 MiB that way. Here
the image data is inflated a band of rows at a time (``limits.BAND_BYTES``),
never past the size the header announces; each band is unfiltered by
Pillow's PNG code (handed a small PNG of the band, the previous band's last
row in front, in a lossless form with the same bytes per pixel, so that
the filters see what they saw), converted to RGB and copied into the one
result buffer. Chunks are counted (``MAX_CHUNKS``) and checked (CRC), the
work has a deadline (``DECODE_SECONDS``), and nothing but the image data
and the palette of the file ever reaches Pillow.

Interlaced images and 16-bit colour, which no hypervisor sends, are decoded
whole by Pillow, only when their worst case fits ``PEAK_BUDGET``.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

from kvmdesk.virt.screenshot.errors import CorruptImageError, ImageTooLargeError
from kvmdesk.virt.screenshot.limits import (
    BAND_BYTES,
    BAND_PIXELS,
    DECODE_SECONDS,
    MAX_CHUNKS,
    MAX_PNG_BYTES,
    MAX_RAW_BYTES,
    PEAK_BUDGET,
    RGB_BYTES,
)

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
# Bytes a pixel (as the filters count them) -> a lossless Pillow form with as many.
_PSEUDO = {1: ("L", 0), 2: ("LA", 4), 3: ("RGB", 2), 4: ("RGBA", 6)}
_WHOLE_BYTES_PER_PIXEL = 11  # Pillow's image, its RGB copy, the packed result


@dataclass(slots=True)
class Layout:
    """What the chunks say: the header, the palette and where the image data is."""

    width: int
    height: int
    depth: int
    colour: int
    interlaced: bool
    palette: bytes = b""
    idat: list[memoryview] = field(default_factory=list)
    idat_bytes: int = 0

    @property
    def bpp(self) -> int:
        """Bytes a pixel as the PNG filters count them (at least 1)."""
        return max(1, _CHANNELS[self.colour] * self.depth // 8)

    @property
    def row_bytes(self) -> int:
        return (self.width * _CHANNELS[self.colour] * self.depth + 7) // 8


class Deadline:
    def __init__(self, seconds: float = DECODE_SECONDS) -> None:
        self._end = time.monotonic() + seconds
        self._seconds = seconds

    def check(self) -> None:
        if time.monotonic() > self._end:
            raise ImageTooLargeError(
                f"Decoding the screenshot took more than {self._seconds:g} seconds; refused."
            )


def header(data: bytes | bytearray | memoryview) -> tuple[int, int, int, int, int]:
    """(width, height, bit depth, colour type, interlace) from the IHDR chunk."""
    if len(data) < len(SIGNATURE) or bytes(data[:8]) != SIGNATURE:
        if SIGNATURE.startswith(bytes(data[:8])):
            raise CorruptImageError("The screenshot data is empty or cut short.")
        raise CorruptImageError("The screenshot data is not a PNG image.")
    if len(data) < 8 + 8 + 13 + 4:
        raise CorruptImageError("The screenshot data is cut short (incomplete PNG header).")
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        raise CorruptImageError("The PNG header of the screenshot is malformed.")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", data[16:29]
    )
    if width > 0x7FFFFFFF or height > 0x7FFFFFFF:
        raise CorruptImageError("The PNG header of the screenshot is malformed.")
    if colour not in _DEPTHS or depth not in _DEPTHS[colour]:
        raise CorruptImageError(
            f"The PNG header of the screenshot gives an impossible format "
            f"(colour type {colour}, {depth} bits)."
        )
    if compression != 0 or filtering != 0 or interlace not in (0, 1):
        raise CorruptImageError("The PNG header of the screenshot is malformed.")
    return width, height, depth, colour, interlace


def read_layout(data: bytes | bytearray | memoryview, deadline: Deadline) -> Layout:
    """Walk the chunks up to IEND: at most ``MAX_CHUNKS``, each with its CRC checked."""
    width, height, depth, colour, interlace = header(data)
    layout = Layout(width, height, depth, colour, bool(interlace))
    view = memoryview(data)
    pos = len(SIGNATURE)
    for count in range(MAX_CHUNKS + 1):
        if count == MAX_CHUNKS:
            raise ImageTooLargeError(
                f"The screenshot is a PNG of more than {MAX_CHUNKS} chunks; refused."
            )
        if count % 1024 == 1023:
            deadline.check()
        if pos + 12 > len(view):
            raise CorruptImageError("The screenshot data is cut short (PNG without its end).")
        length, kind = struct.unpack(">I4s", view[pos : pos + 8])
        if length > 0x7FFFFFFF:
            raise CorruptImageError("The PNG data of the screenshot is malformed.")
        end = pos + 8 + length
        if end + 4 > len(view):
            raise CorruptImageError("The screenshot data is cut short (truncated PNG chunk).")
        body = view[pos + 8 : end]
        (crc,) = struct.unpack(">I", view[end : end + 4])
        if zlib.crc32(body, zlib.crc32(kind)) != crc:
            raise CorruptImageError("The PNG data of the screenshot is damaged (checksum).")
        if kind == b"IDAT":
            layout.idat.append(body)
            layout.idat_bytes += length
        elif kind == b"PLTE":
            layout.palette = bytes(body)
        elif kind == b"IEND":
            break
        pos = end + 4
    if not layout.idat:
        raise CorruptImageError("The PNG screenshot holds no image data.")
    if colour == 3 and not layout.palette:
        raise CorruptImageError("The PNG screenshot has colour indices but no palette.")
    return layout


# -- the band decoder ----------------------------------------------------------------


def _stored_zlib(pieces: list[bytes]) -> bytes:
    """``pieces`` as the start of a zlib stream of stored (uncompressed)
    blocks, put together in one copy.

    No final block and no checksum: Pillow stops reading once the image is
    full, and the data was checked when it was inflated from the PNG.
    """
    out: list[bytes | memoryview] = [b"\x78\x01"]
    for piece in pieces:
        view = memoryview(piece)
        for start in range(0, len(piece), 65535):
            block = view[start : start + 65535]
            out.append(struct.pack("<BHH", 0, len(block), 0xFFFF ^ len(block)))
            out.append(block)
    return b"".join(out)


def _unfilter(layout: Layout, pieces: list[bytes], count: int) -> Image.Image:
    """``count`` rows (the raw row before the band behind filter byte 0, if
    any, then the filtered rows) unfiltered, as a Pillow image of the raw bytes."""
    mode, _colour = _PSEUDO[layout.bpp]
    width = layout.row_bytes // layout.bpp
    return Image.frombytes(mode, (width, count), _stored_zlib(pieces), "zip", mode)


_GREY_RAW = {1: "1", 2: "L;2", 4: "L;4", 8: "L"}
_PALETTE_RAW = {1: "P;1", 2: "P;2", 4: "P;4", 8: "P"}


def _to_rgb(layout: Layout, unfiltered: Image.Image, skip: int) -> bytes | memoryview:
    """Packed RGB of the unfiltered rows, the first ``skip`` (0 or 1) left out."""
    colour, depth = layout.colour, layout.depth
    cut = skip * layout.width * RGB_BYTES
    if colour == 2:  # 8-bit RGB: already what is wanted
        return memoryview(unfiltered.tobytes())[cut:]
    if colour == 6:  # 8-bit RGBA: the alpha dropped in the same pass
        return memoryview(unfiltered.tobytes("raw", "RGB"))[cut:]
    if colour in (0, 4) and depth >= 8:
        # Grey in 16 bits, grey with alpha: the first byte of each pixel of the
        # lossless form (LA or RGBA) is the grey sample's high byte.
        grey = unfiltered.getchannel(0)
        return memoryview(grey.convert("RGB").tobytes())[cut:]
    size = (layout.width, unfiltered.height)
    raw = unfiltered.tobytes()
    if colour == 3:
        image = Image.frombytes("P", size, raw, "raw", _PALETTE_RAW[depth])
        image.putpalette(layout.palette, "RGB")
        return memoryview(image.convert("RGB").tobytes())[cut:]
    grey = Image.frombytes("1" if depth == 1 else "L", size, raw, "raw", _GREY_RAW[depth])
    return memoryview(grey.convert("RGB").tobytes())[cut:]


def _decode_bands(layout: Layout, deadline: Deadline) -> bytearray:
    row_bytes = layout.row_bytes
    band_rows = max(1, min(BAND_BYTES // (row_bytes + 1), BAND_PIXELS // layout.width))
    out = bytearray(layout.width * layout.height * RGB_BYTES)
    out_row = layout.width * RGB_BYTES
    inflater = zlib.decompressobj()
    chunks = iter(layout.idat)
    previous = b""
    y = 0
    try:
        while y < layout.height:
            deadline.check()
            rows = min(band_rows, layout.height - y)
            # The raw row before the band, as an unfiltered row, then the band.
            pieces = [b"\x00" + previous] if previous else []
            need = rows * (row_bytes + 1)
            while need:
                source = inflater.unconsumed_tail or next(chunks, None)
                if source is None:
                    raise CorruptImageError("The screenshot data is cut short (PNG image data).")
                # Never more than the header announces: a deflate bomb stops here.
                piece = inflater.decompress(source, need)
                pieces.append(piece)
                need -= len(piece)
            unfiltered = _unfilter(layout, pieces, rows + (1 if previous else 0))
            last = unfiltered.height - 1
            previous = unfiltered.crop((0, last, unfiltered.width, last + 1)).tobytes()
            out[y * out_row : (y + rows) * out_row] = _to_rgb(layout, unfiltered, 1 if y else 0)
            y += rows
    except zlib.error as exc:
        raise CorruptImageError(
            f"The PNG image data of the screenshot is damaged ({exc})."
        ) from None
    except (ValueError, OSError) as exc:  # a filter byte Pillow does not know, ...
        raise CorruptImageError(
            f"The PNG image data of the screenshot is damaged ({exc})."
        ) from None
    return out


# -- the whole-image path ----------------------------------------------------------------


def _chunk(kind: bytes, body: bytes | bytearray | memoryview) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + bytes(body)
        + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)))
    )


def _decode_whole(data_size: int, layout: Layout, deadline: Deadline) -> bytearray:
    pixels = layout.width * layout.height
    worst = 2 * data_size + pixels * _WHOLE_BYTES_PER_PIXEL
    if worst > PEAK_BUDGET:
        what = "an interlaced" if layout.interlaced else "a 16-bit colour"
        raise ImageTooLargeError(
            f"The screenshot is {what} PNG of {layout.width}×{layout.height} pixels, too "
            "large to decode safely in that format; refused."
        )
    ihdr = struct.pack(
        ">IIBBBBB",
        layout.width,
        layout.height,
        layout.depth,
        layout.colour,
        0,
        0,
        int(layout.interlaced),
    )
    parts = [SIGNATURE, _chunk(b"IHDR", ihdr)]
    if layout.palette:
        parts.append(_chunk(b"PLTE", layout.palette))
    parts += [_chunk(b"IDAT", b"".join(layout.idat)), _chunk(b"IEND", b"")]
    try:
        opened = Image.open(io.BytesIO(b"".join(parts)), formats=["PNG"])
        opened.load()
        deadline.check()
        image: Image.Image = opened
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        return bytearray(image.tobytes("raw", "RGB"))
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptImageError(f"The screenshot data is not a valid image ({exc}).") from exc


def decode_png(
    data: bytes | bytearray | memoryview,
    check_size: Callable[[int, int], None],
    deadline: Deadline | None = None,
) -> tuple[int, int, bytearray]:
    """(width, height, packed RGB) of PNG ``data``; raises a ``DecodeError``."""
    deadline = deadline or Deadline()
    width, height, _depth, _colour, _interlace = header(data)
    check_size(width, height)
    if len(data) > MAX_PNG_BYTES:
        raise ImageTooLargeError(
            f"The screenshot is a PNG of more than {MAX_PNG_BYTES // (1024 * 1024)} MiB; refused."
        )
    if len(data) + width * height * RGB_BYTES + 4 * BAND_BYTES > PEAK_BUDGET:
        raise ImageTooLargeError(
            "The screenshot's data and picture together are too large to decode safely; refused."
        )
    layout = read_layout(data, deadline)
    if layout.row_bytes * layout.height > MAX_RAW_BYTES:
        bits = _CHANNELS[layout.colour] * layout.depth
        raise ImageTooLargeError(
            f"The screenshot is a {width}×{height} PNG of {bits} bits a pixel: more image "
            "data than an 8K screen in 24-bit colour; refused."
        )
    if layout.interlaced or layout.bpp > 4:
        return width, height, _decode_whole(len(data), layout, deadline)
    return width, height, _decode_bands(layout, deadline)
