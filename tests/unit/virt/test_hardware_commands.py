"""The virsh commands of a Hardware tab Apply: each verb, hostile names, secrets."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from kvmdesk.virt import hardware_commands as hc
from kvmdesk.virt.commands import Note
from kvmdesk.virt.hardware import LiveOp, OpKind, Scope

try:
    from .test_virt_commands import HOSTILE
except ImportError:
    from test_virt_commands import HOSTILE  # type: ignore[no-redef]

URI = "qemu:///system"
DOMAIN = (
    "<domain type='kvm'><name>{name}</name><memory>1048576</memory><vcpu>2</vcpu>"
    "<devices>{devices}</devices></domain>"
)
CDROM_EMPTY = "<disk type='file' device='cdrom'><target dev='sdb' bus='sata'/></disk>"
CDROM_FULL = (
    "<disk type='file' device='cdrom'><source file='/iso/a.iso'/><target dev='sdb' bus='sata'/>"
    "</disk>"
)
NIC = "<interface type='network'><mac address='52:54:00:aa:bb:cc'/><link state='down'/></interface>"
GRAPHICS = "<graphics type='vnc' port='-1' passwd='hunter2'/>"


def _argv(command: object) -> list[tuple[str, ...]]:
    return list(command.lines)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", HOSTILE)
def test_every_builder_keeps_the_name_the_value_of_domain(name: str, tmp_path: Path) -> None:
    commands = [
        hc.setvcpus(URI, name, 4, live=True, config=False),
        hc.setmem(URI, name, 524288, live=False, config=True),
        hc.setmaxmem(URI, name, 524288, live=False, config=True),
        hc.change_media(
            URI, name, "sdb", "/iso/$(x) y.iso", had_media=False, live=True, config=True
        ),
        hc.setlink(URI, name, "52:54:00:aa:bb:cc", False, config=True),
        hc.device_file(URI, "attach-device", name, NIC, live=True, config=True),
    ]
    for command in commands:
        argv = command.lines[0]
        assert argv[4:6] == ("--domain", name)
        assert shlex.split(command.text()) == [a for line in command.lines for a in line]
        # The script runs as is: printf stands in for virsh and echoes what sh handed on.
        script = command.script().replace("virsh", "printf '%s\\0'")
        done = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, check=True)
        assert done.stdout.split(b"\0")[:-1] == [a.encode() for a in argv[1:]]


def test_verbs_and_flags_are_virsh_s() -> None:
    assert hc.setvcpus(URI, "d", 3, live=True, config=True).lines[0][3:] == (
        "setvcpus",
        "--domain",
        "d",
        "--count",
        "3",
        "--live",
        "--config",
    )
    assert hc.setvcpus(URI, "d", 8, live=False, config=True, maximum=True).lines[0][8:] == (
        "--maximum",
        "--config",
    )
    assert hc.setmem(URI, "d", 1024, live=True, config=False).lines[0][3:] == (
        "setmem",
        "--domain",
        "d",
        "--size",
        "1024KiB",
        "--live",
    )
    assert hc.setmaxmem(URI, "d", 2048, live=False, config=True).lines[0][3] == "setmaxmem"
    eject = hc.change_media(URI, "d", "sdb", "", had_media=True, live=True, config=False)
    assert eject.lines[0][6:] == ("--path", "sdb", "--eject", "--live")
    insert = hc.change_media(URI, "d", "sdb", "/a.iso", had_media=False, live=False, config=True)
    assert insert.lines[0][6:] == ("--path", "sdb", "--source", "/a.iso", "--insert", "--config")
    swap = hc.change_media(URI, "d", "sdb", "/b.iso", had_media=True, live=True, config=False)
    assert "--update" in swap.lines[0]
    link = hc.setlink(URI, "d", "52:54:00:aa:bb:cc", True, config=False)
    assert link.lines[0][3:] == (
        "domif-setlink",
        "--domain",
        "d",
        "--interface",
        "52:54:00:aa:bb:cc",
        "--state",
        "up",
    )


def test_a_device_file_loses_its_password_and_says_so() -> None:
    command = hc.device_file(URI, "update-device", "web 01", GRAPHICS, live=True, config=False)
    ((path, content),) = command.files
    assert path == "web_01-device.xml"
    assert content.startswith("<graphics") and "passwd" not in content
    assert command.lines[0][6:] == ("--file", path, "--live")
    assert "hunter2" not in command.script()
    assert {Note.FILE, Note.PASSWORD_LEFT_OUT} <= command.notes
    plain = hc.device_file(URI, "attach-device", "d", NIC, live=True, config=False)
    assert Note.PASSWORD_LEFT_OUT not in plain.notes


def _apply(original: str, edited: str, scope: Scope, **kw: object) -> list[tuple[str, ...]]:
    kw.setdefault("running", True)
    command = hc.hardware_apply(URI, "vm", original, edited, scope, **kw)  # type: ignore[arg-type]
    assert command is not None
    return [argv[3:] for argv in command.lines]


def test_an_apply_is_its_operations_or_a_define() -> None:
    before = DOMAIN.format(name="vm", devices=CDROM_EMPTY)
    after = before.replace("<vcpu>2</vcpu>", "<vcpu current='1'>2</vcpu>")
    vcpus = (LiveOp(OpKind.VCPUS, value=1),)
    # Both, the same operation: one line with both flags.
    assert _apply(before, after, Scope.BOTH, config_ops=vcpus, live_ops=vcpus) == [
        ("setvcpus", "--domain", "vm", "--count", "1", "--live", "--config")
    ]
    # Next boot only, or a shut-off guest: --config.
    assert (
        _apply(before, after, Scope.CONFIG, config_ops=vcpus, live_ops=(), running=False)[0][-1]
        == "--config"
    )
    # A next-boot edit that is no operation: define of the saved file, then the live step.
    lines = _apply(before, after, Scope.BOTH, config_ops=None, live_ops=vcpus)
    assert lines[0][:2] == ("define", "--file")
    assert lines[1][-1] == "--live"
    # Media into the empty drive: --insert, from the definition it changes.
    media = (LiveOp(OpKind.UPDATE, xml=CDROM_FULL),)
    inserted = before.replace(CDROM_EMPTY, CDROM_FULL)
    lines = _apply(before, inserted, Scope.CONFIG, config_ops=media, live_ops=(), running=False)
    assert lines == [
        (
            "change-media",
            "--domain",
            "vm",
            "--path",
            "sdb",
            "--source",
            "/iso/a.iso",
            "--insert",
            "--config",
        )
    ]
    eject = (LiveOp(OpKind.UPDATE, xml=CDROM_EMPTY),)
    lines = _apply(
        inserted, before, Scope.LIVE, config_ops=eject, live_ops=eject, live_xml=inserted
    )
    assert lines == [("change-media", "--domain", "vm", "--path", "sdb", "--eject", "--live")]
    # Link state: domif-setlink, once per scope (it has no --live).
    link = (LiveOp(OpKind.UPDATE, xml=NIC),)
    with_nic = DOMAIN.format(name="vm", devices=NIC.replace("down", "up"))
    lines = _apply(
        with_nic, with_nic.replace("up", "down"), Scope.BOTH, config_ops=link, live_ops=link
    )
    assert [line[0] for line in lines] == ["domif-setlink", "domif-setlink"]
    assert lines[0][-1] == "--config" and lines[1][-1] == "down"
    # Attach and detach: the device's file.
    attach = (LiveOp(OpKind.ATTACH, xml=NIC),)
    lines = _apply(before, with_nic, Scope.BOTH, config_ops=attach, live_ops=attach)
    assert lines == [
        ("attach-device", "--domain", "vm", "--file", "vm-device.xml", "--live", "--config")
    ]
    detach = (LiveOp(OpKind.DETACH, xml=NIC),)
    lines = _apply(with_nic, before, Scope.CONFIG, config_ops=detach, live_ops=(), running=False)
    assert lines[0][:1] == ("detach-device",) and lines[0][-1] == "--config"


def test_two_device_files_in_one_apply_are_two_files(tmp_path: Path) -> None:
    """Detach now (the live device) and at next boot (the stored one): the
    two files differ, so two lines, and the second file does not overwrite the first."""
    stored = NIC.replace("<link state='down'/>", "")
    live = stored.replace("</interface>", "<alias name='net0'/></interface>")
    before = DOMAIN.format(name="vm", devices=stored)
    after = DOMAIN.format(name="vm", devices="")
    command = hc.hardware_apply(
        URI,
        "vm",
        before,
        after,
        Scope.BOTH,
        config_ops=(LiveOp(OpKind.DETACH, xml=stored),),
        live_ops=(LiveOp(OpKind.DETACH, xml=live),),
        running=True,
    )
    assert command is not None
    assert [argv[-1] for argv in command.lines] == ["--config", "--live"]
    first, second = (argv[argv.index("--file") + 1] for argv in command.lines)
    assert first != second
    subprocess.run(
        ["sh", "-c", command.script().replace("virsh", "true")], cwd=tmp_path, check=True
    )
    assert "net0" not in (tmp_path / first).read_text()
    assert "net0" in (tmp_path / second).read_text()


def test_nothing_to_do_is_no_command() -> None:
    before = DOMAIN.format(name="vm", devices="")
    assert (
        hc.hardware_apply(
            URI, "vm", before, before, Scope.CONFIG, config_ops=(), live_ops=(), running=False
        )
        is None
    )
    # A live change on a guest that is not running is not shown as done.
    assert (
        hc.hardware_apply(
            URI,
            "vm",
            before,
            before,
            Scope.LIVE,
            config_ops=None,
            live_ops=(LiveOp(OpKind.VCPUS, value=1),),
            running=False,
        )
        is None
    )


def test_a_define_of_the_saved_definition_masks_passwords() -> None:
    before = DOMAIN.format(name="vm", devices=GRAPHICS)
    after = before.replace("<vcpu>2</vcpu>", "<vcpu>3</vcpu>")
    command = hc.hardware_apply(
        URI, "vm", before, after, Scope.CONFIG, config_ops=None, live_ops=(), running=False
    )
    assert command is not None and "hunter2" not in command.script()
    assert {Note.PASSWORD_LEFT_OUT, Note.NO_SINGLE_COMMAND} <= command.notes
