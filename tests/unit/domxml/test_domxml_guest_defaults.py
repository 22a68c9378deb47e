"""The defaults table: one row wins per topic, user choices win over it, and
every missing host capability degrades to a bootable VM with a reason."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kvmdesk.domxml.guest_defaults import (
    TABLE,
    VIRTIO_LINUX,
    GuestTraits,
    HostTraits,
    Topic,
    platform_facts,
    resolve,
)

WIN11 = GuestTraits(
    short_id="win11", osinfo_id="x", family="winnt", usb3=True, q35=True, efi_required=True
)
DEBIAN = replace(VIRTIO_LINUX, short_id="debian11", osinfo_id="http://debian.org/debian/11")
FULL = HostTraits(uefi=True, secure_boot=True, tpm_emulator=True)


def _defaults(guest: GuestTraits, host: HostTraits, virt: str = "kvm", **kw: str):  # type: ignore[no-untyped-def]
    facts = guest.facts() | host.facts() | platform_facts("x86_64", virt)
    return resolve(facts, kw.get("machine", ""), kw.get("firmware", ""))


def test_every_topic_ends_with_a_row_for_any_facts() -> None:
    for topic in Topic:
        rows = [r for r in TABLE if r.topic is topic]
        assert rows, topic
        assert not rows[-1].when and not rows[-1].unless, topic


def test_a_modern_linux_on_a_kvm_host() -> None:
    found = _defaults(DEBIAN, HostTraits())
    expected = {
        Topic.MACHINE: "q35",
        Topic.FIRMWARE: "bios",
        Topic.CPU: "host-passthrough",
        Topic.CLOCK: "utc",
        Topic.TIMERS: "rtc:catchup pit:delay hpet:no",
        Topic.HYPERV: "",
        Topic.USB: "qemu-xhci",
        Topic.PCIE_PORTS: "14",
        Topic.DISK_BUS: "virtio",
        Topic.NIC: "virtio",
        Topic.AGENT: "on",
        Topic.RNG: "virtio",
        Topic.BALLOON: "virtio",
        Topic.PM: "no-suspend",
        Topic.METADATA: "osinfo",
    }
    assert {t: found.value(t) for t in expected} == expected
    assert found.warnings == ()


def test_windows_11_on_a_full_host() -> None:
    found = _defaults(WIN11, FULL)
    assert found.value(Topic.FIRMWARE) == "efi"
    assert found.value(Topic.SECURE_BOOT) == "on"
    assert found.value(Topic.TPM) == "2.0"
    assert found.value(Topic.CLOCK) == "localtime"
    assert "hypervclock:yes" in found.value(Topic.TIMERS)
    assert found.value(Topic.HYPERV) == "relaxed vapic spinlocks"
    assert (found.value(Topic.DISK_BUS), found.value(Topic.NIC)) == ("sata", "e1000e")
    assert found.value(Topic.BALLOON) == "none" and not found.on(Topic.AGENT)
    assert found.value(Topic.MEDIA) == "keep"
    assert found.warnings == ()


@pytest.mark.parametrize(
    ("host", "topic", "value", "why"),
    [
        (
            replace(FULL, uefi=False, secure_boot=False),
            Topic.FIRMWARE,
            "bios",
            "os-needs-uefi-missing",
        ),
        (replace(FULL, secure_boot=False), Topic.SECURE_BOOT, "off", "win-no-secure-boot"),
        (replace(FULL, tpm_emulator=False), Topic.TPM, "none", "win-no-swtpm"),
        (replace(FULL, q35=False), Topic.MACHINE, "pc", "host-no-q35"),
        (replace(FULL, hyperv=False), Topic.HYPERV, "", "hyperv-missing"),
    ],
    ids=["no-ovmf", "no-secure-boot", "no-swtpm", "no-q35", "no-hyperv"],
)
def test_a_missing_host_capability_degrades_with_a_warning(
    host: HostTraits, topic: Topic, value: str, why: str
) -> None:
    found = _defaults(WIN11, host)
    choice = found.choice(topic)
    assert (choice.value, choice.why, choice.warn) == (value, why, True)


def test_without_q35_secure_boot_is_off_and_said_so() -> None:
    found = _defaults(WIN11, FULL, machine="pc")
    assert found.choice(Topic.MACHINE).why == "user"
    assert found.choice(Topic.SECURE_BOOT).why == "secure-boot-needs-q35"
    assert found.value(Topic.PCIE_PORTS) == "0" and found.value(Topic.DISK_BUS) == "ide"


def test_no_guest_agent_channel_on_a_host_without_unix_channels() -> None:
    found = _defaults(DEBIAN, HostTraits(agent_channel=False))
    choice = found.choice(Topic.AGENT)
    assert (choice.value, choice.warn) == ("off", True)


def test_an_os_the_database_does_not_know_gets_generic_defaults_said_so() -> None:
    found = _defaults(VIRTIO_LINUX, HostTraits())
    assert found.choice(Topic.METADATA).why == "unknown-os" and found.choice(Topic.METADATA).warn
    assert found.value(Topic.DISK_BUS) == "virtio"
    unknown = _defaults(GuestTraits(), HostTraits())
    assert unknown.value(Topic.MACHINE) == "pc" and unknown.value(Topic.DISK_BUS) == "ide"


def test_emulation_gets_the_maximum_cpu_and_no_hyperv() -> None:
    found = _defaults(WIN11, replace(FULL, cpu_maximum=True), virt="qemu")
    assert found.value(Topic.CPU) == "maximum"
    assert found.value(Topic.HYPERV) == "" and found.choice(Topic.HYPERV).why == "hyperv-needs-kvm"
    assert "hypervclock" not in found.value(Topic.TIMERS)


def test_the_users_firmware_wins_and_the_rest_follows_it() -> None:
    found = _defaults(DEBIAN, FULL, firmware="efi")
    assert found.choice(Topic.FIRMWARE).why == "user"
    assert found.value(Topic.TPM) == "2.0"  # UEFI on a host with swtpm
    assert found.value(Topic.SECURE_BOOT) == "off"


def test_a_host_that_lists_no_machines_gets_libvirts_default() -> None:
    found = _defaults(DEBIAN, HostTraits(machines_known=False, q35=False))
    assert found.value(Topic.MACHINE) == "" and found.warnings == ()
