"""What a domain snapshot holds, from its ``<domainsnapshot>`` XML.

An internal snapshot lives inside the disk images (qcow2); an external one
is made of files of its own: for each disk an overlay that takes the writes
from then on (the disk's image before the snapshot becomes its backing
file), and for a snapshot of a running domain a file with the memory state.
Deleting the domain removes the snapshot's metadata; which files stay is
decided by what is deleted with the domain (see ``virt.delete``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from kvmdesk.domxml.check import parse_checked


@dataclass(frozen=True, slots=True)
class SnapshotDisk:
    target: str  # vda
    kind: str  # internal, external, manual, no
    file: str  # the overlay of an external snapshot, else ""
    before: str  # the disk's image when the snapshot was taken, else ""


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    name: str
    created: int  # seconds since the epoch, 0 when unknown
    state: str  # the domain's state when taken: running, shutoff, disk-snapshot ...
    memory_kind: str  # internal, external, no, or ""
    memory_file: str  # the memory state of an external snapshot, else ""
    disks: tuple[SnapshotDisk, ...]
    description: str = ""
    parent: str = ""  # the parent snapshot's name, "" for a root

    @property
    def external(self) -> bool:
        return self.memory_kind == "external" or any(d.kind == "external" for d in self.disks)

    @property
    def files(self) -> tuple[str, ...]:
        """Files the snapshot made: external overlays and the memory state."""
        made = [d.file for d in self.disks if d.kind == "external" and d.file]
        if self.memory_file:
            made.append(self.memory_file)
        return tuple(made)


def _source_file(elem: ET.Element) -> str:
    source = elem.find("source")
    if source is None:
        return ""
    return source.get("file") or source.get("dev") or ""


def parse_snapshot(xml: str) -> SnapshotInfo:
    root = parse_checked(xml, root="domainsnapshot")
    created_text = (root.findtext("creationTime") or "").strip()
    memory = root.find("memory")
    before: dict[str, str] = {}
    for disk in root.findall("domain/devices/disk"):
        target_elem = disk.find("target")
        if target_elem is not None and target_elem.get("dev"):
            before[target_elem.get("dev", "")] = _source_file(disk)
    disks = []
    for disk in root.findall("disks/disk"):
        name = disk.get("name", "")
        kind = disk.get("snapshot", "")
        disks.append(
            SnapshotDisk(
                target=name,
                kind=kind,
                file=_source_file(disk) if kind == "external" else "",
                before=before.get(name, ""),
            )
        )
    return SnapshotInfo(
        name=(root.findtext("name") or "").strip(),
        created=int(created_text) if created_text.isdigit() else 0,
        state=(root.findtext("state") or "").strip(),
        memory_kind=memory.get("snapshot", "") if memory is not None else "",
        memory_file=(memory.get("file", "") if memory is not None else ""),
        disks=tuple(disks),
        description=root.findtext("description") or "",
        parent=(root.findtext("parent/name") or "").strip(),
    )
