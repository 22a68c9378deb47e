"""Hardware changes on the test driver: next boot, live, conflicts, secrets, bad input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest

from kvmdesk.domxml.hardware import CpuSettings, MemorySettings, read_cpu, write_cpu
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.hardware import (
    LiveOp,
    OpKind,
    Scope,
    apply_hardware,
    fetch_hardware,
)
from kvmdesk.virt.hardware_input import (
    PlanInputError,
    check_bus,
    check_cpu,
    check_disk_path,
    check_mac,
    check_memory,
    mac_users,
)
from kvmdesk.virt.hardware_offer import HostOffer, parse_offer_caps
from kvmdesk.virt.xmledit import XmlConflict

Open = Callable[[str], libvirt.virConnect]
OFF = "2d2d2d2d-0000-4000-8000-000000000001"
RUN = "2d2d2d2d-0000-4000-8000-000000000002"
TRANSIENT = "2d2d2d2d-0000-4000-8000-000000000004"
CAPS = Path(__file__).parents[2] / "data" / "hostcaps" / "qemu-7.2-q35-kvm-domcaps.xml"
OFFER = HostOffer(host_cpus=8, host_memory_kib=16 * 1024 * 1024, max_vcpus=8)


def canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True)


def with_cpu(xml: str, cpu: CpuSettings) -> str:
    root = ET.fromstring(xml)
    write_cpu(root, cpu)
    return ET.tostring(root, encoding="unicode")


def test_fetch_reads_the_secure_definition_and_the_host(virt: Open) -> None:
    conn = virt("hardware.xml")
    state = fetch_hardware(conn, OFF)
    assert state.secure and "s3cret-vnc" in state.stored
    assert state.live is None and state.persistent and not state.autostart
    assert state.offer.max_vcpus == 8 and state.offer.networks == ("default",)
    running = fetch_hardware(conn, RUN)
    assert running.live is not None and "run-secret" in running.live


def test_next_boot_change_keeps_the_password_and_what_no_form_shows(virt: Open) -> None:
    conn = virt("hardware.xml")
    state = fetch_hardware(conn, OFF)
    edited = with_cpu(state.stored, CpuSettings(current=3, maximum=4, mode="host-model"))
    outcome = apply_hardware(conn, OFF, state.stored, edited, (), Scope.CONFIG)
    assert outcome.stored and not outcome.running and not outcome.dropped
    stored = conn.lookupByUUIDString(OFF).XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)
    assert "passwd='s3cret-vnc'" in stored
    assert "kept as written" in stored and "<numa>" in stored
    assert read_cpu(ET.fromstring(stored)).current == 3


def test_a_definition_read_without_secrets_still_keeps_the_password(virt: Open) -> None:
    conn = virt("hardware.xml")
    dom = conn.lookupByUUIDString(OFF)
    plain = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert "s3cret" not in plain
    edited = with_cpu(plain, CpuSettings(current=1, maximum=4, mode="host-model"))
    apply_hardware(conn, OFF, plain, edited, (), Scope.CONFIG, original_secure=False)
    assert "s3cret-vnc" in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)


def test_someone_elses_change_is_never_overwritten(virt: Open) -> None:
    conn = virt("hardware.xml")
    state = fetch_hardware(conn, OFF)
    dom = conn.lookupByUUIDString(OFF)
    theirs = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE).replace(
        "<on_crash>destroy</on_crash>", "<on_crash>restart</on_crash>"
    )
    conn.defineXML(theirs)
    edited = with_cpu(state.stored, CpuSettings(current=1, maximum=4, mode="host-model"))
    with pytest.raises(XmlConflict) as info:
        apply_hardware(conn, OFF, state.stored, edited, (), Scope.BOTH)
    assert "restart" in info.value.diff
    now = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)
    assert "<on_crash>restart</on_crash>" in now and read_cpu(ET.fromstring(now)).current == 2


def test_live_and_next_boot_use_the_right_flags(virt: Open) -> None:
    conn = virt("hardware.xml")
    state = fetch_hardware(conn, RUN)
    dom = conn.lookupByUUIDString(RUN)
    edited = with_cpu(state.stored, CpuSettings(current=2, maximum=4))
    ops = (LiveOp(OpKind.VCPUS, value=3), LiveOp(OpKind.MEMORY, value=512 * 1024))
    outcome = apply_hardware(conn, RUN, state.stored, edited, ops, Scope.LIVE)
    assert not outcome.stored and outcome.live_done == ops
    assert dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE) == 3
    assert dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG) == 1  # next boot untouched
    outcome = apply_hardware(conn, RUN, state.stored, edited, (), Scope.CONFIG)
    assert outcome.stored and outcome.running
    assert dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG) == 2
    assert dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE) == 3


def test_a_live_step_that_fails_leaves_the_change_pending(virt: Open) -> None:
    conn = virt("hardware.xml")
    state = fetch_hardware(conn, RUN)
    edited = state.stored.replace(
        "<source network='default'/>", "<source network='default'/><link state='down'/>"
    )
    nic = (
        "<interface type='network'><mac address='52:54:00:2d:00:02'/>"
        "<source network='default'/><link state='down'/></interface>"
    )
    update = LiveOp(OpKind.UPDATE, xml=nic)
    outcome = apply_hardware(conn, RUN, state.stored, edited, (update,), Scope.BOTH)
    assert outcome.stored and outcome.pending_restart
    assert outcome.live_failed[0][0] == update
    assert outcome.live_failed[0][1].kind is ErrorKind.NOT_SUPPORTED


def test_a_transient_domain_gets_no_definition(virt: Open) -> None:
    conn = virt("hardware.xml")
    state = fetch_hardware(conn, TRANSIENT)
    assert not state.persistent
    ops = (LiveOp(OpKind.VCPUS, value=2),)
    outcome = apply_hardware(conn, TRANSIENT, state.stored, state.stored, ops, Scope.LIVE)
    assert not outcome.stored and outcome.live_done == ops
    assert not conn.lookupByUUIDString(TRANSIENT).isPersistent()


@pytest.mark.parametrize(
    ("cpu", "field", "reason"),
    [
        (CpuSettings(current=0, maximum=4), "vcpus", "zero"),
        (CpuSettings(current=1, maximum=0), "vcpus", "zero"),
        (CpuSettings(current=-1, maximum=4), "vcpus", "negative"),
        (CpuSettings(current=1, maximum=9), "vcpus", "above"),
        (CpuSettings(current=5, maximum=4), "vcpus", "above_max"),
        (CpuSettings(current=4, maximum=4, sockets=1, cores=2, threads=1), "topology", "mismatch"),
        (CpuSettings(current=4, maximum=4, sockets=0, cores=4, threads=1), "topology", "zero"),
    ],
)
def test_bad_cpu_counts(cpu: CpuSettings, field: str, reason: str) -> None:
    with pytest.raises(PlanInputError) as info:
        check_cpu(cpu, OFFER)
    assert (info.value.field, info.value.reason) == (field, reason)


@pytest.mark.parametrize(
    ("memory", "reason"),
    [
        (MemorySettings(current=0, maximum=1024), "zero"),
        (MemorySettings(current=-1024, maximum=1024), "negative"),
        (MemorySettings(current=1024, maximum=32 * 1024 * 1024), "above"),
        (MemorySettings(current=2048, maximum=1024), "above_max"),
    ],
)
def test_bad_memory(memory: MemorySettings, reason: str) -> None:
    with pytest.raises(PlanInputError) as info:
        check_memory(memory, OFFER)
    assert (info.value.field, info.value.reason) == ("memory", reason)


def test_good_values_pass() -> None:
    check_cpu(CpuSettings(current=2, maximum=8, sockets=1, cores=4, threads=2), OFFER)
    check_memory(MemorySettings(current=1024, maximum=2048), OFFER)
    assert check_mac(" 52:54:00:AB:cd:01 ") == "52:54:00:ab:cd:01"
    assert check_mac("") == ""
    assert check_disk_path("/var/lib/libvirt/images//a.qcow2") == "/var/lib/libvirt/images/a.qcow2"


@pytest.mark.parametrize(
    ("mac", "reason"),
    [
        ("01:00:5e:00:00:01", "multicast"),
        ("ff:ff:ff:ff:ff:ff", "multicast"),
        ("52:54:00", "invalid"),
        ("zz:54:00:00:00:01", "invalid"),
    ],
)
def test_bad_macs(mac: str, reason: str) -> None:
    with pytest.raises(PlanInputError) as info:
        check_mac(mac)
    assert (info.value.field, info.value.reason) == ("mac", reason)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("disk.qcow2", "relative"),
        ("/var/../etc/shadow", "dotdot"),
        ("/a\nb", "control"),
        ("/a\0b", "control"),
        ("", "empty"),
    ],
)
def test_bad_disk_paths(path: str, reason: str) -> None:
    with pytest.raises(PlanInputError) as info:
        check_disk_path(path)
    assert (info.value.field, info.value.reason) == ("path", reason)


def test_buses_from_domain_capabilities() -> None:
    modes, models, buses = parse_offer_caps(CAPS.read_text())
    assert "host-passthrough" in modes and "custom" not in modes
    assert "pentium3" in models and "qemu64" not in models  # usable ones only
    offer = HostOffer(host_cpus=1, host_memory_kib=1, max_vcpus=1, disk_buses=buses)
    check_bus("sata", offer)
    with pytest.raises(PlanInputError) as info:
        check_bus("ide", offer)  # q35 has no IDE
    assert info.value.reason == "unsupported"


def test_mac_used_by_another_vm(virt: Open) -> None:
    conn = virt("hardware.xml")
    assert mac_users(conn, "52:54:00:2D:00:02", RUN) == ["hw-other"]
    assert mac_users(conn, "52:54:00:2d:00:01", OFF) == []
