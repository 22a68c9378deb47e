"""Checking what the New VM wizard collected, before anything is created.

Bad input is refused with nothing to undo: ``PlanInputError`` carries a
stable ``field`` and ``reason`` (the layers above word them) and the
offending text. The checks cover the name, numbers (memory, vCPUs, disk
size), paths on the host and the pools new volumes go to; those that ask
the host take a ``virConnect`` and run on the connection's worker. A path
on the host is judged by what it points to (``check_host_path``, from
``kvmdesk.virt.disk_paths``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libvirt

from kvmdesk.virt.disk_paths import PathCheck
from kvmdesk.virt.disk_paths import judge_disk_path as check_host_path
from kvmdesk.virt.plan_input import PlanInputError, check_path_text, is_remote_uri
from kvmdesk.virt.storage import GIB

__all__ = [
    "FORMATS",
    "MAX_NAME_LENGTH",
    "NewVolume",
    "PathCheck",
    "PlanInputError",
    "check_host_path",
    "check_name",
    "check_name_text",
    "check_new_volume",
    "check_path_text",
    "free_volume_name",
    "is_remote_uri",
    "name_taken",
    "parse_count",
    "parse_size_gib",
    "pool_space",
]

MAX_NAME_LENGTH = 100
FORMATS = ("qcow2", "raw")
_MARKUP = "<>&\"'"
_WHOLE = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


# ---------------------------------------------------------------- names


def check_name_text(name: str) -> str:
    """The name's own rules, without asking the host."""
    if not name.strip():
        raise PlanInputError("name", "empty")
    if len(name) > MAX_NAME_LENGTH:
        raise PlanInputError("name", "long", str(len(name)), MAX_NAME_LENGTH)
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise PlanInputError("name", "control", name)
    if "/" in name:
        raise PlanInputError("name", "slash", name)
    if name.startswith("-"):
        raise PlanInputError("name", "dash", name)
    if any(c in _MARKUP for c in name):
        # libvirt would take them, but they break shell commands, file
        # names derived from the name and tools that quote carelessly.
        raise PlanInputError("name", "markup", name)
    if name != name.strip():
        raise PlanInputError("name", "space", name)
    return name


def name_taken(conn: libvirt.virConnect, name: str) -> bool:
    try:
        conn.lookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return False
        raise
    return True


def check_name(conn: libvirt.virConnect, name: str) -> str:
    """The name's rules and a lookup: no other domain of the host has it."""
    check_name_text(name)
    if name_taken(conn, name):
        raise PlanInputError("name", "taken", name)
    return name


# ---------------------------------------------------------------- numbers


def parse_count(text: str, field: str, limit: int) -> int:
    """A whole positive number no larger than ``limit`` (memory MiB, vCPUs)."""
    clean = text.strip()
    if not _WHOLE.fullmatch(clean):
        raise PlanInputError(field, "invalid", text)
    value = int(clean)
    if value < 0:
        raise PlanInputError(field, "negative", text)
    if value == 0:
        raise PlanInputError(field, "zero", text)
    if limit > 0 and value > limit:
        raise PlanInputError(field, "above", text, limit)
    return value


def parse_size_gib(text: str, available_bytes: int) -> int:
    """A disk size in GiB (decimals allowed) as bytes, within the pool's free space."""
    clean = text.strip()
    if not _DECIMAL.fullmatch(clean):
        raise PlanInputError("size", "invalid", text)
    value = float(clean)
    if value < 0:
        raise PlanInputError("size", "negative", text)
    size = int(value * GIB)
    if size <= 0:
        raise PlanInputError("size", "zero", text)
    if available_bytes >= 0 and size > available_bytes:
        raise PlanInputError("size", "space", text, available_bytes)
    return size


# ---------------------------------------------------------------- paths


# ---------------------------------------------------------------- pools


@dataclass(frozen=True, slots=True)
class NewVolume:
    pool: str
    name: str
    capacity: int  # bytes
    format: str = "qcow2"

    @property
    def label(self) -> str:
        return f"{self.pool}/{self.name}"


def pool_space(conn: libvirt.virConnect, pool_name: str) -> int:
    """Free bytes of an active pool; refused when it is missing or inactive."""
    try:
        pool = conn.storagePoolLookupByName(pool_name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL:
            raise PlanInputError("pool", "missing", pool_name) from exc
        raise
    if not pool.isActive():
        raise PlanInputError("pool", "inactive", pool_name)
    return int(pool.info()[3])


def free_volume_name(conn: libvirt.virConnect, pool_name: str, base: str, fmt: str) -> str:
    """``base.qcow2`` or, when taken, ``base-1.qcow2``, ``base-2.qcow2`` ..."""
    taken = set(conn.storagePoolLookupByName(pool_name).listVolumes())
    ext = "qcow2" if fmt == "qcow2" else "img"
    stem = re.sub(r"[^A-Za-z0-9._+-]+", "_", base).lstrip("-.") or "disk"
    name = f"{stem}.{ext}"
    index = 1
    while name in taken:
        name = f"{stem}-{index}.{ext}"
        index += 1
    return name


def check_new_volume(conn: libvirt.virConnect, volume: NewVolume) -> None:
    """Pool active, name free, size within its free space (checked again when created)."""
    if volume.format not in FORMATS:
        raise PlanInputError("format", "invalid", volume.format)
    available = pool_space(conn, volume.pool)
    if volume.name in conn.storagePoolLookupByName(volume.pool).listVolumes():
        raise PlanInputError("name", "taken", volume.name)
    if volume.capacity <= 0:
        raise PlanInputError("size", "zero", str(volume.capacity))
    if volume.capacity > available:
        raise PlanInputError("size", "space", str(volume.capacity), available)
