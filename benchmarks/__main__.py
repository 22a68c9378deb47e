"""``python -m benchmarks [--quick]``: run every scenario, print the table, write results.json.

Scenarios (each in fresh child processes, see benchmarks/child.py):

* start-up: spawn -> the tree shows all N domains and has painted, per size,
  the median of ``--reps`` runs; the GUI-thread heartbeat runs from window shown;
* idle: the last start-up run of each size stays up for two idle windows,
  one for CPU (no probe running) and one with the heartbeat for stalls;
* event latency: on the 1,000-domain host, pause/resume through the
  connection's worker until the row is repainted;
* extras (``--extras``, see benchmarks/extras.py): a remote host over ssh
  behind a slow link (benchmarks/remote.py), and more.

``--sizes ''`` skips the start-up scenarios, ``--extras ''`` the extras.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.common import GENERATED, RESULTS, ROOT, SEED, host_xml, load_average
from benchmarks.extras import SCENARIOS, run_scenario
from benchmarks.extras import checks as extra_checks
from benchmarks.runner import ChildRun, PhaseError, child_env, preflight, run_child

BULK_SIZE = 10_000  # hosts this large also run the burst and filter scenarios
MARKS = (
    ("imported", "interpreter + imports"),
    ("window_shown", "application + window built, shown"),
    ("connected", "libvirt open + domain listing (worker)"),
    ("model_filled", "rows inserted in order (GUI thread)"),
    ("ready", "painted + one loop turn"),
)


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke run: 1 start-up run, 5 s idle")
    p.add_argument("--sizes", default="1000,10000", help="domain counts (default 1000,10000)")
    p.add_argument("--reps", type=int, help="start-up runs per size (default 3, quick 1)")
    p.add_argument("--idle-seconds", type=float, help="each idle window (default 20, quick 5)")
    p.add_argument("--latency-iterations", type=int, help="pause/resume count (default 200)")
    p.add_argument("--xvfb", action="store_true", help="run under Xvfb (xcb) instead of offscreen")
    p.add_argument("--cprofile", type=Path, metavar="DIR", help="cProfile each child into DIR")
    p.add_argument("--output", type=Path, default=RESULTS, help="results file")
    p.add_argument("--strict", action="store_true", help="exit 3 when a target is missed")
    p.add_argument(
        "--extras",
        default=",".join(SCENARIOS),
        help=f"further scenarios, comma-separated (default {','.join(SCENARIOS)}; '' for none)",
    )
    args = p.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    args.extras = [e for e in args.extras.split(",") if e]
    unknown = [e for e in args.extras if e not in SCENARIOS]
    if unknown:
        p.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    args.reps = args.reps or (1 if args.quick else 3)
    args.idle_seconds = args.idle_seconds or (5.0 if args.quick else 20.0)
    args.latency_iterations = args.latency_iterations or (50 if args.quick else 200)
    return args


@contextlib.contextmanager
def display(use_xvfb: bool) -> Iterator[tuple[str, str | None]]:
    """(QPA platform, DISPLAY) for the children; starts a private Xvfb if asked."""
    if not use_xvfb:
        yield os.environ.get("QT_QPA_PLATFORM") or "offscreen", None
        return
    number = next(n for n in range(99, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise PhaseError("Xvfb did not start (is the xvfb package installed?)")
            time.sleep(0.05)
        yield "xcb", f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def versions() -> dict[str, Any]:
    code = (
        "import json, libvirt, PySide6, qasync; from importlib.metadata import version as v; "
        "print(json.dumps({'pyside6': PySide6.__version__, 'qasync': v('qasync'), "
        "'libvirt_python': v('libvirt-python'), 'libvirt': '%d.%d.%d' % "
        "(libvirt.getVersion() // 10**6, libvirt.getVersion() // 1000 % 1000, "
        "libvirt.getVersion() % 1000)}))"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
        )
        return dict(json.loads(out.stdout))
    except (subprocess.SubprocessError, ValueError):
        return {}


def startup_breakdown(run: ChildRun) -> dict[str, float]:
    marks = run.payload("READY")["marks"]
    return {m: round(marks[m] - run.spawned_at, 3) for m, _ in MARKS if m in marks}


def run_size(
    n: int, args: argparse.Namespace, env: dict[str, str], latency: bool
) -> tuple[dict[str, Any], list[str]]:
    """All runs for one host size; returns details and error messages."""
    xml = host_xml(n)
    ready_timeout = 30.0 + 60.0 * n / 10_000
    bulk = ",burst,filter" if n >= BULK_SIZE else ""  # in every run: stalls are medians
    steps_last = "startup,idle" + (",latency" if latency else "") + bulk
    total_timeout = ready_timeout + 1.0 + 2 * args.idle_seconds + 90.0
    if latency:
        total_timeout += 0.5 * args.latency_iterations
    if bulk:
        total_timeout += 120.0
    detail: dict[str, Any] = {"xml": str(xml.relative_to(ROOT)), "startup_runs": []}
    errors: list[str] = []
    try:
        floor = run_child(
            f"n{n}-floor",
            ["--xml", str(xml)],
            env,
            ready_timeout=ready_timeout,
            total_timeout=ready_timeout,
            module="benchmarks.floor",
        )
        detail["floor"] = floor.payload("RESULT")
        detail["floor"]["spawn_to_result_s"] = round(floor.seconds_to("RESULT"), 3)
    except PhaseError as exc:
        errors.append(str(exc))
    for rep in range(args.reps):
        last = rep == args.reps - 1
        name = f"n{n}-run{rep + 1}"
        child_args = [
            "--xml",
            str(xml),
            "--n",
            str(n),
            "--steps",
            steps_last if last else "startup" + bulk,
            "--startup-timeout",
            str(ready_timeout),
            "--idle-seconds",
            str(args.idle_seconds),
            "--latency-iterations",
            str(args.latency_iterations),
        ]
        if args.cprofile:
            args.cprofile.mkdir(parents=True, exist_ok=True)
            child_args += ["--cprofile", str(args.cprofile.resolve() / f"{name}.prof")]
        print(
            f"  {name}: {'start-up, idle' if last else 'start-up'}"
            f"{', event latency' if last and latency else ''} …",
            flush=True,
        )
        try:
            run = run_child(
                name,
                child_args,
                env,
                ready_timeout=ready_timeout,
                total_timeout=total_timeout if last else ready_timeout + 150,
            )
        except PhaseError as exc:
            errors.append(str(exc))
            print(f"    FAILED: {exc}", flush=True)
            continue
        ready = run.payload("READY")
        seconds = run.seconds_to("READY")
        detail["startup_runs"].append(
            {
                "seconds": round(seconds, 3),
                "breakdown_s": startup_breakdown(run),
                "shows_domain_rows": ready["shows_domain_rows"],
                "rss_mb": ready["rss_mb"],
                "stall": ready["stall"],
            }
        )
        print(
            f"    shown after {seconds:.2f} s, worst stall {ready['stall']['max_ms']:.0f} ms",
            flush=True,
        )
        result = run.payload("RESULT")
        for step in ("burst", "filter"):
            if step in result:
                detail.setdefault(f"{step}_runs", []).append(result.pop(step))
        if last:
            detail.update(result)
    return detail, errors


def figures_from(details: dict[int, dict[str, Any]], latency_size: int | None) -> dict[str, Any]:
    fig: dict[str, dict[str, Any]] = {
        "startup_populated_s": {},
        "populated_after_listing_s": {},
        "libvirt_floor_s": {},
        "rss_beyond_driver_mb": {},
        "idle_cpu_pct": {},
        "rss_mb": {},
        "event_latency_ms": {},
        "ui_stall_ms_max": {},
    }
    stalls = fig["ui_stall_ms_max"]
    for n, d in details.items():
        runs = d.get("startup_runs", [])
        if runs:
            fig["startup_populated_s"][str(n)] = round(
                statistics.median(r["seconds"] for r in runs), 3
            )
            fig["populated_after_listing_s"][str(n)] = round(
                statistics.median(
                    r["breakdown_s"]["ready"] - r["breakdown_s"]["connected"] for r in runs
                ),
                3,
            )
            if "floor" in d:
                floor = d["floor"]
                fig["libvirt_floor_s"][str(n)] = floor["spawn_to_result_s"]
                driver = floor["rss_after_list_mb"] - floor["rss_before_open_mb"]
                rss_all = [r["rss_mb"] for r in runs]
                if "idle" in d:
                    rss_all += [d["idle"]["rss_mb"], d["idle_heartbeat"]["rss_mb"]]
                fig["rss_beyond_driver_mb"][str(n)] = round(max(rss_all) - driver, 1)
            stalls[f"startup_{n}"] = statistics.median(r["stall"]["max_ms"] for r in runs)
        for key, phases in (("burst", ("pause", "resume")), ("filter", (None,))):
            bulk_runs = d.get(f"{key}_runs", [])
            if not bulk_runs:
                continue
            for phase in phases:
                parts = [r[phase] if phase else r for r in bulk_runs]
                name = f"{key}_{phase}_{n}" if phase else f"{key}_{n}"
                stalls[name] = statistics.median(p["stall"]["max_ms"] for p in parts)
            if key == "burst":
                fig.setdefault("burst_rows_s", {})[str(n)] = statistics.median(
                    r["pause"]["rows_after_libvirt_s"] for r in bulk_runs
                )
            else:
                fig.setdefault("filter_key_ms", {})[str(n)] = statistics.median(
                    r["per_key_ms"]["max"] for r in bulk_runs
                )
                fig.setdefault("sort_ms", {})[str(n)] = statistics.median(
                    r["sort_ms"] for r in bulk_runs
                )
                stalls[f"sort_{n}"] = statistics.median(
                    r["sort_stall"]["max_ms"] for r in bulk_runs
                )
        if "idle" in d:
            fig["idle_cpu_pct"][str(n)] = d["idle"]["cpu_pct"]
            rss = [r["rss_mb"] for r in runs] + [d["idle"]["rss_mb"], d["idle_heartbeat"]["rss_mb"]]
            fig["rss_mb"][str(n)] = max(rss)
            stalls[f"idle_{n}"] = d["idle_heartbeat"]["stall"]["max_ms"]
        elif runs:
            fig["rss_mb"][str(n)] = max(r["rss_mb"] for r in runs)
        if n == latency_size and "latency" in d:
            lat = d["latency"]["to_paint_done_ms"]
            fig["event_latency_ms"] = {"p50": lat["p50"], "p99": lat["p99"]}
            stalls["event_latency"] = d["latency"]["stall"]["max_ms"]
    if stalls:
        stalls["max"] = max(stalls.values())
    return fig


def where_time_goes(details: dict[int, dict[str, Any]]) -> str:
    out = []
    for n, d in details.items():
        runs = d.get("startup_runs", [])
        if runs:
            median = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
            parts, prev = [], 0.0
            for mark, what in MARKS:
                at = median["breakdown_s"].get(mark)
                if at is not None:
                    parts.append(f"{what} {at - prev:.2f}")
                    prev = at
            out.append(f"  start-up {n:,} (s since spawn, per step): " + "; ".join(parts))
            if "floor" in d:
                f = d["floor"]
                out.append(
                    f"    floor without GUI: libvirt.open of the file {f['libvirt_open_s']:.2f} s, "
                    f"list_domains {f['list_domains_s']:.2f} s, spawn to listed "
                    f"{f['spawn_to_result_s']:.2f} s; the in-process test driver alone holds "
                    f"{f['rss_after_list_mb'] - f['rss_before_open_mb']:.0f} MB RSS"
                )
            worst = median["stall"]["worst"][0]
            out.append(
                f"    worst GUI stall {worst['gap_ms']:.0f} ms at {worst['at_s']:.2f} s "
                "after window shown"
            )
        if "idle" in d:
            idle = d["idle"]
            by_thread = ", ".join(f"{k} {v:.2f}" for k, v in idle["cpu_by_thread_s"].items())
            out.append(
                f"  idle {n:,}: {idle['cpu_pct']:.2f} % over {idle['seconds']:.0f} s, "
                f"{idle['stats_ticks']} stats ticks, {idle['viewport_paints']} viewport paints; "
                f"CPU s by thread: {by_thread or 'none measurable'}; per second max "
                f"{max(idle['cpu_pct_per_second'] or [0]):.1f} %"
            )
            if idle["stats_ticks"]:
                per_tick = idle["cpu_by_thread_s"].get("gui-thread", 0.0) / idle["stats_ticks"]
                out.append(f"    GUI thread per stats tick: {per_tick * 1000:.0f} ms CPU")
            hb = d["idle_heartbeat"]
            out.append(
                f"    with the 10 ms heartbeat running: {hb['cpu_pct']:.2f} % CPU; worst stalls "
                + ", ".join(f"{w['gap_ms']:.0f} ms" for w in hb["stall"]["worst"][:3])
            )
        if "latency" in d:
            lat = d["latency"]
            out.append(
                f"  event latency {n:,} ({lat['iterations']} changes of {lat['domain']}): "
                f"to dataChanged p50/p99 {lat['to_data_changed_ms']['p50']:.1f}/"
                f"{lat['to_data_changed_ms']['p99']:.1f} ms, to paint event "
                f"{lat['to_paint_event_ms']['p50']:.1f}/{lat['to_paint_event_ms']['p99']:.1f} ms,"
                f" painted + one turn {lat['to_paint_done_ms']['p50']:.1f}/"
                f"{lat['to_paint_done_ms']['p99']:.1f} ms"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    latency_size = 1000 if 1000 in args.sizes else (args.sizes[0] if args.sizes else None)
    errors: list[str] = []
    details: dict[int, dict[str, Any]] = {}
    with display(args.xvfb) as (qpa, disp):
        env = child_env(qpa, disp)
        print(
            f"kvmdesk benchmarks ({'quick, ' if args.quick else ''}QPA {qpa}, "
            f"{os.cpu_count()} CPUs); logs in {GENERATED.relative_to(ROOT)}/logs",
            flush=True,
        )
        load_before = load_average()
        if load_before[0] > 0.5 * (os.cpu_count() or 1):
            print(
                f"  note: load average {load_before[0]} before the run; other work on this "
                "machine inflates wall times and stalls",
                flush=True,
            )
        try:
            preflight(env)
        except PhaseError as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
        t = time.monotonic()
        for n in args.sizes:
            host_xml(n)
        print(f"  hosts generated/checked in {time.monotonic() - t:.1f} s", flush=True)
        for n in args.sizes:
            details[n], errs = run_size(n, args, env, latency=n == latency_size)
            errors += errs
        extras: dict[str, dict[str, Any]] = {}
        for name in args.extras:
            print(f"  {name}: {SCENARIOS[name][0]} …", flush=True)
            extras[name], error = run_scenario(name, args.quick, env)
            if error:
                errors.append(error)
                print(f"    FAILED: {error}", flush=True)
            else:
                print(f"    done in {extras[name]['seconds']:.0f} s", flush=True)
    figures = figures_from(details, latency_size) if args.sizes else {}
    all_checks = report.checks(args.sizes, latency_size) if args.sizes else []
    extra_definitions: dict[str, str] = {}
    for name in args.extras:
        figures.update(extras[name].get("figures", {}))
        extra_definitions.update(extras[name].get("definitions", {}))
        all_checks += extra_checks(name)
    rows = report.evaluate(figures, all_checks)
    result: dict[str, Any] = {
        "schema": 1,
        "meta": {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
            "qpa_platform": qpa,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "seed": SEED,
            "startup_runs_per_size": args.reps,
            "idle_seconds": args.idle_seconds,
            "latency_iterations": args.latency_iterations,
            "wall_seconds": round(time.monotonic() - started, 1),
            "load_average_before": load_before,
            "load_average_after": load_average(),
            **versions(),
        },
        "definitions": {
            "startup_populated_s": "median, spawn of a fresh process until it reports the tree "
            "holds every domain (expanded) and the viewport painted once after that",
            "idle_cpu_pct": "process CPU time (all threads) / wall time, % of one core, "
            "populated window, stats every 3 s, no probe timer running",
            "rss_mb": "largest VmRSS seen after populating (at ready, after each idle window)",
            "event_latency_ms": "worker timestamp right after the libvirt pause/resume returns "
            "until one loop turn after the viewport paint that follows the row's dataChanged",
            "ui_stall_ms_max": "longest gap between beats of a 10 ms GUI-thread timer, per phase",
            **extra_definitions,
        },
        "figures": figures,
        "checks": rows,
        "details": {str(n): d for n, d in details.items()},
        "extras_seconds": {name: extras[name].get("seconds") for name in args.extras},
        "errors": errors,
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print()
    print(report.table(rows))
    print()
    print("Where the time goes:")
    print(where_time_goes(details))
    print()
    print(report.REFERENCE)
    print(f"Wrote {args.output} in {result['meta']['wall_seconds']:.0f} s.")
    if errors:
        print(f"\n{len(errors)} phase(s) failed:", file=sys.stderr)
        for e in errors:
            print(f"  {e}", file=sys.stderr)
        return 1
    if args.strict and any(r["status"] == "MISS" for r in rows):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
