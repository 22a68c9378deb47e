"""Display scenario: the live VNC view of a real QEMU guest.

Measured on the real ``qemu:///system`` with the integration tests' tiny
guest in the 1024×768 VESA mode (``vga=0x318``, the kernel's framebuffer
console, its cursor blink switched off so that only what the benchmark
does changes the screen), through ``DisplaySession`` and ``DisplayView``:

* ``display_key_ms``: a key sent (a QEMU extended key event) until the view
  has painted the guest's echo of it, p50/p99; locally and over
  ``qemu+ssh://`` through the test bed's sshd behind the tests' TCP proxy at
  300 ms round trip;
* ``display_fps``, ``display_cpu_pct``: frames per second reaching the view,
  and CPU of this process in % of one core, while the guest redraws its
  whole screen continuously (random pixels and black in turn);
* ``display_stall_ms_max``: the longest the event loop was kept from
  turning meanwhile;
* ``display_static_cpu_pct``: CPU while the guest's screen does not change;
* ``display_ssh_kbps_zlib`` / ``_raw``: bytes per second through the ssh
  tunnel for the same redraw, with the zlib encoding and with Raw only.

Run alone: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.display``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from benchmarks.common import percentile
from benchmarks.viewer import _integration_modules, booted_guest

URI = os.environ.get("KVMDESK_TEST_URI", "qemu:///system")
SSH_HOST = "kvmdesk-test"
RTT_MS = 300
WINDOW_S = 10.0

REDRAW = (
    "head -c 2400000 /dev/urandom > /tmp/r; "
    "while :; do cat /tmp/r > /dev/fb0; head -c 2400000 /dev/zero > /dev/fb0; done"
)

DEFINITIONS = {
    "display_key_ms": (
        "Display tab: a key sent to the guest (QEMU extended key event) until the view "
        "painted the guest's echo of it; p50/p99, locally and over qemu+ssh:// behind a "
        "300 ms round-trip proxy. Target: p50 <= 30 ms locally. Most of it is QEMU's: "
        "it looks for changed pixels on a timer (every 30 ms, slower while nothing "
        "changes); display_key_client_ms is kvmdesk's part, from the frame decoded "
        "to the view painted."
    ),
    "display_fps": (
        "frames per second painted while the 1024x768 guest redraws its whole screen "
        "continuously (local: Raw encoding). Target: >= 30."
    ),
    "display_cpu_pct": "CPU of kvmdesk in % of one core during that redraw. Target: <= 60.",
    "display_stall_ms_max": (
        "the longest gap between two turns of the event loop during that redraw. Target: <= 50."
    ),
    "display_static_cpu_pct": (
        "CPU in % of one core while the guest's screen is static. Target: <= 1."
    ),
    "display_ssh_kbps": (
        "kB/s received through the ssh tunnel during the full-screen redraw, with zlib "
        "and with Raw only (no proxy)."
    ),
}


def checks() -> list[tuple[str, str, str, str, float | None, bool]]:
    return [
        ("display_key_ms_local_p50", "value", "display key->pixels p50, local", "ms", 30.0, False),
        ("display_key_ms_local_p99", "value", "display key->pixels p99, local", "ms", None, False),
        (
            "display_key_client_ms_p50",
            "value",
            "  of which kvmdesk (decoded->painted)",
            "ms",
            None,
            False,
        ),
        ("display_key_ms_ssh300_p50", "value", "display key p50, ssh 300 ms", "ms", None, False),
        ("display_key_ms_ssh300_p99", "value", "display key p99, ssh 300 ms", "ms", None, False),
        ("display_fps", "value", "display fps, full redraw 1024x768", "fps", 30.0, True),
        ("display_cpu_pct", "value", "display CPU, full redraw", "%", 60.0, False),
        ("display_stall_ms_max", "value", "display loop stall, full redraw", "ms", 50.0, False),
        ("display_static_cpu_pct", "value", "display CPU, static screen", "%", 1.0, False),
        ("display_ssh_kbps_zlib", "value", "display over ssh, zlib", "kB/s", None, False),
        ("display_ssh_kbps_raw", "value", "display over ssh, raw", "kB/s", None, False),
    ]


def _cpu_seconds() -> float:
    usage = os.times()
    return usage.user + usage.system


class Probe:
    """Paint times of a view, and the loop's longest gap while ``watching``."""

    def __init__(self, session: Any) -> None:
        self.paints: list[float] = []
        self.updates: list[float] = []  # frames decoded (before their paint)
        session.updated.connect(lambda _rects: self.updates.append(time.monotonic()))
        self.gaps: list[float] = []
        self.watching = False
        session.framePainted.connect(lambda: self.paints.append(time.monotonic()))

    async def heartbeat(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            if self.watching:
                self.gaps.append(now - last - 0.005)
            last = now


async def _open(uri: str, uuid: str, encodings: tuple[int, ...] | None = None) -> tuple[Any, ...]:
    from kvmdesk.core.connection import Connection
    from kvmdesk.core.display import DisplaySession
    from kvmdesk.ui.domain.display.display_view import DisplayView, Scale

    conn = Connection(uri)
    if not await conn.open_and_wait():
        raise RuntimeError(f"cannot open {uri}: {conn.failure}")
    session = DisplaySession(conn, uuid, encodings=encodings)
    view = DisplayView()
    view.set_scale(Scale.ONE_TO_ONE)
    view.resize(1024, 768)
    view.show()
    view.set_session(session)
    probe = Probe(session)
    session.start()
    deadline = time.monotonic() + 60
    while not (session.connected and session.frames) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if not session.connected:
        raise RuntimeError(f"the display did not connect over {uri}: {session.reason}")
    return conn, session, view, probe


async def _close(conn: Any, session: Any, view: Any) -> None:
    session.close()
    view.set_session(None)
    view.deleteLater()
    await conn.shutdown()


async def _keys(
    session: Any, probe: Probe, samples: int, timeout: float, client: list[float] | None = None
) -> list[float]:
    from kvmdesk.virt.vnc.scancodes import qnum

    letters = [(30, "a"), (48, "b"), (46, "c"), (32, "d"), (18, "e")]
    times: list[float] = []
    for i in range(samples + 2):
        code, char = random.choice(letters)
        if i % 40 == 39:  # Enter now and then, so that the line never wraps
            code, char = 28, "\r"
        probe.paints.clear()
        probe.updates.clear()
        sent = time.monotonic()
        session.key(qnum(code), ord(char), True)
        session.key(qnum(code), ord(char), False)
        deadline = sent + timeout
        while not probe.paints and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
        if probe.paints:
            times.append((probe.paints[0] - sent) * 1000)
            if client is not None and probe.updates and i >= 2:
                client.append((probe.paints[0] - probe.updates[0]) * 1000)
        await asyncio.sleep(0.15 if timeout < 5 else 0.05)
    return times[2:]


async def _redraw(session: Any, probe: Probe, console: Any) -> dict[str, float]:
    console.send("(" + REDRAW + ") & echo $! > /tmp/redraw.pid\r")
    await asyncio.sleep(3.0)
    frames, received, cpu = session.frames, session.received, _cpu_seconds()
    probe.gaps.clear()
    probe.watching = True
    started = time.monotonic()
    await asyncio.sleep(WINDOW_S)
    elapsed = time.monotonic() - started
    probe.watching = False
    result = {
        "fps": (session.frames - frames) / elapsed,
        "cpu_pct": (_cpu_seconds() - cpu) / elapsed * 100,
        "kbps": (session.received - received) / elapsed / 1000,
        "stall_ms": max(probe.gaps, default=0.0) * 1000,
    }
    console.send("kill $(cat /tmp/redraw.pid)\r")
    await asyncio.sleep(2.0)
    return result


async def _static_cpu(session: Any) -> dict[str, float]:
    await asyncio.sleep(2.0)
    cpu, frames, received = _cpu_seconds(), session.frames, session.received
    started = time.monotonic()
    await asyncio.sleep(WINDOW_S)
    elapsed = time.monotonic() - started
    return {
        "cpu_pct": (_cpu_seconds() - cpu) / elapsed * 100,
        "fps": (session.frames - frames) / elapsed,
        "kbps": (session.received - received) / elapsed / 1000,
    }


def run(quick: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    import libvirt
    import qasync

    from kvmdesk.core.eventloop import register_once
    from kvmdesk.virt.errors import silence_stderr_printing
    from kvmdesk.virt.vnc import rfb

    silence_stderr_printing()
    virt = libvirt.open(URI)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # the measured views come and go
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    guest, sshbed = _integration_modules()
    sys.path.insert(0, str(Path(guest.__file__).parent))
    from tcpproxy import TcpProxy  # type: ignore[import-not-found]

    samples = 20 if quick else 100
    figures: dict[str, object] = {}
    details: dict[str, Any] = {}

    async def local(uuid: str, console: Any) -> None:
        conn, session, view, probe = await _open(URI, uuid)
        beat = asyncio.ensure_future(probe.heartbeat())
        try:
            client: list[float] = []
            keys = await _keys(session, probe, samples, timeout=2.0, client=client)
            figures["display_key_client_ms_p50"] = round(percentile(client, 50), 1)
            await asyncio.sleep(0.5)
            figures["display_key_ms_local_p50"] = round(percentile(keys, 50), 1)
            figures["display_key_ms_local_p99"] = round(percentile(keys, 99), 1)
            redraw = await _redraw(session, probe, console)
            figures["display_fps"] = round(redraw["fps"], 1)
            figures["display_cpu_pct"] = round(redraw["cpu_pct"], 1)
            figures["display_stall_ms_max"] = round(redraw["stall_ms"], 1)
            details["local_redraw"] = redraw
            beat.cancel()  # its own wake-ups would count as CPU of a static screen
            static = await _static_cpu(session)
            figures["display_static_cpu_pct"] = round(static["cpu_pct"], 2)
            details["local_static"] = static
        finally:
            beat.cancel()
            await _close(conn, session, view)

    async def remote(uuid: str, console: Any, bed: Any) -> None:
        for name, encodings in (
            ("zlib", rfb.DEFAULT_ENCODINGS),
            ("raw", (rfb.RAW, *rfb.PSEUDO_ENCODINGS)),
        ):
            conn, session, view, probe = await _open(
                f"qemu+ssh://{SSH_HOST}/system", uuid, encodings
            )
            try:
                redraw = await _redraw(session, probe, console)
                figures[f"display_ssh_kbps_{name}"] = round(redraw["kbps"], 1)
                details[f"ssh_redraw_{name}"] = redraw
            finally:
                await _close(conn, session, view)
        with TcpProxy(bed.port) as proxy:
            alias = bed.add_host(f"kvmdesk-bench-display-{proxy.port}", port=proxy.port)
            proxy.set_latency(RTT_MS / 2000)
            conn, session, view, probe = await _open(f"qemu+ssh://{alias}/system", uuid)
            try:
                keys = await _keys(session, probe, max(10, samples // 5), timeout=10.0)
                figures["display_key_ms_ssh300_p50"] = round(percentile(keys, 50), 1)
                figures["display_key_ms_ssh300_p99"] = round(percentile(keys, 99), 1)
            finally:
                await _close(conn, session, view)

    try:
        with booted_guest(guest, virt, " vga=0x318") as dom:
            console = guest.SerialConsole(virt, dom)
            try:
                console.send("echo 0 > /sys/class/graphics/fbcon/cursor_blink\r")
                console.send("sleep 999999 < /dev/tty1 &\r")  # tty1 open: it echoes keys
                time.sleep(1.0)
                uuid = dom.UUIDString()
                loop.run_until_complete(local(uuid, console))
                with contextlib.ExitStack() as stack:
                    try:
                        bed = stack.enter_context(sshbed.ssh_bed())
                    except sshbed.BedUnavailable as exc:
                        details["notes"] = f"no ssh figures: {exc}"
                    else:
                        loop.run_until_complete(remote(uuid, console, bed))
            finally:
                console.close()
    finally:
        virt.close()
        loop.close()
    figures["display_details"] = details
    return figures, dict(DEFINITIONS)


def main() -> None:
    figures, _definitions = run("--quick" in sys.argv)
    print(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
