"""What to do: the advice lines, chosen from what the facts show is missing."""

from __future__ import annotations

from kvmdesk.virt.hostcheck.facts import VENDOR_MODULES
from kvmdesk.virt.hostcheck.texts import Text, check_text
from kvmdesk.virt.hostcheck.view import View

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


def group_advice(v: View) -> Text:
    local, dev = v.local, v.dev
    group = (dev.group if dev else "") or "kvm"
    user = (local.user if local else "") or "$USER"
    if local is not None and local.user_listed_in_group and not local.user_has_group:
        return check_text(
            "hostcheck.advice.relogin",
            "You are in the '{group}' group, but this login session started before you"
            " joined it: log out and in again (or run: newgrp {group}).",
        ).with_args(group=group)
    return check_text(
        "hostcheck.advice.join_group",
        "Join the '{group}' group that owns /dev/kvm: sudo usermod -aG {group} {user},"
        " then log out and in again.",
    ).with_args(group=group, user=user)


def firmware_or_nested_advice(v: View) -> Text:
    if v.hypervisor_flag:
        return check_text(
            "hostcheck.advice.outer_nested",
            "This machine is itself a virtual machine: ask for nested virtualization on"
            " the machine that hosts it (a VM setting or cloud instance type that exposes"
            " VT-x/AMD-V).",
        )
    return check_text(
        "hostcheck.advice.firmware",
        "Enable Intel VT-x or AMD-V (SVM) in the firmware setup (BIOS/UEFI), then power"
        " the machine off and on.",
    )


def modprobe_advice(v: View) -> Text:
    flag = v.hw_flag
    if v.no_module_support:
        return check_text(
            "hostcheck.advice.kvm_kernel",
            "This kernel cannot load modules (there is no /proc/modules): KVM needs a kernel"
            " built with CONFIG_KVM_INTEL or CONFIG_KVM_AMD.",
        )
    if flag is None:
        return check_text(
            "hostcheck.advice.modprobe_any",
            "Load KVM: sudo modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD); if it"
            " says “Operation not supported”, virtualization is off in the firmware.",
        )
    return check_text(
        "hostcheck.advice.modprobe",
        "Load KVM: sudo modprobe {module} (if it says “Operation not supported”,"
        " virtualization is off in the firmware).",
    ).with_args(module=VENDOR_MODULES[flag])


def dmesg_advice() -> Text:
    return check_text(
        "hostcheck.advice.dmesg", "Read the kernel's own reason: sudo dmesg | grep -i kvm"
    )


def restart_libvirt_advice() -> Text:
    return check_text(
        "hostcheck.advice.restart_libvirt",
        "Restart libvirt so that it probes KVM again: sudo systemctl restart libvirtd"
        " (or virtqemud on modular daemons).",
    )


def install_qemu_advice(v: View) -> Text:
    return check_text(
        "hostcheck.advice.install_qemu",
        "Install QEMU's system emulator for {arch} (Debian/Ubuntu: {package};"
        " Fedora: qemu-kvm), then restart libvirt.",
    ).with_args(arch=v.arch_name, package=_QEMU_PACKAGES.get(v.arch, "qemu-system-<arch>"))


def kvm_remedies(v: View) -> tuple[Text, ...]:
    """What to do to get KVM, from what the facts show is missing."""
    if v.remote:
        return (
            check_text(
                "hostcheck.advice.remote_kvm",
                "On that host: enable Intel VT-x or AMD-V in the firmware, load kvm_intel or"
                " kvm_amd, make sure /dev/kvm exists, then restart libvirt"
                " (virt-host-validate qemu there tells what is missing).",
            ),
        )
    advice: list[Text] = []
    dev = v.dev
    if v.flags is not None and v.hw_flag is None:
        advice.append(firmware_or_nested_advice(v))
    if dev is not None and not dev.exists:
        advice.append(modprobe_advice(v))
    if dev is not None and dev.denied:
        advice.append(group_advice(v))
    if dev is not None and dev.answers and v.kvm_offered is False:
        advice.append(restart_libvirt_advice())
    if not advice:
        advice = [
            check_text(
                "hostcheck.advice.generic_kvm",
                "Enable Intel VT-x or AMD-V in the firmware, load kvm_intel or kvm_amd,"
                " and join the 'kvm' group if /dev/kvm refuses you.",
            )
        ]
    return tuple(advice)
