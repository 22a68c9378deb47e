"""Screenshots of a domain's display, captured and decoded defensively.

The image comes from the hypervisor, and through it from the guest, so it is
treated as hostile input:

* :func:`capture` reads libvirt's stream with a byte cap and a deadline and
  always finishes or aborts the stream;
* :func:`decode` accepts only PPM (``image/x-portable-pixmap``, QEMU's
  traditional format) and PNG (``image/png``), reads the dimensions from the
  header itself and refuses oversized images *before* Pillow allocates
  anything, and turns every kind of broken data into a
  :class:`ScreenshotError` with a plain-English message;
* :func:`to_png` writes the image at its native resolution with text chunks
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

Every call here blocks; the GUI runs them in a worker.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import threading
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import libvirt
from PIL import Image, PngImagePlugin

from kvmdesk import __version__
from kvmdesk.virt.errors import ErrorKind, Failure, classify

MIME_PPM = "image/x-portable-pixmap"
MIME_PNG = "image/png"

MAX_BYTES = 64 * 1024 * 1024
"""Default cap on the bytes read from the screenshot stream."""
MAX_SIDE = 16384
"""Widest or tallest screenshot accepted, in pixels."""
MAX_PIXELS = 64 * 1024 * 1024
"""Largest screenshot accepted, in pixels (width x height)."""
DEFAULT_TIMEOUT = 10.0
"""Default seconds allowed for taking and reading one screenshot."""

_CHUNK = 256 * 1024
_POLL = 0.01  # seconds between tries when a non-blocking stream has no data
_PPM_HEADER_LIMIT = 4096  # bytes; a PPM header longer than this is refused
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------ errors


class ScreenshotError(Exception):
    """A screenshot could not be taken or read; ``str()`` is a plain sentence."""


class CaptureError(ScreenshotError):
    """libvirt or the hypervisor could not deliver the screenshot."""

    def __init__(self, message: str, failure: Failure | None = None) -> None:
        super().__init__(message)
        self.failure = failure


class DomainNotFoundError(CaptureError):
    """No domain with that name or UUID."""


class DomainNotRunningError(CaptureError):
    """The domain is shut off (or otherwise has no display right now)."""


class NoDisplayError(CaptureError):
    """The domain has no graphics or video device, or no such screen."""


class CaptureTimeoutError(CaptureError):
    """The image did not arrive before the deadline."""


class TooMuchDataError(CaptureError):
    """The stream carried more bytes than the cap allows."""


class DecodeError(ScreenshotError):
    """The bytes received are not an image kvmdesk accepts."""


class UnsupportedFormatError(DecodeError):
    """Neither PPM nor PNG, or not what the MIME type announced."""


class ImageTooLargeError(DecodeError):
    """The header announces more pixels than allowed."""


class CorruptImageError(DecodeError):
    """Empty, truncated or malformed image data."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _capture_failure(exc: libvirt.libvirtError) -> CaptureError:
    failure = classify(exc)
    detail = _one_line(failure.message)
    low = detail.lower()
    if failure.kind is ErrorKind.NO_DOMAIN:
        return DomainNotFoundError("The virtual machine does not exist.", failure)
    if "no screens" in low or "no video" in low or "no graphics" in low:
        return NoDisplayError("The virtual machine has no display to take a picture of.", failure)
    if "no such screen" in low or "screen id" in low:
        return NoDisplayError("The virtual machine has no screen with that number.", failure)
    if "not running" in low:
        return DomainNotRunningError("The virtual machine is not running.", failure)
    return CaptureError(f"libvirt could not take the screenshot: {detail}", failure)


# ----------------------------------------------------------------- capture


@dataclass(frozen=True, slots=True)
class Screenshot:
    """Raw screenshot bytes as the hypervisor sent them (not yet decoded)."""

    data: bytes
    mime: str  # lower case, without parameters
    uuid: str
    name: str
    screen: int
    taken_at: datetime  # UTC, when the screenshot was requested


@dataclass(frozen=True, slots=True)
class DomainRef:
    uuid: str
    name: str
    active: bool


def find_domain(conn: libvirt.virConnect, name_or_uuid: str) -> DomainRef:
    """The domain called ``name_or_uuid``, or else the one with that UUID."""
    try:
        try:
            dom = conn.lookupByName(name_or_uuid)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN or not _looks_like_uuid(
                name_or_uuid
            ):
                raise
            dom = conn.lookupByUUIDString(name_or_uuid)
        return DomainRef(str(dom.UUIDString()), str(dom.name()), bool(dom.isActive()))
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc


def running_domains(conn: libvirt.virConnect) -> list[DomainRef]:
    """Every active domain of the connection, sorted by name."""
    try:
        doms = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)
        refs = [DomainRef(str(d.UUIDString()), str(d.name()), True) for d in doms]
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc
    return sorted(refs, key=lambda r: (r.name.casefold(), r.name))


_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def _looks_like_uuid(text: str) -> bool:
    return bool(_UUID_RE.match(text))


def _abort_quietly(stream: Any) -> None:
    with contextlib.suppress(Exception):
        stream.abort()


class _Watchdog:
    """Aborts a stream at the deadline, even while ``recv`` blocks.

    libvirt unblocks a ``recv`` waiting in another thread when the stream is
    aborted, so a stalled host cannot hold the caller past the deadline.
    """

    def __init__(self, stream: Any, seconds: float) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._state = "reading"
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            if self._state != "reading":
                return
            self._state = "expired"
            _abort_quietly(self._stream)

    @property
    def expired(self) -> bool:
        with self._lock:
            return self._state == "expired"

    def stop(self) -> bool:
        """Disarm; False if the deadline already aborted the stream."""
        self._timer.cancel()
        with self._lock:
            if self._state == "expired":
                return False
            self._state = "done"
            return True


def read_stream(
    stream: Any, *, max_bytes: int = MAX_BYTES, timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Read ``stream`` to its end within ``max_bytes`` and ``timeout`` seconds.

    ``stream`` is a ``virStream`` (or anything with its ``recv``, ``finish``
    and ``abort``). It is finished on success and aborted on any failure, so
    it is never left open.
    """
    if max_bytes <= 0:
        _abort_quietly(stream)
        raise ValueError("max_bytes must be positive")
    deadline = time.monotonic() + timeout
    too_slow = CaptureTimeoutError(
        f"The screenshot did not arrive within {timeout:g} seconds; gave up."
    )
    if timeout <= 0:
        _abort_quietly(stream)
        raise too_slow
    buf = bytearray()
    watchdog = _Watchdog(stream, timeout)
    try:
        while True:
            if watchdog.expired or time.monotonic() >= deadline:
                raise too_slow
            # One byte more than the cap allows tells "exactly at the cap" from "over".
            want = min(_CHUNK, max_bytes - len(buf) + 1)
            try:
                chunk = stream.recv(want)
            except libvirt.libvirtError as exc:
                if watchdog.expired:
                    raise too_slow from exc
                detail = _one_line(classify(exc).message)
                raise CaptureError(
                    f"Reading the screenshot from libvirt failed: {detail}", classify(exc)
                ) from exc
            except Exception as exc:
                if watchdog.expired:
                    raise too_slow from exc
                raise CaptureError(f"Reading the screenshot failed: {exc}") from exc
            if isinstance(chunk, int):
                if chunk == -2:  # non-blocking stream with nothing yet
                    time.sleep(max(0.0, min(_POLL, deadline - time.monotonic())))
                    continue
                raise CaptureError(f"Reading the screenshot failed (libvirt returned {chunk}).")
            if not isinstance(chunk, bytes | bytearray):
                raise CaptureError("Reading the screenshot failed (libvirt returned no data).")
            if not chunk:
                break
            buf += chunk
            if len(buf) > max_bytes:
                raise TooMuchDataError(
                    f"The screenshot is larger than {_size_text(max_bytes)}; refused."
                )
        if not watchdog.stop():
            raise too_slow
        try:
            stream.finish()
        except libvirt.libvirtError as exc:
            detail = _one_line(classify(exc).message)
            raise CaptureError(
                f"Reading the screenshot from libvirt failed: {detail}", classify(exc)
            ) from exc
    except BaseException:
        watchdog.stop()
        _abort_quietly(stream)
        raise
    return bytes(buf)


def _size_text(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    return f"{n} bytes"


def capture(
    conn: libvirt.virConnect,
    uuid: str,
    screen: int = 0,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Screenshot:
    """Take a screenshot of screen ``screen`` of the domain ``uuid``.

    Returns the raw bytes and their MIME type; :func:`decode` checks them.
    Raises a :class:`CaptureError` (subclass) for every failure. ``timeout``
    bounds reading the stream; the screenshot request itself is bounded by
    libvirt's own job timeouts.
    """
    try:
        dom = conn.lookupByUUIDString(uuid)
        name = str(dom.name())
        active = bool(dom.isActive())
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc
    if not active:
        # Some drivers (the test driver) would answer anyway.
        raise DomainNotRunningError("The virtual machine is not running.")
    taken_at = datetime.now(UTC)
    try:
        stream = conn.newStream(0)
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc
    try:
        mime = dom.screenshot(stream, screen, 0)
    except libvirt.libvirtError as exc:
        _abort_quietly(stream)
        raise _capture_failure(exc) from exc
    except BaseException:
        _abort_quietly(stream)
        raise
    data = read_stream(stream, max_bytes=max_bytes, timeout=timeout)
    return Screenshot(
        data=data,
        mime=normalize_mime(mime),
        uuid=uuid,
        name=name,
        screen=screen,
        taken_at=taken_at,
    )


def normalize_mime(mime: object) -> str:
    """``"Image/PNG; x=y"`` -> ``"image/png"``; anything not a string -> ``""``."""
    if not isinstance(mime, str):
        return ""
    return mime.split(";", 1)[0].strip().lower()


# ------------------------------------------------------------------ decode


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


# -------------------------------------------------------------------- PNG


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
