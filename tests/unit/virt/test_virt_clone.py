"""Clone on the test driver: what is cloned or shared, refusals first, rollback of what it made."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.domxml.clone import clone_xml
from kvmdesk.virt import clone as vc
from kvmdesk.virt.clone import CloneCancelled, CloneProblem, CloneRequest, DiskAction
from kvmdesk.virt.provision import PlanInputError

Virt = Callable[[str], libvirt.virConnect]
VICTIM = "de1e7e00-0000-4000-8000-000000000001"
NEIGHBOUR = "de1e7e00-0000-4000-8000-000000000002"


@pytest.fixture
def conn(virt: Virt) -> libvirt.virConnect:
    return virt("delete.xml")


def _volumes(conn: libvirt.virConnect) -> set[str]:
    pool = conn.storagePoolLookupByName("default")
    pool.refresh(0)
    return set(pool.listVolumes())


def test_plan_keeps_shared_disks_shared(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    actions = {d.target: d.default_action for d in plan.disks}
    assert actions == {
        "vda": DiskAction.CLONE,  # private to victim
        "vdb": DiskAction.SHARE,  # shareable
        "vdc": DiskAction.SHARE,  # read-only
        "sda": DiskAction.SHARE,  # CD-ROM
    }
    vda = plan.disks[0]
    assert vda.pool == "default" and vda.volume == "victim.qcow2" and vda.allocation == 4 << 30
    assert "52:54:00:de:00:02" in plan.macs_in_use and not plan.running


def test_clone_makes_a_new_volume_name_uuid_and_mac(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    before = conn.lookupByUUIDString(VICTIM).XMLDesc(0)
    request = CloneRequest("victim-clone", {})
    journal = vc.clone_journal(plan, request)
    outcome = vc.execute_clone(conn, plan, request, journal, threading.Event())
    clone = conn.lookupByUUIDString(outcome.uuid)
    assert clone.name() == "victim-clone" and outcome.uuid != VICTIM
    root = ET.fromstring(clone.XMLDesc(0))
    sources = {
        d.find("target").get("dev"): d.find("source").get("file")  # type: ignore[union-attr]
        for d in root.iterfind("devices/disk")
    }
    assert sources["vda"] == "/var/lib/libvirt/images/victim-clone.qcow2"
    assert sources["vdb"] == "/var/lib/libvirt/images/shared-data.raw"  # still shared
    assert sources["vdc"] == "/var/lib/libvirt/images/golden-base.raw"
    mac = root.find("devices/interface/mac").get("address")  # type: ignore[union-attr]
    assert mac not in plan.macs_in_use
    assert outcome.volumes == ("/var/lib/libvirt/images/victim-clone.qcow2",)
    assert conn.lookupByUUIDString(VICTIM).XMLDesc(0) == before  # the source as it was
    assert journal.completed == ["volume:vda", "define"]


def test_skip_a_disk_and_choose_a_mac(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    request = CloneRequest("lean", {"vdb": DiskAction.SKIP}, macs=["52:54:00:aa:bb:cc"])
    outcome = vc.execute_clone(
        conn, plan, request, vc.clone_journal(plan, request), threading.Event()
    )
    root = ET.fromstring(conn.lookupByUUIDString(outcome.uuid).XMLDesc(0))
    targets = [d.find("target").get("dev") for d in root.iterfind("devices/disk")]  # type: ignore[union-attr]
    assert "vdb" not in targets and "vda" in targets
    assert root.find("devices/interface/mac").get("address") == "52:54:00:aa:bb:cc"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("request_", "kind"),
    [
        (CloneRequest("x", {}, macs=["52:54:00:de:00:02"]), "mac-taken"),  # neighbour's
        (CloneRequest("x", {}, macs=["52:54:00:aa:bb:cc", "52:54:00:aa:bb:cc"]), "mac-taken"),
        (CloneRequest("x", {}, macs=["not-a-mac"]), "mac-invalid"),
        (CloneRequest("x", {}, macs=["01:00:5e:00:00:01"]), "mac-invalid"),  # multicast
        (CloneRequest("x", {"vdb": DiskAction.CLONE}), "not-in-pool"),
    ],
)
def test_refusals_before_anything_is_made(
    conn: libvirt.virConnect, request_: CloneRequest, kind: str
) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    if kind == "not-in-pool":
        plan = vc.plan_clone(conn, "de1e7e00-0000-4000-8000-000000000004")  # stray
        request_ = CloneRequest("x", {"vda": DiskAction.CLONE})
    before = _volumes(conn)
    with pytest.raises(CloneProblem) as caught:
        vc.execute_clone(conn, plan, request_, vc.clone_journal(plan, request_), threading.Event())
    assert caught.value.kind == kind
    assert _volumes(conn) == before


@pytest.mark.parametrize(("name", "why"), [("neighbour", "taken"), ("", "empty"), ("a/b", "slash")])
def test_names_are_refused(conn: libvirt.virConnect, name: str, why: str) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    with pytest.raises(PlanInputError) as caught:
        vc.check_clone(conn, plan, CloneRequest(name, {}))
    assert caught.value.reason == why


def test_a_running_source_needs_consent(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, NEIGHBOUR)
    assert plan.running
    with pytest.raises(CloneProblem) as caught:
        vc.check_clone(conn, plan, CloneRequest("copy", {}))
    assert caught.value.kind == "running"
    request = CloneRequest("copy", {}, pause=True)
    outcome = vc.execute_clone(
        conn, plan, request, vc.clone_journal(plan, request), threading.Event()
    )
    assert conn.lookupByUUIDString(outcome.uuid).name() == "copy"
    state = conn.lookupByUUIDString(NEIGHBOUR).state()[0]
    assert state == libvirt.VIR_DOMAIN_RUNNING  # paused for the copy, running again


def test_no_room_in_the_pool_is_refused(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    free = plan.pool_free["default"]
    big = conn.storagePoolLookupByName("default")
    big.createXML(
        f"<volume><name>filler</name><capacity>{free - (1 << 30)}</capacity>"
        f"<allocation>{free - (1 << 30)}</allocation></volume>",
        0,
    )
    with pytest.raises(CloneProblem) as caught:
        vc.check_clone(conn, plan, CloneRequest("nospace", {}))
    assert caught.value.kind == "space" and caught.value.amount == 3 << 30


class CancelledLater(threading.Event):
    """Cancel pressed while the first disk was being copied."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def is_set(self) -> bool:
        self.asked += 1
        return self.asked > 1


def test_cancel_removes_only_what_the_clone_made(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    before = _volumes(conn)
    stop = threading.Event()
    stop.set()
    request = CloneRequest("cancelled", {})
    with pytest.raises(CloneCancelled):
        vc.execute_clone(conn, plan, request, vc.clone_journal(plan, request), stop)
    assert _volumes(conn) == before
    later = CancelledLater()
    journal = vc.clone_journal(plan, request)
    with pytest.raises(CloneCancelled):
        vc.execute_clone(conn, plan, request, journal, later)
    assert journal.completed == ["volume:vda"]  # made, then removed again
    assert _volumes(conn) == before
    assert "cancelled" not in {d.name() for d in conn.listAllDomains()}


def test_recheck_after_a_lost_link(conn: libvirt.virConnect) -> None:
    plan = vc.plan_clone(conn, VICTIM)
    request = CloneRequest("halfway", {})
    pool = conn.storagePoolLookupByName("default")
    pool.createXMLFrom(
        "<volume><name>halfway.qcow2</name><capacity>0</capacity></volume>",
        pool.storageVolLookupByName("victim.qcow2"),
        0,
    )
    assert vc.recheck_clone(conn, plan, request) is None  # not made
    assert "halfway.qcow2" not in _volumes(conn)  # the partial volume is removed
    outcome = vc.execute_clone(
        conn, plan, request, vc.clone_journal(plan, request), threading.Event()
    )
    found = vc.recheck_clone(conn, plan, request)
    assert found is not None and found.uuid == outcome.uuid  # made: nothing is removed
    assert "halfway.qcow2" in _volumes(conn)


def test_clone_xml_keeps_what_it_does_not_change() -> None:
    source = (
        "<domain type='kvm'><name>a</name><uuid>u</uuid><foo bar='1'>keep</foo>"
        "<os><nvram template='/t.fd'>/var/a_VARS.fd</nvram></os>"
        "<devices><interface type='network'><mac address='52:54:00:00:00:01'/></interface>"
        "<graphics type='vnc' port='5901' autoport='no'/></devices></domain>"
    )
    out = ET.fromstring(clone_xml(source, "b", set(), {}, []))
    assert out.findtext("name") == "b" and out.find("uuid") is None
    assert out.findtext("foo") == "keep" and out.find("foo").get("bar") == "1"  # type: ignore[union-attr]
    nvram = out.find("os/nvram")
    assert nvram is not None and not nvram.text and nvram.get("template") == "/t.fd"
    assert out.find("devices/interface/mac") is None
    assert out.find("devices/graphics").get("autoport") == "yes"  # type: ignore[union-attr]
