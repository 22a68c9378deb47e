"""Closing a link in a thread of its own, after the calls running on it."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import libvirt
import pytest

from kvmdesk.core.linkclose import close_when_idle
from kvmdesk.core.worker import BACKGROUND_NICE, Worker


def _tasks() -> set[int]:
    return {int(name) for name in os.listdir("/proc/self/task")}


def _nice(tid: int) -> int:
    with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as fh:
        stat = fh.read()
    return int(stat[stat.rindex(")") + 2 :].split()[16])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and per-thread nice")
def test_the_close_waits_for_the_running_call_in_a_background_thread(data_dir: Path) -> None:
    virt = libvirt.open(f"test://{data_dir / 'empty.xml'}")
    worker = Worker("test", threads=1)
    release, entered = threading.Event(), threading.Event()

    def held(conn: libvirt.virConnect) -> int:
        entered.set()
        release.wait(30)
        return len(conn.listAllDomains())  # the connection is still open here

    call = worker.submit(held, virt)
    assert entered.wait(10)
    before = _tasks()
    closing = close_when_idle(virt, worker, [])
    try:
        new: set[int] = set()
        for _ in range(1000):  # the closing thread appears, and waits for the call
            new = _tasks() - before
            if new:
                break
            time.sleep(0.01)
        assert len(new) == 1
        tid, wanted = new.pop(), max(os.nice(0), BACKGROUND_NICE)
        for _ in range(1000):  # once it runs, it lowers its own priority first
            if _nice(tid) == wanted:
                break
            time.sleep(0.01)
        assert _nice(tid) == wanted
        assert not closing.join(0.05)  # not while the call runs
    finally:
        release.set()
    assert call.result(10) == 0
    assert closing.join(10)
