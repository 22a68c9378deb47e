"""The encodings kvmdesk offers a VNC server, and which list for which link.

Numbers from RFC 6143 section 7.7 and QEMU's pseudo-encodings; the lists
are measured choices (``make bench``, see each list's note).
"""

from __future__ import annotations

# Encodings (RFC 6143 section 7.7, QEMU's pseudo-encodings).
RAW = 0
COPY_RECT = 1
ZLIB = 6
TIGHT = 7
ZRLE = 16
DESKTOP_SIZE = -223
CURSOR = -239
POINTER_TYPE_CHANGE = -257
QEMU_EXTENDED_KEY = -258
LED_STATE = -261
EXTENDED_DESKTOP_SIZE = -308
JPEG_QUALITY_0 = -32  # -32 + quality (0..9): Tight may send JPEG at that quality
TUNNEL_JPEG_QUALITY = 6
PIXEL_ENCODINGS = (RAW, COPY_RECT, ZLIB, ZRLE, TIGHT)

PSEUDO_ENCODINGS = (
    DESKTOP_SIZE,
    EXTENDED_DESKTOP_SIZE,
    CURSOR,
    POINTER_TYPE_CHANGE,
    QEMU_EXTENDED_KEY,
    LED_STATE,
)
DEFAULT_ENCODINGS = (
    ZRLE,
    TIGHT,
    ZLIB,
    COPY_RECT,
    RAW,
    *PSEUDO_ENCODINGS,
    JPEG_QUALITY_0 + TUNNEL_JPEG_QUALITY,
)
"""For a link that costs: ZRLE first (QEMU takes the first it knows). The
displays libvirt defines are never lossy, so QEMU's Tight sends no JPEG
there, only full colour through zlib, and ZRLE carries the same screen in
about 40 % of its bytes at the same frame rate (``make bench``,
``display_encodings``, ``own_*``). Tight, with JPEG at quality 6, stays for
a server without ZRLE."""
LOCAL_ENCODINGS = (RAW, COPY_RECT, ZLIB, *PSEUDO_ENCODINGS)
"""For a socket on this machine: Raw first. QEMU's zlib compression costs it
more time per frame than the bytes cost a local socket (``make bench``:
6 fps with zlib, 25 with Raw, for a 1024×768 screen redrawn in full)."""
