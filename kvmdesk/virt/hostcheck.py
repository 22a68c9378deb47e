"""Can this host run virtual machines, and how fast? (``kvmdesk check``)

The work is cut in two. ``gather`` does every blocking thing: it reads
/proc and /sys, asks /dev/kvm for its API version and asks libvirt for its
capabilities. ``evaluate`` is pure: it takes those facts and returns the
checks and an overall verdict, so every combination of facts can be tested
with samples.

The facts are judged together, not one by one. A CPU that shows neither
vmx nor svm while /dev/kvm answers and libvirt offers domain type 'kvm' is
not "no virtualization": it is a nested or virtualized host whose layer
below hides the flags, and KVM guests there may hang at boot while the same
guest runs under emulation.

For a remote URI nothing is read from this machine: the checks come from
libvirt's capabilities (host CPU features, guest domain types, IOMMU) and
from whether the domain capabilities for type 'kvm' answer.

Every sentence is a ``Text``: a stable id, the English template and its
arguments, so that the layers above can translate them.
"""

from __future__ import annotations

import contextlib
import enum
import errno as errno_mod
import fcntl
import grp
import os
import pwd
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import libvirt

from kvmdesk.virt.errors import classify
from kvmdesk.virt.records import format_version

KVM_GET_API_VERSION = 0xAE00  # _IO(KVMIO, 0x00)
KVM_API_VERSION = 12  # the only version Linux has ever had since 2.6.22
DEFAULT_URI = "qemu:///system"

# Modules that register /dev/kvm on x86, by the CPU flag they need.
VENDOR_MODULES = {"vmx": "kvm_intel", "svm": "kvm_amd"}
# KVM without VT-x/AMD-V: PVM ("pagetable-based virtual machine"), found
# inside cloud virtual machines.
PVM_MODULE = "kvm_pvm"
HW_FLAG_NAMES = {"vmx": "Intel VT-x", "svm": "AMD-V"}

# Debian/Ubuntu package with QEMU's system emulator, by libvirt architecture.
_QEMU_PACKAGES = {
    "x86_64": "qemu-system-x86",
    "i686": "qemu-system-x86",
    "aarch64": "qemu-system-arm",
    "armv7l": "qemu-system-arm",
    "ppc64le": "qemu-system-ppc",
    "ppc64": "qemu-system-ppc",
    "s390x": "qemu-system-s390x",
    "riscv64": "qemu-system-misc",
}


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence as data: a stable id, its English template and arguments."""

    id: str
    english: str
    # An argument is plain data (a path, a number) or a sentence part of its own.
    args: tuple[tuple[str, str | Text], ...] = ()

    def __str__(self) -> str:
        return self.english.format_map({k: str(v) for k, v in self.args})


def _t(msg_id: str, english: str, **args: object) -> Text:
    return Text(
        msg_id, english, tuple((k, v if isinstance(v, Text) else str(v)) for k, v in args.items())
    )


class Status(enum.IntEnum):
    PASS = 0
    WARN = 1
    FAIL = 2


class Verdict(enum.IntEnum):
    """Also the exit status of ``kvmdesk check``."""

    READY = 0  # every essential check passed
    DEGRADED = 1  # guests can run, but with a warning
    UNUSABLE = 2  # no guest can run


class Source(enum.Enum):
    LOCAL = "this machine"
    LIBVIRT = "libvirt"
    BOTH = "this machine and libvirt"


@dataclass(frozen=True, slots=True)
class Check:
    key: str  # stable: "cpu_flags", "kvm_device", ...
    title: Text
    status: Status
    source: Source
    meaning: Text  # what was found and what it means
    advice: tuple[Text, ...] = ()  # what to do; never empty unless PASS
    essential: bool = True  # optional features warn but leave the verdict alone


@dataclass(frozen=True, slots=True)
class Report:
    uri: str
    remote: bool
    checks: tuple[Check, ...]
    verdict: Verdict
    summary: Text
    not_checked: tuple[Text, ...] = ()  # checks that the facts cannot decide

    def check(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)


@dataclass(frozen=True, slots=True)
class KvmDevice:
    """What /dev/kvm said to this process."""

    exists: bool = False
    accessible: bool = False  # read and write allowed for this process
    api_version: int | None = None  # KVM_GET_API_VERSION, None if not reached
    errno: int | None = None  # from open() or ioctl()
    error: str = ""
    group: str = ""  # group owning the device node

    @property
    def answers(self) -> bool:
        return self.api_version == KVM_API_VERSION

    @property
    def denied(self) -> bool:
        if self.errno in (errno_mod.EACCES, errno_mod.EPERM):
            return True
        return self.exists and not self.accessible and self.api_version is None


@dataclass(frozen=True, slots=True)
class LocalFacts:
    """Facts about the machine kvmdesk runs on (never used for a remote URI)."""

    cpuinfo: str = ""
    kvm: KvmDevice = KvmDevice()
    proc_modules: str | None = None  # text of /proc/modules; None if absent
    sys_modules: frozenset[str] = frozenset()  # KVM-related names under /sys/module
    nested: Mapping[str, str] = field(default_factory=dict)  # module -> parameter text
    vhost_net: bool = False
    iommu_devices: tuple[str, ...] = ()  # entries of /sys/class/iommu
    iommu_groups: int = 0  # entries of /sys/kernel/iommu_groups
    user: str = ""
    user_has_group: bool = False  # this process has /dev/kvm's group
    user_listed_in_group: bool = False  # /etc/group lists the user in it


@dataclass(frozen=True, slots=True)
class LibvirtFacts:
    uri: str = ""  # as the daemon names it
    capabilities: str | None = None  # virsh capabilities
    domcaps_kvm: str | None = None  # virsh domcapabilities --virttype kvm
    domcaps_kvm_error: str = ""  # why the domain capabilities did not answer
    domcaps_unavailable: bool = False  # not asked: read-only connection, driver without them
    libvirt_version: str = ""
    driver: str = "QEMU"  # virConnectGetType
    hypervisor: str = ""  # "QEMU 7.2.0"


@dataclass(frozen=True, slots=True)
class HostFacts:
    uri: str
    remote: bool
    local: LocalFacts | None = None
    libvirt: LibvirtFacts | None = None
    libvirt_error: str = ""  # why libvirt could not be reached


# ---------------------------------------------------------------- parsing


def is_remote(uri: str) -> bool:
    """A URI with a host part or a network transport (+ssh, +tcp, +tls, ...)."""
    parts = urlsplit(uri)
    _, _, transport = parts.scheme.partition("+")
    return bool(parts.netloc) or transport not in ("", "unix")


def cpu_flags(cpuinfo: str) -> frozenset[str] | None:
    """Flags of the first processor in /proc/cpuinfo; None without an x86 flags line."""
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "flags":
            return frozenset(value.split())
    return None


def loaded_modules(proc_modules: str | None, sys_modules: Iterable[str] = ()) -> frozenset[str]:
    """Module names from /proc/modules plus those visible under /sys/module
    (built-in modules with parameters appear only there)."""
    names = set(sys_modules)
    for line in (proc_modules or "").splitlines():
        if line.strip():
            names.add(line.split()[0])
    return frozenset(names)


def nested_enabled(text: str) -> bool | None:
    value = text.strip().upper()
    if value in ("Y", "1"):
        return True
    if value in ("N", "0"):
        return False
    return None


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The parts of ``virsh capabilities`` that the checks use."""

    arch: str = ""
    cpu_model: str = ""
    cpu_features: frozenset[str] | None = None  # None when libvirt lists no host CPU
    iommu: bool | None = None  # <iommu support='yes|no'/>, None if absent
    domain_types: Mapping[str, frozenset[str]] = field(default_factory=dict)  # arch -> types
    emulators: Mapping[str, str] = field(default_factory=dict)  # arch -> emulator path

    def types(self, arch: str) -> frozenset[str]:
        return self.domain_types.get(arch, frozenset())


def parse_capabilities(xml: str) -> Capabilities | None:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return None
    cpu = root.find("host/cpu")
    arch = (root.findtext("host/cpu/arch") or "").strip()
    features: frozenset[str] | None = None
    if cpu is not None and (cpu.find("model") is not None or cpu.find("feature") is not None):
        features = frozenset(f.get("name", "") for f in cpu.findall("feature"))
    iommu_el = root.find("host/iommu")
    iommu = None if iommu_el is None else iommu_el.get("support") == "yes"
    types: dict[str, set[str]] = {}
    emulators: dict[str, str] = {}
    for guest in root.findall("guest"):
        if (guest.findtext("os_type") or "").strip() != "hvm":
            continue
        for arch_el in guest.findall("arch"):
            name = arch_el.get("name", "")
            types.setdefault(name, set()).update(
                d.get("type", "") for d in arch_el.findall("domain")
            )
            emulator = (arch_el.findtext("emulator") or "").strip()
            if emulator:
                emulators.setdefault(name, emulator)
    return Capabilities(
        arch=arch,
        cpu_model=(root.findtext("host/cpu/model") or "").strip(),
        cpu_features=features,
        iommu=iommu,
        domain_types={a: frozenset(t) for a, t in types.items()},
        emulators=emulators,
    )


def host_model_features(domcaps_xml: str) -> dict[str, str] | None:
    """Feature name -> policy of the host-model CPU in the domain capabilities."""
    try:
        root = ET.fromstring(domcaps_xml)
    except ET.ParseError:
        return None
    mode = root.find("cpu/mode[@name='host-model']")
    if mode is None or mode.get("supported") != "yes":
        return None
    return {f.get("name", ""): f.get("policy", "") for f in mode.findall("feature")}


# ---------------------------------------------------------------- judging


class Accel(enum.Enum):
    FULL = "full"  # KVM with visible hardware virtualization
    HIDDEN = "hidden"  # KVM works though the CPU flags do not show it
    EMULATION = "emulation"  # no KVM; software emulation
    NONE = "none"  # neither
    NOT_QEMU = "not_qemu"  # a libvirt driver that does not run QEMU/KVM (test, lxc, ...)
    UNKNOWN = "unknown"  # nothing known (remote host not reached)


@dataclass(frozen=True, slots=True)
class _View:
    """The facts, digested once for every check."""

    uri: str
    remote: bool
    local: LocalFacts | None
    lv: LibvirtFacts | None
    libvirt_error: str
    caps: Capabilities | None
    hm_features: dict[str, str] | None  # host-model features (kvm domain caps)
    arch: str
    flags: frozenset[str] | None  # CPU flags (local) or host CPU features (remote)
    modules: frozenset[str] | None
    kvm_offered: bool | None  # None: libvirt not reached
    kvm_listed: bool  # listed in capabilities (domain caps may still fail)
    emu_offered: bool | None
    accel: Accel

    @property
    def hw_flag(self) -> str | None:
        if self.flags is None:
            return None
        return next((f for f in ("vmx", "svm") if f in self.flags), None)

    @property
    def hypervisor_flag(self) -> bool:
        return self.flags is not None and "hypervisor" in self.flags

    @property
    def dev(self) -> KvmDevice | None:
        return self.local.kvm if self.local is not None else None

    @property
    def no_module_support(self) -> bool:
        """A local kernel without /proc/modules cannot load modules at all."""
        return self.local is not None and self.local.proc_modules is None

    @property
    def pvm(self) -> bool:
        return self.modules is not None and PVM_MODULE in self.modules

    @property
    def emulator(self) -> str:
        return self.caps.emulators.get(self.arch, "") if self.caps else ""

    @property
    def flags_where(self) -> Text:
        if self.remote:
            return _t("hostcheck.where.libvirt", "the host CPU features that libvirt reports")
        return _t("hostcheck.where.cpuinfo", "/proc/cpuinfo")

    @property
    def arch_name(self) -> str | Text:
        return self.arch or _t("hostcheck.arch.unknown", "the host architecture")


def _view(facts: HostFacts) -> _View:
    local = None if facts.remote else facts.local
    lv = facts.libvirt
    caps = parse_capabilities(lv.capabilities) if lv and lv.capabilities else None
    hm = host_model_features(lv.domcaps_kvm) if lv and lv.domcaps_kvm else None
    arch = caps.arch if caps else ""
    if facts.remote:
        flags = caps.cpu_features if caps else None
        modules = None
    else:
        flags = cpu_flags(local.cpuinfo) if local else None
        modules = None
        if local and (local.proc_modules is not None or local.sys_modules):
            modules = loaded_modules(local.proc_modules, local.sys_modules)
    kvm_listed = bool(caps and "kvm" in caps.types(arch))
    kvm_offered: bool | None = None
    emu_offered: bool | None = None
    if lv is not None:
        qemu = lv.driver.upper() in ("QEMU", "")
        domcaps_failed = bool(lv.domcaps_kvm_error) and not lv.domcaps_unavailable
        kvm_offered = qemu and kvm_listed and not domcaps_failed
        emu_offered = qemu and bool(caps and "qemu" in caps.types(arch))
    view = _View(
        uri=facts.uri,
        remote=facts.remote,
        local=local,
        lv=lv,
        libvirt_error=facts.libvirt_error,
        caps=caps,
        hm_features=hm,
        arch=arch,
        flags=flags,
        modules=modules,
        kvm_offered=kvm_offered,
        kvm_listed=kvm_listed,
        emu_offered=emu_offered,
        accel=Accel.UNKNOWN,
    )
    return replace(view, accel=_accel(view))


def _accel(v: _View) -> Accel:
    if v.lv is not None and v.lv.driver.upper() not in ("QEMU", ""):
        return Accel.NOT_QEMU
    if v.kvm_offered is None:  # libvirt not reached
        if v.remote or v.dev is None:
            return Accel.UNKNOWN
        kvm_works = v.dev.answers
        emulation = True  # unconfirmed; the libvirt line warns about it
    else:
        kvm_works = v.kvm_offered
        emulation = bool(v.emu_offered)
    if kvm_works:
        if v.flags is not None and v.hw_flag is None:
            return Accel.HIDDEN
        return Accel.FULL
    return Accel.EMULATION if emulation else Accel.NONE


TITLES = {
    "libvirt": _t("hostcheck.libvirt.title", "libvirt connection"),
    "cpu_flags": _t("hostcheck.cpu_flags.title", "Hardware virtualization"),
    "kvm_device": _t("hostcheck.kvm_device.title", "KVM device"),
    "kvm_modules": _t("hostcheck.modules.title", "KVM kernel modules"),
    "libvirt_kvm": _t("hostcheck.libvirt_kvm.title", "libvirt offers KVM"),
    "emulation": _t("hostcheck.emulation.title", "Emulation"),
    "acceleration": _t("hostcheck.acceleration.title", "KVM acceleration"),
    "nested": _t("hostcheck.nested.title", "Nested virtualization"),
    "nx": _t("hostcheck.nx.title", "NX (no-execute)"),
    "iommu": _t("hostcheck.iommu.title", "IOMMU (device passthrough)"),
    "vhost_net": _t("hostcheck.vhost_net.title", "vhost-net"),
}
_UNKNOWN_ERROR = _t("hostcheck.error.unknown", "unknown error")


def _check(
    key: str,
    status: Status,
    source: Source,
    meaning: Text,
    *advice: Text,
    essential: bool = True,
) -> Check:
    return Check(key, TITLES[key], status, source, meaning, advice, essential)


def _src(v: _View) -> Source:
    return Source.LIBVIRT if v.remote else Source.LOCAL


def _kvm_evidence(v: _View) -> Text:
    """Why KVM is believed to work: /dev/kvm answering, libvirt offering 'kvm'."""
    dev = v.dev
    device: Text | None = None
    if dev is not None and dev.answers:
        device = _t(
            "hostcheck.evidence.device_answers",
            "/dev/kvm answers (KVM API version {version})",
            version=dev.api_version,
        )
    elif dev is not None and dev.exists:
        device = _t("hostcheck.evidence.device_exists", "/dev/kvm exists")
    offered = _t(
        "hostcheck.evidence.libvirt_offers",
        "libvirt offers domain type 'kvm' for {arch}",
        arch=v.arch_name,
    )
    if device is not None and v.kvm_offered:
        return _t(
            "hostcheck.evidence.both", "{device} and {libvirt}", device=device, libvirt=offered
        )
    return device if device is not None else offered


# --- what to do


def _group_advice(v: _View) -> Text:
    local, dev = v.local, v.dev
    group = (dev.group if dev else "") or "kvm"
    user = (local.user if local else "") or "$USER"
    if local is not None and local.user_listed_in_group and not local.user_has_group:
        return _t(
            "hostcheck.advice.relogin",
            "You are in the '{group}' group, but this login session started before you"
            " joined it: log out and in again (or run: newgrp {group}).",
            group=group,
        )
    return _t(
        "hostcheck.advice.join_group",
        "Join the '{group}' group that owns /dev/kvm: sudo usermod -aG {group} {user},"
        " then log out and in again.",
        group=group,
        user=user,
    )


def _firmware_or_nested_advice(v: _View) -> Text:
    if v.hypervisor_flag:
        return _t(
            "hostcheck.advice.outer_nested",
            "This machine is itself a virtual machine: ask for nested virtualization on"
            " the machine that hosts it (a VM setting or cloud instance type that exposes"
            " VT-x/AMD-V).",
        )
    return _t(
        "hostcheck.advice.firmware",
        "Enable Intel VT-x or AMD-V (SVM) in the firmware setup (BIOS/UEFI), then power"
        " the machine off and on.",
    )


def _modprobe_advice(v: _View) -> Text:
    flag = v.hw_flag
    if v.no_module_support:
        return _t(
            "hostcheck.advice.kvm_kernel",
            "This kernel cannot load modules (there is no /proc/modules): KVM needs a kernel"
            " built with CONFIG_KVM_INTEL or CONFIG_KVM_AMD.",
        )
    if flag is None:
        return _t(
            "hostcheck.advice.modprobe_any",
            "Load KVM: sudo modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD); if it"
            " says “Operation not supported”, virtualization is off in the firmware.",
        )
    return _t(
        "hostcheck.advice.modprobe",
        "Load KVM: sudo modprobe {module} (if it says “Operation not supported”,"
        " virtualization is off in the firmware).",
        module=VENDOR_MODULES[flag],
    )


def _dmesg_advice() -> Text:
    return _t(
        "hostcheck.advice.dmesg",
        "Read the kernel's own reason: sudo dmesg | grep -i kvm",
    )


def _restart_libvirt_advice() -> Text:
    return _t(
        "hostcheck.advice.restart_libvirt",
        "Restart libvirt so that it probes KVM again: sudo systemctl restart libvirtd"
        " (or virtqemud on modular daemons).",
    )


def _install_qemu_advice(v: _View) -> Text:
    return _t(
        "hostcheck.advice.install_qemu",
        "Install QEMU's system emulator for {arch} (Debian/Ubuntu: {package};"
        " Fedora: qemu-kvm), then restart libvirt.",
        arch=v.arch_name,
        package=_QEMU_PACKAGES.get(v.arch, "qemu-system-<arch>"),
    )


def _kvm_remedies(v: _View) -> tuple[Text, ...]:
    """What to do to get KVM, from what the facts show is missing."""
    if v.remote:
        return (
            _t(
                "hostcheck.advice.remote_kvm",
                "On that host: enable Intel VT-x or AMD-V in the firmware, load kvm_intel or"
                " kvm_amd, make sure /dev/kvm exists, then restart libvirt"
                " (virt-host-validate qemu there tells what is missing).",
            ),
        )
    advice: list[Text] = []
    dev = v.dev
    if v.flags is not None and v.hw_flag is None:
        advice.append(_firmware_or_nested_advice(v))
    if dev is not None and not dev.exists:
        advice.append(_modprobe_advice(v))
    if dev is not None and dev.denied:
        advice.append(_group_advice(v))
    if dev is not None and dev.answers and v.kvm_offered is False:
        advice.append(_restart_libvirt_advice())
    if not advice:
        advice = [
            _t(
                "hostcheck.advice.generic_kvm",
                "Enable Intel VT-x or AMD-V in the firmware, load kvm_intel or kvm_amd,"
                " and join the 'kvm' group if /dev/kvm refuses you.",
            )
        ]
    return tuple(advice)


# --- the checks, one function each; None when the facts cannot decide


def _check_libvirt(v: _View) -> Check:
    lv = v.lv
    if lv is not None:
        versions = ", ".join(
            p
            for p in (f"libvirt {lv.libvirt_version}" if lv.libvirt_version else "", lv.hypervisor)
            if p
        )
        meaning = _t(
            "hostcheck.libvirt.connected",
            "Connected to {uri}{versions}",
            uri=lv.uri or v.uri,
            versions=f" ({versions})" if versions else "",
        )
        return _check("libvirt", Status.PASS, Source.LIBVIRT, meaning)
    error = v.libvirt_error or _UNKNOWN_ERROR
    if v.remote:
        return _check(
            "libvirt",
            Status.FAIL,
            Source.LIBVIRT,
            _t(
                "hostcheck.libvirt.unreachable_remote",
                "libvirt could not be reached at {uri}: {error}. Nothing about that host"
                " could be checked",
                uri=v.uri,
                error=error,
            ),
            _t(
                "hostcheck.advice.remote_reach",
                "Check that the host answers and runs libvirtd: virsh -c {uri} uri",
                uri=v.uri,
            ),
        )
    return _check(
        "libvirt",
        Status.WARN,
        Source.LIBVIRT,
        _t(
            "hostcheck.libvirt.unreachable_local",
            "libvirt could not be reached at {uri}: {error}. The checks below come from"
            " this machine only",
            uri=v.uri,
            error=error,
        ),
        _t(
            "hostcheck.advice.start_libvirt",
            "Start libvirt: sudo systemctl start libvirtd (or virtqemud.socket on modular"
            " daemons), then run this check again.",
        ),
    )


def _check_cpu_flags(v: _View) -> Check | None:
    flag = v.hw_flag
    if v.flags is None:
        return None
    if flag is not None:
        meaning = _t(
            "hostcheck.cpu_flags.present",
            "{name}: {where} includes the {flag} flag",
            name=HW_FLAG_NAMES[flag],
            where=v.flags_where,
            flag=flag,
        )
        return _check("cpu_flags", Status.PASS, _src(v), meaning)
    vm_note: str | Text = ""
    if v.hypervisor_flag:
        vm_note = _t(
            "hostcheck.cpu_flags.vm_note",
            "; the 'hypervisor' flag says this machine is itself a virtual machine",
        )
    meaning = _t(
        "hostcheck.cpu_flags.absent",
        "Neither vmx (Intel VT-x) nor svm (AMD-V) is among the CPU flags in {where}{vm}",
        where=v.flags_where,
        vm=vm_note,
    )
    if v.accel is Accel.HIDDEN and not v.hypervisor_flag:
        advice = _t(
            "hostcheck.advice.see_acceleration",
            "KVM works all the same, through whatever hides the flags; see “KVM acceleration”.",
        )
    else:
        advice = _firmware_or_nested_advice(v)
    return _check("cpu_flags", Status.WARN, _src(v), meaning, advice)


def _check_kvm_device(v: _View) -> Check | None:
    dev = v.dev
    if dev is None:
        return None
    key, warn, local = "kvm_device", Status.WARN, Source.LOCAL
    if dev.answers:
        meaning = _t(
            "hostcheck.kvm_device.answers",
            "/dev/kvm answers: KVM API version {version}",
            version=dev.api_version,
        )
        return _check(key, Status.PASS, local, meaning)
    if not dev.exists:
        meaning = _t(
            "hostcheck.kvm_device.missing",
            "/dev/kvm does not exist: the kernel offers no KVM on this machine",
        )
        advice = [_modprobe_advice(v), _dmesg_advice()]
        if v.flags is not None and v.hw_flag is None:
            advice.insert(0, _firmware_or_nested_advice(v))
        return _check(key, warn, local, meaning, *advice)
    if dev.denied:
        note: str | Text = ""
        if v.kvm_offered and "session" not in v.uri:
            note = _t(
                "hostcheck.kvm_device.system_note",
                "; libvirt's system daemon still uses KVM, but qemu:///session and QEMU"
                " started by you cannot",
            )
        meaning = _t(
            "hostcheck.kvm_device.denied",
            "/dev/kvm exists but {user} may not open it ({error}){note}",
            user=(v.local.user if v.local and v.local.user else "this user"),
            error=dev.error or "permission denied",
            note=note,
        )
        return _check(key, warn, local, meaning, _group_advice(v))
    if dev.api_version is not None:
        meaning = _t(
            "hostcheck.kvm_device.bad_version",
            "/dev/kvm answers with KVM API version {version}, not {expected}: QEMU will refuse it",
            version=dev.api_version,
            expected=KVM_API_VERSION,
        )
        kernel_kvm = _t(
            "hostcheck.advice.kernel_kvm", "Use the KVM modules that come with the running kernel."
        )
        return _check(key, warn, local, meaning, kernel_kvm)
    meaning = _t(
        "hostcheck.kvm_device.silent",
        "/dev/kvm exists but does not answer: {error}",
        error=dev.error or _UNKNOWN_ERROR,
    )
    return _check(key, warn, local, meaning, _dmesg_advice())


def _check_modules(v: _View) -> Check | None:
    mods = v.modules
    if mods is None:
        return None
    vendors = [m for m in (*VENDOR_MODULES.values(), PVM_MODULE) if m in mods]
    if "kvm" in mods and vendors:
        pvm: str | Text = ""
        if PVM_MODULE in vendors:
            pvm = _t(
                "hostcheck.modules.pvm_note",
                "; kvm_pvm is PVM, a KVM back end that needs no VT-x/AMD-V, meant for hosts"
                " that are themselves virtual machines",
            )
        meaning = _t(
            "hostcheck.modules.loaded",
            "Loaded: {modules}{pvm}",
            modules=", ".join(["kvm", *vendors]),
            pvm=pvm,
        )
        return _check("kvm_modules", Status.PASS, Source.LOCAL, meaning)
    if v.dev is not None and v.dev.answers:
        meaning = _t(
            "hostcheck.modules.builtin",
            "KVM is built into the kernel (/dev/kvm answers; no kvm modules are listed)",
        )
        return _check("kvm_modules", Status.PASS, Source.LOCAL, meaning)
    if "kvm" in mods:
        meaning = _t("hostcheck.modules.no_vendor", "kvm is loaded, but not kvm_intel or kvm_amd")
    else:
        meaning = _t("hostcheck.modules.none", "Not loaded: kvm and kvm_intel/kvm_amd")
    return _check("kvm_modules", Status.WARN, Source.LOCAL, meaning, _modprobe_advice(v))


def _emulator_note(v: _View) -> str:
    return f" ({v.emulator})" if v.emulator else ""


def _check_libvirt_kvm(v: _View) -> Check | None:
    lv = v.lv
    if lv is None or v.accel is Accel.NOT_QEMU:
        return None
    if v.kvm_offered:
        confirmed: str | Text = ""
        if lv.domcaps_kvm:
            confirmed = _t(
                "hostcheck.libvirt_kvm.domcaps_ok", "; its domain capabilities for 'kvm' answer"
            )
        elif lv.domcaps_unavailable:
            confirmed = _t(
                "hostcheck.libvirt_kvm.domcaps_unavailable",
                "; its domain capabilities could not be asked ({error})",
                error=lv.domcaps_kvm_error,
            )
        meaning = _t(
            "hostcheck.libvirt_kvm.offered",
            "Domain type 'kvm' is offered for {arch}{emulator}{confirmed}",
            arch=v.arch_name,
            emulator=_emulator_note(v),
            confirmed=confirmed,
        )
        return _check("libvirt_kvm", Status.PASS, Source.LIBVIRT, meaning)
    if v.caps is None:
        meaning = _t(
            "hostcheck.libvirt_kvm.no_capabilities", "libvirt returned no readable capabilities"
        )
    elif v.kvm_listed:
        meaning = _t(
            "hostcheck.libvirt_kvm.domcaps_failed",
            "libvirt lists domain type 'kvm' for {arch}, but its domain capabilities fail: {error}",
            arch=v.arch_name,
            error=lv.domcaps_kvm_error,
        )
    else:
        meaning = _t(
            "hostcheck.libvirt_kvm.absent",
            "libvirt offers no domain type 'kvm' for {arch}{why}",
            arch=v.arch_name,
            why=f" ({lv.domcaps_kvm_error})" if lv.domcaps_kvm_error else "",
        )
    if v.remote:
        advice = _kvm_remedies(v)[0]
    elif v.dev is not None and v.dev.answers:
        advice = _restart_libvirt_advice()
    else:
        advice = _t(
            "hostcheck.advice.fix_kvm_first",
            "Make KVM work on this machine first (see the other lines); libvirt offers it"
            " after a restart: sudo systemctl restart libvirtd.",
        )
    return _check("libvirt_kvm", Status.WARN, Source.LIBVIRT, meaning, advice)


def _check_emulation(v: _View) -> Check | None:
    if v.lv is None or v.accel is Accel.NOT_QEMU:
        return None
    if v.emu_offered:
        meaning = _t(
            "hostcheck.emulation.offered",
            "Domain type 'qemu' (software emulation, no KVM needed) is offered for"
            " {arch}{emulator}",
            arch=v.arch_name,
            emulator=_emulator_note(v),
        )
        return _check("emulation", Status.PASS, Source.LIBVIRT, meaning)
    meaning = _t(
        "hostcheck.emulation.absent",
        "libvirt offers no domain type 'qemu' for {arch}",
        arch=v.arch_name,
    )
    # Without KVM this is fatal; beside a working KVM it is only a missing fallback.
    kvm = bool(v.kvm_offered)
    status = Status.WARN if kvm else Status.FAIL
    return _check(
        "emulation", status, Source.LIBVIRT, meaning, _install_qemu_advice(v), essential=not kvm
    )


def _check_acceleration(v: _View) -> Check | None:
    if v.accel is Accel.UNKNOWN:
        return None
    key = "acceleration"
    source = Source.LOCAL if v.lv is None else (Source.LIBVIRT if v.remote else Source.BOTH)
    if v.accel is Accel.FULL:
        flag = v.hw_flag
        hw: str | Text = (
            f"{HW_FLAG_NAMES[flag]} ({flag})"
            if flag
            else _t("hostcheck.acceleration.hw_generic", "hardware virtualization")
        )
        unconfirmed: str | Text = ""
        if v.lv is None:
            unconfirmed = _t(
                "hostcheck.acceleration.unconfirmed",
                " (libvirt was not reached, so it is not confirmed there)",
            )
        meaning = _t(
            "hostcheck.acceleration.full",
            "Guests run with KVM at hardware speed: {hw}; {evidence}{unconfirmed}",
            hw=hw,
            evidence=_kvm_evidence(v),
            unconfirmed=unconfirmed,
        )
        return _check(key, Status.PASS, source, meaning)
    if v.accel is Accel.HIDDEN:
        pvm: str | Text = ""
        if v.pvm:
            pvm = _t(
                "hostcheck.acceleration.pvm_note",
                " KVM comes from kvm_pvm (PVM), which needs no VT-x/AMD-V; guest kernels"
                " without PVM support can hang early in boot.",
            )
        meaning = _t(
            "hostcheck.acceleration.hidden",
            "KVM is exposed but the CPU flags are hidden: neither vmx (Intel VT-x) nor svm"
            " (AMD-V) appears in {where}, yet {evidence}. This looks like a nested or virtualized"
            " host; KVM guests may misbehave.{pvm}",
            where=v.flags_where,
            evidence=_kvm_evidence(v),
            pvm=pvm,
        )
        return _check(
            key,
            Status.WARN,
            source,
            meaning,
            _t(
                "hostcheck.advice.prefer_emulation",
                "If KVM guests hang at boot, prefer emulation: domain type 'qemu'"
                " (<domain type='qemu'>), slower but dependable.",
            ),
            _t(
                "hostcheck.advice.ask_nested",
                "For full-speed KVM, ask for nested virtualization (VT-x/AMD-V exposed to this"
                " machine) on the machine below.",
            ),
        )
    if v.accel is Accel.EMULATION:
        if v.lv is None:
            meaning = _t(
                "hostcheck.acceleration.emulation_unconfirmed",
                "KVM is not available on this machine: guests would run with software"
                " emulation, many times slower (libvirt was not reached, so not even"
                " emulation is confirmed)",
            )
        else:
            meaning = _t(
                "hostcheck.acceleration.emulation",
                "KVM is not available: guests run with software emulation (domain type"
                " 'qemu'), many times slower",
            )
        return _check(key, Status.WARN, source, meaning, *_kvm_remedies(v))
    if v.accel is Accel.NOT_QEMU:
        meaning = _t(
            "hostcheck.acceleration.not_qemu",
            "This connection uses libvirt's {driver} driver, which does not run QEMU/KVM guests",
            driver=v.lv.driver if v.lv else "",
        )
        advice = _t(
            "hostcheck.advice.check_qemu_uri",
            "Check a QEMU connection instead: kvmdesk check -c qemu:///system",
        )
        return _check(key, Status.FAIL, Source.LIBVIRT, meaning, advice)
    meaning = _t(
        "hostcheck.acceleration.none",
        "No guest can run: libvirt offers neither KVM (domain type 'kvm') nor emulation"
        " (domain type 'qemu') for {arch}",
        arch=v.arch_name,
    )
    return _check(key, Status.FAIL, source, meaning, _install_qemu_advice(v), *_kvm_remedies(v))


def _check_nested(v: _View) -> Check | None:
    """Whether guests of this host can run KVM themselves."""
    if v.accel not in (Accel.FULL, Accel.HIDDEN):
        return None
    flag = v.hw_flag
    module = VENDOR_MODULES[flag] if flag else ""
    param = v.local.nested.get(module) if v.local is not None and module else None
    enabled = nested_enabled(param) if param is not None else None
    if enabled is not None:
        source = Source.LOCAL
        setting: str | Text = f"{module} nested={(param or '').strip()}"
    elif v.hm_features is not None:
        # libvirt's host-model CPU hands vmx/svm on to guests when nesting works.
        passed = [f for f in ("vmx", "svm") if v.hm_features.get(f) == "require"]
        enabled = bool(passed)
        source = Source.LIBVIRT
        if passed:
            setting = _t(
                "hostcheck.nested.host_model_has",
                "libvirt's host-model CPU for guests includes {flag}",
                flag=passed[0],
            )
        else:
            setting = _t(
                "hostcheck.nested.host_model_lacks",
                "libvirt's host-model CPU for guests has neither vmx nor svm",
            )
    else:
        return None
    if enabled:
        meaning = _t(
            "hostcheck.nested.on", "On: guests can run KVM themselves ({setting})", setting=setting
        )
        return _check("nested", Status.PASS, source, meaning, essential=False)
    meaning = _t(
        "hostcheck.nested.off", "Off: guests cannot run KVM themselves ({setting})", setting=setting
    )
    if source is Source.LOCAL:
        advice = _t(
            "hostcheck.advice.enable_nested",
            "Only needed for hypervisors inside guests: echo 'options {module} nested=1' |"
            " sudo tee /etc/modprobe.d/kvm-nested.conf, then with no guest running:"
            " sudo modprobe -r {module} && sudo modprobe {module}",
            module=module,
        )
    else:
        advice = _t(
            "hostcheck.advice.nested_elsewhere",
            "Only needed for hypervisors inside guests; that takes a host with VT-x/AMD-V"
            " visible and the nested option of kvm_intel/kvm_amd on.",
        )
    return _check("nested", Status.WARN, source, meaning, advice, essential=False)


def _check_nx(v: _View) -> Check | None:
    if v.flags is not None and "nx" in v.flags:
        meaning = _t(
            "hostcheck.nx.present", "{where} includes nx (Intel XD / AMD NX)", where=v.flags_where
        )
        return _check("nx", Status.PASS, _src(v), meaning, essential=False)
    if v.hm_features is not None and v.hm_features.get("nx") == "disable":
        source = Source.LIBVIRT
    elif not v.remote and v.flags is not None:
        source = Source.LOCAL
    else:
        return None  # a remote CPU model implies NX without listing it
    meaning = _t(
        "hostcheck.nx.absent",
        "No nx flag: guest systems that require no-execute pages (Windows 8 and later, for"
        " example) will not start",
    )
    advice = _t(
        "hostcheck.advice.enable_nx",
        "Enable “Execute Disable Bit” (Intel XD) or “NX” in the firmware setup.",
    )
    return _check("nx", Status.WARN, source, meaning, advice, essential=False)


def _iommu_kind(devices: Iterable[str]) -> str:
    names = list(devices)
    if any(n.startswith("dmar") for n in names):
        return "Intel VT-d"
    if any(n.startswith("ivhd") for n in names):
        return "AMD-Vi"
    return "IOMMU"


def _check_iommu(v: _View) -> Check | None:
    local = v.local
    if local is not None and (local.iommu_devices or local.iommu_groups):
        meaning = _t(
            "hostcheck.iommu.active",
            "{kind} is active ({devices}; {groups} IOMMU groups)",
            kind=_iommu_kind(local.iommu_devices),
            devices=", ".join(local.iommu_devices) or "/sys/class/iommu",
            groups=local.iommu_groups,
        )
        return _check("iommu", Status.PASS, Source.LOCAL, meaning, essential=False)
    caps_says = v.caps.iommu if v.caps else None
    if caps_says:
        meaning = _t("hostcheck.iommu.libvirt_yes", "libvirt reports IOMMU support")
        return _check("iommu", Status.PASS, Source.LIBVIRT, meaning, essential=False)
    if local is None and caps_says is None:
        return None
    meaning = _t(
        "hostcheck.iommu.absent",
        "No active IOMMU (Intel VT-d / AMD-Vi): PCI devices cannot be passed to guests",
    )
    advice = _t(
        "hostcheck.advice.enable_iommu",
        "Only needed for PCI passthrough: enable VT-d or AMD-Vi (IOMMU) in the firmware and,"
        " on Intel, add intel_iommu=on to the kernel command line; then reboot.",
    )
    source = Source.LOCAL if local is not None else Source.LIBVIRT
    return _check("iommu", Status.WARN, source, meaning, advice, essential=False)


def _check_vhost_net(v: _View) -> Check | None:
    if v.local is None:
        return None
    if v.local.vhost_net:
        meaning = _t(
            "hostcheck.vhost_net.present",
            "/dev/vhost-net exists: the kernel carries virtio network traffic",
        )
        return _check("vhost_net", Status.PASS, Source.LOCAL, meaning)
    meaning = _t(
        "hostcheck.vhost_net.absent",
        "No /dev/vhost-net: guest networking works, but every packet goes through QEMU in"
        " user space, which is slower",
    )
    if v.no_module_support:
        advice = _t(
            "hostcheck.advice.vhost_net_kernel",
            "This kernel cannot load modules (there is no /proc/modules): vhost-net needs a"
            " kernel built with CONFIG_VHOST_NET.",
        )
    else:
        advice = _t(
            "hostcheck.advice.load_vhost_net",
            "Load it: sudo modprobe vhost_net (add vhost_net to /etc/modules to keep it after"
            " a reboot).",
        )
    return _check("vhost_net", Status.WARN, Source.LOCAL, meaning, advice)


_CHECKS = (
    _check_libvirt,
    _check_cpu_flags,
    _check_kvm_device,
    _check_modules,
    _check_libvirt_kvm,
    _check_emulation,
    _check_acceleration,
    _check_nested,
    _check_nx,
    _check_iommu,
    _check_vhost_net,
)


def _not_checked(v: _View, keys: set[str]) -> tuple[Text, ...]:
    notes = []
    if v.remote:
        local_only = ("kvm_device", "kvm_modules", "vhost_net")
        notes.append(
            _t(
                "hostcheck.not_checked.remote",
                "{names}: not visible through libvirt for a remote host",
                names=", ".join(str(TITLES[k]) for k in local_only),
            )
        )
        if "nx" not in keys and v.lv is not None:
            notes.append(
                _t(
                    "hostcheck.not_checked.remote_nx",
                    "NX: libvirt names it only when the host CPU lacks it, and did not",
                )
            )
    elif "cpu_flags" not in keys:
        notes.append(
            _t(
                "hostcheck.not_checked.no_flags",
                "Hardware virtualization and NX: /proc/cpuinfo has no x86 flags line",
            )
        )
    return tuple(notes)


def _verdict(checks: Iterable[Check]) -> Verdict:
    worst = max((c.status for c in checks if c.essential), default=Status.PASS)
    return Verdict(int(worst))


def _summary(v: _View, verdict: Verdict, checks: tuple[Check, ...]) -> Text:
    if verdict is Verdict.READY:
        optional = sum(1 for c in checks if c.status is not Status.PASS)
        if optional:
            return _t(
                "hostcheck.summary.ready_optional",
                "Guests can run with KVM acceleration; optional features missing: {count}",
                count=optional,
            )
        return _t("hostcheck.summary.ready", "Guests can run with KVM acceleration")
    if verdict is Verdict.UNUSABLE:
        if v.remote and v.lv is None:
            return _t(
                "hostcheck.summary.unreachable", "Nothing could be checked: libvirt not reached"
            )
        if v.accel is Accel.NOT_QEMU:
            return _t(
                "hostcheck.summary.not_qemu", "No QEMU/KVM guest can run through {uri}", uri=v.uri
            )
        return _t("hostcheck.summary.unusable", "No guest can run on this host")
    warned = ", ".join(str(c.title) for c in checks if c.essential and c.status is Status.WARN)
    if v.accel is Accel.HIDDEN:
        return _t(
            "hostcheck.summary.hidden",
            "Guests can run, with warnings: KVM is exposed but the CPU flags are hidden"
            " (nested or virtualized host); see {warned}",
            warned=warned,
        )
    if v.accel is Accel.EMULATION:
        return _t(
            "hostcheck.summary.emulation",
            "Guests can run, with warnings: KVM is not available, so they run with software"
            " emulation; see {warned}",
            warned=warned,
        )
    return _t(
        "hostcheck.summary.degraded", "Guests can run, with warnings: see {warned}", warned=warned
    )


def evaluate(facts: HostFacts) -> Report:
    """Judge the facts; pure, no I/O."""
    v = _view(facts)
    checks = tuple(c for c in (fn(v) for fn in _CHECKS) if c is not None)
    verdict = _verdict(checks)
    return Report(
        uri=facts.uri,
        remote=facts.remote,
        checks=checks,
        verdict=verdict,
        summary=_summary(v, verdict, checks),
        not_checked=_not_checked(v, {c.key for c in checks}),
    )


# ---------------------------------------------------------------- gathering


def probe_kvm_device(path: str = "/dev/kvm") -> KvmDevice:
    """Open the device and ask KVM_GET_API_VERSION (blocking, local)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return KvmDevice(exists=False)
    except OSError as exc:
        return KvmDevice(exists=False, errno=exc.errno, error=exc.strerror or str(exc))
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    accessible = os.access(path, os.R_OK | os.W_OK)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as exc:
        return KvmDevice(True, accessible, None, exc.errno, exc.strerror or str(exc), group)
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as exc:
        return KvmDevice(True, accessible, None, exc.errno, exc.strerror or str(exc), group)
    finally:
        os.close(fd)
    return KvmDevice(True, accessible, int(version), None, "", group)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _listdir(path: Path) -> list[str]:
    try:
        return sorted(p.name for p in path.iterdir())
    except OSError:
        return []


def _user_groups(group: str) -> tuple[str, bool, bool]:
    """(user name, process has the group, /etc/group lists the user in it)."""
    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        user = str(os.getuid())
    if not group:
        return user, False, False
    try:
        gr = grp.getgrnam(group)
    except KeyError:
        return user, False, False
    has = gr.gr_gid in os.getgroups() or gr.gr_gid == os.getgid()
    listed = user in gr.gr_mem
    with contextlib.suppress(KeyError):
        listed = listed or pwd.getpwnam(user).pw_gid == gr.gr_gid
    return user, has, listed


def gather_local(root: Path = Path("/")) -> LocalFacts:
    """Facts of this machine: /proc, /sys, /dev (blocking, never raises)."""
    kvm = probe_kvm_device(str(root / "dev/kvm"))
    sys_modules = frozenset(
        n for n in _listdir(root / "sys/module") if n == "kvm" or n.startswith(("kvm_", "vhost"))
    )
    nested = {}
    for module in VENDOR_MODULES.values():
        text = _read(root / "sys/module" / module / "parameters/nested")
        if text is not None:
            nested[module] = text.strip()
    user, has_group, listed = _user_groups(kvm.group or "kvm")
    return LocalFacts(
        cpuinfo=_read(root / "proc/cpuinfo") or "",
        kvm=kvm,
        proc_modules=_read(root / "proc/modules"),
        sys_modules=sys_modules,
        nested=nested,
        vhost_net=(root / "dev/vhost-net").exists(),
        iommu_devices=tuple(_listdir(root / "sys/class/iommu")),
        iommu_groups=len(_listdir(root / "sys/kernel/iommu_groups")),
        user=user,
        user_has_group=has_group,
        user_listed_in_group=listed,
    )


def gather_libvirt(conn: libvirt.virConnect) -> LibvirtFacts:
    """Capabilities and the 'kvm' domain capabilities (blocking RPCs)."""
    caps = conn.getCapabilities()
    parsed = parse_capabilities(caps)
    domcaps: str | None = None
    error = ""
    unavailable = False
    try:
        domcaps = conn.getDomainCapabilities(None, parsed.arch if parsed else None, None, "kvm", 0)
    except libvirt.libvirtError as exc:
        error = classify(exc).message
        unavailable = exc.get_error_code() in (
            libvirt.VIR_ERR_OPERATION_DENIED,  # read-only connection
            libvirt.VIR_ERR_NO_SUPPORT,  # a driver without domain capabilities
        )
    try:
        driver = str(conn.getType())
    except libvirt.libvirtError:
        driver = ""
    try:
        hv = f"{driver} {format_version(conn.getVersion())}".strip()
    except libvirt.libvirtError:
        hv = driver
    try:
        lib = format_version(conn.getLibVersion())
    except libvirt.libvirtError:
        lib = ""
    try:
        uri = str(conn.getURI())
    except libvirt.libvirtError:
        uri = ""
    return LibvirtFacts(
        uri=uri,
        capabilities=caps,
        domcaps_kvm=domcaps,
        domcaps_kvm_error=error,
        domcaps_unavailable=unavailable,
        libvirt_version=lib,
        driver=driver,
        hypervisor=hv,
    )


def open_connection(uri: str) -> tuple[libvirt.virConnect | None, str]:
    """Open ``uri`` for the check: read-write (domain capabilities need it),
    else read-only. Returns (connection or None, why it failed)."""
    try:
        return libvirt.open(uri), ""
    except libvirt.libvirtError as exc:
        error = classify(exc).message
    if is_remote(uri):  # a second attempt would ask for a password again
        return None, error
    try:
        return libvirt.openReadOnly(uri), ""
    except libvirt.libvirtError:
        return None, error


def gather(conn: libvirt.virConnect | None, uri: str, connect_error: str = "") -> HostFacts:
    """Every fact ``evaluate`` needs (blocking). ``conn`` None: libvirt not reached."""
    remote = is_remote(uri)
    local = None if remote else gather_local()
    lv: LibvirtFacts | None = None
    error = connect_error
    if conn is not None:
        try:
            lv = gather_libvirt(conn)
        except libvirt.libvirtError as exc:
            error = classify(exc).message
    elif not error:
        error = "not connected"
    return HostFacts(
        uri=uri, remote=remote, local=local, libvirt=lv, libvirt_error="" if lv else error
    )
