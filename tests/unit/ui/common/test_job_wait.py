"""Waiting for a job a window started: done, cancelled, failed, or nobody left to tell.

Real jobs on the test driver: each runs ``hold`` beside its connection's
worker, which waits until the test lets it go (or the job's Cancel stops it).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import libvirt
import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.ui.common.job_wait import Cancelled, Done, Failed, Outcome, Unseen, run_job
from kvmdesk.virt.errors import ErrorKind

Run = Callable[..., Any]
Open = Callable[[str], Connection]


class Held:
    """What ``hold`` does once let go: return a name, or fail as libvirt would."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.stop = threading.Event()
        self.fail = False

    def hold(self, virt: libvirt.virConnect) -> str:
        while not self.go.wait(0.01):
            if self.stop.is_set():
                raise RuntimeError("stopped on request")
        if self.fail:
            virt.lookupByName("no-such-domain")  # raises libvirtError
        return "made"

    def start(self, jobs: JobService, conn: Connection) -> Job[str]:
        return jobs.start(conn, "", "Hold", self.hold, cancel=self.stop.set, subject="held")


@pytest.fixture
def conn(open_connection: Open) -> Connection:
    return open_connection("two-domains.xml")


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


async def _waiting(job: Job[str], window: QWidget) -> asyncio.Future[Outcome[str]]:
    """``run_job`` started, and waiting for the job that still runs."""
    waiting = asyncio.ensure_future(run_job(job, window))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    return waiting


def test_a_job_that_worked_gives_its_value(window: QWidget, conn: Connection, run: Run) -> None:
    held = Held()
    job = held.start(JobService(), conn)
    held.go.set()
    assert run(run_job(job, window)) == Done("made")


def test_a_cancelled_job_is_no_failure(window: QWidget, conn: Connection, run: Run) -> None:
    job = Held().start(JobService(), conn)

    async def body() -> Outcome[str]:
        waiting = await _waiting(job, window)
        job.cancel()
        return await waiting

    assert run(body()) == Cancelled()


def test_a_failed_job_gives_the_error_and_its_failure(
    window: QWidget, conn: Connection, run: Run
) -> None:
    held = Held()
    held.fail = True
    job = held.start(JobService(), conn)
    held.go.set()
    outcome = run(run_job(job, window))
    assert isinstance(outcome, Failed)
    assert isinstance(outcome.error, libvirt.libvirtError)
    assert outcome.failure is job.failure  # the job's own account
    assert outcome.failure.kind is ErrorKind.NO_DOMAIN


def test_a_window_closed_meanwhile_has_nobody_to_tell(conn: Connection, run: Run) -> None:
    held = Held()
    held.fail = True
    job = held.start(JobService(), conn)

    async def body() -> Outcome[str]:
        window = QWidget()
        waiting = await _waiting(job, window)
        shiboken6.delete(window)  # the user closed it while the job ran
        held.go.set()
        return await waiting

    assert run(body()) == Unseen()
    assert job.failure is not None  # the jobs list still has the failure to show


def test_the_job_goes_on_when_the_wait_is_cancelled(
    window: QWidget, conn: Connection, run: Run
) -> None:
    held = Held()
    job = held.start(JobService(), conn)

    async def body() -> str:
        waiting = await _waiting(job, window)
        waiting.cancel()  # the page that waited went away
        with pytest.raises(asyncio.CancelledError):
            await waiting
        held.go.set()
        return await job.future

    assert run(body()) == "made"
