"""What the New VM wizard collects, and the domain it makes of it.

``InstallPlan`` holds every choice; ``build_domain`` turns it into a
``Domain`` the way virt-install would: virtio disk and network when the
OS supports them (SATA and e1000 otherwise), a CD-ROM on SATA for an ISO
install booting CD-ROM first, kernel/initrd/command line for a direct
kernel boot, network boot for PXE, a serial console and VNC graphics on
127.0.0.1 for every VM (so the viewer works at once), a USB tablet, a
virtio RNG for virtio guests and UEFI when asked for.

Nothing here asks a host: the checks against the host live in
``kvmdesk.virt.provision``.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

from kvmdesk.domxml.devices import (
    Channel,
    Console,
    Device,
    Disk,
    Graphics,
    Input,
    Interface,
    Rng,
    Serial,
    Video,
)
from kvmdesk.domxml.model import Domain, Os


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
    UEFI = "uefi"


def disk_bus_for(virtio: bool) -> str:
    """The disk bus for a guest with virtio drivers, or SATA without them."""
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
    media: str = ""  # ISO: image path or CD-ROM device; IMPORT: the disk image path
    media_format: str = ""  # IMPORT: qcow2, raw ... ("" lets libvirt assume raw)
    kernel: str = ""
    initrd: str = ""
    cmdline: str = ""
    # operating system (osinfo)
    os_id: str = "generic"
    os_name: str = ""
    virtio_disk: bool = True
    virtio_net: bool = True
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
    # platform
    virt_type: str = "kvm"  # kvm or qemu (emulation)
    arch: str = "x86_64"
    machine: str = ""
    firmware: Firmware = Firmware.BIOS
    # <disk type> of paths judged on the host ("file" or "block", by what a
    # symlink leads to); others are guessed from the path.
    source_types: tuple[tuple[str, str], ...] = ()

    @property
    def disk_bus(self) -> str:
        return disk_bus_for(self.virtio_disk)

    @property
    def net_model(self) -> str:
        return net_model_for(self.virtio_net)

    @property
    def has_disk(self) -> bool:
        return self.source is SourceKind.IMPORT or self.storage is not StorageKind.NONE


class _Targets:
    """Next free target name per bus: vda, vdb ... / sda, sdb ..."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def next(self, bus: str) -> str:
        prefix = "vd" if bus == "virtio" else "sd"
        index = self._used.get(prefix, 0)
        self._used[prefix] = index + 1
        return prefix + "abcdefghijklmnopqrstuvwxyz"[index]


def _source_type(path: str, plan: InstallPlan) -> str:
    """As judged on the host; unjudged, a host device is a block disk, anything else a file."""
    judged = dict(plan.source_types).get(path)
    if judged:
        return judged
    return "block" if path.startswith("/dev/") else "file"


def _file_disk(path: str, fmt: str, target: str, bus: str, plan: InstallPlan) -> Disk:
    return Disk(
        source=path,
        type=_source_type(path, plan),
        device="disk",
        driver_type=fmt,
        target_dev=target,
        target_bus=bus,
    )


def _main_disk(plan: InstallPlan, targets: _Targets) -> Disk | None:
    bus = plan.disk_bus
    if plan.source is SourceKind.IMPORT:
        return _file_disk(plan.media, plan.media_format or "raw", targets.next(bus), bus, plan)
    if plan.storage is StorageKind.NEW:
        return Disk(
            type="volume",
            device="disk",
            pool=plan.pool,
            volume=plan.volume,
            driver_type=plan.disk_format,
            target_dev=targets.next(bus),
            target_bus=bus,
        )
    if plan.storage is StorageKind.EXISTING:
        return _file_disk(plan.disk_path, plan.disk_format or "raw", targets.next(bus), bus, plan)
    return None


def _cdrom(plan: InstallPlan, targets: _Targets) -> Disk:
    return Disk(
        source=plan.media,
        type=_source_type(plan.media, plan),
        device="cdrom",
        driver_type="raw",
        target_dev=targets.next("sata"),
        target_bus="sata",
        readonly=True,
    )


def _interface(plan: InstallPlan) -> Interface | None:
    if plan.network is NetworkKind.NONE:
        return None
    return Interface(
        type=plan.network.value,
        source="" if plan.network is NetworkKind.USER else plan.network_source,
        source_mode="bridge" if plan.network is NetworkKind.DIRECT else "",
        mac=plan.mac,
        model=plan.net_model,
    )


def _os(plan: InstallPlan) -> Os:
    boot: list[str] = []
    if plan.source is SourceKind.ISO:
        boot = ["cdrom", "hd"] if plan.has_disk else ["cdrom"]
    elif plan.source is SourceKind.PXE:
        boot = ["network", "hd"] if plan.has_disk else ["network"]
    elif plan.source in (SourceKind.IMPORT, SourceKind.MANUAL):
        boot = ["hd"]
    kernel = plan.source is SourceKind.KERNEL
    return Os(
        type="hvm",
        arch=plan.arch,
        machine=plan.machine,
        firmware="efi" if plan.firmware is Firmware.UEFI else "",
        boot=boot,
        kernel=plan.kernel if kernel else "",
        initrd=plan.initrd if kernel else "",
        cmdline=plan.cmdline if kernel else "",
    )


def _video_model(plan: InstallPlan) -> str:
    # A kernel booted directly rarely carries the virtio-gpu driver in its
    # initramfs; VGA shows its console on the screen in any case.
    if plan.virtio_disk and plan.source is not SourceKind.KERNEL:
        return "virtio"
    return "vga"


def build_domain(plan: InstallPlan) -> Domain:
    """The new domain's definition (not yet defined anywhere)."""
    targets = _Targets()
    devices: list[Device] = []
    disk = _main_disk(plan, targets)
    if disk is not None:
        devices.append(disk)
    if plan.source is SourceKind.ISO:
        devices.append(_cdrom(plan, targets))
    nic = _interface(plan)
    if nic is not None:
        devices.append(nic)
    devices += [
        Serial(type="pty", target_port=0),
        Console(type="pty", target_type="serial", target_port=0),
    ]
    if plan.virtio_disk or plan.virtio_net:
        devices.append(Channel(type="unix", target_type="virtio"))
    devices += [
        Input(type="tablet", bus="usb"),
        Graphics(type="vnc", autoport=True, listen="127.0.0.1"),
        Video(model=_video_model(plan)),
    ]
    if plan.virtio_disk or plan.virtio_net:
        devices.append(Rng(model="virtio", backend_model="random", backend="/dev/urandom"))
    x86 = plan.arch in ("x86_64", "i686")
    return Domain(
        name=plan.name,
        type=plan.virt_type,
        memory=plan.memory_mib * 1024,
        current_memory=plan.memory_mib * 1024,
        vcpus=plan.vcpus,
        os=_os(plan),
        features=["acpi", "apic"] if x86 else [],
        cpu_mode="host-passthrough" if plan.virt_type == "kvm" else "",
        clock_offset="utc",
        on_poweroff="destroy",
        on_reboot="restart",
        on_crash="destroy",
        devices=devices,
    )
