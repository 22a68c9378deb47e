"""Remote host figures: a 1,000-domain ``test+ssh://`` host behind a slow link.

``python -m benchmarks.remote [--rtt-ms 300] [--n 1000] [--json FILE]``

The test sshd of the integration tests (``tests/integration/sshbed.py``)
listens on 127.0.0.1; the TCP proxy of the tests (``tcpproxy.py``) sits
between ssh and sshd and delays every byte by half the round trip in each
direction. The measured process is a real kvmdesk window (offscreen) with
the default timings (keepalive, backoff); a 10 ms GUI-thread heartbeat
records stalls.

Figures:

* ``remote_populated_s``: ``Connection.open()`` until the tree holds every
  domain of the host and the viewport has painted, ssh handshake included;
* ``remote_first_rows_s``: ``Connection.open()`` until the tree holds its
  first domain rows (the rest follow in slices, a few milliseconds a turn);
* ``remote_ui_stall_ms_max``: the longest heartbeat gap meanwhile;
* ``remote_round_trips``: client-to-server turns the proxy saw until then
  (ssh handshake and libvirt calls: the cost of a remote host);
* ``remote_floor_s`` and ``remote_floor_round_trips``: the same for a plain
  process (``benchmarks.floor --uri``: libvirt.open and one
  ``getAllDomainStats``, no event loop) through the same proxy just before;
  ``remote_beyond_floor_s`` is kvmdesk's share. kvmdesk's one round trip
  more is libvirt's own: with an event loop registered, its open asks the
  server whether it speaks keepalive before ``CONNECT_OPEN``;
* ``remote_floor_events_s`` and ``remote_floor_events_round_trips``: the
  plain process with libvirt's default event loop registered (``--events``),
  the floor of any client that hears events and keepalives;
  ``remote_beyond_events_floor_s`` is kvmdesk's share above that one;
* ``disconnect_detect_s``: the link black-holed until the row is no longer
  "Connected" (keepalive);
* ``reconnect_s``: the link back (and the dead links cut, as a router
  reboot does) until the row is "Connected" again with its domains;
  ``reconnect_backoff_s`` is the wait that was left of the backoff step then.

Needs root (the sshd logs in as root) and libvirtd; ``make bench`` runs it
in a child process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, host_xml

DEFINITIONS = {
    "remote_populated_s": "test+ssh host of N domains behind a proxy adding the round trip: "
    "open() until the tree holds every domain and painted, ssh handshake included",
    "remote_first_rows_s": "open() until the tree holds the host's first domain rows "
    "(polled every 5 ms)",
    "remote_ui_stall_ms_max": "longest gap of a 10 ms GUI-thread heartbeat while populating",
    "remote_round_trips": "client-to-server turns through the proxy until populated "
    "(ssh handshake + libvirt calls)",
    "remote_floor_s": "plain process (PySide6 + libvirt imported, no event loop) through the "
    "same proxy: libvirt.open until one getAllDomainStats answered",
    "remote_floor_round_trips": "client-to-server turns of that plain process until listed",
    "remote_beyond_floor_s": "remote_populated_s - remote_floor_s: kvmdesk's share",
    "remote_floor_events_s": "the same plain process with libvirt's default event loop "
    "registered: its open asks whether the server speaks keepalive (one round trip more)",
    "remote_floor_events_round_trips": "client-to-server turns of that process until listed",
    "remote_beyond_events_floor_s": "remote_populated_s - remote_floor_events_s: kvmdesk's share "
    "above a client that also hears events",
    "disconnect_detect_s": "proxy black-holes the link until the row leaves Connected "
    "(default keepalive)",
    "reconnect_s": "link restored and dead links cut until the row is Connected again",
    "reconnect_backoff_s": "part of reconnect_s spent waiting for the backoff step",
    "reconnect_handshake_s": "part of reconnect_s from the last attempt's start: ssh handshake, "
    "libvirt open, first listing",
}


class Heartbeat:
    """Largest gap between beats of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._beat)
        self.last = time.monotonic()
        self.max_gap = 0.0

    def _beat(self) -> None:
        now = time.monotonic()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last = time.monotonic()
        self.max_gap = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return round(self.max_gap * 1000, 1)


async def _until(check: Callable[[], bool], timeout: float, what: str) -> float:
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.005)
    return time.monotonic() - start


async def floor(
    uris: list[str], at_result: Callable[[], Any] = lambda: None, events: bool = False
) -> list[float]:
    """Seconds from the first open until each URI was listed, in a plain child
    process (``benchmarks.floor --uri``, with an event loop if ``events``);
    the bed's ssh is on its PATH. ``at_result`` runs once the child has
    listed, before it closes its links."""
    args = [arg for uri in uris for arg in ("--uri", uri)] + (["--events"] if events else [])
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.floor",
        *args,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    result: dict[str, Any] | None = None
    async for raw in child.stdout:
        line = raw.decode()
        if line.startswith("RESULT "):
            result = json.loads(line.split(" ", 1)[1])
            at_result()
            break
    child.stdin.close()
    await child.wait()
    if result is None:
        raise RuntimeError(f"the floor printed no result (exit status {child.returncode})")
    if result["failed"]:
        raise RuntimeError(f"the floor could not list: {result['failed']}")
    return list(result["listed_s"])


async def scenario(n: int, rtt_ms: float, bed: Any, proxy_cls: Any) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from kvmdesk.app import build
    from kvmdesk.core.connection import ConnState
    from kvmdesk.core.settings import Settings
    from kvmdesk.core.timing import Timing

    data = bed.root / "bench-data"
    data.mkdir(mode=0o755, exist_ok=True)
    host_file = data / f"host-{n}.xml"
    shutil.copy(host_xml(n), host_file)
    result: dict[str, Any] = {"domains": n, "rtt_ms": rtt_ms}
    with tempfile.TemporaryDirectory(prefix="kvmdesk-bench-") as tmp, proxy_cls(bed.port) as proxy:
        alias = bed.add_host(f"kvmdesk-bench-proxy-{proxy.port}", port=proxy.port)
        proxy.set_latency(rtt_ms / 2000)
        services = build(Settings(Path(tmp) / "kvmdesk.ini"), Timing())
        window = services.window
        window.show()
        model = window.model
        beat = Heartbeat()
        uri = f"test+ssh://{alias}{host_file}"
        proxy.turns = 0
        floor_turns: list[int] = []
        result["remote_floor_s"] = (await floor([uri], lambda: floor_turns.append(proxy.turns)))[0]
        result["remote_floor_round_trips"] = floor_turns[0]
        proxy.turns = 0
        result["remote_floor_events_s"] = (
            await floor([uri], lambda: floor_turns.append(proxy.turns), events=True)
        )[0]
        result["remote_floor_events_round_trips"] = floor_turns[1]
        await asyncio.sleep(0.2)
        QApplication.processEvents()
        try:
            beat.start()
            proxy.turns = 0
            started = time.monotonic()
            conn = services.manager.add(uri, persist=False)
            conn.open()

            def rows() -> int:
                parent = model.index_of_connection(conn)
                return model.rowCount(parent) if parent.isValid() else 0

            def populated() -> bool:
                return rows() == n

            await _until(lambda: rows() > 0, 300, "the first rows")
            result["remote_first_rows_s"] = round(time.monotonic() - started, 3)
            await _until(populated, 300, "populating")
            window.tree.viewport().repaint()
            result["remote_populated_s"] = round(time.monotonic() - started, 3)
            result["remote_round_trips"] = proxy.turns
            result["remote_beyond_floor_s"] = round(
                result["remote_populated_s"] - result["remote_floor_s"], 3
            )
            result["remote_beyond_events_floor_s"] = round(
                result["remote_populated_s"] - result["remote_floor_events_s"], 3
            )
            await asyncio.sleep(0)
            result["remote_ui_stall_ms_max"] = beat.stop()

            # Let the full host record and a stats tick through: a link
            # that dies with calls queued is the usual case, not the only one.
            await _until(lambda: conn.host is not None, 120, "the host record")
            await asyncio.sleep(conn.timing.stats_interval + 1)
            proxy.black_hole()
            result["disconnect_detect_s"] = round(
                await _until(lambda: conn.state is not ConnState.CONNECTED, 120, "the dead link"),
                3,
            )
            result["disconnected_as"] = conn.failure.message if conn.failure else ""
            await asyncio.sleep(3)  # a retry or two fail into the black hole
            attempts: list[float] = []  # when each later attempt began
            conn.stateChanged.connect(
                lambda: (
                    attempts.append(time.monotonic())
                    if conn.state is ConnState.CONNECTING
                    else None
                )
            )
            proxy.restore()
            proxy.cut_all()
            restored = time.monotonic()
            result["reconnect_s"] = round(
                await _until(
                    lambda: conn.state is ConnState.CONNECTED and populated(), 300, "reconnect"
                ),
                3,
            )
            done = time.monotonic()
            last = attempts[-1] if attempts else restored
            # The wait for the backoff step, then the handshake and listing.
            result["reconnect_backoff_s"] = round(max(0.0, last - restored), 3)
            result["reconnect_handshake_s"] = round(done - max(last, restored), 3)
        finally:
            beat.timer.stop()
            await services.manager.shutdown()
            window.hide()
            window.deleteLater()
    return result


def in_ssh_bed(scenario_fn: Callable[[Any, Any], Any]) -> Any:
    """Set up Qt, the loop, the ssh bed; run ``scenario_fn(bed, TcpProxy)``'s coroutine."""
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    import qasync
    from PySide6.QtWidgets import QApplication
    from sshbed import ssh_bed  # type: ignore[import-not-found]
    from tcpproxy import TcpProxy  # type: ignore[import-not-found]

    from kvmdesk.core.eventloop import register_once
    from kvmdesk.virt.errors import silence_stderr_printing

    app = QApplication.instance() or QApplication(["kvmdesk-bench"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    silence_stderr_printing()
    with ssh_bed() as bed, loop:
        return loop.run_until_complete(scenario_fn(bed, TcpProxy))


def measure(n: int = 1000, rtt_ms: float = 300.0) -> dict[str, Any]:
    """The raw figures of one host of ``n`` domains behind ``rtt_ms``."""
    return dict(in_ssh_bed(lambda bed, proxy: scenario(n, rtt_ms, bed, proxy)))


def run(quick: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """(figures, definitions) as ``make bench`` records them."""
    raw = measure()
    case = f"{raw['domains']}@{raw['rtt_ms']:g}ms"
    figures: dict[str, Any] = {
        key: {case: raw[key]}
        for key in (
            "remote_populated_s",
            "remote_first_rows_s",
            "remote_ui_stall_ms_max",
            "remote_round_trips",
            "remote_floor_s",
            "remote_floor_round_trips",
            "remote_beyond_floor_s",
            "remote_floor_events_s",
            "remote_floor_events_round_trips",
            "remote_beyond_events_floor_s",
            "disconnect_detect_s",
            "reconnect_s",
            "reconnect_backoff_s",
            "reconnect_handshake_s",
        )
    }
    figures["remote_detail"] = {"disconnected_as": raw["disconnected_as"]}
    return figures, DEFINITIONS


def checks() -> list[tuple[str, str, str, str, float | None]]:
    """(figure, case, label, unit, limit) rows for the results table."""
    case = "1000@300ms"
    return [
        ("remote_populated_s", case, "remote: 1,000 shown at 300 ms RTT", "s", 5.0),
        ("remote_first_rows_s", case, "remote: first rows in the tree", "s", None),
        ("remote_ui_stall_ms_max", case, "remote: stall while populating", "ms", 50.0),
        ("remote_round_trips", case, "remote: round trips to populate", "", None),
        ("remote_floor_s", case, "remote: floor (open + one bulk call)", "s", None),
        ("remote_floor_round_trips", case, "remote: floor's round trips", "", None),
        ("remote_beyond_floor_s", case, "remote: kvmdesk beyond the floor", "s", 0.3),
        ("remote_floor_events_s", case, "remote: floor with an event loop", "s", None),
        ("remote_floor_events_round_trips", case, "remote: its round trips", "", None),
        ("remote_beyond_events_floor_s", case, "remote: kvmdesk beyond that floor", "s", None),
        ("disconnect_detect_s", case, "remote: dead link shown", "s", 15.0),
        ("reconnect_s", case, "remote: back after link returns", "s", None),
        ("reconnect_backoff_s", case, "  of which backoff wait", "s", None),
        ("reconnect_handshake_s", case, "  of which ssh + libvirt + list", "s", 5.0),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.remote", description=__doc__.split("\n")[0]
    )
    p.add_argument("--n", type=int, default=1000, help="domains on the remote host")
    p.add_argument("--rtt-ms", type=float, default=300.0, help="round trip the proxy adds")
    p.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = p.parse_args(argv)
    figures = measure(args.n, args.rtt_ms)
    for key, value in figures.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
