"""A connection's own worker threads.

Every libvirt call that may touch the network runs here, awaited from the
GUI thread's asyncio loop, so a slow host stalls only its own connection.

The threads are daemon threads, unlike ``ThreadPoolExecutor``'s: a call
stuck on a host that never answers (an ssh that hangs, a black-holed link
before keepalive is set up) is abandoned by the connection, and it must
not hold up quitting the application either.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import queue
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_Job = tuple[concurrent.futures.Future[Any], Callable[[], Any]]


class Worker:
    def __init__(self, name: str, threads: int = 4) -> None:
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
