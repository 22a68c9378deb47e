"""Helpers shared by the orchestrating parent and the measured child process.

Nothing here imports Qt or kvmdesk, so the parent stays light.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import resource
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
GENERATED = BENCH_DIR / "generated"
LOGS = GENERATED / "logs"
PYCACHE = GENERATED / "pycache"
RESULTS = BENCH_DIR / "results.json"
GENERATOR = ROOT / "scripts" / "gen_testdriver_xml.py"
SEED = 1

_CLK_TCK = os.sysconf("SC_CLK_TCK")


def load_generator() -> ModuleType:
    """scripts/ is not a package: load gen_testdriver_xml.py by path."""
    spec = importlib.util.spec_from_file_location("gen_testdriver_xml", GENERATOR)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def host_xml(n: int, seed: int = SEED) -> Path:
    """Path of a generated test-driver host with ``n`` domains, written if stale."""
    GENERATED.mkdir(parents=True, exist_ok=True)
    path = GENERATED / f"host-{n}-seed{seed}.xml"
    if not path.exists() or path.stat().st_mtime < GENERATOR.stat().st_mtime:
        text = load_generator().generate(n, seed=seed)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def load_average() -> tuple[float, float, float]:
    one, five, fifteen = os.getloadavg()
    return round(one, 2), round(five, 2), round(fifteen, 2)


# -- process figures (child side) ---------------------------------------------


def _status_kib(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return float(line.split()[1])
    return 0.0


def rss_mb() -> float:
    return _status_kib("VmRSS") / 1024.0


def hwm_mb() -> float:
    return _status_kib("VmHWM") / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of the whole process (every thread)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def thread_cpu() -> dict[str, float]:
    """CPU seconds per thread group: the GUI thread, worker pools, the rest by name."""
    names = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
    main = threading.main_thread().native_id
    result: dict[str, float] = {}
    for entry in os.scandir("/proc/self/task"):
        tid = int(entry.name)
        try:
            with open(f"{entry.path}/stat", encoding="ascii") as fh:
                stat = fh.read()
            with open(f"{entry.path}/comm", encoding="ascii") as fh:
                comm = fh.read().strip()
        except OSError:
            continue  # the thread ended meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / _CLK_TCK
        if tid == main:
            group = "gui-thread"
        elif tid in names:
            group = names[tid].rsplit("_", 1)[0]  # virt-test_0 -> virt-test
        else:
            group = comm
        result[group] = result.get(group, 0.0) + seconds
    return result


def gui_thread_wait_s() -> float:
    """Seconds the GUI (main) thread has spent runnable but waiting for a core."""
    tid = threading.main_thread().native_id
    try:
        with open(f"/proc/self/task/{tid}/schedstat", encoding="ascii") as fh:
            return int(fh.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return float("nan")  # a kernel without schedstats


def thread_cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    keys = set(before) | set(after)
    delta = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in keys}
    return {k: round(v, 3) for k, v in sorted(delta.items(), key=lambda kv: -kv[1]) if v > 0}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation): p99 of 200 samples is the 198th."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(len(ordered) * pct / 100)))
    return ordered[rank - 1]


# -- child -> parent protocol ----------------------------------------------------


def emit(tag: str, payload: dict[str, Any]) -> None:
    """One line on stdout: ``TAG {json}``; the parent timestamps its arrival."""
    print(f"{tag} {json.dumps(payload, default=str)}", flush=True)
