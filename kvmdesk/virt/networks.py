"""Virtual networks: list, start/stop, autostart, delete and create (blocking).

Every function takes a ``virConnect`` and runs on a connection's worker.
Records are parsed from the network XML with ElementTree, so names and
addresses are data, never markup.

``create_nat_network`` checks its input before libvirt sees it and raises
``InvalidNetworkInput`` with a stable ``reason`` (the layers above word it);
``delete_network`` refuses with ``NetworkInUseError`` while running
domains use the network.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import libvirt

MODES = ("nat", "route", "isolated")


@dataclass(frozen=True, slots=True)
class NetworkRecord:
    name: str
    uuid: str
    active: bool
    autostart: bool
    persistent: bool
    bridge: str = ""
    forward_mode: str = ""  # "" for an isolated network (no <forward>)
    ipv4_address: str = ""
    ipv4_prefix: int | None = None
    dhcp_start: str = ""
    dhcp_end: str = ""

    @property
    def ipv4_cidr(self) -> str:
        if not self.ipv4_address or self.ipv4_prefix is None:
            return ""
        return f"{self.ipv4_address}/{self.ipv4_prefix}"

    @property
    def ipv4_network(self) -> ipaddress.IPv4Network | None:
        try:
            return ipaddress.IPv4Interface(self.ipv4_cidr).network if self.ipv4_cidr else None
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class LeaseRecord:
    mac: str
    address: str
    prefix: int | None
    hostname: str
    expiry: int  # seconds since the epoch, 0 if unknown
    client_id: str = ""
    interface: str = ""  # the network's bridge


class NetworkInUseError(Exception):
    """A network cannot be deleted while running domains use it."""

    def __init__(self, network: str, domains: list[str]) -> None:
        self.network = network
        self.domains = domains
        super().__init__(
            f"network '{network}' is used by running virtual machines: {', '.join(domains)}"
        )


class InvalidNetworkInput(ValueError):
    """Input for a new network refused before libvirt saw it.

    ``field`` is "name", "address", "dhcp" or "mode"; ``reason`` a stable key
    (see ``create_nat_network``); ``detail`` the offending value or the name
    of the network it collides with.
    """

    def __init__(self, field: str, reason: str, detail: str = "") -> None:
        self.field = field
        self.reason = reason
        self.detail = detail
        super().__init__(f"{field}: {reason}" + (f" ({detail})" if detail else ""))


# ---------------------------------------------------------------- reading


def _prefix(ip: ET.Element) -> int | None:
    prefix = ip.get("prefix")
    if prefix is not None:
        try:
            return int(prefix)
        except ValueError:
            return None
    netmask = ip.get("netmask")
    if netmask:
        try:
            return ipaddress.IPv4Network(f"0.0.0.0/{netmask}").prefixlen
        except ValueError:
            return None
    return None


def parse_network(
    xml: str, *, active: bool = False, autostart: bool = False, persistent: bool = True
) -> NetworkRecord:
    root = ET.fromstring(xml)
    forward = root.find("forward")
    # libvirt's default for a <forward> without a mode is NAT.
    mode = (forward.get("mode") or "nat") if forward is not None else ""
    bridge = root.find("bridge")
    address, prefix, start, end = "", None, "", ""
    for ip in root.findall("ip"):
        if ip.get("family", "ipv4") != "ipv4" or ":" in (ip.get("address") or ""):
            continue
        address, prefix = ip.get("address") or "", _prefix(ip)
        rng = ip.find("dhcp/range")
        if rng is not None:
            start, end = rng.get("start") or "", rng.get("end") or ""
        break
    return NetworkRecord(
        name=root.findtext("name") or "",
        uuid=root.findtext("uuid") or "",
        active=active,
        autostart=autostart,
        persistent=persistent,
        bridge=(bridge.get("name") or "") if bridge is not None else "",
        forward_mode=mode,
        ipv4_address=address,
        ipv4_prefix=prefix,
        dhcp_start=start,
        dhcp_end=end,
    )


def _record(net: libvirt.virNetwork) -> NetworkRecord:
    return parse_network(
        net.XMLDesc(0),
        active=bool(net.isActive()),
        autostart=bool(net.autostart()),
        persistent=bool(net.isPersistent()),
    )


def list_networks(conn: libvirt.virConnect) -> list[NetworkRecord]:
    """Every network, sorted by name; one that vanishes meanwhile is left out."""
    records = []
    for net in conn.listAllNetworks(0):
        try:
            records.append(_record(net))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_NETWORK:
                raise
    return sorted(records, key=lambda r: r.name)


def dhcp_leases(conn: libvirt.virConnect, name: str) -> list[LeaseRecord]:
    """The DHCP leases libvirt's dnsmasq handed out on the network."""
    leases = conn.networkLookupByName(name).DHCPLeases()
    return [
        LeaseRecord(
            mac=str(lease.get("mac") or ""),
            address=str(lease.get("ipaddr") or ""),
            prefix=lease.get("prefix"),
            hostname=str(lease.get("hostname") or ""),
            expiry=int(lease.get("expirytime") or 0),
            client_id=str(lease.get("clientid") or ""),
            interface=str(lease.get("iface") or ""),
        )
        for lease in sorted(leases, key=lambda lease: str(lease.get("ipaddr") or ""))
    ]


def domains_using(conn: libvirt.virConnect, name: str) -> list[str]:
    """Names of the running domains with an interface on network ``name``."""
    users = []
    for dom in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
        try:
            root = ET.fromstring(dom.XMLDesc(0))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                continue
            raise
        for iface in root.findall("devices/interface"):
            source = iface.find("source")
            if (
                iface.get("type") == "network"
                and source is not None
                and source.get("network") == name
            ):
                users.append(root.findtext("name") or dom.UUIDString())
                break
    return sorted(users)


# ---------------------------------------------------------------- changes


def set_active(conn: libvirt.virConnect, name: str, on: bool) -> None:
    net = conn.networkLookupByName(name)
    if bool(net.isActive()) == on:
        return
    if on:
        net.create()
    else:
        net.destroy()


def set_autostart(conn: libvirt.virConnect, name: str, on: bool) -> None:
    conn.networkLookupByName(name).setAutostart(1 if on else 0)


def delete_network(conn: libvirt.virConnect, name: str) -> None:
    """Stop and undefine a network; refused while running domains use it."""
    net = conn.networkLookupByName(name)
    users = domains_using(conn, name)
    if users:
        raise NetworkInUseError(name, users)
    persistent = bool(net.isPersistent())
    if net.isActive():
        net.destroy()  # a transient network is gone after this
    if persistent:
        net.undefine()


# ---------------------------------------------------------------- creating


@dataclass(frozen=True, slots=True)
class NetworkProposal:
    """What the Add Virtual Network dialog starts with: a free name and subnet."""

    name: str
    address: str  # the host's address with its prefix, 192.168.100.1/24
    dhcp_start: str
    dhcp_end: str


def propose_network(existing: list[NetworkRecord]) -> NetworkProposal | None:
    """A name no network has, and the first 192.168.N.0/24 (N from 100) that
    overlaps none of ``existing``; the host takes .1, DHCP hands out .2-.254.
    None when every such subnet is taken."""
    names = {n.name for n in existing}
    name, number = "network", 1
    while name in names:
        name, number = f"network{number}", number + 1
    taken = [n.ipv4_network for n in existing if n.ipv4_network is not None]
    for third in [*range(100, 255), *range(0, 100)]:
        subnet = ipaddress.IPv4Network(f"192.168.{third}.0/24")
        if not any(other.overlaps(subnet) for other in taken):
            hosts = list(subnet.hosts())
            return NetworkProposal(name, f"{hosts[0]}/24", str(hosts[1]), str(hosts[-1]))
    return None


def validate_new_network(
    existing: list[NetworkRecord],
    name: str,
    ipv4_cidr: str,
    dhcp_start: str,
    dhcp_end: str,
    mode: str = "nat",
) -> tuple[ipaddress.IPv4Interface, tuple[ipaddress.IPv4Address, ipaddress.IPv4Address] | None]:
    """Check the input for a new network against the ``existing`` ones.

    Reasons: name "empty", "slash", "dash", "taken"; address "invalid"
    (not an address with a netmask or prefix), "netmask" (not a real
    netmask), "small" (no room for guests: /31, /32), "not_host" (the
    network or broadcast address); dhcp "partial" (one end missing),
    "invalid", "outside" (not in the subnet), "order", "gateway" (the
    range holds the host's own address); "overlap" with network ``detail``;
    mode "invalid".
    """
    if mode not in MODES:
        raise InvalidNetworkInput("mode", "invalid", mode)
    if not name.strip():
        raise InvalidNetworkInput("name", "empty")
    if "/" in name:
        raise InvalidNetworkInput("name", "slash", name)
    if name.startswith("-"):
        raise InvalidNetworkInput("name", "dash", name)
    if any(n.name == name for n in existing):
        raise InvalidNetworkInput("name", "taken", name)

    text = ipv4_cidr.strip()
    if "/" not in text:
        raise InvalidNetworkInput("address", "invalid", text)
    try:
        iface = ipaddress.IPv4Interface(text)
    except ipaddress.NetmaskValueError as exc:
        raise InvalidNetworkInput("address", "netmask", text) from exc
    except ValueError as exc:
        raise InvalidNetworkInput("address", "invalid", text) from exc
    subnet = iface.network
    if subnet.prefixlen > 30:
        raise InvalidNetworkInput("address", "small", text)
    if iface.ip in (subnet.network_address, subnet.broadcast_address):
        raise InvalidNetworkInput("address", "not_host", text)
    for other in existing:
        theirs = other.ipv4_network
        if theirs is not None and theirs.overlaps(subnet):
            raise InvalidNetworkInput("address", "overlap", other.name)

    start_text, end_text = dhcp_start.strip(), dhcp_end.strip()
    if not start_text and not end_text:
        return iface, None
    if not start_text or not end_text:
        raise InvalidNetworkInput("dhcp", "partial")
    try:
        start, end = ipaddress.IPv4Address(start_text), ipaddress.IPv4Address(end_text)
    except ValueError as exc:
        raise InvalidNetworkInput("dhcp", "invalid", f"{start_text} - {end_text}") from exc
    hosts = (subnet.network_address, subnet.broadcast_address)
    for addr in (start, end):
        if addr not in subnet or addr in hosts:
            raise InvalidNetworkInput("dhcp", "outside", str(addr))
    if start > end:
        raise InvalidNetworkInput("dhcp", "order", f"{start} - {end}")
    if start <= iface.ip <= end:
        raise InvalidNetworkInput("dhcp", "gateway", str(iface.ip))
    return iface, (start, end)


def network_xml(
    name: str,
    iface: ipaddress.IPv4Interface,
    dhcp: tuple[ipaddress.IPv4Address, ipaddress.IPv4Address] | None,
    mode: str = "nat",
) -> str:
    root = ET.Element("network")
    ET.SubElement(root, "name").text = name
    if mode != "isolated":
        ET.SubElement(root, "forward", mode=mode)
    ET.SubElement(root, "bridge", stp="on", delay="0")
    ip = ET.SubElement(root, "ip", address=str(iface.ip), netmask=str(iface.netmask))
    if dhcp is not None:
        ET.SubElement(ET.SubElement(ip, "dhcp"), "range", start=str(dhcp[0]), end=str(dhcp[1]))
    return ET.tostring(root, encoding="unicode")


def create_nat_network(
    conn: libvirt.virConnect,
    name: str,
    ipv4_cidr: str,
    dhcp_start: str,
    dhcp_end: str,
    mode: str = "nat",
    *,
    autostart: bool = True,
) -> NetworkRecord:
    """Validate, define (libvirt validates the XML too), start, and set autostart.

    ``ipv4_cidr`` is the host's address on the network with its prefix or
    netmask ("192.168.100.1/24"). Empty ``dhcp_start`` and ``dhcp_end``: no
    DHCP. If the network cannot be started it is undefined again, so that a
    failed creation leaves nothing behind.
    """
    iface, dhcp = validate_new_network(
        list_networks(conn), name, ipv4_cidr, dhcp_start, dhcp_end, mode
    )
    xml = network_xml(name, iface, dhcp, mode)
    net = conn.networkDefineXMLFlags(xml, libvirt.VIR_NETWORK_DEFINE_VALIDATE)
    try:
        net.create()
        if autostart:
            net.setAutostart(1)
    except libvirt.libvirtError:
        if net.isActive():
            net.destroy()
        net.undefine()
        raise
    return _record(net)
