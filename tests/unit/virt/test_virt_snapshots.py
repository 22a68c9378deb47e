"""Snapshots on the test driver: names refused, tree order, refusals worked out first."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest

from kvmdesk.virt import job_commands
from kvmdesk.virt import snapshots as vs
from kvmdesk.virt.commands import Note
from kvmdesk.virt.jobs import JobProgress, progress_from_stats, read_progress
from kvmdesk.virt.snapshots import Limit, Mode, NameProblem, Refusal, SnapshotNameError

Virt = Callable[[str], libvirt.virConnect]
QCOW = "5a5a5a5a-0000-4000-8000-000000000001"
RAW = "5a5a5a5a-0000-4000-8000-000000000002"
UEFI = "5a5a5a5a-0000-4000-8000-000000000003"
DISKLESS = "5a5a5a5a-0000-4000-8000-000000000004"


@pytest.fixture
def conn(virt: Virt) -> libvirt.virConnect:
    return virt("snapshots.xml")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", NameProblem.EMPTY),
        ("   ", NameProblem.EMPTY),
        ("a/b", NameProblem.SLASH),
        ("bell\x07", NameProblem.CONTROL),
        ("rtl\u202eexe", NameProblem.CONTROL),
        ("one", NameProblem.EXISTS),
        ("before upgrade 快照", None),
    ],
)
def test_check_name(name: str, problem: NameProblem | None) -> None:
    assert vs.check_name(name, {"one"}) is problem


def test_create_refuses_a_bad_name_before_libvirt(conn: libvirt.virConnect) -> None:
    vs.create_snapshot(conn, QCOW, "one", "", Mode.INTERNAL)
    for name, problem in (
        ("one", NameProblem.EXISTS),
        ("", NameProblem.EMPTY),
        ("a/b", NameProblem.SLASH),
    ):
        with pytest.raises(SnapshotNameError) as caught:
            vs.create_snapshot(conn, QCOW, name, "", Mode.INTERNAL)
        assert caught.value.problem is problem
    # libvirt itself would have taken "a/b": nothing was made
    names = [s.getName() for s in conn.lookupByUUIDString(QCOW).listAllSnapshots()]
    assert names == ["one"]


def test_listing_is_a_tree_with_the_current_one_marked(conn: libvirt.virConnect) -> None:
    vs.create_snapshot(conn, QCOW, "base", "the first", Mode.INTERNAL)
    vs.create_snapshot(conn, QCOW, "left", "", Mode.INTERNAL)
    vs.revert(conn, QCOW, "base")
    vs.create_snapshot(conn, QCOW, "right", "", Mode.INTERNAL)
    listing = vs.list_snapshots(conn, QCOW)
    assert listing.snapshots[0].name == "base"
    assert {s.name for s in listing.children("base")} == {"left", "right"}
    assert [s.name for s in listing.snapshots if s.current] == ["right"]
    base = listing.find("base")
    assert base is not None and base.info.description == "the first"
    assert base.info.state == "running" and base.info.memory_kind == "internal"
    assert {s.name for s in listing.descendants("base")} == {"left", "right"}
    assert listing.running


def test_delete_one_or_with_children(conn: libvirt.virConnect) -> None:
    for name in ("a", "b", "c"):
        vs.create_snapshot(conn, QCOW, name, "", Mode.INTERNAL)
    vs.delete(conn, QCOW, "b")
    listing = vs.list_snapshots(conn, QCOW)
    assert [s.name for s in listing.snapshots] == ["a", "c"]
    assert listing.find("c").parent == "a"  # type: ignore[union-attr]
    vs.delete(conn, QCOW, "a", children=True)
    assert vs.list_snapshots(conn, QCOW).snapshots == ()


def _describe(conn: libvirt.virConnect, name: str, text: str) -> None:
    before = vs.stored(conn, QCOW, name)
    vs.redefine(conn, QCOW, vs.described(before.xml, text), before.current)


def test_description_is_edited_and_current_kept(conn: libvirt.virConnect) -> None:
    vs.create_snapshot(conn, QCOW, "a", "old <words> & more", Mode.INTERNAL)
    _describe(conn, "a", "new\nlines <b>kept</b>")
    record = vs.list_snapshots(conn, QCOW).find("a")
    assert record is not None and record.current
    assert record.info.description == "new\nlines <b>kept</b>"
    _describe(conn, "a", "")
    assert vs.list_snapshots(conn, QCOW).find("a").info.description == ""  # type: ignore[union-attr]


def test_a_description_added_goes_after_the_name_and_nothing_else_changes() -> None:
    xml = "<domainsnapshot><name>a</name><state>running</state><x y='1'>t</x></domainsnapshot>"
    changed = vs.described(xml, "words")
    assert changed == (
        "<domainsnapshot><name>a</name><description>words</description>"
        '<state>running</state><x y="1">t</x></domainsnapshot>'
    )
    assert vs.described(changed, "") == xml.replace("y='1'", 'y="1"')


def test_an_older_snapshot_is_not_made_current_by_a_new_description(
    conn: libvirt.virConnect,
) -> None:
    for name in ("a", "b"):
        vs.create_snapshot(conn, QCOW, name, "", Mode.INTERNAL)
    _describe(conn, "a", "older")
    listing = vs.list_snapshots(conn, QCOW)
    assert [s.name for s in listing.snapshots if s.current] == ["b"]


def test_refusals_are_known_before_asking(conn: libvirt.virConnect) -> None:
    version = conn.getLibVersion()
    qcow = vs.list_snapshots(conn, QCOW).refusals
    assert qcow == {Mode.INTERNAL: (), Mode.DISK_ONLY: ()}  # the CD-ROM is no obstacle
    raw = vs.list_snapshots(conn, RAW).refusals
    assert raw[Mode.INTERNAL] == (Limit(Refusal.RAW_DISK, "vda (raw)"),)
    assert raw[Mode.DISK_ONLY] == ()
    diskless = vs.list_snapshots(conn, DISKLESS).refusals
    assert diskless[Mode.INTERNAL] == (Limit(Refusal.NO_QCOW2_FOR_MEMORY),)
    assert diskless[Mode.DISK_ONLY] == (Limit(Refusal.NO_DISKS),)
    uefi = vs.list_snapshots(conn, UEFI).refusals[Mode.INTERNAL]
    if version < vs.INTERNAL_WITH_PFLASH:
        assert uefi == (Limit(Refusal.UEFI_INTERNAL, vs.version_text(version)),)
    else:
        assert uefi == ()


def test_uefi_refusal_depends_on_the_daemon_version(conn: libvirt.virConnect) -> None:
    xml = conn.lookupByUUIDString(UEFI).XMLDesc(0)
    old = vs.refusals(xml, False, 9_000_000)[Mode.INTERNAL]
    assert old == (Limit(Refusal.UEFI_INTERNAL, "9.0.0"),)
    assert vs.refusals(xml, False, 10_010_000)[Mode.INTERNAL] == ()


def test_disk_only_snapshot_xml_leaves_shared_disks_alone(conn: libvirt.virConnect) -> None:
    xml = vs.snapshot_xml("s", "d", Mode.DISK_ONLY, conn.lookupByUUIDString(QCOW).XMLDesc(0))
    assert '<disk name="vda" snapshot="external" />' in xml
    assert '<disk name="sda" snapshot="no" />' in xml
    assert "<description>d</description>" in xml
    internal = vs.snapshot_xml("s", "", Mode.INTERNAL, conn.lookupByUUIDString(QCOW).XMLDesc(0))
    assert "<disks" not in internal and "<description" not in internal


def test_screen_file_is_safe_for_any_name(tmp_path: Path) -> None:
    one = vs.screen_file(tmp_path, "qemu+ssh://root@host.example/system", QCOW, "../../etc/passwd")
    assert one.parent == tmp_path / "host.example" / QCOW
    assert one.suffix == ".png" and ".." not in one.name
    assert one != vs.screen_file(tmp_path, "qemu+ssh://root@host.example/system", QCOW, "other")


def test_screen_png_of_a_running_domain(conn: libvirt.virConnect) -> None:
    png = vs.screen_png(conn, QCOW, "test:///x")
    assert png is not None and png.startswith(b"\x89PNG")
    assert vs.screen_png(conn, RAW, "test:///x") is None  # shut off: no screen


def test_job_progress_reading() -> None:
    assert progress_from_stats({"type": libvirt.VIR_DOMAIN_JOB_NONE}) is None
    reading = progress_from_stats(
        {
            "type": libvirt.VIR_DOMAIN_JOB_UNBOUNDED,
            "memory_total": 300,
            "memory_processed": 100,
            "disk_total": 100,
            "disk_processed": 50,
            "time_elapsed": 1500,
            "downtime": 30,
        }
    )
    assert reading == JobProgress(150, 400, 1500, None, 30)
    assert reading.fraction == pytest.approx(0.375)
    assert JobProgress(5, 0, 0, None, None).fraction is None


def test_job_progress_where_the_driver_keeps_no_job(conn: libvirt.virConnect) -> None:
    assert read_progress(conn, QCOW) is None


def test_disk_only_command_names_each_disk_as_the_snapshot_xml_does(
    conn: libvirt.virConnect,
) -> None:
    domain_xml = conn.lookupByUUIDString(QCOW).XMLDesc(0)
    parts = vs.disk_only_parts(domain_xml)
    assert parts == [("vda", "external"), ("sda", "no")]
    name = "-x 'q' 快照"
    command = job_commands.snapshot_create(
        "test:///default", "vm", name, "", Mode.DISK_ONLY, vs.domain_disk_parts(conn, QCOW)
    )
    [argv] = command.lines
    assert shlex.split(command.text()) == list(argv)
    specs = [argv[i + 1] for i, a in enumerate(argv) if a == "--diskspec"]
    xml = vs.snapshot_xml(name, "", Mode.DISK_ONLY, domain_xml)
    assert specs == [
        f"{d.get('name')},snapshot={d.get('snapshot')}" for d in ET.fromstring(xml).iter("disk")
    ]
    assert argv[argv.index("--name") + 1] == name and "--disk-only" in argv
    internal = job_commands.snapshot_create("test:///default", "vm", name, "", Mode.INTERNAL, parts)
    assert "--diskspec" not in internal.lines[0]


def test_a_new_description_is_logged_as_the_redefine_it_is(conn: libvirt.virConnect) -> None:
    vs.create_snapshot(conn, QCOW, "a", "", Mode.INTERNAL)
    xml = vs.described(vs.stored(conn, QCOW, "a").xml, "words")
    command = job_commands.snapshot_redefine("test:///default", "vm", "a", xml, current=True)
    assert command.lines == (
        (
            "virsh",
            "-c",
            "test:///default",
            "snapshot-create",
            "--domain",
            "vm",
            "--xmlfile",
            "a.snapshot.xml",
            "--redefine",
            "--current",
        ),
    )
    assert command.files == (("a.snapshot.xml", xml),)
    secret = xml.replace("<graphics type='vnc'", "<graphics type='vnc' passwd='hunter2'")
    secret = secret.replace('<graphics type="vnc"', '<graphics type="vnc" passwd="hunter2"')
    assert "hunter2" in secret
    hidden = job_commands.snapshot_redefine("test:///default", "vm", "a", secret, current=False)
    assert "hunter2" not in hidden.script() and Note.PASSWORD_LEFT_OUT in hidden.notes
    assert "--current" not in hidden.lines[0]
