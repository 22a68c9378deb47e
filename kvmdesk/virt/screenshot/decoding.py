"""Checking and decoding screenshot bytes: PPM and PNG only, sizes checked first.

The dimensions are read from the header here, without Pillow, and an
oversized image is refused *before* Pillow allocates anything; every kind of
broken data becomes a ``DecodeError`` with a plain-English message.
"""

from __future__ import annotations

import io
import struct
import threading
import warnings
from dataclasses import dataclass, field

from PIL import Image

from kvmdesk.virt.screenshot.errors import (
    CorruptImageError,
    ImageTooLargeError,
    ScreenshotError,
    UnsupportedFormatError,
)
from kvmdesk.virt.screenshot.mime import MIME_PNG, MIME_PPM, normalize_mime

MAX_SIDE = 16384
"""Widest or tallest screenshot accepted, in pixels."""
MAX_PIXELS = 64 * 1024 * 1024
"""Largest screenshot accepted, in pixels (width x height)."""

_PPM_HEADER_LIMIT = 4096  # bytes; a PPM header longer than this is refused
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True, eq=False)
class DecodedImage:
    """A checked, fully loaded image (mode ``RGB``, ``RGBA`` or ``L``)."""

    width: int
    height: int
    mode: str
    image: Image.Image = field(repr=False)
    source_mime: str = ""


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
            f"(at most {MAX_SIDE} pixels a side and {limit // (1024 * 1024)} megapixels); "
            "refused."
        )


_WS = b" \t\n\r\v\f"
_DIGITS = b"0123456789"


def ppm_header(data: bytes) -> tuple[int, int, int, int]:
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
    end = min(len(data), _PPM_HEADER_LIMIT)
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
        if len(data) < _PPM_HEADER_LIMIT:
            raise CorruptImageError("The screenshot data is cut short (incomplete PPM header).")
        raise CorruptImageError("The PPM header of the screenshot is malformed.")
    width, height, maxval = values
    _check_size(width, height)
    if not 0 < maxval < 65536:
        raise CorruptImageError(f"The PPM header of the screenshot gives maxval {maxval}.")
    return width, height, maxval, pos + 1


def png_header(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR, after checking that the chunk
    structure is complete (up to IEND) so that truncation is caught here."""
    if len(data) < len(_PNG_SIGNATURE) or not data.startswith(_PNG_SIGNATURE):
        if _PNG_SIGNATURE.startswith(data):
            raise CorruptImageError("The screenshot data is empty or cut short.")
        raise CorruptImageError("The screenshot data is not a PNG image.")
    pos = len(_PNG_SIGNATURE)
    if len(data) < pos + 8 + 13 + 4:
        raise CorruptImageError("The screenshot data is cut short (incomplete PNG header).")
    length, kind = struct.unpack(">I4s", data[pos : pos + 8])
    if kind != b"IHDR" or length != 13:
        raise CorruptImageError("The PNG header of the screenshot is malformed.")
    width, height = struct.unpack(">II", data[pos + 8 : pos + 16])
    if width > 0x7FFFFFFF or height > 0x7FFFFFFF:
        raise CorruptImageError("The PNG header of the screenshot is malformed.")
    _check_size(width, height)
    while True:
        if pos + 12 > len(data):
            raise CorruptImageError("The screenshot data is cut short (PNG without its end).")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if length > 0x7FFFFFFF:
            raise CorruptImageError("The PNG data of the screenshot is malformed.")
        pos += 12 + length
        if pos > len(data):
            raise CorruptImageError("The screenshot data is cut short (truncated PNG chunk).")
        if kind == b"IEND":
            return width, height


_FORMATS = {MIME_PPM: "PPM", MIME_PNG: "PNG"}

# warnings.catch_warnings changes process-wide state; serialise our own uses.
_warnings_lock = threading.Lock()


def decode(data: bytes, mime: str) -> DecodedImage:
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
    if fmt == "PPM":
        if data.startswith(_PNG_SIGNATURE):
            raise UnsupportedFormatError("The screenshot is announced as PPM but is a PNG image.")
        width, height, maxval, offset = ppm_header(data)
        need = width * height * 3 * (1 if maxval < 256 else 2)
        if len(data) - offset < need:
            raise CorruptImageError(
                f"The screenshot data is cut short ({len(data) - offset} of {need} pixel bytes)."
            )
    else:
        if data.startswith(b"P6"):
            raise UnsupportedFormatError("The screenshot is announced as PNG but is a PPM image.")
        width, height = png_header(data)
    try:
        with _warnings_lock, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[fmt])
            if opened.format != fmt or opened.size != (width, height):
                raise CorruptImageError("The screenshot data does not match its own header.")
            opened.load()
            image = _normal_mode(opened)
    except ScreenshotError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLargeError("The screenshot is too large to decode safely; refused.") from exc
    except MemoryError as exc:
        raise ImageTooLargeError("Not enough memory to decode the screenshot.") from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, ...
        raise CorruptImageError(f"The screenshot data is not a valid image ({exc}).") from exc
    return DecodedImage(width, height, image.mode, image, kind)


def _normal_mode(image: Image.Image) -> Image.Image:
    """RGB, RGBA or L, whatever the PNG's colour type and depth."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L"):
        return image
    if mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit grey: scale to 8 bits instead of clipping.
        return image.convert("I").point(lambda v: v / 257).convert("L")
    if mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    return image.convert("RGB")
