"""Host limits for the New VM wizard: capabilities and domain capabilities."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libvirt

from kvmdesk.virt.domcaps import (
    firmware_info,
    host_limits,
    host_traits,
    parse_capabilities,
    parse_domain_capabilities,
)

CAPS = """<capabilities>
  <host><cpu><arch>x86_64</arch></cpu></host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <machine maxCpus='255'>pc-i440fx-7.2</machine>
      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
      <machine maxCpus='288'>pc-q35-7.2</machine>
      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
      <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.4</machine>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'>
      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
      <domain type='qemu'/>
    </arch>
  </guest>
  <guest><os_type>xen</os_type><arch name='x86_64'><domain type='xen'/></arch></guest>
</capabilities>"""

DOMCAPS_EFI = """<domainCapabilities>
  <machine>pc-q35-7.2</machine><vcpu max='288'/>
  <os supported='yes'>
    <enum name='firmware'><value>bios</value><value>efi</value></enum>
    <loader supported='yes'><value>/usr/share/OVMF/OVMF_CODE_4M.fd</value></loader>
  </os>
</domainCapabilities>"""

DOMCAPS_BIOS = """<domainCapabilities>
  <machine>pc-i440fx-7.2</machine><vcpu max='255'/>
  <os supported='yes'><enum name='firmware'/><loader supported='yes'>
    <enum name='type'><value>rom</value><value>pflash</value></enum></loader></os>
</domainCapabilities>"""


def test_kvm_comes_first_and_deprecated_machines_are_left_out() -> None:
    limits = parse_capabilities(CAPS, ["x86_64", 16384, 8, 2000, 1, 1, 4, 2])
    assert (limits.memory_mib, limits.cpus, limits.host_arch) == (16384, 8, "x86_64")
    assert [g.arch for g in limits.arches] == ["x86_64", "i686"]
    x86 = limits.guest("x86_64")
    assert x86 is not None
    assert x86.virt_types == ("kvm", "qemu")
    assert x86.machines[:2] == ("pc", "q35")
    assert "pc-i440fx-1.4" not in x86.machines
    assert x86.default_machine == "pc"
    assert limits.preferred_arch == "x86_64"


def test_uefi_is_offered_only_when_the_host_has_it() -> None:
    efi = parse_domain_capabilities(DOMCAPS_EFI, 8)
    assert efi.uefi and efi.max_vcpus == 288
    assert efi.loaders == ("/usr/share/OVMF/OVMF_CODE_4M.fd",)
    bios = parse_domain_capabilities(DOMCAPS_BIOS, 8)
    assert not bios.uefi and bios.max_vcpus == 255 and bios.machine == "pc-i440fx-7.2"


def test_the_test_driver_gets_bios_and_the_node_cpus(
    virt: Callable[[str], libvirt.virConnect],
) -> None:
    conn = virt("create.xml")
    limits = host_limits(conn)
    assert limits.cpus == 4 and limits.memory_mib == 8192
    assert limits.arches and limits.arches[0].virt_types == ("test",)
    info = firmware_info(conn, "test", limits.preferred_arch, "")
    assert not info.uefi and 1 <= info.max_vcpus <= 4


# -- what the New VM defaults need -------------------------------------------------

HOSTCAPS = Path(__file__).parents[2] / "data" / "hostcaps"


def _domcaps(name: str) -> str:
    return (HOSTCAPS / name).read_text(encoding="utf-8")


def test_a_host_without_ovmf_and_swtpm_offers_neither() -> None:
    info = parse_domain_capabilities(_domcaps("qemu-7.2-q35-kvm-domcaps.xml"), 2)
    assert (info.uefi, info.secure_boot, info.tpm_emulator) == (False, False, False)
    assert info.agent_channel and info.hyperv and info.cpu_maximum
    assert info.machine == "pc-q35-7.2"


def test_a_host_with_ovmf_and_swtpm_offers_secure_boot_and_tpm_2() -> None:
    info = parse_domain_capabilities(_domcaps("qemu-7.2-q35-kvm-ovmf-swtpm-domcaps.xml"), 2)
    assert (info.uefi, info.secure_boot, info.tpm_emulator) == (True, True, True)
    assert info.loaders[0].endswith("OVMF_CODE_4M.ms.fd")


def test_missing_channel_types_tpm_versions_and_hyperv_are_read_as_such() -> None:
    xml = _domcaps("qemu-7.2-q35-kvm-ovmf-swtpm-domcaps.xml")
    no_unix = xml.replace("<value>unix</value>", "")
    assert not parse_domain_capabilities(no_unix, 2).agent_channel
    tpm12 = xml.replace("<value>2.0</value>", "")
    assert not parse_domain_capabilities(tpm12, 2).tpm_emulator
    no_hyperv = xml.replace("<hyperv supported='yes'>", "<hyperv supported='no'>")
    assert not parse_domain_capabilities(no_hyperv, 2).hyperv


def test_host_traits_from_the_capabilities() -> None:
    limits = parse_capabilities(
        (HOSTCAPS / "qemu-7.2-x86_64-caps.xml").read_text(encoding="utf-8"), ["x86_64", 1, 2]
    )
    info = parse_domain_capabilities(_domcaps("qemu-7.2-q35-kvm-ovmf-swtpm-domcaps.xml"), 2)
    traits = host_traits(limits.guest("x86_64"), info)
    assert traits.machines_known and traits.q35 and traits.secure_boot and traits.tpm_emulator
    pc_only = parse_capabilities(CAPS.replace("q35", "isapc"), ["x86_64", 1, 2])
    assert not host_traits(pc_only.guest("x86_64"), info).q35
    assert not host_traits(None, info).machines_known
