"""Migration of the real test guest between the test bed's two libvirt daemons.

The peer (``kvmdesk-peerd``, see ``scripts/testbed.sh``) is a second
libvirtd on this machine with its own state and host UUID, so libvirt
migrates to it as to another host: live, with the guest's memory (a file
in its RAM root) arriving intact, peer-to-peer and kvmdesk-driven, offline,
and cancelled (the guest stays on the source). Refusals come from the real
destination before anything moves.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

import libvirt
import pytest

from kvmdesk.core import migrate as core_migrate
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobCancelled, JobService, JobState
from kvmdesk.virt import migrate as virt_migrate
from kvmdesk.virt.migrate import MigrateProblem, MigrateRequest, Mode, Problem

try:
    from .conftest import TEST_URI, remove_domain, unavailable
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from conftest import TEST_URI, remove_domain, unavailable  # type: ignore[no-redef]
    from guest import READY_MARKER, SerialConsole  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
Run = Callable[..., Any]
PEER_URI = "qemu+unix:///system?socket=/var/lib/kvmdesk-peer/run/libvirt-sock"


@pytest.fixture
def peer(libvirt_conn: Any) -> Iterator[Any]:
    try:
        conn = libvirt.open(PEER_URI)
    except libvirt.libvirtError as exc:
        unavailable(f"the peer libvirtd does not answer (scripts/testbed.sh start): {exc}")
    yield conn
    with contextlib.suppress(libvirt.libvirtError):
        conn.close()


@pytest.fixture
def hosts(run: Run, peer: Any) -> Iterator[tuple[Connection, Connection]]:
    source, dest = Connection(TEST_URI, persist=False), Connection(PEER_URI, persist=False)
    for conn in (source, dest):
        assert run(conn.open_and_wait()), conn.failure
    yield source, dest
    for conn in (source, dest):
        run(conn.shutdown())


@pytest.fixture
def guest(define_guest: Any, peer: Any) -> Iterator[Any]:
    """A running test guest on the main daemon with a marker in its memory;
    removed from both hosts afterwards."""
    dom = define_guest()
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(dom.connect(), dom)
    dom.resume()
    try:
        console.wait_for(READY_MARKER, 120.0)
        console.say("echo moved > /tmp/marker; cat /tmp/marker", "moved")
    finally:
        console.close()
    yield dom
    remove_domain(peer, dom.name())


def _migrate(
    run: Run, jobs: JobService, hosts: tuple[Connection, Connection], uuid: str, request: Any
) -> Any:
    source, dest = hosts
    plan = run(core_migrate.plan(source, uuid))
    run(core_migrate.check(dest, plan, request))
    return core_migrate.start(jobs, source, dest, plan, request)


@pytest.mark.parametrize("peer2peer", [True, False], ids=["peer-to-peer", "direct"])
def test_live_migration_keeps_the_memory(
    hosts: tuple[Connection, Connection],
    guest: Any,
    peer: Any,
    libvirt_conn: Any,
    run: Run,
    peer2peer: bool,
) -> None:
    uuid, name = guest.UUIDString(), guest.name()
    jobs = JobService(poll_interval=0.05)
    request = MigrateRequest(PEER_URI, Mode.LIVE, peer2peer=peer2peer, undefine_source=True)
    job = _migrate(run, jobs, hosts, uuid, request)
    assert job.abortable
    outcome = run(job.future, timeout=180)
    assert job.state is JobState.DONE and outcome.name == name
    assert outcome.downtime_ms is not None and "downtime" in job.note
    moved = peer.lookupByUUIDString(uuid)
    assert moved.isActive() and moved.isPersistent()
    with pytest.raises(libvirt.libvirtError):
        libvirt_conn.lookupByUUIDString(uuid)  # undefined on the source, and not running there
    console = SerialConsole(peer, moved)
    try:
        console.say("cat /tmp/marker", "moved")
    finally:
        console.close()
    entry = hosts[0].command_log.entries[-1]
    assert "--live" in entry.command.text() and "--undefinesource" in entry.command.text()


def test_cancel_leaves_the_guest_on_the_source(
    hosts: tuple[Connection, Connection],
    guest: Any,
    peer: Any,
    run: Run,
    wait_until: Any,
) -> None:
    """At 1 MiB/s the copy takes minutes: Cancel stops it, the guest runs on where it was."""
    uuid = guest.UUIDString()
    jobs = JobService(poll_interval=0.05)
    job = _migrate(run, jobs, hosts, uuid, MigrateRequest(PEER_URI, Mode.LIVE, bandwidth=1))
    wait_until(lambda: job.progress is not None and job.progress.total > 0, 60, "progress")
    job.cancel()
    with pytest.raises(JobCancelled):
        run(job.future, timeout=120)
    assert job.state is JobState.CANCELLED
    assert guest.isActive() and guest.isPersistent()
    with pytest.raises(libvirt.libvirtError):
        peer.lookupByUUIDString(uuid)
    console = SerialConsole(guest.connect(), guest)
    try:
        console.say("cat /tmp/marker", "moved")
    finally:
        console.close()


def test_offline_migration_moves_the_definition(
    hosts: tuple[Connection, Connection], define_guest: Any, peer: Any, run: Run
) -> None:
    dom = define_guest()
    uuid, name = dom.UUIDString(), dom.name()
    try:
        request = MigrateRequest(PEER_URI, Mode.OFFLINE, undefine_source=True)
        job = _migrate(run, JobService(poll_interval=0.05), hosts, uuid, request)
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
