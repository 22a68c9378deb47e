"""What the search and the groups know of a domain beyond its bulk record:
its tags and the operating system recorded in its definition.

Neither has a bulk API: one domain after another, in the connection's worker.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

import libvirt

from kvmdesk.virt.tags import read_tags

log = logging.getLogger(__name__)

OSINFO_NS = "http://libosinfo.org/xmlns/libvirt/domain/1.0"


@dataclass(frozen=True, slots=True)
class DomainFacts:
    tags: tuple[str, ...] | None  # None: stored tags could not be read
    os: str = ""  # the libosinfo id, e.g. http://debian.org/debian/12


def read_os(dom: libvirt.virDomain) -> str:
    """The libosinfo id virt-install and kvmdesk record, or ""."""
    try:
        xml = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, OSINFO_NS, 0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA:
            return ""
        raise
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return ""
    node = root.find("os")
    if node is None:
        node = root.find(f"{{{OSINFO_NS}}}os")
    return "" if node is None else node.get("id", "")


def bulk_facts(conn: libvirt.virConnect, uuids: Sequence[str]) -> dict[str, DomainFacts]:
    """Facts of each domain still there."""
    out: dict[str, DomainFacts] = {}
    for uuid in uuids:
        try:
            dom = conn.lookupByUUIDString(uuid)
            out[uuid] = DomainFacts(read_tags(dom, uuid), read_os(dom))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
    return out
