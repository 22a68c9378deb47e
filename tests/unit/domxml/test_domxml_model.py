"""The typed domain model: build each device, parse each, keep what it does not model."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import libvirt
import pytest

from kvmdesk.domxml import (
    Channel,
    Console,
    Controller,
    Disk,
    Domain,
    Graphics,
    Input,
    Interface,
    InvalidXml,
    Os,
    ProblemKind,
    Rng,
    Serial,
    Tpm,
    UnknownDevice,
    Video,
    XmlValueError,
)
from kvmdesk.domxml.domain import parse_domain
from kvmdesk.virt.errors import silence_stderr_printing

DATA = Path(__file__).parents[2] / "data"
DEMO = Path(__file__).parents[3] / "resources" / "demo"


def canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True, rewrite_prefixes=True)


def device_xml(device: object) -> str:
    return ET.tostring(device.to_element(), encoding="unicode")  # type: ignore[attr-defined]


# -- building each device ---------------------------------------------------------


@pytest.mark.parametrize(
    ("device", "expected"),
    [
        (
            Disk(
                source="/var/lib/libvirt/images/a.qcow2",
                driver_type="qcow2",
                target_dev="vda",
                target_bus="virtio",
                boot_order=1,
            ),
            "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            "<source file='/var/lib/libvirt/images/a.qcow2'/>"
            "<target dev='vda' bus='virtio'/><boot order='1'/></disk>",
        ),
        (
            Disk(device="cdrom", target_dev="sda", target_bus="sata", readonly=True),
            "<disk type='file' device='cdrom'><driver name='qemu'/>"
            "<target dev='sda' bus='sata'/><readonly/></disk>",
        ),
        (
            Disk(
                type="block",
                source="/dev/sdb",
                driver_type="raw",
                driver_cache="none",
                target_dev="vdb",
                shareable=True,
            ),
            "<disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/>"
            "<source dev='/dev/sdb'/><target dev='vdb'/><shareable/></disk>",
        ),
        (
            Disk(type="volume", pool="default", volume="b.qcow2", target_dev="vdc"),
            "<disk type='volume' device='disk'><driver name='qemu'/>"
            "<source pool='default' volume='b.qcow2'/><target dev='vdc'/></disk>",
        ),
        (
            Disk(type="network", protocol="nbd", source="export", target_dev="vdd"),
            "<disk type='network' device='disk'><driver name='qemu'/>"
            "<source name='export' protocol='nbd'/><target dev='vdd'/></disk>",
        ),
        (
            Interface(type="network", source="default", mac="52:54:00:12:34:56"),
            "<interface type='network'><mac address='52:54:00:12:34:56'/>"
            "<source network='default'/><model type='virtio'/></interface>",
        ),
        (
            Interface(type="bridge", source="br0", model="e1000e"),
            "<interface type='bridge'><source bridge='br0'/><model type='e1000e'/></interface>",
        ),
        (
            Interface(type="direct", source="eth0", source_mode="bridge"),
            "<interface type='direct'><source dev='eth0' mode='bridge'/>"
            "<model type='virtio'/></interface>",
        ),
        (
            Interface(type="user"),
            "<interface type='user'><model type='virtio'/></interface>",
        ),
        (Graphics(), "<graphics type='vnc' autoport='yes'/>"),
        (
            Graphics(type="spice", autoport=False, port=5901, listen="127.0.0.1"),
            "<graphics type='spice' port='5901' autoport='no' listen='127.0.0.1'/>",
        ),
        (
            Video(model="qxl", vram=65536, heads=1),
            "<video><model type='qxl' vram='65536' heads='1'/></video>",
        ),
        (Serial(), "<serial type='pty'><target port='0'/></serial>"),
        (
            Serial(type="file", source_path="/var/log/s.log", target_type="isa-serial"),
            "<serial type='file'><source path='/var/log/s.log'/>"
            "<target type='isa-serial' port='0'/></serial>",
        ),
        (Console(), "<console type='pty'><target type='serial' port='0'/></console>"),
        (
            Console(target_type="virtio", target_port=None),
            "<console type='pty'><target type='virtio'/></console>",
        ),
        (
            Controller(type="usb", model="qemu-xhci", index=0),
            "<controller type='usb' index='0' model='qemu-xhci'/>",
        ),
        (Input(), "<input type='tablet' bus='usb'/>"),
        (Input(type="keyboard", bus="ps2"), "<input type='keyboard' bus='ps2'/>"),
        (
            Channel(),
            "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>",
        ),
        (
            Channel(type="spicevmc", target_name="com.redhat.spice.0"),
            "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>",
        ),
        (
            Rng(),
            "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
        ),
        (
            Tpm(),
            "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>",
        ),
        (
            Tpm(
                model="tpm-tis",
                backend_type="passthrough",
                backend_version="",
                device_path="/dev/tpm0",
            ),
            "<tpm model='tpm-tis'><backend type='passthrough'><device path='/dev/tpm0'/>"
            "</backend></tpm>",
        ),
    ],
)
def test_build_and_parse_each_device(device: object, expected: str) -> None:
    built = device_xml(device)
    assert canonical(built) == canonical(expected)
    parsed = type(device).from_element(ET.fromstring(built))  # type: ignore[attr-defined]
    assert parsed == device


def test_new_domain_document() -> None:
    domain = Domain(
        name="web",
        type="kvm",
        uuid="c7a5fdbd-cdaf-9455-926a-d65c16db1809",
        title="Web server",
        description="front end",
        memory=2097152,
        current_memory=1048576,
        vcpus=2,
        os=Os(arch="x86_64", machine="q35", firmware="efi", boot=["cdrom", "hd"]),
        features=["acpi", "apic"],
        cpu_mode="host-passthrough",
        clock_offset="utc",
        on_poweroff="destroy",
        on_reboot="restart",
        on_crash="destroy",
        devices=[Disk(source="/i/web.qcow2", target_dev="vda"), Interface(source="default")],
    )
    root = ET.fromstring(domain.to_xml())
    assert root.get("type") == "kvm"
    assert [c.tag for c in root] == [
        "name", "uuid", "title", "description", "memory", "currentMemory", "vcpu", "os",
        "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "devices",
    ]  # fmt: skip
    assert root.findtext("memory") == "2097152"
    assert root.find("memory").get("unit") == "KiB"  # type: ignore[union-attr]
    assert root.find("os").get("firmware") == "efi"  # type: ignore[union-attr]
    assert [b.get("dev") for b in root.findall("os/boot")] == ["cdrom", "hd"]
    assert root.find("cpu").get("mode") == "host-passthrough"  # type: ignore[union-attr]
    assert Domain.from_xml(domain.to_xml()) == domain
    # The read-only summary reads what the model writes.
    summary = parse_domain(domain.to_xml())
    assert (summary.name, summary.vcpus, summary.memory_kib) == ("web", 2, 1048576)
    assert summary.disks[0].source == "/i/web.qcow2"


def test_direct_kernel_boot_and_loader() -> None:
    os = Os(
        arch="x86_64",
        kernel="/boot/vmlinuz",
        initrd="/boot/initrd.img",
        cmdline="console=ttyS0 root=/dev/vda quiet",
        loader="/usr/share/OVMF/OVMF_CODE.fd",
        loader_readonly=True,
        loader_type="pflash",
        nvram="/var/lib/libvirt/qemu/nvram/x_VARS.fd",
        nvram_template="/usr/share/OVMF/OVMF_VARS.fd",
    )
    xml = Domain(name="k", memory=1024, os=os).to_xml()
    root = ET.fromstring(xml)
    assert root.findtext("os/cmdline") == "console=ttyS0 root=/dev/vda quiet"
    assert root.find("os/loader").attrib == {"readonly": "yes", "type": "pflash"}  # type: ignore[union-attr]
    assert Domain.from_xml(xml).os == os


# -- parse -> build keeps what is not modelled ---------------------------------------

UNKNOWN = """<domain type='kvm' id='3' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>keeper</name>
  <metadata>
    <app:info xmlns:app='http://example.org/app'><app:owner>ops</app:owner></app:info>
  </metadata>
  <memory unit='MiB'>512</memory>
  <vcpu placement='static' current='1'>2</vcpu>
  <numatune><memory mode='strict' nodeset='0'/></numatune>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <bootmenu enable='yes' timeout='3000'/>
  </os>
  <features><acpi/><hyperv mode='custom'><relaxed state='on'/></hyperv></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk' model='virtio-transitional'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='/i/k.qcow2' startupPolicy='optional'>
        <seclabel model='dac' relabel='no'/>
      </source>
      <target dev='vda' bus='virtio'/>
      <iotune><total_bytes_sec>1000000</total_bytes_sec></iotune>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:cc'/>
      <source network='default' portid='1234'/>
      <model type='virtio'/>
      <bandwidth><inbound average='1000'/></bandwidth>
    </interface>
    <graphics type='spice' autoport='yes' passwdValidTo='2030-01-01T00:00:00'>
      <listen type='address' address='127.0.0.1'/>
      <image compression='off'/>
    </graphics>
    <memballoon model='virtio'><stats period='10'/></memballoon>
  </devices>
  <qemu:commandline><qemu:arg value='-no-hpet'/></qemu:commandline>
</domain>
"""


def test_unknown_elements_and_attributes_are_kept() -> None:
    domain = Domain.from_xml(UNKNOWN)
    assert canonical(domain.to_xml()) == canonical(UNKNOWN)
    assert domain.memory == 512 * 1024
    assert domain.features == ["acpi", "hyperv"]
    assert [type(d).__name__ for d in domain.devices] == [
        "UnknownDevice", "Disk", "Interface", "Graphics", "UnknownDevice",
    ]  # fmt: skip
    # Change what the model owns; everything else stays.
    domain.title = "Kept <all>"
    domain.memory = 1048576
    disk = domain.devices[1]
    assert isinstance(disk, Disk)
    disk.source = "/i/other.qcow2"
    graphics = domain.devices[3]
    assert isinstance(graphics, Graphics)
    graphics.listen = "0.0.0.0"
    domain.features.remove("acpi")
    root = ET.fromstring(domain.to_xml())
    assert root.findtext("title") == "Kept <all>"
    assert root.findtext("memory") == "1048576"
    assert root.find("numatune/memory").get("nodeset") == "0"  # type: ignore[union-attr]
    assert root.find("vcpu").get("current") == "1"  # type: ignore[union-attr]
    assert root.find("os/bootmenu") is not None
    assert root.find("features/acpi") is None
    assert root.find("features/hyperv/relaxed") is not None
    source = root.find("devices/disk/source")
    assert source is not None
    assert source.attrib == {"file": "/i/other.qcow2", "startupPolicy": "optional"}
    assert source.find("seclabel") is not None
    assert root.find("devices/disk").get("model") == "virtio-transitional"  # type: ignore[union-attr]
    assert root.find("devices/disk/driver").get("discard") == "unmap"  # type: ignore[union-attr]
    assert root.find("devices/disk/iotune") is not None
    assert root.find("devices/disk/address") is not None
    assert root.find("devices/interface/bandwidth") is not None
    assert root.find("devices/interface/source").get("portid") == "1234"  # type: ignore[union-attr]
    assert "listen" not in root.find("devices/graphics").attrib  # type: ignore[union-attr]
    assert root.find("devices/graphics/listen").get("address") == "0.0.0.0"  # type: ignore[union-attr]
    assert root.find("devices/memballoon/stats") is not None
    assert root.find("{http://libvirt.org/schemas/domain/qemu/1.0}commandline") is not None
    assert root.find("metadata/{http://example.org/app}info") is not None


def test_devices_can_be_added_and_removed() -> None:
    domain = Domain.from_xml(UNKNOWN)
    domain.devices = [d for d in domain.devices if not isinstance(d, Interface)]
    domain.devices.append(Rng())
    root = ET.fromstring(domain.to_xml())
    assert root.find("devices/interface") is None
    assert root.findtext("devices/rng/backend") == "/dev/urandom"
    assert root.find("devices/memballoon") is not None


def test_unknown_device_kept_verbatim() -> None:
    xml = "<sound model='ich9'><codec type='micro'/><alias name='sound0'/></sound>"
    device = UnknownDevice.from_element(ET.fromstring(xml))
    assert device.tag == "sound"
    assert canonical(device_xml(device)) == canonical(xml)


def _fixture_domains() -> list[tuple[str, str]]:
    found = []
    for path in sorted([*DATA.glob("*.xml"), *DEMO.glob("**/*.xml")]):
        root = ET.parse(path).getroot()
        for i, element in enumerate(root.iter("domain")):
            found.append((f"{path.name}#{i}", ET.tostring(element, encoding="unicode")))
    return found


@pytest.mark.parametrize(("name", "xml"), _fixture_domains())
def test_fixture_domains_round_trip(name: str, xml: str) -> None:
    assert canonical(Domain.from_xml(xml).to_xml()) == canonical(xml), name


def test_libvirt_xml_round_trips() -> None:
    silence_stderr_printing()
    conn = libvirt.open("test:///default")
    try:
        for dom in conn.listAllDomains():
            for flags in (0, libvirt.VIR_DOMAIN_XML_INACTIVE):
                xml = dom.XMLDesc(flags)
                assert canonical(Domain.from_xml(xml).to_xml()) == canonical(xml)
    finally:
        conn.close()


# -- bad input ------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<domain type='kvm'><name>&lol3;</name></domain>
"""


def test_declarations_are_refused_before_parsing() -> None:
    with pytest.raises(InvalidXml) as info:
        Domain.from_xml(BILLION_LAUGHS)
    assert info.value.problem.kind is ProblemKind.DECLARATION
    assert (info.value.problem.line, info.value.problem.column) == (2, 1)
    external = "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"
    with pytest.raises(InvalidXml):
        Domain.from_xml(external)


def test_malformed_and_foreign_documents() -> None:
    with pytest.raises(InvalidXml) as info:
        Domain.from_xml("<domain>\n  <name>x</nam>\n</domain>")
    problem = info.value.problem
    assert problem.kind is ProblemKind.MALFORMED
    assert (problem.line, problem.column) == (2, 12)
    assert "mismatched tag" in problem.detail
    with pytest.raises(InvalidXml) as info:
        Domain.from_xml("<network><name>x</name></network>")
    assert info.value.problem.kind is ProblemKind.NOT_DOMAIN


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\ufffe", "\ud800"])
def test_characters_xml_forbids_are_refused_on_build(bad: str) -> None:
    with pytest.raises(XmlValueError, match=r"U\+[0-9A-F]{4}.*XML 1.0"):
        Domain(name=f"a{bad}b", memory=1024).to_xml()
    with pytest.raises(XmlValueError):
        Domain(name="ok", memory=1024, devices=[Disk(source=f"/i/{bad}.img")]).to_xml()


def test_carriage_returns_become_line_feeds_in_text() -> None:
    built = Domain(name="n", description="one\r\ntwo\rthree").to_xml()
    assert Domain.from_xml(built).description == "one\ntwo\nthree"
