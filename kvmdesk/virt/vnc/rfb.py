"""The RFB protocol (RFC 6143) as spoken to QEMU, without sockets and without Qt.

``RfbClient`` is fed the bytes the server sent (``receive``), decodes them
in bounded slices (``process``), keeps the framebuffer and leaves what
happened in ``events``; what the client has to say waits in ``take_output``.
Whoever owns the socket decides when to read and write, so the same code
runs over a local socket from libvirt, an ssh tunnel or a test's bytes.

Every size the server sends is checked before anything is allocated: the
screen against the screenshot limits (at most 8K), rectangles against the
screen, compressed data against what the rectangle can hold, cursors,
names and clipboard text against small fixed limits. A server that breaks
a rule ends the session with an ``RfbError`` saying which rule.

The handshake up to the server's init is in ``handshake.py``. Encodings
(``encodings.py``): Raw, CopyRect, zlib, ZRLE (``zrle.py``) and Tight with
JPEG (``tight.py``); the pseudo-encodings DesktopSize,
ExtendedDesktopSize, Cursor, QEMU's extended key events, pointer type
change and LED state. ``docs/architecture.md`` says why not more.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from collections.abc import Generator

from kvmdesk.virt.vnc import handshake
from kvmdesk.virt.vnc.encodings import (
    COPY_RECT,
    CURSOR,
    DEFAULT_ENCODINGS,
    DESKTOP_SIZE,
    EXTENDED_DESKTOP_SIZE,
    JPEG_QUALITY_0,
    LED_STATE,
    LOCAL_ENCODINGS,
    PIXEL_ENCODINGS,
    POINTER_TYPE_CHANGE,
    PSEUDO_ENCODINGS,
    QEMU_EXTENDED_KEY,
    RAW,
    TIGHT,
    TUNNEL_JPEG_QUALITY,
    ZLIB,
    ZRLE,
)
from kvmdesk.virt.vnc.events import (
    Bell,
    Connected,
    CursorShape,
    Event,
    Leds,
    PointerMode,
    Problem,
    Resized,
    RfbError,
    ServerText,
    Updated,
)
from kvmdesk.virt.vnc.framebuffer import BPP, Framebuffer, Rect, size_allowed
from kvmdesk.virt.vnc.handshake import MAX_REASON
from kvmdesk.virt.vnc.inflate import compressed_limit
from kvmdesk.virt.vnc.plain_rects import CHUNK, raw_rect, zlib_rect
from kvmdesk.virt.vnc.tight import TightDecoder
from kvmdesk.virt.vnc.zrle import decode_rect as zrle_rect

__all__ = [
    "COPY_RECT",
    "CURSOR",
    "DEFAULT_ENCODINGS",
    "DESKTOP_SIZE",
    "EXTENDED_DESKTOP_SIZE",
    "JPEG_QUALITY_0",
    "LED_STATE",
    "LOCAL_ENCODINGS",
    "PIXEL_ENCODINGS",
    "POINTER_TYPE_CHANGE",
    "PSEUDO_ENCODINGS",
    "QEMU_EXTENDED_KEY",
    "RAW",
    "TIGHT",
    "TUNNEL_JPEG_QUALITY",
    "ZLIB",
    "ZRLE",
    "Bell",
    "Connected",
    "CursorShape",
    "Event",
    "Leds",
    "PointerMode",
    "Problem",
    "Resized",
    "RfbClient",
    "RfbError",
    "ServerText",
    "Updated",
]

MAX_CLIPBOARD = 1024 * 1024
"""Clipboard text from the guest beyond this is read and dropped."""
MAX_CURSOR_SIDE = 256
MAX_SCREENS = 16
MAX_DIRTY = 64
"""Changed rectangles reported per frame; more are merged into their bounding box."""

_U8 = struct.Struct(">B")
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_RECT = struct.Struct(">HHHHi")

Reader = Generator[int, bytes, None]


def _pixel_format() -> bytes:
    """32 bits a pixel, depth 24, little-endian, true colour, red at bit 16: B G R X in memory."""
    return struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)


class RfbClient:
    """One RFB session, from the server's version string on."""

    def __init__(
        self,
        password: str | None = None,
        encodings: tuple[int, ...] = DEFAULT_ENCODINGS,
        shared: bool = True,
    ) -> None:
        self.password = password
        self.encodings = encodings
        self.shared = shared
        self.framebuffer: Framebuffer | None = None
        self.name = ""
        self.events: list[Event] = []
        self.scancodes = False  # the server takes QEMU's extended key events
        self.absolute = True  # until the server says otherwise
        self.in_message = False  # a message has begun and not ended (for a stall watch)
        self.initialising = False  # ClientInit sent, ServerInit not yet come: a server
        # that closes now refuses to share (another client holds it exclusively)
        self.failed: RfbError | None = None
        self._buf = bytearray()
        self._pos = 0
        self._out = bytearray()
        self._work = 0
        self._dirty: list[Rect] = []
        self._zlib = zlib.decompressobj()
        self._zrle = zlib.decompressobj()
        self._tight = TightDecoder(self._count)
        self.rects: Counter[int] = Counter()  # rectangles decoded, by encoding
        self._reader = self._protocol()
        self._need = next(self._reader)

    # -- the owner's side --------------------------------------------------------

    def receive(self, data: bytes) -> None:
        self._buf += data

    @property
    def buffered(self) -> int:
        """Received bytes not decoded yet."""
        return len(self._buf) - self._pos

    def take_output(self) -> bytes:
        out = bytes(self._out)
        self._out.clear()
        return out

    def process(self, budget: int = 4 * 1024 * 1024) -> bool:
        """Decode what has arrived, about ``budget`` bytes' worth of work.

        Returns True when it stopped because of the budget (call again
        soon), False when it needs more input. Raises ``RfbError``.
        """
        if self.failed is not None:
            raise self.failed
        self._work = 0
        try:
            while self._work < budget:
                need = self._need
                if len(self._buf) - self._pos < need:
                    return False
                chunk = bytes(self._buf[self._pos : self._pos + need])
                self._pos += need
                self._work += need
                self._need = self._reader.send(chunk)
            return True
        except RfbError as exc:
            self.failed = exc
            raise
        except (zlib.error, ValueError, MemoryError) as exc:
            self.failed = RfbError(Problem.PROTOCOL, str(exc))
            raise self.failed from exc
        finally:
            if self._pos and (self._pos >= len(self._buf) or self._pos > CHUNK):
                del self._buf[: self._pos]
                self._pos = 0

    # -- what the client says --------------------------------------------------------

    def request_update(self, incremental: bool = True) -> None:
        fb = self.framebuffer
        if fb is not None:
            self._out += struct.pack(">BBHHHH", 3, int(incremental), 0, 0, fb.width, fb.height)

    def key(self, keysym: int, scancode: int, down: bool) -> None:
        """A key by its QEMU scancode (``scancodes``), else by its X keysym."""
        if self.scancodes and scancode:
            self._out += struct.pack(">BBHII", 255, 0, int(down), keysym, scancode)
        elif keysym:
            self._out += struct.pack(">BBxxI", 4, int(down), keysym)

    def pointer(self, buttons: int, x: int, y: int) -> None:
        """Buttons as a mask (bit 0 left ... 3/4 wheel); x, y in the screen, or
        in relative mode 0x7FFF plus the motion (QEMU's convention)."""
        x = min(max(x, 0), 0xFFFF)
        y = min(max(y, 0), 0xFFFF)
        self._out += struct.pack(">BBHH", 5, buttons & 0xFF, x, y)

    def cut_text(self, text: str) -> None:
        data = text.encode("latin-1", "replace")[:MAX_CLIPBOARD]
        self._out += struct.pack(">BxxxI", 6, len(data)) + data

    @property
    def jpeg_rects(self) -> int:
        """Tight rectangles that came as JPEG."""
        return self._tight.jpeg_rects

    @property
    def pending_output(self) -> int:
        return len(self._out)

    # -- the protocol, as a reader that asks for bytes ---------------------------

    def _count(self, work: int) -> None:
        self._work += work

    def _emit(self, event: Event) -> None:
        self.events.append(event)

    def _protocol(self) -> Reader:
        minor = yield from handshake.version(self._out)
        yield from handshake.security(minor, self.password, self._out)
        self._out += _U8.pack(int(self.shared))
        self.initialising = True
        yield from self._server_init()
        self.initialising = False
        while True:
            self.in_message = False
            kind = (yield 1)[0]
            self.in_message = True
            if kind == 0:
                yield from self._update()
            elif kind == 1:
                _pad, _first, count = struct.unpack(">BHH", (yield 5))
                if count:
                    yield 6 * count  # a colour map: we asked for true colour; ignored
            elif kind == 2:
                self._emit(Bell())
            elif kind == 3:
                yield from self._cut_text()
            else:
                raise RfbError(Problem.PROTOCOL, f"unknown server message type {kind}")

    def _server_init(self) -> Reader:
        width, height, _fmt, name_length = struct.unpack(">HH16sI", (yield 24))
        if not size_allowed(width, height):
            raise RfbError(Problem.TOO_LARGE, f"a screen of {width}×{height} pixels")
        if name_length > MAX_REASON:
            raise RfbError(Problem.TOO_LARGE, f"a desktop name of {name_length} bytes")
        name = (yield name_length) if name_length else b""
        self.name = name.decode("utf-8", "replace")
        self.framebuffer = Framebuffer(width, height)
        self._out += b"\0\0\0\0" + _pixel_format()
        self._out += struct.pack(">BxH", 2, len(self.encodings))
        self._out += b"".join(struct.pack(">i", e) for e in self.encodings)
        self.request_update(incremental=False)
        self._emit(Connected(width, height, self.name))

    # -- framebuffer updates -------------------------------------------------------

    def _update(self) -> Reader:
        (count,) = struct.unpack(">xH", (yield 3))
        for _ in range(count):
            x, y, w, h, encoding = _RECT.unpack((yield 12))
            if encoding not in self.encodings:
                raise RfbError(
                    Problem.PROTOCOL, f"a rectangle in encoding {encoding}, never offered"
                )
            self.rects[encoding] += 1
            yield from self._rect(Rect(x, y, w, h), encoding)
        self._finish_frame()

    def _rect(self, r: Rect, encoding: int) -> Reader:
        fb = self.framebuffer
        assert fb is not None
        if encoding in PIXEL_ENCODINGS:
            if not fb.contains(r.x, r.y, r.w, r.h):
                raise RfbError(
                    Problem.PROTOCOL,
                    f"a rectangle {r.w}×{r.h} at {r.x},{r.y} outside the "
                    f"{fb.width}×{fb.height} screen",
                )
            if encoding in (TIGHT, ZRLE):
                yield from self._compressed_rect(fb, r, encoding)
                if r.w and r.h:
                    self._changed(r)
                return
            if r.w == 0 or r.h == 0:
                if encoding == ZLIB:
                    yield from zlib_rect(fb, r, self._zlib, self._count)
                elif encoding == COPY_RECT:
                    yield 4
                return
            if encoding == RAW:
                yield from raw_rect(fb, r)
            elif encoding == COPY_RECT:
                sx, sy = struct.unpack(">HH", (yield 4))
                if not fb.contains(sx, sy, r.w, r.h):
                    raise RfbError(Problem.PROTOCOL, "a copy from outside the screen")
                fb.copy(sx, sy, r)
                self._work += r.w * r.h * BPP
            else:
                yield from zlib_rect(fb, r, self._zlib, self._count)
            self._changed(r)
        elif encoding in (DESKTOP_SIZE, EXTENDED_DESKTOP_SIZE):
            if encoding == EXTENDED_DESKTOP_SIZE:
                screens = (yield 4)[0]
                if screens > MAX_SCREENS:
                    raise RfbError(Problem.TOO_LARGE, f"{screens} screens")
                if screens:
                    yield 16 * screens
                if r.x == 1 and r.y != 0:
                    return  # the answer to a size request of ours, refused: no change
            self._resize(r.w, r.h)
        elif encoding == CURSOR:
            yield from self._cursor(r)
        elif encoding == POINTER_TYPE_CHANGE:
            self.absolute = r.x != 0
            self._emit(PointerMode(self.absolute))
        elif encoding == QEMU_EXTENDED_KEY:
            self.scancodes = True
        elif encoding == LED_STATE:
            self._emit(Leds((yield 1)[0]))
        else:  # negative, offered, but not decoded here: cannot happen with our list
            raise RfbError(Problem.PROTOCOL, f"encoding {encoding} is not understood")

    def _compressed_rect(self, fb: Framebuffer, r: Rect, encoding: int) -> Reader:
        if encoding == TIGHT:
            yield from self._tight.decode_rect(fb, r)
            return
        (length,) = _U32.unpack((yield 4))
        if length > compressed_limit(r.w, r.h):
            raise RfbError(
                Problem.TOO_LARGE, f"{length} bytes of ZRLE data for a {r.w}×{r.h} rectangle"
            )
        yield from zrle_rect(fb, r, self._zrle, length, self._count)

    def _resize(self, width: int, height: int) -> None:
        if not size_allowed(width, height):
            raise RfbError(Problem.TOO_LARGE, f"a screen of {width}×{height} pixels")
        fb = self.framebuffer
        assert fb is not None
        if (width, height) == (fb.width, fb.height):
            return
        self._dirty.clear()
        fb.resize(width, height)
        self._work += width * height * BPP
        self._emit(Resized(width, height))
        self.request_update(incremental=False)

    def _cursor(self, r: Rect) -> Reader:
        if r.w > MAX_CURSOR_SIDE or r.h > MAX_CURSOR_SIDE:
            raise RfbError(Problem.TOO_LARGE, f"a pointer of {r.w}×{r.h} pixels")
        size = r.w * r.h * BPP
        mask_size = (r.w + 7) // 8 * r.h
        pixels = (yield size) if size else b""
        mask = (yield mask_size) if mask_size else b""
        self._emit(CursorShape(r.x, r.y, r.w, r.h, pixels, mask))

    def _changed(self, r: Rect) -> None:
        dirty = self._dirty
        dirty.append(r)
        if len(dirty) > MAX_DIRTY:
            x0 = min(d.x for d in dirty)
            y0 = min(d.y for d in dirty)
            x1 = max(d.x + d.w for d in dirty)
            y1 = max(d.y + d.h for d in dirty)
            dirty[:] = [Rect(x0, y0, x1 - x0, y1 - y0)]

    def _finish_frame(self) -> None:
        if self._dirty:
            self._emit(Updated(tuple(self._dirty)))
            self._dirty = []
        self.request_update(incremental=True)

    def _cut_text(self) -> Reader:
        (length,) = struct.unpack(">xxxI", (yield 7))
        keep = length <= MAX_CLIPBOARD
        parts: list[bytes] = []
        left = length
        while left:
            data = yield min(left, CHUNK)
            left -= len(data)
            if keep:
                parts.append(data)
        if keep:
            self._emit(ServerText(b"".join(parts).decode("latin-1")))
