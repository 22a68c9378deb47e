"""Live migration with its disk copied to a peer that does not share it.

The disk lives under ``/var/lib/libvirt/images``, which the peer sees as a
folder of its own (``conftest_migrate``): the migration must carry its
content. The guest writes a marker onto the disk over its console; after
the move the peer's copy holds it, read by the guest with its page cache
dropped (so it comes from the disk, not from the memory that moved too),
and the peer's file holds it as well.

A full copy (``--copy-storage-all``) needs a pool for the disk's folder on
the destination, where libvirt makes the volume; an incremental one
(``--copy-storage-inc``) copies only the top of the disk's chain onto an
image the destination already has, over the same base.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core import migrate as core_migrate
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.virt import storage
from kvmdesk.virt.migrate import MigrateProblem, Problem, Storage

try:
    from .conftest import new_guest_name
    from .conftest_migrate import (
        boot,
        hosts,
        migrate,
        peer,
        peer_path,
        remove_on_peer,
        request,
        say_on,
    )
    from .guest import GuestAssets, guest_domain_xml
except ImportError:
    from conftest import new_guest_name  # type: ignore[no-redef]
    from conftest_migrate import (  # type: ignore[no-redef]  # noqa: F401
        boot,
        hosts,
        migrate,
        peer,
        peer_path,
        remove_on_peer,
        request,
        say_on,
    )
    from guest import GuestAssets, guest_domain_xml  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
Run = Callable[..., Any]
IMAGES = Path("/var/lib/libvirt/images")
MARKER = "kept-on-disk"
FROM_DISK = "sync; echo 3 > /proc/sys/vm/drop_caches; "


class Pools:
    """A folder pool of one name and path on both hosts: a different folder on each."""

    def __init__(self, source: Any, peer: Any) -> None:
        self.source, self.peer = source, peer
        self.name = new_guest_name()
        self.path = IMAGES / self.name
        self.on_peer = peer_path(str(self.path))
        self._make(source)

    def _make(self, conn: Any) -> None:
        storage.create_dir_pool(conn, self.name, str(self.path))
        conn.storagePoolLookupByName(self.name).setAutostart(0)

    def make_on_peer(self) -> None:
        self._make(self.peer)

    def refresh(self) -> None:
        for conn in (self.source, self.peer):
            with contextlib.suppress(libvirt.libvirtError):
                conn.storagePoolLookupByName(self.name).refresh(0)

    def remove(self) -> None:
        for conn in (self.source, libvirt.open(self.peer.getURI())):
            with contextlib.suppress(libvirt.libvirtError):
                pool = conn.storagePoolLookupByName(self.name)
                if pool.isActive():
                    pool.destroy()
                pool.undefine()
        shutil.rmtree(self.path, ignore_errors=True)
        shutil.rmtree(self.on_peer, ignore_errors=True)


@pytest.fixture
def pools(libvirt_conn: Any, peer: Any) -> Iterator[Pools]:
    made = Pools(libvirt_conn, peer)
    yield made
    made.remove()


@pytest.fixture
def disk_guests(libvirt_conn: Any) -> Iterator[list[str]]:
    """Names of the test's guests, removed from both hosts afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        remove_on_peer(name)
        with contextlib.suppress(libvirt.libvirtError):
            dom = libvirt_conn.lookupByName(name)
            if dom.isActive():
                dom.destroy()
            dom.undefine()


def _guest_on(conn: Any, assets: GuestAssets, names: list[str], disk: Path, fmt: str) -> Any:
    name = new_guest_name()
    names.append(name)
    root = ET.fromstring(guest_domain_xml(name, assets))
    element = ET.Element("disk", type="file", device="disk")
    ET.SubElement(element, "driver", name="qemu", type=fmt)
    ET.SubElement(element, "source", file=str(disk))
    ET.SubElement(element, "target", dev="vda", bus="virtio")
    devices = root.find("devices")
    assert devices is not None
    devices.insert(0, element)
    return conn.defineXML(ET.tostring(root, encoding="unicode"))


def _refusal(
    run: Run, hosts: tuple[Connection, Connection], uuid: str, wanted: Any
) -> list[Problem]:
    source, dest = hosts
    plan = run(core_migrate.plan(source, uuid))
    with pytest.raises(MigrateProblem) as caught:
        run(core_migrate.check(dest, plan, wanted))
    return caught.value.problems


def _moved(
    run: Run, hosts: tuple[Connection, Connection], peer: Any, uuid: str, wanted: Any
) -> Any:
    job = migrate(run, JobService(poll_interval=0.05), hosts, uuid, wanted)
    run(job.future, timeout=240)
    assert job.state is JobState.DONE
    moved = peer.lookupByUUIDString(uuid)
    assert moved.isActive() and moved.isPersistent()
    say_on(peer, moved, "cat /tmp/marker", "moved")  # the memory came along
    return moved


def test_full_copy_carries_the_disk(
    hosts: tuple[Connection, Connection],
    libvirt_conn: Any,
    peer: Any,
    pools: Pools,
    disk_guests: list[str],
    guest_assets: GuestAssets,
    run: Run,
) -> None:
    vol = storage.create_volume(libvirt_conn, pools.name, "disk.raw", 16 / 1024, "raw")
    dom = _guest_on(libvirt_conn, guest_assets, disk_guests, Path(vol.path), "raw")
    console = boot(dom)
    try:
        console.say(f"echo {MARKER} > /dev/vda; echo moved > /tmp/marker; sync; echo ok", "ok")
    finally:
        console.close()
    uuid = dom.UUIDString()
    full = request(storage=Storage.FULL)
    assert _refusal(run, hosts, uuid, full) == [Problem("no-pool-for", (str(pools.path),))]
    pools.make_on_peer()
    moved = _moved(run, hosts, peer, uuid, full)
    say_on(peer, moved, FROM_DISK + "head -n1 /dev/vda", MARKER)
    assert pools.on_peer.joinpath("disk.raw").read_bytes()[: len(MARKER) + 1] == b"kept-on-disk\n"
    line = hosts[0].command_log.entries[-1].command.text()
    assert "--copy-storage-all" in line


def test_incremental_copy_carries_the_top_of_the_chain(
    hosts: tuple[Connection, Connection],
    libvirt_conn: Any,
    peer: Any,
    pools: Pools,
    disk_guests: list[str],
    guest_assets: GuestAssets,
    run: Run,
) -> None:
    """Both hosts have the base (the same bytes); the guest's write lands in the top image."""
    base, top = pools.path / "base.raw", pools.path / "top.qcow2"
    with base.open("wb") as out:
        out.write(b"from-the-base\n")
        out.truncate(16 << 20)
    _overlay(top, base)
    pools.make_on_peer()
    pools.refresh()
    dom = _guest_on(libvirt_conn, guest_assets, disk_guests, top, "qcow2")
    console = boot(dom)
    try:
        console.say(
            f"echo {MARKER} | dd of=/dev/vda bs=512 seek=2048 conv=notrunc 2>/dev/null;"
            " echo moved > /tmp/marker; sync; echo ok",
            "ok",
        )
    finally:
        console.close()
    uuid = dom.UUIDString()
    incremental = request(storage=Storage.INCREMENTAL)
    # libvirt makes no image for an incremental copy: the destination must have it.
    assert _refusal(run, hosts, uuid, incremental) == [
        Problem("missing-for-incremental", (str(top),))
    ]
    shutil.copyfile(base, pools.on_peer / "base.raw")
    _overlay(pools.on_peer / "top.qcow2", base)
    moved = _moved(run, hosts, peer, uuid, incremental)
    say_on(peer, moved, FROM_DISK + "head -n1 /dev/vda", "from-the-base")
    read = "dd if=/dev/vda bs=512 skip=2048 count=1 2>/dev/null | head -n1"
    say_on(peer, moved, FROM_DISK + read, MARKER)
    assert "--copy-storage-inc" in hosts[0].command_log.entries[-1].command.text()


def _overlay(path: Path, base: Path) -> None:
    """A qcow2 image at ``path`` over ``base``, named by its path on the source: on the
    peer that path is the peer's own copy."""
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", str(base), str(path)],
        check=True,
    )
