"""Save (managed save) and the restore by Run of the real test guest, as jobs.

A file in the guest's RAM root survives the round trip: the memory went to
the host's disk and came back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libvirt
import pytest

from kvmdesk.core import long_verbs
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainState

try:
    from .conftest import TEST_URI
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from guest import READY_MARKER, SerialConsole  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
Run = Callable[..., Any]


def test_save_and_restore_as_jobs_keep_the_memory(
    libvirt_conn: Any, define_guest: Any, run: Run, wait_until: Any
) -> None:
    dom = define_guest()
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, dom)
    dom.resume()
    console.wait_for(READY_MARKER, 120.0)
    console.say("echo kept > /tmp/marker; cat /tmp/marker", "kept")
    console.close()
    uuid = dom.UUIDString()
    jobs = JobService(poll_interval=0.05)
    conn = Connection(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    try:
        save = long_verbs.start(jobs, conn, conn.domains[uuid], Verb.SAVE)
        assert save.abortable
        assert run(save.future, timeout=120) is True
        assert save.state is JobState.DONE
        wait_until(lambda: conn.domains[uuid].state is DomainState.SAVED, 30, "Saved in the tree")
        assert dom.hasManagedSaveImage(0) and not dom.isActive()
        restore = long_verbs.start(jobs, conn, conn.domains[uuid], Verb.RUN)
        assert restore.title.startswith("Restore") and not restore.abortable
        assert run(restore.future, timeout=120) is True
        wait_until(lambda: conn.domains[uuid].state is DomainState.RUNNING, 30, "running")
    finally:
        run(conn.shutdown())
    assert not dom.hasManagedSaveImage(0)
    console = SerialConsole(libvirt_conn, dom)
    try:
        console.say("cat /tmp/marker", "kept")
    finally:
        console.close()
