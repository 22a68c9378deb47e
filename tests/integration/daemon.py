"""Killing the test bed's libvirt daemon at a chosen step, and starting it again.

``kill_after`` wraps one libvirt-python method for the rest of a test: the
first call goes through to the daemon, and as soon as it has returned, the
daemon is killed with SIGKILL, so the next call of the operation meets a
dropped link at exactly that point ("right after the define returned").
Tests that use it hold the integration lock (they stop the shared daemon)
and call ``restart`` when they want the host back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TESTBED = Path(__file__).resolve().parents[2] / "scripts" / "testbed.sh"
DAEMONS = ("libvirtd", "virtqemud")


def daemon_pids() -> list[int]:
    pids = []
    for name in DAEMONS:
        out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    return pids


def kill() -> None:
    """SIGKILL the daemon and wait until it is gone (its sockets closed)."""
    pids = daemon_pids()
    if not pids:
        pytest.fail("libvirtd is not running (scripts/testbed.sh start)")
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() > deadline:
            pytest.fail(f"libvirtd {pids} did not die")
        time.sleep(0.02)


def restart() -> None:
    subprocess.run([str(TESTBED), "start"], check=True, capture_output=True)


def kill_after(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[Any]:
    """Kill the daemon right after the first call of ``cls.name`` returns.

    Returns a list that holds that call's result once it happened.
    """
    original: Callable[..., Any] = getattr(cls, name)
    fired: list[Any] = []

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if not fired:
            fired.append(result)
            kill()
        return result

    monkeypatch.setattr(cls, name, wrapper)
    return fired
