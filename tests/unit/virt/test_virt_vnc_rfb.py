"""The RFB client: handshake, encodings, QEMU's extensions, and servers that break the rules."""

from __future__ import annotations

import struct
import tracemalloc
import zlib

import pytest

from kvmdesk.virt.vnc import rfb
from kvmdesk.virt.vnc.des import encrypt_block, vnc_response
from kvmdesk.virt.vnc.framebuffer import Rect
from kvmdesk.virt.vnc.scancodes import qnum
from tests.unit.vnc.compressed_bytes import Zrle, zrle_solid
from tests.unit.vnc.rfb_bytes import (
    ZlibStream,
    connected_client,
    hello,
    pixels,
    raw,
    rect,
    server_init,
    update,
)


def _fail(client: rfb.RfbClient, data: bytes) -> rfb.RfbError:
    client.receive(data)
    with pytest.raises(rfb.RfbError) as caught:
        while client.process():
            pass
    return caught.value


# -- handshake ----------------------------------------------------------------


def test_handshake_without_security() -> None:
    client = rfb.RfbClient()
    client.receive(hello() + server_init(800, 600, b"kvm guest"))
    assert not client.process()
    assert client.events == [rfb.Connected(800, 600, "kvm guest")]
    out = client.take_output()
    assert out.startswith(b"RFB 003.008\n\x01\x01")  # version, security None, shared
    assert struct.pack(">BxH", 2, len(rfb.DEFAULT_ENCODINGS)) in out  # SetEncodings
    assert out.endswith(struct.pack(">BBHHHH", 3, 0, 0, 0, 800, 600))  # full update
    fb = client.framebuffer
    assert fb is not None and (fb.width, fb.height) == (800, 600)


def _set_encodings(out: bytes) -> list[int]:
    """The encodings of the SetEncodings message in what the client sent."""
    at = len(b"RFB 003.008\n\x01\x01") + 20  # version, security, shared; SetPixelFormat
    kind, count = struct.unpack(">BxH", out[at : at + 4])
    assert kind == 2
    return list(struct.unpack(f">{count}i", out[at + 4 : at + 4 + 4 * count]))


def _offered(encodings: tuple[int, ...]) -> list[int]:
    client = rfb.RfbClient(encodings=encodings)
    client.receive(hello() + server_init())
    client.process()
    return _set_encodings(client.take_output())


def test_a_tunnel_asks_for_zrle_first_and_keeps_tight_with_jpeg_after_it() -> None:
    # QEMU takes the first encoding it knows; libvirt's displays are never
    # lossy, where Tight sends twice ZRLE's bytes (make bench, display_encodings).
    offered = _offered(rfb.DEFAULT_ENCODINGS)
    assert offered == list(rfb.DEFAULT_ENCODINGS)
    pixel = [e for e in offered if e in rfb.PIXEL_ENCODINGS]
    assert pixel == [rfb.ZRLE, rfb.TIGHT, rfb.ZLIB, rfb.COPY_RECT, rfb.RAW]
    assert rfb.JPEG_QUALITY_0 + rfb.TUNNEL_JPEG_QUALITY in offered  # for a server without ZRLE
    assert set(rfb.PSEUDO_ENCODINGS) <= set(offered)


def test_a_local_socket_asks_for_raw_first_and_no_compression_it_would_wait_for() -> None:
    offered = _offered(rfb.LOCAL_ENCODINGS)
    assert [e for e in offered if e in rfb.PIXEL_ENCODINGS] == [rfb.RAW, rfb.COPY_RECT, rfb.ZLIB]
    assert rfb.ZRLE not in offered and rfb.TIGHT not in offered


def test_the_tunnel_order_decodes_what_qemu_answers_it_with() -> None:
    client = connected_client(8, 8)
    red = b"\x00\x00\xff\x00"
    client.receive(update(Zrle().rect(0, 0, 8, 8, zrle_solid(red))))
    client.process()
    assert client.rects == {rfb.ZRLE: 1}
    fb = client.framebuffer
    assert fb is not None and bytes(fb.data) == red * 64


def test_handshake_of_an_old_server() -> None:
    client = rfb.RfbClient()
    client.receive(b"RFB 003.003\n" + struct.pack(">I", 1) + server_init())
    client.process()
    assert isinstance(client.events[0], rfb.Connected)
    assert client.take_output().startswith(b"RFB 003.003\n\x01")


def test_des_matches_the_standard_test_vector() -> None:
    key = bytes.fromhex("133457799BBCDFF1")
    assert encrypt_block(key, bytes.fromhex("0123456789ABCDEF")).hex() == "85e813540f0ab405"


def test_vnc_authentication_answers_with_the_mirrored_key() -> None:
    challenge = bytes(range(16))
    client = rfb.RfbClient(password="pw")
    client.receive(hello(security=(2,)) + challenge + struct.pack(">I", 0) + server_init())
    client.process()
    out = client.take_output()
    # "p" is 0x70 = 01110000, mirrored 00001110; "w" 0x77 -> 0xEE.
    key = bytes([0x0E, 0xEE, 0, 0, 0, 0, 0, 0])
    expected = encrypt_block(key, challenge[:8]) + encrypt_block(key, challenge[8:])
    assert vnc_response("pw", challenge) == expected
    assert out[12:14] == b"\x02" + expected[:1]
    assert expected in out
    assert isinstance(client.events[0], rfb.Connected)


def test_a_refused_password_says_so() -> None:
    client = rfb.RfbClient(password="wrong")
    reason = b"Authentication failed"
    error = _fail(
        client,
        hello(security=(2,)) + bytes(16) + struct.pack(">II", 1, len(reason)) + reason,
    )
    assert error.problem is rfb.Problem.AUTH_FAILED
    assert error.detail == "Authentication failed"


def test_a_password_is_needed_and_unknown() -> None:
    error = _fail(rfb.RfbClient(), hello(security=(2,)) + bytes(16))
    assert error.problem is rfb.Problem.PASSWORD_NEEDED


def test_only_unknown_security_types() -> None:
    error = _fail(rfb.RfbClient(), hello(security=(19, 30)))
    assert error.problem is rfb.Problem.NO_SECURITY
    assert error.detail == "19, 30"


def test_the_server_refuses_with_a_reason() -> None:
    reason = b"Too many connections"
    error = _fail(rfb.RfbClient(), b"RFB 003.008\n\x00" + struct.pack(">I", len(reason)) + reason)
    assert error.problem is rfb.Problem.REFUSED
    assert error.detail == "Too many connections"


def test_not_rfb_at_all() -> None:
    error = _fail(rfb.RfbClient(), b"SSH-2.0-Open")
    assert error.problem is rfb.Problem.PROTOCOL


# -- encodings ---------------------------------------------------------------------


def _pixel(client: rfb.RfbClient, x: int, y: int) -> bytes:
    fb = client.framebuffer
    assert fb is not None
    offset = y * fb.stride + x * 4
    return bytes(fb.data[offset : offset + 4])


def test_raw_and_copy_rect() -> None:
    client = connected_client(64, 48)
    client.receive(update(raw(2, 3, 4, 5, b"\x01\x02\x03\x00")))
    client.process()
    assert client.events == [rfb.Updated((Rect(2, 3, 4, 5),))]
    assert _pixel(client, 2, 3) == _pixel(client, 5, 7) == b"\x01\x02\x03\x00"
    assert _pixel(client, 6, 3) == bytes(4)
    # The next incremental request follows the frame.
    assert client.take_output() == struct.pack(">BBHHHH", 3, 1, 0, 0, 64, 48)
    client.events.clear()
    client.receive(update(rect(20, 20, 4, 5, rfb.COPY_RECT, struct.pack(">HH", 2, 3))))
    client.process()
    assert _pixel(client, 20, 20) == _pixel(client, 23, 24) == b"\x01\x02\x03\x00"


def test_zlib_keeps_one_stream_across_rectangles() -> None:
    client = connected_client(64, 48)
    stream = ZlibStream()
    first = pixels(10, 10, b"\x05\x06\x07\x00")
    second = pixels(64, 2, b"\x08\x09\x0a\x00")
    client.receive(update(stream.rect(0, 0, 10, 10, first), stream.rect(0, 40, 64, 2, second)))
    client.process()
    assert _pixel(client, 9, 9) == b"\x05\x06\x07\x00"
    assert _pixel(client, 63, 41) == b"\x08\x09\x0a\x00"
    assert _pixel(client, 10, 10) == bytes(4)


def test_desktop_size_and_extended_desktop_size() -> None:
    client = connected_client(64, 48)
    client.receive(update(rect(0, 0, 1024, 768, rfb.DESKTOP_SIZE)))
    client.process()
    assert rfb.Resized(1024, 768) in client.events
    assert client.take_output().startswith(struct.pack(">BBHHHH", 3, 0, 0, 0, 1024, 768))
    screen = struct.pack(">IHHHHI", 1, 0, 0, 800, 600, 0)
    client.receive(update(rect(0, 0, 800, 600, rfb.EXTENDED_DESKTOP_SIZE, b"\x01\0\0\0" + screen)))
    client.process()
    assert rfb.Resized(800, 600) in client.events
    fb = client.framebuffer
    assert fb is not None and len(fb.data) == 800 * 600 * 4


def test_qemu_pseudo_encodings() -> None:
    client = connected_client()
    assert not client.scancodes
    client.key(0x61, 0x1E, True)
    assert client.take_output() == struct.pack(">BBxxI", 4, 1, 0x61)  # a plain key event
    mask = b"\xf0" * 2
    client.receive(
        update(
            rect(0, 0, 0, 0, rfb.QEMU_EXTENDED_KEY),
            rect(0, 0, 0, 0, rfb.POINTER_TYPE_CHANGE),
            rect(0, 0, 0, 0, rfb.LED_STATE, b"\x04"),
            rect(1, 1, 4, 2, rfb.CURSOR, pixels(4, 2) + mask),
        )
    )
    client.process()
    assert client.scancodes and not client.absolute
    assert rfb.PointerMode(False) in client.events
    assert rfb.Leds(4) in client.events
    assert rfb.CursorShape(1, 1, 4, 2, pixels(4, 2), mask) in client.events
    client.take_output()
    client.key(0x61, 0x1E, True)
    assert client.take_output() == struct.pack(">BBHII", 255, 0, 1, 0x61, 0x1E)
    client.pointer(1, 0x7FFF + 5, 0x7FFF - 3)
    assert client.take_output() == struct.pack(">BBHH", 5, 1, 0x8004, 0x7FFC)


def test_scancodes_of_extended_keys() -> None:
    assert qnum(30) == 0x1E  # A
    assert qnum(103) == 0xC8  # Up: E0 48
    assert qnum(100) == 0xB8  # AltGr: E0 38
    assert qnum(0) == 0 and qnum(500) == 0


def test_clipboard_text_and_bell() -> None:
    client = connected_client()
    client.receive(b"\x02" + b"\x03\0\0\0" + struct.pack(">I", 5) + b"hello")
    client.process()
    assert client.events == [rfb.Bell(), rfb.ServerText("hello")]


def test_oversized_clipboard_text_is_read_and_dropped() -> None:
    client = connected_client()
    size = rfb.MAX_CLIPBOARD + 1
    client.receive(b"\x03\0\0\0" + struct.pack(">I", size))
    left = size
    while left:
        chunk = min(left, 65536)
        client.receive(b"x" * chunk)
        client.process()
        left -= chunk
        assert client.buffered <= rfb.CHUNK  # read through, never held whole
    assert client.events == []
    assert not client.failed


def test_decoding_runs_in_bounded_slices() -> None:
    client = connected_client(1024, 768)
    client.receive(update(*(raw(0, 0, 1024, 768) for _ in range(4))))
    turns = 0
    while client.process(budget=1 << 20):
        turns += 1
    assert turns >= 10  # 12 MB of pixels, about 1 MB each turn
    assert isinstance(client.events[-1], rfb.Updated)


# -- servers that break the rules -------------------------------------------------------


def test_a_huge_screen_is_refused_before_any_allocation() -> None:
    tracemalloc.start()
    try:
        client = rfb.RfbClient()
        client.receive(hello() + struct.pack(">HH", 65535, 65535) + bytes(20))
        with pytest.raises(rfb.RfbError) as caught:
            client.process()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.problem is rfb.Problem.TOO_LARGE
    assert "65535×65535" in caught.value.detail
    assert peak < 1 << 20
    assert client.framebuffer is None


def test_a_resize_beyond_8k_is_refused() -> None:
    error = _fail(connected_client(), update(rect(0, 0, 9000, 100, rfb.DESKTOP_SIZE)))
    assert error.problem is rfb.Problem.TOO_LARGE
    error = _fail(connected_client(), update(rect(0, 0, 7680, 4321, rfb.DESKTOP_SIZE)))
    assert error.problem is rfb.Problem.TOO_LARGE


def test_a_rectangle_outside_the_screen() -> None:
    error = _fail(connected_client(64, 48), update(raw(60, 0, 5, 1)))
    assert error.problem is rfb.Problem.PROTOCOL
    assert "outside" in error.detail
    error = _fail(connected_client(64, 48), update(rect(0, 0, 4, 4, 1, b"\0\x40\0\0")))
    assert "outside" in error.detail


def test_an_encoding_that_was_not_offered() -> None:
    error = _fail(connected_client(), update(rect(0, 0, 4, 4, 5, b"\0" * 8)))  # Hextile
    assert error.problem is rfb.Problem.PROTOCOL
    assert "never offered" in error.detail
    client = connected_client(encodings=(rfb.RAW,))
    error = _fail(client, update(rect(0, 0, 4, 4, rfb.ZLIB, b"\0\0\0\0")))
    assert "never offered" in error.detail


def test_truncated_zlib_data() -> None:
    body = zlib.compress(pixels(4, 4))[:-10]
    data = struct.pack(">I", len(body)) + body
    error = _fail(connected_client(), update(rect(0, 0, 8, 8, rfb.ZLIB, data)))
    assert error.problem is rfb.Problem.PROTOCOL


def test_zlib_that_inflates_beyond_its_rectangle() -> None:
    stream = ZlibStream()
    bomb = stream.data(bytes(4 * 4 * 4) + bytes(50_000_000))  # a 4x4 rectangle's worth, and more
    tracemalloc.start()
    try:
        error = _fail(connected_client(), update(rect(0, 0, 4, 4, rfb.ZLIB, bomb[:4] + bomb[4:])))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.problem in (rfb.Problem.PROTOCOL, rfb.Problem.TOO_LARGE)
    assert peak < 8 << 20


def test_zlib_length_beyond_the_rectangle() -> None:
    error = _fail(
        connected_client(), update(rect(0, 0, 4, 4, rfb.ZLIB, struct.pack(">I", 1 << 30)))
    )
    assert error.problem is rfb.Problem.TOO_LARGE


def test_bogus_zlib_data() -> None:
    data = struct.pack(">I", 32) + b"\xff" * 32
    error = _fail(connected_client(), update(rect(0, 0, 4, 4, rfb.ZLIB, data)))
    assert error.problem is rfb.Problem.PROTOCOL


def test_oversized_names_cursors_and_screens() -> None:
    error = _fail(rfb.RfbClient(), hello() + server_init(name=b"x" * 5000))
    assert error.problem is rfb.Problem.TOO_LARGE
    error = _fail(connected_client(), update(rect(0, 0, 300, 300, rfb.CURSOR)))
    assert error.problem is rfb.Problem.TOO_LARGE
    error = _fail(
        connected_client(), update(rect(0, 0, 64, 48, rfb.EXTENDED_DESKTOP_SIZE, b"\xff\0\0\0"))
    )
    assert error.problem is rfb.Problem.TOO_LARGE


def test_an_unknown_message_type() -> None:
    error = _fail(connected_client(), b"\x7f")
    assert error.problem is rfb.Problem.PROTOCOL
    assert "127" in error.detail


def test_a_failed_client_stays_failed() -> None:
    client = connected_client()
    _fail(client, b"\x7f")
    with pytest.raises(rfb.RfbError):
        client.process()
