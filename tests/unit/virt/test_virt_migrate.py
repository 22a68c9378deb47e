"""Migrate on the test driver: the refusals the destination gives before anything moves,
the flags and parameters libvirt gets, and the ``virsh migrate`` line of the same choices."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import replace

import libvirt
import pytest

from kvmdesk.virt import job_commands
from kvmdesk.virt import migrate as vm
from kvmdesk.virt.migrate import MigrateProblem, MigrateRequest, Mode, Problem, Storage

Virt = Callable[[str], libvirt.virConnect]
MOVER = "30e0e0e0-0000-4000-8000-000000000001"
PARKED = "30e0e0e0-0000-4000-8000-000000000002"


def _problems(dst: libvirt.virConnect, plan: vm.MigratePlan, request: MigrateRequest) -> list:
    with pytest.raises(MigrateProblem) as caught:
        vm.check_migration(dst, plan, request)
    return caught.value.problems


def test_refusals_name_what_the_destination_lacks(virt: Virt) -> None:
    src, dst = virt("migrate-source.xml"), virt("migrate-dest.xml")
    dst.networkLookupByName("lan-a").destroy()
    plan = vm.plan_migration(src, MOVER)
    assert plan.running and plan.name == "mover"
    shared = MigrateRequest(dst.getURI(), Mode.LIVE)
    assert _problems(dst, plan, shared) == [
        Problem("networks-missing", ("lan-b",)),
        Problem("networks-inactive", ("lan-a",)),
        Problem("pools-missing", ("fast",)),
    ]
    # Copying the disks needs a pool for each copied file's folder; the
    # read-only CD-ROM is not copied, so /srv/iso needs none.
    copied = _problems(dst, plan, replace(shared, storage=Storage.FULL))
    assert Problem("no-pool-for", ("/srv/vm",)) in copied
    assert all("/srv/iso" not in p.names for p in copied)


def test_a_pool_for_the_folder_lets_the_copy_through(virt: Virt) -> None:
    src, dst = virt("migrate-source.xml"), virt("migrate-dest.xml")
    pool = dst.storagePoolDefineXML(
        "<pool type='dir'><name>vm</name><target><path>/srv/vm/</path></target></pool>"
    )
    pool.create()
    plan = vm.plan_migration(src, MOVER)
    found = _problems(dst, plan, MigrateRequest(dst.getURI(), Mode.LIVE, storage=Storage.FULL))
    assert not any(p.kind == "no-pool-for" for p in found)


def test_an_incremental_copy_needs_the_image_on_the_destination(virt: Virt) -> None:
    """libvirt makes no image for an incremental copy: a pool for the folder is not enough."""
    src, dst = virt("migrate-source.xml"), virt("migrate-dest.xml")
    pool = dst.storagePoolDefineXML(
        "<pool type='dir'><name>vm</name><target><path>/srv/vm</path></target></pool>"
    )
    pool.create()
    plan = vm.plan_migration(src, MOVER)
    request = MigrateRequest(dst.getURI(), Mode.LIVE, storage=Storage.INCREMENTAL)
    found = _problems(dst, plan, request)
    assert Problem("missing-for-incremental", ("/srv/vm/mover-data.img",)) in found
    assert not any(p.kind == "no-pool-for" for p in found)
    full = _problems(dst, plan, replace(request, storage=Storage.FULL))
    assert not any(p.kind == "missing-for-incremental" for p in full)
    pool.createXML("<volume><name>mover-data.img</name><capacity>1048576</capacity></volume>", 0)
    found = _problems(dst, plan, request)
    assert not any(p.kind == "missing-for-incremental" for p in found)


def test_same_host_and_taken_names(virt: Virt) -> None:
    src, dst = virt("migrate-source.xml"), virt("migrate-dest.xml")
    parked = vm.plan_migration(src, PARKED)
    assert not parked.running
    offline = MigrateRequest(dst.getURI(), Mode.OFFLINE)
    assert _problems(src, parked, offline) == [Problem("same-host")]
    assert _problems(dst, parked, offline) == [Problem("name-taken", ("parked",))]
    # A new name in the edited definition moves it through.
    renamed = parked.xml.replace("<name>parked</name>", "<name>parked-2</name>")
    vm.check_migration(dst, parked, replace(offline, xml=renamed))
    # The edited definition keeps the UUID, and must be XML.
    other = renamed.replace(PARKED, "30e0e0e0-0000-4000-8000-0000000000ee")
    assert Problem("xml", ("uuid",)) in _problems(dst, parked, replace(offline, xml=other))
    assert _problems(dst, parked, replace(offline, xml="<domain>"))[0].kind == "xml"


def test_a_running_copy_on_the_destination_is_refused(virt: Virt) -> None:
    src, dst = virt("migrate-source.xml"), virt("migrate-dest.xml")
    plan = vm.plan_migration(src, PARKED)
    xml = plan.xml.replace("<name>parked</name>", "<name>parked-there</name>")
    dst.createXML(xml, 0)
    found = _problems(dst, plan, MigrateRequest(dst.getURI(), Mode.OFFLINE, xml=xml))
    assert found == [Problem("running-there", ("parked-there",))]


@pytest.mark.parametrize(
    ("request_", "kind"),
    [
        (MigrateRequest("test:///x", Mode.OFFLINE, address="-oProxyCommand=x"), "address"),
        (MigrateRequest("test:///x", Mode.OFFLINE, address="host name"), "address"),
        (MigrateRequest("test:///x", Mode.LIVE), "options"),  # shut off: offline only
        (MigrateRequest("test:///x", Mode.OFFLINE, storage=Storage.FULL), "options"),
        (MigrateRequest("test:///x", Mode.OFFLINE, bandwidth=-1), "options"),
    ],
)
def test_bad_options_are_refused(virt: Virt, request_: MigrateRequest, kind: str) -> None:
    src, dst = virt("migrate-source.xml"), virt("migrate-dest.xml")
    plan = vm.plan_migration(src, PARKED)
    plan = replace(plan, xml=plan.xml.replace("<name>parked</name>", "<name>free</name>"))
    assert [p.kind for p in _problems(dst, plan, request_)] == [kind]


def test_flags_and_parameters() -> None:
    request = MigrateRequest(
        "qemu+ssh://b/system",
        Mode.LIVE,
        tunnelled=True,
        storage=Storage.INCREMENTAL,
        undefine_source=True,
        bandwidth=50,
        address="10.0.0.2",
        unsafe=True,
        xml="<domain><name>moved</name></domain>",
    )
    flags = request.flags()
    for flag in (
        libvirt.VIR_MIGRATE_LIVE,
        libvirt.VIR_MIGRATE_PEER2PEER,
        libvirt.VIR_MIGRATE_TUNNELLED,
        libvirt.VIR_MIGRATE_NON_SHARED_INC,
        libvirt.VIR_MIGRATE_PERSIST_DEST,
        libvirt.VIR_MIGRATE_UNDEFINE_SOURCE,
        libvirt.VIR_MIGRATE_UNSAFE,
    ):
        assert flags & flag
    assert not flags & (libvirt.VIR_MIGRATE_OFFLINE | libvirt.VIR_MIGRATE_NON_SHARED_DISK)
    params = request.params("old")
    assert params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] == 50
    assert params[libvirt.VIR_MIGRATE_PARAM_DEST_NAME] == "moved"
    assert libvirt.VIR_MIGRATE_PARAM_URI not in params  # tunnelled: no address of its own
    direct = MigrateRequest("qemu:///x", Mode.PAUSED, persistent=False, address="b.example")
    assert direct.params("old") == {libvirt.VIR_MIGRATE_PARAM_URI: "tcp://b.example"}
    assert direct.flags() == 0
    offline = MigrateRequest("qemu:///x", Mode.OFFLINE, persistent=False)
    assert offline.flags() == libvirt.VIR_MIGRATE_OFFLINE | libvirt.VIR_MIGRATE_PERSIST_DEST


def test_virsh_migrate_line() -> None:
    request = MigrateRequest(
        "qemu+ssh://root:pw@b/system",
        Mode.LIVE,
        peer2peer=True,
        storage=Storage.FULL,
        bandwidth=20,
        address="10.0.0.2",
    )
    command = job_commands.migrate("qemu:///system", "-web 1", request)
    assert shlex.split(command.text()) == [
        "virsh",
        "-c",
        "qemu:///system",
        "migrate",
        "--domain",
        "-web 1",
        "--desturi",
        "qemu+ssh://root@b/system",
        "--live",
        "--p2p",
        "--copy-storage-all",
        "--persistent",
        "--bandwidth",
        "20",
        "--migrateuri",
        "tcp://10.0.0.2",
    ]
    assert "pw" not in command.script()
    edited = replace(request, xml="<domain><name>web-2</name><graphics passwd='s3cret'/></domain>")
    command = job_commands.migrate("qemu:///system", "web", edited)
    argv = shlex.split(command.text())
    assert argv[argv.index("--dname") + 1] == "web-2"
    assert argv[argv.index("--xml") + 1] == "web-2.xml"
    assert "web-2.xml" in command.script() and "s3cret" not in command.script()


def test_a_closed_destination_link_stops_the_move_once(virt: Virt) -> None:
    """A client-driven move whose link to the destination closed is stopped on the
    source (the test driver has no job to stop: libvirt's refusal is not an error)."""
    src, dst = virt("migrate-source.xml"), libvirt.open("test:///default")
    link = vm.DestLink(lambda: dst)
    assert link.alive() and not vm.stop_if_destination_lost(src, MOVER, link)
    link.get()
    assert link.alive() and not vm.stop_if_destination_lost(src, MOVER, link)
    dst.close()
    assert not link.alive()
    assert vm.stop_if_destination_lost(src, MOVER, link) and link.lost
    assert not vm.stop_if_destination_lost(src, MOVER, link)  # asked once
    link.opened.clear()
