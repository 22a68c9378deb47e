"""What a domain definition says about files beyond its disks' own images.

* the backing chain of each disk: ``<backingStore>`` elements nested under
  a ``<disk>``, which libvirt writes into the live definition of a running
  domain (a qcow2 overlay, its base, the base's base ...);
* the UEFI variable store (``<os><nvram>``), a file libvirt deletes with the
  definition unless told to keep it.

Read-only, from XML that libvirt produced.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.check import parse_checked

MAX_CHAIN = 64  # a chain deeper than this is cut: libvirt itself stops at 200


def _file_of(elem: ET.Element) -> str:
    source = elem.find("source")
    if source is None:
        return ""
    return source.get("file") or source.get("dev") or ""


def _chain_below(disk: ET.Element) -> tuple[str, ...]:
    chain: list[str] = []
    node = disk.find("backingStore")
    while node is not None and len(chain) < MAX_CHAIN:
        path = _file_of(node)
        if not path:
            break  # <backingStore/>: the end of the chain, or a network image
        chain.append(path)
        node = node.find("backingStore")
    return tuple(chain)


def backing_chains(xml: str) -> dict[str, tuple[str, ...]]:
    """Disk target -> the files below its image, nearest first ("vda": (base,))."""
    root = parse_checked(xml)
    chains: dict[str, tuple[str, ...]] = {}
    for disk in root.findall("devices/disk"):
        target = disk.find("target")
        name = target.get("dev", "") if target is not None else ""
        chain = _chain_below(disk)
        if name and chain:
            chains[name] = chain
    return chains


def nvram_path(xml: str) -> str:
    """The UEFI variable store's path, or "" (no ``<nvram>`` or one without a path)."""
    nvram = parse_checked(xml).find("os/nvram")
    if nvram is None:
        return ""
    return (nvram.text or "").strip()
