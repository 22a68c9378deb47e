"""parse_domain: realistic definitions, every disk and interface kind, units,
and property tests that odd names and paths survive the trip through XML."""

from __future__ import annotations

import uuid as uuidlib
import xml.etree.ElementTree as ET
from pathlib import Path

import libvirt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvmdesk.domxml.domain import Disk, DomainConfig, Interface, parse_domain

DATA = Path(__file__).resolve().parents[2] / "data"

REALISTIC = """<domain type='kvm' id='7'>
  <name>web-01</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <title>Web server</title>
  <description>
    Front end, second rack
  </description>
  <memory unit='KiB'>4194304</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static' current='2'>8</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-8.2'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>
    <nvram>/var/lib/libvirt/qemu/nvram/web-01_VARS.fd</nvram>
    <boot dev='hd'/>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='/var/lib/libvirt/images/web-01.qcow2' index='3'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
    </disk>
    <disk type='block' device='disk'>
      <driver name='qemu' type='raw' cache='none' io='native'/>
      <source dev='/dev/vg0/shared-data'/>
      <target dev='vdb' bus='virtio'/>
      <shareable/>
    </disk>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source pool='fast' volume='web-01-logs.qcow2'/>
      <target dev='vdc' bus='virtio'/>
    </disk>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw'/>
      <source protocol='rbd' name='rbd-pool/web-01-data'>
        <host name='ceph-mon1.example.org' port='6789'/>
      </source>
      <target dev='vdd' bus='virtio'/>
    </disk>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw'/>
      <source protocol='nbd'>
        <host name='nbd.example.org' port='10809'/>
      </source>
      <target dev='vde' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/golden.raw'/>
      <target dev='vdf' bus='virtio'/>
      <readonly/>
    </disk>
    <disk type='dir' device='disk'>
      <driver name='qemu' type='fat'/>
      <source dir='/srv/share'/>
      <target dev='hdb' bus='sata'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='block' device='lun'>
      <source dev='/dev/sdz'/>
      <target dev='sdb' bus='scsi'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:01'/>
      <source network='default' portid='8e4c0c8b-0000-4000-8000-000000000001' bridge='virbr0'/>
      <model type='virtio'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:aa:bb:02'/>
      <source bridge='br-lan'/>
      <model type='e1000e'/>
    </interface>
    <interface type='direct'>
      <mac address='52:54:00:aa:bb:03'/>
      <source dev='enp3s0' mode='bridge'/>
      <model type='virtio'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:aa:bb:04'/>
      <model type='rtl8139'/>
    </interface>
    <interface type='udp'>
      <mac address='52:54:00:aa:bb:05'/>
      <source address='192.0.2.1' port='5555'/>
    </interface>
  </devices>
</domain>
"""


@pytest.fixture(scope="module")
def web() -> DomainConfig:
    return parse_domain(REALISTIC)


def test_top_level_fields(web: DomainConfig) -> None:
    assert web.name == "web-01"
    assert web.uuid == "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"
    assert web.domain_type == "kvm"
    assert web.os_type == "hvm"
    assert web.arch == "x86_64"
    assert web.machine == "pc-q35-8.2"
    assert web.title == "Web server"
    assert web.description == "Front end, second rack"
    assert web.has_nvram is True


def test_vcpu_current_attribute_wins(web: DomainConfig) -> None:
    assert web.vcpus == 2


def test_current_memory_wins_over_memory(web: DomainConfig) -> None:
    assert web.memory_kib == 2097152


def test_disk_order_follows_the_definition(web: DomainConfig) -> None:
    assert [d.target for d in web.disks] == [
        "vda",
        "vdb",
        "vdc",
        "vdd",
        "vde",
        "vdf",
        "hdb",
        "sda",
        "sdb",
    ]


def test_file_disk(web: DomainConfig) -> None:
    assert web.disks[0] == Disk(
        device="disk",
        target="vda",
        source="/var/lib/libvirt/images/web-01.qcow2",
        source_kind="file",
        driver_format="qcow2",
        readonly=False,
        shareable=False,
    )


def test_block_disk_shareable(web: DomainConfig) -> None:
    disk = web.disks[1]
    assert disk.source_kind == "block"
    assert disk.source == "/dev/vg0/shared-data"
    assert disk.driver_format == "raw"
    assert disk.shareable is True
    assert disk.readonly is False


def test_volume_disk(web: DomainConfig) -> None:
    disk = web.disks[2]
    assert disk.source_kind == "volume"
    assert disk.pool == "fast"
    assert disk.volume == "web-01-logs.qcow2"
    assert disk.source == "fast/web-01-logs.qcow2"


def test_network_disk_uses_name_then_protocol(web: DomainConfig) -> None:
    rbd, nbd = web.disks[3], web.disks[4]
    assert (rbd.source_kind, rbd.source) == ("network", "rbd-pool/web-01-data")
    assert (nbd.source_kind, nbd.source) == ("network", "nbd")
    assert rbd.pool == rbd.volume == ""


def test_readonly_file_disk(web: DomainConfig) -> None:
    disk = web.disks[5]
    assert disk.readonly is True
    assert disk.shareable is False
    assert disk.source == "/var/lib/libvirt/images/golden.raw"


def test_dir_disk(web: DomainConfig) -> None:
    disk = web.disks[6]
    assert (disk.source_kind, disk.source, disk.driver_format) == ("dir", "/srv/share", "fat")


def test_empty_cdrom(web: DomainConfig) -> None:
    cdrom = web.disks[7]
    assert cdrom.device == "cdrom"
    assert cdrom.source == ""
    assert cdrom.source_kind == "file"
    assert cdrom.readonly is True


def test_lun_device(web: DomainConfig) -> None:
    assert (web.disks[8].device, web.disks[8].source) == ("lun", "/dev/sdz")


def test_interfaces(web: DomainConfig) -> None:
    assert web.interfaces == (
        Interface(kind="network", mac="52:54:00:aa:bb:01", source="default", model="virtio"),
        Interface(kind="bridge", mac="52:54:00:aa:bb:02", source="br-lan", model="e1000e"),
        Interface(kind="direct", mac="52:54:00:aa:bb:03", source="enp3s0", model="virtio"),
        Interface(kind="user", mac="52:54:00:aa:bb:04", source="", model="rtl8139"),
        Interface(kind="udp", mac="52:54:00:aa:bb:05", source="192.0.2.1", model=""),
    )


def test_minimal_definition_has_defaults() -> None:
    cfg = parse_domain("<domain type='qemu'><name>bare</name></domain>")
    assert cfg == DomainConfig(
        name="bare",
        uuid="",
        domain_type="qemu",
        os_type="",
        arch="",
        machine="",
        vcpus=0,
        memory_kib=0,
        title="",
        description="",
        disks=(),
        interfaces=(),
        has_nvram=False,
    )


def test_disk_without_type_target_or_driver() -> None:
    cfg = parse_domain("<domain><devices><disk/></devices></domain>")
    assert cfg.disks == (
        Disk(
            device="disk",
            target="",
            source="",
            source_kind="",
            driver_format="",
            readonly=False,
            shareable=False,
        ),
    )


def test_vcpu_without_current_uses_text() -> None:
    assert parse_domain("<domain><vcpu placement='static'> 6 </vcpu></domain>").vcpus == 6


def test_unparsable_numbers_become_zero() -> None:
    cfg = parse_domain("<domain><vcpu>many</vcpu><memory>lots</memory></domain>")
    assert (cfg.vcpus, cfg.memory_kib) == (0, 0)


def test_memory_used_when_current_memory_absent() -> None:
    assert parse_domain("<domain><memory unit='KiB'>524288</memory></domain>").memory_kib == 524288


def test_nvram_absent() -> None:
    assert parse_domain("<domain><os><type>hvm</type></os></domain>").has_nvram is False


def test_nvram_template_only_counts() -> None:
    xml = "<domain><os><nvram template='/usr/share/OVMF/OVMF_VARS.fd'/></os></domain>"
    assert parse_domain(xml).has_nvram is True


# Units libvirt accepts for <memory> (formatdomain.html, "Memory Allocation").
MEMORY_UNITS = [
    (None, 2048, 2048),
    ("b", 1048576, 1024),
    ("bytes", 1073741824, 1048576),
    ("KB", 1024, 1000),
    ("k", 512, 512),
    ("KiB", 512, 512),
    ("MB", 1024, 1000000),
    ("M", 2, 2048),
    ("MiB", 2, 2048),
    ("GB", 1, 976562),
    ("G", 3, 3 * 1024**2),
    ("GiB", 3, 3 * 1024**2),
    ("T", 1, 1024**3),
    ("TiB", 1, 1024**3),
]


def _memory(unit: str | None, value: int) -> int:
    attr = f" unit='{unit}'" if unit else ""
    return parse_domain(f"<domain><currentMemory{attr}>{value}</currentMemory></domain>").memory_kib


@pytest.mark.parametrize(
    ("unit", "value", "kib"), MEMORY_UNITS, ids=[str(u[0]) for u in MEMORY_UNITS]
)
def test_memory_units(unit: str | None, value: int, kib: int) -> None:
    assert _memory(unit, value) == kib


def test_memory_units_from_terabytes_up() -> None:
    """The rest of libvirt's unit list; an unknown unit must not be read as KiB."""
    expected = {
        "TB": 976562500,
        "P": 1024**4,
        "PiB": 1024**4,
        "PB": 976562500000,
        "E": 1024**5,
        "EiB": 1024**5,
        "EB": 976562500000000,
    }
    assert {unit: _memory(unit, 1) for unit in expected} == expected


def test_unit_is_case_insensitive() -> None:
    assert parse_domain("<domain><memory unit='gib'>1</memory></domain>").memory_kib == 1024**2


def test_every_domain_of_the_fixture_files_parses() -> None:
    """Definitions as libvirt itself writes them (test driver)."""
    for name in ("two-domains.xml", "lifecycle.xml", "delete.xml", "names.xml"):
        conn = libvirt.open(f"test://{DATA / name}")
        try:
            for dom in conn.listAllDomains(0):
                cfg = parse_domain(dom.XMLDesc(0))
                assert cfg.uuid == dom.UUIDString()
                assert cfg.vcpus == dom.info()[3]
                assert cfg.memory_kib == dom.info()[2]
        finally:
            conn.close()


def test_names_as_libvirt_reports_them() -> None:
    """parse_domain must give back the name libvirt has, byte for byte; names.xml
    holds a domain whose name ends with a space."""
    conn = libvirt.open(f"test://{DATA / 'names.xml'}")
    try:
        mismatches = {
            dom.name(): parse_domain(dom.XMLDesc(0)).name
            for dom in conn.listAllDomains(0)
            if parse_domain(dom.XMLDesc(0)).name != dom.name()
        }
    finally:
        conn.close()
    assert mismatches == {}


# -- property tests -----------------------------------------------------------

# Characters XML 1.0 can carry verbatim: no control characters (a parser
# normalises CR/LF/TAB), no surrogates, no non-characters such as U+FFFE.
_xml_char = st.characters(
    blacklist_categories=("Cc", "Cs", "Cn"),
    whitelist_characters=" ",
)
_special = st.sampled_from([*"<&\"'> /\\", "é", "ß", "ж", "测", "ع", "🚀", "\u202e"])
_piece = st.one_of(_xml_char, _special)
# A name libvirt and parse_domain agree on: no leading or trailing blanks.
names = (
    st.text(_piece, min_size=1, max_size=40)
    .map(lambda s: s.strip())
    .filter(lambda s: s != "" and s == s.strip())
)
paths = st.lists(st.text(_piece, min_size=1, max_size=20), min_size=1, max_size=5).map(
    lambda parts: "/" + "/".join(parts)
)
free_text = st.text(_piece, max_size=60).map(str.strip)


def _domain_xml(
    name: str,
    uuid: str,
    title: str,
    description: str,
    disk_paths: list[str],
    pool: str,
    volume: str,
    bridge: str,
    vcpus: int,
    memory: int,
) -> str:
    root = ET.Element("domain", type="kvm")
    ET.SubElement(root, "name").text = name
    ET.SubElement(root, "uuid").text = uuid
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "description").text = description
    ET.SubElement(root, "memory", unit="KiB").text = str(memory)
    ET.SubElement(root, "vcpu", placement="static").text = str(vcpus)
    os_ = ET.SubElement(root, "os")
    ET.SubElement(os_, "type", arch="x86_64", machine="pc").text = "hvm"
    devices = ET.SubElement(root, "devices")
    for i, path in enumerate(disk_paths):
        disk = ET.SubElement(devices, "disk", type="file", device="disk")
        ET.SubElement(disk, "driver", name="qemu", type="qcow2")
        ET.SubElement(disk, "source", file=path)
        ET.SubElement(disk, "target", dev=f"vd{chr(ord('a') + i)}", bus="virtio")
    vol = ET.SubElement(devices, "disk", type="volume", device="disk")
    ET.SubElement(vol, "source", pool=pool, volume=volume)
    ET.SubElement(vol, "target", dev="sda", bus="sata")
    nic = ET.SubElement(devices, "interface", type="bridge")
    ET.SubElement(nic, "source", bridge=bridge)
    return ET.tostring(root, encoding="unicode")


@settings(max_examples=200, deadline=None)
@given(
    name=names,
    uuid=st.uuids().map(str),
    title=free_text,
    description=free_text,
    disk_paths=st.lists(paths, min_size=1, max_size=4),
    pool=names,
    volume=names,
    bridge=names,
    vcpus=st.integers(min_value=1, max_value=4096),
    memory=st.integers(min_value=0, max_value=2**52),
)
def test_round_trip_through_elementtree(
    name: str,
    uuid: str,
    title: str,
    description: str,
    disk_paths: list[str],
    pool: str,
    volume: str,
    bridge: str,
    vcpus: int,
    memory: int,
) -> None:
    xml = _domain_xml(
        name, uuid, title, description, disk_paths, pool, volume, bridge, vcpus, memory
    )
    cfg = parse_domain(xml)
    assert cfg.name == name
    assert cfg.uuid == uuid
    assert cfg.title == title
    assert cfg.description == description
    assert cfg.vcpus == vcpus
    assert cfg.memory_kib == memory
    assert [d.source for d in cfg.disks[:-1]] == disk_paths
    assert all(d.source_kind == "file" for d in cfg.disks[:-1])
    last = cfg.disks[-1]
    assert (last.pool, last.volume, last.source) == (pool, volume, f"{pool}/{volume}")
    assert cfg.interfaces[0].source == bridge


@settings(max_examples=100, deadline=None)
@given(path=st.text(_piece, min_size=1, max_size=40))
def test_attribute_values_are_never_trimmed(path: str) -> None:
    """Paths live in attributes: leading/trailing blanks are part of them."""
    root = ET.Element("domain")
    disk = ET.SubElement(ET.SubElement(root, "devices"), "disk", type="block")
    ET.SubElement(disk, "source", dev=path)
    cfg = parse_domain(ET.tostring(root, encoding="unicode"))
    assert cfg.disks[0].source == path


def test_example_with_every_special_character() -> None:
    name = "lab <&\"'> test ✓ 测试 خادم"
    path = "/srv/images/<&\"'> dir/disk image.qcow2"
    xml = _domain_xml(
        name, str(uuidlib.uuid4()), name, name, [path], "p<&>", "v'\"", "br &", 1, 1024
    )
    cfg = parse_domain(xml)
    assert cfg.name == cfg.title == cfg.description == name
    assert cfg.disks[0].source == path
    assert cfg.disks[1].source == "p<&>/v'\""
    assert cfg.interfaces[0].source == "br &"
