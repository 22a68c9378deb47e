"""Migration of the real test guest between the test bed's two libvirt daemons.

The peer (``kvmdesk-peerd``, see ``scripts/testbed.sh``) is a second
libvirtd on this machine with its own state and host UUID, so libvirt
migrates to it as to another host: live, with the guest's memory (a file
in its RAM root) arriving intact, peer-to-peer, tunnelled and kvmdesk-driven, offline,
and cancelled (the guest stays on the source). Refusals come from the real
destination before anything moves.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobCancelled, JobService, JobState
from kvmdesk.virt import migrate as virt_migrate
from kvmdesk.virt.migrate import MigrateProblem, MigrateRequest, Mode, Problem

try:
    from .conftest import remove_domain
    from .conftest_migrate import PEER_URI, hosts, migrate, peer, running_guest, say_on
except ImportError:
    from conftest import remove_domain  # type: ignore[no-redef]
    from conftest_migrate import (  # type: ignore[no-redef]  # noqa: F401
        PEER_URI,
        hosts,
        migrate,
        peer,
        running_guest,
        say_on,
    )

pytestmark = pytest.mark.integration
Run = Callable[..., Any]
TRANSPORTS = {
    "peer-to-peer": {"peer2peer": True},
    "direct": {},
    "tunnelled": {"tunnelled": True},
}


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_live_migration_keeps_the_memory(
    hosts: tuple[Connection, Connection],
    running_guest: Any,
    peer: Any,
    libvirt_conn: Any,
    run: Run,
    transport: str,
) -> None:
    """Tunnelled: the memory goes through the source daemon's connection to the peer."""
    uuid, name = running_guest.UUIDString(), running_guest.name()
    jobs = JobService(poll_interval=0.05)
    request = MigrateRequest(PEER_URI, Mode.LIVE, undefine_source=True, **TRANSPORTS[transport])
    job = migrate(run, jobs, hosts, uuid, request)
    assert job.abortable
    outcome = run(job.future, timeout=180)
    assert job.state is JobState.DONE and outcome.name == name
    assert outcome.downtime_ms is not None and "downtime" in job.note
    moved = peer.lookupByUUIDString(uuid)
    assert moved.isActive() and moved.isPersistent()
    with pytest.raises(libvirt.libvirtError):
        libvirt_conn.lookupByUUIDString(uuid)  # undefined on the source, and not running there
    say_on(peer, moved, "cat /tmp/marker", "moved")
    line = hosts[0].command_log.entries[-1].command.text()
    assert "--live" in line and "--undefinesource" in line
    assert ("--tunnelled" in line) == (transport == "tunnelled")


def test_cancel_leaves_the_guest_on_the_source(
    hosts: tuple[Connection, Connection],
    running_guest: Any,
    peer: Any,
    run: Run,
    wait_until: Any,
) -> None:
    """At 1 MiB/s the copy takes minutes: Cancel stops it, the guest runs on where it was."""
    guest = running_guest
    uuid = guest.UUIDString()
    jobs = JobService(poll_interval=0.05)
    job = migrate(run, jobs, hosts, uuid, MigrateRequest(PEER_URI, Mode.LIVE, bandwidth=1))
    wait_until(lambda: job.progress is not None and job.progress.total > 0, 60, "progress")
    job.cancel()
    with pytest.raises(JobCancelled):
        run(job.future, timeout=120)
    assert job.state is JobState.CANCELLED
    assert guest.isActive() and guest.isPersistent()
    with pytest.raises(libvirt.libvirtError):
        peer.lookupByUUIDString(uuid)
    say_on(guest.connect(), guest, "cat /tmp/marker", "moved")


def test_offline_migration_moves_the_definition(
    hosts: tuple[Connection, Connection], define_guest: Any, peer: Any, run: Run
) -> None:
    dom = define_guest()
    uuid, name = dom.UUIDString(), dom.name()
    try:
        request = MigrateRequest(PEER_URI, Mode.OFFLINE, undefine_source=True)
        job = migrate(run, JobService(poll_interval=0.05), hosts, uuid, request)
        assert not job.abortable
        outcome = run(job.future, timeout=120)
        assert outcome.downtime_ms is None and job.note == ""
        there = peer.lookupByUUIDString(uuid)
        assert there.name() == name and there.isPersistent() and not there.isActive()
        with pytest.raises(libvirt.libvirtError):
            dom.connect().lookupByUUIDString(uuid)
    finally:
        remove_domain(peer, name)


def test_the_real_destination_refuses_before_anything_moves(
    libvirt_conn: Any, define_guest: Any, peer: Any
) -> None:
    """TCG emulates no AVX-512; the network exists on neither host; and the
    main daemon is the same host as itself."""
    dom = define_guest()
    root = ET.fromstring(dom.XMLDesc(0))
    for old in root.findall("cpu"):
        root.remove(old)
    cpu = ET.SubElement(root, "cpu", mode="custom", match="exact")
    ET.SubElement(cpu, "model").text = "qemu64"
    ET.SubElement(cpu, "feature", policy="require", name="avx512f")
    iface = ET.SubElement(root.find("devices"), "interface", type="network")  # type: ignore[arg-type]
    ET.SubElement(iface, "source", network="kvmdesk-test-no-such-net")
    dom = libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    plan = virt_migrate.plan_migration(libvirt_conn, dom.UUIDString())
    request = MigrateRequest(PEER_URI, Mode.OFFLINE)
    with pytest.raises(MigrateProblem) as caught:
        virt_migrate.check_migration(peer, plan, request)
    assert caught.value.problems == [
        Problem("cpu", ("avx512f",)),
        Problem("networks-missing", ("kvmdesk-test-no-such-net",)),
    ]
    with pytest.raises(MigrateProblem) as caught:
        virt_migrate.check_migration(libvirt_conn, plan, request)
    assert caught.value.problems == [Problem("same-host")]
    assert not _defined(peer, dom.UUIDString())


def _defined(conn: Any, uuid: str) -> bool:
    try:
        conn.lookupByUUIDString(uuid)
    except libvirt.libvirtError:
        return False
    return True
