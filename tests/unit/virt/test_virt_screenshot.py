"""Screenshot capture and decoding: hostile data is refused with a clear
error, oversized images are refused from their header alone, and a stream
that never ends is cut off by the byte cap or the deadline."""

from __future__ import annotations

import io
import struct
import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import libvirt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from kvmdesk.virt import screenshot as shots
from kvmdesk.virt.screenshot import (
    MIME_PNG,
    MIME_PPM,
    CaptureError,
    CaptureTimeoutError,
    CorruptImageError,
    DecodeError,
    DomainNotFoundError,
    DomainNotRunningError,
    ImageTooLargeError,
    Screenshot,
    ScreenshotError,
    TooMuchDataError,
    UnsupportedFormatError,
    capture,
    decode,
    read_stream,
    screenshot_metadata,
    to_png,
)

Open = Callable[[str], libvirt.virConnect]
ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
BETA = "b2b2b2b2-0000-4000-8000-000000000002"


def _sample(mode: str = "RGB", size: tuple[int, int] = (7, 5)) -> Image.Image:
    img = Image.new(mode, size)
    for x in range(size[0]):
        for y in range(size[1]):
            value = (x * 31 + y * 17) % 256
            img.putpixel((x, y), (value, 255 - value, x * 9) if mode == "RGB" else value)
    return img


def _encode(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def _png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG whose IHDR announces ``width`` x ``height`` (one tiny IDAT)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _png_chunk(b"IEND", b"")
    )


@pytest.fixture
def no_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if Pillow is asked to open anything."""

    def refuse(*_args: Any, **_kwargs: Any) -> Image.Image:
        raise AssertionError("Pillow was asked to open the data")

    monkeypatch.setattr(Image, "open", refuse)


# ------------------------------------------------------------------ decode


def test_decode_ppm() -> None:
    img = _sample()
    decoded = decode(_encode(img, "PPM"), MIME_PPM)
    assert (decoded.width, decoded.height, decoded.mode) == (7, 5, "RGB")
    assert decoded.image.size == (7, 5)
    assert decoded.image.tobytes() == img.tobytes()
    assert decoded.source_mime == MIME_PPM


def test_decode_ppm_with_comments_and_mime_parameters() -> None:
    img = _sample(size=(2, 1))
    data = b"P6\n# made by hand\n2 # width\n1\n255\n" + img.tobytes()
    decoded = decode(data, "Image/X-Portable-Pixmap; charset=binary")
    assert (decoded.width, decoded.height) == (2, 1)
    assert decoded.image.tobytes() == img.tobytes()


def test_decode_sixteen_bit_ppm_scales_to_eight_bits() -> None:
    data = b"P6 2 1 65535\n" + bytes([0xFF, 0xFF, 0, 0, 0x80, 0x00] * 2)
    decoded = decode(data, MIME_PPM)
    assert decoded.mode == "RGB"
    assert decoded.image.getpixel((0, 0)) == (255, 0, 128)


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_decode_png(mode: str) -> None:
    img = _sample(mode)
    decoded = decode(_encode(img, "PNG"), MIME_PNG)
    # Whatever the PNG's form, the result is packed 8-bit RGB.
    assert (decoded.width, decoded.height, decoded.mode) == (7, 5, "RGB")
    assert bytes(decoded.rgb) == img.convert("RGB").tobytes()


def test_decode_png_palette_and_alpha_become_rgb() -> None:
    palette = _sample("RGB").convert("P")
    assert bytes(decode(_encode(palette, "PNG"), MIME_PNG).rgb) == palette.convert("RGB").tobytes()
    rgba = _sample("RGB").convert("RGBA")
    assert bytes(decode(_encode(rgba, "PNG"), MIME_PNG).rgb) == rgba.convert("RGB").tobytes()


@pytest.mark.parametrize("mime", [MIME_PPM, MIME_PNG])
def test_empty_data_is_refused(mime: str) -> None:
    with pytest.raises(CorruptImageError, match="empty"):
        decode(b"", mime)


def test_truncated_ppm_is_refused() -> None:
    data = _encode(_sample(), "PPM")
    with pytest.raises(CorruptImageError, match="cut short"):
        decode(data[:-1], MIME_PPM)
    with pytest.raises(CorruptImageError, match="cut short"):
        decode(b"P6\n7 5\n", MIME_PPM)  # header without maxval


@pytest.mark.parametrize("keep", [4, 20, 40, -13, -1])
def test_truncated_png_is_refused(keep: int) -> None:
    data = _encode(_sample(), "PNG")
    with pytest.raises(CorruptImageError):
        decode(data[:keep], MIME_PNG)


def test_png_with_damaged_pixels_is_refused() -> None:
    data = bytearray(_encode(_sample(size=(64, 64)), "PNG"))
    start = data.index(b"IDAT") + 4
    data[start + 2 : start + 40] = b"\xaa" * 38  # the IDAT CRC no longer matches
    with pytest.raises(CorruptImageError, match="damaged"):
        decode(bytes(data), MIME_PNG)


@pytest.mark.parametrize("mime", [MIME_PPM, MIME_PNG])
@pytest.mark.parametrize(
    "data", [b"garbage", b"\0" * 100, b"<html>not an image</html>", b"P6 garbage\n"]
)
def test_garbage_is_refused(mime: str, data: bytes) -> None:
    with pytest.raises(DecodeError):
        decode(data, mime)


@pytest.mark.parametrize("mime", ["image/jpeg", "image/bmp", "text/plain", ""])
def test_other_mime_types_are_refused(mime: str) -> None:
    with pytest.raises(UnsupportedFormatError, match="only PPM and PNG"):
        decode(_encode(_sample(), "PNG"), mime)


def test_data_must_match_the_announced_mime() -> None:
    with pytest.raises(UnsupportedFormatError, match="announced as PPM"):
        decode(_encode(_sample(), "PNG"), MIME_PPM)
    with pytest.raises(UnsupportedFormatError, match="announced as PNG"):
        decode(_encode(_sample(), "PPM"), MIME_PNG)


def test_other_netpbm_kinds_are_refused() -> None:
    grey = b"P5\n2 1\n255\n\0\0"
    with pytest.raises(UnsupportedFormatError, match="P6"):
        decode(grey, MIME_PPM)


def test_huge_ppm_header_is_refused_from_the_header_alone(no_pillow: None) -> None:
    # 100000 x 100000 x 3 bytes would be 30 GB; only the header is there.
    with pytest.raises(ImageTooLargeError, match="100000×100000"):
        decode(b"P6\n100000 100000\n255\n", MIME_PPM)


@pytest.mark.parametrize(("width", "height"), [(16385, 1), (1, 16385), (8193, 8193)])
def test_ppm_over_the_side_or_pixel_cap_is_refused(
    no_pillow: None, width: int, height: int
) -> None:
    with pytest.raises(ImageTooLargeError):
        decode(f"P6 {width} {height} 255\n".encode(), MIME_PPM)


def test_huge_png_ihdr_is_refused_before_decoding(no_pillow: None) -> None:
    with pytest.raises(ImageTooLargeError, match="100000×100000"):
        decode(_png_claiming(100000, 100000), MIME_PNG)
    with pytest.raises(ImageTooLargeError):
        decode(_png_claiming(0x7FFFFFFF, 0x7FFFFFFF), MIME_PNG)


def test_zero_sized_image_is_refused() -> None:
    with pytest.raises(CorruptImageError, match="empty size"):
        decode(b"P6 0 5 255\n", MIME_PPM)
    with pytest.raises(CorruptImageError, match="empty size"):
        decode(_png_claiming(0, 5), MIME_PNG)


def test_pillow_pixel_limit_is_honoured_by_the_header_check(
    monkeypatch: pytest.MonkeyPatch, no_pillow: None
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 20)
    with pytest.raises(ImageTooLargeError):
        decode(_encode(_sample(size=(5, 5)), "PPM"), MIME_PPM)


_VALID_PNG = _encode(_sample(size=(9, 4)), "PNG")
_VALID_PPM = _encode(_sample(size=(9, 4)), "PPM")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from([(_VALID_PNG, MIME_PNG), (_VALID_PPM, MIME_PPM)]),
    cut=st.integers(min_value=0, max_value=400),
    flips=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6),
)
def test_mangled_images_decode_fully_or_fail_cleanly(
    which: tuple[bytes, str], cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(which[0][: len(which[0]) - cut] if cut else which[0])
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    try:
        decoded = decode(bytes(data), which[1])
    except ScreenshotError as exc:
        assert str(exc)
        assert "\n" not in str(exc)
    else:
        assert decoded.image.size == (decoded.width, decoded.height)
        decoded.image.tobytes()  # fully loaded, no lazy surprise


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300), mime=st.sampled_from([MIME_PNG, MIME_PPM]))
def test_random_bytes_never_crash(data: bytes, mime: str) -> None:
    try:
        decoded = decode(data, mime)
    except ScreenshotError as exc:
        assert "\n" not in str(exc)
    else:
        assert decoded.image.size == (decoded.width, decoded.height)


# ------------------------------------------------------------- to_png


def test_to_png_round_trips_pixels_and_metadata() -> None:
    img = _sample()
    decoded = decode(_encode(img, "PPM"), MIME_PPM)
    meta = {
        "Title": "alpha",
        "Creation Time": "2026-11-25T19:30:00Z",
        "kvmdesk:domain": "виртуальная-машина 🚀",  # not Latin-1: an iTXt chunk
        "kvmdesk:uri": "qemu:///system",
    }
    data = to_png(decoded, meta)
    with Image.open(io.BytesIO(data)) as back:
        assert back.format == "PNG"
        assert back.size == (7, 5)
        assert back.convert("RGB").tobytes() == img.tobytes()
        assert back.text == meta  # type: ignore[attr-defined]


def test_to_png_refuses_invalid_keys() -> None:
    with pytest.raises(ValueError):
        to_png(_sample(), {"": "x"})
    with pytest.raises(ValueError):
        to_png(_sample(), {"k" * 80: "x"})


def test_screenshot_metadata() -> None:
    shot = Screenshot(
        data=b"",
        mime=MIME_PNG,
        uuid=ALPHA,
        name="alpha",
        screen=0,
        taken_at=datetime(2026, 11, 25, 19, 30, 0, tzinfo=UTC),
    )
    meta = screenshot_metadata(shot, "qemu+ssh://admin:secret@host.example/system")
    assert meta["kvmdesk:domain"] == "alpha"
    assert meta["kvmdesk:uuid"] == ALPHA
    assert meta["Creation Time"] == "2026-11-25T19:30:00Z"
    assert meta["kvmdesk:uri"] == "qemu+ssh://admin@host.example/system"
    assert meta["kvmdesk:screen"] == "0"
    assert meta["Software"].startswith("kvmdesk ")


# ----------------------------------------------------- stream fault injection


class FakeStream:
    """Same interface as virStream's blocking recv/finish/abort."""

    def __init__(self, chunks: list[bytes] | None = None) -> None:
        self.chunks = list(chunks or [])
        self.finished = False
        self.aborted = threading.Event()
        self.requested: list[int] = []

    def recv(self, nbytes: int) -> bytes | int:
        self.requested.append(nbytes)
        if self.aborted.is_set():
            raise libvirt.libvirtError("stream is closed")
        return self.chunks.pop(0)[:nbytes] if self.chunks else b""

    def finish(self) -> None:
        self.finished = True

    def abort(self) -> None:
        self.aborted.set()


class EndlessStream(FakeStream):
    """Sends data for ever."""

    def recv(self, nbytes: int) -> bytes | int:
        super().recv(nbytes)
        return b"\xab" * nbytes


class StalledStream(FakeStream):
    """Blocks in recv until aborted from another thread, as libvirt does."""

    def recv(self, nbytes: int) -> bytes | int:
        self.aborted.wait(60)
        raise libvirt.libvirtError("stream is closed")


class AgainStream(FakeStream):
    """A non-blocking stream that never has data (-2 is libvirt's EAGAIN)."""

    def recv(self, nbytes: int) -> bytes | int:
        super().recv(nbytes)
        return -2


def test_read_stream_reads_to_the_end_and_finishes() -> None:
    stream = FakeStream([b"abc", b"def", b"g"])
    assert read_stream(stream) == b"abcdefg"
    assert stream.finished
    assert not stream.aborted.is_set()


def test_read_stream_accepts_exactly_the_cap() -> None:
    stream = FakeStream([b"x" * 10])
    assert read_stream(stream, max_bytes=10) == b"x" * 10
    assert stream.finished


def test_never_ending_stream_is_stopped_by_the_byte_cap() -> None:
    stream = EndlessStream()
    with pytest.raises(TooMuchDataError, match="larger than 1 MiB"):
        read_stream(stream, max_bytes=1024 * 1024, timeout=600)
    assert stream.aborted.is_set()
    assert not stream.finished
    # Never asked for much more than the cap.
    assert sum(stream.requested) == 1024 * 1024 + 1


def test_stalled_stream_is_stopped_by_the_deadline() -> None:
    stream = StalledStream()
    with pytest.raises(CaptureTimeoutError, match="did not arrive"):
        read_stream(stream, timeout=0.05)
    assert stream.aborted.is_set()
    assert not stream.finished


def test_non_blocking_stream_without_data_is_stopped_by_the_deadline() -> None:
    stream = AgainStream()
    with pytest.raises(CaptureTimeoutError):
        read_stream(stream, timeout=0.05)
    assert stream.aborted.is_set()


def test_stream_error_aborts_the_stream() -> None:
    class Failing(FakeStream):
        def recv(self, nbytes: int) -> bytes | int:
            raise libvirt.libvirtError("cannot recv data: connection reset by peer")

    stream = Failing()
    with pytest.raises(CaptureError, match="connection reset"):
        read_stream(stream)
    assert stream.aborted.is_set()


class FakeDomain:
    def __init__(self, active: bool = True, mime: str = MIME_PPM) -> None:
        self.active = active
        self.mime = mime
        self.screens: list[int] = []

    def name(self) -> str:
        return "fake"

    def isActive(self) -> bool:
        return self.active

    def screenshot(self, stream: FakeStream, screen: int, flags: int) -> str:
        self.screens.append(screen)
        return self.mime


class FakeConnection:
    def __init__(self, dom: FakeDomain, stream: FakeStream) -> None:
        self.dom = dom
        self.stream = stream

    def lookupByUUIDString(self, uuid: str) -> FakeDomain:
        return self.dom

    def newStream(self, flags: int) -> FakeStream:
        assert flags == 0
        return self.stream


def test_capture_through_a_never_ending_stream_gives_up() -> None:
    stream = EndlessStream()
    conn = FakeConnection(FakeDomain(), stream)
    with pytest.raises(TooMuchDataError):
        capture(conn, ALPHA, 1, max_bytes=4096)
    assert stream.aborted.is_set()
    assert conn.dom.screens == [1]


def test_capture_returns_raw_bytes_and_mime() -> None:
    ppm = _encode(_sample(), "PPM")
    stream = FakeStream([ppm[:10], ppm[10:]])
    shot = capture(FakeConnection(FakeDomain(mime="image/x-portable-pixmap"), stream), ALPHA)
    assert shot.data == ppm
    assert shot.mime == MIME_PPM
    assert shot.name == "fake"
    assert shot.taken_at.tzinfo is UTC
    assert stream.finished
    assert decode(shot.data, shot.mime).width == 7


def test_capture_aborts_the_stream_when_the_screenshot_call_fails() -> None:
    class NoScreens(FakeDomain):
        def screenshot(self, stream: FakeStream, screen: int, flags: int) -> str:
            raise libvirt.libvirtError(
                "Requested operation is not valid: no screens to take screenshot from"
            )

    stream = FakeStream()
    with pytest.raises(shots.NoDisplayError, match="no display"):
        capture(FakeConnection(NoScreens(), stream), ALPHA)
    assert stream.aborted.is_set()


# ------------------------------------------------------------ test driver


def test_capture_and_decode_on_the_test_driver(virt: Open) -> None:
    conn = virt("two-domains.xml")
    shot = capture(conn, ALPHA)
    assert shot.name == "alpha"
    assert shot.uuid == ALPHA
    assert shot.mime in (MIME_PNG, MIME_PPM)
    decoded = decode(shot.data, shot.mime)
    assert decoded.width > 0
    assert decoded.height > 0
    assert decoded.image.size == (decoded.width, decoded.height)
    png = to_png(decoded, screenshot_metadata(shot, conn.getURI()))
    with Image.open(io.BytesIO(png)) as back:
        assert back.size == (decoded.width, decoded.height)
        assert back.text["kvmdesk:domain"] == "alpha"  # type: ignore[attr-defined]
        assert back.text["kvmdesk:uri"] == conn.getURI()  # type: ignore[attr-defined]


def test_capture_of_a_shut_off_domain_is_refused(virt: Open) -> None:
    conn = virt("two-domains.xml")
    with pytest.raises(DomainNotRunningError, match="not running"):
        capture(conn, BETA)


def test_capture_of_an_unknown_domain_is_refused(virt: Open) -> None:
    conn = virt("two-domains.xml")
    with pytest.raises(DomainNotFoundError, match="does not exist"):
        capture(conn, "c3c3c3c3-0000-4000-8000-000000000003")


def test_find_domain_by_name_or_uuid(virt: Open) -> None:
    conn = virt("two-domains.xml")
    assert shots.find_domain(conn, "alpha") == shots.DomainRef(ALPHA, "alpha", True)
    assert shots.find_domain(conn, BETA) == shots.DomainRef(BETA, "beta", False)
    with pytest.raises(DomainNotFoundError):
        shots.find_domain(conn, "gamma")
    assert [r.name for r in shots.running_domains(conn)] == ["alpha"]
