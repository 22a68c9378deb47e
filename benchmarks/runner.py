"""Parent side: spawn a child, timestamp its protocol lines, enforce timeouts."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from benchmarks.common import LOGS, PYCACHE, ROOT


class PhaseError(RuntimeError):
    """A child failed or timed out; the message says which and where its log is."""


@dataclass
class ChildRun:
    name: str
    spawned_at: float  # time.monotonic() just before the process was created
    lines: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)
    log: Path | None = None

    def seconds_to(self, tag: str) -> float:
        return self.lines[tag][0] - self.spawned_at

    def payload(self, tag: str) -> dict[str, Any]:
        return self.lines[tag][1]


def child_env(platform: str, display: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = platform
    if display:
        env["DISPLAY"] = display
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # A user's install caches bytecode; keep that cache out of the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    path = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + path if path else "")
    return env


def _pump(stream: IO[str], out: queue.Queue[tuple[float, str | None]]) -> None:
    for line in stream:
        out.put((time.monotonic(), line))
    out.put((time.monotonic(), None))


def run_child(
    name: str,
    args: list[str],
    env: dict[str, str],
    *,
    ready_timeout: float,
    total_timeout: float,
    module: str = "benchmarks.child",
) -> ChildRun:
    """Run ``python -m MODULE ARGS`` until RESULT; raise PhaseError otherwise."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{name}.log"
    cmd = [sys.executable, "-m", module, *args]
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        log.flush()
        lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        spawned = time.monotonic()
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            bufsize=1,
        )
        run = ChildRun(name, spawned, log=log_path)
        assert proc.stdout is not None
        threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
        try:
            _collect(run, lines, proc, ready_timeout, total_timeout)
        finally:
            if proc.poll() is None:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.write(f"[exit code {proc.returncode}]\n")
    return run


def _collect(
    run: ChildRun,
    lines: queue.Queue[tuple[float, str | None]],
    proc: subprocess.Popen[str],
    ready_timeout: float,
    total_timeout: float,
) -> None:
    while "RESULT" not in run.lines:
        deadline = total_timeout if "READY" in run.lines else ready_timeout
        left = run.spawned_at + deadline - time.monotonic()
        try:
            at, line = lines.get(timeout=max(0.0, left))
        except queue.Empty:
            proc.kill()
            waiting_for = "RESULT" if "READY" in run.lines else "READY (tree populated)"
            raise PhaseError(
                f"{run.name}: no {waiting_for} within {deadline:.0f} s; killed (log: {run.log})"
            ) from None
        if line is None:
            proc.wait()
            raise PhaseError(
                f"{run.name}: child exited with code {proc.returncode} before RESULT "
                f"(log: {run.log}){_tail(run.log)}"
            )
        tag, _, rest = line.rstrip("\n").partition(" ")
        if tag not in ("READY", "RESULT", "ERROR"):
            continue
        try:
            payload = json.loads(rest) if rest else {}
        except json.JSONDecodeError:
            payload = {"raw": rest}
        if tag == "ERROR":
            proc.wait()
            detail = payload.get("traceback", "").strip().splitlines()[-12:]
            raise PhaseError(
                f"{run.name}: {payload.get('error', 'failed')} (log: {run.log})\n    "
                + "\n    ".join(detail)
            )
        run.lines[tag] = (at, payload)


def _tail(path: Path | None, lines: int = 12) -> str:
    if path is None or not path.exists():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return "\n    " + "\n    ".join(text) if text else ""


def preflight(env: dict[str, str], attempts: int = 1, wait: float = 20.0) -> None:
    """Import the application once (also warms the file cache); explain a failure."""
    cmd = [sys.executable, "-c", "import kvmdesk.app, kvmdesk.ui.main.mainwindow"]
    for attempt in range(attempts):
        done = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode == 0:
            return
        if attempt + 1 < attempts:
            time.sleep(wait)
    tail = "\n    ".join(done.stderr.strip().splitlines()[-8:])
    raise PhaseError(f"kvmdesk does not import, nothing measured:\n    {tail}")
