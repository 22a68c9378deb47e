"""The operating systems a new VM can be made for, from the osinfo database.

osinfo-db is a directory tree of XML files (``os/<vendor>/<os>.xml``), the
same data virt-install and virt-manager use. It is read here with
ElementTree, without libosinfo: each file is refused if it declares a
DOCTYPE or an ENTITY (entity expansion, external entities), and a file
that does not parse is skipped. An OS inherits devices and resources from
the one it derives from or clones (Debian 11 from Debian 10), as libosinfo
resolves them.

Without a database a short generic list stands in, so the wizard always
offers a choice.

The database is local to the machine kvmdesk runs on (as for virt-manager,
also for remote hosts): it describes guests, not the host.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeVar

from kvmdesk.domxml.guest_defaults import GuestTraits
from kvmdesk.domxml.install import disk_bus_for, net_model_for

MIB = 1024**2
GIB = 1024**3
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)\b", re.IGNORECASE)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MAX_FILE = 4 * MIB  # an osinfo file is a few KiB; anything huge is not one
_V = TypeVar("_V")

# Device ids the defaults depend on: virtio devices (vendor 1af4, legacy and
# 1.0), QEMU's xHCI USB controller and the q35 chipset, as virt-install reads them.
_PCI = "http://pcisig.com/pci/"
_VIRTIO_DISK = {_PCI + "1af4/1001", _PCI + "1af4/1042"}
_VIRTIO_NET = {_PCI + "1af4/1000", _PCI + "1af4/1041"}
_VIRTIO_RNG = {_PCI + "1af4/1005", _PCI + "1af4/1044"}
_VIRTIO_BALLOON = {_PCI + "1af4/1002", _PCI + "1af4/1045"}
_VIRTIO_SERIAL = {_PCI + "1af4/1003", _PCI + "1af4/1043"}
_VIRTIO_GPU = {_PCI + "1af4/1050"}
_VIRTIO1_NET = {_PCI + "1af4/1041"}
_USB3 = {_PCI + "1b36/0004"}
_Q35 = {"http://qemu.org/chipset/x86/q35"}


@dataclass(frozen=True, slots=True)
class OsRecord:
    """One operating system and what it needs; sizes in MiB/GiB, 0 = unknown."""

    short_id: str
    name: str
    osinfo_id: str = ""
    vendor: str = ""
    family: str = ""
    release_date: str = ""  # YYYY-MM-DD or ""
    eol_date: str = ""
    min_ram_mib: int = 0
    rec_ram_mib: int = 0
    min_cpus: int = 0
    rec_cpus: int = 0
    min_storage_gib: int = 0
    rec_storage_gib: int = 0
    virtio_disk: bool = False
    virtio_net: bool = False
    virtio_rng: bool = False
    virtio_balloon: bool = False
    virtio_serial: bool = False
    virtio_gpu: bool = False
    usb3: bool = False
    q35: bool = False
    efi_required: bool = False  # UEFI only: BIOS is not supported
    # What its install media say in their ISO 9660 header, as osinfo's
    # patterns: (volume, system, publisher, application) ids ("" = any).
    media_ids: tuple[tuple[str, str, str, str], ...] = ()

    def traits(self) -> GuestTraits:
        """What the defaults table needs to know about this OS (same-named fields)."""
        return GuestTraits(**{f.name: getattr(self, f.name) for f in fields(GuestTraits)})

    @property
    def disk_bus(self) -> str:
        return disk_bus_for(self.virtio_disk)

    @property
    def net_model(self) -> str:
        return net_model_for(self.virtio_net)

    @property
    def uses_virtio(self) -> bool:
        return self.virtio_disk or self.virtio_net


@dataclass(frozen=True, slots=True)
class OsCatalog:
    records: tuple[OsRecord, ...]
    from_database: bool  # False: the generic list, no osinfo-db found

    def find(self, short_id: str) -> OsRecord | None:
        for record in self.records:
            if record.short_id == short_id:
                return record
        return None


GENERIC = (
    OsRecord(
        short_id="linux-generic",
        name="Generic Linux (virtio)",
        family="linux",
        min_ram_mib=512,
        rec_ram_mib=2048,
        min_cpus=1,
        rec_cpus=2,
        min_storage_gib=4,
        rec_storage_gib=20,
        virtio_disk=True,
        virtio_net=True,
        virtio_rng=True,
        virtio_balloon=True,
        virtio_serial=True,
        virtio_gpu=True,
        usb3=True,
        q35=True,
    ),
    OsRecord(
        short_id="linux-old",
        name="Older Linux (no virtio)",
        family="linux",
        min_ram_mib=256,
        rec_ram_mib=1024,
        min_cpus=1,
        rec_cpus=1,
        min_storage_gib=4,
        rec_storage_gib=10,
    ),
    OsRecord(
        short_id="windows-generic",
        name="Microsoft Windows",
        vendor="Microsoft Corporation",
        family="winnt",
        min_ram_mib=2048,
        rec_ram_mib=4096,
        min_cpus=1,
        rec_cpus=2,
        min_storage_gib=32,
        rec_storage_gib=64,
        usb3=True,
        q35=True,
    ),
    OsRecord(
        short_id="generic",
        name="Generic or unknown OS",
        min_ram_mib=256,
        rec_ram_mib=1024,
        min_cpus=1,
        rec_cpus=1,
        min_storage_gib=1,
        rec_storage_gib=10,
    ),
)


def default_dirs() -> list[Path]:
    """Where osinfo-db lives, in libosinfo's order (later ones override)."""
    system = os.environ.get("OSINFO_SYSTEM_DIR")
    dirs = [Path(system)] if system else [Path("/usr/share/osinfo")]
    dirs.append(Path("/etc/osinfo"))
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    dirs.append(Path(config) / "osinfo")
    return dirs


@dataclass
class _Raw:
    osinfo_id: str
    short_id: str
    name: str
    vendor: str
    family: str
    release_date: str
    eol_date: str
    parents: list[str]
    resources: dict[str, int]  # key like "minimum/ram" -> value
    devices: dict[str, bool]  # device id -> supported
    firmware: dict[str, bool]  # "x86_64/efi" -> supported
    media_ids: tuple[tuple[str, str, str, str], ...] = ()


def _safe_parse(path: Path) -> ET.Element | None:
    try:
        if path.stat().st_size > _MAX_FILE:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if _DECLARATION.search(data):
        return None
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def _untranslated(parent: ET.Element, tag: str) -> str:
    for elem in parent.findall(tag):
        if elem.get(_XML_LANG) is None and elem.text:
            return elem.text.strip()
    return ""


def _int(text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return 0


def _resources(os_elem: ET.Element) -> dict[str, int]:
    """Resources for x86_64, falling back to the "all" architectures entry."""
    found: dict[str, int] = {}
    for wanted in ("all", "x86_64"):  # x86_64 overrides "all"
        for res in os_elem.findall("resources"):
            if res.get("arch", "all") != wanted:
                continue
            for level in ("minimum", "recommended"):
                node = res.find(level)
                if node is None:
                    continue
                for key in ("ram", "n-cpus", "storage"):
                    value = _int(node.findtext(key))
                    if value > 0:
                        found[f"{level}/{key}"] = value
    return found


def _iso_ids(iso: ET.Element) -> tuple[str, str, str, str]:
    def text(tag: str) -> str:
        return (iso.findtext(tag) or "").strip()

    return text("volume-id"), text("system-id"), text("publisher-id"), text("application-id")


def _parse_os(os_elem: ET.Element) -> _Raw | None:
    osinfo_id = os_elem.get("id") or ""
    short = os_elem.findtext("short-id") or ""
    name = _untranslated(os_elem, "name")
    if not osinfo_id or not short.strip() or not name:
        return None
    parents = [
        e.get("id") or ""
        for tag in ("derives-from", "clones")
        for e in os_elem.findall(tag)
        if e.get("id")
    ]
    devices: dict[str, bool] = {}
    for devs in os_elem.findall("devices"):
        for dev in devs.findall("device"):
            dev_id = dev.get("id")
            if dev_id:
                devices[dev_id] = dev.get("supported", "true") != "false"
    firmware = {
        f"{fw.get('arch', 'all')}/{fw.get('type', '')}": fw.get("supported", "true") != "false"
        for fw in os_elem.findall("firmware")
        if fw.get("type")
    }
    return _Raw(
        osinfo_id=osinfo_id,
        short_id=short.strip(),
        name=name,
        vendor=_untranslated(os_elem, "vendor"),
        family=(os_elem.findtext("family") or "").strip(),
        release_date=(os_elem.findtext("release-date") or "").strip(),
        eol_date=(os_elem.findtext("eol-date") or "").strip(),
        parents=parents,
        resources=_resources(os_elem),
        devices=devices,
        firmware=firmware,
        media_ids=tuple(
            _iso_ids(iso) for media in os_elem.findall("media") for iso in media.findall("iso")
        ),
    )


def _os_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for base in dirs:
        os_dir = base / "os"
        if os_dir.is_dir():
            # "<os>.d/" directories hold drivers for unattended installs, not the OS.
            found = os_dir.rglob("*.xml")
            files.extend(sorted(f for f in found if not f.parent.name.endswith(".d")))
    return files


def _inherited(
    raws: dict[str, _Raw], own: Callable[[_Raw], dict[str, _V]]
) -> Callable[[str], dict[str, _V]]:
    """``own(raw)`` of an OS merged over what it inherits from its parents
    (a parent first, the OS itself last); a loop in the parents ends it."""
    cache: dict[str, dict[str, _V]] = {}

    def merged(osinfo_id: str, seen: frozenset[str] = frozenset()) -> dict[str, _V]:
        if osinfo_id in cache:
            return cache[osinfo_id]
        raw = raws.get(osinfo_id)
        if raw is None or osinfo_id in seen:
            return {}
        result: dict[str, _V] = {}
        for parent in raw.parents:
            result.update(merged(parent, seen | {osinfo_id}))
        result.update(own(raw))
        cache[osinfo_id] = result
        return result

    return merged


def _resolve(raws: dict[str, _Raw]) -> list[OsRecord]:
    devices = _inherited(raws, lambda raw: raw.devices)
    resources = _inherited(raws, lambda raw: raw.resources)
    firmware = _inherited(raws, lambda raw: raw.firmware)

    records = []
    for raw in raws.values():
        devs = devices(raw.osinfo_id)
        res = resources(raw.osinfo_id)
        supported = {d for d, ok in devs.items() if ok}
        fw = firmware(raw.osinfo_id)
        virtio_net = bool(supported & _VIRTIO_NET)
        records.append(
            OsRecord(
                short_id=raw.short_id,
                name=raw.name,
                osinfo_id=raw.osinfo_id,
                vendor=raw.vendor,
                family=raw.family,
                release_date=raw.release_date,
                eol_date=raw.eol_date,
                min_ram_mib=res.get("minimum/ram", 0) // MIB,
                rec_ram_mib=res.get("recommended/ram", 0) // MIB,
                min_cpus=res.get("minimum/n-cpus", 0),
                rec_cpus=res.get("recommended/n-cpus", 0),
                min_storage_gib=-(-res.get("minimum/storage", 0) // GIB),
                rec_storage_gib=-(-res.get("recommended/storage", 0) // GIB),
                virtio_disk=bool(supported & _VIRTIO_DISK),
                virtio_net=virtio_net,
                virtio_rng=bool(supported & _VIRTIO_RNG),
                virtio_balloon=bool(supported & _VIRTIO_BALLOON),
                virtio_serial=bool(supported & _VIRTIO_SERIAL),
                virtio_gpu=bool(supported & _VIRTIO_GPU),
                usb3=bool(supported & _USB3),
                # An OS with only legacy virtio-net predates virtio 1.0, which q35 wants.
                q35=bool(supported & _Q35) and (not virtio_net or bool(supported & _VIRTIO1_NET)),
                efi_required=fw.get("x86_64/efi", fw.get("all/efi", False))
                and not fw.get("x86_64/bios", fw.get("all/bios", True)),
                media_ids=raw.media_ids,
            )
        )
    # By vendor, newest first within one: the order people look for them.
    by_vendor: dict[str, list[OsRecord]] = {}
    for record in records:
        by_vendor.setdefault(record.vendor.lower(), []).append(record)
    ordered: list[OsRecord] = []
    for vendor in sorted(by_vendor):
        ordered.extend(sorted(by_vendor[vendor], key=lambda r: r.release_date, reverse=True))
    return ordered


def load_catalog(dirs: Sequence[Path] | None = None) -> OsCatalog:
    """Every OS of the database in ``dirs`` (default: ``default_dirs()``),
    or the generic list when there is none."""
    raws: dict[str, _Raw] = {}
    for path in _os_files(default_dirs() if dirs is None else dirs):
        root = _safe_parse(path)
        if root is None or root.tag != "libosinfo":
            continue
        for os_elem in root.findall("os"):
            raw = _parse_os(os_elem)
            if raw is not None:
                raws[raw.osinfo_id] = raw  # a later directory overrides
    if not raws:
        return OsCatalog(GENERIC, from_database=False)
    records = _resolve(raws)
    # The generic choices stay available at the end, for an OS not listed.
    return OsCatalog(tuple(records) + GENERIC, from_database=True)
