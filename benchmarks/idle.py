"""Idle scenario: a populated window left alone, its stats refresh ticking.

Two windows of the same length: the first without the heartbeat (the CPU
figure, free of the probe's own cost), the second with it (stalls).  Each
window starts half a stats interval after a stats tick, so a 20 s window at
the default 3 s interval always holds the same 7 ticks.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks.common import cpu_seconds, hwm_mb, rss_mb, thread_cpu, thread_cpu_delta
from benchmarks.harness import Gui


async def _align_to_stats(gui: Gui) -> bool:
    """Wait for the next stats tick, then half an interval; False if none came."""
    interval = gui.conn.timing.stats_interval
    tick: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_tick(_cpu: object) -> None:
        if not tick.done():
            tick.set_result(None)

    gui.conn.statsUpdated.connect(on_tick)
    try:
        await asyncio.wait_for(tick, 2 * interval + 2)
        aligned = True
    except TimeoutError:
        aligned = False
    finally:
        gui.conn.statsUpdated.disconnect(on_tick)
    await asyncio.sleep(interval / 2)
    return aligned


async def measure(gui: Gui, seconds: float, heartbeat: bool) -> dict[str, Any]:
    aligned = await _align_to_stats(gui)
    counts = {"stats_ticks": 0, "domain_changes": 0, "shown_data_changed": 0}

    def bump(key: str) -> Any:
        def slot(*_args: object) -> None:
            counts[key] += 1

        return slot

    slots = [
        (gui.conn.statsUpdated, bump("stats_ticks")),
        (gui.conn.domainChanged, bump("domain_changes")),
        (gui.shown.dataChanged, bump("shown_data_changed")),
    ]
    for signal, slot in slots:
        signal.connect(slot)
    paints0 = gui.paints.count
    if heartbeat:
        gui.monitor.start("idle")
    threads0 = thread_cpu()
    cpu0 = cpu_seconds()
    wall0 = time.monotonic()
    per_second: list[float] = []
    end = wall0 + seconds
    prev_cpu, prev_wall = cpu0, wall0
    # Event-loop timers have millisecond resolution: stop within 5 ms of the end.
    while (now := time.monotonic()) < end - 0.005:
        await asyncio.sleep(min(1.0, end - now))
        c, w = cpu_seconds(), time.monotonic()
        if w - prev_wall >= 0.5:
            per_second.append(round((c - prev_cpu) / (w - prev_wall) * 100.0, 2))
            prev_cpu, prev_wall = c, w
    cpu1 = cpu_seconds()
    wall1 = time.monotonic()
    threads1 = thread_cpu()
    stall = gui.monitor.stop() if heartbeat else None
    for signal, slot in slots:
        signal.disconnect(slot)
    wall = wall1 - wall0
    return {
        "seconds": round(wall, 3),
        "heartbeat": heartbeat,
        "aligned_to_stats_tick": aligned,
        "stats_interval_s": gui.conn.timing.stats_interval,
        "cpu_pct": round((cpu1 - cpu0) / wall * 100.0, 3),
        "cpu_pct_per_second": per_second,
        "cpu_by_thread_s": thread_cpu_delta(threads0, threads1),
        "viewport_paints": gui.paints.count - paints0,
        **counts,
        "rss_mb": round(rss_mb(), 1),
        "hwm_mb": round(hwm_mb(), 1),
        "stall": stall,
    }
