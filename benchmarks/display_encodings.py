"""Display encodings scenario: Raw, zlib, ZRLE, Tight and Tight with JPEG through ssh.

The integration tests' tiny guest at 1024×768 (``vga=0x318``) redraws its
whole screen continuously, a photo-like picture (a gradient with a little
noise) and black in turn. Its QEMU has a second VNC display on a UNIX
socket with ``lossy=on`` (through libvirt's qemu namespace; without it QEMU
never sends JPEG), reached over ``qemu+ssh://`` through the test bed's sshd
by OpenSSH's socket forwarding (``core.display_socket``). One
``DisplaySession`` per encoding, one after another, each for the same
window, measures:

* ``display_enc_kbps``: kB/s received through the tunnel;
* ``display_enc_fps``: frames decoded per second;
* ``display_enc_decode_ms``: time in the RFB decoder per frame (kvmdesk's CPU
  cost of the encoding; QEMU's cost shows in the frame rate).

``display_enc_details`` counts the rectangles QEMU sent, by encoding.

Run alone: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.display_encodings
[--quick] [kind ...]`` (kinds: ``KINDS``; all by default).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from PySide6.QtWidgets import QApplication

from benchmarks.viewer import _integration_modules

SSH_HOST = "kvmdesk-test"
WINDOW_S = 10.0
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
FRAME = 1024 * 768 * 3  # the guest's framebuffer: B G R

# 16 rows of gradient with noise, doubled to 512, plus 256: a full picture.
REDRAW = (
    "awk 'BEGIN{srand(7); for(y=0;y<16;y++) for(x=0;x<1024;x++) "
    'printf "%c%c%c", 1+int(x/5)+int(rand()*8), 60+y*4+int(rand()*8), '
    "240-int(x/5)+int(rand()*8)}' > /tmp/r0; "
    "for i in 1 2 3 4 5; do cat /tmp/r$((i-1)) /tmp/r$((i-1)) > /tmp/r$i; done; "
    "cat /tmp/r5 /tmp/r4 > /tmp/pic; "
    f"(while :; do cat /tmp/pic > /dev/fb0; head -c {FRAME} /dev/zero > /dev/fb0; done) & "
    "echo $! > /tmp/redraw.pid\r"
)

KINDS = (
    "raw",
    "zlib",
    "zrle",
    "tight",
    "tight_jpeg",
    "own_tight_jpeg",
    "own_zrle",
    "own_tight_jpeg_link",
    "own_zrle_link",
    "tunnel",
)
OWN_DISPLAY = ("own_tight_jpeg", "own_zrle", "own_tight_jpeg_link", "own_zrle_link", "tunnel")
"""Measured on libvirt's own display (never lossy), reached the way the Display tab reaches it."""
LINK_RATE = 1_250_000
"""The ``*_link`` kinds go through the tests' TCP proxy at this many bytes a
second each way (10 Mbit/s: a remote host's uplink or a VPN)."""
ENCODING_NAMES = {0: "raw", 1: "copyrect", 6: "zlib", 7: "tight", 16: "zrle"}

DEFINITIONS = {
    "display_enc_kbps": (
        "Display over ssh (socket forwarding), 1024x768 guest redrawing a photo-like "
        "picture and black in turn: kB/s received, by encoding."
    ),
    "display_enc_fps": "The same redraw: frames decoded per second, by encoding.",
    "display_enc_decode_ms": (
        "The same redraw: ms in kvmdesk's RFB decoder per frame, by encoding "
        "(tight_jpeg: Tight with JPEG quality 6 from a lossy=on display; own_*: from "
        "libvirt's own display (lossy off) through ssh, own_tight_jpeg asking Tight with "
        "JPEG first, own_zrle ZRLE first, *_link the same through a 10 Mbit/s link; "
        "tunnel: what kvmdesk asks over ssh, there)."
    ),
}


def checks() -> list[tuple[str, str, str, str, float | None, bool]]:
    rows: list[tuple[str, str, str, str, float | None, bool]] = []
    for kind in KINDS:
        rows += [
            (f"display_enc_{kind}_kbps", "value", f"display over ssh, {kind}", "kB/s", None, False),
            (f"display_enc_{kind}_fps", "value", f"display over ssh, {kind}", "fps", None, False),
            (
                f"display_enc_{kind}_decode_ms",
                "value",
                f"display decode per frame, {kind}",
                "ms",
                None,
                False,
            ),
        ]
    return rows


@contextlib.contextmanager
def lossy_guest(guest: Any, virt: Any) -> Iterator[tuple[Any, str]]:
    """A running 1024×768 guest with a second, lossy VNC display on a socket."""
    import libvirt

    assets = guest.ensure_guest_assets()
    name = f"kvmdesk-test-{os.getpid()}-{uuidlib.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="kvmdesk-lossy-", dir="/var/lib/libvirt/qemu"))
    shutil.chown(folder, "libvirt-qemu", "libvirt-qemu")
    path = str(folder / "vnc.sock")
    ET.register_namespace("qemu", QEMU_NS)
    root = ET.fromstring(guest.guest_domain_xml(name, assets))
    cmdline = root.find("./os/cmdline")
    assert cmdline is not None
    cmdline.text = f"{cmdline.text} vga=0x318 consoleblank=0"
    extra = ET.SubElement(root, f"{{{QEMU_NS}}}commandline")
    ET.SubElement(extra, f"{{{QEMU_NS}}}arg", value="-vnc")
    ET.SubElement(extra, f"{{{QEMU_NS}}}arg", value=f"unix:{path},id=lossy,lossy=on")
    dom = virt.defineXML(ET.tostring(root, encoding="unicode"))
    try:
        dom.create()
        yield dom, path
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()
        with contextlib.suppress(libvirt.libvirtError):
            dom.undefine()
        shutil.rmtree(folder, ignore_errors=True)


async def _measure(
    uri: str, uuid: str, path: str | None, encodings: tuple[int, ...]
) -> dict[str, float]:
    from kvmdesk.core.connection import Connection
    from kvmdesk.core.display import DisplaySession
    from kvmdesk.core.display_socket import open_socket_display

    async def opener(conn: Any, uuid: str, info: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(
            None, open_socket_display, conn.uri, path
        )

    conn = Connection(uri)
    if not await conn.open_and_wait():
        raise RuntimeError(f"cannot open {uri}: {conn.failure}")
    if path is None:  # libvirt's own display, the way the Display tab reaches it
        session = DisplaySession(conn, uuid, encodings=encodings)
    else:
        session = DisplaySession(conn, uuid, opener=opener, encodings=encodings)
    session.start()
    try:
        deadline = time.monotonic() + 60
        while not (session.connected and session.frames) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        client = session.client
        if not session.connected or client is None:
            raise RuntimeError(f"the display did not connect: {session.reason}")
        spent = [0.0]
        decode = client.process

        def timed(budget: int = 4 << 20) -> bool:
            started = time.perf_counter()
            try:
                return decode(budget)
            finally:
                spent[0] += time.perf_counter() - started

        client.process = timed  # type: ignore[method-assign]
        await asyncio.sleep(2.0)
        frames, received, spent[0] = session.frames, session.received, 0.0
        jpeg = client.jpeg_rects
        rects = dict(client.rects)
        started = time.monotonic()
        await asyncio.sleep(WINDOW_S)
        elapsed = time.monotonic() - started
        count = max(1, session.frames - frames)
        kilobytes = (session.received - received) / 1000
        return {
            "kb_per_frame": kilobytes / count,
            "kbps": (session.received - received) / elapsed / 1000,
            "fps": (session.frames - frames) / elapsed,
            "decode_ms": spent[0] / count * 1000,
            "jpeg_rects": client.jpeg_rects - jpeg,
            "rects": {
                ENCODING_NAMES[e]: n - rects.get(e, 0)
                for e, n in client.rects.items()
                if e in ENCODING_NAMES and n > rects.get(e, 0)
            },
        }
    finally:
        session.close()
        await conn.shutdown()


def run(
    quick: bool = False, only: tuple[str, ...] = ()
) -> tuple[dict[str, object], dict[str, str]]:
    import libvirt
    import qasync

    from kvmdesk.core.eventloop import register_once
    from kvmdesk.virt.errors import silence_stderr_printing
    from kvmdesk.virt.vnc import rfb

    global WINDOW_S
    if quick:
        WINDOW_S = 5.0
    silence_stderr_printing()
    virt = libvirt.open("qemu:///system")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    guest, sshbed = _integration_modules()
    from tcpproxy import TcpProxy  # type: ignore[import-not-found]  # beside guest

    pseudo = rfb.PSEUDO_ENCODINGS
    # kvmdesk's order over ssh before ZRLE came first
    former = (
        rfb.TIGHT,
        rfb.ZRLE,
        rfb.ZLIB,
        rfb.COPY_RECT,
        rfb.RAW,
        *pseudo,
        rfb.JPEG_QUALITY_0 + rfb.TUNNEL_JPEG_QUALITY,
    )
    kinds = {
        "raw": (rfb.RAW, *pseudo),
        "zlib": (rfb.ZLIB, *pseudo),
        "zrle": (rfb.ZRLE, *pseudo),
        "tight": (rfb.TIGHT, *pseudo),
        "tight_jpeg": (rfb.TIGHT, *pseudo, rfb.JPEG_QUALITY_0 + rfb.TUNNEL_JPEG_QUALITY),
        "own_tight_jpeg": former,
        "own_zrle": (rfb.ZRLE, rfb.ZLIB, rfb.COPY_RECT, rfb.RAW, *pseudo),
        "own_tight_jpeg_link": former,
        "own_zrle_link": (rfb.ZRLE, rfb.ZLIB, rfb.COPY_RECT, rfb.RAW, *pseudo),
        "tunnel": rfb.DEFAULT_ENCODINGS,
    }
    if only:
        kinds = {kind: kinds[kind] for kind in only}  # in the order asked
    figures: dict[str, object] = {}
    details: dict[str, Any] = {}
    try:
        with (
            lossy_guest(guest, virt) as (dom, path),
            sshbed.ssh_bed() as bed,
            TcpProxy(bed.port) as proxy,
        ):
            proxy.set_rate(LINK_RATE)
            link = bed.add_host(f"kvmdesk-bench-link-{proxy.port}", port=proxy.port)
            console = guest.SerialConsole(virt, dom)
            try:
                console.wait_for(guest.READY_MARKER, 120)
                console.send("echo 0 > /sys/class/graphics/fbcon/cursor_blink\r")
                console.send(REDRAW)
                time.sleep(5.0)
                for kind, encodings in kinds.items():
                    result = loop.run_until_complete(
                        _measure(
                            f"qemu+ssh://{link if kind.endswith('_link') else SSH_HOST}/system",
                            dom.UUIDString(),
                            None if kind in OWN_DISPLAY else path,
                            encodings,
                        )
                    )
                    details[kind] = result
                    figures[f"display_enc_{kind}_kbps"] = round(result["kbps"], 1)
                    figures[f"display_enc_{kind}_fps"] = round(result["fps"], 1)
                    figures[f"display_enc_{kind}_decode_ms"] = round(result["decode_ms"], 2)
                console.send("kill $(cat /tmp/redraw.pid)\r")
            finally:
                console.close()
    finally:
        virt.close()
        loop.close()
    figures["display_enc_details"] = details
    definitions = {
        f"display_enc_{kind}_{what}": DEFINITIONS[f"display_enc_{what}"]
        for kind in kinds
        for what in ("kbps", "fps", "decode_ms")
    }
    return figures, definitions


def main() -> None:
    unknown = [a for a in sys.argv[1:] if a != "--quick" and a not in KINDS]
    if unknown:
        sys.exit(f"unknown kind {', '.join(unknown)}; the kinds are {', '.join(KINDS)}")
    only = tuple(a for a in sys.argv[1:] if a in KINDS)
    figures, _definitions = run("--quick" in sys.argv, only)
    print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
