"""Checking what the New VM wizard collected, and creating the VM.

The checks run before anything is created, so that bad input is refused
with nothing to undo: ``PlanInputError`` carries a stable ``field`` and
``reason`` (the layers above word them) and the offending text.

``provision`` then creates the new volumes, defines the domain with
validation and starts it. It is transactional: on any failure it removes
only what it created itself (the volumes, the definition), never a disk
that existed before, and the ``ProvisionOutcome`` it carries says exactly
what exists now, including what could not be removed (a dropped link).
"""

from __future__ import annotations

import enum
import os
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import libvirt

from kvmdesk.virt.errors import Failure, classify
from kvmdesk.virt.storage import GIB, disk_users, volume_xml

MAX_NAME_LENGTH = 100
FORMATS = ("qcow2", "raw")
_MARKUP = "<>&\"'"
_WHOLE = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class PlanInputError(ValueError):
    """Input refused before anything was created.

    ``field``: "name", "memory", "vcpus", "size", "path", "pool", "format".
    ``reason``: name "empty", "long", "slash", "dash", "control", "markup"
    (one of < > & " '), "space" (leading or trailing), "taken";
    numbers "invalid" (not a plain number: "1e3", "abc"), "negative",
    "zero", "above" (more than the host has; ``limit`` holds the maximum),
    size also "space" (more than the pool's free space, ``limit`` in
    bytes); path "empty", "relative", "dotdot", "control", "missing",
    "not_volume" (a remote host's file that no storage pool holds);
    pool "missing", "inactive"; format "invalid".
    """

    def __init__(self, field: str, reason: str, detail: str = "", limit: int = 0) -> None:
        self.field = field
        self.reason = reason
        self.detail = detail
        self.limit = limit
        super().__init__(f"{field}: {reason}" + (f" ({detail})" if detail else ""))


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


def is_remote_uri(uri: str) -> bool:
    """A URI naming a host: its files are not on this machine's disk."""
    try:
        return bool(urlsplit(uri).hostname)
    except ValueError:
        return True


def check_path_text(path: str) -> str:
    """An absolute path without ".." or control characters, normalised."""
    if not path:
        raise PlanInputError("path", "empty")
    if any(ord(c) < 32 for c in path):
        raise PlanInputError("path", "control", path)
    if not path.startswith("/"):
        raise PlanInputError("path", "relative", path)
    if ".." in path.split("/"):
        raise PlanInputError("path", "dotdot", path)
    return posixpath.normpath(path)


@dataclass(frozen=True, slots=True)
class PathCheck:
    path: str
    pool: str = ""  # the storage pool holding it, if any
    volume: str = ""
    used_by: tuple[str, ...] = ()  # other domains whose disk it is: warn
    format: str = ""  # qcow2, raw, iso ... when known


def _volume_of(conn: libvirt.virConnect, path: str) -> tuple[str, str, str] | None:
    """(pool, volume, format) of the volume with this path, if a pool holds it."""
    try:
        vol = conn.storageVolLookupByPath(path)
    except libvirt.libvirtError:
        return None
    try:
        fmt = ET.fromstring(vol.XMLDesc(0)).find("target/format")
        kind = (fmt.get("type") or "") if fmt is not None else ""
    except (libvirt.libvirtError, ET.ParseError):
        kind = ""
    try:
        return vol.storagePoolLookupByVolume().name(), vol.name(), kind
    except libvirt.libvirtError:
        return "", vol.name(), kind


def _local_format(path: str) -> str:
    """qcow2 by its magic bytes, raw otherwise (this machine's files only)."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError:
        return ""
    return "qcow2" if magic == b"QFI\xfb" else "raw"


def check_host_path(conn: libvirt.virConnect, path: str, *, must_exist: bool = True) -> PathCheck:
    """A path on the host, checked for existence and for other domains using it.

    On a remote host the file must be a volume of a storage pool (that is
    the only view of its disks kvmdesk has); on this machine a plain file
    will do. ``used_by`` names the domains whose disk it already is.
    """
    clean = check_path_text(path)
    found = _volume_of(conn, clean)
    if must_exist and found is None:
        if is_remote_uri(conn.getURI()):
            raise PlanInputError("path", "not_volume", clean)
        if not os.path.exists(clean):
            raise PlanInputError("path", "missing", clean)
    users = disk_users(conn)
    used = set(users.get(clean, set()))
    if found is not None and found[0]:
        used |= users.get(f"{found[0]}/{found[1]}", set())
    if found is not None:
        pool, volume, fmt = found
    else:
        pool, volume = "", ""
        fmt = "" if is_remote_uri(conn.getURI()) else _local_format(clean)
    return PathCheck(clean, pool, volume, tuple(sorted(used)), fmt)


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


# ---------------------------------------------------------------- provisioning


class Step(enum.Enum):
    CHECK = "check"
    VOLUME = "volume"
    DEFINE = "define"
    START = "start"


@dataclass(slots=True)
class ProvisionOutcome:
    """What ``provision`` did, and what exists now."""

    name: str
    uuid: str = ""
    created: list[str] = field(default_factory=list)  # volumes made (pool/name)
    removed: list[str] = field(default_factory=list)  # of those, removed again
    leftover: list[tuple[str, str]] = field(default_factory=list)  # could not remove: why
    defined: bool = False
    undefined: bool = False  # the definition was removed again
    undefine_error: str = ""
    started: bool = False
    failed_step: Step | None = None
    failed_item: str = ""  # the volume being created, when that failed
    failure: Failure | None = None
    input_error: PlanInputError | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.input_error is None

    @property
    def domain_exists(self) -> bool:
        return self.defined and not self.undefined

    @property
    def remaining_volumes(self) -> list[str]:
        return [v for v in self.created if v not in self.removed]


class ProvisionError(Exception):
    def __init__(self, outcome: ProvisionOutcome) -> None:
        self.outcome = outcome
        what = outcome.input_error or (outcome.failure.message if outcome.failure else "")
        super().__init__(f"{outcome.failed_step}: {what}")


Progress = Callable[[Step, str], None]


def _domain_name(domain_xml: str) -> str:
    try:
        return (ET.fromstring(domain_xml).findtext("name") or "").strip()
    except ET.ParseError:
        return ""


def _refuse_existing(conn: libvirt.virConnect, domain_xml: str) -> None:
    """Never redefine a domain that exists (an edited XML naming one, or its
    UUID): defining would overwrite it, and a rollback would remove it."""
    try:
        root = ET.fromstring(domain_xml)
    except ET.ParseError:
        return  # libvirt refuses it at define, before anything of it exists
    name = (root.findtext("name") or "").strip()
    if name and name_taken(conn, name):
        raise PlanInputError("name", "taken", name)
    uuid = (root.findtext("uuid") or "").strip()
    if uuid:
        try:
            taken = conn.lookupByUUIDString(uuid).name()
        except libvirt.libvirtError as exc:
            if exc.get_error_code() not in (libvirt.VIR_ERR_NO_DOMAIN, libvirt.VIR_ERR_INVALID_ARG):
                raise
        else:
            raise PlanInputError("name", "taken", taken)


def _undefine(dom: libvirt.virDomain) -> None:
    """Undefine, with the UEFI variables file if the driver knows the flag."""
    try:
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() not in (
            libvirt.VIR_ERR_INVALID_ARG,
            libvirt.VIR_ERR_NO_SUPPORT,
            libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED,
        ):
            raise
        dom.undefine()


def _rollback(
    conn: libvirt.virConnect,
    outcome: ProvisionOutcome,
    dom: libvirt.virDomain | None,
    volumes: list[tuple[str, libvirt.virStorageVol]],
) -> None:
    if dom is not None and outcome.defined:
        try:
            if dom.isActive():
                dom.destroy()
            _undefine(dom)
            outcome.undefined = True
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                outcome.undefined = True
            else:
                outcome.undefine_error = exc.get_error_message() or str(exc)
    if outcome.defined and not outcome.undefined:
        # A defined domain still points at its volumes: removing them would
        # leave it with missing disks. Report them as still there instead.
        for label, _vol in volumes:
            outcome.leftover.append((label, "the virtual machine still uses it"))
        return
    for label, vol in reversed(volumes):
        try:
            vol.delete(0)
            outcome.removed.append(label)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
                outcome.removed.append(label)
            else:
                outcome.leftover.append((label, exc.get_error_message() or str(exc)))


def provision(
    conn: libvirt.virConnect,
    domain_xml: str,
    volumes: Sequence[NewVolume],
    *,
    start: bool = True,
    progress: Progress | None = None,
) -> ProvisionOutcome:
    """Create ``volumes``, define ``domain_xml`` (validated) and start it.

    Returns the outcome on success; raises ``ProvisionError`` with the
    outcome after rolling back what this call created.
    """
    outcome = ProvisionOutcome(name=_domain_name(domain_xml))
    made: list[tuple[str, libvirt.virStorageVol]] = []
    dom: libvirt.virDomain | None = None
    step = Step.CHECK
    try:
        _refuse_existing(conn, domain_xml)
        for volume in volumes:
            step = Step.VOLUME
            outcome.failed_item = volume.label
            if progress is not None:
                progress(step, volume.label)
            check_new_volume(conn, volume)
            pool = conn.storagePoolLookupByName(volume.pool)
            vol = pool.createXML(volume_xml(volume.name, volume.capacity, volume.format), 0)
            made.append((volume.label, vol))
            outcome.created.append(volume.label)
        outcome.failed_item = ""
        step = Step.DEFINE
        if progress is not None:
            progress(step, outcome.name)
        dom = conn.defineXMLFlags(domain_xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
        outcome.defined = True
        outcome.name = dom.name()
        outcome.uuid = dom.UUIDString()
        if start:
            step = Step.START
            if progress is not None:
                progress(step, outcome.name)
            dom.create()
            outcome.started = True
    except PlanInputError as exc:
        outcome.failed_step = step
        outcome.input_error = exc
        _rollback(conn, outcome, dom, made)
        raise ProvisionError(outcome) from exc
    except Exception as exc:
        outcome.failed_step = step
        outcome.failure = classify(exc)
        _rollback(conn, outcome, dom, made)
        raise ProvisionError(outcome) from exc
    return outcome
