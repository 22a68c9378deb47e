"""Pool types: which the host offers, what each needs, the XML libvirt accepts."""

from __future__ import annotations

import shlex
import subprocess

import libvirt
import pytest

from kvmdesk.domxml.canonical import canonical
from kvmdesk.virt import storage, virsh_commands
from kvmdesk.virt.pool_types import (
    KINDS,
    PoolSpec,
    check_spec,
    create_pool,
    default_name,
    pool_xml,
    supported_types,
    types_from_capabilities,
)
from kvmdesk.virt.storage import InvalidStorageInput

URI = "qemu+ssh://admin@host/system"
CAPABILITIES = """<storagepoolCapabilities>
  <pool type='dir' supported='yes'/>
  <pool type='fs' supported='yes'/>
  <pool type='rbd' supported='no'/>
  <pool type='logical' supported='yes'/>
  <pool type='vstorage' supported='yes'/>
</storagepoolCapabilities>"""

SPECS = [
    PoolSpec("dir", "a", target="/srv/a"),
    PoolSpec("fs", "b", device="/dev/sdb1", target="/mnt/b"),
    PoolSpec("netfs", "c", host="nas", source_path="/export", target="/mnt/c"),
    PoolSpec("logical", "d", source_name="vg0"),
    PoolSpec("disk", "e", device="/dev/sdc"),
    PoolSpec("iscsi", "f", host="san", device="iqn.2024-01.com.example:t1"),
    PoolSpec("scsi", "g", adapter="host0"),
    PoolSpec("mpath", "h"),
    PoolSpec("rbd", "i", host="ceph", source_name="rbd"),
    PoolSpec("gluster", "j", host="gl", source_name="vol"),
    PoolSpec("zfs", "k", source_name="tank"),
]


def test_supported_types_from_the_capabilities() -> None:
    assert types_from_capabilities(CAPABILITIES) == ("dir", "fs", "logical")


def test_a_driver_without_capabilities_offers_folders(demo: libvirt.virConnect) -> None:
    assert supported_types(demo) == ("dir",)


def test_every_kind_has_a_spec_here() -> None:
    assert [s.kind for s in SPECS] == list(KINDS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_libvirt_accepts_every_kind(demo: libvirt.virConnect, spec: PoolSpec) -> None:
    record = create_pool(demo, spec)
    assert (record.name, record.pool_type, record.active, record.autostart) == (
        spec.name,
        spec.kind,
        True,
        True,
    )
    xml = demo.storagePoolLookupByName(spec.name).XMLDesc(0)
    for value in (spec.host, spec.device, spec.source_name, spec.source_path, spec.adapter):
        assert value in xml


def test_default_name_is_free() -> None:
    assert default_name([]) == "pool"
    assert default_name(["pool", "pool1"]) == "pool2"


@pytest.mark.parametrize(
    ("spec", "field", "reason"),
    [
        (PoolSpec("dir", "", target="/srv/x"), "name", "empty"),
        (PoolSpec("dir", "default", target="/srv/x"), "name", "taken"),
        (PoolSpec("dir", "x", target="srv/x"), "path", "relative"),
        (PoolSpec("netfs", "x", host="", source_path="/e", target="/m"), "host", "empty"),
        (PoolSpec("netfs", "x", host="a b", source_path="/e", target="/m"), "host", "invalid"),
        (PoolSpec("netfs", "x", host="-oProxy", source_path="/e", target="/m"), "host", "invalid"),
        (PoolSpec("iscsi", "x", host="san", device="iqn with space"), "device", "invalid"),
        (PoolSpec("fs", "x", device="sdb1", target="/m"), "path", "relative"),
        (PoolSpec("logical", "x", source_name=""), "source_name", "empty"),
        (PoolSpec("scsi", "x", adapter="host\n0"), "adapter", "invalid"),
        (PoolSpec("vstorage", "x"), "type", "invalid"),
    ],
)
def test_bad_input_is_refused_before_libvirt(
    demo: libvirt.virConnect, spec: PoolSpec, field: str, reason: str
) -> None:
    with pytest.raises(InvalidStorageInput) as info:
        check_spec(spec, ["default", "iso"])
    assert (info.value.field, info.value.reason) == (field, reason)
    before = [p.name for p in storage.list_pools(demo)]
    with pytest.raises(InvalidStorageInput):
        create_pool(demo, spec)
    assert [p.name for p in storage.list_pools(demo)] == before


def _virsh_prints(argv: tuple[str, ...]) -> str:
    """What the real virsh defines for ``argv`` (``pool-define-as`` and its
    options), on the test driver, printed instead of defined."""
    assert argv[:4] == ("virsh", "-c", URI, "pool-define-as")
    done = subprocess.run(
        ["virsh", "-c", "test:///default", *argv[3:], "--print-xml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    "spec", [*SPECS, PoolSpec("dir", "a 'b' $c 快", target="/srv/a b")], ids=lambda s: s.name
)
def test_the_shown_command_defines_what_kvmdesk_defines(spec: PoolSpec) -> None:
    checked = check_spec(spec, [])
    command = virsh_commands.pool_create(URI, checked)
    assert shlex.split(command.text()) == [a for argv in command.lines for a in argv]
    printed = _virsh_prints(command.lines[0])
    assert canonical(printed, root="pool") == canonical(pool_xml(checked), root="pool")
    verbs = ["pool-build", "pool-start", "pool-autostart"]
    if spec.kind != "dir":
        verbs = verbs[1:]  # building would format or partition: never behind the user's back
    assert [argv[3:] for argv in command.lines[1:]] == [(v, "--pool", spec.name) for v in verbs]
