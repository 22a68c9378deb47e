"""A whole domain definition as a typed object, built and parsed with ElementTree.

``Domain.from_xml`` keeps the parsed document; ``Domain.to_xml`` starts from
it and updates only what the object owns, so unknown elements and
attributes (metadata, NUMA tuning, seclabels, addresses ...) survive a
round trip. A ``Domain`` built from scratch gives a new document.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Self

from kvmdesk.domxml.check import parse_checked
from kvmdesk.domxml.devices import Device, device_from_element
from kvmdesk.domxml.domain import _memory_kib
from kvmdesk.domxml.nodes import (
    attr_of,
    child,
    drop,
    drop_if_empty,
    int_or_none,
    set_attr,
    set_child_attrs,
    set_text,
    set_yes_no,
    start,
    text_of,
    yes_no,
)

ET.register_namespace("libosinfo", "http://libosinfo.org/xmlns/libvirt/domain/1.0")
ET.register_namespace("qemu", "http://libvirt.org/schemas/domain/qemu/1.0")
ET.register_namespace("test", "http://libvirt.org/schemas/domain/test/1.0")


@dataclass
class Os:
    """<os>: boot devices in order (hd, cdrom, network, fd), direct kernel boot, firmware."""

    type: str = "hvm"
    arch: str = ""
    machine: str = ""
    firmware: str = ""  # efi, bios, or "" (the loader below, or libvirt's default)
    boot: list[str] = field(default_factory=list)
    kernel: str = ""
    initrd: str = ""
    cmdline: str = ""
    loader: str = ""
    loader_readonly: bool | None = None
    loader_type: str = ""  # rom, pflash
    loader_secure: bool | None = None
    nvram: str = ""
    nvram_template: str = ""
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Self:
        loader = element.find("loader")
        return cls(
            type=text_of(element, "type").strip(),
            arch=attr_of(element, "type", "arch"),
            machine=attr_of(element, "type", "machine"),
            firmware=element.get("firmware", ""),
            boot=[b.get("dev", "") for b in element.findall("boot")],
            kernel=text_of(element, "kernel"),
            initrd=text_of(element, "initrd"),
            cmdline=text_of(element, "cmdline"),
            loader=text_of(element, "loader"),
            loader_readonly=yes_no(loader, "readonly"),
            loader_type=loader.get("type", "") if loader is not None else "",
            loader_secure=yes_no(loader, "secure"),
            nvram=text_of(element, "nvram"),
            nvram_template=attr_of(element, "nvram", "template"),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, "os")
        set_attr(element, "firmware", self.firmware)
        set_text(element, "type", self.type)
        set_child_attrs(element, "type", arch=self.arch, machine=self.machine)
        loader_attrs = (self.loader_readonly, self.loader_type, self.loader_secure)
        if self.loader or any(v not in (None, "") for v in loader_attrs):
            loader = child(element, "loader")
            loader.text = self.loader or None
            set_yes_no(loader, "readonly", self.loader_readonly)
            set_yes_no(loader, "secure", self.loader_secure)
            set_attr(loader, "type", self.loader_type)
        else:
            drop(element, "loader")
        set_text(element, "nvram", self.nvram)
        if self.nvram_template:
            set_attr(child(element, "nvram"), "template", self.nvram_template)
        elif element.find("nvram") is not None:
            set_child_attrs(element, "nvram", template=None)
        set_text(element, "kernel", self.kernel)
        set_text(element, "initrd", self.initrd)
        set_text(element, "cmdline", self.cmdline)
        if [b.get("dev", "") for b in element.findall("boot")] != self.boot:
            drop(element, "boot")
            for dev in self.boot:
                set_attr(ET.SubElement(element, "boot"), "dev", dev)
        return element


@dataclass
class Domain:
    """A libvirt domain. Memory in KiB; ``devices`` in document order.

    ``features`` names the children of <features> (acpi, apic, pae, smm ...);
    ones with content (hyperv ...) keep their content while their name stays.
    """

    name: str = ""
    type: str = "kvm"  # kvm, qemu, test ...
    uuid: str = ""
    title: str = ""
    description: str = ""
    memory: int = 0  # KiB
    current_memory: int | None = None  # KiB
    vcpus: int = 1
    os: Os = field(default_factory=Os)
    features: list[str] = field(default_factory=list)
    cpu_mode: str = ""  # host-passthrough, host-model, custom, maximum
    clock_offset: str = ""  # utc, localtime
    on_poweroff: str = ""  # destroy, restart, preserve ...
    on_reboot: str = ""
    on_crash: str = ""
    devices: list[Device] = field(default_factory=list)
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    # -- parse ---------------------------------------------------------------

    @classmethod
    def from_xml(cls, text: str) -> Self:
        """Parse a <domain> document; raises ``InvalidXml`` (declarations, malformed, root)."""
        return cls.from_element(parse_checked(text, "domain"))

    @classmethod
    def from_element(cls, element: ET.Element) -> Self:
        memory = element.find("memory")
        current = element.find("currentMemory")
        os_element = element.find("os")
        features = element.find("features")
        devices = element.find("devices")
        return cls(
            name=text_of(element, "name"),
            type=element.get("type", ""),
            uuid=text_of(element, "uuid").strip(),
            title=text_of(element, "title"),
            description=text_of(element, "description"),
            memory=_memory_kib(memory),
            current_memory=_memory_kib(current) if current is not None else None,
            vcpus=int_or_none(text_of(element, "vcpu")) or 0,
            os=Os.from_element(os_element) if os_element is not None else Os(type=""),
            features=[str(f.tag) for f in features] if features is not None else [],
            cpu_mode=attr_of(element, "cpu", "mode"),
            clock_offset=attr_of(element, "clock", "offset"),
            on_poweroff=text_of(element, "on_poweroff"),
            on_reboot=text_of(element, "on_reboot"),
            on_crash=text_of(element, "on_crash"),
            devices=[device_from_element(d) for d in devices] if devices is not None else [],
            element=element,
        )

    # -- build ---------------------------------------------------------------

    def to_element(self) -> ET.Element:
        element = start(self.element, "domain")
        set_attr(element, "type", self.type)
        set_text(element, "name", self.name)
        set_text(element, "uuid", self.uuid)
        set_text(element, "title", self.title)
        set_text(element, "description", self.description)
        _set_memory(element, "memory", self.memory)
        _set_memory(element, "currentMemory", self.current_memory)
        if self.vcpus and int_or_none(text_of(element, "vcpu")) != self.vcpus:
            set_text(element, "vcpu", self.vcpus)
        if self.os.element is not None or self.os != Os(type=""):
            os_element = self.os.to_element()
            old = element.find("os")
            if old is None:
                element.append(os_element)
            else:
                element[list(element).index(old)] = os_element
        self._set_features(element)
        if self.cpu_mode or element.find("cpu") is not None:
            set_child_attrs(element, "cpu", mode=self.cpu_mode)
        if self.clock_offset or element.find("clock") is not None:
            set_child_attrs(element, "clock", offset=self.clock_offset)
        set_text(element, "on_poweroff", self.on_poweroff)
        set_text(element, "on_reboot", self.on_reboot)
        set_text(element, "on_crash", self.on_crash)
        if self.devices or element.find("devices") is not None:
            devices = child(element, "devices")
            for old in list(devices):
                devices.remove(old)
            devices.text = None
            devices.extend([d.to_element() for d in self.devices])
        return element

    def _set_features(self, element: ET.Element) -> None:
        features = element.find("features")
        if not self.features:
            if features is not None and len(features):
                element.remove(features)
            return
        if features is None:
            features = ET.SubElement(element, "features")
        present = [str(f.tag) for f in features]
        if present == self.features:
            return
        kept = {str(f.tag): f for f in features}
        for old in list(features):
            features.remove(old)
        for name in self.features:
            node = kept.get(name)
            if node is None:
                node = ET.Element(name)
            features.append(node)

    def to_xml(self) -> str:
        """The document, indented; raises ``XmlValueError`` for characters XML 1.0 forbids."""
        element = self.to_element()
        ET.indent(element, space="  ")
        return ET.tostring(element, encoding="unicode") + "\n"


def _set_memory(element: ET.Element, tag: str, kib: int | None) -> None:
    node = element.find(tag)
    if kib is None or (kib == 0 and node is None):
        drop(element, tag)
        return
    if node is not None and _memory_kib(node) == kib:
        return  # same amount, maybe in another unit: leave it as written
    node = child(element, tag)
    node.text = str(kib)
    node.set("unit", "KiB")
    drop_if_empty(element, tag)


__all__ = ["Domain", "Os"]
