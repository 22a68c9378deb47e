"""The IP addresses of running guests (blocking; runs on a connection's worker).

Three sources, asked in this order until one answers with addresses: the
DHCP leases of libvirt's networks, the QEMU guest agent, and the host's
ARP table. Each may have nothing to say (no agent in the guest, a bridged
interface with no lease, a driver without the call): that is expected and
quiet, never an error for the user.

For the tree's "IP Address" column, ``bulk_addresses`` answers for every
running domain of a connection at once: the leases of every network are
listed once and matched by MAC address, and only domains no lease matched
are asked one by one, a few per call, in turns.
"""

from __future__ import annotations

import ipaddress
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import libvirt

from kvmdesk.virt.records import AddressRecord, InterfaceAddresses

log = logging.getLogger(__name__)

LEASE, AGENT, ARP = "lease", "agent", "arp"
SOURCES = (
    (LEASE, libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE),
    (AGENT, libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT),
    (ARP, libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP),
)
FALLBACK_PER_CALL = 16  # domains asked one by one per bulk call, at most


def _family(kind: object, address: str) -> str:
    if kind == libvirt.VIR_IP_ADDR_TYPE_IPV6 or ":" in address:
        return "ipv6"
    return "ipv4"


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _records(answer: dict[str, dict[str, object]], source: str) -> tuple[InterfaceAddresses, ...]:
    records = []
    for name, info in sorted(answer.items()):
        addrs = []
        for entry in info.get("addrs") or []:  # type: ignore[attr-defined]
            address = str(entry.get("addr") or "")
            if not address or _is_loopback(address):
                continue
            prefix = entry.get("prefix")
            addrs.append(
                AddressRecord(
                    address=address,
                    prefix=int(prefix) if prefix is not None else None,
                    family=_family(entry.get("type"), address),
                )
            )
        mac = str(info.get("hwaddr") or "").lower()
        if name == "lo" or (not addrs and not mac):
            continue
        records.append(InterfaceAddresses(name, mac, tuple(addrs), source))
    return tuple(records)


def interface_addresses(
    dom: libvirt.virDomain, sources: tuple[tuple[str, int], ...] = SOURCES
) -> tuple[InterfaceAddresses, ...]:
    """The first source that knows addresses answers; () if none does."""
    for name, source in sources:
        try:
            answer = dom.interfaceAddresses(source, 0)
        except libvirt.libvirtError as exc:  # no agent, no support, ...: expected
            log.debug("addresses of %s from the %s: %s", dom.name(), name, exc)
            continue
        records = _records(answer or {}, name)
        if any(r.addresses for r in records):
            return records
    return ()


def domain_addresses(conn: libvirt.virConnect, uuid: str) -> tuple[InterfaceAddresses, ...]:
    """The addresses of one running domain; () when it is not running or gone."""
    try:
        dom = conn.lookupByUUIDString(uuid)
        if not dom.isActive():
            return ()
    except libvirt.libvirtError:
        return ()
    return interface_addresses(dom)


def address_text(addresses: tuple[InterfaceAddresses, ...]) -> str:
    """The addresses in a line: IPv4 first, then IPv6, without prefixes."""
    found = [a for iface in addresses for a in iface.addresses]
    found.sort(key=lambda a: (a.family != "ipv4", a.address))
    seen: list[str] = []
    for a in found:
        if a.address not in seen:
            seen.append(a.address)
    return ", ".join(seen)


# ---------------------------------------------------------------- in bulk


def network_leases(conn: libvirt.virConnect) -> dict[str, list[AddressRecord]] | None:
    """MAC address -> leased addresses, over every active network.

    None when the driver keeps no leases (the test driver), so that the
    caller asks the domains instead.
    """
    leases: dict[str, list[AddressRecord]] = {}
    supported = False
    for net in conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE):
        try:
            answer = net.DHCPLeases()
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT:
                continue
            log.debug("leases of a network: %s", exc)
            continue
        supported = True
        for lease in answer:
            mac = str(lease.get("mac") or "").lower()
            address = str(lease.get("ipaddr") or "")
            if mac and address:
                prefix = lease.get("prefix")
                leases.setdefault(mac, []).append(
                    AddressRecord(
                        address,
                        int(prefix) if prefix is not None else None,
                        _family(lease.get("type"), address),
                    )
                )
    return leases if supported else None


def _macs(dom: libvirt.virDomain) -> tuple[str, ...]:
    root = ET.fromstring(dom.XMLDesc(0))
    macs = []
    for iface in root.findall("devices/interface"):
        mac = iface.find("mac")
        if mac is not None and mac.get("address"):
            macs.append(str(mac.get("address")).lower())
    return tuple(macs)


@dataclass(frozen=True, slots=True)
class AddressSnapshot:
    """Addresses of a connection's running domains, and what to keep for next time."""

    text: dict[str, str] = field(default_factory=dict)  # uuid -> "10.0.0.5, fe80::1"
    macs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # uuid -> MACs
    asked: tuple[str, ...] = ()  # uuids asked one by one in this call
    unmatched: int = 0  # running domains no lease matched


def bulk_addresses(
    conn: libvirt.virConnect,
    known_macs: dict[str, tuple[str, ...]],
    recently_asked: frozenset[str] = frozenset(),
    limit: int = FALLBACK_PER_CALL,
) -> AddressSnapshot:
    """Addresses of every running domain.

    ``known_macs`` (from the last snapshot) spares reading the XML of
    domains already seen; the domains no lease matched are asked one by
    one, at most ``limit`` per call, those not in ``recently_asked`` first.
    """
    running = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)
    macs: dict[str, tuple[str, ...]] = {}
    doms: dict[str, libvirt.virDomain] = {}
    for dom in running:
        uuid = dom.UUIDString()
        doms[uuid] = dom
        if uuid in known_macs:
            macs[uuid] = known_macs[uuid]
            continue
        try:
            macs[uuid] = _macs(dom)
        except (libvirt.libvirtError, ET.ParseError):
            macs[uuid] = ()
    leases = network_leases(conn)
    text: dict[str, str] = {}
    unmatched: list[str] = []
    for uuid, own in macs.items():
        found = [a for mac in own for a in (leases or {}).get(mac, [])]
        if found:
            text[uuid] = address_text((InterfaceAddresses("", "", tuple(found), LEASE),))
        else:
            unmatched.append(uuid)
    unmatched.sort(key=lambda u: (u in recently_asked, u))
    asked = tuple(unmatched[:limit])
    sources = SOURCES if leases is None else SOURCES[1:]  # the leases were read above
    for uuid in asked:
        found_ifaces = interface_addresses(doms[uuid], sources)
        if found_ifaces:
            text[uuid] = address_text(found_ifaces)
    return AddressSnapshot(text=text, macs=macs, asked=asked, unmatched=len(unmatched))
