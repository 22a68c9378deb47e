"""The destination's daemon killed in the middle of a live migration.

At 1 MiB/s the copy takes minutes, so the peer libvirtd is SIGKILLed while
it runs. The job must end as failed with a plain sentence, the guest must
go on running on the source with its memory, and the peer, started again
by ``testbed.sh``, must hold nothing of the half-arrived guest. The peer
is started again whatever the test found (``peer_restarted``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.ui.main.jobs_view import JobsView
from kvmdesk.virt.migrate import DestinationLost

try:
    from .conftest_migrate import (
        PEER_URI,
        hosts,
        kill_peer,
        migrate,
        peer,
        peer_restarted,
        request,
        running_guest,
        say_on,
        start_peer,
    )
except ImportError:
    from conftest_migrate import (  # type: ignore[no-redef]  # noqa: F401
        PEER_URI,
        hosts,
        kill_peer,
        migrate,
        peer,
        peer_restarted,
        request,
        running_guest,
        say_on,
        start_peer,
    )

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]
Run = Callable[..., Any]
TRANSPORTS = {"peer-to-peer": {"peer2peer": True}, "direct": {}}


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_a_killed_destination_leaves_the_guest_on_the_source(
    peer_restarted: None,
    hosts: tuple[Connection, Connection],
    running_guest: Any,
    run: Run,
    wait_until: Any,
    transport: str,
) -> None:
    guest = running_guest
    uuid = guest.UUIDString()
    jobs = JobService(poll_interval=0.05)
    view = JobsView(jobs)
    wanted = request(bandwidth=1, **TRANSPORTS[transport])
    job = migrate(run, jobs, hosts, uuid, wanted)
    wait_until(lambda: job.progress is not None and job.progress.processed > 0, 60, "progress")
    kill_peer()
    wait_until(lambda: job.state.finished, 60, "the job's end")
    assert job.state is JobState.FAILED, (job.state, job.failure)
    assert isinstance(job.future.exception(), DestinationLost)
    row = view.row_of(job)
    assert row is not None
    assert row.text(6) == (
        "Failed: The destination host stopped answering. — the machine runs on at the source"
    )
    assert guest.info()[0] == libvirt.VIR_DOMAIN_RUNNING and guest.isPersistent()
    say_on(guest.connect(), guest, "cat /tmp/marker; echo usable > /tmp/after", "moved")
    say_on(guest.connect(), guest, "cat /tmp/after", "usable")
    start_peer()
    # The restarted peer ends the half-arrived guest: nothing of it is left there.
    peer = libvirt.open(PEER_URI)
    try:
        assert uuid not in [d.UUIDString() for d in peer.listAllDomains(0)]
    finally:
        peer.close()
    left = subprocess.run(["pgrep", "-f", f"guest={guest.name()},"], capture_output=True, text=True)
    assert len(left.stdout.split()) == 1  # the source's QEMU only
    view.deleteLater()
