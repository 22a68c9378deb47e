"""A connection's own worker threads.

Every libvirt call that may touch the network runs here, awaited from the
GUI thread's asyncio loop, so a slow host stalls only its own connection.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Worker:
    def __init__(self, name: str, threads: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"virt-{name}")
        self._closed = False

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` in a worker thread and await its result on the loop."""
        if self._closed:
            raise RuntimeError("worker is shut down")
        # get_event_loop: qasync may step a task while its loop is not "running"
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking work; with ``wait``, block until running calls return."""
        self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)
