"""A connection's own worker threads.

Every libvirt call that may touch the network runs here, awaited from the
GUI thread's asyncio loop, so a slow host stalls only its own connection.

The threads are daemon threads, unlike ``ThreadPoolExecutor``'s: a call
stuck on a host that never answers (an ssh that hangs, a black-holed link
before keepalive is set up) is abandoned by the connection, and it must
not hold up quitting the application either.

They run at a lower CPU priority than the GUI thread (``BACKGROUND_NICE``):
on a busy machine a fleet's workers, and the ssh processes libvirt starts
from them (a child inherits its thread's niceness), would otherwise take
turns on the cores with the GUI thread, which then waits for a core while
the window cannot answer. Background work still gets every cycle the GUI
thread leaves idle.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_Job = tuple[concurrent.futures.Future[Any], Callable[[], Any]]

# Niceness of worker threads: the GUI thread (0) comes first whenever it can run.
BACKGROUND_NICE = 10


def lower_this_thread(nice: int) -> None:
    """Raise the calling thread's niceness to ``nice`` (never lower it).

    Linux keeps a niceness per thread, and any thread may raise its own
    without privilege. Elsewhere ``PRIO_PROCESS`` with a thread id would
    name another process, so nothing is done; where the call fails (a
    sandbox that forbids it) the thread just keeps its priority.
    """
    if not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)


class Worker:
    def __init__(self, name: str, threads: int = 4, nice: int = BACKGROUND_NICE) -> None:
        self._nice = nice
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._serve, name=f"virt-{name}-{i}", daemon=True)
            for i in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(
        self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> concurrent.futures.Future[T]:
        """Queue ``fn``; the returned future completes in a worker thread."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("worker is shut down")
            self._jobs.put((future, functools.partial(fn, *args, **kwargs)))
        return future

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` in a worker thread and await its result on the loop."""
        # get_event_loop: qasync may step a task while its loop is not "running"
        loop = asyncio.get_event_loop()
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs), loop=loop)

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking work and drop queued calls; with ``wait``, block until
        the running calls have returned."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._drop_queued()
                for _ in self._threads:
                    self._jobs.put(None)
        if wait:
            current = threading.current_thread()
            for thread in self._threads:
                if thread is not current:
                    thread.join()

    def _drop_queued(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job[0].cancel()

    def _serve(self) -> None:
        lower_this_thread(self._nice)
        while True:
            job = self._jobs.get()
            if job is None:
                return
            future, call = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = call()
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)


async def start_worker(name: str, threads: int) -> Worker:
    """A worker whose threads were started off the GUI thread.

    Starting a thread waits until it runs Python, and while a fleet's other
    workers hold the interpreter lock that wait stopped the window for
    160-240 ms per host opened.
    """
    starting = asyncio.get_event_loop().run_in_executor(None, Worker, name, threads)
    try:
        return await asyncio.shield(starting)
    except asyncio.CancelledError:  # given up meanwhile: stop it once it exists
        starting.add_done_callback(_shut_down_worker)
        raise


def _shut_down_worker(future: asyncio.Future[Worker]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().shutdown()
