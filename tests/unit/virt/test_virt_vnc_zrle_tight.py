"""ZRLE and Tight (with JPEG): every tile and filter kind, and servers that break the rules."""

from __future__ import annotations

import struct
import tracemalloc
import zlib

import pytest
from PIL import Image

from kvmdesk.virt.vnc import rfb
from kvmdesk.virt.vnc.framebuffer import Rect
from tests.unit.vnc.compressed_bytes import (
    Tight,
    Zrle,
    compact,
    zrle_palette,
    zrle_palette_rle,
    zrle_raw,
    zrle_rle,
    zrle_solid,
)
from tests.unit.vnc.rfb_bytes import connected_client, rect, update

RED = b"\x00\x00\xff\x00"
GREEN = b"\x00\xff\x00\x00"
BLUE = b"\xff\x00\x00\x00"
GREY = b"\x80\x80\x80\x00"
WHITE = b"\xff\xff\xff\x00"


def _pixel(client: rfb.RfbClient, x: int, y: int) -> bytes:
    fb = client.framebuffer
    assert fb is not None
    offset = y * fb.stride + x * 4
    return bytes(fb.data[offset : offset + 4])


def _row(client: rfb.RfbClient, x: int, y: int, w: int) -> list[bytes]:
    return [_pixel(client, x + i, y) for i in range(w)]


def _fail(client: rfb.RfbClient, data: bytes) -> rfb.RfbError:
    client.receive(data)
    with pytest.raises(rfb.RfbError) as caught:
        while client.process():
            pass
    return caught.value


# -- ZRLE ------------------------------------------------------------------------


def test_zrle_raw_and_solid_tiles_across_a_tile_border() -> None:
    client = connected_client(128, 16)
    zrle = Zrle()
    left = [RED, GREEN] * (64 * 2 // 2)  # a 64x2 tile
    client.receive(update(zrle.rect(0, 0, 70, 2, zrle_raw(*left), zrle_solid(BLUE))))
    client.process()
    assert client.events == [rfb.Updated((Rect(0, 0, 70, 2),))]
    assert _row(client, 0, 1, 3) == [RED, GREEN, RED]
    assert _pixel(client, 64, 0) == _pixel(client, 69, 1) == BLUE
    assert _pixel(client, 70, 0) == bytes(4)


def test_zrle_packed_palettes_of_two_four_and_sixteen_colours() -> None:
    client = connected_client(64, 48)
    zrle = Zrle()
    two = zrle_palette([RED, GREEN], [0, 1, 1, 0, 1, 0, 0, 1, 1], 3)
    four = zrle_palette([RED, GREEN, BLUE, GREY], [3, 2, 1, 0, 0, 1, 2, 3, 3], 3)
    colours = [bytes((i * 16, 0, 255 - i * 16, 0)) for i in range(16)]
    sixteen = zrle_palette(colours, list(range(15, -1, -1)), 16)
    client.receive(
        update(
            zrle.rect(0, 0, 3, 3, two),
            zrle.rect(10, 0, 3, 3, four),
            zrle.rect(0, 10, 16, 1, sixteen),
        )
    )
    client.process()
    assert _row(client, 0, 0, 3) == [RED, GREEN, GREEN]
    assert _row(client, 0, 2, 3) == [RED, GREEN, GREEN]
    assert _row(client, 10, 0, 3) == [GREY, BLUE, GREEN]
    assert _row(client, 10, 2, 3) == [BLUE, GREY, GREY]
    assert _row(client, 0, 10, 16) == colours[::-1]


def test_zrle_plain_and_palette_run_lengths() -> None:
    client = connected_client(600, 8)
    zrle = Zrle()
    plain = zrle_rle([(RED, 1), (GREEN, 300), (BLUE, 3)])  # a 64x76... no: 304 = 64x4 + 48
    client.receive(
        update(zrle.rect(0, 0, 64, 5, plain[:0] + zrle_rle([(RED, 1), (GREEN, 300), (BLUE, 19)])))
    )
    client.process()
    assert _pixel(client, 0, 0) == RED
    assert _pixel(client, 1, 0) == _pixel(client, 44, 4) == GREEN
    assert _pixel(client, 45, 4) == _pixel(client, 63, 4) == BLUE
    runs = zrle_palette_rle([WHITE, GREY], [(0, 1), (1, 1), (0, 2), (1, 4)])
    client.receive(update(zrle.rect(100, 0, 4, 2, runs)))
    client.process()
    assert _row(client, 100, 0, 4) == [WHITE, GREY, WHITE, WHITE]
    assert _row(client, 100, 1, 4) == [GREY] * 4


@pytest.mark.parametrize(
    ("tile", "words"),
    [
        (b"\x11" + bytes(12), "sub-encoding 17"),
        (b"\x81", "sub-encoding 129"),
        (zrle_rle([(RED, 17)]), "longer than its tile"),
        (zrle_rle([(RED, 70000)]), "longer than its tile"),
        (zrle_palette_rle([RED, GREEN], [(5, 1)]), "beyond its palette"),
        (zrle_palette([RED, GREEN, BLUE], [3, 0, 0, 0] * 4, 4), "beyond its palette"),
        (zrle_solid(RED) + zrle_solid(RED), "larger than its rectangle"),
        (zrle_raw(RED), "ended inside"),
    ],
)
def test_zrle_that_breaks_the_rules(tile: bytes, words: str) -> None:
    error = _fail(connected_client(), update(Zrle().rect(0, 0, 4, 4, tile)))
    assert error.problem is rfb.Problem.PROTOCOL
    assert words in error.detail


def test_zrle_truncated_and_oversized_lengths() -> None:
    good = Zrle().rect(0, 0, 4, 4, zrle_raw(*[RED] * 16))
    cut = good[:12] + struct.pack(">I", len(good) - 30) + good[16:-14]
    error = _fail(connected_client(), update(cut))
    assert error.problem is rfb.Problem.PROTOCOL
    error = _fail(
        connected_client(), update(rect(0, 0, 4, 4, rfb.ZRLE, struct.pack(">I", 1 << 30)))
    )
    assert error.problem is rfb.Problem.TOO_LARGE
    assert "ZRLE" in error.detail
    error = _fail(
        connected_client(), update(rect(0, 0, 4, 4, rfb.ZRLE, struct.pack(">I", 40) + b"\xff" * 40))
    )
    assert error.problem is rfb.Problem.PROTOCOL


def test_zrle_that_inflates_far_beyond_its_rectangle_stays_bounded() -> None:
    bomb = zlib.compress(zrle_solid(RED) * 16 + bytes(200_000_000), 9)
    data = rect(0, 0, 256, 256, rfb.ZRLE, struct.pack(">I", len(bomb)) + bomb)
    tracemalloc.start()
    try:
        error = _fail(connected_client(256, 256), update(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "larger than its rectangle" in error.detail
    assert peak < 8 << 20


def test_a_full_screen_of_zrle_is_decoded_in_bounded_memory_and_slices() -> None:
    client = connected_client(1024, 768)
    zrle = Zrle()
    tiles = [zrle_raw(*[GREY] * (64 * 64))] * (16 * 12)
    client.receive(update(zrle.rect(0, 0, 1024, 768, *tiles)))
    tracemalloc.start()
    try:
        turns = 0
        while client.process(budget=1 << 20):
            turns += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert turns >= 3
    assert peak < 4 << 20  # the compressed and inflated data are never held whole
    assert _pixel(client, 1023, 767) == GREY


# -- Tight -----------------------------------------------------------------------


def test_tight_fill_copy_and_short_uncompressed_data() -> None:
    client = connected_client(64, 48)
    tight = Tight()
    big = [RED, GREEN, BLUE, GREY] * 10
    client.receive(
        update(
            tight.fill(0, 0, 64, 48, GREY),
            tight.copy(0, 0, 10, 4, big),
            tight.copy(20, 20, 3, 1, [BLUE, RED, GREEN]),  # 9 bytes: sent as they are
        )
    )
    client.process()
    assert client.events == [
        rfb.Updated((Rect(0, 0, 64, 48), Rect(0, 0, 10, 4), Rect(20, 20, 3, 1)))
    ]
    assert _row(client, 0, 0, 4) == [RED, GREEN, BLUE, GREY]
    assert _row(client, 20, 20, 3) == [BLUE, RED, GREEN]
    assert _pixel(client, 63, 47) == GREY


def test_tight_streams_persist_and_reset() -> None:
    client = connected_client(64, 48)
    tight = Tight()
    rows = [RED] * 16
    client.receive(
        update(
            tight.copy(0, 0, 4, 4, rows, stream=1), tight.copy(4, 0, 4, 4, [GREEN] * 16, stream=1)
        )
    )
    client.process()
    assert _pixel(client, 3, 3) == RED
    assert _pixel(client, 7, 3) == GREEN
    client.receive(update(tight.copy(8, 0, 4, 4, [BLUE] * 16, stream=1, reset=0b0010)))
    client.process()
    assert _pixel(client, 11, 3) == BLUE


def test_tight_palettes_and_gradient() -> None:
    client = connected_client(64, 48)
    tight = Tight()
    ramp = [bytes((x * 20, y * 30, (x + y) * 10, 0)) for y in range(5) for x in range(9)]
    client.receive(
        update(
            tight.palette(0, 0, 9, 2, [RED, BLUE], [0, 1, 1, 0, 0, 0, 0, 0, 1] * 2),
            tight.palette(0, 10, 4, 3, [RED, GREEN, BLUE], [2, 1, 0, 2] * 3),
            tight.gradient(20, 20, 9, 5, ramp),
        )
    )
    client.process()
    assert _row(client, 0, 1, 9) == [RED, BLUE, BLUE, RED, RED, RED, RED, RED, BLUE]
    assert _row(client, 0, 12, 4) == [BLUE, GREEN, RED, BLUE]
    got = [_pixel(client, 20 + x, 20 + y) for y in range(5) for x in range(9)]
    assert got == ramp


def test_tight_jpeg_decodes_through_pillow() -> None:
    client = connected_client(64, 48)
    image = Image.new("RGB", (32, 16), (200, 40, 90))
    client.receive(update(Tight.jpeg(8, 8, 32, 16, image)))
    client.process()
    b, g, r, _x = _pixel(client, 20, 15)
    assert abs(r - 200) <= 4 and abs(g - 40) <= 4 and abs(b - 90) <= 4
    assert _pixel(client, 7, 7) == bytes(4)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"\xa0", "compression type 10"),  # PNG, never offered
        (b"\x40\x07", "filter 7"),
        (b"\x90" + compact(20) + b"not a jpeg at all...", "cannot be decoded"),
        (b"\x00" + compact(30) + b"\xff" * 30, "Error"),
    ],
)
def test_tight_that_breaks_the_rules(body: bytes, words: str) -> None:
    error = _fail(connected_client(), update(rect(0, 0, 4, 4, rfb.TIGHT, body)))
    assert error.problem is rfb.Problem.PROTOCOL
    assert words.lower() in error.detail.lower()


def test_tight_palette_index_beyond_the_palette() -> None:
    head = b"\x01\x02" + bytes(9)  # three colours: one byte an index
    data = bytes([0, 1, 2, 3] * 4)
    error = _fail(
        connected_client(), update(Tight().basic(0, 0, 4, 4, data, head=b"\x01" + head[1:]))
    )
    assert "beyond its palette" in error.detail


def test_tight_jpeg_of_the_wrong_size_or_truncated() -> None:
    image = Image.new("RGB", (64, 64), (1, 2, 3))
    error = _fail(
        connected_client(),
        update(Tight.jpeg(0, 0, 8, 8, image)[:12] + Tight.jpeg(0, 0, 64, 64, image)[12:]),
    )
    assert "64×64 JPEG image for a 8×8 rectangle" in error.detail
    whole = Tight.jpeg(0, 0, 16, 16, Image.effect_noise((16, 16), 50).convert("RGB"))
    length = len(whole) - 12 - 1 - 2
    cut = whole[:13] + compact(length - 200) + whole[15 : 15 + length - 200]
    error = _fail(connected_client(), update(cut))
    assert error.problem is rfb.Problem.PROTOCOL


def test_tight_lengths_beyond_the_rectangle_and_truncated_zlib() -> None:
    error = _fail(
        connected_client(), update(rect(0, 0, 4, 4, rfb.TIGHT, b"\x90" + compact(4_000_000)))
    )
    assert error.problem is rfb.Problem.TOO_LARGE
    good = Tight().copy(0, 0, 4, 4, [RED] * 16)
    body = good[12:]
    cut = body[:1] + compact(len(body) - 2 - 6) + body[2:-6]
    error = _fail(connected_client(), update(rect(0, 0, 4, 4, rfb.TIGHT, cut)))
    assert "ended inside" in error.detail


def test_tight_gradient_is_undone_a_few_rows_a_turn() -> None:
    """The gradient filter is undone pixel by pixel: a large rectangle takes many
    turns of the loop, each a small band, never one long stall."""
    client = connected_client(256, 128)
    ramp = [
        bytes(((x * 3 + y) % 256, y * 2 % 256, (x + y * 5) % 256, 0))
        for y in range(128)
        for x in range(256)
    ]
    client.receive(update(Tight().gradient(0, 0, 256, 128, ramp)))
    turns = 0
    while client.process():
        turns += 1
    assert turns >= 3
    assert [_pixel(client, x, y) for y in (0, 77, 127) for x in (0, 100, 255)] == [
        ramp[y * 256 + x] for y in (0, 77, 127) for x in (0, 100, 255)
    ]
