"""The domain the New VM wizard builds, per install type, against golden files.

The golden files under tests/data/golden/ are compared after XML
canonicalisation (attribute order, quoting and indentation do not matter).
Regenerate them after a deliberate change with KVMDESK_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import libvirt
import pytest

from kvmdesk.domxml import Domain
from kvmdesk.domxml.install import (
    Firmware,
    InstallPlan,
    NetworkKind,
    SourceKind,
    StorageKind,
    build_domain,
    random_mac,
)

GOLDEN = Path(__file__).parents[2] / "data" / "golden"
MAC = "52:54:00:6b:3c:01"

NEW_DISK = {
    "storage": StorageKind.NEW,
    "pool": "default-pool",
    "volume": "vm.qcow2",
    "disk_bytes": 20 * 1024**3,
    "disk_format": "qcow2",
}
NAT = {"network": NetworkKind.NETWORK, "network_source": "default", "mac": MAC}

PLANS = {
    "iso": InstallPlan(
        name="iso-vm",
        source=SourceKind.ISO,
        media="/var/lib/libvirt/images/debian-12.iso",
        os_id="debian12",
        memory_mib=2048,
        vcpus=2,
        machine="pc",
        **NEW_DISK,
        **NAT,
    ),
    "import": InstallPlan(
        name="import-vm",
        source=SourceKind.IMPORT,
        media="/var/lib/libvirt/images/existing.qcow2",
        media_format="qcow2",
        memory_mib=1024,
        vcpus=1,
        virt_type="qemu",
        machine="pc",
        **NAT,
    ),
    "kernel": InstallPlan(
        name="kernel-vm",
        source=SourceKind.KERNEL,
        kernel="/var/cache/vm/vmlinuz",
        initrd="/var/cache/vm/initrd.img",
        cmdline="console=ttyS0 quiet",
        memory_mib=256,
        vcpus=1,
        virt_type="qemu",
        machine="pc",
    ),
    "pxe": InstallPlan(
        name="pxe-vm",
        source=SourceKind.PXE,
        memory_mib=1024,
        vcpus=2,
        machine="pc",
        **NEW_DISK,
        **NAT,
    ),
    "manual": InstallPlan(
        name="manual-vm",
        source=SourceKind.MANUAL,
        memory_mib=1024,
        vcpus=1,
        virt_type="qemu",
        machine="pc",
        storage=StorageKind.NEW,
        pool="default-pool",
        volume="manual.img",
        disk_bytes=8 * 1024**3,
        disk_format="raw",
        network=NetworkKind.BRIDGE,
        network_source="br0",
        mac=MAC,
    ),
    "uefi": InstallPlan(
        name="uefi-vm",
        source=SourceKind.ISO,
        media="/dev/sr0",
        memory_mib=4096,
        vcpus=4,
        machine="q35",
        firmware=Firmware.UEFI,
        **NEW_DISK,
        network=NetworkKind.DIRECT,
        network_source="eth0",
        mac=MAC,
    ),
    "nonvirtio": InstallPlan(
        name="winxp-vm",
        source=SourceKind.ISO,
        media="/srv/iso/winxp.iso",
        os_id="winxp",
        virtio_disk=False,
        virtio_net=False,
        memory_mib=512,
        vcpus=1,
        machine="pc",
        storage=StorageKind.EXISTING,
        disk_path="/srv/disks/winxp.img",
        disk_format="raw",
        **NAT,
    ),
    "session": InstallPlan(
        name="session-vm",
        source=SourceKind.ISO,
        session=True,
        media="/home/user/iso/alpine.iso",
        memory_mib=512,
        vcpus=1,
        virt_type="qemu",
        machine="pc",
        network=NetworkKind.USER,
        mac=MAC,
    ),
}


def canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True)


@pytest.mark.parametrize("kind", sorted(PLANS))
def test_domain_matches_golden_file(kind: str) -> None:
    xml = build_domain(PLANS[kind]).to_xml()
    golden = GOLDEN / f"install-{kind}.xml"
    if os.environ.get("KVMDESK_UPDATE_GOLDEN"):
        golden.write_text(xml, encoding="utf-8")
    assert canonical(xml) == canonical(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", sorted(PLANS))
def test_golden_file_defines_cleanly_on_the_test_driver(kind: str) -> None:
    conn = libvirt.open("test:///default")
    try:
        xml = (GOLDEN / f"install-{kind}.xml").read_text(encoding="utf-8")
        dom = conn.defineXMLFlags(xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
        try:
            stored = Domain.from_xml(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
            assert stored.name == PLANS[kind].name
            assert stored.memory == PLANS[kind].memory_mib * 1024
            kinds = [type(d).__name__ for d in stored.devices]
            assert "Serial" in kinds and "Console" in kinds and "Graphics" in kinds
        finally:
            dom.undefine()
    finally:
        conn.close()


def test_iso_boots_the_cdrom_first_then_the_disk() -> None:
    dom = build_domain(PLANS["iso"])
    assert dom.os.boot == ["cdrom", "hd"]
    cdrom = [d for d in dom.devices if getattr(d, "device", "") == "cdrom"]
    assert len(cdrom) == 1 and cdrom[0].target_bus == "sata" and cdrom[0].readonly


def test_pxe_boots_from_the_network() -> None:
    assert build_domain(PLANS["pxe"]).os.boot[0] == "network"


def test_direct_kernel_boot_sets_kernel_initrd_and_command_line() -> None:
    os_ = build_domain(PLANS["kernel"]).os
    assert (os_.kernel, os_.initrd, os_.cmdline) == (
        "/var/cache/vm/vmlinuz",
        "/var/cache/vm/initrd.img",
        "console=ttyS0 quiet",
    )
    assert os_.boot == []


def test_an_os_without_virtio_gets_sata_and_e1000_and_no_rng() -> None:
    xml = build_domain(PLANS["nonvirtio"]).to_xml()
    root = ET.fromstring(xml)
    buses = {t.get("bus") for t in root.iter("target") if t.get("bus")}
    assert buses == {"sata"}
    assert root.find("devices/interface/model").get("type") == "e1000"
    assert root.find("devices/rng") is None


def test_uefi_asks_libvirt_for_efi_firmware() -> None:
    root = ET.fromstring(build_domain(PLANS["uefi"]).to_xml())
    assert root.find("os").get("firmware") == "efi"
    assert ET.fromstring(build_domain(PLANS["iso"]).to_xml()).find("os").get("firmware") is None


def test_host_text_stays_data_never_markup() -> None:
    plan = InstallPlan(
        name="<&\"'>", source=SourceKind.KERNEL, kernel="/k/<x>&y", cmdline="a='b' & <c>"
    )
    stored = Domain.from_xml(build_domain(plan).to_xml())
    assert stored.name == "<&\"'>"
    assert stored.os.kernel == "/k/<x>&y"
    assert stored.os.cmdline == "a='b' & <c>"


def test_random_macs_are_in_qemus_range_and_differ() -> None:
    macs = {random_mac() for _ in range(20)}
    assert len(macs) > 1
    for mac in macs:
        assert mac.startswith("52:54:00:")
        assert len(mac.split(":")) == 6
