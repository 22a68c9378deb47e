"""Parse then build gives back every element, attribute and text libvirt wrote.

For every <domain> of the corpus (``tests/data/domxml_corpus``: libvirt's test
data, virt-manager's and virt-install's outputs, live ``virsh dumpxml`` of the
test guest) and of the other test data, ``Domain.from_xml(xml).to_xml()`` is
canonically equal to ``xml``. Then each loss found in the model before, on
the documents where it showed, including the edits that lost things.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from domxml_corpus import corpus

from kvmdesk.domxml import Disk, Domain, Graphics, Interface
from kvmdesk.domxml.canonical import canonical


@pytest.mark.parametrize(("name", "xml"), corpus(), ids=[name for name, _ in corpus()])
def test_corpus_round_trips_canonically(name: str, xml: str) -> None:
    assert canonical(Domain.from_xml(xml).to_xml()) == canonical(xml), name


def test_the_corpus_has_every_kind_of_source() -> None:
    folders = {name.split("/")[1] for name, _ in corpus() if name.startswith("domxml_corpus/")}
    assert {"libvirt", "virt-manager", "virt-install", "live"} <= folders
    assert len(corpus()) >= 300


def _domain(devices: str = "", before_devices: str = "", os: str = "") -> str:
    return (
        "<domain type='kvm'><name>g</name>"
        "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
        f"{before_devices}<memory unit='KiB'>1048576</memory><vcpu>1</vcpu>"
        f"<os><type arch='x86_64' machine='q35'>hvm</type>{os}</os>"
        f"<devices>{devices}</devices></domain>"
    )


def _round_trip(xml: str) -> str:
    return Domain.from_xml(xml).to_xml()


def _same(xml: str) -> None:
    assert canonical(_round_trip(xml)) == canonical(xml)


# A running guest's live XML: libvirt adds the bridge it plugged the
# interface into, and the port it made.
LIVE_NETWORK = (
    "<interface type='network'><mac address='52:54:00:12:34:56'/>"
    "<source network='default' portid='9d3c5b5e-7e1c-4f53-b2bb-6f3a3c1b9a0e' bridge='virbr0'/>"
    "<target dev='vnet0'/><model type='virtio'/><alias name='net0'/></interface>"
)


def test_network_interface_keeps_the_bridge_of_live_xml() -> None:
    xml = _domain(LIVE_NETWORK)
    _same(xml)
    domain = Domain.from_xml(xml)
    nic = domain.devices[0]
    assert isinstance(nic, Interface)
    assert nic.source == "default"
    nic.model = "e1000e"
    nic.source = "other"
    source = ET.fromstring(domain.to_xml()).find("devices/interface/source")
    assert source is not None
    assert source.attrib == {
        "network": "other",
        "portid": "9d3c5b5e-7e1c-4f53-b2bb-6f3a3c1b9a0e",
        "bridge": "virbr0",
    }


def test_passt_user_interface_keeps_its_host_device() -> None:
    xml = _domain(
        "<interface type='user'><mac address='52:54:00:12:34:57'/><source dev='eth42'/>"
        "<model type='virtio'/><backend type='passt' logFile='/var/log/passt.log'/></interface>"
    )
    _same(xml)
    domain = Domain.from_xml(xml)
    nic = domain.devices[0]
    assert isinstance(nic, Interface)
    nic.mac = "52:54:00:00:00:01"
    root = ET.fromstring(domain.to_xml())
    assert root.find("devices/interface/source").attrib == {"dev": "eth42"}  # type: ignore[union-attr]
    assert root.find("devices/interface/backend").get("type") == "passt"  # type: ignore[union-attr]


def test_empty_bridge_attribute_stays() -> None:
    _same(_domain("<interface type='bridge'><source bridge=''/><model type='virtio'/></interface>"))
    _same(_domain("<interface type='network'><source network='n' bridge=''/></interface>"))


def test_disk_without_type_keeps_its_file() -> None:
    xml = _domain(
        "<disk device='disk'><driver name='qemu' type='raw'/>"
        "<source file='/var/lib/libvirt/images/g.img'/><target dev='vda' bus='virtio'/></disk>"
    )
    _same(xml)
    domain = Domain.from_xml(xml)
    disk = domain.devices[0]
    assert isinstance(disk, Disk)
    assert (disk.type, disk.source) == ("", "/var/lib/libvirt/images/g.img")
    disk.target_bus = "sata"
    root = ET.fromstring(domain.to_xml())
    assert "type" not in root.find("devices/disk").attrib  # type: ignore[union-attr]
    assert root.find("devices/disk/source").attrib == {"file": "/var/lib/libvirt/images/g.img"}  # type: ignore[union-attr]
    disk.source = "/var/lib/libvirt/images/h.img"
    root = ET.fromstring(domain.to_xml())
    assert root.find("devices/disk/source").attrib == {"file": "/var/lib/libvirt/images/h.img"}  # type: ignore[union-attr]


def test_empty_elements_stay_where_they_were() -> None:
    nvram = "<loader readonly='yes' type='pflash'>/c.fd</loader><nvram/><boot dev='hd'/>"
    xml = _domain(before_devices="<description/><title></title>", os=nvram)
    _same(xml)
    built = ET.fromstring(_round_trip(xml))
    assert [c.tag for c in built.find("os")] == ["type", "loader", "nvram", "boot"]  # type: ignore[union-attr]
    assert built.find("description") is not None


def test_nvram_template_format_survives_parse_build_and_edits() -> None:
    nvram = (
        "<nvram template='/usr/share/OVMF/OVMF_VARS.fd' templateFormat='raw' format='raw'>"
        "/var/lib/libvirt/qemu/nvram/g_VARS.fd</nvram><boot dev='hd'/>"
    )
    xml = _domain(os=nvram)
    _same(xml)
    domain = Domain.from_xml(xml)
    domain.os.nvram = "/var/lib/libvirt/qemu/nvram/other_VARS.fd"
    domain.os.nvram_template = "/usr/share/OVMF/OVMF_VARS.ms.fd"
    node = ET.fromstring(domain.to_xml()).find("os/nvram")
    assert node is not None
    assert node.attrib == {
        "template": "/usr/share/OVMF/OVMF_VARS.ms.fd",
        "templateFormat": "raw",
        "format": "raw",
    }
    assert node.text == "/var/lib/libvirt/qemu/nvram/other_VARS.fd"
    domain.os.nvram = ""
    domain.os.nvram_template = ""
    node = ET.fromstring(domain.to_xml()).find("os/nvram")
    assert node is not None
    assert node.attrib == {"templateFormat": "raw", "format": "raw"}


@pytest.mark.parametrize(
    "graphics",
    [
        # The attribute and its <listen> child disagree (hand-edited XML).
        "<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'>"
        "<listen type='address' address='127.0.0.1'/></graphics>",
        # Two listen addresses (SPICE on IPv4 and IPv6).
        "<graphics type='spice' autoport='yes'><listen type='address' address='127.0.0.1'/>"
        "<listen type='address' address='::1'/></graphics>",
        # A network listen with the address libvirt resolved for it.
        "<graphics type='vnc' port='5900' autoport='yes' listen='192.168.122.1'>"
        "<listen type='network' address='192.168.122.1' network='default'/></graphics>",
    ],
)
def test_graphics_listen_addresses_are_not_rewritten(graphics: str) -> None:
    _same(_domain(graphics))


def test_changing_the_listen_address_changes_the_first_address_only() -> None:
    domain = Domain.from_xml(
        _domain(
            "<graphics type='spice' autoport='yes'><listen type='address' address='127.0.0.1'/>"
            "<listen type='address' address='::1'/></graphics>"
        )
    )
    graphics = domain.devices[0]
    assert isinstance(graphics, Graphics)
    graphics.listen = "0.0.0.0"
    listens = ET.fromstring(domain.to_xml()).findall("devices/graphics/listen")
    assert [n.get("address") for n in listens] == ["0.0.0.0", "::1"]
    assert "listen" not in ET.fromstring(domain.to_xml()).find("devices/graphics").attrib  # type: ignore[union-attr]


def test_whitespace_in_text_is_kept() -> None:
    text = "<title> spaced </title><description>\n  two\n  lines\n</description>"
    _same(_domain(before_devices=text))
    _same(_domain(os="<cmdline>  console=ttyS0  </cmdline>"))


def test_units_and_unknown_children_of_known_elements_stay() -> None:
    xml = _domain(
        "<disk type='file' device='cdrom'><driver name='qemu'/><source/>"
        "<target dev='sda' bus='sata'/><readonly/></disk><controller type='usb' index='00'/>"
        "<video><model type='virtio' heads='1' primary='yes'>"
        "<acceleration accel3d='no'/></model></video>"
        "<tpm model='tpm-crb'><backend type='emulator' version='2.0'>"
        "<profile name='x'/></backend></tpm>",
        before_devices="<memoryBacking><hugepages/></memoryBacking>",
    ).replace("<memory unit='KiB'>1048576</memory>", "<memory unit='GiB'>1</memory><cpu/>")
    _same(xml)
