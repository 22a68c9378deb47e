"""Background coroutines of one owner (a connection, a page, a dialog).

asyncio keeps only weak references to tasks, so whoever starts one must
hold it until it ends; and a task that fails with nobody awaiting it would
otherwise fail silently. ``TaskSet`` does both: it holds its tasks, logs
the failure of any of them, and cancels them together when its owner goes
away. Tests wait for ``not owner._tasks``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterator
from typing import Any

_log = logging.getLogger(__name__)


class TaskSet:
    def __init__(self, what: str, log: logging.Logger | None = None) -> None:
        self._what = what  # "console task", for the log line of a failure
        self._log = log or _log
        self._tasks: set[asyncio.Future[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        """Run ``coro`` as a task held by this set."""
        return self.add(asyncio.ensure_future(coro))

    def add(self, task: asyncio.Future[Any]) -> asyncio.Future[Any]:
        """Hold a task (or future) started elsewhere."""
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def cancel_all(self) -> None:
        """Cancel every task but the one running this call, if it is one of them."""
        try:
            current = asyncio.current_task()
        except RuntimeError:  # no running loop (called from a plain Qt slot)
            current = None
        for task in list(self._tasks):
            if task is not current:
                task.cancel()

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self._log.error("%s failed", self._what, exc_info=exc)

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[asyncio.Future[Any]]:
        return iter(list(self._tasks))

    def __contains__(self, task: object) -> bool:
        return task in self._tasks
