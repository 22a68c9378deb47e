"""The MIME types a screenshot may come as."""

from __future__ import annotations

MIME_PPM = "image/x-portable-pixmap"
MIME_PNG = "image/png"


def normalize_mime(mime: object) -> str:
    """``"Image/PNG; x=y"`` -> ``"image/png"``; anything not a string -> ``""``."""
    if not isinstance(mime, str):
        return ""
    return mime.split(";", 1)[0].strip().lower()
