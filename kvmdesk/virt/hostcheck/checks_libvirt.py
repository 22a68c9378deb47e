"""The checks of what libvirt offers: the connection, domain types 'kvm' and 'qemu'.

Like every check, each function returns ``None`` when the facts cannot decide.
"""

from __future__ import annotations

from kvmdesk.virt.hostcheck.advice import (
    install_qemu_advice,
    kvm_remedies,
    restart_libvirt_advice,
)
from kvmdesk.virt.hostcheck.report import Check, Source, Status, new_check
from kvmdesk.virt.hostcheck.texts import UNKNOWN_ERROR, Text, check_text
from kvmdesk.virt.hostcheck.view import Accel, View


def check_libvirt(v: View) -> Check:
    lv = v.lv
    if lv is not None:
        versions = ", ".join(
            p
            for p in (f"libvirt {lv.libvirt_version}" if lv.libvirt_version else "", lv.hypervisor)
            if p
        )
        meaning = check_text(
            "hostcheck.libvirt.connected", "Connected to {uri}{versions}"
        ).with_args(uri=lv.uri or v.uri, versions=f" ({versions})" if versions else "")
        return new_check("libvirt", Status.PASS, Source.LIBVIRT, meaning)
    error = v.libvirt_error or UNKNOWN_ERROR
    if v.remote:
        return new_check(
            "libvirt",
            Status.FAIL,
            Source.LIBVIRT,
            check_text(
                "hostcheck.libvirt.unreachable_remote",
                "libvirt could not be reached at {uri}: {error}. Nothing about that host"
                " could be checked",
            ).with_args(uri=v.uri, error=error),
            check_text(
                "hostcheck.advice.remote_reach",
                "Check that the host answers and runs libvirtd: virsh -c {uri} uri",
            ).with_args(uri=v.uri),
        )
    return new_check(
        "libvirt",
        Status.WARN,
        Source.LIBVIRT,
        check_text(
            "hostcheck.libvirt.unreachable_local",
            "libvirt could not be reached at {uri}: {error}. The checks below come from"
            " this machine only",
        ).with_args(uri=v.uri, error=error),
        check_text(
            "hostcheck.advice.start_libvirt",
            "Start libvirt: sudo systemctl start libvirtd (or virtqemud.socket on modular"
            " daemons), then run this check again.",
        ),
    )


def _emulator_note(v: View) -> str:
    return f" ({v.emulator})" if v.emulator else ""


def check_libvirt_kvm(v: View) -> Check | None:
    lv = v.lv
    if lv is None or v.accel is Accel.NOT_QEMU:
        return None
    if v.kvm_offered:
        confirmed: str | Text = ""
        if lv.domcaps_kvm:
            confirmed = check_text(
                "hostcheck.libvirt_kvm.domcaps_ok", "; its domain capabilities for 'kvm' answer"
            )
        elif lv.domcaps_unavailable:
            confirmed = check_text(
                "hostcheck.libvirt_kvm.domcaps_unavailable",
                "; its domain capabilities could not be asked ({error})",
            ).with_args(error=lv.domcaps_kvm_error)
        meaning = check_text(
            "hostcheck.libvirt_kvm.offered",
            "Domain type 'kvm' is offered for {arch}{emulator}{confirmed}",
        ).with_args(arch=v.arch_name, emulator=_emulator_note(v), confirmed=confirmed)
        return new_check("libvirt_kvm", Status.PASS, Source.LIBVIRT, meaning)
    if v.caps is None:
        meaning = check_text(
            "hostcheck.libvirt_kvm.no_capabilities", "libvirt returned no readable capabilities"
        )
    elif v.kvm_listed:
        meaning = check_text(
            "hostcheck.libvirt_kvm.domcaps_failed",
            "libvirt lists domain type 'kvm' for {arch}, but its domain capabilities fail: {error}",
        ).with_args(arch=v.arch_name, error=lv.domcaps_kvm_error)
    else:
        meaning = check_text(
            "hostcheck.libvirt_kvm.absent", "libvirt offers no domain type 'kvm' for {arch}{why}"
        ).with_args(
            arch=v.arch_name, why=f" ({lv.domcaps_kvm_error})" if lv.domcaps_kvm_error else ""
        )
    if v.remote:
        advice = kvm_remedies(v)[0]
    elif v.dev is not None and v.dev.answers:
        advice = restart_libvirt_advice()
    else:
        advice = check_text(
            "hostcheck.advice.fix_kvm_first",
            "Make KVM work on this machine first (see the other lines); libvirt offers it"
            " after a restart: sudo systemctl restart libvirtd.",
        )
    return new_check("libvirt_kvm", Status.WARN, Source.LIBVIRT, meaning, advice)


def check_emulation(v: View) -> Check | None:
    if v.lv is None or v.accel is Accel.NOT_QEMU:
        return None
    if v.emu_offered:
        meaning = check_text(
            "hostcheck.emulation.offered",
            "Domain type 'qemu' (software emulation, no KVM needed) is offered for"
            " {arch}{emulator}",
        ).with_args(arch=v.arch_name, emulator=_emulator_note(v))
        return new_check("emulation", Status.PASS, Source.LIBVIRT, meaning)
    meaning = check_text(
        "hostcheck.emulation.absent", "libvirt offers no domain type 'qemu' for {arch}"
    ).with_args(arch=v.arch_name)
    # Without KVM this is fatal; beside a working KVM it is only a missing fallback.
    kvm = bool(v.kvm_offered)
    status = Status.WARN if kvm else Status.FAIL
    return new_check(
        "emulation", status, Source.LIBVIRT, meaning, install_qemu_advice(v), essential=not kvm
    )
