"""The checks of features beyond running a guest: nested KVM, NX, IOMMU, vhost-net.

Like every check, each function returns ``None`` when the facts cannot decide.
"""

from __future__ import annotations

from collections.abc import Iterable

from kvmdesk.virt.hostcheck.facts import VENDOR_MODULES
from kvmdesk.virt.hostcheck.parsing import nested_enabled
from kvmdesk.virt.hostcheck.report import Check, Source, Status, new_check
from kvmdesk.virt.hostcheck.texts import Text, check_text
from kvmdesk.virt.hostcheck.view import Accel, View


def check_nested(v: View) -> Check | None:
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
            setting = check_text(
                "hostcheck.nested.host_model_has",
                "libvirt's host-model CPU for guests includes {flag}",
            ).with_args(flag=passed[0])
        else:
            setting = check_text(
                "hostcheck.nested.host_model_lacks",
                "libvirt's host-model CPU for guests has neither vmx nor svm",
            )
    else:
        return None
    if enabled:
        meaning = check_text(
            "hostcheck.nested.on", "On: guests can run KVM themselves ({setting})"
        ).with_args(setting=setting)
        return new_check("nested", Status.PASS, source, meaning, essential=False)
    meaning = check_text(
        "hostcheck.nested.off", "Off: guests cannot run KVM themselves ({setting})"
    ).with_args(setting=setting)
    if source is Source.LOCAL:
        advice = check_text(
            "hostcheck.advice.enable_nested",
            "Only needed for hypervisors inside guests: echo 'options {module} nested=1' |"
            " sudo tee /etc/modprobe.d/kvm-nested.conf, then with no guest running:"
            " sudo modprobe -r {module} && sudo modprobe {module}",
        ).with_args(module=module)
    else:
        advice = check_text(
            "hostcheck.advice.nested_elsewhere",
            "Only needed for hypervisors inside guests; that takes a host with VT-x/AMD-V"
            " visible and the nested option of kvm_intel/kvm_amd on.",
        )
    return new_check("nested", Status.WARN, source, meaning, advice, essential=False)


def check_nx(v: View) -> Check | None:
    if v.flags is not None and "nx" in v.flags:
        meaning = check_text(
            "hostcheck.nx.present", "{where} includes nx (Intel XD / AMD NX)"
        ).with_args(where=v.flags_where)
        return new_check("nx", Status.PASS, v.flags_source, meaning, essential=False)
    if v.hm_features is not None and v.hm_features.get("nx") == "disable":
        source = Source.LIBVIRT
    elif not v.remote and v.flags is not None:
        source = Source.LOCAL
    else:
        return None  # a remote CPU model implies NX without listing it
    meaning = check_text(
        "hostcheck.nx.absent",
        "No nx flag: guest systems that require no-execute pages (Windows 8 and later, for"
        " example) will not start",
    )
    advice = check_text(
        "hostcheck.advice.enable_nx",
        "Enable “Execute Disable Bit” (Intel XD) or “NX” in the firmware setup.",
    )
    return new_check("nx", Status.WARN, source, meaning, advice, essential=False)


def _iommu_kind(devices: Iterable[str]) -> str:
    names = list(devices)
    if any(n.startswith("dmar") for n in names):
        return "Intel VT-d"
    if any(n.startswith("ivhd") for n in names):
        return "AMD-Vi"
    return "IOMMU"


def check_iommu(v: View) -> Check | None:
    local = v.local
    if local is not None and (local.iommu_devices or local.iommu_groups):
        meaning = check_text(
            "hostcheck.iommu.active", "{kind} is active ({devices}; {groups} IOMMU groups)"
        ).with_args(
            kind=_iommu_kind(local.iommu_devices),
            devices=", ".join(local.iommu_devices) or "/sys/class/iommu",
            groups=local.iommu_groups,
        )
        return new_check("iommu", Status.PASS, Source.LOCAL, meaning, essential=False)
    caps_says = v.caps.iommu if v.caps else None
    if caps_says:
        meaning = check_text("hostcheck.iommu.libvirt_yes", "libvirt reports IOMMU support")
        return new_check("iommu", Status.PASS, Source.LIBVIRT, meaning, essential=False)
    if local is None and caps_says is None:
        return None
    meaning = check_text(
        "hostcheck.iommu.absent",
        "No active IOMMU (Intel VT-d / AMD-Vi): PCI devices cannot be passed to guests",
    )
    advice = check_text(
        "hostcheck.advice.enable_iommu",
        "Only needed for PCI passthrough: enable VT-d or AMD-Vi (IOMMU) in the firmware and,"
        " on Intel, add intel_iommu=on to the kernel command line; then reboot.",
    )
    source = Source.LOCAL if local is not None else Source.LIBVIRT
    return new_check("iommu", Status.WARN, source, meaning, advice, essential=False)


def check_vhost_net(v: View) -> Check | None:
    if v.local is None:
        return None
    if v.local.vhost_net:
        meaning = check_text(
            "hostcheck.vhost_net.present",
            "/dev/vhost-net exists: the kernel carries virtio network traffic",
        )
        return new_check("vhost_net", Status.PASS, Source.LOCAL, meaning)
    meaning = check_text(
        "hostcheck.vhost_net.absent",
        "No /dev/vhost-net: guest networking works, but every packet goes through QEMU in"
        " user space, which is slower",
    )
    if v.no_module_support:
        advice = check_text(
            "hostcheck.advice.vhost_net_kernel",
            "This kernel cannot load modules (there is no /proc/modules): vhost-net needs a"
            " kernel built with CONFIG_VHOST_NET.",
        )
    else:
        advice = check_text(
            "hostcheck.advice.load_vhost_net",
            "Load it: sudo modprobe vhost_net (add vhost_net to /etc/modules to keep it after"
            " a reboot).",
        )
    return new_check("vhost_net", Status.WARN, Source.LOCAL, meaning, advice)
