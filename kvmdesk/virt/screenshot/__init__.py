"""Screenshots of a domain's display, captured and decoded defensively.

The image comes from the hypervisor, and through it from the guest, so it is
treated as hostile input:

* :func:`capture` reads libvirt's stream with a byte cap and a deadline and
  always finishes or aborts the stream (``capturing``, ``stream``);
* :func:`decode` accepts only PPM (``image/x-portable-pixmap``, QEMU's
  traditional format) and PNG (``image/png``), reads the dimensions from the
  header itself and refuses images beyond the limits (``limits``: 8K, in
  pixels and in decoded bytes) *before* anything is allocated, decodes into
  packed RGB with bounded memory and time (``png_decode``), and turns every
  kind of broken data into a :class:`ScreenshotError` with a plain-English
  message (``decoding``, ``errors``);
* :func:`to_png` writes the image at its native resolution with text chunks
  describing where it came from (:func:`screenshot_metadata`; ``png`` lists
  the keys).

Every call here blocks; the GUI runs them in a worker.
"""

from kvmdesk.virt.screenshot.capturing import (
    DomainRef,
    Screenshot,
    capture,
    find_domain,
    running_domains,
)
from kvmdesk.virt.screenshot.decoding import (
    MAX_PIXELS,
    MAX_SIDE,
    DecodedImage,
    decode,
    png_header,
    ppm_header,
)
from kvmdesk.virt.screenshot.errors import (
    CaptureError,
    CaptureTimeoutError,
    CorruptImageError,
    DecodeError,
    DomainNotFoundError,
    DomainNotRunningError,
    ImageTooLargeError,
    NoDisplayError,
    ScreenshotError,
    TooMuchDataError,
    UnsupportedFormatError,
)
from kvmdesk.virt.screenshot.mime import MIME_PNG, MIME_PPM, normalize_mime
from kvmdesk.virt.screenshot.png import (
    encode_png,
    iso_utc,
    redact_uri,
    screenshot_metadata,
    to_png,
)
from kvmdesk.virt.screenshot.stream import DEFAULT_TIMEOUT, MAX_BYTES, read_stream

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BYTES",
    "MAX_PIXELS",
    "MAX_SIDE",
    "MIME_PNG",
    "MIME_PPM",
    "CaptureError",
    "CaptureTimeoutError",
    "CorruptImageError",
    "DecodeError",
    "DecodedImage",
    "DomainNotFoundError",
    "DomainNotRunningError",
    "DomainRef",
    "ImageTooLargeError",
    "NoDisplayError",
    "Screenshot",
    "ScreenshotError",
    "TooMuchDataError",
    "UnsupportedFormatError",
    "capture",
    "decode",
    "encode_png",
    "find_domain",
    "iso_utc",
    "normalize_mime",
    "png_header",
    "ppm_header",
    "read_stream",
    "redact_uri",
    "running_domains",
    "screenshot_metadata",
    "to_png",
]
