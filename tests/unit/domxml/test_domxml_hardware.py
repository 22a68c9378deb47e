"""The hardware settings beside Domain: each updates its own nodes and nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.hardware import (
    CpuSettings,
    MemorySettings,
    bootable_devices,
    device_boot_order,
    link_up,
    read_cpu,
    read_memory,
    set_boot_menu,
    set_device_boot_order,
    set_disk_extras,
    set_link_up,
    write_cpu,
    write_memory,
)

DOMAIN = """<domain type='kvm'>
  <name>d</name>
  <memory unit='GiB'>2</memory>
  <currentMemory unit='MiB'>1024</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os>
  <cpu mode='host-model'><numa><cell id='0' cpus='0-3' memory='2' unit='GiB'/></numa></cpu>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2' io='native'/>
      <source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><source file='/i.iso'/><target dev='sda' bus='sata'/></disk>
    <interface type='network'><mac address='52:54:00:00:00:01'/>
      <source network='default'/></interface>
  </devices>
</domain>"""


def canonical(element: ET.Element) -> str:
    return ET.canonicalize(ET.tostring(element, encoding="unicode"), strip_text=True)


def root() -> ET.Element:
    return ET.fromstring(DOMAIN)


def test_cpu_read_and_unchanged_write_is_identity() -> None:
    element = root()
    cpu = read_cpu(element)
    assert cpu == CpuSettings(current=2, maximum=4, mode="host-model")
    write_cpu(element, cpu)
    assert canonical(element) == canonical(root())


def test_cpu_write_changes_only_its_nodes() -> None:
    element = root()
    write_cpu(
        element,
        CpuSettings(
            current=4, maximum=4, mode="custom", model="Skylake", sockets=1, cores=2, threads=2
        ),
    )
    vcpu = element.find("vcpu")
    assert vcpu is not None and vcpu.text == "4" and "current" not in vcpu.attrib
    assert vcpu.get("placement") == "static"
    cpu = element.find("cpu")
    assert cpu is not None and cpu.get("mode") == "custom"
    assert cpu.findtext("model") == "Skylake"
    assert cpu.find("numa/cell") is not None  # NUMA is not the form's: kept
    assert read_cpu(element).topology == (1, 2, 2)


def test_memory_keeps_units_of_amounts_left_alone() -> None:
    element = root()
    memory = read_memory(element)
    assert memory == MemorySettings(current=1024 * 1024, maximum=2 * 1024 * 1024)
    write_memory(element, MemorySettings(current=512 * 1024, maximum=memory.maximum))
    node = element.find("memory")
    assert node is not None and node.get("unit") == "GiB" and node.text == "2"
    current = element.find("currentMemory")
    assert current is not None and current.text == str(512 * 1024) and current.get("unit") == "KiB"


def test_shared_memory_on_and_off() -> None:
    element = root()
    memory = read_memory(element)
    write_memory(element, MemorySettings(memory.current, memory.maximum, shared=True))
    assert element.find("memoryBacking/access").get("mode") == "shared"  # type: ignore[union-attr]
    assert element.find("memoryBacking/source").get("type") == "memfd"  # type: ignore[union-attr]
    assert read_memory(element).shared
    write_memory(element, MemorySettings(memory.current, memory.maximum, shared=False))
    assert element.find("memoryBacking/access") is None


def test_boot_order_per_device_replaces_os_boot() -> None:
    element = root()
    disk, cdrom, nic = bootable_devices(element)
    set_device_boot_order(element, [nic, disk])
    assert element.findall("os/boot") == []
    assert [device_boot_order(d) for d in (disk, cdrom, nic)] == [2, None, 1]
    set_boot_menu(element, True)
    assert element.find("os/bootmenu").get("enable") == "yes"  # type: ignore[union-attr]
    set_boot_menu(element, False)
    assert element.find("os/bootmenu") is None


def test_disk_extras_and_link_state() -> None:
    element = root()
    disk = element.find("devices/disk")
    assert disk is not None
    set_disk_extras(disk, discard="unmap", serial="SER-1")
    driver = disk.find("driver")
    assert driver is not None and driver.get("discard") == "unmap" and driver.get("io") == "native"
    assert disk.findtext("serial") == "SER-1"
    nic = element.find("devices/interface")
    assert nic is not None and link_up(nic)
    set_link_up(nic, False)
    assert nic.find("link").get("state") == "down"  # type: ignore[union-attr]
    set_link_up(nic, True)
    assert nic.find("link") is None


def test_firmware_auto_selection_both_ways() -> None:
    from kvmdesk.domxml.hardware import firmware, set_firmware

    element = root()
    assert firmware(element) == (False, False)
    set_firmware(element, True, True)
    assert firmware(element) == (True, True)
    os_node = element.find("os")
    assert os_node is not None and os_node.get("firmware") == "efi"
    assert element.find("features/smm").get("state") == "on"  # type: ignore[union-attr]
    assert os_node.find("type") is not None and os_node.findall("boot")  # the rest stays
    set_firmware(element, False, False)
    assert firmware(element) == (False, False)
    assert "firmware" not in os_node.attrib and os_node.find("firmware") is None
    pflash = ET.fromstring(
        "<domain><os><loader readonly='yes' secure='yes' type='pflash'>/x.fd</loader>"
        "<nvram>/n.fd</nvram></os></domain>"
    )
    assert firmware(pflash) == (True, True)
    set_firmware(pflash, True, False)
    assert pflash.find("os/loader") is None and pflash.find("os/nvram") is None
    assert firmware(pflash) == (True, False)
