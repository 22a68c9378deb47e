"""Editing one typed field changes what that field owns and nothing else.

Hypothesis takes a document from the corpus (``domxml_corpus``), one object
in it (the domain, its <os>, or a device) and one of that object's fields,
gives the field a new value and builds the document. With the parts the
field owns taken out of both (``OWNED``: its attributes, its text, the
children it adds or removes), the document before and after must be
canonically equal: no other element, attribute or text lost, added or
moved. Parsed again, the field has its new value and every other typed
field of every object the value it had. Every typed field must say what it
owns. ``KVMDESK_EXAMPLES`` sets how many edits are tried (1500 by default).
"""

from __future__ import annotations

import dataclasses
import os
import xml.etree.ElementTree as ET
from typing import Any

from domxml_corpus import corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvmdesk.domxml import (
    Channel,
    Console,
    Controller,
    Disk,
    Domain,
    Filesystem,
    Graphics,
    HostDev,
    Input,
    Interface,
    Os,
    RedirDev,
    Rng,
    Serial,
    Tpm,
    UnknownDevice,
    Video,
)
from kvmdesk.domxml.canonical import canonical_element

_DISK_SOURCES = [
    f"source/@{a}" for a in ("file", "dev", "dir", "name", "pool", "volume", "protocol")
]
_NIC_SOURCES = [f"source/@{a}" for a in ("network", "bridge", "dev", "mode")]

# What each field owns, relative to its object's element: "@a" an attribute,
# "x/@a" an attribute of the children x, "x/text()" their text, "x" the
# children themselves, "x/*" everything inside them.
OWNED: dict[type, dict[str, list[str]]] = {
    Domain: {
        "name": ["name"],
        "type": ["@type"],
        "uuid": ["uuid"],
        "title": ["title"],
        "description": ["description"],
        "memory": ["memory/text()", "memory/@unit"],
        "current_memory": ["currentMemory"],
        "vcpus": ["vcpu/text()"],
        "features": ["features/*"],
        "cpu_mode": ["cpu/@mode"],
        "clock_offset": ["clock/@offset"],
        "on_poweroff": ["on_poweroff"],
        "on_reboot": ["on_reboot"],
        "on_crash": ["on_crash"],
    },
    Os: {
        "type": ["type/text()"],
        "arch": ["type/@arch"],
        "machine": ["type/@machine"],
        "firmware": ["@firmware"],
        "boot": ["boot"],
        "kernel": ["kernel"],
        "initrd": ["initrd"],
        "cmdline": ["cmdline"],
        "loader": ["loader/text()"],
        "loader_readonly": ["loader/@readonly"],
        "loader_type": ["loader/@type"],
        "loader_secure": ["loader/@secure"],
        "nvram": ["nvram/text()"],
        "nvram_template": ["nvram/@template"],
    },
    Disk: {
        "source": _DISK_SOURCES,
        "device": ["@device"],
        "type": ["@type", *_DISK_SOURCES],
        "target_dev": ["target/@dev"],
        "target_bus": ["target/@bus"],
        "driver_name": ["driver/@name"],
        "driver_type": ["driver/@type"],
        "driver_cache": ["driver/@cache"],
        "pool": ["source/@pool"],
        "volume": ["source/@volume"],
        "protocol": ["source/@protocol"],
        "readonly": ["readonly"],
        "shareable": ["shareable"],
        "boot_order": ["boot/@order"],
    },
    Interface: {
        "type": ["@type", *_NIC_SOURCES],
        "source": _NIC_SOURCES,
        "mac": ["mac/@address"],
        "model": ["model/@type"],
        "source_mode": ["source/@mode"],
        "boot_order": ["boot/@order"],
    },
    Graphics: {
        "type": ["@type"],
        "autoport": ["@autoport"],
        "port": ["@port"],
        "listen": ["@listen", "listen/@address", "listen[@type='address']"],
    },
    Video: {"model": ["model/@type"], "vram": ["model/@vram"], "heads": ["model/@heads"]},
    Input: {"type": ["@type"], "bus": ["@bus"]},
    Controller: {"type": ["@type"], "index": ["@index"], "model": ["@model"]},
    Rng: {"model": ["@model"], "backend_model": ["backend/@model"], "backend": ["backend/text()"]},
    Tpm: {
        "model": ["@model"],
        "backend_type": ["backend/@type"],
        "backend_version": ["backend/@version"],
        "device_path": ["backend/device/@path"],
    },
    Serial: {
        "type": ["@type"],
        "target_type": ["target/@type"],
        "target_port": ["target/@port"],
        "source_path": ["source/@path"],
    },
    Console: {
        "type": ["@type"],
        "target_type": ["target/@type"],
        "target_port": ["target/@port"],
        "source_path": ["source/@path"],
    },
    Channel: {
        "type": ["@type"],
        "target_name": ["target/@name"],
        "target_type": ["target/@type"],
        "source_path": ["source/@path"],
        "source_mode": ["source/@mode"],
    },
    HostDev: {
        "type": ["@type"],
        "mode": ["@mode"],
        "managed": ["@managed"],
        "vendor_id": ["source/vendor/@id"],
        "product_id": ["source/product/@id"],
        "pci_domain": ["source/address/@domain"],
        "pci_bus": ["source/address/@bus"],
        "pci_slot": ["source/address/@slot"],
        "pci_function": ["source/address/@function"],
    },
    RedirDev: {
        "type": ["@type"],
        "bus": ["@bus"],
        "source_mode": ["source/@mode"],
        "source_host": ["source/@host"],
        "source_service": ["source/@service"],
    },
    Filesystem: {
        "type": ["@type"],
        "accessmode": ["@accessmode"],
        "driver_type": ["driver/@type"],
        "source_dir": ["source/@dir"],
        "target_dir": ["target/@dir"],
        "readonly": ["readonly"],
    },
}

# Fields whose value decides how others read, or that read back tidied:
# only the document check applies to them.
NO_READ_BACK = {
    (Disk, "type"),
    (Disk, "source"),
    (Interface, "type"),
    (Interface, "source"),
    (Interface, "source_mode"),
    (Os, "type"),
    (Domain, "uuid"),
    (Domain, "vcpus"),
}

# The type says which source attribute holds the source: other fields that
# read differently after the type changed.
READ_WITH = {(Disk, "type"): {"source"}, (Interface, "type"): {"source", "source_mode"}}

words = st.text(
    alphabet=st.sampled_from("abcXYZ019 -_./:<>&'\"éЖ名🙂"), min_size=1, max_size=10
).filter(lambda s: s.strip() == s)
names = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


def _values(cls: type, name: str) -> st.SearchStrategy[Any]:
    if name == "boot":
        return st.lists(st.sampled_from(["hd", "cdrom", "network", "fd"]), max_size=4)
    if name == "features":
        return st.lists(st.sampled_from(["acpi", "apic", "pae", "smm", "vmport"]), unique=True)
    kind = {f.name: f.type for f in dataclasses.fields(cls)}[name]
    if kind == "bool":
        return st.booleans()
    if kind == "bool | None":
        return st.none() | st.booleans()
    if kind == "int":
        return st.integers(min_value=1, max_value=2**40)
    if name == "current_memory":
        return st.none() | st.integers(min_value=1, max_value=2**40)
    if kind == "int | None":
        return st.none() | st.integers(min_value=0, max_value=10**6)
    assert kind == "str", (cls, name, kind)
    if name in ("type", "model", "bus", "device", "target_type", "backend_model"):
        return st.just("") | names
    return st.just("") | words


def _objects(domain: Domain) -> list[tuple[Any, str]]:
    """Each typed object with where its element is: "", "os" or a device's index."""
    found: list[tuple[Any, str]] = [(domain, "")]
    if domain.os.element is not None:
        found.append((domain.os, "os"))
    for index, device in enumerate(domain.devices):
        if not isinstance(device, UnknownDevice):
            found.append((device, str(index)))
    return found


def _element(root: ET.Element, where: str) -> ET.Element:
    if where == "":
        return root
    if where == "os":
        found = root.find("os")
        assert found is not None
        return found
    devices = root.find("devices")
    assert devices is not None
    return list(devices)[int(where)]


def _is_empty(node: ET.Element) -> bool:
    return not node.attrib and len(node) == 0 and not node.text


def _remove(parent: ET.Element, node: ET.Element) -> None:
    parent.remove(node)
    if len(parent) == 0 and parent.text is not None and not parent.text.strip():
        parent.text = None  # the indentation of the children that went


def _take_out(element: ET.Element, owned: list[str]) -> None:
    """Remove what the field owns, then the elements that left empty."""
    for spec in owned:
        path, _, last = spec.rpartition("/")
        nodes = element.findall(path) if path else [element]
        if last.startswith("@"):
            for node in nodes:
                node.attrib.pop(last[1:], None)
        elif last == "text()":
            for node in nodes:
                node.text = None
        elif last == "*":
            for node in nodes:
                for inner in list(node):
                    _remove(node, inner)
        else:
            for parent in nodes:
                for node in parent.findall(last):
                    _remove(parent, node)
    for spec in owned:
        parts = spec.split("/")
        for depth in range(len(parts) - 1, 0, -1):
            path = "/".join(parts[:depth])
            parent_path = "/".join(parts[: depth - 1]) or "."
            for parent in element.findall(parent_path):
                for node in parent.findall(parts[depth - 1]):
                    if _is_empty(node):
                        _remove(parent, node)


def _fields(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f.name != "element" and f.name not in skip
    }


def _typed(domain: Domain) -> dict[str, dict[str, Any]]:
    """Every typed field of every object, by where the object is."""
    found = {where: _fields(obj) for obj, where in _objects(domain) if obj is not domain}
    found[""] = _fields(domain, skip=("os", "devices"))
    return found


DOCUMENTS = [xml for _, xml in corpus()]


@given(st.data())
@settings(
    max_examples=int(os.environ.get("KVMDESK_EXAMPLES", "1500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_one_field_changes_only_what_it_owns(data: st.DataObject) -> None:
    xml = data.draw(st.sampled_from(DOCUMENTS), label="document")
    domain = Domain.from_xml(xml)
    obj, where = data.draw(st.sampled_from(_objects(domain)), label="object")
    cls = type(obj)
    name = data.draw(st.sampled_from(sorted(OWNED[cls])), label="field")
    value = data.draw(_values(cls, name), label="value")
    before = _typed(domain)
    setattr(obj, name, value)

    built = domain.to_xml()

    original, edited = ET.fromstring(xml), ET.fromstring(built)
    for root in (original, edited):
        _take_out(_element(root, where), OWNED[cls][name])
    assert canonical_element(edited) == canonical_element(original)
    after = _typed(Domain.from_xml(built))
    assert after.keys() == before.keys()
    changed = [
        (place, key)
        for place, fields in before.items()
        for key, old in fields.items()
        if after[place][key] != old
    ]
    allowed = {name} | READ_WITH.get((cls, name), set())
    assert set(changed) <= {(where, field) for field in allowed}, changed
    if (cls, name) not in NO_READ_BACK:
        assert after[where][name] == value


def test_every_typed_field_says_what_it_owns() -> None:
    for cls, owned in OWNED.items():
        fields = {f.name for f in dataclasses.fields(cls)} - {"element", "os", "devices"}
        assert set(owned) == fields, cls.__name__
