"""Fleet figures: 50 ``test+ssh://`` hosts of 200 domains each behind a 300 ms link.

``python -m benchmarks.fleet [--hosts 50] [--n 200] [--rtt-ms 300] [--json FILE]``

Each host is its own test-driver file reached through the integration tests'
sshd (``tests/integration/sshbed.py``) and the TCP proxy (``tcpproxy.py``)
that delays every byte by half the round trip each way: one proxy for every
host but one, which has a proxy of its own so that it can be black-holed.
The proxies run in processes of their own (``proxy_process.py``): their
threads would otherwise compete with the window for the interpreter lock
and count in its CPU time.
The measured process is a real kvmdesk window (offscreen) with the default
timings; a 10 ms GUI-thread heartbeat records stalls.

Two runs, each in a fresh window:

* all hosts reachable: ``fleet_populated_s`` (the hosts are the saved
  connections of the window's settings, restored as at start-up, from the
  restore until every host's rows are in the tree), ``fleet_ui_stall_ms_max``,
  then ``fleet_idle_cpu_pct`` over an idle window (keepalives and stats
  ticks of every host, watched by the heartbeat too), ``fleet_rss_mb`` and
  ``fleet_ssh_processes``; then the first host's link is black-holed and
  ``fleet_lost_host_stall_ms_max`` is the longest gap until its keepalive
  gave up and 2 s more (teardown, retry scheduled, row updated); last
  ``fleet_close_stall_ms_max``, the longest gap while the manager closes
  every host (as when the window quits);
* one host black-holed before the start: ``fleet_populated_one_dead_s``
  until the other hosts' rows are all in the tree.

Before them ``fleet_floor_s``: a plain process (``benchmarks.floor --uri``)
opens and lists every host at once, a thread each, through the same bed:
the time no client can beat here, since every host's ssh handshake and
test-driver parse share this machine's cores.

The bed's server side (its sshd with every session, and libvirtd, which
serves every host's test driver) stands for fifty other machines but runs on
this one's two cores: by default it runs at nice 19 (``server_nice.py``),
taking the cores only when kvmdesk leaves them idle, and
``fleet_server_nice`` records the niceness it had (0: as it was before,
sharing the cores with kvmdesk on equal terms). The GUI thread's own CPU
per gap does not depend on it; its wait for a core and every wall-clock
figure (populated, stalls, the floor) do.

Needs root (the sshd logs in as root); ``make bench`` runs it in a child.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    cpu_seconds,
    gui_thread_wait_s,
    host_xml,
    rss_mb,
    thread_cpu,
    thread_cpu_delta,
)
from benchmarks.server_nice import SERVER_NICE, libvirtd_pid, lowered

DEFINITIONS = {
    "fleet_populated_s": "50 test+ssh hosts x 200 domains behind a 300 ms RTT proxy, saved "
    "connections restored as at start-up: from the restore until every host's rows are in "
    "the tree (server side at fleet_server_nice)",
    "fleet_ui_stall_ms_max": "longest gap of a 10 ms GUI-thread heartbeat while the fleet "
    "populates (server side at fleet_server_nice)",
    "fleet_ui_stall_cpu_ms_max": "the most CPU the GUI thread itself spent between two beats "
    "while the fleet populates (the rest of a gap is waiting for a core or the GIL)",
    "fleet_gui_wait_s": "seconds the GUI thread was runnable but waited for a core while the "
    "fleet populated (/proc schedstat) (server side at fleet_server_nice)",
    "fleet_idle_cpu_pct": "process CPU (all threads) / wall time over an idle window after "
    "populating: 50 connections' keepalives and stats ticks",
    "fleet_idle_stall_ms_max": "longest heartbeat gap over a second idle window of the same "
    "length (server side at fleet_server_nice)",
    "fleet_idle_stall_cpu_ms_max": "the most GUI-thread CPU between two beats while idle",
    "fleet_rss_mb": "VmRSS after the idle window (50 in-process-free remote hosts)",
    "fleet_ssh_processes": "ssh processes this window started (one per host expected)",
    "fleet_floor_s": "plain process, every host opened and listed at once (a thread each, "
    "no event loop): until the last host was listed (server side at fleet_server_nice)",
    "fleet_lost_host_stall_ms_max": "after the idle window one connected host is black-holed: "
    "longest heartbeat gap until its keepalive gave up and 2 s more (teardown, retry; server "
    "side at fleet_server_nice)",
    "fleet_lost_host_stall_cpu_ms_max": "the most GUI-thread CPU between two beats meanwhile",
    "fleet_server_nice": "niceness of the bed's server side (sshd and its sessions, libvirtd) "
    "during the fleet runs: the remote hosts' work, done on this machine, at 19 takes only the "
    "cores kvmdesk leaves idle (a real fleet's servers have CPUs of their own); 0: it competed "
    "with kvmdesk's GUI thread for the two cores, as before this figure existed",
    "fleet_close_stall_ms_max": "longest heartbeat gap while the window closes every host "
    "(the manager's shutdown: events released, links closed; server side at fleet_server_nice)",
    "fleet_close_stall_cpu_ms_max": "the most GUI-thread CPU between two beats meanwhile",
    "fleet_populated_one_dead_s": "the same start with one host black-holed: until every other "
    "host's rows are in the tree (server side at fleet_server_nice)",
    "fleet_one_dead_stall_ms_max": "longest heartbeat gap of that start (server side at "
    "fleet_server_nice)",
    "fleet_one_dead_stall_cpu_ms_max": "the most GUI-thread CPU between two beats of that start",
}


async def _until(check: Any, timeout: float, what: str) -> float:
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.01)
    return time.monotonic() - start


def _ssh_children() -> int:
    import os

    me = os.getpid()
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv0 = (entry / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me and os.path.basename(argv0) == b"ssh":
            count += 1
    return count


async def one_run(
    files: list[Path],
    aliases: list[str],
    dead: int | None,
    idle_s: float,
    cut: Any = None,
) -> dict[str, Any]:
    """``cut``: called after the idle window to black-hole the first host's
    link; the heartbeat then watches until its keepalive gives up on it."""
    from PySide6.QtWidgets import QApplication

    from benchmarks.harness import StallMonitor
    from kvmdesk.app import build
    from kvmdesk.core.settings import SavedConnection, Settings
    from kvmdesk.core.timing import Timing

    out: dict[str, Any] = {}
    uris = [f"test+ssh://{alias}{path}" for alias, path in zip(aliases, files, strict=True)]
    with tempfile.TemporaryDirectory(prefix="kvmdesk-bench-") as tmp:
        # The fleet is the user's saved connections, restored as at start-up.
        settings = Settings(Path(tmp) / "kvmdesk.ini")
        settings.set_connections([SavedConnection(uri) for uri in uris])
        services = build(settings, Timing())
        window = services.window
        window.show()
        model = window.model
        beat = StallMonitor()
        await asyncio.sleep(0.2)
        QApplication.processEvents()
        manager = services.manager
        try:
            beat.start("fleet populating")
            started, threads0, wait0 = time.monotonic(), thread_cpu(), gui_thread_wait_s()
            manager.restore()
            live = [uri for i, uri in enumerate(uris) if i != dead]
            n = {uri: len(_domains_in(path)) for uri, path in zip(uris, files, strict=True)}

            def populated() -> bool:
                for uri in live:
                    conn = manager.find(uri)
                    if conn is None or model.rowCount(model.index_of_connection(conn)) != n[uri]:
                        return False
                return True

            await _until(populated, 600, "the fleet populating")
            window.tree.viewport().repaint()
            out["populated_s"] = round(time.monotonic() - started, 3)
            await asyncio.sleep(0)
            out["stall"] = beat.stop()
            out["gui_wait_s"] = round(gui_thread_wait_s() - wait0, 3)
            out["populate_cpu_by_thread_s"] = thread_cpu_delta(threads0, thread_cpu())
            if dead is None and idle_s > 0:
                await asyncio.sleep(5)  # the full host records and first ticks
                # CPU first, without the heartbeat (its 100 wakeups a second
                # are the benchmark's own CPU), then the heartbeat alone.
                cpu0, wall0, threads0 = cpu_seconds(), time.monotonic(), thread_cpu()
                await asyncio.sleep(idle_s)
                out["idle_cpu_pct"] = round(
                    100 * (cpu_seconds() - cpu0) / (time.monotonic() - wall0), 2
                )
                out["idle_cpu_by_thread_s"] = thread_cpu_delta(threads0, thread_cpu())
                beat.start("fleet idle")
                await asyncio.sleep(idle_s)
                out["idle_stall"] = beat.stop()
                out["rss_mb"] = round(rss_mb(), 1)
                out["ssh_processes"] = _ssh_children()
            if cut is not None:
                from kvmdesk.core.connection import ConnState

                first = manager.find(uris[0])
                assert first is not None
                cut()
                beat.start("a connected host black-holed")
                out["lost_after_s"] = round(
                    await _until(
                        lambda: first.state is not ConnState.CONNECTED, 120, "the link lost"
                    ),
                    3,
                )
                await asyncio.sleep(2)  # torn down, its retry scheduled, its row updated
                out["lost_stall"] = beat.stop()
        finally:
            if beat.running:
                beat.stop()
            beat.start("closing every host")
            closing = time.monotonic()
            await manager.shutdown()
            out["close_s"] = round(time.monotonic() - closing, 3)
            out["close_stall"] = beat.stop()
            window.hide()
            window.deleteLater()
    return out


_DOMAIN_COUNT: dict[Path, list[None]] = {}


def _domains_in(path: Path) -> list[None]:
    if path not in _DOMAIN_COUNT:
        _DOMAIN_COUNT[path] = [None] * path.read_text(encoding="utf-8").count("<domain ")
    return _DOMAIN_COUNT[path]


async def scenario(
    hosts: int,
    n: int,
    rtt_ms: float,
    idle_s: float,
    bed: Any,
    proxy_cls: Any,
    server_nice: int = SERVER_NICE,
) -> dict[str, Any]:
    data = bed.root / "fleet-data"
    data.mkdir(mode=0o755, exist_ok=True)
    files = []
    for i in range(hosts):
        path = data / f"fleet-{i:02d}.xml"
        shutil.copy(host_xml(n), path)
        files.append(path)
    result: dict[str, Any] = {"hosts": hosts, "domains": n, "rtt_ms": rtt_ms}
    servers = [bed.process.pid, libvirtd_pid()]
    with (
        proxy_cls(bed.port) as shared,
        proxy_cls(bed.port) as own,
        lowered(servers, server_nice) as threads,
    ):
        result["server_nice"] = server_nice if threads else 0
        shared.set_latency(rtt_ms / 2000)
        own.set_latency(rtt_ms / 2000)
        aliases = [
            bed.add_host(f"kvmdesk-fleet-{i:02d}", port=(own if i == 0 else shared).port)
            for i in range(hosts)
        ]
        from benchmarks.remote import floor

        listed = await floor([f"test+ssh://{a}{p}" for a, p in zip(aliases, files, strict=True)])
        result["floor_s"] = listed[-1]
        result["all"] = await one_run(files, aliases, None, idle_s, own.black_hole)
        result["one_dead"] = await one_run(files, aliases, 0, 0)
    return result


def measure(
    hosts: int = 50,
    n: int = 200,
    rtt_ms: float = 300.0,
    idle_s: float = 20.0,
    server_nice: int = SERVER_NICE,
) -> Any:
    from benchmarks.proxy_process import ProxyProcess
    from benchmarks.remote import in_ssh_bed

    return in_ssh_bed(
        lambda bed, _proxy: scenario(hosts, n, rtt_ms, idle_s, bed, ProxyProcess, server_nice)
    )


CASE = "50x200@300ms"


def run(quick: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    raw = measure(idle_s=5.0 if quick else 20.0)
    print(json.dumps(raw, indent=2), flush=True)  # the details, into the scenario's log
    every, dead = raw["all"], raw["one_dead"]
    figures = {
        "fleet_populated_s": {CASE: every["populated_s"]},
        "fleet_floor_s": {CASE: raw["floor_s"]},
        "fleet_server_nice": {CASE: raw["server_nice"]},
        "fleet_ui_stall_ms_max": {CASE: every["stall"]["max_ms"]},
        "fleet_ui_stall_cpu_ms_max": {CASE: every["stall"]["cpu_max_ms"]},
        "fleet_gui_wait_s": {CASE: every["gui_wait_s"]},
        "fleet_idle_cpu_pct": {CASE: every["idle_cpu_pct"]},
        "fleet_idle_stall_ms_max": {CASE: every["idle_stall"]["max_ms"]},
        "fleet_idle_stall_cpu_ms_max": {CASE: every["idle_stall"]["cpu_max_ms"]},
        "fleet_rss_mb": {CASE: every["rss_mb"]},
        "fleet_ssh_processes": {CASE: every["ssh_processes"]},
        "fleet_close_stall_ms_max": {CASE: every["close_stall"]["max_ms"]},
        "fleet_close_stall_cpu_ms_max": {CASE: every["close_stall"]["cpu_max_ms"]},
        "fleet_populated_one_dead_s": {CASE: dead["populated_s"]},
        "fleet_lost_host_stall_ms_max": {CASE: every["lost_stall"]["max_ms"]},
        "fleet_lost_host_stall_cpu_ms_max": {CASE: every["lost_stall"]["cpu_max_ms"]},
        "fleet_one_dead_stall_ms_max": {CASE: dead["stall"]["max_ms"]},
        "fleet_one_dead_stall_cpu_ms_max": {CASE: dead["stall"]["cpu_max_ms"]},
    }
    return figures, DEFINITIONS


def checks() -> list[tuple[str, str, str, str, float | None]]:
    return [
        ("fleet_populated_s", CASE, "fleet: 50 hosts x 200 shown", "s", 10.0),
        ("fleet_floor_s", CASE, "fleet: floor, plain libvirt, all at once", "s", None),
        ("fleet_server_nice", CASE, "fleet: bed's server side at nice", "", None),
        ("fleet_ui_stall_ms_max", CASE, "fleet: stall while populating", "ms", 16.0),
        ("fleet_ui_stall_cpu_ms_max", CASE, "fleet: GUI CPU in one gap", "ms", None),
        ("fleet_gui_wait_s", CASE, "fleet: GUI waiting for a core", "s", None),
        ("fleet_idle_cpu_pct", CASE, "fleet: idle CPU, 50 hosts", "%", 3.0),
        ("fleet_idle_stall_ms_max", CASE, "fleet: stall while idle", "ms", 16.0),
        ("fleet_idle_stall_cpu_ms_max", CASE, "fleet: GUI CPU in one gap, idle", "ms", None),
        ("fleet_rss_mb", CASE, "fleet: RSS, 50 hosts", "MB", 300.0),
        ("fleet_ssh_processes", CASE, "fleet: ssh processes", "", 50.0),
        ("fleet_lost_host_stall_ms_max", CASE, "fleet: stall, a host lost", "ms", 16.0),
        ("fleet_lost_host_stall_cpu_ms_max", CASE, "fleet: GUI CPU in one gap, lost", "ms", None),
        ("fleet_close_stall_ms_max", CASE, "fleet: stall, closing every host", "ms", 16.0),
        ("fleet_close_stall_cpu_ms_max", CASE, "fleet: GUI CPU in one gap, closing", "ms", None),
        ("fleet_populated_one_dead_s", CASE, "fleet: 49 shown, one host dead", "s", 10.0),
        ("fleet_one_dead_stall_ms_max", CASE, "fleet: stall, one host dead", "ms", 16.0),
        ("fleet_one_dead_stall_cpu_ms_max", CASE, "fleet: GUI CPU in one gap, dead", "ms", None),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.fleet", description=__doc__.split("\n")[0]
    )
    p.add_argument("--hosts", type=int, default=50)
    p.add_argument("--n", type=int, default=200, help="domains per host")
    p.add_argument("--rtt-ms", type=float, default=300.0)
    p.add_argument("--idle-seconds", type=float, default=20.0)
    p.add_argument(
        "--server-nice",
        type=int,
        default=SERVER_NICE,
        help="niceness of the bed's sshd and libvirtd meanwhile (0: leave them as they are)",
    )
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    raw = measure(args.hosts, args.n, args.rtt_ms, args.idle_seconds, args.server_nice)
    print(json.dumps(raw, indent=2))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
