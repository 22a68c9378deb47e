"""Details of one domain, from its live (or inactive) XML."""

from __future__ import annotations

import libvirt

from kvmdesk.domxml.domain import parse_domain
from kvmdesk.virt.addresses import interface_addresses
from kvmdesk.virt.inventory import fetch_domain
from kvmdesk.virt.records import DomainDetails


def fetch_details(conn: libvirt.virConnect, uuid: str) -> DomainDetails | None:
    """The domain's record plus what its XML says, or None when it is gone."""
    record = fetch_domain(conn, uuid)
    if record is None:
        return None
    try:
        dom = conn.lookupByUUIDString(uuid)
        xml = dom.XMLDesc(0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise
    cfg = parse_domain(xml)
    # Leases, then the guest agent, then ARP: errors there are expected and quiet.
    addresses = interface_addresses(dom) if record.state.is_active else ()
    return DomainDetails(
        record=record,
        os_type=cfg.os_type,
        arch=cfg.arch,
        machine=cfg.machine,
        domain_type=cfg.domain_type,
        title=cfg.title,
        description=cfg.description,
        disks=cfg.disks,
        interfaces=cfg.interfaces,
        addresses=addresses,
    )
