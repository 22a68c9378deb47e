"""What deleting a domain would involve: each file of its storage, ticked or
kept and why (``plan_delete``). Nothing is changed here; ``virt.delete`` deletes.

A file another domain needs, as its disk or anywhere in its disk's backing
chain, is compared by identity (``storage_identity``), never by the string
a domain happens to use; it is not ticked and says which domain needs it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import libvirt

from kvmdesk.domxml.domain import Disk, parse_domain
from kvmdesk.virt.delete_extras import Extras, gather_extras
from kvmdesk.virt.storage_identity import (
    StorageFile,
    StorageIndex,
    Use,
    domain_files,
    other_uses,
    uses_of,
)


class Keep(enum.Enum):
    """Why a file is not ticked for deletion by default."""

    NONE = "none"  # ticked
    SHARED = "shared"  # another domain needs it (its disk, or in its backing chain)
    READONLY = "readonly"
    SHAREABLE = "shareable"
    CDROM = "cdrom"
    BASE_IMAGE = "base_image"  # a backing file this domain's snapshots did not make
    NOT_A_VOLUME = "not_a_volume"  # not managed by a storage pool: cannot be deleted
    EMPTY = "empty"


class Role(enum.Enum):
    """What a listed file is to the domain."""

    DISK = "disk"  # the image a disk uses now
    BACKING = "backing"  # below a disk's image in its backing chain
    SNAPSHOT = "snapshot"  # made by an external snapshot, in no disk's chain now
    SNAPSHOT_MEMORY = "snapshot_memory"  # the memory state of an external snapshot


@dataclass(frozen=True, slots=True)
class StorageChoice:
    path: str  # as the domain names it ("pool/volume" for a volume reference)
    target: str  # the disk it belongs to (vda), "" for a snapshot's memory state
    role: Role
    keep: Keep
    device: str = "disk"
    uses: tuple[Use, ...] = ()  # other domains that need it
    snapshot: str = ""  # the snapshot that made it, when known
    disk: Disk | None = None  # the domain's disk it belongs to

    @property
    def default_selected(self) -> bool:
        return self.keep is Keep.NONE

    @property
    def deletable(self) -> bool:
        return self.keep not in (Keep.NOT_A_VOLUME, Keep.EMPTY)

    @property
    def shared_with(self) -> tuple[str, ...]:
        return tuple(sorted({use.domain for use in self.uses}))


@dataclass(frozen=True, slots=True)
class DeletePlan:
    uuid: str
    name: str
    xml: str
    active: bool
    choices: tuple[StorageChoice, ...]
    extras: Extras = field(default_factory=Extras)

    def choice(self, path: str) -> StorageChoice | None:
        return next((c for c in self.choices if c.path == path), None)


def _snapshot_made(extras: Extras) -> dict[str, str]:
    """Files this domain's external snapshots made or took over: path -> snapshot."""
    made: dict[str, str] = {}
    for snap in extras.snapshots:
        for disk in snap.disks:
            if disk.kind == "external":
                for path in (disk.file, disk.before):
                    if path:
                        made.setdefault(path, snap.name)
    return made


def _keep(
    file: StorageFile | None, disk: Disk | None, role: Role, uses: tuple[Use, ...], ours: bool
) -> Keep:
    if file is None:
        return Keep.EMPTY if disk is not None and not disk.source else Keep.NOT_A_VOLUME
    if not file.is_volume:
        return Keep.NOT_A_VOLUME  # checked first: such a file can never be deleted here
    if disk is not None and disk.device in ("cdrom", "floppy") and role is Role.DISK:
        return Keep.CDROM
    if uses:
        return Keep.SHARED
    if role is Role.BACKING and not ours:
        return Keep.BASE_IMAGE
    if disk is not None and role is Role.DISK and disk.readonly:
        return Keep.READONLY
    if disk is not None and role is Role.DISK and disk.shareable:
        return Keep.SHAREABLE
    return Keep.NONE


def _own_disks(
    dom: libvirt.virDomain, xml: str, index: StorageIndex
) -> list[tuple[Disk, StorageFile | None, list[StorageFile]]]:
    """The domain's disks: its next-boot ones, then any only the running one has."""
    own = domain_files(index, xml)
    if dom.isActive() and dom.isPersistent():
        known = [top for _d, top, _c in own if top is not None]
        for disk, top, chain in domain_files(index, dom.XMLDesc(0)):
            if top is None or not any(top.same_as(k) for k in known):
                if top is not None or not any(d.target == disk.target for d, _t, _c in own):
                    own.append((disk, top, chain))
            else:  # the running definition knows the chain; the inactive one may not
                for i, (d, t, c) in enumerate(own):
                    if t is not None and t.same_as(top) and len(chain) > len(c):
                        own[i] = (d, t, chain)
    return own


def plan_delete(conn: libvirt.virConnect, uuid: str) -> DeletePlan:
    dom = conn.lookupByUUIDString(uuid)
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE if dom.isPersistent() else 0)
    cfg = parse_domain(xml)
    extras = gather_extras(dom, xml)
    index = StorageIndex(conn)
    own = _own_disks(dom, xml, index)
    uses = other_uses(conn, index, uuid)
    made = _snapshot_made(extras)

    choices: list[StorageChoice] = []
    listed: list[StorageFile] = []

    def add(
        path: str, file: StorageFile | None, disk: Disk | None, role: Role, snapshot: str = ""
    ) -> None:
        if file is not None:
            if role is not Role.DISK and any(file.same_as(seen) for seen in listed):
                return  # one row per file below the disks, however many names it has
            listed.append(file)
        found = uses_of(file, uses) if file is not None else ()
        ours = bool(snapshot) or path in made
        choices.append(
            StorageChoice(
                path=path,
                target=disk.target if disk is not None else "",
                role=role,
                keep=_keep(file, disk, role, found, ours),
                device=disk.device if disk is not None else "disk",
                uses=found,
                snapshot=snapshot or made.get(path, ""),
                disk=disk,
            )
        )

    for disk, top, chain in own:
        add(disk.source, top, disk, Role.DISK)
        for below in chain:
            add(below.path, below, disk, Role.BACKING)
    for snap in extras.snapshots:
        for path in snap.files:
            role = Role.SNAPSHOT_MEMORY if path == snap.memory_file else Role.SNAPSHOT
            add(path, index.file(path) if path.startswith("/") else None, None, role, snap.name)
    return DeletePlan(
        uuid=uuid,
        name=cfg.name,
        xml=xml,
        active=bool(dom.isActive()),
        choices=tuple(choices),
        extras=extras,
    )
