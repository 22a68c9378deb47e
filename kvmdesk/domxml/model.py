"""A whole domain definition as a typed object, built and parsed with ElementTree.

``Domain.from_xml`` keeps the parsed document; ``Domain.to_xml`` starts from
it and writes only the fields that were changed, so unknown elements and
attributes (metadata, NUMA tuning, seclabels, addresses ...) and the way
libvirt wrote the known ones survive a round trip: parse then build gives
back every element, attribute and text, in the same order (see
``kvmdesk.domxml.canonical``). A ``Domain`` built from scratch gives a new
document; children added to a parsed one go where libvirt writes them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Self

from kvmdesk.domxml.check import parse_checked
from kvmdesk.domxml.devices import Device, device_from_element
from kvmdesk.domxml.domain import _memory_kib
from kvmdesk.domxml.nodes import (
    Changes,
    attr_of,
    child,
    drop,
    drop_if_empty,
    insert_in_order,
    int_or_none,
    is_empty,
    remove,
    set_attr,
    set_child_attrs,
    set_text,
    set_yes_no,
    start,
    text_of,
    text_value,
    yes_no,
)

ET.register_namespace("libosinfo", "http://libosinfo.org/xmlns/libvirt/domain/1.0")
ET.register_namespace("qemu", "http://libvirt.org/schemas/domain/qemu/1.0")
ET.register_namespace("test", "http://libvirt.org/schemas/domain/test/1.0")

# The children of <domain> and of <os> in the order libvirt writes them: a
# child the model adds goes before the first one that comes after it here.
DOMAIN_ORDER = (
    "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory",
    "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads",
    "iothreadids", "defaultiothread", "cputune", "numatune", "resource", "sysinfo",
    "bootloader", "bootloader_args", "os", "idmap", "features", "cpu", "clock",
    "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm", "perf", "devices",
    "seclabel", "keywrap", "launchSecurity",
)  # fmt: skip
OS_ORDER = (
    "type", "firmware", "loader", "nvram", "varstore", "init", "initarg", "initenv", "initdir",
    "inituser", "initgroup", "kernel", "initrd", "cmdline", "shim", "dtb", "acpi", "boot",
    "bootmenu", "smbios", "bios",
)  # fmt: skip


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
        changed = Changes(self)
        element = start(self.element, "os")
        if changed("firmware"):
            set_attr(element, "firmware", self.firmware)
        if changed("type"):
            set_text(element, "type", self.type, OS_ORDER)
        if changed("arch"):
            set_child_attrs(element, "type", arch=self.arch)
        if changed("machine"):
            set_child_attrs(element, "type", machine=self.machine)
        if changed("loader", "loader_readonly", "loader_type", "loader_secure"):
            self._set_loader(element, changed)
        if changed("nvram", "nvram_template"):
            self._set_nvram(element, changed)
        for tag in ("kernel", "initrd", "cmdline"):
            if changed(tag):
                set_text(element, tag, getattr(self, tag), OS_ORDER)
        if changed("boot"):
            self._set_boot(element)
        return element

    def _set_loader(self, element: ET.Element, changed: Changes) -> None:
        attrs = (self.loader_readonly, self.loader_type, self.loader_secure)
        if not self.loader and all(v in (None, "") for v in attrs):
            drop(element, "loader")
            return
        loader = child(element, "loader", OS_ORDER)
        if changed("loader"):
            loader.text = self.loader or None
        if changed("loader_readonly"):
            set_yes_no(loader, "readonly", self.loader_readonly)
        if changed("loader_secure"):
            set_yes_no(loader, "secure", self.loader_secure)
        if changed("loader_type"):
            set_attr(loader, "type", self.loader_type)

    def _set_nvram(self, element: ET.Element, changed: Changes) -> None:
        """The path and template; other attributes (templateFormat, format ...) stay."""
        nvram = element.find("nvram")
        if nvram is None:
            if not self.nvram and not self.nvram_template:
                return
            nvram = child(element, "nvram", OS_ORDER)
        if changed("nvram"):
            nvram.text = text_value(self.nvram, "nvram") if self.nvram else None
        if changed("nvram_template"):
            set_attr(nvram, "template", self.nvram_template)
        if is_empty(nvram):
            remove(element, nvram)

    def _set_boot(self, element: ET.Element) -> None:
        """Boot devices replace the old ones where the first of them was."""
        old = element.findall("boot")
        index = list(element).index(old[0]) if old else None
        for node in old:
            remove(element, node)
        for offset, dev in enumerate(self.boot):
            node = ET.Element("boot")
            set_attr(node, "dev", dev)
            if index is None:
                insert_in_order(element, node, OS_ORDER)
            else:
                element.insert(index + offset, node)


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
        changed = Changes(self)
        element = start(self.element, "domain")
        if changed("type"):
            set_attr(element, "type", self.type)
        for tag in ("name", "uuid", "title", "description"):
            if changed(tag):
                set_text(element, tag, getattr(self, tag), DOMAIN_ORDER)
        if changed("memory"):
            _set_memory(element, "memory", self.memory)
        if changed("current_memory"):
            _set_memory(element, "currentMemory", self.current_memory)
        if changed("vcpus") and self.vcpus:
            set_text(element, "vcpu", self.vcpus, DOMAIN_ORDER)
        if self.os.element is not None or self.os != Os(type=""):
            os_element = self.os.to_element()
            old = element.find("os")
            if old is None:
                insert_in_order(element, os_element, DOMAIN_ORDER)
            else:
                element[list(element).index(old)] = os_element
        if changed("features"):
            self._set_features(element)
        if changed("cpu_mode"):
            _set_child_attr(element, "cpu", "mode", self.cpu_mode)
        if changed("clock_offset"):
            _set_child_attr(element, "clock", "offset", self.clock_offset)
        for tag in ("on_poweroff", "on_reboot", "on_crash"):
            if changed(tag):
                set_text(element, tag, getattr(self, tag), DOMAIN_ORDER)
        devices = element.find("devices")
        if self.devices or devices is not None:
            devices = child(element, "devices", DOMAIN_ORDER)
            for old in list(devices):
                remove(devices, old)
            devices.extend([d.to_element() for d in self.devices])
        return element

    def _set_features(self, element: ET.Element) -> None:
        features = element.find("features")
        if not self.features:
            if features is not None and len(features):
                remove(element, features)
            return
        if features is None:
            features = child(element, "features", DOMAIN_ORDER)
        present = [str(f.tag) for f in features]
        if present == self.features:
            return
        kept = {str(f.tag): f for f in features}
        for old in list(features):
            remove(features, old)
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


def _set_child_attr(element: ET.Element, tag: str, name: str, value: str) -> None:
    """One attribute of <cpu> or <clock>; a new child goes where libvirt writes it."""
    if value and element.find(tag) is None:
        child(element, tag, DOMAIN_ORDER)
    set_child_attrs(element, tag, **{name: value})


def _set_memory(element: ET.Element, tag: str, kib: int | None) -> None:
    node = element.find(tag)
    if kib is None or (kib == 0 and node is None):
        drop(element, tag)
        return
    if node is not None and _memory_kib(node) == kib:
        return  # same amount, maybe in another unit: leave it as written
    node = child(element, tag, DOMAIN_ORDER)
    node.text = str(kib)
    node.set("unit", "KiB")
    drop_if_empty(element, tag)


__all__ = ["DOMAIN_ORDER", "OS_ORDER", "Domain", "Os"]
