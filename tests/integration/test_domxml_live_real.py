"""Domain XML from the real libvirtd comes back from kvmdesk's model without loss.

A test guest with every device the New VM wizard can add on the test bed (a
qcow2 disk, a disk written without a type, a CD-ROM, an interface on a NAT
network and a user-mode one, VNC, video, a tablet, the guest agent channel,
an RNG, USB and virtio-serial controllers, a serial console) is defined and
started. Its live XML (where libvirt adds the
bridge and port of the network interface, aliases, addresses), its inactive
and its secure XML go through ``Domain.from_xml(...).to_xml()`` and must be
canonically equal. A title set through the model and defined again changes
the title and nothing else of what libvirt gives back.

With ``KVMDESK_CAPTURE_CORPUS=<dir>`` the documents are also written there
(``tests/data/domxml_corpus/live`` keeps such a capture for the unit tests).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.domxml import Domain
from kvmdesk.domxml.canonical import canonical, canonical_element
from kvmdesk.virt import networks, storage

try:
    from .conftest import new_guest_name, remove_domain
    from .conftest_pools import ScratchPool, test_pool
    from .guest import GuestAssets
    from .test_host_resources_real import _remove_network, free_subnet
except ImportError:
    from conftest import new_guest_name, remove_domain  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from guest import GuestAssets  # type: ignore[no-redef]
    from test_host_resources_real import _remove_network, free_subnet  # type: ignore[no-redef]

pytestmark = pytest.mark.integration


@pytest.fixture
def nat_network(libvirt_conn: Any) -> Iterator[str]:
    name = new_guest_name()
    subnet = free_subnet(libvirt_conn)
    gateway = f"{next(subnet.hosts())}/{subnet.prefixlen}"
    networks.create_nat_network(libvirt_conn, name, gateway, "", "", autostart=False)
    yield name
    _remove_network(libvirt_conn, name)


def _guest_xml(name: str, assets: GuestAssets, pool: ScratchPool, network: str) -> str:
    disk = pool.path / "live.qcow2"
    raw = pool.path / "untyped.raw"
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <title>round trip</title>
  <memory unit='MiB'>160</memory>
  <currentMemory unit='MiB'>160</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>{assets.kernel}</kernel>
    <initrd>{assets.initrd}</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='{raw}'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <controller type='usb' model='qemu-xhci' ports='15'/>
    <controller type='virtio-serial'/>
    <interface type='network'>
      <mac address='52:54:00:6b:3c:58'/>
      <source network='{network}'/>
      <model type='virtio'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:6b:3c:59'/>
      <model type='e1000e'/>
    </interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <input type='tablet' bus='usb'/>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <video><model type='vga' vram='16384' heads='1'/></video>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <memballoon model='virtio'/>
  </devices>
</domain>
"""


def _capture(label: str, xml: str) -> None:
    folder = os.environ.get("KVMDESK_CAPTURE_CORPUS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{label}.xml").write_text(xml, encoding="utf-8")


def test_live_inactive_and_secure_xml_round_trip_and_an_edit_changes_only_itself(
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    nat_network: str,
) -> None:
    storage.create_volume(libvirt_conn, test_pool.name, "live.qcow2", 0.1, "qcow2")
    storage.create_volume(libvirt_conn, test_pool.name, "untyped.raw", 0.1, "raw")
    name = new_guest_name()
    try:
        dom = libvirt_conn.defineXML(_guest_xml(name, guest_assets, test_pool, nat_network))
        dom.create()
        live = dom.XMLDesc(0)
        documents = {
            "live": live,
            "live-secure": dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE),
            "inactive": dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE),
        }
        # What made the model lose things before: libvirt's own additions.
        root = ET.fromstring(live)
        source = root.find("devices/interface[@type='network']/source")
        assert source is not None
        assert source.get("bridge") and source.get("portid"), source.attrib
        for label, xml in documents.items():
            _capture(label, xml)
            assert canonical(Domain.from_xml(xml).to_xml()) == canonical(xml), label

        inactive = documents["inactive"]
        domain = Domain.from_xml(inactive)
        domain.title = "edited through the model"
        libvirt_conn.defineXML(domain.to_xml())
        after = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        expected = ET.fromstring(inactive)
        title = expected.find("title")
        assert title is not None
        title.text = "edited through the model"
        assert canonical_element(after) == canonical_element(expected)
    finally:
        remove_domain(libvirt_conn, name)
