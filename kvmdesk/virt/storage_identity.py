"""Which file a disk really is, and who else needs it (blocking).

Two domains can name one file in different ways: ``/pool//disk.raw`` and
``/pool/disk.raw``, ``/pool/./disk.raw``, a ``pool/volume`` reference and
the volume's path. And a file can be needed without being anybody's disk:
the base image under another domain's qcow2 overlay. So storage is compared
by identity, never by the string a domain happens to use:

* a file's identities are its normalised path and, when a storage pool
  holds it, the volume's key and normalised path (a path no pool knows is
  looked for again after its pool was refreshed: files made by libvirt
  itself, such as external snapshot overlays, appear in a pool only then);
* a disk's backing chain comes from ``<backingStore>`` in the domain's live
  definition, and from the volumes' own backing stores (what libvirt read
  from the qcow2 headers), walked down to the last base.

``StorageIndex`` looks each path up once per deletion plan.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import libvirt

from kvmdesk.domxml.backing import MAX_CHAIN, backing_chains
from kvmdesk.domxml.check import parse_checked
from kvmdesk.domxml.domain import Disk, parse_domain

# Formats whose images can have a backing file; raw cannot.
_LAYERED = frozenset({"", "qcow2", "qcow", "qed", "vmdk", "vhdx", "vpc", "cow"})
_NOT_FOUND = frozenset(
    {
        libvirt.VIR_ERR_NO_STORAGE_VOL,
        libvirt.VIR_ERR_NO_STORAGE_POOL,
        libvirt.VIR_ERR_INVALID_STORAGE_VOL,
        libvirt.VIR_ERR_OPERATION_INVALID,  # the volume's pool is not running
    }
)


def normal_path(path: str) -> str:
    """``path`` without repeated slashes, ``.`` and ``..`` (not resolved on disk)."""
    if not path.startswith("/"):
        return path
    norm = posixpath.normpath(path)
    return "/" + norm.lstrip("/")  # POSIX keeps a leading "//"; libvirt does not


@dataclass(frozen=True, slots=True)
class StorageFile:
    """One file, with every name that identifies it."""

    path: str  # as it was named (a disk's source, a backing store's path)
    ids: frozenset[str]
    volume: libvirt.virStorageVol | None = None  # when a storage pool holds it

    @property
    def is_volume(self) -> bool:
        return self.volume is not None

    def same_as(self, other: StorageFile) -> bool:
        return bool(self.ids & other.ids)


@dataclass(frozen=True, slots=True)
class Use:
    """A domain that needs a file: as a disk's image, or in the disk's backing chain."""

    domain: str
    uuid: str
    target: str
    backing: bool


def _not_found(exc: libvirt.libvirtError) -> bool:
    return exc.get_error_code() in _NOT_FOUND


class StorageIndex:
    """Identities of the files of one connection, each looked up once."""

    def __init__(self, conn: libvirt.virConnect) -> None:
        self._conn = conn
        self._files: dict[str, StorageFile] = {}
        self._backing: dict[str, str] = {}
        self._pool_targets: list[tuple[str, libvirt.virStoragePool]] | None = None
        self._refreshed: set[str] = set()

    # -- single files -------------------------------------------------------

    def file(self, path: str) -> StorageFile:
        """The file at ``path`` (as any domain names it)."""
        cached = self._files.get(path)
        if cached is not None:
            return cached
        norm = normal_path(path)
        vol = self._lookup(path) or (self._lookup(norm) if norm != path else None)
        if vol is None and self._refresh_pool_of(norm):
            vol = self._lookup(norm)
        found = self._with_volume(path, vol, {norm})
        self._files[path] = found
        return found

    def volume_ref(self, pool: str, volume: str) -> StorageFile:
        """The file behind a ``<source pool=... volume=...>`` disk."""
        ref = f"{pool}/{volume}"
        cached = self._files.get(ref)
        if cached is not None:
            return cached
        try:
            vol = self._conn.storagePoolLookupByName(pool).storageVolLookupByName(volume)
        except libvirt.libvirtError as exc:
            if not _not_found(exc):
                raise
            vol = None
        found = self._with_volume(ref, vol, {f"volume:{ref}"})
        self._files[ref] = found
        return found

    def of_disk(self, disk: Disk) -> StorageFile | None:
        """The image of ``disk``; None for an empty drive or a network disk."""
        if not disk.source:
            return None
        if disk.source_kind == "volume":
            return self.volume_ref(disk.pool, disk.volume)
        if disk.source_kind in ("file", "block", "") and disk.source.startswith("/"):
            return self.file(disk.source)
        return None

    def _with_volume(
        self, path: str, vol: libvirt.virStorageVol | None, ids: set[str]
    ) -> StorageFile:
        if vol is not None:
            ids.add(f"key:{vol.key()}")
            try:
                ids.add(normal_path(vol.path()))
            except libvirt.libvirtError as exc:
                if not _not_found(exc):
                    raise
        return StorageFile(path, frozenset(ids), vol)

    def _lookup(self, path: str) -> libvirt.virStorageVol | None:
        try:
            return self._conn.storageVolLookupByPath(path)
        except libvirt.libvirtError as exc:
            if _not_found(exc):
                return None
            raise

    def _refresh_pool_of(self, path: str) -> bool:
        """Refresh the running pool whose folder holds ``path``, once; True if one was."""
        if self._pool_targets is None:
            self._pool_targets = []
            for pool in self._conn.listAllStoragePools(
                libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE
            ):
                target = parse_checked(pool.XMLDesc(0), root="pool").findtext("target/path")
                if target:
                    self._pool_targets.append((normal_path(target.strip()), pool))
        for target, pool in self._pool_targets:
            if posixpath.dirname(path) == target and target not in self._refreshed:
                self._refreshed.add(target)
                try:
                    pool.refresh(0)
                except libvirt.libvirtError as exc:
                    if not _not_found(exc):
                        raise
                    return False
                return True
        return False

    # -- chains -------------------------------------------------------------

    def _backing_path(self, file: StorageFile) -> str:
        """The backing file the volume's image names, or ""."""
        if file.volume is None:
            return ""
        key = file.path
        if key not in self._backing:
            try:
                xml = file.volume.XMLDesc(0)
            except libvirt.libvirtError as exc:
                if not _not_found(exc):
                    raise
                xml = ""
            path = ""
            if xml:
                path = (
                    parse_checked(xml, root="volume").findtext("backingStore/path") or ""
                ).strip()
            self._backing[key] = path
        return self._backing[key]

    def chain(self, top: StorageFile, known: tuple[str, ...] = ()) -> list[StorageFile]:
        """The files below ``top``, nearest first: ``known`` (from a live
        definition), then whatever the volumes' own backing stores add."""
        below: list[StorageFile] = []
        seen = set(top.ids)
        current = top
        pending = list(known)
        while len(below) < MAX_CHAIN:
            path = pending.pop(0) if pending else self._backing_path(current)
            if not path or not path.startswith("/"):
                break
            nxt = self.file(path)
            if nxt.ids & seen:
                break  # a loop
            seen |= nxt.ids
            below.append(nxt)
            current = nxt
        return below


def domain_files(
    index: StorageIndex, xml: str
) -> list[tuple[Disk, StorageFile | None, list[StorageFile]]]:
    """Each disk of a definition, its image and the chain below it."""
    config = parse_domain(xml)
    chains = backing_chains(xml)
    result = []
    for disk in config.disks:
        top = index.of_disk(disk)
        chain: list[StorageFile] = []
        if top is not None and disk.driver_format in _LAYERED:
            chain = index.chain(top, chains.get(disk.target, ()))
        elif top is not None and disk.target in chains:
            chain = index.chain(top, chains[disk.target])
        result.append((disk, top, chain))
    return result


def other_uses(
    conn: libvirt.virConnect, index: StorageIndex, skip_uuid: str
) -> list[tuple[StorageFile, Use]]:
    """Every file another domain needs, with how it needs it.

    Both definitions of a running persistent domain count: the running one
    and the one it boots with next.
    """
    uses: list[tuple[StorageFile, Use]] = []
    for dom in conn.listAllDomains(0):
        uuid = dom.UUIDString()
        if uuid == skip_uuid:
            continue
        try:
            xmls = [dom.XMLDesc(0)]
            if dom.isActive() and dom.isPersistent():
                xmls.append(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                continue  # gone meanwhile
            raise
        name = parse_domain(xmls[0]).name
        for xml in xmls:
            for disk, top, chain in domain_files(index, xml):
                if top is not None:
                    uses.append((top, Use(name, uuid, disk.target, backing=False)))
                uses += [(f, Use(name, uuid, disk.target, backing=True)) for f in chain]
    return uses


def uses_of(file: StorageFile, uses: list[tuple[StorageFile, Use]]) -> tuple[Use, ...]:
    """The uses of ``file`` among ``uses``, each domain and role once."""
    found: list[Use] = []
    for other, use in uses:
        if other.same_as(file) and use not in found:
            found.append(use)
    return tuple(found)
