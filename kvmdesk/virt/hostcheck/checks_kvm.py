"""The checks of what this machine shows of KVM: CPU flags, /dev/kvm, modules.

Like every check, each function returns ``None`` when the facts cannot decide.
"""

from __future__ import annotations

from kvmdesk.virt.hostcheck.advice import (
    dmesg_advice,
    firmware_or_nested_advice,
    group_advice,
    modprobe_advice,
)
from kvmdesk.virt.hostcheck.facts import HW_FLAG_NAMES, KVM_API_VERSION, PVM_MODULE, VENDOR_MODULES
from kvmdesk.virt.hostcheck.report import Check, Source, Status, new_check
from kvmdesk.virt.hostcheck.texts import UNKNOWN_ERROR, Text, check_text
from kvmdesk.virt.hostcheck.view import Accel, View


def check_cpu_flags(v: View) -> Check | None:
    flag = v.hw_flag
    if v.flags is None:
        return None
    if flag is not None:
        meaning = check_text(
            "hostcheck.cpu_flags.present", "{name}: {where} includes the {flag} flag"
        ).with_args(name=HW_FLAG_NAMES[flag], where=v.flags_where, flag=flag)
        return new_check("cpu_flags", Status.PASS, v.flags_source, meaning)
    vm_note: str | Text = ""
    if v.hypervisor_flag:
        vm_note = check_text(
            "hostcheck.cpu_flags.vm_note",
            "; the 'hypervisor' flag says this machine is itself a virtual machine",
        )
    meaning = check_text(
        "hostcheck.cpu_flags.absent",
        "Neither vmx (Intel VT-x) nor svm (AMD-V) is among the CPU flags in {where}{vm}",
    ).with_args(where=v.flags_where, vm=vm_note)
    if v.accel is Accel.HIDDEN and not v.hypervisor_flag:
        advice = check_text(
            "hostcheck.advice.see_acceleration",
            "KVM works all the same, through whatever hides the flags; see “KVM acceleration”.",
        )
    else:
        advice = firmware_or_nested_advice(v)
    return new_check("cpu_flags", Status.WARN, v.flags_source, meaning, advice)


def check_kvm_device(v: View) -> Check | None:
    dev = v.dev
    if dev is None:
        return None
    key, warn, local = "kvm_device", Status.WARN, Source.LOCAL
    if dev.answers:
        meaning = check_text(
            "hostcheck.kvm_device.answers", "/dev/kvm answers: KVM API version {version}"
        ).with_args(version=dev.api_version)
        return new_check(key, Status.PASS, local, meaning)
    if not dev.exists:
        meaning = check_text(
            "hostcheck.kvm_device.missing",
            "/dev/kvm does not exist: the kernel offers no KVM on this machine",
        )
        advice = [modprobe_advice(v), dmesg_advice()]
        if v.flags is not None and v.hw_flag is None:
            advice.insert(0, firmware_or_nested_advice(v))
        return new_check(key, warn, local, meaning, *advice)
    if dev.denied:
        note: str | Text = ""
        if v.kvm_offered and "session" not in v.uri:
            note = check_text(
                "hostcheck.kvm_device.system_note",
                "; libvirt's system daemon still uses KVM, but qemu:///session and QEMU"
                " started by you cannot",
            )
        meaning = check_text(
            "hostcheck.kvm_device.denied",
            "/dev/kvm exists but {user} may not open it ({error}){note}",
        ).with_args(
            user=v.local.user if v.local and v.local.user else "this user",
            error=dev.error or "permission denied",
            note=note,
        )
        return new_check(key, warn, local, meaning, group_advice(v))
    if dev.api_version is not None:
        meaning = check_text(
            "hostcheck.kvm_device.bad_version",
            "/dev/kvm answers with KVM API version {version}, not {expected}: QEMU will refuse it",
        ).with_args(version=dev.api_version, expected=KVM_API_VERSION)
        kernel_kvm = check_text(
            "hostcheck.advice.kernel_kvm", "Use the KVM modules that come with the running kernel."
        )
        return new_check(key, warn, local, meaning, kernel_kvm)
    meaning = check_text(
        "hostcheck.kvm_device.silent", "/dev/kvm exists but does not answer: {error}"
    ).with_args(error=dev.error or UNKNOWN_ERROR)
    return new_check(key, warn, local, meaning, dmesg_advice())


def check_modules(v: View) -> Check | None:
    mods = v.modules
    if mods is None:
        return None
    vendors = [m for m in (*VENDOR_MODULES.values(), PVM_MODULE) if m in mods]
    if "kvm" in mods and vendors:
        pvm: str | Text = ""
        if PVM_MODULE in vendors:
            pvm = check_text(
                "hostcheck.modules.pvm_note",
                "; kvm_pvm is PVM, a KVM back end that needs no VT-x/AMD-V, meant for hosts"
                " that are themselves virtual machines",
            )
        meaning = check_text("hostcheck.modules.loaded", "Loaded: {modules}{pvm}").with_args(
            modules=", ".join(["kvm", *vendors]), pvm=pvm
        )
        return new_check("kvm_modules", Status.PASS, Source.LOCAL, meaning)
    if v.dev is not None and v.dev.answers:
        meaning = check_text(
            "hostcheck.modules.builtin",
            "KVM is built into the kernel (/dev/kvm answers; no kvm modules are listed)",
        )
        return new_check("kvm_modules", Status.PASS, Source.LOCAL, meaning)
    if "kvm" in mods:
        meaning = check_text(
            "hostcheck.modules.no_vendor", "kvm is loaded, but not kvm_intel or kvm_amd"
        )
    else:
        meaning = check_text("hostcheck.modules.none", "Not loaded: kvm and kvm_intel/kvm_amd")
    return new_check("kvm_modules", Status.WARN, Source.LOCAL, meaning, modprobe_advice(v))
