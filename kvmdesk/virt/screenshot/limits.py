"""How large a screenshot may be, in pixels, in bytes and in effort.

The limits come from real guests, not from what the formats allow. The
largest screen a guest is given today is 8K UHD, 7680×4320 (33.2
megapixels); DCI 8K is 8192 wide, and a screen turned on its side swaps the
two. Nothing larger than 8K is accepted, in any shape.

Memory is bounded in bytes, mode and bit depth included, not only in
pixels: a decoded screenshot is packed 8-bit RGB (3 bytes a pixel, 99.5 MB
at 8K) whatever the image's own format, and decoding holds, besides that,
only the received bytes and one band of rows at a time. ``PEAK_BUDGET`` is
what one decode may hold at its peak; an image whose worst case would
exceed it is refused from its header, before anything is allocated.
``make bench`` measures the worst image these limits allow (peak memory
and time of one decode, and the memory after many refreshes).
"""

from __future__ import annotations

MAX_SIDE = 8192
"""Widest or tallest screenshot accepted, in pixels (DCI 8K is 8192 wide)."""
MAX_PIXELS = 7680 * 4320
"""Largest screenshot accepted, in pixels: 8K UHD."""

RGB_BYTES = 3  # a decoded pixel
MAX_DECODED_BYTES = MAX_PIXELS * RGB_BYTES
"""The largest decoded screenshot: packed RGB at 8K, 99.5 MB."""
MAX_RAW_BYTES = MAX_PIXELS * 3
"""The most image data a screenshot may carry, in the image's own bit depth:
an 8K screen in 24-bit colour, what QEMU sends. An image with more bits a
pixel (alpha, 16-bit samples) may have fewer pixels: decoding costs what
the data holds."""

PEAK_BUDGET = 140 * 1000 * 1000
"""Bytes one decode may hold at its peak: the data, the result, one band.
(150 MB is the promise; the rest is Python's and Pillow's own overhead.)"""

MAX_PNG_BYTES = 32 * 1024 * 1024
"""Compressed PNG data accepted. An 8K screen of windows, text and even a
photograph as wallpaper compresses well below this; with the decoded 8K
result it stays within ``PEAK_BUDGET``."""
PPM_HEADER_LIMIT = 4096
"""A PPM header longer than this is refused."""
MAX_PPM_BYTES = MAX_DECODED_BYTES + PPM_HEADER_LIMIT
"""PPM data accepted: an 8-bit 8K image (the pixels are used where they lie)."""
MAX_STREAM_BYTES = max(MAX_PNG_BYTES, MAX_PPM_BYTES)
"""The most that is ever read from a screenshot stream."""

BAND_BYTES = 1024 * 1024
"""Filtered PNG rows decoded at once (a band): at most about a megabyte..."""
BAND_PIXELS = 512 * 1024
"""... and at most this many pixels, whose conversion to RGB holds a few
bytes each (a 1-bit row is 1/24 of its RGB)."""
MAX_CHUNKS = 16384
"""PNG chunks looked at in one image: QEMU's libpng writes image data in
8 KiB chunks, 4,096 of them for the largest PNG accepted; a file of
millions of empty chunks is refused instead of walked."""
DECODE_SECONDS = 5.0
"""Time one decode may take; the worst image the limits allow takes far
less (``make bench``), so only a pathological one meets this."""


def stream_limit(mime: str) -> int:
    """The most bytes worth reading for a screenshot of type ``mime``."""
    if mime == "image/png":
        return MAX_PNG_BYTES
    if mime == "image/x-portable-pixmap":
        return MAX_PPM_BYTES
    return 64 * 1024  # refused anyway; enough to say what it was
