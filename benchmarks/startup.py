"""Start-up scenario: until the tree lists every domain and the view has painted.

The parent times spawn -> the child's ``READY`` line (the honest figure); the
child adds its own marks so the time can be split into phases.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from PySide6.QtCore import QPoint, QTimer

from benchmarks.common import hwm_mb, rss_mb
from benchmarks.harness import Gui
from kvmdesk.models.tree import Role


async def wait_populated(gui: Gui, n: int, timeout: float) -> dict[str, Any]:
    """Wait until the connection row holds ``n`` expanded domain rows, then a paint."""
    loop = asyncio.get_running_loop()
    rows_ready: asyncio.Future[float] = loop.create_future()

    def check(*_args: object) -> None:
        if rows_ready.done() or not gui.conn.is_connected:
            return
        src = gui.model.index_of_connection(gui.conn)
        if gui.model.rowCount(src) != n:
            return
        pidx = gui.window.from_source(src)
        if gui.shown.rowCount(pidx) != n or not gui.tree.isExpanded(pidx):
            return
        rows_ready.set_result(time.monotonic())

    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(check)
    poll.start()
    gui.shown.rowsInserted.connect(check)
    gui.shown.layoutChanged.connect(check)
    try:
        rows_at = await asyncio.wait_for(rows_ready, timeout)
    except TimeoutError:
        src = gui.model.index_of_connection(gui.conn)
        raise RuntimeError(
            f"tree not populated within {timeout:.0f} s: connection state "
            f"{gui.conn.state.value}, {gui.model.rowCount(src)} of {n} rows"
        ) from None
    finally:
        poll.stop()
        gui.shown.rowsInserted.disconnect(check)
        gui.shown.layoutChanged.disconnect(check)
    gui.marks["rows_visible"] = rows_at

    waiter = gui.paints.next_paint()
    gui.tree.viewport().update()
    painted, turned = await asyncio.wait_for(waiter, 10)
    # perf_counter and monotonic share CLOCK_MONOTONIC on Linux; keep monotonic marks.
    offset = time.monotonic() - time.perf_counter()
    gui.marks["painted"] = painted + offset
    gui.marks["ready"] = turned + offset

    viewport = gui.tree.viewport()
    probe = gui.tree.indexAt(QPoint(20, viewport.height() // 2))
    shows_domains = probe.isValid() and probe.data(Role.KIND) == "domain"
    return {
        "rows": n,
        "shows_domain_rows": bool(shows_domains),
        "rss_mb": round(rss_mb(), 1),
        "hwm_mb": round(hwm_mb(), 1),
    }
