"""The New VM wizard's choices as one record, and the facts the defaults table reads.

``InstallPlan`` is what the wizard collected; ``plan_facts`` turns it
(its guest OS, its host and the user's choices) into the facts of
``guest_defaults.TABLE``, and ``plan_defaults`` into the table's choices.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass, field

from kvmdesk.domxml.guest_defaults import (
    VIRTIO_LINUX,
    Defaults,
    GuestTraits,
    HostTraits,
    platform_facts,
    resolve,
)


class SourceKind(enum.Enum):
    ISO = "iso"  # local install media: an ISO image or a CD-ROM device
    IMPORT = "import"  # an existing disk image
    KERNEL = "kernel"  # direct kernel boot
    PXE = "pxe"  # network boot
    MANUAL = "manual"  # an empty disk, install later


class StorageKind(enum.Enum):
    NEW = "new"  # a new volume in a storage pool
    EXISTING = "existing"  # an existing volume or path
    NONE = "none"


class NetworkKind(enum.Enum):
    NETWORK = "network"  # a libvirt virtual network (NAT "default" ...)
    BRIDGE = "bridge"  # a host bridge
    DIRECT = "direct"  # macvtap on a host interface
    USER = "user"  # user-mode networking (session connections)
    NONE = "none"


class Firmware(enum.Enum):
    BIOS = "bios"
    UEFI = "efi"


def disk_bus_for(virtio: bool) -> str:
    """The disk bus for a guest with virtio drivers, or SATA without them (on q35)."""
    return "virtio" if virtio else "sata"


def net_model_for(virtio: bool) -> str:
    """The network card model for a guest with virtio drivers, or e1000 without them."""
    return "virtio" if virtio else "e1000"


def random_mac() -> str:
    """A MAC in QEMU's locally administered range 52:54:00, as libvirt makes them."""
    tail = secrets.token_bytes(3)
    return "52:54:00:" + ":".join(f"{b:02x}" for b in tail)


@dataclass(frozen=True, slots=True)
class InstallPlan:
    """Everything the wizard collected. Sizes: memory in MiB, disks in bytes."""

    name: str
    source: SourceKind
    session: bool = False  # a qemu:///session connection (user networking only)
    # install source
    media: str = ""  # ISO: image or CD-ROM device; IMPORT: the disk image;
    # KERNEL: optional install media, attached as a CD-ROM for the installer
    media_format: str = ""  # IMPORT: qcow2, raw ... ("" lets libvirt assume raw)
    kernel: str = ""
    initrd: str = ""
    cmdline: str = ""
    kernel_permanent: bool = False  # keep booting the kernel after the install
    # operating system (osinfo) and host
    guest: GuestTraits = VIRTIO_LINUX
    host: HostTraits = field(default_factory=HostTraits)
    # resources
    memory_mib: int = 1024
    vcpus: int = 1
    # storage (IMPORT uses ``media`` as its disk and ignores these)
    storage: StorageKind = StorageKind.NONE
    pool: str = ""  # NEW
    volume: str = ""  # NEW: the new volume's name
    disk_bytes: int = 0  # NEW
    disk_format: str = "qcow2"  # NEW: qcow2 or raw; EXISTING: the file's format
    disk_path: str = ""  # EXISTING
    # network
    network: NetworkKind = NetworkKind.NONE
    network_source: str = ""  # network name, bridge or host interface
    mac: str = ""
    # platform: "" / None take the table's choice
    virt_type: str = "kvm"  # kvm or qemu (emulation)
    arch: str = "x86_64"
    machine: str = ""
    firmware: Firmware | None = None
    # after the install
    keep_media: bool | None = None  # leave the install media in its drive (None: the table's)
    virtio_win: str = ""  # the virtio-win drivers ISO, attached as a second CD-ROM
    graphics: str = "vnc"  # the display: "vnc", "spice" or "none" (serial console only)
    # <disk type> of paths judged on the host ("file" or "block", by what a
    # symlink leads to: ``virt.disk_paths``); others are guessed from the path.
    source_types: tuple[tuple[str, str], ...] = ()

    def source_type(self, path: str) -> str:
        """ "block" for a host device, "file" otherwise: as judged, else by the path."""
        judged = dict(self.source_types).get(path)
        if judged:
            return judged
        return "block" if path.startswith("/dev/") else "file"

    @property
    def has_disk(self) -> bool:
        return self.source is SourceKind.IMPORT or self.storage is not StorageKind.NONE

    @property
    def disk_source(self) -> str:
        """The path of an existing disk ("" for a new volume or none)."""
        if self.source is SourceKind.IMPORT:
            return self.media
        return self.disk_path if self.storage is StorageKind.EXISTING else ""

    @property
    def disk_is_thin(self) -> bool:
        """Space the guest frees can go back to the host (new volumes are sparse)."""
        if self.storage is StorageKind.NEW and self.source is not SourceKind.IMPORT:
            return True
        path, fmt = self.disk_source, self.media_format or self.disk_format
        return bool(path) and self.source_type(path) == "file" and fmt == "qcow2"

    @property
    def install_media(self) -> str:
        """The CD-ROM the installer reads: an ISO install's media, or a kernel's."""
        return self.media if self.source in (SourceKind.ISO, SourceKind.KERNEL) else ""

    @property
    def keeps_kernel(self) -> bool:
        """Direct kernel boot is how this VM boots for good, not just to install."""
        return self.kernel_permanent or not self.has_disk


def plan_facts(plan: InstallPlan) -> frozenset[str]:
    """Every fact the defaults table looks at, for this plan."""
    own = {
        "kernel-boot": plan.source is SourceKind.KERNEL,
        "thin-disk": plan.has_disk and plan.disk_is_thin,
        "block-disk": bool(plan.disk_source) and plan.source_type(plan.disk_source) == "block",
        "virtio-win": bool(plan.virtio_win),
    }
    return (
        plan.guest.facts()
        | plan.host.facts()
        | platform_facts(plan.arch, plan.virt_type)
        | frozenset(name for name, on in own.items() if on)
    )


def plan_defaults(plan: InstallPlan) -> Defaults:
    """The table's choices for this plan, with the user's machine and firmware."""
    firmware = plan.firmware.value if plan.firmware is not None else ""
    return resolve(plan_facts(plan), plan.machine, firmware)


__all__ = [
    "Firmware",
    "InstallPlan",
    "NetworkKind",
    "SourceKind",
    "StorageKind",
    "disk_bus_for",
    "net_model_for",
    "plan_defaults",
    "plan_facts",
    "random_mac",
]
