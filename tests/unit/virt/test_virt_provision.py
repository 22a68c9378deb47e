"""Checking the New VM wizard's input and creating VMs, on the test driver.

tests/data/create.xml: domain "existing" uses /srv/disks/existing.img and
the volume images/used.qcow2; pool "images" holds pre.qcow2 (no user).
The test driver's volumes are in memory: a pre-existing one is "untouched"
when it is still listed with its capacity and format (the integration test
checks a real file's sha256).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest

from kvmdesk.domxml import Domain
from kvmdesk.domxml.install import InstallPlan, SourceKind, StorageKind, build_domain
from kvmdesk.virt import provision as pv
from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.provision import NewVolume, PlanInputError, ProvisionError, Step
from kvmdesk.virt.storage import GIB

Opener = Callable[[str], libvirt.virConnect]


@pytest.fixture
def conn(virt: Opener) -> libvirt.virConnect:
    return virt("create.xml")


def _refused(field: str, reason: str, call: Callable[[], object]) -> PlanInputError:
    with pytest.raises(PlanInputError) as info:
        call()
    assert (info.value.field, info.value.reason) == (field, reason)
    return info.value


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 1024, "long"),
        ("a/b", "slash"),
        ("/", "slash"),
        ("-rf", "dash"),
        ("bad\nname", "control"),
        ("nul\0name", "control"),
        (" padded", "space"),
        ("<&\"'>", "markup"),
        ("vm<script>", "markup"),
    ],
)
def test_bad_names_are_refused(conn: libvirt.virConnect, name: str, reason: str) -> None:
    _refused("name", reason, lambda: pv.check_name(conn, name))


def test_a_taken_name_is_refused(conn: libvirt.virConnect) -> None:
    _refused("name", "taken", lambda: pv.check_name(conn, "existing"))


def test_long_but_sane_names_pass(conn: libvirt.virConnect) -> None:
    assert pv.check_name(conn, "web server 1.example_x") == "web server 1.example_x"
    assert pv.check_name(conn, "x" * pv.MAX_NAME_LENGTH)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0", "zero"),
        ("-512", "negative"),
        ("1e3", "invalid"),
        ("", "invalid"),
        ("12.5", "invalid"),
        ("lots", "invalid"),
        ("9000", "above"),
    ],
)
def test_bad_memory_is_refused(text: str, reason: str) -> None:
    error = _refused("memory", reason, lambda: pv.parse_count(text, "memory", 8192))
    if reason == "above":
        assert error.limit == 8192


@pytest.mark.parametrize(
    ("text", "reason"), [("0", "zero"), ("-1", "negative"), ("1e3", "invalid"), ("5", "above")]
)
def test_bad_vcpus_are_refused(text: str, reason: str) -> None:
    _refused("vcpus", reason, lambda: pv.parse_count(text, "vcpus", 4))


def test_good_counts_pass() -> None:
    assert pv.parse_count(" 2048 ", "memory", 8192) == 2048
    assert pv.parse_count("4", "vcpus", 4) == 4


@pytest.mark.parametrize(
    ("text", "reason"),
    [("0", "zero"), ("-5", "negative"), ("1e3", "invalid"), ("abc", "invalid"), ("1000", "space")],
)
def test_bad_disk_sizes_are_refused(text: str, reason: str) -> None:
    error = _refused("size", reason, lambda: pv.parse_size_gib(text, 90 * GIB))
    if reason == "space":
        assert error.limit == 90 * GIB


def test_disk_sizes_may_have_decimals() -> None:
    assert pv.parse_size_gib("0.5", 90 * GIB) == GIB // 2
    assert pv.parse_size_gib("20", 90 * GIB) == 20 * GIB


def test_a_size_beyond_the_pools_free_space_is_refused(conn: libvirt.virConnect) -> None:
    free = pv.pool_space(conn, "images")
    assert 80 * GIB < free < 100 * GIB
    _refused("size", "space", lambda: pv.parse_size_gib("1000", free))


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("", "empty"),
        ("disk.img", "relative"),
        ("./disk.img", "relative"),
        ("/srv/../etc/shadow", "dotdot"),
        ("/srv/a\0b", "control"),
        ("/srv/a\nb", "control"),
    ],
)
def test_bad_paths_are_refused(conn: libvirt.virConnect, path: str, reason: str) -> None:
    _refused("path", reason, lambda: pv.check_host_path(conn, path))


def test_a_missing_local_file_is_refused(conn: libvirt.virConnect, tmp_path: Path) -> None:
    _refused("path", "missing", lambda: pv.check_host_path(conn, str(tmp_path / "nope.img")))


def test_an_existing_local_file_passes_with_its_format(
    conn: libvirt.virConnect, tmp_path: Path
) -> None:
    qcow = tmp_path / "disk.qcow2"
    qcow.write_bytes(b"QFI\xfb" + bytes(60))
    raw = tmp_path / "disk.img"
    raw.write_bytes(bytes(64))
    assert pv.check_host_path(conn, str(qcow)).format == "qcow2"
    checked = pv.check_host_path(conn, str(raw))
    assert (checked.path, checked.format, checked.used_by) == (str(raw), "raw", ())


def test_another_vms_disk_is_named_in_a_warning(conn: libvirt.virConnect) -> None:
    by_volume = pv.check_host_path(conn, "/var/lib/libvirt/images/used.qcow2")
    assert by_volume.used_by == ("existing",)
    assert (by_volume.pool, by_volume.volume, by_volume.format) == ("images", "used.qcow2", "qcow2")
    by_path = pv.check_host_path(conn, "/srv/disks/existing.img", must_exist=False)
    assert by_path.used_by == ("existing",)
    free = pv.check_host_path(conn, "/var/lib/libvirt/images/pre.qcow2")
    assert free.used_by == ()


def test_remote_files_must_be_pool_volumes() -> None:
    assert pv.is_remote_uri("qemu+ssh://root@host.example/system")
    assert pv.is_remote_uri("qemu+ssh://127.0.0.1/system")
    assert not pv.is_remote_uri("qemu:///system")
    assert not pv.is_remote_uri("test:///default")


# ---------------------------------------------------------------- pools


def test_an_inactive_or_missing_pool_is_refused(conn: libvirt.virConnect) -> None:
    conn.storagePoolLookupByName("spare").destroy()
    _refused("pool", "inactive", lambda: pv.pool_space(conn, "spare"))
    _refused("pool", "missing", lambda: pv.pool_space(conn, "nowhere"))


def test_free_volume_names_avoid_existing_ones(conn: libvirt.virConnect) -> None:
    assert pv.free_volume_name(conn, "images", "pre", "qcow2") == "pre-1.qcow2"
    assert pv.free_volume_name(conn, "images", "new vm", "raw") == "new_vm.img"
    assert pv.free_volume_name(conn, "images", "-x", "qcow2") == "x.qcow2"


# ---------------------------------------------------------------- provision


def _plan(name: str, volume: str = "new.qcow2") -> InstallPlan:
    return InstallPlan(
        name=name,
        source=SourceKind.MANUAL,
        virt_type="test",
        arch="x86_64",
        storage=StorageKind.NEW,
        pool="images",
        volume=volume,
        disk_bytes=2 * GIB,
    )


def _volumes(conn: libvirt.virConnect) -> dict[str, tuple[int, str]]:
    pool = conn.storagePoolLookupByName("images")
    return {v.name(): (v.info()[1], v.XMLDesc(0)) for v in pool.listAllVolumes(0)}


def test_provision_creates_defines_and_starts(conn: libvirt.virConnect) -> None:
    steps: list[tuple[Step, str]] = []
    plan = _plan("fresh")
    outcome = pv.provision(
        conn,
        build_domain(plan).to_xml(),
        [NewVolume("images", "new.qcow2", 2 * GIB)],
        progress=lambda step, what: steps.append((step, what)),
    )
    assert outcome.ok and outcome.started and outcome.domain_exists
    assert outcome.created == ["images/new.qcow2"]
    assert steps == [
        (Step.VOLUME, "images/new.qcow2"),
        (Step.DEFINE, "fresh"),
        (Step.START, "fresh"),
    ]
    dom = conn.lookupByName("fresh")
    assert dom.isActive() and dom.UUIDString() == outcome.uuid
    assert "new.qcow2" in _volumes(conn)


def test_a_failure_after_volume_creation_removes_only_the_new_volume(
    conn: libvirt.virConnect,
) -> None:
    before = _volumes(conn)
    bad = build_domain(_plan("broken")).to_xml().replace("<vcpu>1</vcpu>", "<vcpu>many</vcpu>")
    with pytest.raises(ProvisionError) as info:
        pv.provision(conn, bad, [NewVolume("images", "new.qcow2", 2 * GIB)])
    outcome = info.value.outcome
    assert outcome.failed_step is Step.DEFINE
    assert outcome.created == ["images/new.qcow2"]
    assert outcome.removed == ["images/new.qcow2"]
    assert outcome.leftover == [] and not outcome.domain_exists
    assert outcome.remaining_volumes == []
    assert _volumes(conn) == before  # pre-existing volumes untouched
    assert "broken" not in [d.name() for d in conn.listAllDomains(0)]


def test_a_failed_start_undefines_and_removes_what_it_created(
    conn: libvirt.virConnect,
) -> None:
    before = _volumes(conn)

    def fail_on_start(step: Step, _what: str) -> None:
        if step is Step.START:
            raise libvirt.libvirtError("injected: the host refused to start it")

    with pytest.raises(ProvisionError) as info:
        pv.provision(
            conn,
            build_domain(_plan("nostart")).to_xml(),
            [NewVolume("images", "new.qcow2", 2 * GIB)],
            progress=fail_on_start,
        )
    outcome = info.value.outcome
    assert outcome.failed_step is Step.START
    assert outcome.defined and outcome.undefined
    assert outcome.removed == ["images/new.qcow2"]
    assert _volumes(conn) == before
    assert "nostart" not in [d.name() for d in conn.listAllDomains(0)]


def test_a_pool_that_vanishes_leaves_nothing_half_created(conn: libvirt.virConnect) -> None:
    before = _volumes(conn)
    spare = conn.storagePoolLookupByName("spare")

    def vanish(step: Step, what: str) -> None:
        if what == "spare/second.qcow2":
            spare.destroy()
            spare.undefine()

    with pytest.raises(ProvisionError) as info:
        pv.provision(
            conn,
            build_domain(_plan("twodisks")).to_xml(),
            [NewVolume("images", "first.qcow2", GIB), NewVolume("spare", "second.qcow2", GIB)],
            progress=vanish,
        )
    outcome = info.value.outcome
    assert outcome.failed_step is Step.VOLUME
    assert outcome.failed_item == "spare/second.qcow2"
    assert outcome.input_error is not None and outcome.input_error.reason == "missing"
    assert outcome.removed == ["images/first.qcow2"]
    assert _volumes(conn) == before


def test_an_inactive_pool_is_refused_before_anything_is_created(
    conn: libvirt.virConnect,
) -> None:
    conn.storagePoolLookupByName("spare").destroy()
    with pytest.raises(ProvisionError) as info:
        pv.provision(
            conn,
            build_domain(_plan("inactive")).to_xml(),
            [NewVolume("spare", "x.qcow2", GIB)],
        )
    outcome = info.value.outcome
    assert outcome.created == [] and not outcome.defined
    assert outcome.input_error is not None and outcome.input_error.reason == "inactive"


def test_a_taken_volume_name_or_too_large_size_is_refused_before_creating(
    conn: libvirt.virConnect,
) -> None:
    before = _volumes(conn)
    for volume, reason in (
        (NewVolume("images", "pre.qcow2", GIB), "taken"),
        (NewVolume("images", "huge.qcow2", 1000 * GIB), "space"),
        (NewVolume("images", "odd.vmdk", GIB, "vmdk"), "invalid"),
    ):
        with pytest.raises(ProvisionError) as info:
            pv.provision(conn, build_domain(_plan("refused")).to_xml(), [volume])
        assert info.value.outcome.input_error is not None
        assert info.value.outcome.input_error.reason == reason
        assert info.value.outcome.created == []
    assert _volumes(conn) == before


def test_a_dropped_connection_is_not_rolled_back_and_the_journal_says_how_far(
    data_uri: Callable[[str], str],
) -> None:
    """Nothing can be removed over a dead link: the error goes up, and the
    journal says what was made, for the re-read after the reconnect."""
    uri = data_uri("create.xml")
    conn = libvirt.open(uri)
    volumes = conn.storagePoolLookupByName("images")
    new = NewVolume("images", "new.qcow2", GIB)
    journal = pv.provision_journal([new])

    def drop(step: Step, _what: str) -> None:
        if step is Step.DEFINE:
            conn.close()

    with pytest.raises(libvirt.libvirtError) as info:
        pv.provision(
            conn, build_domain(_plan("dropped")).to_xml(), [new], progress=drop, journal=journal
        )
    assert classify(info.value).kind is ErrorKind.CONNECTION_LOST
    assert journal.completed == ["check", "volume:images/new.qcow2"]
    assert journal.in_flight == "define"
    # The volume's own handle still reaches the (in-process) host: it is there.
    assert "new.qcow2" in volumes.listVolumes()


def test_recheck_says_which_new_volumes_and_domain_exist(conn: libvirt.virConnect) -> None:
    new = NewVolume("images", "new.qcow2", GIB)
    never = NewVolume("images", "pre.qcow2", GIB)  # exists, but was never asked for
    xml = build_domain(_plan("half")).to_xml()
    journal = pv.provision_journal([new, never])
    journal.begin("check")
    journal.done("check")
    journal.begin("volume:images/new.qcow2")
    assert pv.recheck(conn, xml, [new, never], journal).volumes == ()  # in flight, not made
    pv.provision(conn, xml, [new], start=False)
    found = pv.recheck(conn, xml, [new, never], journal)
    assert found.volumes == ("images/new.qcow2",)
    assert not found.domain_exists  # the define never began
    journal.done("volume:images/new.qcow2")
    journal.begin("define")
    found = pv.recheck(conn, xml, [new, never], journal)
    assert found.domain_exists and found.name == "half" and not found.running
    removed = pv.remove_volumes(conn, ["images/new.qcow2", "images/gone.qcow2"])
    assert removed.removed == ["images/new.qcow2", "images/gone.qcow2"]
    assert "new.qcow2" not in _volumes(conn)


def test_an_xml_naming_an_existing_domain_is_never_defined_over_it(
    conn: libvirt.virConnect,
) -> None:
    """An edited XML with another VM's name or UUID would overwrite that VM,
    and the rollback would then remove it: refused before anything is made."""
    before = _volumes(conn)
    existing = conn.lookupByName("existing")
    original = existing.XMLDesc(0)
    by_name = build_domain(_plan("existing")).to_xml()
    stolen = Domain.from_xml(build_domain(_plan("other name")).to_xml())
    stolen.uuid = existing.UUIDString()
    for xml in (by_name, stolen.to_xml()):
        with pytest.raises(ProvisionError) as info:
            pv.provision(conn, xml, [NewVolume("images", "new.qcow2", GIB)])
        outcome = info.value.outcome
        assert outcome.failed_step is Step.CHECK
        assert outcome.input_error is not None and outcome.input_error.reason == "taken"
        assert outcome.created == [] and not outcome.defined
    assert conn.lookupByName("existing").XMLDesc(0) == original
    assert _volumes(conn) == before
