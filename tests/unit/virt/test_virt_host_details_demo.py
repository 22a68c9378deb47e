"""Host facts, domain details and the demo host's settings on the test driver."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.domxml.domain import Disk, Interface
from kvmdesk.paths import DEMO_HOST_XML, demo_uri, is_demo_uri
from kvmdesk.virt.demo import DEMO_NS, apply_demo_settings
from kvmdesk.virt.details import fetch_details
from kvmdesk.virt.host import fetch_host
from kvmdesk.virt.records import DomainState, format_version

Open = Callable[[str], libvirt.virConnect]
ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
BETA = "b2b2b2b2-0000-4000-8000-000000000002"


# -- host ---------------------------------------------------------------------


def _caps_arch(conn: libvirt.virConnect) -> str:
    return str(ET.fromstring(conn.getCapabilities()).findtext("host/cpu/arch", "")).strip()


@pytest.mark.parametrize("with_capabilities", [True, False])
def test_fetch_host_from_node_section(virt: Open, with_capabilities: bool) -> None:
    conn = virt("two-domains.xml")
    host = fetch_host(conn, with_capabilities)
    assert host.uri == conn.getURI()
    assert host.hypervisor == "TEST"
    assert host.hypervisor_version == format_version(conn.getVersion())
    assert host.libvirt_version == format_version(conn.getLibVersion())
    assert host.libvirt_version.count(".") == 2
    # <cpu>: 1 node x 1 socket x 4 cores x 2 threads at 3000 MHz, model x86_64
    assert (host.numa_nodes, host.sockets, host.cores, host.threads) == (1, 1, 4, 2)
    assert host.cpus == 8
    assert host.mhz == 3000
    # the test driver's capabilities name no CPU model: the node's model is used
    assert host.cpu_model == "x86_64"
    # the architecture comes from the capabilities, so only when they were read
    assert host.arch == (_caps_arch(conn) if with_capabilities else "")
    assert host.memory_kib == 16777216
    assert host.free_memory_kib >= 0
    assert isinstance(host.hostname, str) and host.hostname


def test_fetch_host_of_demo_host() -> None:
    conn = libvirt.open(demo_uri())
    try:
        host = fetch_host(conn)
    finally:
        conn.close()
    # 2 NUMA nodes x 1 socket x 8 cores x 2 threads, 128 GiB
    assert (host.numa_nodes, host.sockets, host.cores, host.threads) == (2, 1, 8, 2)
    assert host.cpus == 32
    assert host.mhz == 2100
    assert host.memory_kib == 134217728


# -- details ------------------------------------------------------------------


def test_fetch_details_of_running_domain(virt: Open) -> None:
    conn = virt("two-domains.xml")
    details = fetch_details(conn, ALPHA)
    assert details is not None
    assert details.record.name == "alpha"
    assert details.record.state is DomainState.RUNNING
    assert (details.os_type, details.arch, details.machine) == ("hvm", "x86_64", "pc-q35-7.2")
    assert details.domain_type == "kvm"
    assert (details.title, details.description) == ("", "")
    assert details.disks == (
        Disk(
            device="disk",
            target="vda",
            source="/var/lib/libvirt/images/alpha.qcow2",
            source_kind="file",
            driver_format="qcow2",
            readonly=False,
            shareable=False,
        ),
    )
    assert details.interfaces == (
        Interface(kind="network", mac="52:54:00:00:00:a1", source="default", model="virtio"),
    )


def test_fetch_details_of_shut_off_domain(virt: Open) -> None:
    details = fetch_details(virt("two-domains.xml"), BETA)
    assert details is not None
    assert details.record.state is DomainState.SHUTOFF
    assert [d.source for d in details.disks] == ["/var/lib/libvirt/images/beta.qcow2"]


def test_fetch_details_follows_title_and_description(virt: Open) -> None:
    conn = virt("two-domains.xml")
    dom = conn.lookupByUUIDString(BETA)
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_TITLE, "Beta <test> & more", None, None, 0)
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, "multi\nline", None, None, 0)
    details = fetch_details(conn, BETA)
    assert details is not None
    assert details.title == "Beta <test> & more"
    assert details.description == "multi\nline"


def test_fetch_details_of_missing_domain(virt: Open) -> None:
    assert fetch_details(virt("two-domains.xml"), "00000000-0000-4000-8000-00000000dead") is None


def test_fetch_details_of_odd_names(virt: Open) -> None:
    conn = virt("names.xml")
    for dom in conn.listAllDomains(0):
        details = fetch_details(conn, dom.UUIDString())
        assert details is not None
        assert details.record.name == dom.name()


# -- demo ---------------------------------------------------------------------


def _marked_for_autostart() -> set[str]:
    root = ET.parse(DEMO_HOST_XML).getroot()
    marked = set()
    for dom in root.findall("domain"):
        marker = dom.find(f"metadata/{{{DEMO_NS}}}demo")
        if marker is not None and marker.get("autostart") == "yes":
            marked.add(str(dom.findtext("name")))
    return marked


def test_demo_uri() -> None:
    assert demo_uri() == f"test://{DEMO_HOST_XML}"
    assert DEMO_HOST_XML.is_file()
    assert is_demo_uri(demo_uri())
    assert not is_demo_uri("test:///default")


def test_apply_demo_settings_sets_autostart_for_marked_domains() -> None:
    marked = _marked_for_autostart()
    assert len(marked) >= 2
    conn = libvirt.open(demo_uri())
    try:
        assert not any(d.autostart() for d in conn.listAllDomains(0) if d.isPersistent())
        apply_demo_settings(conn)
        persistent = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT)
        autostart = {d.name() for d in persistent if d.autostart()}
        assert autostart == marked
        # applying twice changes nothing
        apply_demo_settings(conn)
        assert {d.name() for d in persistent if d.autostart()} == marked
    finally:
        conn.close()


def test_apply_demo_settings_ignores_other_hosts(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    apply_demo_settings(conn)
    assert not any(
        d.autostart() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT)
    )
