"""Event latency: a lifecycle change made in libvirt until its row is repainted.

The domain is paused and resumed through the connection's own worker
(``conn.call``).  The clock starts in the worker right after the libvirt call
returns; it stops one event-loop turn after the tree's viewport received the
paint that follows the shown model's ``dataChanged`` for that row with the new
state.  Everything in between is the product: libvirt's event, the coalesced
refresh in the worker, the model's signals, the view update.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView

from benchmarks.common import percentile
from benchmarks.harness import Gui
from kvmdesk.models.tree import Column
from kvmdesk.virt import lifecycle
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainState

TIMEOUT_S = 5.0


def _timed_apply(virt: Any, uuid: str, verb: Verb, stamps: dict[int, float], key: int) -> None:
    """Runs in the connection's worker thread."""
    lifecycle.apply(virt, uuid, verb)
    stamps[key] = time.perf_counter()


def _pick_domain(gui: Gui) -> str:
    """A running domain near the middle of the sorted list (so scrolling is needed)."""
    running = sorted(
        (r for r in gui.conn.domains.values() if r.state is DomainState.RUNNING),
        key=lambda r: r.name.lower(),
    )
    if not running:
        raise RuntimeError("no running domain to pause")
    return running[len(running) // 2].uuid


async def measure(gui: Gui, iterations: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    uuid = _pick_domain(gui)
    src = gui.model.index_of_domain(gui.conn, uuid, Column.STATE)
    pidx = gui.window.from_source(src)
    gui.tree.scrollTo(pidx, QAbstractItemView.ScrollHint.PositionAtCenter)
    await asyncio.wait_for(gui.paints.next_paint(), 5)
    rect = gui.tree.visualRect(gui.window.from_source(src))
    if not rect.isValid() or not gui.tree.viewport().rect().intersects(rect):
        raise RuntimeError("the chosen row is not visible after scrollTo")

    stamps: dict[int, float] = {}
    waiting: dict[str, Any] = {}

    def data_changed(top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        if not waiting or waiting.get("seen") is not None:
            return
        row = gui.window.from_source(gui.model.index_of_domain(gui.conn, uuid, Column.STATE))
        if top.parent() != row.parent() or not top.row() <= row.row() <= bottom.row():
            return
        if not top.column() <= Column.STATE <= bottom.column():
            return
        record = gui.conn.domains.get(uuid)
        if record is None or record.state is not waiting["want"]:
            return
        waiting["seen"] = time.perf_counter()
        rect = gui.tree.visualRect(row)
        waiting["found"].set_result(gui.paints.next_paint(rect))

    gui.shown.dataChanged.connect(data_changed)
    gui.monitor.start("event_latency")
    to_paint: list[float] = []
    to_data_changed: list[float] = []
    total: list[float] = []
    call_return: list[float] = []
    try:
        for i in range(iterations):
            record = gui.conn.domains[uuid]
            verb = Verb.PAUSE if record.state is DomainState.RUNNING else Verb.RESUME
            want = DomainState.PAUSED if verb is Verb.PAUSE else DomainState.RUNNING
            found: asyncio.Future[Any] = loop.create_future()
            waiting.clear()
            waiting.update({"want": want, "seen": None, "found": found})
            await gui.conn.call(_timed_apply, uuid, verb, stamps, i)
            call_return.append((time.perf_counter() - stamps[i]) * 1000.0)
            try:
                paint = await asyncio.wait_for(found, TIMEOUT_S)
            except TimeoutError:
                raise RuntimeError(
                    f"iteration {i}: no dataChanged for the row with state {want.name} "
                    f"within {TIMEOUT_S:.0f} s"
                ) from None
            try:
                painted, turned = await asyncio.wait_for(paint, TIMEOUT_S)
            except TimeoutError:
                raise RuntimeError(
                    f"iteration {i}: dataChanged seen but the row was not repainted "
                    f"within {TIMEOUT_S:.0f} s"
                ) from None
            start = stamps[i]
            to_data_changed.append((waiting["seen"] - start) * 1000.0)
            to_paint.append((painted - start) * 1000.0)
            total.append((turned - start) * 1000.0)
            # Unsynchronised with the 3 s stats tick on purpose.
            await asyncio.sleep(rng.uniform(0.01, 0.04))
    finally:
        stall = gui.monitor.stop()
        gui.shown.dataChanged.disconnect(data_changed)

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "p50": round(percentile(values, 50), 2),
            "p90": round(percentile(values, 90), 2),
            "p99": round(percentile(values, 99), 2),
            "max": round(max(values), 2),
        }

    return {
        "iterations": iterations,
        "domain": gui.conn.domains[uuid].name,
        "to_paint_done_ms": summary(total),
        "to_data_changed_ms": summary(to_data_changed),
        "to_paint_event_ms": summary(to_paint),
        "call_returned_after_ms": summary(call_return),
        "stall": stall,
    }
