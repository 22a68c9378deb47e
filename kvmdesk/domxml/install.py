"""What the New VM wizard collects, and the domain it makes of it.

``InstallPlan`` holds every choice; ``build_domain`` turns it into the
definition to create now. Its defaults (machine, firmware, buses,
devices, timers ...) come from one table, ``guest_defaults.TABLE``, for
the plan's guest OS (``GuestTraits``) and host (``HostTraits``); the
devices are made in ``install_devices`` and the parts the typed model
does not own in ``install_platform``.

An install that boots from a CD-ROM, the network or a kernel has two
definitions, like virt-install's: the one created now boots the
installer and stops instead of rebooting (``on_reboot`` ``destroy``);
after the install the VM boots from its disk, the install media
ejected (unless kept), network and kernel boot gone. The changes are
written into the install-time definition (``install_marker``) and made
once the guest first shuts down or reboots; ``final_domain`` shows the
result, ``after_install`` the changes.

Nothing here asks a host: the checks against the host live in
``kvmdesk.virt.provision``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.guest_defaults import Defaults, Topic
from kvmdesk.domxml.install_devices import DeviceSet, build_devices
from kvmdesk.domxml.install_marker import (
    AfterInstall,
    DirectKernel,
    Eject,
    apply_marker,
    marker_element,
)
from kvmdesk.domxml.install_plan import (
    Firmware,
    InstallPlan,
    NetworkKind,
    SourceKind,
    StorageKind,
    disk_bus_for,
    net_model_for,
    plan_defaults,
    plan_facts,
    random_mac,
)
from kvmdesk.domxml.install_platform import (
    clock,
    domain_skeleton,
    features,
    os_skeleton,
    osinfo_metadata,
    power_management,
)
from kvmdesk.domxml.model import Domain, Os

# ---------------------------------------------------------------- boot


def _install_boot(plan: InstallPlan) -> list[str]:
    disk = ["hd"] if plan.has_disk else []
    if plan.source is SourceKind.ISO:
        return ["cdrom", *disk]
    if plan.source is SourceKind.PXE:
        return ["network", *disk]
    if plan.source is SourceKind.KERNEL:
        return []
    return ["hd"]


def _final_boot(plan: InstallPlan) -> list[str]:
    if plan.source is SourceKind.KERNEL and plan.keeps_kernel:
        return []
    if plan.has_disk:
        return ["hd"]
    return _install_boot(plan)  # a live CD or a diskless network boot stays as it is


def keeps_media(plan: InstallPlan, defaults: Defaults | None = None) -> bool:
    """The install media stays in its drive after the install (the user's
    choice, or the table's: Windows setup reads it again after rebooting)."""
    if plan.keep_media is not None:
        return plan.keep_media
    return (defaults or plan_defaults(plan)).value(Topic.MEDIA) == "keep"


def after_install(
    plan: InstallPlan, devices: DeviceSet | None = None, defaults: Defaults | None = None
) -> AfterInstall:
    """What changes once the install is done (``empty`` when nothing does)."""
    defaults = defaults or plan_defaults(plan)
    found = devices if devices is not None else build_devices(plan, defaults)
    kernel = None
    if plan.source is SourceKind.KERNEL and not plan.keeps_kernel:
        kernel = DirectKernel(plan.kernel, plan.initrd, plan.cmdline)
    eject: tuple[Eject, ...] = ()
    live = plan.source is SourceKind.ISO and not plan.has_disk
    if found.install_cdrom and not keeps_media(plan, defaults) and not live:
        eject = (Eject(found.install_cdrom, plan.install_media),)
    if plan.source is SourceKind.KERNEL and plan.keeps_kernel:
        eject = ()  # nothing is installed: the media belongs to the VM
    return AfterInstall(
        boot_from=tuple(_install_boot(plan)),
        boot_to=tuple(_final_boot(plan)),
        eject=eject,
        kernel=kernel,
    )


# ---------------------------------------------------------------- domain


def _os(plan: InstallPlan, defaults: Defaults) -> Os:
    kernel = plan.source is SourceKind.KERNEL
    return Os(
        type="hvm",
        arch=plan.arch,
        machine=defaults.value(Topic.MACHINE),
        firmware="efi" if defaults.value(Topic.FIRMWARE) == "efi" else "",
        boot=_install_boot(plan),
        kernel=plan.kernel if kernel else "",
        initrd=plan.initrd if kernel else "",
        cmdline=plan.cmdline if kernel else "",
        element=os_skeleton(defaults.on(Topic.SECURE_BOOT)),
    )


def build_domain(plan: InstallPlan) -> Domain:
    """The definition to create now (the install-time one when there is a second phase)."""
    defaults = plan_defaults(plan)
    devices = build_devices(plan, defaults)
    after = after_install(plan, devices, defaults)
    second_phase = not after.empty
    parts: dict[str, ET.Element] = {}
    metadata = ET.Element("metadata")
    if plan.guest.osinfo_id:
        metadata.append(osinfo_metadata(plan.guest.osinfo_id))
    if second_phase:
        metadata.append(marker_element(after))
    if len(metadata):
        parts["metadata"] = metadata
    x86 = plan.arch in ("x86_64", "i686")
    feature_names, parts["features"] = features(defaults, x86)
    parts["clock"] = clock(defaults)
    if defaults.on(Topic.PM):
        parts["pm"] = power_management()
    return Domain(
        name=plan.name,
        type=plan.virt_type,
        memory=plan.memory_mib * 1024,
        current_memory=plan.memory_mib * 1024,
        vcpus=plan.vcpus,
        os=_os(plan, defaults),
        features=feature_names,
        cpu_mode=defaults.value(Topic.CPU),
        clock_offset=defaults.value(Topic.CLOCK),
        on_poweroff="destroy",
        on_reboot="destroy" if second_phase else "restart",
        on_crash="destroy",
        devices=devices.devices,
        element=domain_skeleton(parts),
    )


def final_domain(plan: InstallPlan) -> Domain:
    """The definition after the install (the same as ``build_domain`` without a second phase)."""
    applied = apply_marker(build_domain(plan).to_xml())
    if applied is None:
        return build_domain(plan)
    return Domain.from_xml(applied.xml)


__all__ = [
    "Firmware",
    "InstallPlan",
    "NetworkKind",
    "SourceKind",
    "StorageKind",
    "after_install",
    "build_domain",
    "disk_bus_for",
    "final_domain",
    "keeps_media",
    "net_model_for",
    "plan_defaults",
    "plan_facts",
    "random_mac",
]
