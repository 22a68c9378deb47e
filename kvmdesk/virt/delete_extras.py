"""What goes with a domain's definition when it is undefined (blocking).

* a managed save image (the memory state kept by Save): removed, libvirt
  offers no way to keep it without the definition;
* snapshots: their metadata is removed. An internal snapshot lives inside
  the qcow2 images and goes (or stays) with them; an external one is made of
  files (overlays, a memory state) that are listed with the storage;
* checkpoints (incremental backup bookmarks): their metadata is removed;
* the UEFI variable store (NVRAM): deleted, or kept with
  ``VIR_DOMAIN_UNDEFINE_KEEP_NVRAM``.

libvirt refuses to undefine a domain that has any of these unless the
matching flag says what to do with it; ``undefine_flags`` says it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import libvirt

from kvmdesk.domxml.backing import nvram_path
from kvmdesk.domxml.check import InvalidXml
from kvmdesk.domxml.snapshot import SnapshotInfo, parse_snapshot

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Extras:
    managed_save: bool = False
    snapshots: tuple[SnapshotInfo, ...] = ()
    snapshot_xml: tuple[tuple[str, str], ...] = ()  # (name, XML), kept with the backup
    checkpoints: int = 0
    nvram: str = ""  # the variable store's path, "" without one
    has_nvram: bool = False  # an <nvram> element, even without a path


def _quietly(call: Callable[[], T], default: T) -> T:
    try:
        return call()
    except libvirt.libvirtError as exc:
        if exc.get_error_code() in (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_NO_DOMAIN):
            return default  # a driver without it, or the domain went meanwhile
        raise


def gather_extras(dom: libvirt.virDomain, xml: str) -> Extras:
    """What undefining ``dom`` (whose definition is ``xml``) throws away."""
    managed = bool(_quietly(lambda: bool(dom.hasManagedSaveImage(0)), False))
    snapshots: list[SnapshotInfo] = []
    texts: list[tuple[str, str]] = []
    found: list[libvirt.virDomainSnapshot] = _quietly(lambda: list(dom.listAllSnapshots(0)), [])
    for snap in found:
        text = snap.getXMLDesc(libvirt.VIR_DOMAIN_SNAPSHOT_XML_SECURE)
        texts.append((snap.getName(), text))
        try:
            snapshots.append(parse_snapshot(text))
        except InvalidXml:
            snapshots.append(SnapshotInfo(snap.getName(), 0, "", "", "", ()))
    checkpoints = _quietly(lambda: len(dom.listAllCheckpoints(0)), 0)
    snapshots.sort(key=lambda s: (s.created, s.name))
    path = nvram_path(xml)
    return Extras(
        managed_save=managed,
        snapshots=tuple(snapshots),
        snapshot_xml=tuple(texts),
        checkpoints=checkpoints,
        nvram=path,
        has_nvram=bool(path) or "<nvram" in xml,
    )


def undefine_flags(extras: Extras, keep_nvram: bool) -> int:
    """The flags that let libvirt undefine a domain with ``extras``."""
    flags = 0
    if extras.managed_save:
        flags |= libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
    if extras.snapshots:
        flags |= libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
    if extras.checkpoints:
        flags |= libvirt.VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA
    if extras.has_nvram:
        flags |= (
            libvirt.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM
            if keep_nvram
            else libvirt.VIR_DOMAIN_UNDEFINE_NVRAM
        )
    return flags
