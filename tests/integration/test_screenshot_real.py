"""``kvmdesk screenshot`` against a real QEMU guest under qemu:///system."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

try:
    from .conftest import TEST_URI
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from conftest import TEST_URI
    from guest import READY_MARKER, SerialConsole

BOOT_TIMEOUT = 90.0
ROOT = Path(__file__).resolve().parents[2]

# What QEMU's standard VGA shows a console-only guest: text mode or a
# framebuffer console in one of the usual modes.
VGA_SIZES = {(720, 400), (640, 480), (800, 600), (1024, 768), (1280, 800)}


def _kvmdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "kvmdesk", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.integration
def test_screenshot_of_a_running_guest(
    libvirt_conn: Any, define_guest: Any, tmp_path: Path
) -> None:
    import libvirt

    from kvmdesk.virt.errors import silence_stderr_printing
    from kvmdesk.virt.screenshot import capture, decode

    silence_stderr_printing()
    dom = define_guest()
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, dom)
    try:
        dom.resume()
        console.wait_for(READY_MARKER, BOOT_TIMEOUT)
    finally:
        console.close()

    target = tmp_path / "x.png"
    result = _kvmdesk("screenshot", "-c", TEST_URI, dom.name(), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(target)]
    assert result.stderr == ""

    with Image.open(target) as img:
        assert img.format == "PNG"
        img.load()
        size = img.size
        text = dict(img.text)  # type: ignore[attr-defined]
        extrema = img.convert("L").getextrema()
    assert text["kvmdesk:domain"] == dom.name()
    assert text["kvmdesk:uuid"] == dom.UUIDString()
    assert text["kvmdesk:uri"] == libvirt_conn.getURI()
    assert text["Creation Time"].endswith("Z")
    assert extrema[0] != extrema[1], "the screen is blank"

    # The file has the guest's own resolution, as the decoder sees it.
    shot = capture(libvirt_conn, dom.UUIDString())
    decoded = decode(shot.data, shot.mime)
    print(f"guest screenshot: {shot.mime}, {decoded.width}x{decoded.height} {decoded.mode}")
    assert size == (decoded.width, decoded.height)
    assert size in VGA_SIZES


@pytest.mark.integration
def test_screenshot_of_a_shut_off_guest_fails(define_guest: Any, tmp_path: Path) -> None:
    dom = define_guest()
    result = _kvmdesk("screenshot", "-c", TEST_URI, dom.name(), "-o", str(tmp_path / "x.png"))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "not running" in lines[0]
    assert not (tmp_path / "x.png").exists()
