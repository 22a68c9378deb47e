"""Libvirt XML as typed Python objects (stdlib only, no Qt).

Build a new definition::

    from kvmdesk.domxml import Disk, Domain, Graphics, Interface, Os

    domain = Domain(
        name="web 1",
        type="kvm",
        memory=2 * 1024 * 1024,  # KiB
        vcpus=2,
        os=Os(arch="x86_64", machine="q35", boot=["hd", "cdrom"]),
        features=["acpi", "apic"],
        devices=[
            Disk(source="/var/lib/libvirt/images/web1.qcow2", driver_type="qcow2",
                 target_dev="vda", target_bus="virtio"),
            Disk(device="cdrom", source="/iso/debian.iso", target_dev="sda",
                 target_bus="sata", readonly=True),
            Interface(type="network", source="default"),
            Graphics(type="spice"),
        ],
    )
    xml = domain.to_xml()

Edit an existing one, keeping what kvmdesk does not model::

    domain = Domain.from_xml(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    domain.title = "Web server"
    conn.defineXML(domain.to_xml())

A typed field changes what it owns and nothing else: ``to_xml`` writes only
the fields whose value differs from what the parsed document says, so every
element, attribute and text libvirt wrote comes back, in its order, unless a
field that owns it was changed (``kvmdesk.domxml.canonical`` compares two
documents). A child the model adds goes where libvirt writes it.

``Domain.from_xml`` refuses DOCTYPE/ENTITY declarations and malformed XML
with ``InvalidXml`` (line and column); ``to_xml`` refuses characters XML 1.0
forbids with ``XmlValueError``. ``kvmdesk.domxml.domain.parse_domain`` stays the
read-only summary used by the details and delete code.
"""

from kvmdesk.domxml.check import InvalidXml, ProblemKind, XmlProblem, check_xml
from kvmdesk.domxml.devices import (
    Channel,
    Console,
    Controller,
    Device,
    Disk,
    Filesystem,
    Graphics,
    HostDev,
    Input,
    Interface,
    RedirDev,
    Rng,
    Serial,
    Tpm,
    UnknownDevice,
    Video,
)
from kvmdesk.domxml.model import Domain, Os
from kvmdesk.domxml.nodes import XmlValueError

__all__ = [
    "Channel",
    "Console",
    "Controller",
    "Device",
    "Disk",
    "Domain",
    "Filesystem",
    "Graphics",
    "HostDev",
    "Input",
    "Interface",
    "InvalidXml",
    "Os",
    "ProblemKind",
    "RedirDev",
    "Rng",
    "Serial",
    "Tpm",
    "UnknownDevice",
    "Video",
    "XmlProblem",
    "XmlValueError",
    "check_xml",
]
