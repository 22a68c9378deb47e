"""Host limits for the New VM wizard: capabilities and domain capabilities."""

from __future__ import annotations

from collections.abc import Callable

import libvirt

from kvmdesk.virt.domcaps import (
    firmware_info,
    host_limits,
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
