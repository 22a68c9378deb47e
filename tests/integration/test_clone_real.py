"""Clone of the real test guest through kvmdesk's job, locally and over ssh.

The clone boots to the guest's console marker with its own UUID, MAC and
disk; the source's disk is byte-identical afterwards; a cancelled clone
leaves no volume and no definition behind.
"""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core import clone as core_clone
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobCancelled, JobService, JobState
from kvmdesk.virt.clone import CloneRequest

try:
    from . import daemon
    from .conftest import TEST_URI, _remove_at_teardown, new_guest_name
    from .conftest_pools import ScratchPool, test_pool
    from .conftest_ssh import HOST, SshBed
    from .guest import READY_MARKER, GuestAssets, SerialConsole, guest_domain_xml
except ImportError:
    import daemon  # type: ignore[no-redef]
    from conftest import (  # type: ignore[no-redef]
        TEST_URI,
        _remove_at_teardown,
        new_guest_name,
    )
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import (  # type: ignore[no-redef]
        READY_MARKER,
        GuestAssets,
        SerialConsole,
        guest_domain_xml,
    )

pytestmark = pytest.mark.integration
BOOT_TIMEOUT = 120.0
Run = Callable[..., Any]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _guest(conn: Any, assets: GuestAssets, pool: ScratchPool) -> tuple[Any, Path]:
    """A shut-off test guest with a raw disk of random bytes in the scratch pool."""
    name = new_guest_name()
    disk_path = pool.add_file(f"{name}.img", os.urandom(4 << 20))
    root = ET.fromstring(guest_domain_xml(name, assets))
    disk = ET.Element("disk", type="file", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type="raw")
    ET.SubElement(disk, "source", file=str(disk_path))
    ET.SubElement(disk, "target", dev="vda", bus="virtio")
    devices = root.find("devices")
    assert devices is not None
    devices.insert(0, disk)
    nic = ET.SubElement(devices, "interface", type="user")
    ET.SubElement(nic, "model", type="e1000")
    return conn.defineXML(ET.tostring(root, encoding="unicode")), disk_path


@pytest.fixture
def names(libvirt_conn: Any) -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    _remove_at_teardown(libvirt_conn, made)  # on a fresh link when the daemon was restarted


async def _open(uri: str) -> Connection:
    conn = Connection(uri, persist=False)
    assert await conn.open_and_wait(), conn.failure
    return conn


def _macs(xml: str) -> list[str]:
    return [m.get("address", "") for m in ET.fromstring(xml).iterfind("devices/interface/mac")]


def test_clone_boots_with_its_own_uuid_mac_and_disk(
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    names: list[str],
    run: Run,
) -> None:
    source, disk = _guest(libvirt_conn, guest_assets, test_pool)
    names.append(source.name())
    clone_name = source.name() + "-clone"
    names.append(clone_name)
    before = _sha(disk)
    source_xml = source.XMLDesc(0)
    jobs = JobService(poll_interval=0.1)

    async def body() -> str:
        conn = await _open(TEST_URI)
        try:
            plan = await core_clone.plan(conn, source.UUIDString())
            request = CloneRequest(clone_name, {})
            await core_clone.check(conn, plan, request)
            job = core_clone.start(jobs, conn, plan, request)
            outcome = await job.future
            assert job.state is JobState.DONE
            return outcome.uuid
        finally:
            await conn.shutdown()

    uuid = run(body(), timeout=180)
    clone = libvirt_conn.lookupByUUIDString(uuid)
    assert clone.name() == clone_name and uuid != source.UUIDString()
    assert _macs(clone.XMLDesc(0)) != _macs(source_xml) and _macs(clone.XMLDesc(0))[0]
    clone_disk = Path(ET.fromstring(clone.XMLDesc(0)).find("devices/disk/source").get("file"))  # type: ignore[union-attr]
    assert clone_disk != disk and clone_disk.parent == disk.parent
    assert _sha(clone_disk) == before  # its own copy of the same bytes
    assert _sha(disk) == before and source.XMLDesc(0) == source_xml  # the source untouched
    clone.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, clone)
    try:
        clone.resume()
        console.wait_for(READY_MARKER, BOOT_TIMEOUT)
    finally:
        console.close()
        clone.destroy()


def test_clone_over_ssh_and_a_cancelled_one_leaves_nothing(
    ssh_bed: SshBed,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    names: list[str],
    run: Run,
) -> None:
    source, disk = _guest(libvirt_conn, guest_assets, test_pool)
    names.append(source.name())
    names += [source.name() + "-remote", source.name() + "-cancelled"]
    before = _sha(disk)
    volumes = test_pool.volumes()
    jobs = JobService(poll_interval=0.1)

    async def body() -> None:
        conn = await _open(f"qemu+ssh://{HOST}/system")
        try:
            plan = await core_clone.plan(conn, source.UUIDString())
            cancelled = core_clone.start(
                jobs, conn, plan, CloneRequest(source.name() + "-cancelled", {})
            )
            cancelled.cancel()
            with pytest.raises(JobCancelled):
                await cancelled.future
            assert cancelled.state is JobState.CANCELLED
            assert test_pool.volumes() == volumes
            job = core_clone.start(jobs, conn, plan, CloneRequest(source.name() + "-remote", {}))
            outcome = await job.future
            assert outcome.uuid and len(outcome.volumes) == 1
        finally:
            await conn.shutdown()

    run(body(), timeout=180)
    domains = {d.name() for d in libvirt_conn.listAllDomains()}
    assert source.name() + "-cancelled" not in domains
    assert source.name() + "-remote" in domains
    assert len(test_pool.volumes()) == len(volumes) + 1
    assert _sha(disk) == before


def test_clone_whose_daemon_dies_leaves_no_volume_after_the_reconnect(
    monkeypatch: pytest.MonkeyPatch,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    names: list[str],
    run: Run,
    wait_until: Any,
) -> None:
    source, disk = _guest(libvirt_conn, guest_assets, test_pool)
    names.append(source.name())
    names.append(source.name() + "-cut")
    before = {p.name for p in test_pool.path.iterdir()}
    digest = _sha(disk)
    jobs = JobService(poll_interval=0.1)
    conn = Connection(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    try:
        plan = run(core_clone.plan(conn, source.UUIDString()))
        fired = daemon.kill_after(monkeypatch, libvirt.virStoragePool, "createXMLFrom")
        job = core_clone.start(jobs, conn, plan, CloneRequest(source.name() + "-cut", {}))
        wait_until(lambda: job.state is JobState.CHECKING, 60, "result unknown — checking")
        assert fired  # the volume was made, then the daemon died
        monkeypatch.undo()
        daemon.restart()
        wait_until(lambda: job.state.finished, 120, "the re-read after the reconnect")
        assert job.state is JobState.FAILED and job.checked
    finally:
        run(conn.shutdown())
    assert {p.name for p in test_pool.path.iterdir()} == before  # the partial volume is gone
    assert _sha(disk) == digest
    fresh = libvirt.open(TEST_URI)
    try:
        assert source.name() + "-cut" not in {d.name() for d in fresh.listAllDomains()}
    finally:
        fresh.close()
