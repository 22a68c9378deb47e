"""``evaluate``: every check over the digested facts, the verdict and the summary.

Pure: no I/O, so every combination of facts can be tested with samples.
"""

from __future__ import annotations

from collections.abc import Iterable

from kvmdesk.virt.hostcheck.checks_acceleration import check_acceleration
from kvmdesk.virt.hostcheck.checks_features import (
    check_iommu,
    check_nested,
    check_nx,
    check_vhost_net,
)
from kvmdesk.virt.hostcheck.checks_kvm import check_cpu_flags, check_kvm_device, check_modules
from kvmdesk.virt.hostcheck.checks_libvirt import (
    check_emulation,
    check_libvirt,
    check_libvirt_kvm,
)
from kvmdesk.virt.hostcheck.facts import HostFacts
from kvmdesk.virt.hostcheck.report import Check, Report, Status, Verdict
from kvmdesk.virt.hostcheck.texts import TITLES, Text, check_text
from kvmdesk.virt.hostcheck.view import Accel, View, digest

# Every check, in the order the report lists them.
_CHECKS = (
    check_libvirt,
    check_cpu_flags,
    check_kvm_device,
    check_modules,
    check_libvirt_kvm,
    check_emulation,
    check_acceleration,
    check_nested,
    check_nx,
    check_iommu,
    check_vhost_net,
)


def _not_checked(v: View, keys: set[str]) -> tuple[Text, ...]:
    notes = []
    if v.remote:
        local_only = ("kvm_device", "kvm_modules", "vhost_net")
        notes.append(
            check_text(
                "hostcheck.not_checked.remote",
                "{names}: not visible through libvirt for a remote host",
            ).with_args(names=", ".join(str(TITLES[k]) for k in local_only))
        )
        if "nx" not in keys and v.lv is not None:
            notes.append(
                check_text(
                    "hostcheck.not_checked.remote_nx",
                    "NX: libvirt names it only when the host CPU lacks it, and did not",
                )
            )
    elif "cpu_flags" not in keys:
        notes.append(
            check_text(
                "hostcheck.not_checked.no_flags",
                "Hardware virtualization and NX: /proc/cpuinfo has no x86 flags line",
            )
        )
    return tuple(notes)


def _verdict(checks: Iterable[Check]) -> Verdict:
    worst = max((c.status for c in checks if c.essential), default=Status.PASS)
    return Verdict(int(worst))


def _summary(v: View, verdict: Verdict, checks: tuple[Check, ...]) -> Text:
    if verdict is Verdict.READY:
        optional = sum(1 for c in checks if c.status is not Status.PASS)
        if optional:
            return check_text(
                "hostcheck.summary.ready_optional",
                "Guests can run with KVM acceleration; optional features missing: {count}",
            ).with_args(count=optional)
        return check_text("hostcheck.summary.ready", "Guests can run with KVM acceleration")
    if verdict is Verdict.UNUSABLE:
        if v.remote and v.lv is None:
            return check_text(
                "hostcheck.summary.unreachable", "Nothing could be checked: libvirt not reached"
            )
        if v.accel is Accel.NOT_QEMU:
            return check_text(
                "hostcheck.summary.not_qemu", "No QEMU/KVM guest can run through {uri}"
            ).with_args(uri=v.uri)
        return check_text("hostcheck.summary.unusable", "No guest can run on this host")
    warned = ", ".join(str(c.title) for c in checks if c.essential and c.status is Status.WARN)
    if v.accel is Accel.HIDDEN:
        return check_text(
            "hostcheck.summary.hidden",
            "Guests can run, with warnings: KVM is exposed but the CPU flags are hidden"
            " (nested or virtualized host); see {warned}",
        ).with_args(warned=warned)
    if v.accel is Accel.EMULATION:
        return check_text(
            "hostcheck.summary.emulation",
            "Guests can run, with warnings: KVM is not available, so they run with software"
            " emulation; see {warned}",
        ).with_args(warned=warned)
    return check_text(
        "hostcheck.summary.degraded", "Guests can run, with warnings: see {warned}"
    ).with_args(warned=warned)


def evaluate(facts: HostFacts) -> Report:
    """Judge the facts; pure, no I/O."""
    v = digest(facts)
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
