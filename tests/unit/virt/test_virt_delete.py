"""Deleting a domain: the plan, the order of steps, and what storage goes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.virt.delete import (
    DeleteOutcome,
    DeletePlan,
    Keep,
    delete_journal,
    delete_volumes,
    execute_delete,
    plan_delete,
    write_backup,
)
from kvmdesk.virt.delete import recheck as delete_recheck
from kvmdesk.virt.errors import ErrorKind, classify

Open = Callable[[str], libvirt.virConnect]

VICTIM = "de1e7e00-0000-4000-8000-000000000001"
NEIGHBOUR = "de1e7e00-0000-4000-8000-000000000002"
SAVED_VICTIM = "de1e7e00-0000-4000-8000-000000000003"
STRAY = "de1e7e00-0000-4000-8000-000000000004"
IMAGES = "/var/lib/libvirt/images"
PRIVATE = f"{IMAGES}/victim.qcow2"
SHARED = f"{IMAGES}/shared-data.raw"
GOLDEN = f"{IMAGES}/golden-base.raw"
ISO = "/var/lib/libvirt/iso/debian-12.4.0-amd64-netinst.iso"


def _volumes(conn: libvirt.virConnect, pool: str = "default") -> set[str]:
    return set(conn.storagePoolLookupByName(pool).listVolumes())


def _exists(conn: libvirt.virConnect, uuid: str) -> bool:
    try:
        conn.lookupByUUIDString(uuid)
    except libvirt.libvirtError as exc:
        assert exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
        return False
    return True


# -- plan ---------------------------------------------------------------------


def test_plan_of_victim(virt: Open) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    assert (plan.uuid, plan.name, plan.active) == (VICTIM, "victim", False)
    by_target = {c.disk.target: c for c in plan.choices}
    assert [c.disk.target for c in plan.choices] == ["vda", "vdb", "vdc", "sda"]

    assert by_target["vda"].keep is Keep.NONE
    assert by_target["vda"].disk.source == PRIVATE
    assert by_target["vdb"].keep is Keep.SHARED
    assert by_target["vdb"].shared_with == ("neighbour",)
    assert by_target["vdc"].keep is Keep.READONLY
    assert by_target["sda"].keep is Keep.CDROM

    assert [c.disk.target for c in plan.choices if c.default_selected] == ["vda"]
    assert all(c.deletable for c in plan.choices)
    assert all(c.shared_with == () for t, c in by_target.items() if t != "vdb")


def test_plan_xml_is_the_inactive_definition(virt: Open) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    dom = conn.lookupByUUIDString(VICTIM)
    assert plan.xml == dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)


def test_plan_of_running_neighbour(virt: Open) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, NEIGHBOUR)
    assert plan.active is True
    by_target = {c.disk.target: c for c in plan.choices}
    assert by_target["vda"].keep is Keep.NONE
    assert by_target["vdb"].keep is Keep.SHARED
    assert by_target["vdb"].shared_with == ("victim",)


def test_plan_of_stray(virt: Open) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, STRAY)
    by_target = {c.disk.target: c for c in plan.choices}
    outside = by_target["vda"]
    assert outside.keep is Keep.NOT_A_VOLUME
    assert not outside.deletable and not outside.default_selected
    volume = by_target["vdb"]
    assert volume.keep is Keep.NONE
    assert (volume.disk.pool, volume.disk.volume) == ("default", "stray-data.qcow2")


def test_plan_of_transient_uses_live_xml(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    uuid = conn.lookupByName("transient").UUIDString()
    plan = plan_delete(conn, uuid)
    assert plan.active is True
    assert [c.keep for c in plan.choices] == [Keep.NONE]


def test_plan_of_missing_domain_raises(virt: Open) -> None:
    with pytest.raises(libvirt.libvirtError) as info:
        plan_delete(virt("delete.xml"), "00000000-0000-4000-8000-00000000dead")
    assert info.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN


def test_plan_keeps_empty_cdrom_and_shareable(virt: Open) -> None:
    conn = virt("empty.xml")
    conn.storagePoolCreateXML(
        "<pool type='dir'><name>p</name><target><path>/p</path></target></pool>", 0
    )
    pool = conn.storagePoolLookupByName("p")
    pool.createXML(
        "<volume><name>s.raw</name><capacity>1024</capacity>"
        "<target><format type='raw'/></target></volume>",
        0,
    )
    dom = conn.defineXML(
        """<domain type='test'><name>d</name><memory>1024</memory>
        <os><type>hvm</type></os><devices>
          <disk type='file' device='cdrom'><target dev='hdc'/><readonly/></disk>
          <disk type='file' device='disk'><source file='/p/s.raw'/><target dev='vda'/>
            <shareable/></disk>
          <disk type='file' device='floppy'><source file='/p/s.raw'/><target dev='fda'/></disk>
        </devices></domain>"""
    )
    plan = plan_delete(conn, dom.UUIDString())
    keeps = {c.disk.target: c.keep for c in plan.choices}
    assert keeps == {"hdc": Keep.EMPTY, "vda": Keep.SHAREABLE, "fda": Keep.CDROM}
    empty = next(c for c in plan.choices if c.keep is Keep.EMPTY)
    assert not empty.deletable and not empty.default_selected


# -- execute ------------------------------------------------------------------


def test_delete_victim_with_its_private_disk(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    outcome = execute_delete(conn, plan, [PRIVATE], tmp_path / "backups")

    assert outcome.undefined and outcome.complete
    assert outcome.forced_off is False
    assert outcome.undefine_error == ""
    assert outcome.deleted == [PRIVATE]
    assert outcome.failed == []
    assert not _exists(conn, VICTIM)
    volumes = _volumes(conn)
    assert "victim.qcow2" not in volumes
    assert {"shared-data.raw", "golden-base.raw", "neighbour.qcow2"} <= volumes
    assert _volumes(conn, "iso") == {"debian-12.4.0-amd64-netinst.iso"}
    assert _exists(conn, NEIGHBOUR)


def test_delete_without_storage_keeps_every_volume(virt: Open) -> None:
    conn = virt("delete.xml")
    before = _volumes(conn)
    outcome = execute_delete(conn, plan_delete(conn, VICTIM), [], None)
    assert outcome.complete
    assert outcome.backup is None
    assert _volumes(conn) == before


def test_backup_holds_the_exact_xml(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    outcome = execute_delete(conn, plan, [], tmp_path / "nested" / "backups")
    assert outcome.backup is not None
    assert outcome.backup.parent == tmp_path / "nested" / "backups"
    assert outcome.backup.name.startswith("victim-de1e7e00-")
    assert outcome.backup.suffix == ".xml"
    assert outcome.backup.read_text(encoding="utf-8") == plan.xml


def test_backup_written_even_when_undefine_fails(virt: Open, tmp_path: Path) -> None:
    conn = FailingUndefine(virt("delete.xml"))
    plan = plan_delete(conn.real, VICTIM)
    outcome = execute_delete(conn, plan, [PRIVATE], tmp_path)  # type: ignore[arg-type]
    assert outcome.backup is not None and outcome.backup.read_text() == plan.xml


def test_running_domain_is_forced_off_first(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, NEIGHBOUR)
    outcome = execute_delete(conn, plan, [f"{IMAGES}/neighbour.qcow2"], tmp_path)
    assert outcome.forced_off is True
    assert outcome.undefined and outcome.complete
    assert not _exists(conn, NEIGHBOUR)
    assert "neighbour.qcow2" not in _volumes(conn)
    assert "shared-data.raw" in _volumes(conn)


def test_saved_domain_is_undefined_with_its_managed_save(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    dom = conn.lookupByUUIDString(SAVED_VICTIM)
    assert dom.hasManagedSaveImage(0)
    with pytest.raises(libvirt.libvirtError):  # what a plain undefine gets
        conn.lookupByUUIDString(SAVED_VICTIM).undefineFlags(0)
    recorder = Recording(conn)
    plan = plan_delete(conn, SAVED_VICTIM)
    outcome = execute_delete(recorder, plan, [f"{IMAGES}/saved-victim.qcow2"], tmp_path)  # type: ignore[arg-type]
    assert outcome.undefined and outcome.complete
    assert recorder.undefine_calls == [("undefineFlags", libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)]
    assert not _exists(conn, SAVED_VICTIM)
    assert "saved-victim.qcow2" not in _volumes(conn)


def test_plain_undefine_without_extras(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    recorder = Recording(conn)
    execute_delete(recorder, plan_delete(conn, VICTIM), [], tmp_path)  # type: ignore[arg-type]
    assert recorder.undefine_calls == [("undefine", None)]


def test_snapshot_metadata_flag(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    conn.lookupByUUIDString(VICTIM).snapshotCreateXML(
        "<domainsnapshot><name>s1</name></domainsnapshot>", 0
    )
    recorder = Recording(conn)
    outcome = execute_delete(recorder, plan_delete(conn, VICTIM), [], tmp_path)  # type: ignore[arg-type]
    assert recorder.undefine_calls == [
        ("undefineFlags", libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
    ]
    assert outcome.undefined
    assert not _exists(conn, VICTIM)


def test_transient_domain_goes_with_destroy(virt: Open, tmp_path: Path) -> None:
    conn = virt("lifecycle.xml")
    uuid = conn.lookupByName("transient").UUIDString()
    outcome = execute_delete(
        conn, plan_delete(conn, uuid), ["/var/lib/libvirt/images/transient.qcow2"], tmp_path
    )
    assert outcome.forced_off is True
    assert outcome.undefined and outcome.complete
    assert outcome.deleted == ["/var/lib/libvirt/images/transient.qcow2"]
    assert not _exists(conn, uuid)
    assert "transient.qcow2" not in _volumes(conn)


def test_volume_reference_disk_is_deleted_through_its_pool(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, STRAY)
    outcome = execute_delete(conn, plan, ["default/stray-data.qcow2"], tmp_path)
    assert outcome.deleted == ["default/stray-data.qcow2"]
    assert "stray-data.qcow2" not in _volumes(conn)


def test_sources_that_cannot_be_deleted_are_reported(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, STRAY)
    before = _volumes(conn)
    outcome = execute_delete(
        conn, plan, ["/srv/vm-disks/stray.img", f"{IMAGES}/orphan.qcow2"], tmp_path
    )
    assert outcome.undefined is True
    assert outcome.complete is False
    assert outcome.deleted == []
    assert [source for source, _why in outcome.failed] == [
        "/srv/vm-disks/stray.img",
        f"{IMAGES}/orphan.qcow2",
    ]
    assert all(why for _source, why in outcome.failed)
    assert _volumes(conn) == before  # orphan.qcow2 is not stray's to delete


def test_volume_gone_meanwhile_is_reported(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    conn.storageVolLookupByPath(PRIVATE).delete(0)
    outcome = execute_delete(conn, plan, [PRIVATE], tmp_path)
    assert outcome.undefined
    assert [s for s, _ in outcome.failed] == [PRIVATE]
    assert outcome.deleted == []


def test_explicitly_chosen_readonly_and_shared_disks_are_deleted(
    virt: Open, tmp_path: Path
) -> None:
    """Not ticked by default, but the user may tick them."""
    conn = virt("delete.xml")
    outcome = execute_delete(conn, plan_delete(conn, VICTIM), [GOLDEN, SHARED, ISO], tmp_path)
    assert outcome.deleted == [GOLDEN, SHARED, ISO]
    assert not {"golden-base.raw", "shared-data.raw"} & _volumes(conn)
    assert _volumes(conn, "iso") == set()


def test_domain_removed_by_someone_else_counts_as_undefined(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    conn.lookupByUUIDString(VICTIM).undefine()  # another client was faster
    outcome = execute_delete(conn, plan, [PRIVATE], tmp_path)
    assert outcome.undefined is True
    assert outcome.undefine_error == ""
    assert outcome.deleted == [PRIVATE]
    assert "victim.qcow2" not in _volumes(conn)


def test_failed_undefine_touches_no_storage(virt: Open, tmp_path: Path) -> None:
    real = virt("delete.xml")
    conn = FailingUndefine(real)
    plan = plan_delete(real, VICTIM)
    before = _volumes(real)
    outcome = execute_delete(conn, plan, [PRIVATE, GOLDEN], tmp_path)  # type: ignore[arg-type]
    assert outcome.undefined is False
    assert outcome.undefine_error == "operation failed: refused by the fault injector"
    assert outcome.deleted == [] and outcome.failed == []
    assert outcome.complete is False
    assert _volumes(real) == before
    assert _exists(real, VICTIM)


def test_failed_undefine_of_saved_domain_touches_no_storage(virt: Open, tmp_path: Path) -> None:
    real = virt("delete.xml")
    plan = plan_delete(real, SAVED_VICTIM)
    outcome = execute_delete(
        FailingUndefine(real),
        plan,
        [f"{IMAGES}/saved-victim.qcow2"],
        tmp_path,  # type: ignore[arg-type]
    )
    assert outcome.undefine_error and not outcome.undefined
    assert "saved-victim.qcow2" in _volumes(real)


def test_failed_undefine_of_running_domain_reports_forced_off(virt: Open, tmp_path: Path) -> None:
    real = virt("delete.xml")
    plan = plan_delete(real, NEIGHBOUR)
    outcome = execute_delete(FailingUndefine(real), plan, [f"{IMAGES}/neighbour.qcow2"], tmp_path)  # type: ignore[arg-type]
    assert outcome.forced_off is True
    assert outcome.undefine_error
    assert "neighbour.qcow2" in _volumes(real)
    assert _exists(real, NEIGHBOUR)


def test_outcome_complete() -> None:
    assert DeleteOutcome("x", undefined=True).complete
    assert not DeleteOutcome("x", undefined=False).complete
    assert not DeleteOutcome("x", undefined=True, failed=[("a", "b")]).complete


def test_write_backup_file_name_is_safe(tmp_path: Path) -> None:
    xml = "<domain><name>../../etc/ä b</name></domain>"
    path = write_backup(tmp_path, "../../etc/ä b", "12345678-aaaa", xml)
    assert path.parent == tmp_path
    assert path.name.startswith(".._.._etc_b-12345678-")
    assert path.read_text(encoding="utf-8") == xml


def test_write_backup_of_unprintable_name(tmp_path: Path) -> None:
    path = write_backup(tmp_path, "测试", "abcdef01-x", "<domain/>")
    assert path.parent == tmp_path
    assert path.name.startswith("_-abcdef01-")


# -- wrappers around a real test-driver connection ---------------------------


class _DomainProxy:
    def __init__(self, dom: libvirt.virDomain, owner: Any) -> None:
        self._dom = dom
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dom, name)


class _ConnProxy:
    def __init__(self, real: libvirt.virConnect) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def lookupByUUIDString(self, uuid: str) -> Any:
        return self.wrap(self.real.lookupByUUIDString(uuid))

    def wrap(self, dom: libvirt.virDomain) -> Any:
        raise NotImplementedError


class Recording(_ConnProxy):
    """Records which undefine call was made, and passes it on."""

    def __init__(self, real: libvirt.virConnect) -> None:
        super().__init__(real)
        self.undefine_calls: list[tuple[str, int | None]] = []

    def wrap(self, dom: libvirt.virDomain) -> Any:
        owner = self

        class Dom(_DomainProxy):
            def undefine(self) -> int:
                owner.undefine_calls.append(("undefine", None))
                return int(self._dom.undefine())

            def undefineFlags(self, flags: int) -> int:
                owner.undefine_calls.append(("undefineFlags", flags))
                return int(self._dom.undefineFlags(flags))

        return Dom(dom, owner)


class FailingUndefine(_ConnProxy):
    """A host that refuses to undefine (e.g. a hook or a lock says no)."""

    def wrap(self, dom: libvirt.virDomain) -> Any:
        def refuse(*_args: Any) -> int:
            exc = libvirt.libvirtError("refused")
            msg = "operation failed: refused by the fault injector"
            exc.err = (
                libvirt.VIR_ERR_OPERATION_FAILED,
                libvirt.VIR_FROM_DOMAIN,
                msg,
                2,
                msg,
                None,
                None,
                -1,
                -1,
            )
            raise exc

        class Dom(_DomainProxy):
            undefine = staticmethod(refuse)
            undefineFlags = staticmethod(refuse)

        return Dom(dom, self)


def test_proxies_stand_in_for_a_connection(virt: Open) -> None:
    conn = virt("delete.xml")
    plan: DeletePlan = plan_delete(Recording(conn), VICTIM)  # type: ignore[arg-type]
    assert plan.name == "victim"


def test_volume_shared_under_another_spelling_is_not_ticked(virt: Open) -> None:
    """stray names its data volume as pool/volume; a second domain uses the same
    volume by its file path. The volume is shared, so it must not be ticked."""
    conn = virt("delete.xml")
    path = conn.storagePoolLookupByName("default").storageVolLookupByName("stray-data.qcow2").path()
    conn.defineXML(
        f"""<domain type='test'><name>path-user</name><memory>1024</memory>
        <os><type>hvm</type></os><devices>
          <disk type='file' device='disk'><source file='{path}'/><target dev='vda'/></disk>
        </devices></domain>"""
    )
    plan = plan_delete(conn, STRAY)
    data = next(c for c in plan.choices if c.disk.target == "vdb")
    assert data.keep is Keep.SHARED
    assert data.shared_with == ("path-user",)
    assert not data.default_selected


# -- a dropped link -----------------------------------------------------------


def test_a_dropped_link_is_never_taken_for_a_missing_volume(
    data_uri: Callable[[str], str], tmp_path: Path
) -> None:
    """Before: a volume lookup on a dead link said "no storage volume has this
    path" and the deletion went on to report volumes as not deletable."""
    conn = libvirt.open(data_uri("delete.xml"))
    plan = plan_delete(conn, VICTIM)
    conn.close()  # every call now fails as on a dropped link
    journal = delete_journal(plan, [PRIVATE])
    with pytest.raises(libvirt.libvirtError) as caught:
        execute_delete(conn, plan, [PRIVATE], tmp_path, journal)
    assert classify(caught.value).kind is ErrorKind.CONNECTION_LOST
    assert journal.completed == ["backup"] and journal.in_flight is None


def test_recheck_and_the_volumes_left(virt: Open) -> None:
    conn = virt("delete.xml")
    plan = plan_delete(conn, VICTIM)
    journal = delete_journal(plan, [PRIVATE])
    # Not a step beyond the backup: the domain and its volume are there.
    found = delete_recheck(conn, plan, [PRIVATE], journal)
    assert found.domain_exists and found.volumes_left == (PRIVATE,)
    refused = delete_volumes(conn, plan, [PRIVATE])  # never while the domain exists
    assert not refused.undefined and not refused.deleted
    assert "victim.qcow2" in _volumes(conn)
    conn.lookupByUUIDString(VICTIM).undefine()  # the undefine went through, then the link went
    found = delete_recheck(conn, plan, [PRIVATE], journal)
    assert not found.domain_exists and found.volumes_left == (PRIVATE,)
    outcome = delete_volumes(conn, plan, list(found.volumes_left))
    assert outcome.deleted == [PRIVATE] and outcome.complete
    assert "victim.qcow2" not in _volumes(conn)
    assert delete_recheck(conn, plan, [PRIVATE], journal).volumes_gone == (PRIVATE,)
