"""The live display against real QEMU: every encoding gives the pixels Raw
gives, a display held by another viewer is said and taken over, and a
UNIX-socket display is reached over ``qemu+ssh://`` by socket forwarding or,
where the host's sshd forbids it, by socat on the host, or by ``nc -U`` where
socat is missing too; when all three fail, each one's reason is said.

The encodings are compared on a second VNC display that the guest's QEMU
gets through libvirt's qemu namespace (``-vnc unix:…,lossy=on``): libvirt
has no setting for QEMU's ``lossy`` option, without which QEMU never sends
JPEG. The guest shows a smooth gradient (JPEG's case), a black band (a
fill) and noise (many colours) in its 1024×768 framebuffer.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.display import DisplaySession, DisplayState
from kvmdesk.core.display_socket import open_socket_display
from kvmdesk.core.ssh_channel import Channel, Unreachable
from kvmdesk.virt.errors import silence_stderr_printing
from kvmdesk.virt.vnc import rfb

try:
    from .conftest import TEST_URI
    from .conftest_ssh import HOST, SshBed
    from .guest import READY_MARKER, SerialConsole, guest_domain_xml
    from .sshbed import _start_sshd, _stop
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import READY_MARKER, SerialConsole, guest_domain_xml  # type: ignore[no-redef]
    from sshbed import _start_sshd, _stop  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
BOOT_TIMEOUT = 120.0

# A photo-like picture in rows 0..511 (a gradient with a little noise: QEMU
# takes a noiseless gradient for drawn graphics and keeps it lossless), a
# black band, and noise in rows 576..767. The guest's framebuffer in this
# mode has 3 bytes a pixel: B G R.
PICTURE = (
    "awk 'BEGIN{srand(7); for(y=0;y<16;y++) for(x=0;x<1024;x++) "
    'printf "%c%c%c", 1+int(x/5)+int(rand()*8), 60+y*4+int(rand()*8), '
    "240-int(x/5)+int(rand()*8)}' > /tmp/r0; "
    "for i in 1 2 3 4 5; do cat /tmp/r$((i-1)) /tmp/r$((i-1)) > /tmp/r$i; done; "
    "cat /tmp/r5 > /dev/fb0; "
    "dd if=/dev/zero of=/dev/fb0 bs=3072 seek=512 count=64 2>/dev/null; "
    "dd if=/dev/urandom of=/dev/fb0 bs=3072 seek=576 count=192 2>/dev/null; "
    "echo PICTURE$((6*7))\r"
)


async def until(predicate: Callable[[], Any], timeout: float, what: str) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(poll(), timeout)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


def _socket_opener(path: str) -> Any:
    async def open_socket(conn: Connection, uuid: str, info: Any) -> Channel:
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(path)
        sock.setblocking(False)
        return Channel(sock)

    return open_socket


@pytest.fixture
def lossy_guest(
    libvirt_conn: Any, guest_assets: Any, unique_guest_name: str
) -> Iterator[tuple[Any, str, SerialConsole]]:
    """A running guest at 1024×768 showing ``PICTURE``, with a second, lossy VNC display."""
    silence_stderr_printing()
    folder = Path(tempfile.mkdtemp(prefix="kvmdesk-lossy-", dir="/var/lib/libvirt/qemu"))
    shutil.chown(folder, "libvirt-qemu", "libvirt-qemu")
    path = str(folder / "vnc.sock")
    ET.register_namespace("qemu", QEMU_NS)
    root = ET.fromstring(guest_domain_xml(unique_guest_name, guest_assets))
    cmdline = root.find("./os/cmdline")
    assert cmdline is not None
    cmdline.text = f"{cmdline.text} vga=0x318 consoleblank=0"
    extra = ET.SubElement(root, f"{{{QEMU_NS}}}commandline")
    ET.SubElement(extra, f"{{{QEMU_NS}}}arg", value="-vnc")
    ET.SubElement(
        extra, f"{{{QEMU_NS}}}arg", value=f"unix:{path},id=lossy,lossy=on,non-adaptive=on"
    )
    dom = libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    dom.create()
    console = SerialConsole(libvirt_conn, dom)
    try:
        console.wait_for(READY_MARKER, BOOT_TIMEOUT)
        console.send("echo 0 > /sys/class/graphics/fbcon/cursor_blink\r")
        start = console.offset()
        console.send(PICTURE)
        console.wait_for("PICTURE42", 120, start)
        yield dom, path, console
    finally:
        console.close()
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def _differing(a: bytes, b: bytes, tolerance: int) -> float:
    """The fraction of pixels (B G R) with a component further apart than ``tolerance``."""
    count = sum(
        1
        for i in range(0, len(a), 3)
        if max(abs(a[i] - b[i]), abs(a[i + 1] - b[i + 1]), abs(a[i + 2] - b[i + 2])) > tolerance
    )
    return count / (len(a) // 3)


def test_every_encoding_gives_the_pixels_raw_gives(
    lossy_guest: tuple[Any, str, SerialConsole], manager: Any, run: Any
) -> None:
    dom, path, _console = lossy_guest
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    uuid = dom.UUIDString()
    lossless = (*rfb.PSEUDO_ENCODINGS,)
    kinds = {
        "raw": (rfb.RAW, *lossless),
        "zlib": (rfb.ZLIB, *lossless),
        "zrle": (rfb.ZRLE, *lossless),
        "tight": (rfb.TIGHT, *lossless),
        "jpeg": (rfb.TIGHT, *lossless, rfb.JPEG_QUALITY_0 + rfb.TUNNEL_JPEG_QUALITY),
    }
    sessions = {
        name: DisplaySession(conn, uuid, opener=_socket_opener(path), encodings=encodings)
        for name, encodings in kinds.items()
    }

    async def body() -> None:
        for session in sessions.values():
            session.start()
        for name, session in sessions.items():
            await until(
                lambda s=session: s.connected and s.framebuffer.width == 1024 and s.frames, 60, name
            )
        await asyncio.sleep(1.0)  # the first full frames have come
        shots = {}
        for name, session in sessions.items():
            fb = session.framebuffer
            assert fb is not None and (fb.width, fb.height) == (1024, 768), name
            pixels = bytearray(fb.data)
            del pixels[3::4]  # B G R: the fourth byte is padding, whatever the server put there
            shots[name] = bytes(pixels)
        clients = {name: s.client for name, s in sessions.items()}
        assert clients["zrle"] is not None and clients["zrle"].rects[rfb.ZRLE] > 0
        assert clients["tight"] is not None and clients["tight"].rects[rfb.TIGHT] > 0
        assert clients["jpeg"] is not None and clients["jpeg"].jpeg_rects > 0
        for name in ("zlib", "zrle", "tight"):
            assert shots[name] == shots["raw"], f"{name} differs from raw"
        # JPEG: close to the picture, not equal; the black band exact (a fill).
        # (Whether the noise goes as JPEG too is QEMU's guess: it is not compared.)
        picture, band = 512 * 1024 * 3, 576 * 1024 * 3
        assert _differing(shots["jpeg"][:picture], shots["raw"][:picture], 24) < 0.02
        assert shots["jpeg"][:picture] != shots["raw"][:picture]
        assert shots["jpeg"][picture:band] == shots["raw"][picture:band] == bytes(band - picture)

    try:
        run(body(), timeout=240)
    finally:
        for session in sessions.values():
            session.close()


def _hold_exclusively(sock: socket.socket) -> None:
    """What another viewer does: the handshake with shared-flag 0."""
    sock.settimeout(10)
    assert sock.recv(12) == b"RFB 003.008\n"
    sock.sendall(b"RFB 003.008\n")
    count = sock.recv(1)[0]
    types = sock.recv(count)
    assert 1 in types
    sock.sendall(b"\x01")
    assert sock.recv(4) == b"\0\0\0\0"
    sock.sendall(b"\x00")
    head = sock.recv(24)
    (name_length,) = struct.unpack(">I", head[20:24])
    sock.recv(name_length)


def test_a_display_held_by_another_viewer_is_said_and_taken_over(
    define_guest: Any, libvirt_conn: Any, manager: Any, run: Any
) -> None:
    silence_stderr_printing()
    dom = define_guest()
    dom.create()
    other = socket.socket(fileno=dom.openGraphicsFD(0, libvirt.VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH))
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    session = DisplaySession(conn, dom.UUIDString(), taken_recheck=1.0)

    async def body() -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, _hold_exclusively, other)
        session.start()
        await until(lambda: session.state is DisplayState.TAKEN, 60, "the taken display")
        assert "holds the display exclusively" in session.reason
        attempts = session.received
        await asyncio.sleep(2.5)
        assert session.received > attempts  # asked again by itself
        assert session.state is DisplayState.TAKEN
        session.take_over()
        await until(lambda: session.connected, 60, "the display, taken over")
        other.settimeout(10)
        data = b"x"
        while data:  # QEMU disconnected the other viewer
            data = await loop.run_in_executor(None, other.recv, 65536)

    try:
        run(body(), timeout=180)
    finally:
        session.close()
        other.close()
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()


@pytest.fixture
def socket_guest(libvirt_conn: Any, guest_assets: Any, unique_guest_name: str) -> Iterator[Any]:
    """A running guest whose only display listens on a UNIX socket (libvirt's choice of path)."""
    silence_stderr_printing()
    root = ET.fromstring(guest_domain_xml(unique_guest_name, guest_assets))
    graphics = root.find("./devices/graphics")
    assert graphics is not None
    for key in list(graphics.attrib):
        if key != "type":
            del graphics.attrib[key]
    ET.SubElement(graphics, "listen", type="socket")
    dom = libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    dom.create()
    try:
        yield dom
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()


async def _shown(conn: Connection, uuid: str) -> DisplaySession:
    session = DisplaySession(conn, uuid)
    session.start()
    await until(
        lambda: session.connected and session.frames > 0, 90, f"the display: {session.reason}"
    )
    return session


def test_a_socket_display_over_ssh_by_forwarding_then_by_socat(
    ssh_bed: SshBed, socket_guest: Any, manager: Any, run: Any
) -> None:
    uuid = socket_guest.UUIDString()
    conn: Connection = manager.add(f"qemu+ssh://{HOST}/system", persist=False)
    assert run(conn.open_and_wait()), conn.failure
    session = run(_shown(conn, uuid), timeout=120)
    try:
        assert session.info is not None and session.info.socket_path.endswith(".sock")
        channel = session._channel
        assert channel is not None and channel.process is not None
        assert "-L" in channel.process.args  # OpenSSH's own forwarding
    finally:
        session.close()

    # A host whose sshd forbids socket forwarding: socat on the host relays.
    with _host_without(ssh_bed, "kvmdesk-test-no-socket-forwarding") as alias:
        remote: Connection = manager.add(f"qemu+ssh://{alias}/system", persist=False)
        assert run(remote.open_and_wait()), remote.failure
        session = run(_shown(remote, uuid), timeout=120)
        try:
            channel = session._channel
            assert channel is not None and channel.process is not None
            assert channel.process.args[-1].startswith("socat - UNIX-CONNECT:")
        finally:
            session.close()


def test_a_socket_display_over_ssh_by_nc_where_socat_is_missing_too(
    ssh_bed: SshBed, socket_guest: Any, manager: Any, run: Any
) -> None:
    uuid = socket_guest.UUIDString()
    with _host_without(ssh_bed, "kvmdesk-test-nc-only", "socat") as alias:
        remote: Connection = manager.add(f"qemu+ssh://{alias}/system", persist=False)
        assert run(remote.open_and_wait()), remote.failure
        session = run(_shown(remote, uuid), timeout=120)
        try:
            assert session.info is not None
            channel = session._channel
            assert channel is not None and channel.process is not None
            assert channel.process.args[-1] == f"nc -U {session.info.socket_path}"
            screen = session.framebuffer
            assert screen is not None and screen.width > 0 and screen.height > 0
        finally:
            session.close()


def test_when_every_way_to_a_socket_display_fails_each_reason_is_said(ssh_bed: SshBed) -> None:
    with (
        _host_without(ssh_bed, "kvmdesk-test-no-relay", "socat", "nc") as alias,
        pytest.raises(Unreachable) as caught,
    ):
        open_socket_display(f"qemu+ssh://{alias}/system", "/run/libvirt/qemu/none.sock")
    message = str(caught.value)
    assert message.startswith(
        "The display listens on a socket on the host (/run/libvirt/qemu/none.sock), "
        "and ssh could not reach it: "
    )
    forward, socat, nc = message.split("reach it: ", 1)[1].split("; ")
    assert forward.startswith("OpenSSH socket forwarding: ") and "open failed" in forward, message
    assert socat.startswith("socat: ") and "not found" in socat, message
    assert nc.startswith("nc: ") and "not found" in nc, message


@contextlib.contextmanager
def _host_without(ssh_bed: SshBed, alias: str, *missing: str) -> Iterator[str]:
    """A second sshd on the bed's keys whose sshd forbids socket forwarding and
    whose sessions find none of the ``missing`` programs on their PATH; its alias."""
    root = Path(tempfile.mkdtemp(prefix="kvmdesk-ssh-nofwd-"))
    for name in ("host_ed25519", "host_ed25519.pub", "authorized_keys"):
        shutil.copy(ssh_bed.root / name, root / name)
    (root / "host_ed25519").chmod(0o600)
    lines = ["AllowStreamLocalForwarding no"]
    if missing:
        lines.append(f"SetEnv PATH={_path_without(root / 'bin', missing)}")
    proc, port = _start_sshd(root, tuple(lines))
    try:
        yield ssh_bed.add_host(alias, port=port)
    finally:
        _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


def _path_without(folder: Path, missing: tuple[str, ...]) -> Path:
    """A folder of links to the system's programs, but for ``missing``."""
    folder.mkdir()
    for place in ("/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        for program in Path(place).iterdir() if Path(place).is_dir() else ():
            link = folder / program.name
            if program.name not in missing and not link.is_symlink():
                link.symlink_to(program)
    return folder
