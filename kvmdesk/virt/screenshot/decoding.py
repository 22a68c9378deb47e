"""Checking and decoding screenshot bytes: PPM and PNG only, sizes checked first.

The dimensions are read from the header here, without Pillow, and an image
larger than the limits (``limits``: 8K, in pixels and in decoded bytes) is
refused *before* anything is allocated; every kind of broken data becomes a
``DecodeError`` with a plain-English message.

The result is packed 8-bit RGB: a binary PPM with maxval 255 (what QEMU
sends) is used where its pixels lie, without a copy; a PNG is decoded band
by band (``png_decode``); other PPMs are scaled band by band.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from kvmdesk.virt.screenshot.errors import (
    CorruptImageError,
    ImageTooLargeError,
    UnsupportedFormatError,
)
from kvmdesk.virt.screenshot.limits import (
    BAND_BYTES,
    MAX_PIXELS,
    MAX_PPM_BYTES,
    MAX_RAW_BYTES,
    MAX_SIDE,
    PEAK_BUDGET,
    PPM_HEADER_LIMIT,
    RGB_BYTES,
)
from kvmdesk.virt.screenshot.mime import MIME_PNG, MIME_PPM, normalize_mime
from kvmdesk.virt.screenshot.png_decode import SIGNATURE as _PNG_SIGNATURE
from kvmdesk.virt.screenshot.png_decode import Deadline, decode_png, header

__all__ = ["MAX_PIXELS", "MAX_SIDE", "DecodedImage", "decode", "png_header", "ppm_header"]

Pixels = bytes | bytearray | memoryview


@dataclass(frozen=True, slots=True, eq=False)
class DecodedImage:
    """A checked, fully decoded screenshot: packed 8-bit RGB rows, top to bottom."""

    width: int
    height: int
    rgb: memoryview = field(repr=False)  # width * height * 3 bytes
    source_mime: str = ""

    @property
    def mode(self) -> str:
        return "RGB"

    @property
    def image(self) -> Image.Image:
        """A Pillow copy (4 bytes a pixel): for small images and tests only."""
        return Image.frombytes("RGB", (self.width, self.height), bytes(self.rgb))


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise CorruptImageError(f"The screenshot header gives an empty size ({width}×{height}).")
    pixels = width * height
    limit = MAX_PIXELS
    pillow_limit = Image.MAX_IMAGE_PIXELS
    if pillow_limit is not None:
        limit = min(limit, int(pillow_limit))
    if width > MAX_SIDE or height > MAX_SIDE or pixels > limit:
        raise ImageTooLargeError(
            f"The screenshot claims to be {width}×{height} pixels, more than allowed "
            f"(at most {MAX_SIDE} pixels a side and {limit / 1e6:.1f} megapixels, 8K); "
            "refused."
        )


_WS = b" \t\n\r\v\f"
_DIGITS = b"0123456789"


def ppm_header(data: Pixels) -> tuple[int, int, int, int]:
    """(width, height, maxval, offset of the pixels) of a binary PPM (P6).

    Parsed here, without Pillow, so that sizes are checked before anything
    is allocated.
    """
    if len(data) < 2:
        raise CorruptImageError("The screenshot data is empty or cut short.")
    if data[:1] == b"P" and data[1:2] in (b"1", b"2", b"3", b"4", b"5", b"7", b"F", b"f"):
        raise UnsupportedFormatError(
            "The screenshot is a kind of portable anymap other than binary PPM (P6)."
        )
    if data[:2] != b"P6":
        raise CorruptImageError("The screenshot data is not a PPM image.")
    end = min(len(data), PPM_HEADER_LIMIT)
    pos = 2
    values: list[int] = []
    while len(values) < 3:
        start = pos
        while pos < end and (data[pos] in _WS or data[pos] == ord("#")):
            if data[pos] == ord("#"):
                while pos < end and data[pos] not in b"\r\n":
                    pos += 1
            else:
                pos += 1
        if pos >= end:
            break
        if pos == start:  # numbers must be separated by white space
            raise CorruptImageError("The PPM header of the screenshot is malformed.")
        digits_start = pos
        while pos < end and data[pos] in _DIGITS:
            pos += 1
        if pos == digits_start:
            raise CorruptImageError("The PPM header of the screenshot is malformed.")
        values.append(int(data[digits_start:pos]))
    if len(values) < 3 or pos >= end or data[pos] not in _WS:
        if len(data) < PPM_HEADER_LIMIT:
            raise CorruptImageError("The screenshot data is cut short (incomplete PPM header).")
        raise CorruptImageError("The PPM header of the screenshot is malformed.")
    width, height, maxval = values
    _check_size(width, height)
    if not 0 < maxval < 65536:
        raise CorruptImageError(f"The PPM header of the screenshot gives maxval {maxval}.")
    return width, height, maxval, pos + 1


def png_header(data: Pixels) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR, checked against the limits."""
    width, height, _depth, _colour, _interlace = header(data)
    _check_size(width, height)
    return width, height


def _ppm_pixels(data: Pixels, width: int, height: int, maxval: int, offset: int) -> memoryview:
    """Packed RGB of a P6's pixels: the data itself for maxval 255, else scaled in bands."""
    sample = 1 if maxval < 256 else 2
    need = width * height * 3 * sample
    if need > MAX_RAW_BYTES:
        raise ImageTooLargeError(
            f"The screenshot is a {width}×{height} PPM of {24 * sample} bits a pixel: more "
            "image data than an 8K screen in 24-bit colour; refused."
        )
    if len(data) - offset < need:
        raise CorruptImageError(
            f"The screenshot data is cut short ({len(data) - offset} of {need} pixel bytes)."
        )
    view = memoryview(data)
    if maxval == 255:
        return view[offset : offset + need]  # what QEMU sends: used where it lies
    if len(data) + width * height * RGB_BYTES > PEAK_BUDGET:
        raise ImageTooLargeError(
            f"The screenshot is a PPM of {width}×{height} pixels with maxval {maxval}, "
            "too large to decode safely in that form; refused."
        )
    out = bytearray(width * height * RGB_BYTES)
    row = width * 3 * sample
    band = max(1, BAND_BYTES // row)
    deadline = Deadline()
    for y in range(0, height, band):
        deadline.check()
        rows = min(band, height - y)
        chunk = bytes(view[offset + y * row : offset + (y + rows) * row])
        if sample == 1:
            grey = Image.frombytes("L", (width * 3, rows), chunk)
            scaled = grey.point([min(255, round(v * 255 / maxval)) for v in range(256)])
        else:
            wide = Image.frombytes("I", (width * 3, rows), chunk, "raw", "I;16B")
            scaled = wide.point(lambda v: v * (255 / maxval) + 0.5).convert("L")
        out[y * width * 3 : (y + rows) * width * 3] = scaled.tobytes()
    return memoryview(out)


_FORMATS = {MIME_PPM: "PPM", MIME_PNG: "PNG"}


def decode(data: Pixels, mime: str) -> DecodedImage:
    """Check and decode screenshot bytes; raise a :class:`DecodeError` if unfit.

    Only PPM and PNG are accepted, the data must match ``mime``, and the size
    is checked from the header before any pixel is decoded.
    """
    kind = normalize_mime(mime)
    fmt = _FORMATS.get(kind)
    if fmt is None:
        raise UnsupportedFormatError(
            f"The screenshot comes as {kind or 'an unnamed type'!r}; only PPM and PNG are accepted."
        )
    if not data:
        raise CorruptImageError("The screenshot data is empty.")
    head = bytes(data[:8])
    if fmt == "PPM":
        if head.startswith(_PNG_SIGNATURE):
            raise UnsupportedFormatError("The screenshot is announced as PPM but is a PNG image.")
        if len(data) > MAX_PPM_BYTES:
            raise ImageTooLargeError("The screenshot is larger than an 8K PPM; refused.")
        width, height, maxval, offset = ppm_header(data)
        pixels = _ppm_pixels(data, width, height, maxval, offset)
        return DecodedImage(width, height, pixels, kind)
    if head.startswith(b"P6"):
        raise UnsupportedFormatError("The screenshot is announced as PNG but is a PPM image.")
    try:
        width, height, rgb = decode_png(data, _check_size)
    except MemoryError as exc:
        raise ImageTooLargeError("Not enough memory to decode the screenshot.") from exc
    return DecodedImage(width, height, memoryview(rgb), kind)
