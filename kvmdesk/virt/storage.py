"""Storage pools and volumes: list, start/stop, autostart, create, resize, delete.

Every function takes a ``virConnect`` and runs on a connection's worker.
Records are parsed from libvirt's XML with ElementTree, and new pools and
volumes are described with ElementTree too, so names and paths are data,
never markup.

Input is checked before libvirt sees it: ``InvalidStorageInput`` carries a
stable ``field`` and ``reason`` (the layers above word them). Deleting a
pool, or a volume without ``force``, is refused with ``VolumeInUseError``
while a domain needs the volume: as a disk, or anywhere in a disk's backing
chain, whatever spelling of its path the domain uses (``storage_identity``).
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import libvirt

from kvmdesk.domxml.domain import parse_domain
from kvmdesk.virt.storage_identity import StorageIndex, normal_path, other_uses

GIB = 1024**3
FORMATS = ("qcow2", "raw")
PROGRESS_STEP = 250  # volumes between two progress reports of list_volumes


@dataclass(frozen=True, slots=True)
class PoolRecord:
    name: str
    uuid: str
    active: bool
    autostart: bool
    pool_type: str
    path: str
    capacity: int  # bytes
    allocation: int
    available: int


@dataclass(frozen=True, slots=True)
class VolumeRecord:
    name: str
    path: str
    format: str
    capacity: int  # bytes
    allocation: int
    used_by: tuple[str, ...] = field(default=())


class VolumeInUseError(Exception):
    """A volume (or the pool holding it) is used by domains."""

    def __init__(self, pool: str, volume: str, domains: list[str]) -> None:
        self.pool = pool
        self.volume = volume  # "" when a whole pool was to be deleted
        self.domains = domains
        what = f"volume '{volume}'" if volume else f"pool '{pool}'"
        super().__init__(f"{what} is used by virtual machines: {', '.join(domains)}")


class InvalidStorageInput(ValueError):
    """Input refused before libvirt saw it.

    ``field`` is "name", "path", "size" or "format"; ``reason`` a stable key:
    name "empty", "slash", "dash", "taken"; path "relative", "dotdot",
    "control"; size "invalid", "zero", "space", "shrink"; format "invalid".
    """

    def __init__(self, field: str, reason: str, detail: str = "") -> None:
        self.field = field
        self.reason = reason
        self.detail = detail
        super().__init__(f"{field}: {reason}" + (f" ({detail})" if detail else ""))


# ---------------------------------------------------------------- reading


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _pool_record(pool: libvirt.virStoragePool) -> PoolRecord:
    root = ET.fromstring(pool.XMLDesc(0))
    _state, capacity, allocation, available = pool.info()
    return PoolRecord(
        name=root.findtext("name") or pool.name(),
        uuid=root.findtext("uuid") or "",
        active=bool(pool.isActive()),
        autostart=bool(pool.autostart()),
        pool_type=root.get("type") or "",
        path=root.findtext("target/path") or "",
        capacity=int(capacity),
        allocation=int(allocation),
        available=int(available),
    )


def list_pools(conn: libvirt.virConnect) -> list[PoolRecord]:
    """Every storage pool, sorted by name; one that vanishes meanwhile is left out."""
    records = []
    for pool in conn.listAllStoragePools(0):
        try:
            records.append(_pool_record(pool))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_STORAGE_POOL:
                raise
    return sorted(records, key=lambda r: r.name)


def disk_users(conn: libvirt.virConnect) -> dict[str, set[str]]:
    """Disk source -> names of the domains using it, every domain parsed once.

    Keys are file or device paths, and "pool/volume" for volume disks.
    """
    users: dict[str, set[str]] = defaultdict(set)
    for dom in conn.listAllDomains(0):
        try:
            config = parse_domain(dom.XMLDesc(0))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                continue
            raise
        for disk in config.disks:
            if disk.source:
                users[disk.source].add(config.name)
    return users


class VolumeUsers:
    """Which domains need a volume: its disk, or in a disk's backing chain.

    Every domain's definitions (running and next boot) are read once and
    their disks and backing chains resolved through ``StorageIndex``; a
    volume is then matched by identity (volume key, ``pool/volume``
    reference, normalised path), so ``/images//a.qcow2``, a volume disk and
    the base image under another domain's overlay all count.
    """

    def __init__(self, conn: libvirt.virConnect) -> None:
        self._by_id: dict[str, set[str]] = defaultdict(set)
        for file, use in other_uses(conn, StorageIndex(conn), skip_uuid=""):
            for ident in file.ids:
                self._by_id[ident].add(use.domain)

    def of(self, pool_name: str, name: str, path: str, vol: libvirt.virStorageVol) -> set[str]:
        ids = {f"volume:{pool_name}/{name}", f"key:{vol.key()}"}
        if path:
            ids.add(normal_path(path))
        return set().union(*(self._by_id.get(i, set()) for i in ids))


def _volume_record(
    pool_name: str, vol: libvirt.virStorageVol, users: VolumeUsers | None
) -> VolumeRecord:
    root = ET.fromstring(vol.XMLDesc(0))
    name = root.findtext("name") or vol.name()
    path = root.findtext("target/path") or ""
    fmt = root.find("target/format")
    used = users.of(pool_name, name, path, vol) if users is not None else set()
    return VolumeRecord(
        name=name,
        path=path,
        format=(fmt.get("type") or "") if fmt is not None else "",
        capacity=_int(root.findtext("capacity")),
        allocation=_int(root.findtext("allocation")),
        used_by=tuple(sorted(used)),
    )


def list_volumes(
    conn: libvirt.virConnect,
    pool_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[VolumeRecord]:
    """The volumes of a pool with the domains using each, sorted by name.

    One listing of the pool and one of the domains (who uses what, backing
    chains included, is worked out once, not per volume), then one XML
    description per volume: libvirt
    has no bulk call for volume details. ``progress(done, total)`` is called
    from this (worker) thread every ``PROGRESS_STEP`` volumes.
    """
    pool = conn.storagePoolLookupByName(pool_name)
    users = VolumeUsers(conn)
    volumes = pool.listAllVolumes(0)
    total = len(volumes)
    records = []
    for done, vol in enumerate(volumes, 1):
        try:
            records.append(_volume_record(pool_name, vol, users))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_STORAGE_VOL:
                raise
        if progress is not None and done % PROGRESS_STEP == 0:
            progress(done, total)
    return sorted(records, key=lambda r: r.name)


# ---------------------------------------------------------------- checking


def validate_name(name: str, existing: list[str]) -> None:
    if not name.strip():
        raise InvalidStorageInput("name", "empty")
    if "/" in name:
        raise InvalidStorageInput("name", "slash", name)
    if name.startswith("-"):
        raise InvalidStorageInput("name", "dash", name)
    if any(c in name for c in "\0\n\r"):
        raise InvalidStorageInput("name", "control", name)
    if name in existing:
        raise InvalidStorageInput("name", "taken", name)


def validate_path(path: str) -> str:
    if any(c in path for c in "\0\n\r"):
        raise InvalidStorageInput("path", "control", path)
    if not path.startswith("/"):
        raise InvalidStorageInput("path", "relative", path)
    if ".." in path.split("/"):
        raise InvalidStorageInput("path", "dotdot", path)
    return posixpath.normpath(path)


def size_bytes(size_gib: float) -> int:
    try:
        size = float(size_gib)
    except (TypeError, ValueError) as exc:
        raise InvalidStorageInput("size", "invalid", str(size_gib)) from exc
    if size != size or size in (float("inf"), float("-inf")):
        raise InvalidStorageInput("size", "invalid", str(size_gib))
    if size <= 0:
        raise InvalidStorageInput("size", "zero", str(size_gib))
    return int(size * GIB)


# ---------------------------------------------------------------- pools


def set_pool_active(conn: libvirt.virConnect, name: str, on: bool) -> None:
    pool = conn.storagePoolLookupByName(name)
    if bool(pool.isActive()) == on:
        return
    if on:
        pool.create(0)
    else:
        pool.destroy()


def set_pool_autostart(conn: libvirt.virConnect, name: str, on: bool) -> None:
    conn.storagePoolLookupByName(name).setAutostart(1 if on else 0)


def refresh_pool(conn: libvirt.virConnect, name: str) -> None:
    conn.storagePoolLookupByName(name).refresh(0)


def dir_pool_xml(name: str, path: str) -> str:
    root = ET.Element("pool", type="dir")
    ET.SubElement(root, "name").text = name
    ET.SubElement(ET.SubElement(root, "target"), "path").text = path
    return ET.tostring(root, encoding="unicode")


def create_dir_pool(conn: libvirt.virConnect, name: str, path: str) -> PoolRecord:
    """Define, build, start and autostart a directory pool.

    If it cannot be built or started it is undefined again, so that a
    failed creation leaves nothing behind.
    """
    validate_name(name, [p.name() for p in conn.listAllStoragePools(0)])
    clean = validate_path(path)
    return define_and_start_pool(conn, dir_pool_xml(name, clean), build=True)


def define_and_start_pool(conn: libvirt.virConnect, xml: str, build: bool) -> PoolRecord:
    """Define the pool, build it if asked, start it and set autostart; on a
    failure it is stopped and undefined again, so nothing is left behind."""
    pool = conn.storagePoolDefineXML(xml, 0)
    try:
        if build:
            pool.build(0)
        pool.create(0)
        pool.setAutostart(1)
    except libvirt.libvirtError:
        if pool.isActive():
            pool.destroy()
        pool.undefine()
        raise
    return _pool_record(pool)


def delete_pool(conn: libvirt.virConnect, name: str) -> None:
    """Stop and undefine a pool (its files stay); refused while domains use its volumes."""
    pool = conn.storagePoolLookupByName(name)
    if pool.isActive():
        users = sorted({d for v in list_volumes(conn, name) for d in v.used_by})
        if users:
            raise VolumeInUseError(name, "", users)
        pool.destroy()
    pool.undefine()


# ---------------------------------------------------------------- volumes


def volume_xml(name: str, capacity: int, fmt: str) -> str:
    root = ET.Element("volume")
    ET.SubElement(root, "name").text = name
    ET.SubElement(root, "capacity", unit="bytes").text = str(capacity)
    if fmt == "raw":
        ET.SubElement(root, "allocation", unit="bytes").text = "0"
    ET.SubElement(ET.SubElement(root, "target"), "format", type=fmt)
    return ET.tostring(root, encoding="unicode")


def create_volume(
    conn: libvirt.virConnect, pool_name: str, name: str, size_gib: float, fmt: str = "qcow2"
) -> VolumeRecord:
    """A new volume of ``size_gib`` GiB; no larger than the pool's free space."""
    if fmt not in FORMATS:
        raise InvalidStorageInput("format", "invalid", fmt)
    pool = conn.storagePoolLookupByName(pool_name)
    validate_name(name, list(pool.listVolumes()))
    capacity = size_bytes(size_gib)
    available = int(pool.info()[3])
    if capacity > available:
        raise InvalidStorageInput("size", "space", str(available))
    vol = pool.createXML(volume_xml(name, capacity, fmt), 0)
    return _volume_record(pool_name, vol, None)


def resize_volume(conn: libvirt.virConnect, pool_name: str, name: str, new_size_gib: float) -> None:
    """Grow a volume to ``new_size_gib`` GiB; shrinking is refused (data loss)."""
    vol = conn.storagePoolLookupByName(pool_name).storageVolLookupByName(name)
    capacity = size_bytes(new_size_gib)
    current = int(vol.info()[1])
    if capacity < current:
        raise InvalidStorageInput("size", "shrink", str(current))
    if capacity == current:
        return
    vol.resize(capacity, 0)


def delete_volume(conn: libvirt.virConnect, pool_name: str, name: str, force: bool = False) -> None:
    """Delete a volume; refused while domains use it unless ``force``."""
    vol = conn.storagePoolLookupByName(pool_name).storageVolLookupByName(name)
    if not force:
        record = _volume_record(pool_name, vol, VolumeUsers(conn))
        if record.used_by:
            raise VolumeInUseError(pool_name, name, list(record.used_by))
    vol.delete(0)
