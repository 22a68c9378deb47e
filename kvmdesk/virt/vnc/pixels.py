"""Compact pixels of ZRLE and Tight, turned into the framebuffer's B G R X.

Both encodings send 3 bytes a pixel for kvmdesk's pixel format: ZRLE's
CPIXEL in the format's byte order (B G R, little-endian), Tight's TPIXEL as
R G B. The conversions and the palette look-ups work on whole byte strings
with slicing and ``bytes.translate``, so no Python loop runs per pixel.
"""

from __future__ import annotations

from collections.abc import Sequence


def bgr_to_bgrx(src: bytes) -> bytearray:
    """ZRLE's CPIXELs (B G R) to framebuffer pixels."""
    out = bytearray(len(src) // 3 * 4)
    out[0::4] = src[0::3]
    out[1::4] = src[1::3]
    out[2::4] = src[2::3]
    return out


def rgb_to_bgrx(src: bytes) -> bytearray:
    """Tight's TPIXELs (R G B) to framebuffer pixels."""
    out = bytearray(len(src) // 3 * 4)
    out[0::4] = src[2::3]
    out[1::4] = src[1::3]
    out[2::4] = src[0::3]
    return out


def palette_pixels(indices: bytes, palette: Sequence[bytes]) -> bytearray:
    """One framebuffer pixel per index byte, looked up in ``palette`` (B G R X
    entries). The caller has checked that every index is within the palette."""
    out = bytearray(len(indices) * 4)
    pad = bytes(256 - len(palette))
    for c in range(3):
        out[c::4] = indices.translate(bytes(p[c] for p in palette) + pad)
    return out


def _unpack_table(bits: int) -> tuple[bytes, ...]:
    per_byte = 8 // bits
    mask = (1 << bits) - 1
    return tuple(
        bytes((b >> (8 - bits * (i + 1))) & mask for i in range(per_byte)) for b in range(256)
    )


_UNPACK = {bits: _unpack_table(bits) for bits in (1, 2, 4)}


def unpack_indices(packed: bytes, width: int, height: int, bits: int) -> bytes:
    """Palette indices of ``bits`` bits, most significant first, each row padded
    to a whole byte, as one index byte a pixel."""
    if bits == 8:
        return packed
    table = _UNPACK[bits]
    row_bytes = (width * bits + 7) // 8
    rows = []
    for y in range(height):
        row = packed[y * row_bytes : (y + 1) * row_bytes]
        rows.append(b"".join(map(table.__getitem__, row))[:width])
    return b"".join(rows)
