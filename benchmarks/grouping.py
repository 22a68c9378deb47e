"""The tree grouped (by state) on a host of 10,000 domains: switching, idling, bursts, filtering.

``python -m benchmarks.grouping [--n 10000] [--json FILE]``

A real kvmdesk window (offscreen, default timings) on one generated
test-driver host; a 10 ms GUI-thread heartbeat records stalls:

* ``grouping_switch_s`` / ``grouping_switch_stall_ms_max``: Group By State
  until every row is in its group, and back to the host tree
  (``grouping_back_stall_ms_max``);
* ``grouping_idle_cpu_pct``: process CPU over an idle window while grouped
  (stats ticks copied into the groups), with ``grouping_idle_stall_ms_max``
  from a second window with the heartbeat;
* ``grouping_burst_s`` / ``grouping_burst_stall_ms_max``: 1,000 running
  domains paused by another client until each row is in the Paused group;
* ``grouping_filter_stall_ms_max``: a search typed while grouped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import cpu_seconds, host_xml

DEFINITIONS = {
    "grouping_switch_s": "Group By State on a 10,000-domain host: from the choice until every "
    "row is in its group (the host tree stays shown meanwhile)",
    "grouping_switch_stall_ms_max": "longest gap of a 10 ms GUI-thread heartbeat while grouping",
    "grouping_back_stall_ms_max": "longest gap while going back to the host tree",
    "grouping_idle_cpu_pct": "process CPU / wall time over an idle window while grouped by state",
    "grouping_idle_stall_ms_max": "longest gap over an idle window while grouped by state",
    "grouping_burst_s": "1,000 domains paused by another client: from the last pause until "
    "each row is in the Paused group",
    "grouping_burst_stall_ms_max": "longest gap while the 1,000 rows move between groups",
    "grouping_filter_stall_ms_max": "longest gap while a search is typed, grouped by state",
}
BURST = 1000
QUERY = "state:running k8s-node-00"


async def _until(check: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("the groups did not settle in time")
        await asyncio.sleep(0.005)


def _pause_all(virt: Any, uuids: list[str]) -> None:
    """Runs in the connection's worker thread (as another client would)."""
    for uuid in uuids:
        virt.lookupByUUIDString(uuid).suspend()


async def _measure(n: int, idle_seconds: float) -> dict[str, Any]:
    from benchmarks.harness import StallMonitor
    from kvmdesk.app import build
    from kvmdesk.core.settings import Settings
    from kvmdesk.core.tree_layout import GroupBy
    from kvmdesk.models.columns import Role
    from kvmdesk.virt.records import DomainState

    config = Path(tempfile.mkdtemp(prefix="kvmdesk-bench-")) / "settings.ini"
    services = build(Settings(config))
    window = services.window
    window.resize(1100, 680)
    window.show()
    grouping = window.grouping
    assert grouping is not None
    groups = grouping.groups
    conn = services.manager.add(f"test://{host_xml(n)}", persist=False)
    assert await conn.open_and_wait(), conn.failure
    await _until(
        lambda: (
            not window.model.slicer.busy and window.model.rowCount(window.model.index(0, 0)) == n
        )
    )
    await asyncio.sleep(1.0)
    monitor = StallMonitor()
    out: dict[str, Any] = {}

    monitor.start("group")
    start = time.perf_counter()
    grouping.set_group_by(GroupBy.STATE)
    await _until(lambda: not groups.busy and window.source is groups)
    out["switch_s"] = round(time.perf_counter() - start, 3)
    await asyncio.sleep(0.3)
    out["switch_stall"] = monitor.stop()

    monitor.start("back")
    grouping.set_group_by(GroupBy.HOST)
    await asyncio.sleep(0.5)
    out["back_stall"] = monitor.stop()
    grouping.set_group_by(GroupBy.STATE)
    await _until(lambda: not groups.busy and window.source is groups)

    await asyncio.sleep(1.0)
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    await asyncio.sleep(idle_seconds)
    out["idle_cpu_pct"] = round((cpu_seconds() - cpu0) / (time.monotonic() - wall0) * 100.0, 2)
    monitor.start("idle")
    await asyncio.sleep(idle_seconds)
    out["idle_stall"] = monitor.stop()

    running = sorted(u for u, r in conn.domains.items() if r.state is DomainState.RUNNING)
    uuids = running[:BURST]
    paused = str(DomainState.PAUSED.value)

    def moved() -> bool:
        if groups.busy or window.model.slicer.busy:
            return False
        return all(
            groups.index_of_domain(conn, u).parent().data(Role.GROUP) == paused for u in uuids
        )

    await asyncio.sleep(0.5)
    monitor.start("burst")
    await conn.call(_pause_all, uuids)
    start = time.perf_counter()
    await _until(moved)
    out["burst_s"] = round(time.perf_counter() - start, 3)
    out["burst_stall"] = monitor.stop()

    await asyncio.sleep(0.5)
    monitor.start("filter")
    for end in range(1, len(QUERY) + 1):
        window.search.setText(QUERY[:end])
        await _until(lambda: not window.model.matching and not groups.busy)
        await asyncio.sleep(0.12)
    out["filter_stall"] = monitor.stop()
    await services.manager.shutdown()
    return out


def run(quick: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    import qasync
    from PySide6.QtWidgets import QApplication

    from kvmdesk.core.eventloop import register_once

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    with loop:
        raw = loop.run_until_complete(_measure(2000 if quick else 10_000, 3.0 if quick else 15.0))
    figures: dict[str, object] = {
        "grouping_switch_s": raw["switch_s"],
        "grouping_switch_stall_ms_max": raw["switch_stall"]["max_ms"],
        "grouping_back_stall_ms_max": raw["back_stall"]["max_ms"],
        "grouping_idle_cpu_pct": raw["idle_cpu_pct"],
        "grouping_idle_stall_ms_max": raw["idle_stall"]["max_ms"],
        "grouping_burst_s": raw["burst_s"],
        "grouping_burst_stall_ms_max": raw["burst_stall"]["max_ms"],
        "grouping_filter_stall_ms_max": raw["filter_stall"]["max_ms"],
        "grouping_details": raw,
    }
    return figures, dict(DEFINITIONS)


def checks() -> list[tuple[str, str, str, str, float | None]]:
    return [
        ("grouping_switch_s", "value", "grouping: 10,000 rows by state", "s", 1.0),
        ("grouping_switch_stall_ms_max", "value", "grouping: stall while grouping", "ms", None),
        ("grouping_back_stall_ms_max", "value", "grouping: stall, back to hosts", "ms", None),
        ("grouping_idle_cpu_pct", "value", "grouping: idle CPU, grouped", "%", None),
        ("grouping_idle_stall_ms_max", "value", "grouping: stall, idle grouped", "ms", 16.0),
        ("grouping_burst_s", "value", "grouping: 1,000 rows change group", "s", None),
        ("grouping_burst_stall_ms_max", "value", "grouping: stall, burst grouped", "ms", 16.0),
        ("grouping_filter_stall_ms_max", "value", "grouping: stall, filter grouped", "ms", 16.0),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.grouping", description=__doc__.split("\n")[0]
    )
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    figures, _definitions = run(args.quick)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
