"""Scenarios beyond start-up, idle and events, each in its own child process.

``python -m benchmarks.extras NAME [--quick] --json FILE`` imports
``benchmarks.NAME``, calls its ``run(quick) -> (figures, definitions)`` and
writes both as JSON; the parent (``python -m benchmarks``) merges them into
results.json and checks them against each module's ``checks()`` rows
``(figure, case, label, unit, limit[, at_least])``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import LOGS, ROOT
from benchmarks.report import Check

# name -> (what it needs, time limit in seconds)
SCENARIOS: dict[str, tuple[str, float]] = {
    "remote": ("root, sshd and libvirtd (test+ssh host behind a 300 ms proxy)", 900.0),
    "fleet": ("root and sshd (50 test+ssh hosts of 200 domains behind a 300 ms proxy)", 900.0),
    "terminal": ("the terminal widget fed shell output, floods and hostile bytes", 900.0),
    "viewer": ("real QEMU guests (720x400, 1024x768), locally and over ssh", 1200.0),
    "screenshot_decode": ("the worst screenshots the limits allow (8K), each decoded alone", 600.0),
    "display": ("the live VNC view of a real 1024x768 guest, locally and over ssh", 900.0),
    "display_encodings": ("Raw, zlib, ZRLE, Tight and Tight/JPEG of a real guest over ssh", 600.0),
    "upload": ("root, sshd and libvirtd: a volume upload over ssh against scp", 900.0),
    "grouping": ("one 10,000-domain test-driver host grouped by state", 600.0),
}

# Modules whose figures are plain values: their rows use the case "value".
_FLAT_CHECKS: dict[str, list[tuple[str, str, str, str, float | None, bool]]] = {
    "terminal": [
        ("terminal_mb_s", "value", "terminal: shell output processed", "MB/s", 2.0, True),
        ("terminal_ui_stall_ms_max", "value", "terminal: stall while flooded", "ms", 50.0, False),
        (
            "terminal_hostile_stall_ms_max",
            "value",
            "terminal: stall, hostile bytes",
            "ms",
            50.0,
            False,
        ),
        ("terminal_rss_mb", "value", "terminal: RSS after a 50 MB flood", "MB", None, False),
    ],
    "viewer": [
        (
            f"screenshot_ms_{where}_{size}_{p}",
            "value",
            f"screenshot {p}, {size} {where}",
            "ms",
            100.0 if (where, p) == ("local", "p50") else None,
            False,
        )
        for where in ("local", "ssh")
        for size in ("720x400", "1024x768")
        for p in ("p50", "p99")
    ],
}


def checks(name: str) -> list[Check]:
    if name in _FLAT_CHECKS:
        return [Check(*row) for row in _FLAT_CHECKS[name]]
    module = importlib.import_module(f"benchmarks.{name}")
    return [Check(*row) for row in module.checks()]


def nested(figures: dict[str, Any]) -> dict[str, Any]:
    """{figure: {case: value}} as the results table reads them; a plain
    value becomes the case "value"."""
    return {k: v if isinstance(v, dict) else {"value": v} for k, v in figures.items()}


def run_scenario(name: str, quick: bool, env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """(figures + definitions, error message or "") of one scenario's child."""
    LOGS.mkdir(parents=True, exist_ok=True)
    out = LOGS / f"extra-{name}.json"
    log = LOGS / f"extra-{name}.log"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.extras", name, "--json", str(out)]
    if quick:
        cmd.append("--quick")
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as f:
        try:
            proc = subprocess.run(
                cmd,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=f,
                stderr=subprocess.STDOUT,
                timeout=SCENARIOS[name][1],
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {}, f"{name}: no result within {SCENARIOS[name][1]:.0f} s (log: {log})"
    if proc.returncode != 0 or not out.exists():
        return {}, f"{name}: exit status {proc.returncode} (log: {log})"
    data = json.loads(out.read_text(encoding="utf-8"))
    data["seconds"] = round(time.monotonic() - started, 1)
    return data, ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.extras")
    p.add_argument("name", choices=sorted(SCENARIOS))
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", type=Path, required=True)
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    module = importlib.import_module(f"benchmarks.{args.name}")
    figures, definitions = module.run(args.quick)
    figures = nested(figures)
    args.json.write_text(
        json.dumps({"figures": figures, "definitions": definitions}, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    for figure, cases in figures.items():
        print(f"{figure}: {cases}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
