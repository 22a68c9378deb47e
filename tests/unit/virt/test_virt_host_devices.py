"""Host devices for passthrough: node devices parsed, matched with the domains using them."""

from __future__ import annotations

from collections.abc import Callable

import libvirt

from kvmdesk.domxml.hardware import pci_hostdev, usb_hostdev
from kvmdesk.virt.host_devices import hostdev_key, list_host_devices, parse_node_device

USB = """<device><name>usb_1_4</name><parent>usb_usb1</parent>
  <capability type='usb_device'><bus>1</bus><device>4</device>
    <product id='0x5567'>Cruzer Blade</product><vendor id='0x0781'>SanDisk Corp.</vendor>
  </capability></device>"""
PCI = """<device><name>pci_0000_00_1f_3</name><parent>computer</parent>
  <capability type='pci'><class>0x040300</class><domain>0</domain><bus>0</bus>
    <slot>31</slot><function>3</function>
    <product id='0xa348'>Cannon Lake PCH cAVS</product>
    <vendor id='0x8086'>Intel Corporation</vendor>
  </capability></device>"""
NET = """<device><name>net_lo</name>
  <capability type='net'><interface>lo</interface></capability></device>"""


def test_usb_and_pci_devices_parsed_and_matched() -> None:
    usb = parse_node_device(USB)
    pci = parse_node_device(PCI)
    assert usb is not None and pci is not None
    assert (usb.kind, usb.vendor_id, usb.product_id, usb.product) == (
        "usb",
        "0x0781",
        "0x5567",
        "Cruzer Blade",
    )
    assert pci.pci_address == (0, 0, 31, 3)
    assert parse_node_device(NET) is None
    assert hostdev_key(usb_hostdev(usb.vendor_id, usb.product_id)) == usb.key
    assert hostdev_key(pci_hostdev(*pci.pci_address)) == pci.key


def test_listing_on_a_host_without_usb_or_pci(virt: Callable[[str], libvirt.virConnect]) -> None:
    assert list_host_devices(virt("hardware.xml")) == []
