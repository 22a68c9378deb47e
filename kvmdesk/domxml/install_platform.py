"""The parts of a new domain that the typed model does not own, as skeletons.

``Domain`` updates only what it models and keeps everything else of the
element it starts from. The New VM wizard's definition needs more than
the model holds (libosinfo metadata, the install marker, Hyper-V
enlightenments, SMM, timers, <pm>, firmware features, USB port counts,
a memory balloon): this module builds those as elements, in libvirt's
usual order, with empty placeholders for what ``Domain`` fills in, so
the document reads in the order ``virsh dumpxml`` shows it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.guest_defaults import Defaults, Topic

LIBOSINFO_NS = "http://libosinfo.org/xmlns/libvirt/domain/1.0"
ET.register_namespace("libosinfo", LIBOSINFO_NS)

# The parts of <domain> this module builds, in dumpxml's order; ``Domain``
# puts what it owns (name, memory, os, devices ...) between them.
_ORDER = ("metadata", "features", "clock", "pm")


def osinfo_metadata(osinfo_id: str) -> ET.Element:
    outer = ET.Element(f"{{{LIBOSINFO_NS}}}libosinfo")
    ET.SubElement(outer, f"{{{LIBOSINFO_NS}}}os", {"id": osinfo_id})
    return outer


def features(defaults: Defaults, x86: bool) -> tuple[list[str], ET.Element]:
    """The feature names (for ``Domain.features``) and their <features> element."""
    element = ET.Element("features")
    if x86:
        ET.SubElement(element, "acpi")
        ET.SubElement(element, "apic")
    if defaults.value(Topic.HYPERV):
        hyperv = ET.SubElement(element, "hyperv")
        for name in defaults.value(Topic.HYPERV).split():
            attrs = {"state": "on"}
            if name == "spinlocks":
                attrs["retries"] = "8191"
            ET.SubElement(hyperv, name, attrs)
    if defaults.on(Topic.SECURE_BOOT):
        # Secure Boot firmware runs its variable store in system management mode.
        ET.SubElement(element, "smm", {"state": "on"})
    return [str(child.tag) for child in element], element


def clock(defaults: Defaults) -> ET.Element:
    element = ET.Element("clock")
    for timer in defaults.value(Topic.TIMERS).split():
        name, _, setting = timer.partition(":")
        if setting in ("yes", "no"):
            ET.SubElement(element, "timer", {"name": name, "present": setting})
        else:
            ET.SubElement(element, "timer", {"name": name, "tickpolicy": setting})
    return element


def power_management() -> ET.Element:
    """Suspend off: an ACPI shutdown request must never put the guest to sleep."""
    element = ET.Element("pm")
    ET.SubElement(element, "suspend-to-mem", {"enabled": "no"})
    ET.SubElement(element, "suspend-to-disk", {"enabled": "no"})
    return element


def os_skeleton(secure_boot: bool) -> ET.Element:
    """<os> with the firmware features ``Os`` does not model."""
    element = ET.Element("os")
    ET.SubElement(element, "type")
    if secure_boot:
        firmware = ET.SubElement(element, "firmware")
        ET.SubElement(firmware, "feature", {"enabled": "yes", "name": "enrolled-keys"})
        ET.SubElement(firmware, "feature", {"enabled": "yes", "name": "secure-boot"})
    return element


def domain_skeleton(parts: dict[str, ET.Element]) -> ET.Element:
    """<domain> with ``parts`` (metadata, features, clock, pm) in dumpxml's order;
    ``Domain.to_element`` inserts what it owns where libvirt writes it."""
    root = ET.Element("domain")
    for tag in _ORDER:
        if tag in parts:
            root.append(parts[tag])
    return root


def usb_controllers(model: str) -> list[ET.Element]:
    """USB 3 (one qemu-xhci with 15 ports) or USB 2 (EHCI with its UHCI companions)."""
    if model == "qemu-xhci":
        return [ET.Element("controller", {"type": "usb", "model": "qemu-xhci", "ports": "15"})]
    if model != "usb2":
        return []
    found = [ET.Element("controller", {"type": "usb", "model": "ich9-ehci1"})]
    for number, port in ((1, "0"), (2, "2"), (3, "4")):
        companion = ET.Element("controller", {"type": "usb", "model": f"ich9-uhci{number}"})
        ET.SubElement(companion, "master", {"startport": port})
        found.append(companion)
    return found


__all__ = [
    "LIBOSINFO_NS",
    "clock",
    "domain_skeleton",
    "features",
    "os_skeleton",
    "osinfo_metadata",
    "power_management",
    "usb_controllers",
]
