"""Writing a screenshot as PNG at its native resolution, with text chunks
describing where it came from (:func:`screenshot_metadata`).

The PNG is written band by band from the packed RGB rows (each row with
PNG's "Up" filter, computed by Pillow a band at a time), so that saving an
8K screenshot needs no second full copy of it: Pillow's own encoder would
first copy it into its 4-bytes-a-pixel form.

PNG text keys written by kvmdesk:

``Title``
    the domain name
``Software``
    ``kvmdesk <version>``
``Creation Time``
    capture time, ISO 8601 in UTC (``2026-11-25T19:30:00Z``)
``kvmdesk:domain``, ``kvmdesk:uuid``
    the domain's name and UUID
``kvmdesk:uri``
    the libvirt connection URI (without any password)
``kvmdesk:screen``
    the screen (video head) number
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from PIL import Image, ImageChops

from kvmdesk import __version__
from kvmdesk.virt.screenshot.capturing import Screenshot
from kvmdesk.virt.screenshot.decoding import DecodedImage


def redact_uri(uri: str) -> str:
    """``uri`` without a password, should one be written into it."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def iso_utc(moment: datetime) -> str:
    """``2026-11-25T19:30:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def screenshot_metadata(shot: Screenshot, uri: str) -> dict[str, str]:
    """PNG text chunks describing ``shot`` (see the module's docstring)."""
    return {
        "Title": shot.name,
        "Software": f"kvmdesk {__version__}",
        "Creation Time": iso_utc(shot.taken_at),
        "kvmdesk:domain": shot.name,
        "kvmdesk:uuid": shot.uuid,
        "kvmdesk:uri": redact_uri(uri),
        "kvmdesk:screen": str(shot.screen),
    }


def _valid_key(key: str) -> bool:
    if not 1 <= len(key) <= 79 or key != key.strip() or "  " in key:
        return False
    return all(32 <= ord(c) <= 126 or 161 <= ord(c) <= 255 for c in key)


_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BAND_ROWS_BYTES = 1024 * 1024  # rows filtered at once


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(body, zlib.crc32(kind))
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _text_chunk(key: str, value: str) -> bytes:
    """tEXt when Latin-1 holds the value, else iTXt (UTF-8)."""
    value = value.replace("\0", "")
    try:
        return _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:
        body = key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")
        return _chunk(b"iTXt", body)


def _filtered_bands(
    width: int, height: int, rgb: bytes | bytearray | memoryview
) -> Iterator[bytes]:
    """The rows a band at a time, each behind its filter byte (Up: minus the row above)."""
    row = width * 3
    band = max(1, _BAND_ROWS_BYTES // row)
    view = memoryview(rgb)
    for y in range(0, height, band):
        rows = min(band, height - y)
        current = bytes(view[y * row : (y + rows) * row])
        first_above = bytes(view[(y - 1) * row : y * row]) if y else bytes(row)
        above = first_above + current[: (rows - 1) * row]
        diff = ImageChops.subtract_modulo(
            Image.frombytes("L", (row, rows), current), Image.frombytes("L", (row, rows), above)
        ).tobytes()
        yield b"".join(b"\x02" + diff[i * row : (i + 1) * row] for i in range(rows))


def encode_png(
    width: int, height: int, rgb: bytes | bytearray | memoryview, metadata: Mapping[str, str]
) -> bytes:
    """PNG bytes of packed 8-bit RGB rows, with ``metadata`` as text chunks."""
    for key in metadata:
        if not _valid_key(key):
            raise ValueError(f"not a valid PNG text key: {key!r}")
    if len(rgb) != width * height * 3:
        raise ValueError("the pixels do not match the size")
    parts = [_SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    parts += [_text_chunk(key, value) for key, value in metadata.items()]
    packer = zlib.compressobj(6)
    pending: list[bytes] = []
    for band in _filtered_bands(width, height, rgb):
        pending.append(packer.compress(band))
    pending.append(packer.flush())
    data = b"".join(pending)
    for start in range(0, len(data), 1 << 20):
        parts.append(_chunk(b"IDAT", data[start : start + (1 << 20)]))
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)


def to_png(image: DecodedImage | Image.Image, metadata: Mapping[str, str]) -> bytes:
    """PNG bytes of ``image`` at its native size with ``metadata`` as text chunks.

    Values that Latin-1 cannot hold go into international (iTXt) chunks.
    """
    if isinstance(image, DecodedImage):
        return encode_png(image.width, image.height, image.rgb, metadata)
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return encode_png(rgb.width, rgb.height, rgb.tobytes(), metadata)
