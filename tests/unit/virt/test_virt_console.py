"""Console devices from domain XML, opening on the test driver, adding a serial port."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt.console import (
    ConsoleNotRunningError,
    ConsoleOpenError,
    NoConsoleDeviceError,
    TransientDomainError,
    add_serial_console,
    list_devices,
    open_console,
)
from kvmdesk.virt.errors import ErrorKind, classify

Virt = Callable[[str], libvirt.virConnect]

SERIAL = "c0c0c0c0-0000-4000-8000-000000000001"
BARE = "c0c0c0c0-0000-4000-8000-000000000002"
OFF = "c0c0c0c0-0000-4000-8000-000000000003"
OFF_BARE = "c0c0c0c0-0000-4000-8000-000000000004"
FILED = "c0c0c0c0-0000-4000-8000-000000000006"

# What qemu:///system reports for a running guest with a serial console
# (the test guest of the integration tests): the console is serial0 again.
LIVE_QEMU = """
<domain type='qemu'><name>g</name><devices>
  <serial type='pty'>
    <source path='/dev/pts/3'/>
    <target type='isa-serial' port='0'><model name='isa-serial'/></target>
    <alias name='serial0'/>
  </serial>
  <serial type='pty'>
    <source path='/dev/pts/4'/>
    <target type='isa-serial' port='1'><model name='isa-serial'/></target>
    <alias name='serial1'/>
  </serial>
  <console type='pty' tty='/dev/pts/3'>
    <source path='/dev/pts/3'/>
    <target type='serial' port='0'/>
    <alias name='serial0'/>
  </console>
  <console type='pty'>
    <source path='/dev/pts/5'/>
    <target type='virtio' port='1'/>
    <alias name='console1'/>
  </console>
</devices></domain>
"""


def test_live_devices_are_listed_once_each_with_the_primary_first() -> None:
    devices = list_devices(LIVE_QEMU)
    assert [d.alias for d in devices] == ["serial0", "serial1", "console1"]
    assert [d.primary for d in devices] == [True, False, False]
    assert all(d.openable for d in devices)
    assert devices[0].label == "serial0 (isa-serial, pty)"
    assert devices[2].target_type == "virtio" and devices[2].element == "console"


def test_a_console_alone_is_the_primary_device() -> None:
    xml = (
        "<domain><devices><console type='pty'><target type='virtio' port='0'/>"
        "<alias name='console0'/></console></devices></domain>"
    )
    (device,) = list_devices(xml)
    assert device.alias == "console0" and device.primary


def test_inactive_definition_without_aliases_pairs_console_with_its_serial_port() -> None:
    xml = (
        "<domain><devices><serial type='pty'><target port='0'/></serial>"
        "<console type='pty'><target type='serial' port='0'/></console></devices></domain>"
    )
    (device,) = list_devices(xml)
    assert device.element == "serial" and device.port == 0 and device.primary


def test_no_devices_and_devices_that_cannot_be_opened() -> None:
    assert list_devices("<domain><name>x</name></domain>") == ()
    assert list_devices("<domain><devices><disk/></devices></domain>") == ()
    xml = (
        "<domain><devices><serial type='tcp'><source mode='bind' host='0' service='4555'/>"
        "<target port='0'/><alias name='serial0'/></serial></devices></domain>"
    )
    (device,) = list_devices(xml)
    assert device.source_type == "tcp" and not device.openable


def test_malformed_xml_is_an_error() -> None:
    with pytest.raises(ET.ParseError):
        list_devices("<domain><devices>")


def test_open_on_a_driver_without_consoles_raises_not_supported(virt: Virt) -> None:
    conn = virt("console.xml")
    with pytest.raises(ConsoleOpenError) as info:
        open_console(conn, SERIAL)
    assert classify(info.value.cause).kind is ErrorKind.NOT_SUPPORTED
    assert [d.port for d in info.value.devices] == [0]


def test_open_without_a_console_device(virt: Virt) -> None:
    conn = virt("console.xml")
    with pytest.raises(NoConsoleDeviceError) as info:
        open_console(conn, BARE)
    assert info.value.devices == ()
    with pytest.raises(NoConsoleDeviceError) as info:
        open_console(conn, FILED)  # a serial port that writes to a file
    assert [d.source_type for d in info.value.devices] == ["file"]
    with pytest.raises(NoConsoleDeviceError):
        open_console(conn, OFF_BARE)  # said even when it is not running


def test_open_on_a_domain_that_is_not_running(virt: Virt) -> None:
    conn = virt("console.xml")
    with pytest.raises(ConsoleNotRunningError) as info:
        open_console(conn, OFF)
    assert [d.port for d in info.value.devices] == [0]


def test_open_an_unknown_domain(virt: Virt) -> None:
    conn = virt("console.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        open_console(conn, "00000000-0000-4000-8000-00000000dead")
    assert classify(info.value).kind is ErrorKind.NO_DOMAIN


def test_add_serial_console_to_the_persistent_definition(virt: Virt) -> None:
    conn = virt("console.xml")
    dom = conn.lookupByUUIDString(BARE)
    before = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert add_serial_console(conn, BARE) is True  # running: effective at next boot
    stored = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    devices = list_devices(stored)
    assert [(d.element, d.source_type, d.port) for d in devices] == [("serial", "pty", 0)]
    assert "<console type='pty'>" in stored and "<console" not in before
    # Nothing else changed: the graphics device is still there.
    assert "<graphics type='vnc'" in stored
    # Asking again changes nothing.
    assert add_serial_console(conn, BARE) is True
    assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == stored


def test_add_serial_console_next_to_a_file_serial_port(virt: Virt) -> None:
    conn = virt("console.xml")
    add_serial_console(conn, FILED)
    devices = list_devices(conn.lookupByUUIDString(FILED).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    assert {(d.source_type, d.port) for d in devices if d.element == "serial"} == {
        ("file", 0),
        ("pty", 1),
    }
    assert any(d.openable for d in devices)


def test_add_serial_console_to_a_shut_off_domain(virt: Virt) -> None:
    conn = virt("console.xml")
    assert add_serial_console(conn, OFF_BARE) is False
    xml = conn.lookupByUUIDString(OFF_BARE).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert any(d.openable for d in list_devices(xml))


def test_add_serial_console_refuses_a_transient_domain(virt: Virt) -> None:
    conn = virt("console.xml")
    xml = conn.lookupByUUIDString(OFF_BARE).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    xml = xml.replace("off-bare", "passing").replace(
        OFF_BARE, "c0c0c0c0-0000-4000-8000-0000000000aa"
    )
    dom = conn.createXML(xml)
    with pytest.raises(TransientDomainError):
        add_serial_console(conn, dom.UUIDString())
