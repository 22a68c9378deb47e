"""The second phase of an install, written into the domain itself.

A VM that installs from a CD-ROM, the network or a kernel must not boot
its installer again once the OS is on its disk. The New VM wizard
therefore defines the install-time definition with a marker in its
<metadata> that lists what changes afterwards (``AfterInstall``): the boot
order, the install media to eject, the direct kernel boot to drop, and
``on_reboot`` back to ``restart``. When the guest first shuts down or
reboots (``on_reboot`` is ``destroy`` while installing, so a reboot stops
it), ``kvmdesk.virt.install_phase`` applies the marker once.

Each change records what it expects to find (``from``): a change whose
part of the definition was edited meanwhile by someone is skipped, not
overwritten, and named in the result. The marker leaves the definition
in the same define that applies the changes, so a second attempt (after
a dropped connection) finds nothing to do: the changes are made once.

Pure XML, no libvirt: the definition is parsed and changed in place with
ElementTree, leaving everything else as it was.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from kvmdesk.domxml.check import parse_checked

NS = "https://kvmdesk.github.io/xmlns/install/1.0"
ET.register_namespace("kvmdesk", NS)
_TAG = f"{{{NS}}}install"
# The attribute of <disk><source> that holds a CD-ROM's source, per disk type.
_DISK_SOURCE = {"file": "file", "block": "dev", "network": "name"}


@dataclass(frozen=True, slots=True)
class Eject:
    target: str  # the CD-ROM's target dev (sda ...)
    source: str  # the install media it holds now


@dataclass(frozen=True, slots=True)
class DirectKernel:
    kernel: str
    initrd: str = ""
    cmdline: str = ""


@dataclass(frozen=True, slots=True)
class AfterInstall:
    """What the final definition changes, each with what it expects to find."""

    boot_from: tuple[str, ...] = ()
    boot_to: tuple[str, ...] = ()
    eject: tuple[Eject, ...] = ()
    kernel: DirectKernel | None = None  # dropped after the install
    on_reboot_from: str = "destroy"
    on_reboot_to: str = "restart"

    @property
    def changes_boot(self) -> bool:
        return self.boot_from != self.boot_to or self.kernel is not None

    @property
    def empty(self) -> bool:
        """Nothing but ``on_reboot`` would change: no second phase is needed."""
        return self.boot_from == self.boot_to and not self.eject and self.kernel is None


@dataclass(frozen=True, slots=True)
class Applied:
    """The outcome of ``apply_marker``: the new document and what it changed."""

    xml: str
    applied: tuple[str, ...] = field(default_factory=tuple)  # "boot", "eject:sda", "kernel" ...
    skipped: tuple[str, ...] = field(default_factory=tuple)  # edited meanwhile: left alone


def marker_element(after: AfterInstall) -> ET.Element:
    """<kvmdesk:install> for the domain's <metadata>."""
    root = ET.Element(_TAG)
    ET.SubElement(
        root, f"{{{NS}}}boot", {"from": " ".join(after.boot_from), "to": " ".join(after.boot_to)}
    )
    for eject in after.eject:
        ET.SubElement(root, f"{{{NS}}}eject", {"target": eject.target, "source": eject.source})
    if after.kernel is not None:
        ET.SubElement(
            root,
            f"{{{NS}}}kernel",
            {
                "kernel": after.kernel.kernel,
                "initrd": after.kernel.initrd,
                "cmdline": after.kernel.cmdline,
            },
        )
    ET.SubElement(
        root, f"{{{NS}}}on-reboot", {"from": after.on_reboot_from, "to": after.on_reboot_to}
    )
    return root


def _words(text: str | None) -> tuple[str, ...]:
    return tuple((text or "").split())


def read_marker(domain: ET.Element) -> AfterInstall | None:
    """The pending changes of a <domain>, or None when it has no marker."""
    marker = domain.find(f"metadata/{_TAG}")
    if marker is None:
        return None
    boot = marker.find(f"{{{NS}}}boot")
    kernel = marker.find(f"{{{NS}}}kernel")
    reboot = marker.find(f"{{{NS}}}on-reboot")
    return AfterInstall(
        boot_from=_words(boot.get("from")) if boot is not None else (),
        boot_to=_words(boot.get("to")) if boot is not None else (),
        eject=tuple(
            Eject(e.get("target", ""), e.get("source", ""))
            for e in marker.findall(f"{{{NS}}}eject")
        ),
        kernel=DirectKernel(
            kernel.get("kernel", ""), kernel.get("initrd", ""), kernel.get("cmdline", "")
        )
        if kernel is not None
        else None,
        on_reboot_from=reboot.get("from", "") if reboot is not None else "",
        on_reboot_to=reboot.get("to", "") if reboot is not None else "",
    )


def pending(domain_xml: str) -> AfterInstall | None:
    return read_marker(parse_checked(domain_xml, "domain"))


def _cdrom(domain: ET.Element, target: str) -> ET.Element | None:
    for disk in domain.findall("devices/disk"):
        found = disk.find("target")
        if disk.get("device") == "cdrom" and found is not None and found.get("dev") == target:
            return disk
    return None


def _cdrom_source(disk: ET.Element) -> str:
    source = disk.find("source")
    if source is None:
        return ""
    name = _DISK_SOURCE.get(disk.get("type", ""), "")
    if name:
        return source.get(name, "")
    if disk.get("type") == "volume":
        return f"{source.get('pool', '')}/{source.get('volume', '')}"
    return ""


def _set_boot(os_elem: ET.Element, devices: tuple[str, ...]) -> None:
    old = os_elem.findall("boot")
    index = list(os_elem).index(old[0]) if old else len(os_elem)
    for elem in old:
        os_elem.remove(elem)
    for offset, dev in enumerate(devices):
        os_elem.insert(index + offset, ET.Element("boot", {"dev": dev}))


def _text(parent: ET.Element, tag: str) -> str:
    return parent.findtext(tag) or ""


def _apply(domain: ET.Element, after: AfterInstall) -> tuple[list[str], list[str]]:
    applied: list[str] = []
    skipped: list[str] = []
    os_elem = domain.find("os")
    if after.kernel is not None:
        kernel = after.kernel
        now = DirectKernel(
            *(
                _text(os_elem, t) if os_elem is not None else ""
                for t in ("kernel", "initrd", "cmdline")
            )
        )
        if os_elem is not None and now == kernel:
            for tag in ("kernel", "initrd", "cmdline"):
                for elem in os_elem.findall(tag):
                    os_elem.remove(elem)
            applied.append("kernel")
        else:
            skipped.append("kernel")
    if after.boot_from != after.boot_to:
        current = (
            tuple(b.get("dev", "") for b in os_elem.findall("boot")) if os_elem is not None else ()
        )
        if os_elem is not None and current == after.boot_from:
            _set_boot(os_elem, after.boot_to)
            applied.append("boot")
        else:
            skipped.append("boot")
    for eject in after.eject:
        disk = _cdrom(domain, eject.target)
        source = disk.find("source") if disk is not None else None
        if disk is not None and source is not None and _cdrom_source(disk) == eject.source:
            disk.remove(source)
            applied.append(f"eject:{eject.target}")
        else:
            skipped.append(f"eject:{eject.target}")
    reboot = domain.find("on_reboot")
    current_reboot = (reboot.text or "").strip() if reboot is not None else ""
    if after.on_reboot_from != after.on_reboot_to:
        if current_reboot == after.on_reboot_from:
            if reboot is None:
                reboot = ET.SubElement(domain, "on_reboot")
            reboot.text = after.on_reboot_to
            applied.append("on_reboot")
        else:
            skipped.append("on_reboot")
    return applied, skipped


def drop_marker(domain: ET.Element) -> None:
    metadata = domain.find("metadata")
    if metadata is None:
        return
    for marker in metadata.findall(_TAG):
        metadata.remove(marker)
    if len(metadata) == 0 and not (metadata.text or "").strip():
        domain.remove(metadata)


def apply_marker(domain_xml: str) -> Applied | None:
    """The definition after the install, or None when ``domain_xml`` has no marker.

    Changes whose part was edited since the install began are skipped; the
    marker goes in every case, so that it is applied once.
    """
    domain = parse_checked(domain_xml, "domain")
    after = read_marker(domain)
    if after is None:
        return None
    applied, skipped = _apply(domain, after)
    drop_marker(domain)
    ET.indent(domain, space="  ")
    return Applied(ET.tostring(domain, encoding="unicode"), tuple(applied), tuple(skipped))


__all__ = [
    "NS",
    "AfterInstall",
    "Applied",
    "DirectKernel",
    "Eject",
    "apply_marker",
    "drop_marker",
    "marker_element",
    "pending",
    "read_marker",
]
