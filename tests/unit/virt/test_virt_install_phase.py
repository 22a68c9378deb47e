"""The switch to the final definition on the test driver: when, once, and never
over an edit made meanwhile.

tests/data/create.xml: pool "images" holds installer.iso and pre.qcow2.
"""

from __future__ import annotations

from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.domxml import Disk, Domain
from kvmdesk.domxml.install import InstallPlan, SourceKind, StorageKind, build_domain
from kvmdesk.domxml.install_marker import pending
from kvmdesk.virt.install_phase import Switch, finish_install, install_pending

Opener = Callable[[str], libvirt.virConnect]
ISO = "/var/lib/libvirt/images/installer.iso"


@pytest.fixture
def conn(virt: Opener) -> libvirt.virConnect:
    return virt("create.xml")


def _install(conn: libvirt.virConnect, name: str = "fresh") -> libvirt.virDomain:
    plan = InstallPlan(
        name=name,
        source=SourceKind.ISO,
        media=ISO,
        virt_type="test",
        storage=StorageKind.EXISTING,
        disk_path="/var/lib/libvirt/images/pre.qcow2",
        disk_format="qcow2",
    )
    dom = conn.defineXMLFlags(build_domain(plan).to_xml(), libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    dom.create()
    return dom


def _stored(dom: libvirt.virDomain) -> Domain:
    return Domain.from_xml(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


def _cdrom_sources(dom: Domain) -> list[str]:
    return [d.source for d in dom.devices if isinstance(d, Disk) and d.device == "cdrom"]


def test_a_guest_shutdown_switches_to_the_final_definition_once(conn: libvirt.virConnect) -> None:
    dom = _install(conn)
    assert install_pending(conn, dom.UUIDString())
    assert finish_install(conn, dom.UUIDString()).switch is Switch.WAITING  # still running
    dom.shutdown()  # the test driver's guest shuts down at once: reason "shutdown"
    result = finish_install(conn, dom.UUIDString())
    assert result.switch is Switch.DONE and result.name == "fresh"
    assert set(result.applied) == {"boot", "eject:sda", "on_reboot"}
    assert result.skipped == ()
    final = _stored(dom)
    assert final.os.boot == ["hd"]
    assert final.on_reboot == "restart"
    assert _cdrom_sources(final) == [""]
    assert pending(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)) is None
    before = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    # Asked again (a reconnect that does not know the define went through): nothing to do.
    assert finish_install(conn, dom.UUIDString()).switch is Switch.NOT_PENDING
    assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
    assert not install_pending(conn, dom.UUIDString())


def test_a_vm_forced_off_keeps_installing(conn: libvirt.virConnect) -> None:
    dom = _install(conn)
    dom.destroy()
    assert finish_install(conn, dom.UUIDString()).switch is Switch.WAITING
    stored = _stored(dom)
    assert stored.os.boot == ["cdrom", "hd"] and _cdrom_sources(stored) == [ISO]
    assert install_pending(conn, dom.UUIDString())


def test_an_edit_made_meanwhile_is_not_overwritten(conn: libvirt.virConnect) -> None:
    dom = _install(conn)
    # During the install someone sets their own boot order and another ISO.
    edited = _stored(dom)
    edited.os.boot = ["cdrom", "network", "hd"]
    for device in edited.devices:
        if isinstance(device, Disk) and device.device == "cdrom":
            device.source = "/var/lib/libvirt/images/other.iso"
    conn.defineXML(edited.to_xml())
    dom.shutdown()
    result = finish_install(conn, dom.UUIDString())
    assert result.switch is Switch.DONE
    assert result.applied == ("on_reboot",)
    assert set(result.skipped) == {"boot", "eject:sda"}
    final = _stored(dom)
    assert final.os.boot == ["cdrom", "network", "hd"]
    assert _cdrom_sources(final) == ["/var/lib/libvirt/images/other.iso"]
    assert final.on_reboot == "restart"
    assert not install_pending(conn, dom.UUIDString())


def test_a_vm_without_a_second_phase_or_gone_is_left_alone(conn: libvirt.virConnect) -> None:
    existing = conn.lookupByName("existing")
    before = existing.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert finish_install(conn, existing.UUIDString()).switch is Switch.NOT_PENDING
    assert existing.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
    gone = "6b1b4c54-0000-4000-8000-000000000000"
    assert finish_install(conn, gone).switch is Switch.GONE
    assert not install_pending(conn, gone)
