"""Judging a disk path by what it points to, before a VM gets it.

A path is only a name: a symlink may lead to another VM's disk image, to a
block device, or to the disk the host itself runs from. ``judge_disk_path``
looks at what is behind it:

* On this machine (a URI without a host) symlinks are resolved and the
  target is looked at: whether it exists, whether it is a block device
  (written as ``<disk type='block'>``, which QEMU needs), and for a block
  device whether the host uses it (``inspect_block_device``: mounted, swap,
  held by LVM/RAID/encryption, or kept open exclusively by the kernel).
* On a remote host kvmdesk cannot see the file system: the path must be a
  volume of a storage pool, and the storage API says where it is and
  whether it is a block device. kvmdesk does not guess beyond that.
* Either way, the domains that already use the same storage are named, by
  the resolved target, the volume's path and its pool/volume name.

The New VM wizard and the hardware forms use it; the sentences are theirs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import libvirt

from kvmdesk.virt.plan_input import PlanInputError, check_path_text, is_remote_uri
from kvmdesk.virt.storage import disk_users

SYS_BLOCK = Path("/sys/dev/block")
MOUNTINFO = Path("/proc/self/mountinfo")
SWAPS = Path("/proc/swaps")


@dataclass(frozen=True, slots=True)
class HostDevice:
    """A block device of this machine, and what on the host uses it."""

    device: str  # /dev/vda1
    whole_disk: bool  # a whole disk (or loop device), not a partition of one
    mounted: tuple[tuple[str, str], ...] = ()  # (device, mount point), its partitions too
    swap: tuple[str, ...] = ()  # devices of it used as swap
    holders: tuple[str, ...] = ()  # kernel devices built on it (LVM, RAID, encryption)
    busy: bool = False  # the kernel refused to let anyone else open it exclusively

    @property
    def in_use(self) -> bool:
        return bool(self.mounted or self.swap or self.holders or self.busy)


@dataclass(frozen=True, slots=True)
class PathCheck:
    path: str  # as given, normalised
    pool: str = ""  # the storage pool holding it, if any
    volume: str = ""
    used_by: tuple[str, ...] = ()  # other domains whose disk it is: warn
    format: str = ""  # qcow2, raw, iso ... when known
    target: str = ""  # what the path leads to (symlinks resolved); "" when not known
    block: bool = False  # a block device: written as <disk type='block'>
    device: HostDevice | None = None  # this machine's block device, with its users

    @property
    def source_type(self) -> str:
        """The <disk type=…> a disk with this path needs."""
        return "block" if self.block else "file"


@dataclass(frozen=True, slots=True)
class _Volume:
    pool: str
    name: str
    format: str
    path: str
    block: bool


def _volume_of(conn: libvirt.virConnect, path: str) -> _Volume | None:
    """The storage volume with this path, if a pool holds it."""
    try:
        vol = conn.storageVolLookupByPath(path)
    except libvirt.libvirtError:
        return None
    try:
        root = ET.fromstring(vol.XMLDesc(0))
        fmt = root.find("target/format")
        kind = (fmt.get("type") or "") if fmt is not None else ""
        where = root.findtext("target/path") or path
    except (libvirt.libvirtError, ET.ParseError):
        kind, where = "", path
    try:
        block = vol.info()[0] == libvirt.VIR_STORAGE_VOL_BLOCK
    except libvirt.libvirtError:
        block = False
    try:
        pool = str(vol.storagePoolLookupByVolume().name())
    except libvirt.libvirtError:
        pool = ""
    return _Volume(pool, str(vol.name()), kind, where, block)


def _local_format(path: str) -> str:
    """qcow2 by its magic bytes, raw otherwise (this machine's files only)."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError:
        return ""
    return "qcow2" if magic == b"QFI\xfb" else "raw"


def _users(
    conn: libvirt.virConnect, names: set[str], local: bool, volume: _Volume | None
) -> tuple[str, ...]:
    """Domains whose disks are one of ``names`` (paths), or ``volume``, or lead there."""
    keys = set(names)
    if volume is not None and volume.pool:
        keys.add(f"{volume.pool}/{volume.name}")
    used: set[str] = set()
    for source, domains in disk_users(conn).items():
        # Another domain's disk may be a symlink to the same place.
        same = source in keys or (
            local and source.startswith("/") and os.path.realpath(source) in names
        )
        if same:
            used |= domains
    return tuple(sorted(used))


def judge_disk_path(conn: libvirt.virConnect, path: str, *, must_exist: bool = True) -> PathCheck:
    """What ``path`` on the host points to, and who uses it.

    Raises ``PlanInputError`` for a path refused as text, one that does not
    exist ("missing") when ``must_exist``, and, on a remote host, one that
    no storage pool holds ("not_volume").
    """
    clean = check_path_text(path)
    if is_remote_uri(conn.getURI()):
        return _judge_remote(conn, clean, must_exist)
    target = os.path.realpath(clean)
    volume = _volume_of(conn, clean) or (_volume_of(conn, target) if target != clean else None)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        if must_exist and volume is None:
            raise PlanInputError("path", "missing", clean) from None
        mode = 0
    block = stat.S_ISBLK(mode) or (volume is not None and volume.block)
    names = {clean, target} | ({volume.path} if volume is not None else set())
    return PathCheck(
        path=clean,
        pool=volume.pool if volume is not None else "",
        volume=volume.name if volume is not None else "",
        used_by=_users(conn, names, True, volume),
        format=volume.format if volume is not None and volume.format else _local_format(target),
        target=target,
        block=block,
        device=inspect_block_device(target) if stat.S_ISBLK(mode) else None,
    )


def _judge_remote(conn: libvirt.virConnect, clean: str, must_exist: bool) -> PathCheck:
    """Through the storage API only: the host's file system is not ours to look at."""
    volume = _volume_of(conn, clean)
    if volume is None:
        if must_exist:
            raise PlanInputError("path", "not_volume", clean)
        return PathCheck(clean, used_by=_users(conn, {clean}, False, None))
    return PathCheck(
        path=clean,
        pool=volume.pool,
        volume=volume.name,
        used_by=_users(conn, {clean, volume.path}, False, volume),
        format=volume.format,
        target=volume.path,
        block=volume.block,
    )


# ---------------------------------------------------------------- block devices


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _mounts() -> list[tuple[str, str, str]]:
    """(major:minor, mount point, source) of every mount of this machine."""
    found = []
    for line in _read(MOUNTINFO).splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        after = line.split(" - ", 1)[1].split()
        source = after[1] if len(after) > 1 else ""
        point = fields[4].replace("\\040", " ")
        found.append((fields[2], point, source))
    return found


def _exclusive_open_refused(device: str) -> bool:
    """The kernel keeps the device (mounted, swap, LVM, RAID): an exclusive open fails."""
    try:
        fd = os.open(device, os.O_RDONLY | os.O_EXCL | os.O_NONBLOCK)
    except OSError as exc:
        return exc.errno == errno.EBUSY  # no permission: not known, not claimed
    os.close(fd)
    return False


def inspect_block_device(device: str) -> HostDevice:
    """What on this machine uses the block device ``device`` (a resolved path)."""
    rdev = os.stat(device).st_rdev
    node = SYS_BLOCK / f"{os.major(rdev)}:{os.minor(rdev)}"
    sysdir = Path(os.path.realpath(node))
    partition = (sysdir / "partition").exists()
    # The device and, for a whole disk, its partitions: "name" -> "major:minor".
    parts = {sysdir.name: _read(sysdir / "dev").strip() or f"{os.major(rdev)}:{os.minor(rdev)}"}
    if not partition and sysdir.is_dir():
        for child in sysdir.iterdir():
            if (child / "partition").exists():
                parts[child.name] = _read(child / "dev").strip()
    numbers = {number: f"/dev/{name}" for name, number in parts.items()}
    paths = {f"/dev/{name}" for name in parts} | {device}
    mounted = []
    for number, point, source in _mounts():
        if number in numbers:
            mounted.append((numbers[number], point))
        elif source.startswith("/") and os.path.realpath(source) in paths:
            mounted.append((source, point))
    swap = []
    for line in _read(SWAPS).splitlines()[1:]:
        fields = line.split()
        if fields and os.path.realpath(fields[0]) in paths:
            swap.append(fields[0])
    holders: list[str] = []
    for name in parts:
        holder_dir = (sysdir if name == sysdir.name else sysdir / name) / "holders"
        with contextlib.suppress(OSError):
            holders += sorted(os.listdir(holder_dir))
    return HostDevice(
        device=device,
        whole_disk=not partition,
        mounted=tuple(dict.fromkeys(mounted)),
        swap=tuple(swap),
        holders=tuple(holders),
        busy=_exclusive_open_refused(device),
    )
