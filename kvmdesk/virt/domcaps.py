"""What a host can run: virt types, architectures, machines, firmware, limits.

From ``getCapabilities`` (guest architectures, their domain types and
machine types), ``getDomainCapabilities`` (maximum vCPUs, UEFI loaders,
Secure Boot, the TPM emulator, channel types, Hyper-V and CPU modes for
one virt type + architecture + machine) and ``getInfo`` (memory, CPUs).
Drivers without domain capabilities (the test driver) get conservative
defaults: BIOS only, no TPM, the node's CPU count as the vCPU limit.
``host_traits`` sums them up for the New VM defaults table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import libvirt

from kvmdesk.domxml.guest_defaults import HostTraits, is_q35


@dataclass(frozen=True, slots=True)
class GuestArch:
    arch: str
    virt_types: tuple[str, ...]  # "kvm" first when offered, then "qemu" (or "test", ...)
    machines: tuple[str, ...]  # aliases (pc, q35) first, then versioned names
    default_machine: str


@dataclass(frozen=True, slots=True)
class HostLimits:
    host_arch: str
    memory_mib: int  # the node's memory
    cpus: int  # the node's logical CPUs
    arches: tuple[GuestArch, ...]  # hvm guests only

    def guest(self, arch: str) -> GuestArch | None:
        for guest in self.arches:
            if guest.arch == arch:
                return guest
        return None

    @property
    def preferred_arch(self) -> str:
        names = [g.arch for g in self.arches]
        if self.host_arch in names:
            return self.host_arch
        for arch in ("x86_64", "i686"):
            if arch in names:
                return arch
        return names[0] if names else self.host_arch


@dataclass(frozen=True, slots=True)
class FirmwareInfo:
    max_vcpus: int
    machine: str  # the canonical machine libvirt reports ("" unknown)
    uefi: bool  # UEFI can be chosen (firmware auto-selection or a loader)
    loaders: tuple[str, ...]  # UEFI loader paths, when listed
    secure_boot: bool = False  # a loader with Secure Boot is installed
    tpm_emulator: bool = False  # swtpm: an emulated TPM 2.0 can be added
    agent_channel: bool = True  # unix channels (the guest agent's); True when not reported
    hyperv: bool = True  # Hyper-V enlightenments; True when not reported
    cpu_maximum: bool = False  # <cpu mode="maximum">


def _machines(arch_elem: ET.Element) -> tuple[tuple[str, ...], str]:
    aliases: list[str] = []
    versioned: list[str] = []
    default = ""
    for machine in arch_elem.findall("machine"):
        name = (machine.text or "").strip()
        if not name or machine.get("deprecated") == "yes":
            continue
        if machine.get("canonical"):
            if name not in aliases:
                aliases.append(name)
        elif name not in versioned:
            versioned.append(name)
    for pick in ("pc", "q35"):
        if pick in aliases:
            default = pick
            break
    ordered = sorted(aliases) + sorted(versioned, reverse=True)
    if not default and ordered:
        default = ordered[0]
    return tuple(ordered), default


def parse_capabilities(xml: str, info: list[int] | tuple[int, ...]) -> HostLimits:
    root = ET.fromstring(xml)
    host_arch = (root.findtext("host/cpu/arch") or "").strip()
    merged: dict[str, tuple[list[str], list[str], str]] = {}
    for guest in root.findall("guest"):
        if (guest.findtext("os_type") or "").strip() != "hvm":
            continue
        arch_elem = guest.find("arch")
        if arch_elem is None or not arch_elem.get("name"):
            continue
        arch = arch_elem.get("name") or ""
        types = [d.get("type") or "" for d in arch_elem.findall("domain") if d.get("type")]
        found, default = _machines(arch_elem)
        machines = list(found)
        for domain in arch_elem.findall("domain"):
            more, _ = _machines(domain)
            machines += [m for m in more if m not in machines]
        known_types, known_machines, known_default = merged.get(arch, ([], [], ""))
        known_types += [t for t in types if t not in known_types]
        known_machines += [m for m in machines if m not in known_machines]
        merged[arch] = (known_types, known_machines, known_default or default)
    arches = []
    for arch, (types, machines, default) in merged.items():
        ordered = sorted(types, key=lambda t: (t != "kvm", t != "qemu", t))
        arches.append(GuestArch(arch, tuple(ordered), tuple(machines), default))
    return HostLimits(
        host_arch=host_arch or str(info[0]),
        memory_mib=int(info[1]),
        cpus=int(info[2]),
        arches=tuple(arches),
    )


def host_limits(conn: libvirt.virConnect) -> HostLimits:
    """Guest architectures and the node's size (blocking)."""
    return parse_capabilities(conn.getCapabilities(), conn.getInfo())


def parse_domain_capabilities(xml: str, fallback_vcpus: int) -> FirmwareInfo:
    root = ET.fromstring(xml)
    vcpu = root.find("vcpu")
    try:
        max_vcpus = int(vcpu.get("max", "0")) if vcpu is not None else 0
    except ValueError:
        max_vcpus = 0
    firmware = {(v.text or "").strip() for v in root.findall("os/enum[@name='firmware']/value")}
    loaders = tuple(
        (v.text or "").strip() for v in root.findall("os/loader/value") if (v.text or "").strip()
    )
    supported = root.find("os")
    os_ok = supported is None or supported.get("supported", "yes") == "yes"
    uefi = os_ok and ("efi" in firmware or bool(loaders))
    tpm = root.find("devices/tpm")
    tpm_versions = _values(tpm, "backendVersion")
    channel = root.find("devices/channel")
    hyperv = root.find("features/hyperv")
    maximum = root.find("cpu/mode[@name='maximum']")
    return FirmwareInfo(
        max_vcpus=max_vcpus or fallback_vcpus,
        machine=(root.findtext("machine") or "").strip(),
        uefi=uefi,
        loaders=loaders,
        secure_boot=uefi and "yes" in _values(root.find("os/loader"), "secure"),
        # libvirt lists the emulator backend only when swtpm is installed.
        tpm_emulator=_supported(tpm)
        and "emulator" in _values(tpm, "backendModel")
        and (not tpm_versions or "2.0" in tpm_versions),
        agent_channel=channel is None or "unix" in _values(channel, "type"),
        hyperv=hyperv is None or _supported(hyperv),
        cpu_maximum=_supported(maximum),
    )


def _supported(element: ET.Element | None) -> bool:
    return element is not None and element.get("supported", "no") == "yes"


def _values(element: ET.Element | None, enum: str) -> set[str]:
    """The values of <enum name=...> under ``element`` (empty when it is absent)."""
    if element is None:
        return set()
    return {(v.text or "").strip() for v in element.findall(f"enum[@name='{enum}']/value")}


def firmware_info(
    conn: libvirt.virConnect, virt_type: str, arch: str, machine: str
) -> FirmwareInfo:
    """Limits and firmware for one virt type/arch/machine (blocking).

    A driver without domain capabilities answers BIOS only, with the node's
    CPU count (or libvirt's maximum for the type, if smaller) as the limit.
    """
    try:
        xml = conn.getDomainCapabilities(None, arch or None, machine or None, virt_type or None, 0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
            raise
        cpus = int(conn.getInfo()[2])
        try:
            limit = int(conn.getMaxVcpus(virt_type or None))
        except libvirt.libvirtError:
            limit = cpus
        return FirmwareInfo(
            max_vcpus=min(cpus, limit) if limit > 0 else cpus, machine="", uefi=False, loaders=()
        )
    return parse_domain_capabilities(xml, int(conn.getInfo()[2]))


def host_traits(guest: GuestArch | None, info: FirmwareInfo) -> HostTraits:
    """What the host offers a new VM of ``guest``'s architecture (``info``:
    the domain capabilities of the chosen virt type and machine)."""
    machines = guest.machines if guest is not None else ()
    return HostTraits(
        machines_known=bool(machines),
        q35=any(is_q35(m) for m in machines),
        uefi=info.uefi,
        secure_boot=info.secure_boot,
        tpm_emulator=info.tpm_emulator,
        agent_channel=info.agent_channel,
        hyperv=info.hyperv,
        cpu_maximum=info.cpu_maximum,
    )
