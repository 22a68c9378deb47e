"""The check that puts the facts together: how fast guests run (``Accel``)."""

from __future__ import annotations

from kvmdesk.virt.hostcheck.advice import install_qemu_advice, kvm_remedies
from kvmdesk.virt.hostcheck.facts import HW_FLAG_NAMES
from kvmdesk.virt.hostcheck.report import Check, Source, Status, new_check
from kvmdesk.virt.hostcheck.texts import Text, check_text
from kvmdesk.virt.hostcheck.view import Accel, View


def _kvm_evidence(v: View) -> Text:
    """Why KVM is believed to work: /dev/kvm answering, libvirt offering 'kvm'."""
    dev = v.dev
    device: Text | None = None
    if dev is not None and dev.answers:
        device = check_text(
            "hostcheck.evidence.device_answers", "/dev/kvm answers (KVM API version {version})"
        ).with_args(version=dev.api_version)
    elif dev is not None and dev.exists:
        device = check_text("hostcheck.evidence.device_exists", "/dev/kvm exists")
    offered = check_text(
        "hostcheck.evidence.libvirt_offers", "libvirt offers domain type 'kvm' for {arch}"
    ).with_args(arch=v.arch_name)
    if device is not None and v.kvm_offered:
        return check_text("hostcheck.evidence.both", "{device} and {libvirt}").with_args(
            device=device, libvirt=offered
        )
    return device if device is not None else offered


def check_acceleration(v: View) -> Check | None:
    if v.accel is Accel.UNKNOWN:
        return None
    key = "acceleration"
    source = Source.LOCAL if v.lv is None else (Source.LIBVIRT if v.remote else Source.BOTH)
    if v.accel is Accel.FULL:
        flag = v.hw_flag
        hw: str | Text = (
            f"{HW_FLAG_NAMES[flag]} ({flag})"
            if flag
            else check_text("hostcheck.acceleration.hw_generic", "hardware virtualization")
        )
        unconfirmed: str | Text = ""
        if v.lv is None:
            unconfirmed = check_text(
                "hostcheck.acceleration.unconfirmed",
                " (libvirt was not reached, so it is not confirmed there)",
            )
        meaning = check_text(
            "hostcheck.acceleration.full",
            "Guests run with KVM at hardware speed: {hw}; {evidence}{unconfirmed}",
        ).with_args(hw=hw, evidence=_kvm_evidence(v), unconfirmed=unconfirmed)
        return new_check(key, Status.PASS, source, meaning)
    if v.accel is Accel.HIDDEN:
        pvm: str | Text = ""
        if v.pvm:
            pvm = check_text(
                "hostcheck.acceleration.pvm_note",
                " KVM comes from kvm_pvm (PVM), which needs no VT-x/AMD-V; guest kernels"
                " without PVM support can hang early in boot.",
            )
        meaning = check_text(
            "hostcheck.acceleration.hidden",
            "KVM is exposed but the CPU flags are hidden: neither vmx (Intel VT-x) nor svm"
            " (AMD-V) appears in {where}, yet {evidence}. This looks like a nested or virtualized"
            " host; KVM guests may misbehave.{pvm}",
        ).with_args(where=v.flags_where, evidence=_kvm_evidence(v), pvm=pvm)
        return new_check(
            key,
            Status.WARN,
            source,
            meaning,
            check_text(
                "hostcheck.advice.prefer_emulation",
                "If KVM guests hang at boot, prefer emulation: domain type 'qemu'"
                " (<domain type='qemu'>), slower but dependable.",
            ),
            check_text(
                "hostcheck.advice.ask_nested",
                "For full-speed KVM, ask for nested virtualization (VT-x/AMD-V exposed to this"
                " machine) on the machine below.",
            ),
        )
    if v.accel is Accel.EMULATION:
        if v.lv is None:
            meaning = check_text(
                "hostcheck.acceleration.emulation_unconfirmed",
                "KVM is not available on this machine: guests would run with software"
                " emulation, many times slower (libvirt was not reached, so not even"
                " emulation is confirmed)",
            )
        else:
            meaning = check_text(
                "hostcheck.acceleration.emulation",
                "KVM is not available: guests run with software emulation (domain type"
                " 'qemu'), many times slower",
            )
        return new_check(key, Status.WARN, source, meaning, *kvm_remedies(v))
    if v.accel is Accel.NOT_QEMU:
        meaning = check_text(
            "hostcheck.acceleration.not_qemu",
            "This connection uses libvirt's {driver} driver, which does not run QEMU/KVM guests",
        ).with_args(driver=v.lv.driver if v.lv else "")
        advice = check_text(
            "hostcheck.advice.check_qemu_uri",
            "Check a QEMU connection instead: kvmdesk check -c qemu:///system",
        )
        return new_check(key, Status.FAIL, Source.LIBVIRT, meaning, advice)
    meaning = check_text(
        "hostcheck.acceleration.none",
        "No guest can run: libvirt offers neither KVM (domain type 'kvm') nor emulation"
        " (domain type 'qemu') for {arch}",
    ).with_args(arch=v.arch_name)
    return new_check(key, Status.FAIL, source, meaning, install_qemu_advice(v), *kvm_remedies(v))
