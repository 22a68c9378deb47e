"""What a new VM gets by default, as one table: OS traits × host capability → choice.

Each row of ``TABLE`` decides one ``Topic`` (machine type, firmware, disk
bus ...) for the facts it names: what the guest OS has drivers for (from
osinfo), what the host offers (from its domain capabilities) and what the
user chose (the install source, the disk). The first row of a topic whose
``when`` facts all hold and whose ``unless`` facts all fail wins. A row
carries the reason for its choice (a key the wizard words, in
``kvmdesk.ui.new_vm.defaults_text``); a row marked ``warn`` is a
degradation the user is told about (UEFI wanted but not installed, no
swtpm for Windows 11 ...), never a broken VM.

The defaults follow virt-install's where they are right (q35, the
timers, Hyper-V enlightenments, qemu-xhci, 14 PCIe root ports, virtio
where the OS has drivers, discard on thin disks, the guest agent channel,
<pm>, libosinfo metadata) and go further where they are not: Secure
Boot and TPM 2.0 for Windows 11, the ``maximum`` CPU under emulation,
no memory balloon the guest has no driver for.

Machine type and firmware are chosen first (the wizard shows them in
combo boxes, and the user may pick others); the rest follow from what
was picked: ``resolve`` adds the facts ``machine-q35`` and
``firmware-efi`` for the second round.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Topic(enum.Enum):
    MACHINE = "machine"  # q35, pc, "" (the architecture's default)
    FIRMWARE = "firmware"  # efi, bios
    SECURE_BOOT = "secure-boot"  # on, off
    TPM = "tpm"  # 2.0, none
    CPU = "cpu"  # host-passthrough, maximum, "" (QEMU's default model)
    CLOCK = "clock"  # utc, localtime
    TIMERS = "timers"  # "rtc:catchup pit:delay hpet:no [hypervclock:yes]", ""
    HYPERV = "hyperv"  # "relaxed vapic spinlocks", ""
    USB = "usb"  # qemu-xhci, usb2, ""
    PCIE_PORTS = "pcie-ports"  # a count
    DISK_BUS = "disk-bus"  # virtio, sata, ide
    CDROM_BUS = "cdrom-bus"  # sata, ide
    NIC = "nic"  # virtio, e1000e, e1000
    VIDEO = "video"  # virtio, bochs, vga
    DISCARD = "discard"  # unmap, ""
    AGENT = "agent"  # on, off
    TABLET = "tablet"  # usb, ""
    RNG = "rng"  # virtio, none
    BALLOON = "balloon"  # virtio, none
    PM = "pm"  # "no-suspend", ""
    METADATA = "metadata"  # the libosinfo id, ""
    MEDIA = "media"  # after the install: eject, keep


@dataclass(frozen=True, slots=True)
class Row:
    topic: Topic
    when: frozenset[str]
    value: str
    why: str  # key of the reason, worded by the UI
    unless: frozenset[str] = frozenset()
    warn: bool = False  # a degradation to tell the user about

    def matches(self, facts: frozenset[str]) -> bool:
        return self.when <= facts and not (self.unless & facts)


def _row(
    topic: Topic, when: str, value: str, why: str, unless: str = "", warn: bool = False
) -> Row:
    return Row(topic, frozenset(when.split()), value, why, frozenset(unless.split()), warn)


T = Topic
# Facts: guest  windows, modern-windows (needs Secure Boot + TPM), virtio-disk,
#               virtio-net, virtio-rng, virtio-balloon, virtio-serial, virtio-gpu,
#               usb3, q35-ok, efi-required, known (in the osinfo database)
#        host   x86, kvm, machines-known, q35, uefi, secure-boot, tpm-emulator, agent-channel,
#               hyperv, cpu-maximum
#        plan   kernel-boot, thin-disk, block-disk, virtio-win (drivers ISO attached)
#        chosen machine-q35, firmware-efi
TABLE: tuple[Row, ...] = (
    _row(T.MACHINE, "x86", "", "machine-default", unless="machines-known"),
    _row(T.MACHINE, "x86 q35 q35-ok", "q35", "q35"),
    _row(T.MACHINE, "x86 q35-ok", "pc", "host-no-q35", unless="q35", warn=True),
    _row(T.MACHINE, "x86", "pc", "os-predates-q35"),
    _row(T.MACHINE, "", "", "arch-default"),
    _row(T.FIRMWARE, "efi-required uefi", "efi", "os-needs-uefi"),
    _row(T.FIRMWARE, "efi-required", "bios", "os-needs-uefi-missing", warn=True),
    _row(T.FIRMWARE, "", "bios", "bios"),
    _row(
        T.SECURE_BOOT,
        "firmware-efi modern-windows secure-boot machine-q35",
        "on",
        "win-secure-boot",
    ),
    _row(
        T.SECURE_BOOT,
        "firmware-efi modern-windows secure-boot",
        "off",
        "secure-boot-needs-q35",
        warn=True,
    ),
    _row(T.SECURE_BOOT, "firmware-efi modern-windows", "off", "win-no-secure-boot", warn=True),
    _row(T.SECURE_BOOT, "modern-windows", "off", "win-no-uefi", warn=True),
    _row(T.SECURE_BOOT, "firmware-efi", "off", "secure-boot-off"),
    _row(T.SECURE_BOOT, "", "off", ""),
    _row(T.TPM, "modern-windows tpm-emulator", "2.0", "win-tpm"),
    _row(T.TPM, "modern-windows", "none", "win-no-swtpm", warn=True),
    _row(T.TPM, "firmware-efi tpm-emulator", "2.0", "uefi-tpm"),
    _row(T.TPM, "", "none", ""),
    _row(T.CPU, "kvm", "host-passthrough", "cpu-passthrough"),
    _row(T.CPU, "cpu-maximum", "maximum", "cpu-maximum"),
    _row(T.CPU, "", "", "cpu-default"),
    _row(T.CLOCK, "windows", "localtime", "clock-localtime"),
    _row(T.CLOCK, "", "utc", "clock-utc"),
    _row(
        T.TIMERS,
        "x86 windows hyperv kvm",
        "rtc:catchup pit:delay hpet:no hypervclock:yes",
        "timers-windows",
    ),
    _row(T.TIMERS, "x86", "rtc:catchup pit:delay hpet:no", "timers"),
    _row(T.TIMERS, "", "", ""),
    _row(T.HYPERV, "windows hyperv kvm", "relaxed vapic spinlocks", "hyperv"),
    _row(T.HYPERV, "windows kvm", "", "hyperv-missing", warn=True),
    _row(T.HYPERV, "windows", "", "hyperv-needs-kvm"),
    _row(T.HYPERV, "", "", ""),
    _row(T.USB, "x86 usb3", "qemu-xhci", "usb3"),
    _row(T.USB, "x86", "usb2", "usb2"),
    _row(T.USB, "", "", ""),
    _row(T.PCIE_PORTS, "machine-q35", "14", "pcie-ports"),
    _row(T.PCIE_PORTS, "", "0", ""),
    _row(T.DISK_BUS, "virtio-disk", "virtio", "virtio-disk"),
    _row(T.DISK_BUS, "virtio-win", "virtio", "virtio-win-disk"),
    _row(T.DISK_BUS, "machine-q35", "sata", "disk-sata"),
    _row(T.DISK_BUS, "", "ide", "disk-ide"),
    _row(T.CDROM_BUS, "machine-q35", "sata", "cdrom-sata"),
    _row(T.CDROM_BUS, "", "ide", "cdrom-ide"),
    _row(T.NIC, "virtio-net", "virtio", "virtio-net"),
    _row(T.NIC, "virtio-win", "virtio", "virtio-win-net"),
    _row(T.NIC, "machine-q35", "e1000e", "nic-e1000e"),
    _row(T.NIC, "", "e1000", "nic-e1000"),
    _row(T.VIDEO, "kernel-boot", "vga", "video-kernel"),
    _row(T.VIDEO, "virtio-gpu", "virtio", "video-virtio"),
    _row(T.VIDEO, "firmware-efi", "bochs", "video-bochs"),
    _row(T.VIDEO, "", "vga", "video-vga"),
    _row(T.DISCARD, "thin-disk", "unmap", "discard-thin"),
    _row(T.DISCARD, "block-disk", "unmap", "discard-block"),
    _row(T.DISCARD, "", "", ""),
    _row(T.AGENT, "virtio-serial agent-channel", "on", "agent"),
    _row(T.AGENT, "virtio-win agent-channel", "on", "agent-virtio-win"),
    _row(T.AGENT, "virtio-serial", "off", "agent-no-channel", warn=True),
    _row(T.AGENT, "virtio-win", "off", "agent-no-channel", warn=True),
    _row(T.AGENT, "", "off", "agent-no-driver"),
    _row(T.TABLET, "x86", "usb", "tablet"),
    _row(T.TABLET, "", "", ""),
    _row(T.RNG, "virtio-rng", "virtio", "rng"),
    _row(T.RNG, "virtio-win", "virtio", "rng"),
    _row(T.RNG, "", "none", "rng-no-driver"),
    _row(T.BALLOON, "virtio-balloon", "virtio", "balloon"),
    _row(T.BALLOON, "virtio-win", "virtio", "balloon"),
    _row(T.BALLOON, "", "none", "balloon-no-driver"),
    _row(T.PM, "x86", "no-suspend", "pm"),
    _row(T.PM, "", "", ""),
    _row(T.METADATA, "known", "osinfo", "metadata"),
    _row(T.METADATA, "", "", "unknown-os", warn=True),
    _row(T.MEDIA, "windows", "keep", "media-windows"),
    _row(T.MEDIA, "", "eject", "media-eject"),
)

# The first round decides what the user can still change in the wizard.
PLATFORM = (Topic.MACHINE, Topic.FIRMWARE)


@dataclass(frozen=True, slots=True)
class GuestTraits:
    """What the guest OS needs and has drivers for (from osinfo, or a generic guess)."""

    short_id: str = "generic"
    name: str = ""
    osinfo_id: str = ""  # "" when the OS database does not know it
    family: str = ""  # linux, winnt, ...
    virtio_disk: bool = False
    virtio_net: bool = False
    virtio_rng: bool = False
    virtio_balloon: bool = False
    virtio_serial: bool = False
    virtio_gpu: bool = False
    usb3: bool = False
    q35: bool = False
    efi_required: bool = False

    @property
    def windows(self) -> bool:
        return self.family in ("winnt", "win9x", "win16")

    @property
    def modern_windows(self) -> bool:
        """Windows that refuses to install without Secure Boot and TPM 2.0 (11)."""
        return self.windows and self.efi_required

    def facts(self) -> frozenset[str]:
        flags = {
            "windows": self.windows,
            "modern-windows": self.modern_windows,
            "virtio-disk": self.virtio_disk,
            "virtio-net": self.virtio_net,
            "virtio-rng": self.virtio_rng,
            "virtio-balloon": self.virtio_balloon,
            "virtio-serial": self.virtio_serial,
            "virtio-gpu": self.virtio_gpu,
            "usb3": self.usb3,
            "q35-ok": self.q35,
            "efi-required": self.efi_required,
            "known": bool(self.osinfo_id),
        }
        return frozenset(name for name, on in flags.items() if on)


# Linux with virtio everywhere: what an unknown modern Linux gets.
VIRTIO_LINUX = GuestTraits(
    short_id="linux-generic",
    family="linux",
    virtio_disk=True,
    virtio_net=True,
    virtio_rng=True,
    virtio_balloon=True,
    virtio_serial=True,
    virtio_gpu=True,
    usb3=True,
    q35=True,
)


@dataclass(frozen=True, slots=True)
class HostTraits:
    """What the host offers for the chosen virtualization, architecture and machine."""

    machines_known: bool = True  # the host lists its machine types (the test driver does not)
    q35: bool = True  # the q35 machine type is offered
    uefi: bool = False  # UEFI firmware is installed
    secure_boot: bool = False  # a Secure Boot capable UEFI firmware is installed
    tpm_emulator: bool = False  # swtpm is installed
    agent_channel: bool = True  # unix channels (the guest agent's) can be made
    hyperv: bool = True  # Hyper-V enlightenments
    cpu_maximum: bool = False  # <cpu mode="maximum"> (QEMU's "-cpu max")

    def facts(self) -> frozenset[str]:
        flags = {
            "machines-known": self.machines_known,
            "q35": self.q35,
            "uefi": self.uefi,
            "secure-boot": self.secure_boot,
            "tpm-emulator": self.tpm_emulator,
            "agent-channel": self.agent_channel,
            "hyperv": self.hyperv,
            "cpu-maximum": self.cpu_maximum,
        }
        return frozenset(name for name, on in flags.items() if on)


def platform_facts(arch: str, virt_type: str) -> frozenset[str]:
    """Facts of the chosen architecture and virtualization."""
    flags = {"x86": arch in ("x86_64", "i686"), "kvm": virt_type == "kvm"}
    return frozenset(name for name, on in flags.items() if on)


@dataclass(frozen=True, slots=True)
class Choice:
    topic: Topic
    value: str
    why: str
    warn: bool = False


@dataclass(frozen=True, slots=True)
class Defaults:
    """One choice per topic, with its reason."""

    choices: tuple[Choice, ...] = field(default_factory=tuple)

    def choice(self, topic: Topic) -> Choice:
        for found in self.choices:
            if found.topic is topic:
                return found
        return Choice(topic, "", "")

    def value(self, topic: Topic) -> str:
        return self.choice(topic).value

    def on(self, topic: Topic) -> bool:
        return self.value(topic) not in ("", "off", "none", "0")

    @property
    def warnings(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.warn)


def decide(facts: frozenset[str], topics: Iterable[Topic] | None = None) -> dict[Topic, Choice]:
    """The first matching row of each topic (every topic has a catch-all row)."""
    wanted = set(Topic if topics is None else topics)
    found: dict[Topic, Choice] = {}
    for row in TABLE:
        if row.topic in wanted and row.topic not in found and row.matches(facts):
            found[row.topic] = Choice(row.topic, row.value, row.why, row.warn)
    return found


def resolve(facts: frozenset[str], machine: str = "", firmware: str = "") -> Defaults:
    """Every default for ``facts``; ``machine``/``firmware`` are the user's
    choices where they differ from the table's (given as "q35", "pc", "efi" ...)."""
    first = decide(facts, PLATFORM)
    if machine and machine != first[Topic.MACHINE].value:
        first[Topic.MACHINE] = Choice(Topic.MACHINE, machine, "user")
    if firmware and firmware != first[Topic.FIRMWARE].value:
        first[Topic.FIRMWARE] = Choice(Topic.FIRMWARE, firmware, "user")
    chosen = set(facts)
    if is_q35(first[Topic.MACHINE].value):
        chosen.add("machine-q35")
    if first[Topic.FIRMWARE].value == "efi":
        chosen.add("firmware-efi")
    rest = decide(frozenset(chosen), [t for t in Topic if t not in PLATFORM])
    merged = {**first, **rest}
    return Defaults(tuple(merged[t] for t in Topic))


def is_q35(machine: str) -> bool:
    """q35 or one of its versions (pc-q35-7.2 ...)."""
    return machine == "q35" or machine.startswith("pc-q35")


__all__ = [
    "PLATFORM",
    "TABLE",
    "VIRTIO_LINUX",
    "Choice",
    "Defaults",
    "GuestTraits",
    "HostTraits",
    "Row",
    "Topic",
    "decide",
    "is_q35",
    "platform_facts",
    "resolve",
]
