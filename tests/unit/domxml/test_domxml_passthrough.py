"""Host devices, USB redirection and shared folders as typed devices.

Parsed from libvirt's own XML they come back unchanged when nothing was
edited, and an edit changes its own attribute only: a guest address, a
boot order, a ROM setting or an alias kvmdesk does not model stays.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt
import pytest

from kvmdesk.domxml import Controller, Domain, Filesystem, HostDev, RedirDev
from kvmdesk.domxml.canonical import canonical_element
from kvmdesk.domxml.devices import device_from_element

USB = """<hostdev mode='subsystem' type='usb' managed='yes'>
  <source startupPolicy='optional'><vendor id='0x0781'/><product id='0x5567'/></source>
  <boot order='2'/><alias name='hostdev0'/>
  <address type='usb' bus='0' port='3'/>
</hostdev>"""
PCI = """<hostdev mode='subsystem' type='pci' managed='no'>
  <driver name='vfio'/>
  <source><address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/></source>
  <rom bar='off'/>
  <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>
</hostdev>"""
REDIR = """<redirdev bus='usb' type='tcp'>
  <source mode='connect' host='localhost' service='4000'/><protocol type='raw'/>
  <boot order='1'/><address type='usb' bus='0' port='4'/>
</redirdev>"""
FS = """<filesystem type='mount' accessmode='passthrough'>
  <driver type='virtiofs' queue='1024'/><binary path='/usr/libexec/virtiofsd' xattr='on'/>
  <source dir='/srv/share'/><target dir='share'/>
  <address type='pci' domain='0x0000' bus='0x00' slot='0x08' function='0x0'/>
</filesystem>"""


@pytest.mark.parametrize(
    ("xml", "cls"), [(USB, HostDev), (PCI, HostDev), (REDIR, RedirDev), (FS, Filesystem)]
)
def test_parsed_device_builds_the_same_element(xml: str, cls: type) -> None:
    element = ET.fromstring(xml)
    device = device_from_element(element)
    assert type(device) is cls
    assert canonical_element(device.to_element()) == canonical_element(element)


def test_usb_ids_and_pci_address_are_read() -> None:
    usb = HostDev.from_element(ET.fromstring(USB))
    assert (usb.type, usb.vendor_id, usb.product_id, usb.managed) == (
        "usb",
        "0x0781",
        "0x5567",
        True,
    )
    pci = HostDev.from_element(ET.fromstring(PCI))
    assert pci.pci_address == (0, 0, 0x1F, 3) and pci.managed is False
    assert usb.pci_address is None


def test_editing_the_product_keeps_what_is_not_modelled() -> None:
    usb = HostDev.from_element(ET.fromstring(USB))
    usb.product_id = "0x5581"
    built = usb.to_element()
    assert built.find("source").get("startupPolicy") == "optional"  # type: ignore[union-attr]
    assert built.find("source/product").get("id") == "0x5581"  # type: ignore[union-attr]
    for kept in ("boot", "alias", "address"):
        assert built.find(kept) is not None, kept


def test_a_new_pci_device_writes_its_address_in_hexadecimal() -> None:
    element = HostDev.pci(0, 3, 0, 1).to_element()
    address = element.find("source/address")
    assert address is not None
    assert dict(address.attrib) == {
        "domain": "0x0000",
        "bus": "0x03",
        "slot": "0x00",
        "function": "0x1",
    }
    assert (element.get("type"), element.get("managed")) == ("pci", "yes")


def test_a_share_switched_to_9p_keeps_its_folders() -> None:
    share = Filesystem.from_element(ET.fromstring(FS))
    assert share.virtiofs
    share.driver_type, share.readonly = "path", True
    built = share.to_element()
    assert built.find("driver").get("queue") == "1024"  # type: ignore[union-attr]
    assert built.find("source").get("dir") == "/srv/share"  # type: ignore[union-attr]
    assert built.find("readonly") is not None
    assert not Filesystem.from_element(built).virtiofs


def test_redirection_switched_to_spice_drops_only_its_own_source_fields() -> None:
    redir = RedirDev.from_element(ET.fromstring(REDIR))
    redir.type = "spicevmc"
    redir.source_mode = redir.source_host = redir.source_service = ""
    built = redir.to_element()
    assert built.find("source") is None
    assert built.find("protocol") is not None and built.find("boot") is not None


def test_libvirt_keeps_the_built_devices() -> None:
    """The test driver takes new devices built from scratch and gives back the same fields."""
    domain = Domain(name="passthrough-devices", type="test", memory=1 << 20)
    domain.os.arch = "x86_64"
    domain.devices += [
        Controller(type="usb", index=0, model="qemu-xhci"),
        HostDev(vendor_id="0x0781", product_id="0x5567"),
        HostDev.pci(0, 0, 0x1F, 3),
        RedirDev(type="tcp", source_mode="connect", source_host="localhost", source_service="4000"),
        Filesystem(source_dir="/srv/share", target_dir="share", accessmode="passthrough"),
    ]
    conn = libvirt.open("test:///default")
    try:
        dom = conn.defineXMLFlags(domain.to_xml(), libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
        try:
            back = Domain.from_xml(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        finally:
            dom.undefine()
    finally:
        conn.close()
    found = sorted(
        (d for d in back.devices if isinstance(d, (HostDev, RedirDev, Filesystem))),
        key=lambda d: (type(d).__name__, d.type),
    )
    assert [(type(d).__name__, d.type) for d in found] == [
        ("Filesystem", "mount"),
        ("HostDev", "pci"),
        ("HostDev", "usb"),
        ("RedirDev", "tcp"),
    ]
    share, pci, usb, redir = found
    assert isinstance(usb, HostDev) and (usb.vendor_id, usb.product_id) == ("0x0781", "0x5567")
    assert isinstance(pci, HostDev) and pci.pci_address == (0, 0, 0x1F, 3)
    assert isinstance(redir, RedirDev) and redir.source_service == "4000"
    assert isinstance(share, Filesystem) and share.source_dir == "/srv/share"
