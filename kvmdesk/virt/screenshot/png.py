"""Writing a screenshot as PNG at its native resolution, with text chunks
describing where it came from (:func:`screenshot_metadata`).

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

import io
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from PIL import Image, PngImagePlugin

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


def to_png(image: DecodedImage | Image.Image, metadata: Mapping[str, str]) -> bytes:
    """PNG bytes of ``image`` at its native size with ``metadata`` as text chunks.

    Values that Latin-1 cannot hold go into international (iTXt) chunks.
    """
    pil = image.image if isinstance(image, DecodedImage) else image
    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        if not _valid_key(key):
            raise ValueError(f"not a valid PNG text key: {key!r}")
        info.add_text(key, value.replace("\0", ""))
    out = io.BytesIO()
    pil.save(out, format="PNG", pnginfo=info, compress_level=6)
    return out.getvalue()
