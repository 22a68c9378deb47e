"""Disk paths judged by what they point to (test driver, this machine's file system).

Block devices of the host (a mounted loop device, a symlink to one) are
tested against the real daemon in tests/integration/test_disk_paths_real.py,
where the tests may create and mount loop devices.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.domxml import Disk
from kvmdesk.domxml.install import InstallPlan, SourceKind, StorageKind, build_domain
from kvmdesk.virt.disk_paths import judge_disk_path
from kvmdesk.virt.plan_checks import PlanInputError

Opener = Callable[[str], libvirt.virConnect]


@pytest.fixture
def conn(virt: Opener) -> libvirt.virConnect:
    return virt("create.xml")


def test_a_symlink_to_another_vms_disk_names_that_vm(
    conn: libvirt.virConnect, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.img"
    link.symlink_to("/srv/disks/existing.img")  # the disk of "existing", by path
    judged = judge_disk_path(conn, str(link), must_exist=False)
    assert judged.target == "/srv/disks/existing.img"
    assert judged.used_by == ("existing",)
    volume_link = tmp_path / "volume.qcow2"
    volume_link.symlink_to("/var/lib/libvirt/images/used.qcow2")  # a volume "existing" uses
    judged = judge_disk_path(conn, str(volume_link))
    assert (judged.pool, judged.volume, judged.used_by) == ("images", "used.qcow2", ("existing",))


def test_a_domain_whose_disk_is_a_symlink_is_found_from_the_real_file(
    conn: libvirt.virConnect, tmp_path: Path
) -> None:
    real = tmp_path / "real.img"
    real.write_bytes(bytes(512))
    link = tmp_path / "link.img"
    link.symlink_to(real)
    xml = conn.lookupByName("existing").XMLDesc(0).replace("/srv/disks/existing.img", str(link))
    conn.defineXML(xml)
    assert judge_disk_path(conn, str(real)).used_by == ("existing",)


def test_a_chain_of_symlinks_and_a_dangling_one(conn: libvirt.virConnect, tmp_path: Path) -> None:
    real = tmp_path / "disk.qcow2"
    real.write_bytes(b"QFI\xfb" + bytes(60))
    first = tmp_path / "first"
    second = tmp_path / "second"
    second.symlink_to(real)
    first.symlink_to(second)
    judged = judge_disk_path(conn, str(first))
    assert (judged.target, judged.format, judged.block) == (str(real), "qcow2", False)
    assert judged.source_type == "file" and judged.device is None
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "gone")
    with pytest.raises(PlanInputError) as caught:
        judge_disk_path(conn, str(dangling))
    assert caught.value.reason == "missing"


def test_a_block_device_is_judged_block_and_inspected(conn: libvirt.virConnect) -> None:
    """/dev/null is a character device: neither block nor a file the VM could use as such."""
    judged = judge_disk_path(conn, "/dev/null")
    assert not judged.block and judged.device is None


def _disk(plan: InstallPlan) -> Disk:
    return next(d for d in build_domain(plan).devices if isinstance(d, Disk))


def test_the_plan_writes_the_judged_type() -> None:
    common: dict[str, Any] = {
        "name": "v",
        "source": SourceKind.MANUAL,
        "storage": StorageKind.EXISTING,
    }
    link = "/var/lib/vms/fast"  # a symlink to a block device, judged as such
    plan = InstallPlan(**common, disk_path=link, source_types=((link, "block"),))
    disk = _disk(plan)
    assert (disk.type, disk.source) == ("block", link)
    # A file under /dev (tmpfs) judged as a file is not taken for a device.
    shm = "/dev/shm/disk.img"
    plan = InstallPlan(**common, disk_path=shm, source_types=((shm, "file"),))
    assert _disk(plan).type == "file"
    # Not judged: the old guess still holds.
    assert _disk(InstallPlan(**common, disk_path="/dev/sdz")).type == "block"
