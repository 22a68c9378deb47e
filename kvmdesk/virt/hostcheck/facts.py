"""The facts a check is made from: this machine's, libvirt's, and both together.

The records are filled by ``gathering`` (blocking) or by hand in tests, and
judged by ``evaluation`` (pure).
"""

from __future__ import annotations

import errno as errno_mod
from collections.abc import Mapping
from dataclasses import dataclass, field

KVM_API_VERSION = 12  # the only version Linux has ever had since 2.6.22

# Modules that register /dev/kvm on x86, by the CPU flag they need.
VENDOR_MODULES = {"vmx": "kvm_intel", "svm": "kvm_amd"}
# KVM without VT-x/AMD-V: PVM ("pagetable-based virtual machine"), found
# inside cloud virtual machines.
PVM_MODULE = "kvm_pvm"
HW_FLAG_NAMES = {"vmx": "Intel VT-x", "svm": "AMD-V"}


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
