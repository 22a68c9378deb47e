"""Storage pools of every type libvirt offers on a host: which types, what each needs.

``supported_types`` reads the host's storage pool capabilities (only the
types its libvirt was built with and can use); a driver without them (the
test driver, libvirt before 5.2) offers directories only. ``PoolSpec``
holds what the Add Storage Pool form asks for, ``check_spec`` refuses
missing or malformed fields (``InvalidStorageInput``), and ``create_pool``
defines, starts and autostarts the pool.

Only a directory pool is *built* (its folder made): building any other
type formats a device (fs, disk), writes a partition table or creates a
volume group, which a form must never do behind the user's back. Those are
defined and started on what already exists.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import libvirt

from kvmdesk.domxml.check import parse_checked
from kvmdesk.virt.storage import (
    InvalidStorageInput,
    PoolRecord,
    define_and_start_pool,
    validate_name,
    validate_path,
)

# In the order the form lists them; what each needs besides a name.
KINDS = ("dir", "fs", "netfs", "logical", "disk", "iscsi", "scsi", "mpath", "rbd", "gluster", "zfs")
NEEDS: dict[str, tuple[str, ...]] = {
    "dir": ("target",),
    "fs": ("device", "target"),
    "netfs": ("host", "source_path", "target"),
    "logical": ("source_name",),
    "disk": ("device",),
    "iscsi": ("host", "device"),  # the device is the target's IQN
    "scsi": ("adapter",),
    "mpath": (),
    "rbd": ("host", "source_name"),
    "gluster": ("host", "source_name"),
    "zfs": ("source_name",),
}
# Where the volumes of a type appear on the host, when the user does not say.
FIXED_TARGET = {
    "disk": "/dev",
    "iscsi": "/dev/disk/by-path",
    "scsi": "/dev/disk/by-path",
    "mpath": "/dev/mapper",
}
DEFAULT_DIR = "/var/lib/libvirt/images"
SOURCE_FORMAT = {"netfs": "nfs"}  # the source format kvmdesk sets for a type
GLUSTER_ROOT = "/"  # a Gluster pool without a folder: the volume's root


def supported_types(conn: libvirt.virConnect) -> tuple[str, ...]:
    """The pool types this host supports, in ``KINDS`` order; ("dir",) when unknown."""
    try:
        xml = conn.getStoragePoolCapabilities(0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() in (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_RPC):
            return ("dir",)
        raise
    return types_from_capabilities(xml)


def types_from_capabilities(xml: str) -> tuple[str, ...]:
    root = parse_checked(xml, root="storagepoolCapabilities")
    supported = {
        p.get("type", "") for p in root.findall("pool") if p.get("supported", "no") == "yes"
    }
    return tuple(kind for kind in KINDS if kind in supported) or ("dir",)


@dataclass(frozen=True, slots=True)
class PoolSpec:
    kind: str
    name: str
    target: str = ""  # a folder (dir, fs, netfs); fixed for device types
    device: str = ""  # /dev/sdb1 (fs, disk), the IQN (iscsi)
    host: str = ""  # netfs, iscsi, rbd, gluster
    source_path: str = ""  # the exported folder (netfs), a folder in the volume (gluster)
    source_name: str = ""  # volume group (logical), Ceph pool (rbd), volume (gluster), zpool
    adapter: str = ""  # scsi: host0, host1...


def default_name(existing: list[str]) -> str:
    name, number = "pool", 1
    while name in existing:
        name, number = f"pool{number}", number + 1
    return name


def _word(field: str, text: str) -> str:
    """A host name, pool name, IQN or adapter: one word, no control characters."""
    value = text.strip()
    if not value:
        raise InvalidStorageInput(field, "empty")
    if any(ord(c) < 32 or c.isspace() for c in value) or value.startswith("-"):
        raise InvalidStorageInput(field, "invalid", value)
    return value


def check_spec(spec: PoolSpec, existing: list[str]) -> PoolSpec:
    """``spec`` with its fields cleaned; InvalidStorageInput for what is missing or wrong."""
    if spec.kind not in NEEDS:
        raise InvalidStorageInput("type", "invalid", spec.kind)
    validate_name(spec.name, existing)
    needs = NEEDS[spec.kind]
    values = {
        "target": validate_path(spec.target) if "target" in needs else "",
        "device": "",
        "host": _word("host", spec.host) if "host" in needs else "",
        "source_path": validate_path(spec.source_path) if "source_path" in needs else "",
        "source_name": _word("source_name", spec.source_name) if "source_name" in needs else "",
        "adapter": _word("adapter", spec.adapter) if "adapter" in needs else "",
    }
    if "device" in needs:
        iqn = spec.kind == "iscsi"
        values["device"] = _word("device", spec.device) if iqn else validate_path(spec.device)
    return PoolSpec(spec.kind, spec.name, **values)


def pool_target(spec: PoolSpec) -> str:
    """Where the pool's volumes appear on the host; "" for types with no such place."""
    if spec.kind in ("rbd", "gluster", "zfs"):
        return ""
    if spec.kind == "logical":
        return f"/dev/{spec.source_name}"
    return spec.target or FIXED_TARGET.get(spec.kind, "")


def pool_xml(spec: PoolSpec) -> str:
    root = ET.Element("pool", type=spec.kind)
    ET.SubElement(root, "name").text = spec.name
    source = ET.SubElement(root, "source")
    if spec.host:
        ET.SubElement(source, "host", name=spec.host)
    if spec.device:
        ET.SubElement(source, "device", path=spec.device)
    folder = spec.source_path or (GLUSTER_ROOT if spec.kind == "gluster" else "")
    if folder:
        ET.SubElement(source, "dir", path=folder)
    if spec.adapter:
        ET.SubElement(source, "adapter", type="scsi_host", name=spec.adapter)
    if spec.source_name:
        ET.SubElement(source, "name").text = spec.source_name
    if spec.kind in SOURCE_FORMAT:
        ET.SubElement(source, "format", type=SOURCE_FORMAT[spec.kind])
    target = pool_target(spec)
    if target:
        ET.SubElement(ET.SubElement(root, "target"), "path").text = target
    if not len(source):
        root.remove(source)
    return ET.tostring(root, encoding="unicode")


def create_pool(conn: libvirt.virConnect, spec: PoolSpec) -> PoolRecord:
    """Define, (for a directory: build,) start and autostart the pool.

    If it cannot be started it is undefined again, so that a failed
    creation leaves nothing behind.
    """
    clean = check_spec(spec, [p.name() for p in conn.listAllStoragePools(0)])
    return define_and_start_pool(conn, pool_xml(clean), build=clean.kind == "dir")
