"""Viewer scenario: how long a screenshot takes to reach the screen.

``screenshot_ms`` p50/p99 for the Screenshot tab's path, ``ScreenshotFeed``
plus ``ScreenshotView``: from the moment the capture is requested (the
feed's request on the connection's worker: ``virDomainScreenshot``, reading
the stream, decoding) until one event-loop turn after the tab's canvas has
painted the new image. Measured on the real ``qemu:///system`` with the
integration tests' tiny guest (``tests/integration/guest.py``) at 720×400
(VGA text mode) and 1024×768 (VESA mode ``vga=0x318`` on the kernel command
line), locally and over ``qemu+ssh://`` through the test bed's sshd
(``tests/integration/sshbed.py``) when it can be started. The feed runs at
its 0.25 s interval so that the captures do not queue up behind each other.

Run alone: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.viewer``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from benchmarks.common import percentile

INTEGRATION = Path(__file__).resolve().parents[1] / "tests" / "integration"
URI = os.environ.get("KVMDESK_TEST_URI", "qemu:///system")
SSH_URI = "qemu+ssh://kvmdesk-test/system"
MODES = {"720x400": "", "1024x768": " vga=0x318"}
INTERVAL = 0.25
BOOT_TIMEOUT = 120.0

DEFINITIONS = {
    "screenshot_ms": (
        "Screenshot tab: from the capture request on the connection's worker "
        "(virDomainScreenshot, stream, decode) until one event-loop turn after "
        "the canvas painted the new image; p50/p99 per guest resolution and "
        "connection (local qemu:///system, qemu+ssh:// to 127.0.0.1); the feed "
        "captures every 0.25 s. Target: p50 <= 100 ms locally."
    ),
}


def _integration_modules() -> tuple[Any, Any]:
    if str(INTEGRATION) not in sys.path:
        sys.path.insert(0, str(INTEGRATION))
    import guest  # type: ignore[import-not-found]
    import sshbed  # type: ignore[import-not-found]

    return guest, sshbed


class PaintStamp(QObject):
    """Stamps one loop turn after each paint of ``widget``."""

    def __init__(self, widget: Any) -> None:
        super().__init__(widget)
        self.stamps: list[float] = []
        self._loop = asyncio.get_event_loop()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._loop.call_soon(lambda: self.stamps.append(time.monotonic()))
        return False


@contextlib.contextmanager
def booted_guest(guest: Any, virt: Any, extra_cmdline: str) -> Iterator[Any]:
    """A running test guest (named as the integration tests name theirs,
    so that their sweep removes it should this process die)."""
    import libvirt

    assets = guest.ensure_guest_assets()
    name = f"kvmdesk-test-{os.getpid()}-{uuidlib.uuid4().hex[:8]}"
    xml = guest.guest_domain_xml(name, assets)
    xml = xml.replace("console=ttyS0 quiet", "console=ttyS0 quiet" + extra_cmdline)
    dom = virt.defineXML(xml)
    try:
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        console = guest.SerialConsole(virt, dom)
        try:
            dom.resume()
            console.wait_for(guest.READY_MARKER, BOOT_TIMEOUT)
        finally:
            console.close()
        yield dom
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()
        with contextlib.suppress(libvirt.libvirtError):
            dom.undefine()


async def _measure(uri: str, uuid: str, samples: int, size: str) -> dict[str, Any]:
    from kvmdesk.core.connection import Connection
    from kvmdesk.ui.domain.screenshot.screenshot_view import ScreenshotView

    conn = Connection(uri)
    if not await conn.open_and_wait():
        raise RuntimeError(f"cannot open {uri}: {conn.failure}")
    view = ScreenshotView(INTERVAL)
    view.resize(480, 520)
    view.show()
    probe = PaintStamp(view.canvas)
    times: list[float] = []
    sizes: set[str] = set()
    pending: list[float] = []

    def on_frame(frame: Any) -> None:
        sizes.add(f"{frame.width}x{frame.height}")
        pending.append(frame.monotonic)
        probe.stamps.clear()

    view.feed.frame.connect(on_frame)
    try:
        view.show_domain(conn, uuid)
        view.set_shown(True)
        deadline = time.monotonic() + 30 + samples * 5
        while len(times) < samples + 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
            if pending and probe.stamps:
                times.append((probe.stamps[0] - pending[-1]) * 1000)
                pending.clear()
                probe.stamps.clear()
        view.set_shown(False)
    finally:
        view.feed.stop()
        view.hide()
        view.deleteLater()
        await conn.shutdown()
    times = times[2:]  # the first captures warm up the connection and caches
    if not times:
        raise RuntimeError(f"no screenshot reached the screen over {uri}")
    if sizes != {size}:
        raise RuntimeError(f"guest resolution {sorted(sizes)}, expected {size}")
    return {
        "p50": round(percentile(times, 50), 1),
        "p99": round(percentile(times, 99), 1),
        "max": round(max(times), 1),
        "n": len(times),
    }


def run(quick: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    import libvirt
    import qasync

    from kvmdesk.core.eventloop import register_once
    from kvmdesk.virt.errors import silence_stderr_printing

    silence_stderr_printing()
    # Guests are defined and watched through a connection opened before the
    # event implementation is registered: it needs no event loop, and its
    # domain objects may outlive the loop without touching it.
    virt = libvirt.open(URI)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    loop = asyncio.get_event_loop_policy().get_event_loop()
    own_loop = not isinstance(loop, qasync.QEventLoop)
    if own_loop:
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
    register_once(loop)
    guest, sshbed = _integration_modules()
    samples = 20 if quick else 100

    results: dict[str, Any] = {}
    notes: list[str] = []
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(sshbed.ssh_bed())
            remote = True
        except sshbed.BedUnavailable as exc:
            remote = False
            notes.append(f"no ssh figures: {exc}")
        try:
            for size, cmdline in MODES.items():
                with booted_guest(guest, virt, cmdline) as dom:
                    uuid = dom.UUIDString()
                    results[f"local_{size}"] = loop.run_until_complete(
                        _measure(URI, uuid, samples, size)
                    )
                    if remote:
                        results[f"ssh_{size}"] = loop.run_until_complete(
                            _measure(SSH_URI, uuid, samples, size)
                        )
        finally:
            virt.close()
            if own_loop:
                loop.close()  # joins the loop's executor threads before Qt goes away

    figures: dict[str, object] = {}
    for key, value in results.items():
        figures[f"screenshot_ms_{key}_p50"] = value["p50"]
        figures[f"screenshot_ms_{key}_p99"] = value["p99"]
    local = [v["p50"] for k, v in results.items() if k.startswith("local_")]
    figures["screenshot_ms_p50"] = max(local) if local else float("nan")
    figures["screenshot_ms_p99"] = max(
        (v["p99"] for k, v in results.items() if k.startswith("local_")), default=float("nan")
    )
    figures["viewer_details"] = {"runs": results, "notes": notes, "interval_s": INTERVAL}
    definitions = dict(DEFINITIONS)
    definitions["screenshot_ms_p50"] = "the larger local p50 of the two resolutions"
    definitions["screenshot_ms_p99"] = "the larger local p99 of the two resolutions"
    return figures, definitions


def main() -> None:
    quick = "--quick" in sys.argv
    figures, _definitions = run(quick)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
