"""A connection's worker threads yield the CPU to the GUI thread.

Niceness is read back the way the kernel reports it,
``/proc/self/task/<tid>/stat`` for a thread and ``/proc/self/stat`` for a
child process that a worker started (as libvirt starts ssh from it).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

import kvmdesk.core.worker as worker_module
from kvmdesk.core.worker import BACKGROUND_NICE, Worker, start_worker

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="niceness per thread is Linux's"
)


def _nice_in(stat: str) -> int:
    """Field 19 of a /proc stat line; the command name may hold spaces."""
    return int(stat[stat.rindex(")") + 2 :].split()[16])


def _thread_nice(tid: int) -> int:
    with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as fh:
        return _nice_in(fh.read())


def _child_nice() -> int:
    out = subprocess.run(
        ["cat", "/proc/self/stat"], capture_output=True, text=True, check=True
    ).stdout
    return _nice_in(out)


def test_worker_threads_run_below_the_caller() -> None:
    caller = _thread_nice(threading.get_native_id())
    worker = Worker("test", threads=2)
    try:
        tids = {worker.submit(threading.get_native_id).result(10) for _ in range(8)}
        assert tids and threading.get_native_id() not in tids
        for tid in tids:
            assert _thread_nice(tid) == max(caller, BACKGROUND_NICE)
        # The thread that made the worker keeps its own priority.
        assert _thread_nice(threading.get_native_id()) == caller
    finally:
        worker.shutdown(wait=True)


def test_a_child_started_from_a_worker_inherits_its_niceness() -> None:
    """libvirt starts ssh from the thread that opens the link: the worker's."""
    worker = Worker("test", threads=1)
    try:
        assert worker.submit(_child_nice).result(10) == max(os.nice(0), BACKGROUND_NICE)
        assert _child_nice() == os.nice(0)  # from this thread: unchanged
    finally:
        worker.shutdown(wait=True)


def test_a_thread_already_nicer_is_never_raised_in_priority() -> None:
    seen: list[int] = []

    def start_from_a_nicer_thread() -> None:
        worker_module.lower_this_thread(15)
        worker = Worker("test", threads=1, nice=5)
        try:
            seen.append(_thread_nice(worker.submit(threading.get_native_id).result(10)))
        finally:
            worker.shutdown(wait=True)

    thread = threading.Thread(target=start_from_a_nicer_thread)
    thread.start()
    thread.join(20)
    assert seen == [max(15, os.nice(0))]


def test_a_worker_still_works_where_the_priority_cannot_be_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*_args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(worker_module.os, "setpriority", refused)
    worker = Worker("test", threads=1)
    try:
        tid = worker.submit(threading.get_native_id).result(10)
        assert worker.submit(sum, [1, 2, 3]).result(10) == 6
        assert _thread_nice(tid) == os.nice(0)  # left as it was
    finally:
        worker.shutdown(wait=True)


def test_start_worker_gives_a_working_worker_and_a_cancelled_start_stops_it(
    run: Callable[..., Any],
) -> None:
    async def started() -> tuple[int, int]:
        worker = await start_worker("cancelled-start", 1)
        try:
            return await worker.run(threading.get_native_id), threading.get_native_id()
        finally:
            worker.shutdown(wait=True)

    tid, caller = run(started())
    assert tid != caller

    async def cancelled() -> None:
        task = asyncio.ensure_future(start_worker("cancelled-start", 1))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The worker is made in the executor, then stopped; its niced threads
        # may wait long for a core on a loaded machine.
        for _ in range(6000):
            if not [t for t in threading.enumerate() if t.name.startswith("virt-cancelled-start-")]:
                return
            await asyncio.sleep(0.01)

    run(cancelled())
    assert not [t for t in threading.enumerate() if t.name.startswith("virt-cancelled-start-")]
