"""TaskSet: holds background tasks, logs their failures, cancels them together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest

from kvmdesk.core.tasks import TaskSet

Run = Callable[..., Any]


def test_a_task_is_held_until_it_ends(run: Run) -> None:
    tasks = TaskSet("test task")

    async def body() -> None:
        gate = asyncio.Event()
        tasks.spawn(gate.wait())
        assert len(tasks) == 1
        gate.set()
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    run(body())
    assert not tasks


def test_a_failure_is_logged_with_what_failed(run: Run, caplog: pytest.LogCaptureFixture) -> None:
    tasks = TaskSet("console task")

    async def fail() -> None:
        raise ValueError("boom")

    async def body() -> None:
        tasks.spawn(fail())
        for _ in range(3):
            await asyncio.sleep(0)

    with caplog.at_level(logging.ERROR):
        run(body())
    assert "console task failed" in caplog.text and "boom" in caplog.text
    assert not tasks


def test_cancel_all_spares_the_calling_task(run: Run, caplog: pytest.LogCaptureFixture) -> None:
    tasks = TaskSet("test task")
    outcome: list[str] = []

    async def sleeper() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    async def canceller() -> None:
        await asyncio.sleep(0)
        tasks.cancel_all()
        outcome.append("canceller went on")

    async def body() -> None:
        tasks.spawn(sleeper())
        done = tasks.spawn(canceller())
        await done
        await asyncio.sleep(0)

    run(body())
    assert sorted(outcome) == ["cancelled", "canceller went on"]
    assert not tasks
    assert "failed" not in caplog.text  # a cancelled task is no failure


def test_cancel_all_from_a_plain_call(run: Run) -> None:
    tasks = TaskSet("test task")

    async def body() -> asyncio.Future[Any]:
        return tasks.spawn(asyncio.sleep(30))

    task = run(body())
    tasks.cancel_all()  # outside any task, as a Qt slot would
    run(asyncio.sleep(0))
    assert task.cancelled()
