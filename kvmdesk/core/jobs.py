"""Every long operation of every connection, with its progress: the jobs.

A ``Job`` is one long operation (a snapshot, a revert, a save ...). The
``JobService`` runs it beside its connection's worker (``long_call``),
polls libvirt's job statistics for the domain on the connection's own
worker once a second while it runs, and offers Cancel where libvirt can
stop the job (``abortJob``). The service owns the tasks, so a job goes on
when the page that started it shows another domain.

When the link drops during a job, the job does not pretend to know how it
ended: it says "result unknown — checking", waits for the connection's
own reconnect and reads the host again (the operation's ``recheck``).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import libvirt
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.command_log import CommandLog
from kvmdesk.core.connection import Connection
from kvmdesk.core.long_call import call_long
from kvmdesk.core.steps import lost_link, wait_connected
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt import jobs as virt_jobs
from kvmdesk.virt.commands import Command
from kvmdesk.virt.errors import ErrorKind, Failure, NotConnectedError, classify
from kvmdesk.virt.jobs import JobProgress

log = logging.getLogger(__name__)
T = TypeVar("T")


class JobState(enum.Enum):
    RUNNING = "running"
    CANCELLING = "cancelling"
    CHECKING = "checking"  # the link dropped: result unknown, re-read after reconnect
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"  # the link did not come back: nobody can say

    @property
    def finished(self) -> bool:
        return self not in (JobState.RUNNING, JobState.CANCELLING, JobState.CHECKING)


class JobCancelled(Exception):
    """The user cancelled the job and libvirt stopped it."""


class Job(QObject, Generic[T]):
    """One long operation; ``changed`` fires on every new state or reading."""

    changed = Signal()

    def __init__(self, uri: str, subject: str, title: str, abortable: bool) -> None:
        super().__init__()
        self.uri = uri
        self.subject = subject  # the domain's name, as shown
        self.title = title  # "Create snapshot “before upgrade”"
        self.abortable = abortable  # libvirt can stop it: Cancel is offered
        self.state = JobState.RUNNING
        self.failure: Failure | None = None
        self.progress: JobProgress | None = None
        self.started = time.monotonic()
        self.ended: float | None = None
        self.checked = False  # the link dropped; the outcome was read again after the reconnect
        self.note = ""  # what the operation adds to its state (a migration's downtime)
        self.future: asyncio.Future[T] = asyncio.get_event_loop().create_future()
        # The jobs view shows a failure; whoever started the job need not await it.
        self.future.add_done_callback(_retrieved)
        self._abort: Callable[[], None] | None = None

    @property
    def can_cancel(self) -> bool:
        return self.abortable and self.state is JobState.RUNNING

    def cancel(self) -> None:
        """Ask libvirt to stop the job; the outcome arrives as a new state."""
        if self.can_cancel and self._abort is not None:
            self._abort()

    def set_note(self, note: str) -> None:
        if note != self.note:
            self.note = note
            self.changed.emit()

    def elapsed(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def remaining(self) -> float | None:
        """Seconds still to go: libvirt's estimate, else from the share done so far."""
        if self.state.finished or self.progress is None:
            return None
        if self.progress.remaining_ms is not None:
            return self.progress.remaining_ms / 1000
        fraction = self.progress.fraction
        if not fraction:
            return None
        return self.elapsed() * (1 - fraction) / fraction

    def _set(self, state: JobState, failure: Failure | None = None) -> None:
        self.state = state
        if failure is not None:
            self.failure = failure
        if state.finished and self.ended is None:
            self.ended = time.monotonic()
        self.changed.emit()


class JobService(QObject):
    """Runs and lists the long operations of all connections."""

    added = Signal(object)  # Job

    def __init__(self, poll_interval: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.poll_interval = poll_interval
        self.jobs: list[Job[Any]] = []
        self._tasks = TaskSet("job", log)

    @property
    def running(self) -> list[Job[Any]]:
        return [j for j in self.jobs if not j.state.finished]

    def shutdown(self) -> None:
        """Stop following the jobs (the application quits): they are left to libvirt."""
        self._tasks.cancel_all()

    def clear_finished(self) -> None:
        self.jobs = [j for j in self.jobs if not j.state.finished]

    def start(
        self,
        conn: Connection,
        uuid: str,
        title: str,
        fn: Callable[..., T],
        *args: Any,
        abortable: bool = False,
        recheck: Callable[[libvirt.virConnect], T | None] | None = None,
        progress: Callable[[libvirt.virConnect], JobProgress | None] | None = None,
        cancel: Callable[[], None] | None = None,
        counter: Callable[[], JobProgress | None] | None = None,
        subject: str = "",
        command: Command | None = None,
    ) -> Job[T]:
        """Start ``fn(virConnect, *args)`` as a job on domain ``uuid``.

        ``abortable``: Cancel asks libvirt to stop the domain's job
        (``abortJob``); or ``cancel`` is called instead (an operation that
        checks between its steps). ``progress(virConnect)`` reads how far
        it got (default: the domain's job statistics). ``recheck(virConnect)``
        reads, after a dropped link, whether the operation took place: its
        result (None: it did not). ``counter()`` is progress kept on this
        side (bytes sent into a stream), read without asking the host. A job
        on no domain (an upload) passes ``uuid`` "" and names its ``subject``.
        ``command`` goes into the connection's command log with the outcome.
        """
        record = conn.domains.get(uuid)
        job: Job[T] = Job(
            conn.uri,
            subject or (record.name if record else uuid),
            title,
            abortable or cancel is not None,
        )
        self.jobs.append(job)
        if command is not None:
            _log(conn.command_log, command, job.future)
        if cancel is not None:
            job._abort = lambda: self._cancel_by_hand(job, cancel)
        else:
            job._abort = lambda: self._start_abort(job, conn, uuid)
        on_host = progress or (lambda virt: virt_jobs.read_progress(virt, uuid))

        async def reader() -> JobProgress | None:
            if counter is not None:
                return counter()
            if progress is None and not uuid:
                return None  # no domain, nothing to read: a busy bar
            return await conn.call(on_host)

        self.added.emit(job)
        self._tasks.spawn(self._run(job, conn, uuid, fn, args, recheck, reader))
        return job

    def _cancel_by_hand(self, job: Job[T], cancel: Callable[[], None]) -> None:
        job._set(JobState.CANCELLING)
        cancel()

    async def _run(
        self,
        job: Job[T],
        conn: Connection,
        uuid: str,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        recheck: Callable[[libvirt.virConnect], T | None] | None,
        reader: Callable[[], Awaitable[JobProgress | None]],
    ) -> None:
        call = asyncio.ensure_future(call_long(conn, fn, *args))
        poll = self._tasks.spawn(self._poll(job, conn, reader, call))
        try:
            result = await call
        except asyncio.CancelledError:
            call.cancel()
            job._set(JobState.UNKNOWN)
            job.future.cancel()
            raise
        except Exception as exc:  # libvirtError, NotConnectedError, the operation's own
            await self._failed(job, conn, exc, recheck)
        else:
            job._set(JobState.DONE)
            job.future.set_result(result)
        finally:
            poll.cancel()
            job._abort = None
            if uuid:
                conn.invalidate(uuid)

    async def _failed(
        self,
        job: Job[T],
        conn: Connection,
        exc: Exception,
        recheck: Callable[[libvirt.virConnect], T | None] | None,
    ) -> None:
        lost = lost_link(exc)
        if lost is not None and recheck is not None:
            job._set(JobState.CHECKING, lost)
            found, why = await self._recheck(conn, recheck)
            job.checked = why is None
            if why is not None:
                job._set(JobState.UNKNOWN, why)
                job.future.set_exception(exc)
            elif found is not None:
                job._set(JobState.DONE)
                job.future.set_result(found)
            else:
                job._set(JobState.FAILED, lost)
                job.future.set_exception(exc)
            return
        if job.state is JobState.CANCELLING:
            job._set(JobState.CANCELLED, classify(exc))
            job.future.set_exception(JobCancelled(str(exc)))
            return
        job._set(JobState.FAILED, _failure(exc))
        job.future.set_exception(exc)

    async def _recheck(
        self, conn: Connection, recheck: Callable[[libvirt.virConnect], T | None]
    ) -> tuple[T | None, Failure | None]:
        while True:
            if not await wait_connected(conn):
                return None, conn.failure or Failure(ErrorKind.NOT_CONNECTED, "closed")
            try:
                return await conn.call(recheck), None
            except (libvirt.libvirtError, NotConnectedError) as exc:
                failure = classify(exc)
                if failure.kind not in (ErrorKind.CONNECTION_LOST, ErrorKind.NOT_CONNECTED):
                    return None, failure
                await asyncio.sleep(0.1)
            except Exception as exc:  # the re-read found something it could not set right
                return None, _failure(exc)

    async def _poll(
        self,
        job: Job[T],
        conn: Connection,
        reader: Callable[[], Awaitable[JobProgress | None]],
        call: asyncio.Future[T],
    ) -> None:
        while not call.done():
            await asyncio.sleep(self.poll_interval)
            if call.done() or not conn.is_connected:
                continue
            try:
                progress = await reader()
            except (libvirt.libvirtError, NotConnectedError) as exc:
                log.debug("job progress of %s: %s", job.title, exc)
                continue
            if progress is not None and not call.done():
                job.progress = progress
                job.changed.emit()

    def _start_abort(self, job: Job[T], conn: Connection, uuid: str) -> None:
        self._tasks.spawn(self._abort(job, conn, uuid))

    async def _abort(self, job: Job[T], conn: Connection, uuid: str) -> None:
        job._set(JobState.CANCELLING)
        try:
            await conn.call(virt_jobs.abort, uuid)
        except (libvirt.libvirtError, NotConnectedError) as exc:
            if job.state is JobState.CANCELLING:
                # Nothing to stop (finished meanwhile, or not a job libvirt can stop).
                job.failure = classify(exc)
                job._set(JobState.RUNNING)


def _log(log: CommandLog, command: Command, future: asyncio.Future[Any]) -> None:
    """``command`` in the log now, with the job's outcome once it ends."""
    entry = log.add(command)

    def ended(done: asyncio.Future[Any]) -> None:
        if done.cancelled():
            log.finish(entry, "not followed to its end (kvmdesk quit)")
        elif done.exception() is not None:
            log.failed(entry, done.exception() or Exception())
        else:
            log.finish(entry)

    future.add_done_callback(ended)


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _failure(exc: Exception) -> Failure:
    if isinstance(exc, (libvirt.libvirtError, NotConnectedError)):
        return classify(exc)
    own = getattr(exc, "failure", None)  # an operation's own reading of what went wrong
    if isinstance(own, Failure):
        return own
    return Failure(ErrorKind.OTHER, str(exc))
