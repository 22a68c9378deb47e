"""Deleting a VM on the real libvirtd never deletes a disk another VM needs,
and says what it throws away.

Real qcow2 files in a directory pool of this test: a base image under
another VM's overlay (the overlay's VM shut off, then running), one file
named through two spellings of its path, an external snapshot made by
libvirt (its overlay appears in the pool only after a refresh), an internal
snapshot, and UEFI variables kept or deleted. Guests are named by
``new_guest_name()`` and always removed.
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

from kvmdesk.virt import storage
from kvmdesk.virt.delete import Keep, Part, Piece, Role, execute_delete, plan_delete

try:
    from .conftest import new_guest_name, remove_domain
    from .guest import GuestAssets, default_cache_dir, guest_domain_xml
except ImportError:
    from conftest import new_guest_name, remove_domain  # type: ignore[no-redef]
    from guest import GuestAssets, default_cache_dir, guest_domain_xml  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
MIB = 1024 * 1024


@pytest.fixture
def pool(libvirt_conn: Any) -> Iterator[tuple[Any, Path]]:
    """A directory pool of this test (handle, folder), removed with its files."""
    name = new_guest_name()
    path = default_cache_dir() / "pools" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o755)
    storage.create_dir_pool(libvirt_conn, name, str(path))
    handle = libvirt_conn.storagePoolLookupByName(name)
    handle.setAutostart(0)
    yield handle, path
    with contextlib.suppress(libvirt.libvirtError):
        handle.refresh(0)
        for vol in handle.listAllVolumes(0):
            with contextlib.suppress(libvirt.libvirtError):
                vol.delete(0)
        handle.destroy()
        handle.undefine()
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def domains(libvirt_conn: Any) -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        with contextlib.suppress(libvirt.libvirtError):
            dom = libvirt_conn.lookupByName(name)
            # Snapshots and NVRAM would stop a plain undefine.
            for snap in dom.listAllSnapshots(0):
                snap.delete(libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)
        with contextlib.suppress(libvirt.libvirtError):
            remove_domain(libvirt_conn, name)


def _volume(pool: Any, name: str, fmt: str = "qcow2", backing: str = "") -> str:
    back = ""
    if backing:
        back = f"<backingStore><path>{backing}</path><format type='qcow2'/></backingStore>"
    pool.createXML(
        f"<volume><name>{name}</name><capacity unit='bytes'>{16 * MIB}</capacity>"
        f"<target><format type='{fmt}'/></target>{back}</volume>",
        0,
    )
    return str(pool.storageVolLookupByName(name).path())


def _define(
    conn: Any,
    names: list[str],
    assets: GuestAssets,
    disk: str,
    fmt: str = "qcow2",
    nvram: str = "",
) -> Any:
    """A test guest with ``disk`` as its vda (and UEFI variables at ``nvram``)."""
    name = new_guest_name()
    names.append(name)
    root = ET.fromstring(guest_domain_xml(name, assets))
    devices = root.find("devices")
    assert devices is not None
    element = ET.SubElement(devices, "disk", type="file", device="disk")
    ET.SubElement(element, "driver", name="qemu", type=fmt)
    ET.SubElement(element, "source", file=disk)
    ET.SubElement(element, "target", dev="vda", bus="virtio")
    if nvram:
        os_el = root.find("os")
        assert os_el is not None
        loader = ET.SubElement(os_el, "loader", readonly="yes", type="pflash")
        loader.text = str(Path(nvram).with_name("CODE.fd"))
        ET.SubElement(os_el, "nvram").text = nvram
    return conn.defineXML(ET.tostring(root, encoding="unicode"))


def _qemu_img_info(path: str) -> subprocess.CompletedProcess[str]:
    """What `qemu-img info` says; it fails when the backing file is gone."""
    return subprocess.run(
        ["qemu-img", "info", "--force-share", path], capture_output=True, text=True, check=False
    )


def _defaults(plan: Any) -> list[str]:
    return [c.path for c in plan.choices if c.default_selected]


@pytest.mark.parametrize("overlay_running", [False, True])
def test_a_base_under_another_vms_overlay_is_kept(
    libvirt_conn: Any,
    pool: tuple[Any, Path],
    domains: list[str],
    guest_assets: GuestAssets,
    tmp_path: Path,
    overlay_running: bool,
) -> None:
    handle, _folder = pool
    base = _volume(handle, "base.qcow2")
    overlay = _volume(handle, "overlay.qcow2", backing=base)
    owner = _define(libvirt_conn, domains, guest_assets, base)
    user = _define(libvirt_conn, domains, guest_assets, overlay)
    if overlay_running:
        user.create()  # its live definition names the base in <backingStore>
    assert _qemu_img_info(overlay).returncode == 0

    plan = plan_delete(libvirt_conn, owner.UUIDString())
    [choice] = plan.choices
    assert choice.path == base
    assert choice.keep is Keep.SHARED and not choice.default_selected
    assert choice.shared_with == (user.name(),)
    assert all(use.backing for use in choice.uses)

    outcome = execute_delete(libvirt_conn, plan, _defaults(plan), tmp_path)
    assert outcome.complete and outcome.deleted == []
    assert Piece(Part.FILE, base, "vda") in outcome.left
    info = _qemu_img_info(overlay)
    assert info.returncode == 0, info.stderr
    assert "backing file" in info.stdout


def test_a_base_is_deleted_only_after_the_second_confirmation(
    libvirt_conn: Any,
    pool: tuple[Any, Path],
    domains: list[str],
    guest_assets: GuestAssets,
    tmp_path: Path,
) -> None:
    handle, _folder = pool
    base = _volume(handle, "base.qcow2")
    _volume(handle, "overlay.qcow2", backing=base)
    owner = _define(libvirt_conn, domains, guest_assets, base)
    user = _define(libvirt_conn, domains, guest_assets, str(Path(base).with_name("overlay.qcow2")))
    plan = plan_delete(libvirt_conn, owner.UUIDString())
    outcome = execute_delete(libvirt_conn, plan, [base], tmp_path)  # ticked, not confirmed
    assert outcome.failed == [(base, f"needed by {user.name()}; not confirmed")]
    assert Path(base).exists()


def test_one_file_through_two_spellings_is_shared(
    libvirt_conn: Any,
    pool: tuple[Any, Path],
    domains: list[str],
    guest_assets: GuestAssets,
    tmp_path: Path,
) -> None:
    handle, folder = pool
    path = _volume(handle, "disk.raw", fmt="raw")
    alias = f"{folder}//disk.raw"
    first = _define(libvirt_conn, domains, guest_assets, alias, fmt="raw")
    second = _define(libvirt_conn, domains, guest_assets, path, fmt="raw")
    assert alias in first.XMLDesc(0)  # libvirt keeps the spelling

    plan = plan_delete(libvirt_conn, first.UUIDString())
    [choice] = plan.choices
    assert choice.keep is Keep.SHARED and choice.shared_with == (second.name(),)
    outcome = execute_delete(libvirt_conn, plan, _defaults(plan), tmp_path)
    assert outcome.complete and Path(path).exists()

    other = plan_delete(libvirt_conn, second.UUIDString())
    assert other.choices[0].keep is Keep.NONE  # nobody else needs it now


@pytest.mark.parametrize("keep_nvram", [True, False])
def test_external_snapshot_and_uefi_variables(
    libvirt_conn: Any,
    pool: tuple[Any, Path],
    domains: list[str],
    guest_assets: GuestAssets,
    tmp_path: Path,
    keep_nvram: bool,
) -> None:
    handle, folder = pool
    disk = _volume(handle, "vm.qcow2")
    nvram = folder / "vm_VARS.fd"
    nvram.write_bytes(b"\0" * 4096)
    dom = _define(libvirt_conn, domains, guest_assets, disk, nvram=str(nvram))
    overlay = f"{folder}/vm.before-upgrade"
    dom.snapshotCreateXML(
        "<domainsnapshot><name>before upgrade</name><disks>"
        f"<disk name='vda' snapshot='external'><source file='{overlay}'/></disk>"
        "</disks></domainsnapshot>",
        libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY,
    )
    assert Path(overlay).exists()

    plan = plan_delete(libvirt_conn, dom.UUIDString())
    assert plan.extras.nvram == str(nvram)
    assert [s.name for s in plan.extras.snapshots] == ["before upgrade"]
    rows = {c.path: c for c in plan.choices}
    # libvirt made the overlay outside the pool's knowledge: found after a refresh.
    assert rows[overlay].role is Role.DISK and rows[overlay].keep is Keep.NONE
    # The image before the snapshot is the base, listed and the domain's own.
    assert rows[disk].role is Role.BACKING and rows[disk].keep is Keep.NONE
    assert rows[disk].snapshot == "before upgrade"

    outcome = execute_delete(libvirt_conn, plan, _defaults(plan), tmp_path, keep_nvram=keep_nvram)
    assert outcome.complete, outcome
    assert sorted(outcome.deleted) == sorted([overlay, disk])
    assert Piece(Part.SNAPSHOT, name="before upgrade") in outcome.removed
    nvram_piece = Piece(Part.NVRAM, str(nvram))
    if keep_nvram:
        assert nvram_piece in outcome.left and nvram.exists()
    else:
        assert nvram_piece in outcome.removed and not nvram.exists()
    assert not Path(overlay).exists() and not Path(disk).exists()
    with pytest.raises(libvirt.libvirtError):
        libvirt_conn.lookupByUUIDString(dom.UUIDString())


def test_an_internal_snapshot_goes_with_its_image(
    libvirt_conn: Any,
    pool: tuple[Any, Path],
    domains: list[str],
    guest_assets: GuestAssets,
    tmp_path: Path,
) -> None:
    handle, _folder = pool
    disk = _volume(handle, "inner.qcow2")
    dom = _define(libvirt_conn, domains, guest_assets, disk)
    dom.snapshotCreateXML("<domainsnapshot><name>clean</name></domainsnapshot>", 0)
    plan = plan_delete(libvirt_conn, dom.UUIDString())
    [snap] = plan.extras.snapshots
    assert snap.name == "clean" and not snap.external
    outcome = execute_delete(libvirt_conn, plan, [], tmp_path)
    assert outcome.complete
    assert Piece(Part.SNAPSHOT, name="clean") in outcome.removed
    assert Piece(Part.FILE, disk, "vda") in outcome.left
    # The snapshot's data stays in the kept image.
    listing = subprocess.run(
        ["qemu-img", "snapshot", "-l", "-U", disk], capture_output=True, text=True, check=False
    )
    assert "clean" in listing.stdout


def test_plan_sees_other_vms_through_one_lookup_per_path(
    libvirt_conn: Any,
    pool: tuple[Any, Path],
    domains: list[str],
    guest_assets: GuestAssets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many VMs on one base: the base is looked up once, not once per VM."""
    handle, _folder = pool
    base = _volume(handle, "base.qcow2")
    owner = _define(libvirt_conn, domains, guest_assets, base)
    for i in range(3):
        overlay = _volume(handle, f"o{i}.qcow2", backing=base)
        _define(libvirt_conn, domains, guest_assets, overlay)
    lookups: list[str] = []
    real: Callable[[str], Any] = libvirt_conn.storageVolLookupByPath

    class Counting:
        def __getattr__(self, name: str) -> Any:
            return getattr(libvirt_conn, name)

        def storageVolLookupByPath(self, path: str) -> Any:
            lookups.append(path)
            return real(path)

    plan = plan_delete(Counting(), owner.UUIDString())  # type: ignore[arg-type]
    assert plan.choices[0].keep is Keep.SHARED and len(plan.choices[0].shared_with) == 3
    assert lookups.count(base) == 1
