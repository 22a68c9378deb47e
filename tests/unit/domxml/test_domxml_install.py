"""The domain the New VM wizard builds, per install type, against golden files,
and its second phase: the final definition after the install.

The golden files under tests/data/golden/ are compared after XML
canonicalisation (attribute order, quoting and indentation do not matter).
Regenerate them after a deliberate change with KVMDESK_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import libvirt
import pytest

from kvmdesk.domxml import Disk, Domain
from kvmdesk.domxml.guest_defaults import VIRTIO_LINUX, GuestTraits, HostTraits
from kvmdesk.domxml.install import (
    Firmware,
    InstallPlan,
    NetworkKind,
    SourceKind,
    StorageKind,
    after_install,
    build_domain,
    final_domain,
    random_mac,
)
from kvmdesk.domxml.install_marker import pending

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
DEBIAN = replace(
    VIRTIO_LINUX, short_id="debian12", name="Debian 12", osinfo_id="http://debian.org/debian/12"
)
WINXP = GuestTraits(
    short_id="winxp",
    name="Microsoft Windows XP",
    osinfo_id="http://microsoft.com/win/xp",
    family="winnt",
)
WIN11 = GuestTraits(
    short_id="win11",
    name="Microsoft Windows 11",
    osinfo_id="http://microsoft.com/win/11",
    family="winnt",
    usb3=True,
    q35=True,
    efi_required=True,
)
FULL_HOST = HostTraits(uefi=True, secure_boot=True, tpm_emulator=True)

PLANS = {
    "iso": InstallPlan(
        name="iso-vm",
        source=SourceKind.ISO,
        media="/var/lib/libvirt/images/debian-12.iso",
        guest=DEBIAN,
        memory_mib=2048,
        vcpus=2,
        **NEW_DISK,
        **NAT,
    ),
    "import": InstallPlan(
        name="import-vm",
        source=SourceKind.IMPORT,
        media="/var/lib/libvirt/images/existing.qcow2",
        media_format="qcow2",
        guest=DEBIAN,
        memory_mib=1024,
        vcpus=1,
        virt_type="qemu",
        host=HostTraits(cpu_maximum=True),
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
    ),
    "pxe": InstallPlan(
        name="pxe-vm",
        source=SourceKind.PXE,
        memory_mib=1024,
        vcpus=2,
        **NEW_DISK,
        **NAT,
    ),
    "manual": InstallPlan(
        name="manual-vm",
        source=SourceKind.MANUAL,
        guest=GuestTraits(),
        memory_mib=1024,
        vcpus=1,
        virt_type="qemu",
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
        firmware=Firmware.UEFI,
        host=FULL_HOST,
        **NEW_DISK,
        network=NetworkKind.DIRECT,
        network_source="eth0",
        mac=MAC,
    ),
    "nonvirtio": InstallPlan(
        name="winxp-vm",
        source=SourceKind.ISO,
        media="/srv/iso/winxp.iso",
        guest=WINXP,
        memory_mib=512,
        vcpus=1,
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
        network=NetworkKind.USER,
        mac=MAC,
    ),
    "windows11": InstallPlan(
        name="win11-vm",
        source=SourceKind.ISO,
        media="/srv/iso/win11.iso",
        guest=WIN11,
        host=FULL_HOST,
        memory_mib=4096,
        vcpus=2,
        **NEW_DISK,
        **NAT,
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


def _cdroms(dom: Domain) -> list[Disk]:
    return [d for d in dom.devices if isinstance(d, Disk) and d.device == "cdrom"]


def test_iso_boots_the_cdrom_first_then_after_the_install_the_disk() -> None:
    dom = build_domain(PLANS["iso"])
    assert dom.os.boot == ["cdrom", "hd"]
    assert dom.on_reboot == "destroy"  # a reboot stops it, so that it can be switched
    cdrom = _cdroms(dom)
    assert len(cdrom) == 1 and cdrom[0].target_bus == "sata" and cdrom[0].readonly
    final = final_domain(PLANS["iso"])
    assert final.os.boot == ["hd"]
    assert final.on_reboot == "restart"
    assert [(c.target_dev, c.source) for c in _cdroms(final)] == [("sda", "")]
    assert pending(final.to_xml()) is None


def test_the_user_may_keep_the_install_media_in_its_drive() -> None:
    kept = final_domain(replace(PLANS["iso"], keep_media=True))
    assert kept.os.boot == ["hd"]
    assert [c.source for c in _cdroms(kept)] == ["/var/lib/libvirt/images/debian-12.iso"]


def test_windows_keeps_its_media_unless_told_otherwise() -> None:
    final = final_domain(PLANS["windows11"])
    assert final.os.boot == ["hd"]
    assert [c.source for c in _cdroms(final)] == ["/srv/iso/win11.iso"]
    ejected = final_domain(replace(PLANS["windows11"], keep_media=False))
    assert [c.source for c in _cdroms(ejected)] == [""]


def test_pxe_boots_from_the_network_until_installed() -> None:
    assert build_domain(PLANS["pxe"]).os.boot == ["network", "hd"]
    assert final_domain(PLANS["pxe"]).os.boot == ["hd"]


def test_a_live_cd_without_disk_and_an_import_have_one_definition() -> None:
    live = InstallPlan(name="live", source=SourceKind.ISO, media="/iso/live.iso")
    for plan in (live, PLANS["import"], PLANS["manual"], PLANS["kernel"]):
        assert after_install(plan).empty
        assert build_domain(plan).on_reboot == "restart"
        assert pending(build_domain(plan).to_xml()) is None
        assert final_domain(plan).to_xml() == build_domain(plan).to_xml()


def test_direct_kernel_boot_sets_kernel_initrd_and_command_line() -> None:
    os_ = build_domain(PLANS["kernel"]).os
    assert (os_.kernel, os_.initrd, os_.cmdline) == (
        "/var/cache/vm/vmlinuz",
        "/var/cache/vm/initrd.img",
        "console=ttyS0 quiet",
    )
    assert os_.boot == []
    # Without a disk there is nothing to install to: the kernel stays.
    assert final_domain(PLANS["kernel"]).os.kernel == "/var/cache/vm/vmlinuz"


def test_a_kernel_that_starts_an_installer_gives_way_to_the_disk() -> None:
    plan = replace(PLANS["kernel"], media="/srv/iso/netinst.iso", **NEW_DISK)
    install = build_domain(plan)
    assert install.os.kernel and install.os.boot == []
    assert [c.source for c in _cdroms(install)] == ["/srv/iso/netinst.iso"]
    final = final_domain(plan)
    assert (final.os.kernel, final.os.initrd, final.os.cmdline) == ("", "", "")
    assert final.os.boot == ["hd"]
    assert [c.source for c in _cdroms(final)] == [""]
    permanent = final_domain(replace(plan, kernel_permanent=True))
    assert permanent.os.kernel == "/var/cache/vm/vmlinuz"
    assert after_install(replace(plan, kernel_permanent=True)).empty


def test_an_old_os_without_virtio_gets_i440fx_ide_e1000_and_no_rng() -> None:
    xml = build_domain(PLANS["nonvirtio"]).to_xml()
    root = ET.fromstring(xml)
    assert root.find("os/type").get("machine") == "pc"
    buses = {t.get("bus") for t in root.iter("target") if t.get("bus")}
    assert buses == {"ide"}
    assert root.find("devices/interface/model").get("type") == "e1000"
    assert root.find("devices/rng") is None
    assert root.find("devices/channel") is None
    assert root.find("devices/memballoon").get("model") == "none"
    assert root.find("clock").get("offset") == "localtime"


def test_a_modern_linux_gets_q35_virtio_and_the_rest() -> None:
    root = ET.fromstring(build_domain(PLANS["iso"]).to_xml())
    assert root.find("os/type").get("machine") == "q35"
    assert root.find("devices/disk[@device='disk']/target").get("bus") == "virtio"
    assert root.find("devices/disk[@device='disk']/driver").get("discard") == "unmap"
    assert root.find("devices/controller[@model='qemu-xhci']").get("ports") == "15"
    assert len(root.findall("devices/controller[@model='pcie-root-port']")) == 14
    assert root.find("devices/channel/target").get("name") == "org.qemu.guest_agent.0"
    assert {t.get("name") for t in root.findall("clock/timer")} == {"rtc", "pit", "hpet"}
    assert root.find("clock/timer[@name='hpet']").get("present") == "no"
    assert root.find("pm/suspend-to-mem").get("enabled") == "no"
    assert root.find("features/hyperv") is None
    os_id = root.find(
        "metadata/{http://libosinfo.org/xmlns/libvirt/domain/1.0}libosinfo/"
        "{http://libosinfo.org/xmlns/libvirt/domain/1.0}os"
    )
    assert os_id is not None and os_id.get("id") == "http://debian.org/debian/12"


def test_windows_11_gets_secure_boot_tpm_hyperv_and_local_time() -> None:
    root = ET.fromstring(build_domain(PLANS["windows11"]).to_xml())
    assert root.find("os").get("firmware") == "efi"
    names = {
        f.get("name") for f in root.findall("os/firmware/feature") if f.get("enabled") == "yes"
    }
    assert names == {"secure-boot", "enrolled-keys"}
    assert root.find("features/smm").get("state") == "on"
    assert [h.tag for h in root.find("features/hyperv")] == ["relaxed", "vapic", "spinlocks"]
    assert root.find("clock").get("offset") == "localtime"
    assert root.find("clock/timer[@name='hypervclock']").get("present") == "yes"
    tpm = root.find("devices/tpm")
    assert tpm.get("model") == "tpm-crb" and tpm.find("backend").get("version") == "2.0"
    assert root.find("devices/disk[@device='disk']/target").get("bus") == "sata"
    assert root.find("devices/interface/model").get("type") == "e1000e"


def test_windows_11_on_a_host_without_ovmf_or_swtpm_degrades_to_a_bootable_vm() -> None:
    plan = replace(PLANS["windows11"], host=HostTraits())
    root = ET.fromstring(build_domain(plan).to_xml())
    assert root.find("os").get("firmware") is None
    assert root.find("os/firmware") is None and root.find("features/smm") is None
    assert root.find("devices/tpm") is None


def test_the_virtio_drivers_cd_brings_virtio_devices_to_windows() -> None:
    plan = replace(PLANS["windows11"], virtio_win="/srv/iso/virtio-win-0.1.240.iso")
    dom = build_domain(plan)
    assert [c.source for c in _cdroms(dom)] == [
        "/srv/iso/win11.iso",
        "/srv/iso/virtio-win-0.1.240.iso",
    ]
    root = ET.fromstring(dom.to_xml())
    assert root.find("devices/disk[@device='disk']/target").get("bus") == "virtio"
    assert root.find("devices/interface/model").get("type") == "virtio"
    assert root.find("devices/memballoon").get("model") == "virtio"
    assert root.find("devices/channel") is not None


def test_uefi_asks_libvirt_for_efi_firmware() -> None:
    root = ET.fromstring(build_domain(PLANS["uefi"]).to_xml())
    assert root.find("os").get("firmware") == "efi"
    assert root.find("os/firmware") is None  # Secure Boot only where the OS needs it
    assert root.find("devices/tpm") is not None  # UEFI on a host with swtpm: TPM 2.0
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


@pytest.mark.parametrize("graphics", ["vnc", "spice", "none"])
def test_the_display_chosen_in_preferences(graphics: str) -> None:
    xml = build_domain(replace(PLANS["manual"], graphics=graphics)).to_xml()
    devices = ET.fromstring(xml).find("devices")
    assert devices is not None
    shown = [g.get("type") for g in devices.findall("graphics")]
    assert shown == ([] if graphics == "none" else [graphics])
    assert bool(devices.findall("video")) is (graphics != "none")
