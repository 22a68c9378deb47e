"""Many rows at once: a burst of state changes, and typing in the filter.

* burst: 1,000 running domains are paused in one go from the connection's
  worker (as another client would: the product only sees libvirt's events),
  then resumed; the heartbeat runs until every row shows the new state and
  the view has painted.  Figures: the time until then and the longest stall.
* filter: a query is typed into the search box one key every 120 ms (a fast
  typist) with the heartbeat running; each key is timed from the text change
  until the shown model holds the filtered rows and the view painted; then
  the header sorts by State and back by Name, each timed the same way.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks.common import percentile
from benchmarks.harness import Gui
from kvmdesk.models.tree import Column
from kvmdesk.virt.records import DomainState

BURST = 1000
QUERY = "state:running k8s-node-00"
KEY_INTERVAL_S = 0.12


def _apply_all(virt: Any, uuids: list[str], pause: bool) -> None:
    """Runs in the connection's worker thread."""
    for uuid in uuids:
        dom = virt.lookupByUUIDString(uuid)
        if pause:
            dom.suspend()
        else:
            dom.resume()


def _rows_show(gui: Gui, uuids: list[str], label: str) -> bool:
    model = gui.model
    if model.slicer.busy:
        return False
    return all(model.index_of_domain(gui.conn, u, Column.STATE).data() == label for u in uuids)


async def _until(check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("rows did not show the change in time")
        await asyncio.sleep(0.005)


async def burst(gui: Gui) -> dict[str, Any]:
    running = sorted(u for u, r in gui.conn.domains.items() if r.state is DomainState.RUNNING)
    uuids = running[:BURST]
    out: dict[str, Any] = {"domains": len(uuids)}
    for pause, label in ((True, "Paused"), (False, "Running")):
        await asyncio.sleep(0.5)
        gui.monitor.start("burst_pause" if pause else "burst_resume")
        start = time.perf_counter()
        await gui.conn.call(_apply_all, uuids, pause)
        applied = time.perf_counter()
        await _until(lambda lb=label: _rows_show(gui, uuids, lb), 60)
        # The rows' own repaint may already be done (or none due: the
        # changed rows out of sight); one more is asked for, as for a key.
        painted = gui.paints.next_paint()
        gui.tree.viewport().update()
        await asyncio.wait_for(painted, 5)
        done = time.perf_counter()
        stall = gui.monitor.stop()
        out["pause" if pause else "resume"] = {
            "libvirt_s": round(applied - start, 3),
            "rows_after_libvirt_s": round(done - applied, 3),
            "stall": stall,
        }
    return out


def _worse(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One summary of two heartbeat windows: the worse one's, with the
    larger CPU figure and the beats over the limit of both."""
    worse = dict(max(first, second, key=lambda s: s["max_ms"]))
    worse["phase"] = f"{first['phase']}+{second['phase']}"
    worse["cpu_max_ms"] = max(first["cpu_max_ms"], second["cpu_max_ms"])
    worse["over_limit"] = first["over_limit"] + second["over_limit"]
    worse["beats"] = first["beats"] + second["beats"]
    worse["windows"] = [first, second]
    return worse


async def filter_typing(gui: Gui, query: str = QUERY) -> dict[str, Any]:
    window = gui.window
    per_key: list[float] = []
    await asyncio.sleep(0.5)
    gui.monitor.start("filter")
    for end in range(1, len(query) + 1):
        start = time.perf_counter()
        window.search.setText(query[:end])
        await _until(lambda: not gui.model.matching, 30)
        painted = gui.paints.next_paint()
        gui.tree.viewport().update()
        await asyncio.wait_for(painted, 5)
        per_key.append((time.perf_counter() - start) * 1000.0)
        await asyncio.sleep(KEY_INTERVAL_S)
    typing = gui.monitor.stop()
    # Counted between the heartbeat's windows: the probe's own 10,000 calls
    # (4 ms) are not the product's stall.
    parent = gui.model.index_of_connection(gui.conn)
    shown_rows = sum(not gui.tree.isRowHidden(r, parent) for r in range(gui.model.rowCount(parent)))
    gui.monitor.start("filter_clear")
    start = time.perf_counter()
    window.search.clear()
    painted = gui.paints.next_paint()
    gui.tree.viewport().update()
    await asyncio.wait_for(painted, 5)
    cleared_ms = (time.perf_counter() - start) * 1000.0
    stall = _worse(typing, gui.monitor.stop())
    # Sorting by a header click: State, then back to Name.
    from PySide6.QtCore import Qt

    gui.monitor.start("sort")
    sort_ms = []
    header = gui.tree.header()
    for column in (Column.STATE, Column.NAME):
        await asyncio.sleep(KEY_INTERVAL_S)
        start = time.perf_counter()
        header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        await _until(lambda: not gui.model.slicer.busy, 30)
        painted = gui.paints.next_paint()
        gui.tree.viewport().update()
        await asyncio.wait_for(painted, 5)
        sort_ms.append((time.perf_counter() - start) * 1000.0)
    sort_stall = gui.monitor.stop()
    return {
        "query": query,
        "rows_matching": shown_rows,
        "per_key_ms": {
            "p50": round(percentile(per_key, 50), 1),
            "max": round(max(per_key), 1),
        },
        "cleared_ms": round(cleared_ms, 1),
        "sort_ms": round(max(sort_ms), 1),
        "sort_stall": sort_stall,
        "stall": stall,
    }
