"""The delete plan compares storage by identity and follows backing chains,
and says what the definition takes with it (test driver, ``chains.xml``).

The same on the real daemon, with real qcow2 files: tests/integration/
test_delete_real.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libvirt

from kvmdesk.virt.delete import (
    Keep,
    Part,
    Piece,
    Role,
    execute_delete,
    plan_delete,
)
from kvmdesk.virt.storage_identity import StorageIndex, Use, normal_path

Open = Callable[[str], libvirt.virConnect]
U = "c4a10000-0000-4000-8000-0000000000%02d"
BASE_OWNER, OVERLAY_USER, LIVE_BASE_OWNER, LIVE_USER = (U % i for i in (1, 2, 3, 4))
ALIAS_A, ALIAS_B, GOLDEN_CHILD, LONELY = (U % i for i in (5, 6, 7, 8))


def _by_path(plan: object) -> dict[str, object]:
    return {c.path: c for c in plan.choices}  # type: ignore[attr-defined]


def test_normal_path() -> None:
    assert normal_path("/images//alias.raw") == "/images/alias.raw"
    assert normal_path("//images/./a/../alias.raw") == "/images/alias.raw"
    assert normal_path("pool/volume") == "pool/volume"


def test_a_base_under_another_domains_overlay_is_not_ticked(virt: Open) -> None:
    """base-owner's only disk is the backing file of overlay-user's overlay."""
    conn = virt("chains.xml")
    plan = plan_delete(conn, BASE_OWNER)
    [choice] = plan.choices
    assert choice.path == "/images/base.qcow2"
    assert choice.keep is Keep.SHARED and not choice.default_selected
    assert choice.uses == (Use("overlay-user", OVERLAY_USER, "vda", backing=True),)
    assert choice.shared_with == ("overlay-user",)


def test_a_base_named_only_by_a_live_definition_is_not_ticked(virt: Open) -> None:
    conn = virt("chains.xml")
    plan = plan_delete(conn, LIVE_BASE_OWNER)
    [choice] = plan.choices
    assert choice.keep is Keep.SHARED
    assert choice.uses == (Use("live-user", LIVE_USER, "vda", backing=True),)


def test_the_same_file_under_another_spelling_is_shared(virt: Open) -> None:
    conn = virt("chains.xml")
    for uuid, other in ((ALIAS_A, "alias-b"), (ALIAS_B, "alias-a")):
        [choice] = plan_delete(conn, uuid).choices
        assert choice.keep is Keep.SHARED, uuid
        assert choice.shared_with == (other,)


def test_an_overlay_lists_its_base_under_it(virt: Open) -> None:
    """overlay-user's chain: its overlay (ticked) and base.qcow2, which
    base-owner uses as its disk (so not ticked)."""
    conn = virt("chains.xml")
    plan = plan_delete(conn, OVERLAY_USER)
    assert [(c.path, c.role, c.keep) for c in plan.choices] == [
        ("/images/overlay.qcow2", Role.DISK, Keep.NONE),
        ("/images/base.qcow2", Role.BACKING, Keep.SHARED),
    ]
    base = plan.choices[1]
    assert base.target == "vda"
    assert base.uses == (Use("base-owner", BASE_OWNER, "vda", backing=False),)


def test_a_base_image_nobody_else_uses_is_listed_but_kept(virt: Open) -> None:
    conn = virt("chains.xml")
    plan = plan_delete(conn, GOLDEN_CHILD)
    assert [(c.path, c.role, c.keep) for c in plan.choices] == [
        ("/images/child.qcow2", Role.DISK, Keep.NONE),
        ("/images/golden.qcow2", Role.BACKING, Keep.BASE_IMAGE),
    ]
    assert plan.choices[1].deletable and not plan.choices[1].default_selected


def test_the_base_of_an_external_snapshot_is_the_domains_own(virt: Open) -> None:
    """golden-child's external snapshot "s1" made child.qcow2 on top of
    golden.qcow2: the base is its own history, ticked with the overlay."""
    conn = virt("chains.xml")
    dom = conn.lookupByUUIDString(GOLDEN_CHILD)
    dom.snapshotCreateXML(
        f"""<domainsnapshot><name>s1</name><state>shutoff</state>
        <creationTime>1700000000</creationTime><memory snapshot='no'/>
        <disks><disk name='vda' snapshot='external'><driver type='qcow2'/>
          <source file='/images/child.qcow2'/></disk></disks>
        <domain type='kvm'><name>golden-child</name><uuid>{GOLDEN_CHILD}</uuid>
          <memory>524288</memory><os><type arch='x86_64'>hvm</type></os><devices>
          <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
            <source file='/images/golden.qcow2'/><target dev='vda'/></disk>
        </devices></domain></domainsnapshot>""",
        libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE,
    )
    plan = plan_delete(conn, GOLDEN_CHILD)
    assert [s.name for s in plan.extras.snapshots] == ["s1"]
    assert plan.extras.snapshots[0].external
    base = _by_path(plan)["/images/golden.qcow2"]
    assert base.keep is Keep.NONE and base.snapshot == "s1"  # type: ignore[attr-defined]


def test_deleting_with_defaults_keeps_what_others_need(virt: Open, tmp_path: Path) -> None:
    conn = virt("chains.xml")
    plan = plan_delete(conn, BASE_OWNER)
    defaults = [c.path for c in plan.choices if c.default_selected]
    outcome = execute_delete(conn, plan, defaults, tmp_path)
    assert outcome.complete and outcome.deleted == []
    assert outcome.left == [Piece(Part.FILE, "/images/base.qcow2", "vda")]
    assert conn.storageVolLookupByPath("/images/base.qcow2")


def test_an_aliased_shared_file_is_deleted_only_when_confirmed(virt: Open, tmp_path: Path) -> None:
    conn = virt("chains.xml")
    plan = plan_delete(conn, ALIAS_A)
    outcome = execute_delete(conn, plan, ["/images//alias.raw"], tmp_path)
    assert outcome.failed == [("/images//alias.raw", "needed by alias-b; not confirmed")]
    assert conn.storageVolLookupByPath("/images/alias.raw")


def test_what_the_definition_takes_with_it(virt: Open, tmp_path: Path) -> None:
    conn = virt("delete.xml")
    saved = "de1e7e00-0000-4000-8000-000000000003"
    conn.lookupByUUIDString(saved).snapshotCreateXML(
        "<domainsnapshot><name>before upgrade</name></domainsnapshot>", 0
    )
    plan = plan_delete(conn, saved)
    assert plan.extras.managed_save
    assert [s.name for s in plan.extras.snapshots] == ["before upgrade"]
    assert not plan.extras.has_nvram
    outcome = execute_delete(conn, plan, [], tmp_path / "backups")
    assert outcome.removed == [
        Piece(Part.DEFINITION, name="saved-victim"),
        Piece(Part.MANAGED_SAVE),
        Piece(Part.SNAPSHOT, name="before upgrade"),
    ]
    assert outcome.left == [Piece(Part.FILE, "/var/lib/libvirt/images/saved-victim.qcow2", "vda")]
    # The snapshot's XML is kept beside the definition, to redefine it later.
    assert outcome.backup is not None
    kept = sorted(p.name for p in outcome.backup.parent.iterdir())
    assert len(kept) == 2 and kept[0].endswith(".snapshot-1-before_upgrade.xml")


def test_an_index_looks_each_path_up_once(virt: Open) -> None:
    conn = virt("chains.xml")
    index = StorageIndex(conn)
    first = index.file("/images//alias.raw")
    assert index.file("/images//alias.raw") is first
    assert first.same_as(index.file("/images/alias.raw"))
    assert first.is_volume
    assert not index.file("/nowhere/x.img").is_volume
