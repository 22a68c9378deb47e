"""The facts digested once for every check, and how fast guests can run.

The facts are judged together, not one by one. A CPU that shows neither
vmx nor svm while /dev/kvm answers and libvirt offers domain type 'kvm' is
not "no virtualization": it is a nested or virtualized host whose layer
below hides the flags (``Accel.HIDDEN``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from kvmdesk.virt.hostcheck.facts import (
    PVM_MODULE,
    HostFacts,
    KvmDevice,
    LibvirtFacts,
    LocalFacts,
)
from kvmdesk.virt.hostcheck.parsing import (
    Capabilities,
    cpu_flags,
    host_model_features,
    loaded_modules,
    parse_capabilities,
)
from kvmdesk.virt.hostcheck.report import Source
from kvmdesk.virt.hostcheck.texts import Text, check_text


class Accel(enum.Enum):
    FULL = "full"  # KVM with visible hardware virtualization
    HIDDEN = "hidden"  # KVM works though the CPU flags do not show it
    EMULATION = "emulation"  # no KVM; software emulation
    NONE = "none"  # neither
    NOT_QEMU = "not_qemu"  # a libvirt driver that does not run QEMU/KVM (test, lxc, ...)
    UNKNOWN = "unknown"  # nothing known (remote host not reached)


@dataclass(frozen=True, slots=True)
class View:
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
            return check_text(
                "hostcheck.where.libvirt", "the host CPU features that libvirt reports"
            )
        return check_text("hostcheck.where.cpuinfo", "/proc/cpuinfo")

    @property
    def flags_source(self) -> Source:
        return Source.LIBVIRT if self.remote else Source.LOCAL

    @property
    def arch_name(self) -> str | Text:
        return self.arch or check_text("hostcheck.arch.unknown", "the host architecture")


def _runs_qemu(lv: LibvirtFacts) -> bool:
    return lv.driver.upper() in ("QEMU", "")


def digest(facts: HostFacts) -> View:
    """Parse and combine the facts once, for every check to read."""
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
        qemu = _runs_qemu(lv)
        domcaps_failed = bool(lv.domcaps_kvm_error) and not lv.domcaps_unavailable
        kvm_offered = qemu and kvm_listed and not domcaps_failed
        emu_offered = qemu and bool(caps and "qemu" in caps.types(arch))
    view = View(
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


def _accel(v: View) -> Accel:
    if v.lv is not None and not _runs_qemu(v.lv):
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
