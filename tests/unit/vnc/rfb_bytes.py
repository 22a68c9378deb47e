"""What an RFB server says, as bytes, for tests of the client (good and bad)."""

from __future__ import annotations

import struct
import zlib

from kvmdesk.virt.vnc import rfb


def hello(security: tuple[int, ...] = (1,), version: bytes = b"RFB 003.008\n") -> bytes:
    """Version and security types, and for None on 3.8 the security result."""
    out = version + bytes([len(security)]) + bytes(security)
    if security == (1,):
        out += struct.pack(">I", 0)
    return out


def server_init(width: int = 64, height: int = 48, name: bytes = b"guest") -> bytes:
    fmt = struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)
    return struct.pack(">HH", width, height) + fmt + struct.pack(">I", len(name)) + name


def rect(x: int, y: int, w: int, h: int, encoding: int, payload: bytes = b"") -> bytes:
    return struct.pack(">HHHHi", x, y, w, h, encoding) + payload


def update(*rects: bytes) -> bytes:
    return struct.pack(">BxH", 0, len(rects)) + b"".join(rects)


def pixels(w: int, h: int, bgrx: bytes = b"\x10\x20\x30\x00") -> bytes:
    return bgrx * (w * h)


def raw(x: int, y: int, w: int, h: int, bgrx: bytes = b"\x10\x20\x30\x00") -> bytes:
    return rect(x, y, w, h, rfb.RAW, pixels(w, h, bgrx))


class ZlibStream:
    """The server's side of the zlib encoding: one stream for the whole session."""

    def __init__(self) -> None:
        self._z = zlib.compressobj()

    def data(self, plain: bytes) -> bytes:
        body = self._z.compress(plain) + self._z.flush(zlib.Z_SYNC_FLUSH)
        return struct.pack(">I", len(body)) + body

    def rect(self, x: int, y: int, w: int, h: int, plain: bytes) -> bytes:
        return rect(x, y, w, h, rfb.ZLIB, self.data(plain))


def connected_client(width: int = 64, height: int = 48, **kwargs: object) -> rfb.RfbClient:
    client = rfb.RfbClient(**kwargs)  # type: ignore[arg-type]
    client.receive(hello() + server_init(width, height))
    client.process()
    client.events.clear()
    client.take_output()
    return client
