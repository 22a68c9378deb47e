"""Save to a file and restore from it with the real test guest, as jobs.

A file in the guest's RAM root survives the round trip. Cancel races the
save at several moments: whichever wins, the host and kvmdesk's note
agree (cancelled: the guest runs and nothing is noted; done: it is shut
off "saved" and the note names a file that exists).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core import saved_file as core_saved
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobCancelled, JobService, JobState
from kvmdesk.virt import saved_file
from kvmdesk.virt.records import DomainState

try:
    from .conftest import TEST_URI
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from guest import READY_MARKER, SerialConsole  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
Run = Callable[..., Any]


def _started(libvirt_conn: Any, define_guest: Any, memory_mib: int = 128) -> Any:
    dom = define_guest(memory_mib=memory_mib)
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, dom)
    dom.resume()
    try:
        console.wait_for(READY_MARKER, 120.0)
        console.say("echo in-file > /tmp/marker; cat /tmp/marker", "in-file")
    finally:
        console.close()
    return dom


@pytest.fixture
def conn(run: Run) -> Any:
    conn = Connection(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    yield conn
    run(conn.shutdown())


def test_save_to_file_and_restore_keep_the_memory(
    libvirt_conn: Any,
    define_guest: Any,
    conn: Connection,
    run: Run,
    wait_until: Any,
    tmp_path: Path,
) -> None:
    dom = _started(libvirt_conn, define_guest)
    uuid = dom.UUIDString()
    path = str(tmp_path / "guest.save")
    jobs = JobService(poll_interval=0.05)
    wait_until(lambda: uuid in conn.domains, 30, "listed")
    save = core_saved.save(jobs, conn, conn.domains[uuid], path)
    assert run(save.future, timeout=120) == path and save.state is JobState.DONE
    wait_until(lambda: conn.domains[uuid].state is DomainState.SAVED_TO_FILE, 30, "Saved to file")
    assert Path(path).stat().st_size > 0 and not dom.isActive()
    assert saved_file.saved_path(libvirt_conn, uuid) == path
    restore = core_saved.restore(jobs, conn, path, uuid, dom.name())
    assert run(restore.future, timeout=120) == uuid
    wait_until(lambda: conn.domains[uuid].state is DomainState.RUNNING, 30, "running")
    assert saved_file.saved_path(libvirt_conn, uuid) == ""
    console = SerialConsole(libvirt_conn, dom)
    try:
        console.say("cat /tmp/marker", "in-file")
    finally:
        console.close()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3])
def test_cancel_racing_a_save_leaves_one_consistent_outcome(
    libvirt_conn: Any,
    define_guest: Any,
    conn: Connection,
    run: Run,
    wait_until: Any,
    tmp_path: Path,
    delay: float,
) -> None:
    dom = _started(libvirt_conn, define_guest, memory_mib=256)
    uuid = dom.UUIDString()
    path = str(tmp_path / "raced.save")
    jobs = JobService(poll_interval=0.05)
    wait_until(lambda: uuid in conn.domains, 30, "listed")
    job = core_saved.save(jobs, conn, conn.domains[uuid], path)
    run(asyncio.sleep(delay))
    job.cancel()
    with contextlib.suppress(JobCancelled):
        run(job.future, timeout=120)
    assert job.state in (JobState.CANCELLED, JobState.DONE)
    state, reason = dom.state()
    if job.state is JobState.CANCELLED:
        assert state == libvirt.VIR_DOMAIN_RUNNING
        assert saved_file.saved_path(libvirt_conn, uuid) == ""
        console = SerialConsole(libvirt_conn, dom)
        try:
            console.say("cat /tmp/marker", "in-file")
        finally:
            console.close()
    else:
        assert (state, reason) == (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SAVED)
        assert saved_file.saved_path(libvirt_conn, uuid) == path and Path(path).exists()
