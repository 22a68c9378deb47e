"""Screenshot memory stays bounded for every image the limits allow.

What an outside review sent: small files that passed the header check and
decoded to hundreds of MiB (an 8 KiB 1-bit 16384×4096 PNG, 16-bit grey), and
a PNG of millions of empty chunks. The limits are 8K; within them, decoding
holds the data, the packed RGB result and one band, whatever the format.
The figures for the worst images are in ``make bench`` (screenshot_decode).
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from kvmdesk.virt.screenshot import (
    MIME_PNG,
    MIME_PPM,
    ImageTooLargeError,
    decode,
    encode_png,
)
from kvmdesk.virt.screenshot.limits import (
    MAX_CHUNKS,
    MAX_PIXELS,
    MAX_PNG_BYTES,
    MAX_SIDE,
    stream_limit,
)
from kvmdesk.virt.screenshot.png_decode import Deadline, decode_png

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(
    width: int,
    height: int,
    depth: int,
    colour: int,
    idat: bytes,
    *,
    empty_chunks: int = 0,
    palette: bytes = b"",
    interlace: int = 0,
) -> bytes:
    head = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    parts = [SIGNATURE, _chunk(b"IHDR", head)]
    if palette:
        parts.append(_chunk(b"PLTE", palette))
    parts += [_chunk(b"tEXt", b"x\0y")] * empty_chunks
    parts += [_chunk(b"IDAT", idat), _chunk(b"IEND", b"")]
    return b"".join(parts)


def _encode(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


# -- what the review sent ---------------------------------------------------------------


def test_a_small_1bit_png_beyond_8k_is_refused_from_its_header() -> None:
    row = b"\x00" + bytes((16384 + 7) // 8)
    data = _png(16384, 4096, 1, 0, zlib.compress(row * 4096, 9))
    assert len(data) < 16 * 1024  # a few KiB that used to decode to 320 MiB
    with pytest.raises(ImageTooLargeError, match="8K"):
        decode(data, MIME_PNG)


def test_sixteen_bit_grey_beyond_8k_is_refused() -> None:
    row = b"\x00" + bytes(8192 * 2)
    data = _png(8192, 8192, 16, 0, zlib.compress(row * 8192, 9))
    with pytest.raises(ImageTooLargeError):
        decode(data, MIME_PNG)


def test_more_bits_a_pixel_means_fewer_pixels() -> None:
    """Bounded in bytes, bit depth included: an 8K RGBA or 16-bit RGB PNG
    carries more image data than an 8K 24-bit screen and is refused; the
    largest RGBA within that is decoded."""
    for depth, colour in ((8, 6), (16, 2), (16, 6)):
        data = _png(7680, 4320, depth, colour, zlib.compress(b""))
        with pytest.raises(ImageTooLargeError, match="24-bit"):
            decode(data, MIME_PNG)
    w, h = 6656, 3738
    row = b"\x00" + bytes(w * 4)
    assert decode(_png(w, h, 8, 6, zlib.compress(row * h, 9)), MIME_PNG).width == w
    ppm16 = b"P6 5120 2880 65535\n"
    with pytest.raises(ImageTooLargeError, match="24-bit"):
        decode(b"P6 7680 4320 65535\n" + bytes(16), MIME_PPM)
    assert ppm16  # 5120x2880 of 16 bits is within the bound (make bench decodes it)


def test_millions_of_empty_chunks_are_refused_early() -> None:
    idat = zlib.compress(b"\x00\x00\x00\x00" * 4)
    data = _png(1, 4, 8, 2, idat, empty_chunks=MAX_CHUNKS + 1)
    with pytest.raises(ImageTooLargeError, match="chunks"):
        decode(data, MIME_PNG)
    fewer = _png(1, 4, 8, 2, idat, empty_chunks=MAX_CHUNKS - 10)
    assert decode(fewer, MIME_PNG).height == 4


def test_a_png_larger_than_accepted_is_refused_unread() -> None:
    data = _png(4, 4, 8, 2, b"\0" * (MAX_PNG_BYTES + 1))
    with pytest.raises(ImageTooLargeError, match="MiB"):
        decode(data, MIME_PNG)


def test_image_data_is_never_inflated_past_the_header() -> None:
    """A deflate bomb behind a 16×16 header: only 16 rows are ever inflated."""
    bomb = zlib.compress(bytes(200 * 1024 * 1024), 9)  # 200 MiB of zeros, 200 KiB
    decoded = decode(_png(16, 16, 8, 2, bomb), MIME_PNG)
    assert bytes(decoded.rgb) == bytes(16 * 16 * 3)


def test_a_decode_that_takes_too_long_is_stopped() -> None:
    data = _encode(Image.new("RGB", (64, 64)))
    with pytest.raises(ImageTooLargeError, match="seconds"):
        decode_png(data, lambda _w, _h: None, Deadline(-1.0))


def test_the_limits_are_8k() -> None:
    assert MAX_PIXELS == 7680 * 4320 and MAX_SIDE == 8192
    for size in ((7681, 4321), (8193, 10), (10, 8193)):
        data = _png(*size, 8, 2, zlib.compress(b""))
        with pytest.raises(ImageTooLargeError):
            decode(data, MIME_PNG)
    assert stream_limit(MIME_PNG) == MAX_PNG_BYTES
    assert stream_limit(MIME_PPM) == 7680 * 4320 * 3 + 4096
    assert stream_limit("image/jpeg") < 1024 * 1024


# -- every format, in bands, exactly as Pillow decodes it ----------------------------------


def _noise_image(mode: str, size: tuple[int, int]) -> Image.Image:
    rgb = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    half = Image.blend(rgb, gradient, 0.7)  # filters of every kind get chosen
    if mode == "I;16":
        return Image.frombytes("I;16", size, half.convert("L").tobytes() * 2)
    return half.convert(mode)


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("RGB", {}),
        ("RGBA", {}),
        ("L", {}),
        ("LA", {}),
        ("1", {}),
        ("P", {}),
        ("P", {"bits": 4}),
        ("P", {"bits": 2}),
        ("I;16", {}),
    ],
)
def test_every_png_form_decodes_as_pillow_does(mode: str, options: dict[str, object]) -> None:
    size = (1500, 700)  # several bands for every form
    image = _noise_image(mode, size)
    if mode == "P" and "bits" in options:
        image = image.quantize(colors=2 ** int(options["bits"]))  # type: ignore[call-overload]
    data = _encode(image, **options)
    expected = Image.open(io.BytesIO(data))
    expected.load()
    if expected.mode == "I;16":
        reference = bytes(expected.tobytes()[1::2])  # high bytes of little-endian samples
        reference = Image.frombytes("L", size, reference).convert("RGB").tobytes()
    else:
        reference = expected.convert("RGB").tobytes()
    decoded = decode(data, MIME_PNG)
    assert (decoded.width, decoded.height) == size
    assert bytes(decoded.rgb) == reference


def _interlaced(image: Image.Image) -> bytes:
    """An Adam7-interlaced 8-bit RGB PNG of ``image`` (Pillow writes none)."""
    passes = (
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    )
    pixels = image.load()
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        for y in range(y0, image.height, dy):
            row = [pixels[x, y] for x in range(x0, image.width, dx)]  # type: ignore[index]
            if row:
                raw += b"\x00" + bytes(c for px in row for c in px)
    return _png(image.width, image.height, 8, 2, zlib.compress(bytes(raw)), interlace=1)


def test_an_interlaced_png_decodes_whole_when_small_enough() -> None:
    image = _noise_image("RGB", (37, 23))
    decoded = decode(_interlaced(image), MIME_PNG)
    assert bytes(decoded.rgb) == image.tobytes()


def test_an_8bit_ppm_is_used_where_it_lies() -> None:
    image = _noise_image("RGB", (320, 200))
    data = bytearray(b"P6\n320 200\n255\n" + image.tobytes())
    decoded = decode(data, MIME_PPM)
    assert decoded.rgb.obj is data  # no copy of the pixels
    assert bytes(decoded.rgb) == image.tobytes()


def test_encoded_png_round_trips_in_bands() -> None:
    image = _noise_image("RGB", (1200, 900))
    meta = {"Title": "网页服务器 web1", "kvmdesk:uri": "qemu:///system"}
    data = encode_png(image.width, image.height, image.tobytes(), meta)
    back = Image.open(io.BytesIO(data))
    back.load()
    assert back.mode == "RGB" and back.tobytes() == image.tobytes()
    assert dict(back.text) == meta  # type: ignore[attr-defined]


# -- the memory one decode holds, in a process of its own ----------------------------------

_MEASURE = """
import json, sys
from kvmdesk.virt.screenshot import decode
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
open("/proc/self/clear_refs", "w").write("5")
base = status("VmRSS")
path, mime = sys.argv[1], sys.argv[2]
import os
data = bytearray(os.path.getsize(path))
with open(path, "rb") as f:
    f.readinto(data)
image = decode(data, mime)
print(json.dumps({"added": status("VmHWM") - base, "size": [image.width, image.height]}))
"""


def _added_by_decoding(path: Path, mime: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), mime],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(out.stdout)
    assert result["size"] == [7680, 4320]
    return int(result["added"])


def test_the_worst_8k_images_add_at_most_150_mb(tmp_path: Path) -> None:
    """Receiving and decoding the largest images allowed, in the forms that
    cost the most, adds at most 150 MB to the process at its peak."""
    w, h = 7680, 4320
    one_bit = tmp_path / "1bit.png"
    one_bit.write_bytes(_png(w, h, 1, 0, zlib.compress((b"\x00" + bytes(w // 8)) * h, 9)))
    grey16 = tmp_path / "grey16.png"
    grey16.write_bytes(_png(w, h, 16, 0, zlib.compress((b"\x00" + bytes(w * 2)) * h, 9)))
    ppm = tmp_path / "8k.ppm"
    with open(ppm, "wb") as f:
        f.write(f"P6\n{w} {h}\n255\n".encode())
        f.write(bytes(w * h * 3))
    for path, mime in ((one_bit, MIME_PNG), (grey16, MIME_PNG), (ppm, MIME_PPM)):
        added = _added_by_decoding(path, mime)
        assert added <= 150 * 1000 * 1000, (path.name, added / 1e6)
