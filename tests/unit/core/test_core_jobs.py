"""Jobs on the test driver: results, failures, cancel, and snapshots run as jobs.

Tests run their body as one coroutine (see ``until`` in conftest.py).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService, JobState
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.virt import snapshots as vs
from kvmdesk.virt.errors import ErrorKind, Failure
from kvmdesk.virt.migrate import DestinationLost
from kvmdesk.virt.snapshots import Mode, NameProblem, SnapshotNameError

Run = Callable[..., Any]
Make = Callable[..., Connection]
Until = Callable[..., Coroutine[Any, Any, None]]
QCOW = "5a5a5a5a-0000-4000-8000-000000000001"
RAW = "5a5a5a5a-0000-4000-8000-000000000002"


def _states(job: Job[Any]) -> list[JobState]:
    seen: list[JobState] = []
    job.changed.connect(lambda: seen.append(job.state) if job.state not in seen[-1:] else None)
    return seen


def test_a_job_runs_beside_the_worker_and_ends_done(
    connection: Make, run: Run, until: Until
) -> None:
    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)
    added: list[Job[Any]] = []
    jobs.added.connect(added.append)
    release = threading.Event()

    def long(virt: libvirt.virConnect, uuid: str) -> str:
        release.wait(10)
        return str(virt.lookupByUUIDString(uuid).name())

    async def body() -> None:
        assert await conn.open_and_wait()
        job = jobs.start(conn, QCOW, "long", long, QCOW)
        assert added == [job] and job.subject == "qcow" and job.state is JobState.RUNNING
        # The connection's own worker stays free while the job runs.
        name = await asyncio.wait_for(conn.call(lambda v: v.lookupByUUIDString(RAW).name()), 5)
        assert name == "raw"
        await asyncio.sleep(0.05)  # a few progress polls (the test driver keeps no job)
        assert job.progress is None and not job.can_cancel
        release.set()
        assert await job.future == "qcow"
        assert job.state is JobState.DONE and job.ended is not None
        assert jobs.running == []
        jobs.clear_finished()
        assert jobs.jobs == []

    run(body())


def test_a_failed_job_says_why(connection: Make, run: Run) -> None:
    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)

    async def body() -> None:
        assert await conn.open_and_wait()
        job = jobs.start(conn, QCOW, "missing", vs.revert, QCOW, "no-such-snapshot")
        with pytest.raises(libvirt.libvirtError):
            await job.future
        assert job.state is JobState.FAILED
        assert job.failure is not None and job.failure.kind is not ErrorKind.CONNECTION_LOST

    run(body())


def test_an_operation_that_knows_what_went_wrong_says_it(connection: Make, run: Run) -> None:
    """A migration whose destination closed is a failure of that kind, not "libvirt
    reported an error", and not a lost link of this job's own host to re-check."""
    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)
    lost = Failure(ErrorKind.DESTINATION_LOST, "Lost connection to destination host")

    def move(_virt: libvirt.virConnect) -> None:
        raise DestinationLost(lost)

    async def body() -> None:
        assert await conn.open_and_wait()
        job = jobs.start(conn, QCOW, "move", move)
        with pytest.raises(DestinationLost):
            await job.future
        assert job.state is JobState.FAILED and job.failure == lost and not job.checked

    run(body())


def test_cancel_that_libvirt_cannot_do_leaves_the_job_running(
    connection: Make, run: Run, until: Until
) -> None:
    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)
    release = threading.Event()

    def long(virt: libvirt.virConnect) -> int:
        release.wait(10)
        return 7

    async def body() -> None:
        assert await conn.open_and_wait()
        job = jobs.start(conn, QCOW, "long", long, abortable=True)
        seen = _states(job)
        assert job.can_cancel
        job.cancel()
        await until(
            lambda: job.state is JobState.RUNNING and job.failure is not None,
            3,
            what=f"{job.state} {job.failure} {seen}",
        )
        assert seen[:2] == [JobState.CANCELLING, JobState.RUNNING]
        assert job.failure is not None and job.failure.kind is ErrorKind.NOT_SUPPORTED
        release.set()
        assert await job.future == 7
        assert job.state is JobState.DONE

    run(body())


def test_snapshots_as_jobs_keep_their_screenshot(
    connection: Make, run: Run, tmp_path: Path
) -> None:
    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)
    service = SnapshotService(jobs, tmp_path / "screens")

    async def body() -> None:
        assert await conn.open_and_wait()
        job = await service.create(conn, QCOW, "first", "words", Mode.INTERNAL)
        assert await job.future == "first"
        screen = service.screen_path(conn, QCOW, "first")
        assert screen.read_bytes().startswith(b"\x89PNG")
        assert screen.is_relative_to(tmp_path / "screens")
        # a name that exists is refused before libvirt, as a failed job
        again = await service.create(conn, QCOW, "first", "", Mode.INTERNAL)
        with pytest.raises(SnapshotNameError) as caught:
            await again.future
        assert caught.value.problem is NameProblem.EXISTS and again.state is JobState.FAILED
        # a shut-off domain has no screen to keep
        off = await service.create(conn, RAW, "offline", "", Mode.DISK_ONLY)
        with pytest.raises(libvirt.libvirtError):  # the test driver has no disk-only snapshots
            await off.future
        assert not service.screen_path(conn, RAW, "offline").exists()
        await service.describe(conn, QCOW, "first", "changed")
        listing = await service.listing(conn, QCOW)
        assert listing.find("first").info.description == "changed"  # type: ignore[union-attr]
        second = await service.create(conn, QCOW, "second", "", Mode.INTERNAL)
        await second.future
        listing = await service.listing(conn, QCOW)
        await service.delete(conn, QCOW, listing, "first", children=True).future
        assert (await service.listing(conn, QCOW)).snapshots == ()
        assert not screen.exists()
        assert not service.screen_path(conn, QCOW, "second").exists()

    run(body())


def test_shutdown_stops_following_the_jobs(connection: Make, run: Run, until: Until) -> None:
    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)
    release = threading.Event()

    async def body() -> None:
        assert await conn.open_and_wait()
        job = jobs.start(conn, QCOW, "long", lambda _v: release.wait(10))
        await asyncio.sleep(0.05)
        jobs.shutdown()
        await until(lambda: job.state.finished)
        assert job.state is JobState.UNKNOWN and job.future.cancelled()
        release.set()

    run(body())


def test_jobs_log_their_command_lines(connection: Make, run: Run, tmp_path: Path) -> None:
    from kvmdesk.core import clone as core_clone
    from kvmdesk.core.command_log import Outcome
    from kvmdesk.virt.clone import CloneRequest, DiskAction
    from kvmdesk.virt.commands import Note

    conn = connection("snapshots.xml")
    jobs = JobService(poll_interval=0.01)
    service = SnapshotService(jobs, tmp_path / "screens")

    async def body() -> None:
        assert await conn.open_and_wait()
        await (await service.create(conn, QCOW, "one", "a b", Mode.INTERNAL)).future
        await service.revert(conn, QCOW, "one").future
        await service.describe(conn, QCOW, "one", "new words")
        listing = await service.listing(conn, QCOW)
        await service.delete(conn, QCOW, listing, "one", children=True).future
        failed = await service.create(conn, QCOW, "a/b", "", Mode.INTERNAL)
        with pytest.raises(SnapshotNameError):
            await failed.future
        plan = await core_clone.plan(conn, QCOW)
        request = CloneRequest("copy", {"sda": DiskAction.SKIP}, pause=True)
        await core_clone.start(jobs, conn, plan, request).future

    run(body())
    entries = conn.command_log.entries
    texts = [e.command.text() for e in entries]
    uri = conn.uri
    assert texts[-6:] == [
        f"virsh -c {uri} snapshot-create-as --domain qcow --name one --description 'a b' --atomic",
        f"virsh -c {uri} snapshot-revert --domain qcow --snapshotname one",
        f"virsh -c {uri} snapshot-create --domain qcow --xmlfile one.snapshot.xml --redefine"
        " --current",
        f"virsh -c {uri} snapshot-delete --domain qcow --snapshotname one --children",
        f"virsh -c {uri} snapshot-create-as --domain qcow --name a/b --atomic",
        # paused for the copy; vda is in no pool here: kept shared (--skip-copy);
        # the CD-ROM sda is shared by virt-clone itself
        f"virsh -c {uri} suspend --domain qcow\n"
        f"virt-clone --connect={uri} --original=qcow --name=copy --skip-copy=vda\n"
        f"virsh -c {uri} resume --domain qcow",
    ]
    # sda was left out of the clone: virt-clone has no option for that
    assert Note.NO_SINGLE_COMMAND in entries[-1].command.notes
    assert [e.outcome for e in entries[-6:]] == [Outcome.OK] * 4 + [Outcome.FAILED, Outcome.OK]
