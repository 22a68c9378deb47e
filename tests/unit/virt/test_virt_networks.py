"""Virtual networks on the test driver, with a private copy of the demo host.

The test driver (libvirt 9.0) starts, stops, defines, undefines and sets
autostart on networks; it has no DHCP leases (VIR_ERR_NO_SUPPORT).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt
import pytest

from kvmdesk.virt import networks as nw
from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.networks import InvalidNetworkInput, NetworkInUseError


def _by_name(conn: libvirt.virConnect) -> dict[str, nw.NetworkRecord]:
    return {r.name: r for r in nw.list_networks(conn)}


def test_list_parses_the_demo_networks(demo: libvirt.virConnect) -> None:
    nets = nw.list_networks(demo)
    assert [n.name for n in nets] == ["default", "isolated"]
    default, isolated = nets
    assert default.uuid == "e206b577-1206-5701-9917-e776a838147d"
    assert default.active and default.persistent and not default.autostart
    assert default.bridge == "virbr0"
    assert default.forward_mode == "nat"
    assert default.ipv4_cidr == "192.168.122.1/24"
    assert (default.dhcp_start, default.dhcp_end) == ("192.168.122.2", "192.168.122.254")
    assert isolated.forward_mode == ""
    assert isolated.ipv4_address == "10.20.30.1" and isolated.ipv4_prefix == 24
    assert str(isolated.ipv4_network) == "10.20.30.0/24"


def test_parse_prefix_ipv6_and_forward_without_mode() -> None:
    rec = nw.parse_network(
        "<network><name>n</name><forward/>"
        "<ip family='ipv6' address='fd00::1' prefix='64'/>"
        "<ip address='10.1.0.1' prefix='16'/></network>"
    )
    assert rec.forward_mode == "nat"
    assert rec.ipv4_cidr == "10.1.0.1/16"
    assert (rec.dhcp_start, rec.bridge) == ("", "")


def test_stop_start_and_autostart(demo: libvirt.virConnect) -> None:
    nw.set_active(demo, "isolated", False)
    assert not _by_name(demo)["isolated"].active
    nw.set_active(demo, "isolated", False)  # already stopped: nothing to do
    nw.set_active(demo, "isolated", True)
    assert _by_name(demo)["isolated"].active
    nw.set_autostart(demo, "isolated", True)
    assert _by_name(demo)["isolated"].autostart
    nw.set_autostart(demo, "isolated", False)
    assert not _by_name(demo)["isolated"].autostart


def test_dhcp_leases_not_supported_by_the_test_driver(demo: libvirt.virConnect) -> None:
    with pytest.raises(libvirt.libvirtError) as info:
        nw.dhcp_leases(demo, "default")
    assert classify(info.value).kind is ErrorKind.NOT_SUPPORTED


def test_create_defines_starts_and_sets_autostart(demo: libvirt.virConnect) -> None:
    rec = nw.create_nat_network(demo, "lab", "192.168.50.1/24", "192.168.50.10", "192.168.50.99")
    assert rec.active and rec.autostart and rec.persistent
    assert rec.forward_mode == "nat"
    assert rec.ipv4_cidr == "192.168.50.1/24"
    assert (rec.dhcp_start, rec.dhcp_end) == ("192.168.50.10", "192.168.50.99")
    assert "lab" in _by_name(demo)


@pytest.mark.parametrize(("mode", "forward"), [("route", "route"), ("isolated", "")])
def test_create_other_modes_without_dhcp(demo: libvirt.virConnect, mode: str, forward: str) -> None:
    rec = nw.create_nat_network(demo, f"net-{mode}", "172.30.0.1/255.255.0.0", "", "", mode)
    assert rec.forward_mode == forward
    assert rec.ipv4_cidr == "172.30.0.1/16"
    assert rec.dhcp_start == ""


def test_markup_characters_in_a_name_are_data(demo: libvirt.virConnect) -> None:
    name = "<&\"'> net"
    nw.create_nat_network(demo, name, "10.77.0.1/24", "10.77.0.2", "10.77.0.20")
    assert name in _by_name(demo)
    root = ET.fromstring(demo.networkLookupByName(name).XMLDesc(0))
    assert root.findtext("name") == name


@pytest.mark.parametrize(
    ("name", "cidr", "start", "end", "field", "reason"),
    [
        ("", "10.5.0.1/24", "", "", "name", "empty"),
        ("   ", "10.5.0.1/24", "", "", "name", "empty"),
        ("a/b", "10.5.0.1/24", "", "", "name", "slash"),
        ("-x", "10.5.0.1/24", "", "", "name", "dash"),
        ("default", "10.5.0.1/24", "", "", "name", "taken"),
        ("n", "10.5.0.1", "", "", "address", "invalid"),
        ("n", "10.5.0.300/24", "", "", "address", "invalid"),
        ("n", "banana/24", "", "", "address", "invalid"),
        ("n", "10.5.0.1/255.0.255.0", "", "", "address", "netmask"),
        ("n", "10.5.0.1/33", "", "", "address", "netmask"),
        ("n", "10.5.0.1/32", "", "", "address", "small"),
        ("n", "10.5.0.0/24", "", "", "address", "not_host"),
        ("n", "10.5.0.255/24", "", "", "address", "not_host"),
        ("n", "192.168.122.1/24", "", "", "address", "overlap"),
        ("n", "192.168.0.1/16", "", "", "address", "overlap"),
        ("n", "10.20.30.129/25", "", "", "address", "overlap"),
        ("n", "10.5.0.1/24", "10.5.0.2", "", "dhcp", "partial"),
        ("n", "10.5.0.1/24", "10.5.0.x", "10.5.0.9", "dhcp", "invalid"),
        ("n", "10.5.0.1/24", "10.5.0.2", "10.5.1.9", "dhcp", "outside"),
        ("n", "10.5.0.1/24", "10.6.0.2", "10.5.0.9", "dhcp", "outside"),
        ("n", "10.5.0.1/24", "10.5.0.2", "10.5.0.255", "dhcp", "outside"),
        ("n", "10.5.0.1/24", "10.5.0.90", "10.5.0.9", "dhcp", "order"),
        ("n", "10.5.0.100/24", "10.5.0.2", "10.5.0.200", "dhcp", "gateway"),
    ],
)
def test_bad_input_is_refused_before_libvirt(
    demo: libvirt.virConnect,
    name: str,
    cidr: str,
    start: str,
    end: str,
    field: str,
    reason: str,
) -> None:
    with pytest.raises(InvalidNetworkInput) as info:
        nw.create_nat_network(demo, name, cidr, start, end)
    assert (info.value.field, info.value.reason) == (field, reason)
    assert sorted(_by_name(demo)) == ["default", "isolated"]


def test_overlap_names_the_other_network(demo: libvirt.virConnect) -> None:
    with pytest.raises(InvalidNetworkInput) as info:
        nw.create_nat_network(demo, "n", "10.20.0.1/16", "", "")
    assert info.value.detail == "isolated"


def test_unknown_mode_is_refused(demo: libvirt.virConnect) -> None:
    with pytest.raises(InvalidNetworkInput) as info:
        nw.create_nat_network(demo, "n", "10.5.0.1/24", "", "", mode="bridge")
    assert (info.value.field, info.value.reason) == ("mode", "invalid")


def test_delete_refused_while_running_domains_use_it(demo: libvirt.virConnect) -> None:
    with pytest.raises(NetworkInUseError) as info:
        nw.delete_network(demo, "isolated")
    # backup-server and db-replica use it too, but they are shut off.
    assert info.value.domains == ["alpine-router", "db-primary"]
    assert "alpine-router" in str(info.value) and "isolated" in str(info.value)
    assert _by_name(demo)["isolated"].active


def test_delete_allowed_once_its_users_are_off(demo: libvirt.virConnect) -> None:
    for name in nw.domains_using(demo, "isolated"):
        demo.lookupByName(name).destroy()
    nw.delete_network(demo, "isolated")
    assert "isolated" not in _by_name(demo)


def test_delete_an_unused_new_network(demo: libvirt.virConnect) -> None:
    nw.create_nat_network(demo, "spare", "10.99.0.1/24", "", "")
    nw.delete_network(demo, "spare")
    assert sorted(_by_name(demo)) == ["default", "isolated"]
    with pytest.raises(libvirt.libvirtError):
        nw.delete_network(demo, "spare")


def test_proposal_is_free_and_accepted(demo: libvirt.virConnect) -> None:
    existing = nw.list_networks(demo)
    proposal = nw.propose_network(existing)
    assert proposal is not None
    assert proposal.name not in {n.name for n in existing}
    nw.validate_new_network(
        existing, proposal.name, proposal.address, proposal.dhcp_start, proposal.dhcp_end, "nat"
    )
    nw.create_nat_network(
        demo, proposal.name, proposal.address, proposal.dhcp_start, proposal.dhcp_end, "nat"
    )
    again = nw.propose_network(nw.list_networks(demo))
    assert again is not None and again.name != proposal.name
    assert again.address != proposal.address  # the first subnet is taken now


def test_proposal_skips_taken_subnets_and_names() -> None:
    taken = [
        nw.NetworkRecord(
            "network", "u1", True, True, True, ipv4_address="192.168.100.1", ipv4_prefix=24
        ),
        nw.NetworkRecord(
            "network1", "u2", True, True, True, ipv4_address="192.168.96.1", ipv4_prefix=19
        ),
    ]
    proposal = nw.propose_network(taken)
    assert proposal == nw.NetworkProposal(
        "network2", "192.168.128.1/24", "192.168.128.2", "192.168.128.254"
    )
    everything = [
        nw.NetworkRecord("big", "u", True, True, True, ipv4_address="192.168.0.1", ipv4_prefix=16)
    ]
    assert nw.propose_network(everything) is None
