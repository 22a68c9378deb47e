"""The measured process: ``python -m benchmarks.child --xml HOST --n N [--steps ...]``.

Brings the application up as ``python -m kvmdesk -c test:///HOST`` would (own
settings file), prints ``READY {json}`` once the tree shows all N domains and
has painted, runs the requested further steps, prints ``RESULT {json}`` (or
``ERROR {json}``) and exits.
"""

from __future__ import annotations

import time

T0 = time.monotonic()  # before any heavy import: the child's own process-start mark

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks.common import emit  # noqa: E402

STEPS = ("startup", "idle", "latency", "burst", "filter")


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.child")
    p.add_argument("--xml", type=Path, required=True, help="test-driver host file")
    p.add_argument("--n", type=int, required=True, help="domains the host holds")
    p.add_argument("--steps", default="startup", help="comma list of " + ", ".join(STEPS))
    p.add_argument("--startup-timeout", type=float, default=60.0)
    p.add_argument("--settle", type=float, default=1.0, help="seconds before idle windows")
    p.add_argument("--idle-seconds", type=float, default=20.0)
    p.add_argument("--latency-iterations", type=int, default=200)
    p.add_argument("--cprofile", type=Path, help="write a cProfile of the GUI thread here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    steps = [s for s in args.steps.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        emit("ERROR", {"error": f"unknown steps: {sorted(unknown)}"})
        return 2
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    marks: dict[str, float] = {"child_main": T0}
    try:
        from benchmarks import bulk, idle, latency, startup
        from benchmarks.harness import Gui

        marks["imported"] = time.monotonic()
        config = Path(tempfile.mkdtemp(prefix="kvmdesk-bench-")) / "settings.ini"
        gui = Gui(f"test://{args.xml.resolve()}", config, marks)
        gui.boot()
        result: dict[str, Any] = {}

        async def scenario() -> None:
            info = await startup.wait_populated(gui, args.n, args.startup_timeout)
            info["stall"] = gui.monitor.stop()
            emit("READY", {"marks": marks, **info})
            if "idle" in steps:
                await asyncio.sleep(args.settle)
                result["idle"] = await idle.measure(gui, args.idle_seconds, heartbeat=False)
                result["idle_heartbeat"] = await idle.measure(
                    gui, args.idle_seconds, heartbeat=True
                )
            if "latency" in steps:
                result["latency"] = await latency.measure(gui, args.latency_iterations)
            if "burst" in steps:
                result["burst"] = await bulk.burst(gui)
            if "filter" in steps:
                result["filter"] = await bulk.filter_typing(gui)

        # Idle windows wait for a stats tick first: allow for that as well.
        budget = args.startup_timeout + 2 * args.idle_seconds + args.latency_iterations + 90
        gui.loop.run_until_complete(asyncio.wait_for(scenario(), budget))
    except BaseException as exc:  # report anything, then leave without teardown
        emit(
            "ERROR", {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        )
        sys.stdout.flush()
        os._exit(1)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.cprofile))
    emit("RESULT", result)
    sys.stdout.flush()
    sys.stderr.flush()
    # Closing libvirt and Qt is not measured; skip it so runs stay short.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
