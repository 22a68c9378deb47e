"""Reading the text that /proc, /sys and libvirt hand over (pure, no I/O)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def is_remote(uri: str) -> bool:
    """A URI with a host part or a network transport (+ssh, +tcp, +tls, ...)."""
    parts = urlsplit(uri)
    _, _, transport = parts.scheme.partition("+")
    return bool(parts.netloc) or transport not in ("", "unix")


def cpu_flags(cpuinfo: str) -> frozenset[str] | None:
    """Flags of the first processor in /proc/cpuinfo; None without an x86 flags line."""
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "flags":
            return frozenset(value.split())
    return None


def loaded_modules(proc_modules: str | None, sys_modules: Iterable[str] = ()) -> frozenset[str]:
    """Module names from /proc/modules plus those visible under /sys/module
    (built-in modules with parameters appear only there)."""
    names = set(sys_modules)
    for line in (proc_modules or "").splitlines():
        if line.strip():
            names.add(line.split()[0])
    return frozenset(names)


def nested_enabled(text: str) -> bool | None:
    value = text.strip().upper()
    if value in ("Y", "1"):
        return True
    if value in ("N", "0"):
        return False
    return None


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The parts of ``virsh capabilities`` that the checks use."""

    arch: str = ""
    cpu_model: str = ""
    cpu_features: frozenset[str] | None = None  # None when libvirt lists no host CPU
    iommu: bool | None = None  # <iommu support='yes|no'/>, None if absent
    domain_types: Mapping[str, frozenset[str]] = field(default_factory=dict)  # arch -> types
    emulators: Mapping[str, str] = field(default_factory=dict)  # arch -> emulator path

    def types(self, arch: str) -> frozenset[str]:
        return self.domain_types.get(arch, frozenset())


def _xml_root(xml: str) -> ET.Element | None:
    try:
        return ET.fromstring(xml)
    except ET.ParseError:
        return None


def parse_capabilities(xml: str) -> Capabilities | None:
    root = _xml_root(xml)
    if root is None:
        return None
    cpu = root.find("host/cpu")
    arch = (root.findtext("host/cpu/arch") or "").strip()
    features: frozenset[str] | None = None
    if cpu is not None and (cpu.find("model") is not None or cpu.find("feature") is not None):
        features = frozenset(f.get("name", "") for f in cpu.findall("feature"))
    iommu_el = root.find("host/iommu")
    iommu = None if iommu_el is None else iommu_el.get("support") == "yes"
    types: dict[str, set[str]] = {}
    emulators: dict[str, str] = {}
    for guest in root.findall("guest"):
        if (guest.findtext("os_type") or "").strip() != "hvm":
            continue
        for arch_el in guest.findall("arch"):
            name = arch_el.get("name", "")
            types.setdefault(name, set()).update(
                d.get("type", "") for d in arch_el.findall("domain")
            )
            emulator = (arch_el.findtext("emulator") or "").strip()
            if emulator:
                emulators.setdefault(name, emulator)
    return Capabilities(
        arch=arch,
        cpu_model=(root.findtext("host/cpu/model") or "").strip(),
        cpu_features=features,
        iommu=iommu,
        domain_types={a: frozenset(t) for a, t in types.items()},
        emulators=emulators,
    )


def host_model_features(domcaps_xml: str) -> dict[str, str] | None:
    """Feature name -> policy of the host-model CPU in the domain capabilities."""
    root = _xml_root(domcaps_xml)
    if root is None:
        return None
    mode = root.find("cpu/mode[@name='host-model']")
    if mode is None or mode.get("supported") != "yes":
        return None
    return {f.get("name", ""): f.get("policy", "") for f in mode.findall("feature")}
