"""Host virtualization check: samples of real hosts judged by ``evaluate``.

The capabilities below are trimmed from real ``virsh capabilities`` and
``virsh domcapabilities --virttype kvm`` output (an Intel workstation, an AMD
server, and a cloud virtual machine that offers KVM through kvm_pvm while
hiding vmx).
"""

from __future__ import annotations

import dataclasses
import errno
import io
import re
import subprocess
import sys
from pathlib import Path

import libvirt
import pytest

from kvmdesk.cli import check as cli
from kvmdesk.virt import hostcheck as hc
from kvmdesk.virt.errors import silence_stderr_printing
from kvmdesk.virt.hostcheck import (
    Check,
    HostFacts,
    KvmDevice,
    LibvirtFacts,
    LocalFacts,
    Report,
    Source,
    Status,
    Verdict,
    evaluate,
)

# ------------------------------------------------------------------ samples


def _cpuinfo(vendor: str, model_name: str, flags: str) -> str:
    block = (
        "processor\t: {n}\n"
        f"vendor_id\t: {vendor}\n"
        "cpu family\t: 6\n"
        f"model name\t: {model_name}\n"
        "cpu MHz\t\t: 2599.998\n"
        f"flags\t\t: {flags}\n"
        "bogomips\t: 5199.99\n"
        "address sizes\t: 46 bits physical, 48 bits virtual\n\n"
    )
    return block.format(n=0) + block.format(n=1)


_BASE_FLAGS = (
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx"
    " fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl"
    " xtopology nonstop_tsc cpuid pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic"
    " movbe popcnt aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch fsgsbase bmi1 avx2"
    " smep bmi2 erms invpcid rdseed adx smap clflushopt xsaveopt xsavec xgetbv1 xsaves"
)
CPUINFO_INTEL = _cpuinfo(
    "GenuineIntel",
    "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz",
    _BASE_FLAGS.replace("pclmulqdq", "pclmulqdq dtes64 monitor ds_cpl vmx est tm2")
    + " ept vpid ept_ad flexpriority tpr_shadow vnmi",
)
CPUINFO_AMD = _cpuinfo(
    "AuthenticAMD",
    "AMD EPYC 7302 16-Core Processor",
    _BASE_FLAGS.replace("lahf_lm", "lahf_lm cmp_legacy svm extapic cr8_legacy")
    + " npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists avic",
)
# This machine's kind: a cloud VM (the 'hypervisor' flag) that hides vmx.
CPUINFO_NESTED = _cpuinfo(
    "GenuineIntel", "Intel(R) Xeon(R) Processor", _BASE_FLAGS + " hypervisor arat"
)

PROC_MODULES_INTEL = (
    "kvm_intel 380928 0 - Live 0x0000000000000000\n"
    "kvm 1142784 1 kvm_intel, Live 0x0000000000000000\n"
    "irqbypass 16384 1 kvm, Live 0x0000000000000000\n"
    "vhost_net 36864 0 - Live 0x0000000000000000\n"
    "vhost 57344 1 vhost_net, Live 0x0000000000000000\n"
)
PROC_MODULES_AMD = PROC_MODULES_INTEL.replace("kvm_intel", "kvm_amd")
PROC_MODULES_NO_KVM = (
    "vhost_net 36864 0 - Live 0x0000000000000000\n"
    "vhost 57344 1 vhost_net, Live 0x0000000000000000\n"
    "bridge 311296 0 - Live 0x0000000000000000\n"
)

DEV_OK = KvmDevice(exists=True, accessible=True, api_version=12, group="kvm")
DEV_MISSING = KvmDevice(exists=False)
DEV_DENIED = KvmDevice(
    exists=True, accessible=False, errno=errno.EACCES, error="Permission denied", group="kvm"
)


def _host_cpu(vendor: str, model: str, features: list[str]) -> str:
    feats = "\n".join(f"      <feature name='{f}'/>" for f in features)
    return f"""    <cpu>
      <arch>x86_64</arch>
      <model>{model}</model>
      <vendor>{vendor}</vendor>
      <microcode version='240'/>
      <topology sockets='1' dies='1' cores='6' threads='2'/>
      <maxphysaddr mode='emulate' bits='39'/>
{feats}
      <pages unit='KiB' size='4'/>
      <pages unit='KiB' size='2048'/>
      <pages unit='KiB' size='1048576'/>
    </cpu>"""


def _guest(arch: str, wordsize: int, emulator: str, types: list[str]) -> str:
    domains = "\n".join(f"      <domain type='{t}'/>" for t in types)
    return f"""  <guest>
    <os_type>hvm</os_type>
    <arch name='{arch}'>
      <wordsize>{wordsize}</wordsize>
      <emulator>{emulator}</emulator>
      <machine maxCpus='255'>pc-i440fx-7.2</machine>
      <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>
      <machine maxCpus='288'>pc-q35-7.2</machine>
      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
{domains}
    </arch>
    <features>
      <acpi default='on' toggle='yes'/>
      <apic default='on' toggle='no'/>
      <cpuselection/>
      <deviceboot/>
      <disksnapshot default='on' toggle='no'/>
    </features>
  </guest>"""


def capabilities(
    vendor: str = "Intel",
    model: str = "Skylake-Client-IBRS",
    features: tuple[str, ...] = ("ds", "acpi", "ss", "ht", "tm", "pbe", "dtes64", "monitor"),
    hw: str | None = "vmx",
    types: tuple[str, ...] = ("qemu", "kvm"),
    iommu: str = "yes",
    guests: bool = True,
) -> str:
    feats = [*features, *([hw] if hw else []), "pdpe1gb", "invtsc", "md-clear"]
    guest = ""
    if guests:
        guest = "\n".join(
            [
                _guest("i686", 32, "/usr/bin/qemu-system-i386", list(types)),
                _guest("x86_64", 64, "/usr/bin/qemu-system-x86_64", list(types)),
            ]
        )
    return f"""<capabilities>

  <host>
    <uuid>4c4c4544-0042-3510-8052-b3c04f4d4e32</uuid>
{_host_cpu(vendor, model, feats)}
    <power_management>
      <suspend_mem/>
    </power_management>
    <iommu support='{iommu}'/>
    <migration_features>
      <live/>
      <uri_transports>
        <uri_transport>tcp</uri_transport>
        <uri_transport>rdma</uri_transport>
      </uri_transports>
    </migration_features>
    <secmodel>
      <model>apparmor</model>
      <doi>0</doi>
    </secmodel>
    <secmodel>
      <model>dac</model>
      <doi>0</doi>
      <baselabel type='kvm'>+64055:+994</baselabel>
      <baselabel type='qemu'>+64055:+994</baselabel>
    </secmodel>
  </host>

{guest}

</capabilities>
"""


def domcaps(
    vendor: str = "Intel", model: str = "Skylake-Client-IBRS", hw: str | None = "vmx"
) -> str:
    nested = f"\n      <feature policy='require' name='{hw}'/>" if hw else ""
    return f"""<domainCapabilities>
  <path>/usr/bin/qemu-system-x86_64</path>
  <domain>kvm</domain>
  <machine>pc-i440fx-7.2</machine>
  <arch>x86_64</arch>
  <vcpu max='255'/>
  <iothreads supported='yes'/>
  <os supported='yes'>
    <enum name='firmware'/>
    <loader supported='yes'>
      <enum name='type'>
        <value>rom</value>
        <value>pflash</value>
      </enum>
    </loader>
  </os>
  <cpu>
    <mode name='host-passthrough' supported='yes'>
      <enum name='hostPassthroughMigratable'>
        <value>on</value>
        <value>off</value>
      </enum>
    </mode>
    <mode name='maximum' supported='yes'/>
    <mode name='host-model' supported='yes'>
      <model fallback='forbid'>{model}</model>
      <vendor>{vendor}</vendor>
      <feature policy='require' name='ss'/>{nested}
      <feature policy='require' name='pdcm'/>
      <feature policy='require' name='hypervisor'/>
      <feature policy='require' name='tsc_adjust'/>
      <feature policy='require' name='invtsc'/>
    </mode>
    <mode name='custom' supported='yes'>
      <model usable='yes' vendor='Intel'>Skylake-Client-IBRS</model>
      <model usable='yes' vendor='unknown'>qemu64</model>
    </mode>
  </cpu>
  <features>
    <sev supported='no'/>
    <sgx supported='no'/>
  </features>
</domainCapabilities>
"""


KVM_UNSUPPORTED = (
    "unsupported configuration: KVM is not supported by '/usr/bin/qemu-system-x86_64' on this host"
)
CAPS_NESTED = capabilities(
    model="Broadwell",
    features=("vme", "ss", "ht", "f16c", "rdrand", "hypervisor", "arat", "tsc_adjust"),
    hw=None,
    iommu="no",
)


def local_facts(
    cpuinfo: str = CPUINFO_INTEL,
    kvm: KvmDevice = DEV_OK,
    proc_modules: str | None = PROC_MODULES_INTEL,
    **more: object,
) -> LocalFacts:
    base = LocalFacts(
        cpuinfo=cpuinfo,
        kvm=kvm,
        proc_modules=proc_modules,
        nested={"kvm_intel": "Y"},
        vhost_net=True,
        iommu_devices=("dmar0", "dmar1"),
        iommu_groups=17,
        user="alice",
        user_has_group=True,
        user_listed_in_group=True,
    )
    return dataclasses.replace(base, **more)  # type: ignore[arg-type]


def libvirt_facts(
    caps: str | None = None, dcaps: str | None = None, dcaps_error: str = "", **more: object
) -> LibvirtFacts:
    base = LibvirtFacts(
        uri="qemu:///system",
        capabilities=capabilities() if caps is None else caps,
        domcaps_kvm=dcaps,
        domcaps_kvm_error=dcaps_error,
        libvirt_version="9.0.0",
        driver="QEMU",
        hypervisor="QEMU 7.2.0",
    )
    return dataclasses.replace(base, **more)  # type: ignore[arg-type]


def facts(
    local: LocalFacts | None = None,
    lv: LibvirtFacts | None = None,
    uri: str = "qemu:///system",
    libvirt_error: str = "",
) -> HostFacts:
    return HostFacts(uri, hc.is_remote(uri), local, lv, libvirt_error)


def intel_host() -> HostFacts:
    return facts(local_facts(), libvirt_facts(capabilities(), domcaps()))


def nested_host(**local: object) -> HostFacts:
    """Like the machine this was written on: PVM KVM, vmx hidden, no vhost-net."""
    lf = local_facts(
        cpuinfo=CPUINFO_NESTED,
        proc_modules=None,
        sys_modules=frozenset({"kvm", "kvm_pvm"}),
        nested={},
        vhost_net=False,
        iommu_devices=(),
        iommu_groups=0,
        user="root",
    )
    lf = dataclasses.replace(lf, **local)  # type: ignore[arg-type]
    return facts(lf, libvirt_facts(CAPS_NESTED, domcaps(model="kvm64", hw=None)))


def by_key(report: Report) -> dict[str, Check]:
    return {c.key: c for c in report.checks}


def advice_text(check: Check) -> str:
    return "\n".join(str(a) for a in check.advice)


def assert_well_formed(report: Report) -> None:
    """Every non-PASS check says what to do; every sentence is fully formatted."""
    for c in report.checks:
        texts = [c.title, c.meaning, *c.advice]
        for text in texts:
            assert text.id.startswith("hostcheck."), text
            rendered = str(text)
            assert rendered and "{" not in rendered, rendered
        if c.status is not Status.PASS:
            assert c.advice, f"{c.key} has no advice"
    assert report.summary.id.startswith("hostcheck.summary.")
    worst = max((c.status for c in report.checks if c.essential), default=Status.PASS)
    assert int(report.verdict) == int(worst)


# ------------------------------------------------------------------ local hosts


def test_plain_intel_host_passes() -> None:
    report = evaluate(intel_host())
    assert_well_formed(report)
    assert report.verdict is Verdict.READY
    checks = by_key(report)
    assert [c.key for c in report.checks] == [
        "libvirt",
        "cpu_flags",
        "kvm_device",
        "kvm_modules",
        "libvirt_kvm",
        "emulation",
        "acceleration",
        "nested",
        "nx",
        "iommu",
        "vhost_net",
    ]
    assert all(c.status is Status.PASS for c in report.checks), [
        (c.key, str(c.meaning)) for c in report.checks if c.status is not Status.PASS
    ]
    assert "Intel VT-x" in str(checks["cpu_flags"].meaning)
    assert "vmx" in str(checks["cpu_flags"].meaning)
    assert "KVM API version 12" in str(checks["kvm_device"].meaning)
    assert "kvm_intel" in str(checks["kvm_modules"].meaning)
    assert "kvm_intel nested=Y" in str(checks["nested"].meaning)
    assert "Intel VT-d" in str(checks["iommu"].meaning)
    assert "hardware speed" in str(checks["acceleration"].meaning)
    # Where each fact comes from.
    assert checks["cpu_flags"].source is Source.LOCAL
    assert checks["kvm_device"].source is Source.LOCAL
    assert checks["libvirt_kvm"].source is Source.LIBVIRT
    assert checks["emulation"].source is Source.LIBVIRT
    assert checks["acceleration"].source is Source.BOTH
    assert str(report.summary) == "Guests can run with KVM acceleration"
    assert report.not_checked == ()


def test_plain_amd_host_passes() -> None:
    local = local_facts(
        cpuinfo=CPUINFO_AMD,
        proc_modules=PROC_MODULES_AMD,
        nested={"kvm_amd": "1"},
        iommu_devices=("ivhd0",),
    )
    caps = capabilities(
        vendor="AMD", model="EPYC-Rome", features=("x2apic", "tsc-deadline"), hw="svm"
    )
    report = evaluate(facts(local, libvirt_facts(caps, domcaps("AMD", "EPYC-Rome", "svm"))))
    assert_well_formed(report)
    assert report.verdict is Verdict.READY
    checks = by_key(report)
    assert "AMD-V" in str(checks["cpu_flags"].meaning)
    assert "svm" in str(checks["cpu_flags"].meaning)
    assert "kvm_amd" in str(checks["kvm_modules"].meaning)
    assert "kvm_amd nested=1" in str(checks["nested"].meaning)
    assert "AMD-Vi" in str(checks["iommu"].meaning)
    assert "AMD-V (svm)" in str(checks["acceleration"].meaning)


def test_optional_features_warn_without_lowering_the_verdict() -> None:
    local = local_facts(nested={"kvm_intel": "N"}, iommu_devices=(), iommu_groups=0)
    caps = capabilities(iommu="no")
    report = evaluate(facts(local, libvirt_facts(caps, domcaps(hw=None))))
    assert_well_formed(report)
    checks = by_key(report)
    assert checks["nested"].status is Status.WARN
    assert not checks["nested"].essential
    assert "modprobe -r kvm_intel" in advice_text(checks["nested"])
    assert checks["iommu"].status is Status.WARN
    assert "intel_iommu=on" in advice_text(checks["iommu"])
    assert report.verdict is Verdict.READY
    assert "optional features missing: 2" in str(report.summary)


def test_no_kvm_module_means_emulation() -> None:
    local = local_facts(kvm=DEV_MISSING, proc_modules=PROC_MODULES_NO_KVM, nested={})
    caps = capabilities(types=("qemu",))
    report = evaluate(facts(local, libvirt_facts(caps, None, KVM_UNSUPPORTED)))
    assert_well_formed(report)
    assert report.verdict is Verdict.DEGRADED
    checks = by_key(report)
    assert checks["cpu_flags"].status is Status.PASS  # vmx is there, KVM is just not loaded
    assert checks["kvm_modules"].status is Status.WARN
    assert "sudo modprobe kvm_intel" in advice_text(checks["kvm_modules"])
    assert checks["kvm_device"].status is Status.WARN
    assert "does not exist" in str(checks["kvm_device"].meaning)
    assert checks["libvirt_kvm"].status is Status.WARN
    assert "KVM is not supported" in str(checks["libvirt_kvm"].meaning)
    assert checks["emulation"].status is Status.PASS
    accel = checks["acceleration"]
    assert accel.status is Status.WARN
    assert str(accel.meaning).startswith("KVM is not available: guests run with software emulation")
    assert "many times slower" in str(accel.meaning)
    assert "sudo modprobe kvm_intel" in advice_text(accel)
    assert "nested" not in checks  # says nothing without KVM
    assert "software emulation" in str(report.summary)


def test_virtualization_off_in_firmware() -> None:
    flags_off = CPUINFO_INTEL.replace(" vmx", "")
    local = local_facts(cpuinfo=flags_off, kvm=DEV_MISSING, proc_modules=PROC_MODULES_NO_KVM)
    caps = capabilities(hw=None, types=("qemu",))
    report = evaluate(facts(local, libvirt_facts(caps, None, KVM_UNSUPPORTED)))
    assert_well_formed(report)
    assert report.verdict is Verdict.DEGRADED
    checks = by_key(report)
    assert checks["cpu_flags"].status is Status.WARN
    assert "firmware" in advice_text(checks["cpu_flags"])
    accel = advice_text(checks["acceleration"])
    assert "Enable Intel VT-x or AMD-V (SVM) in the firmware" in accel
    assert "modprobe kvm_intel (Intel) or sudo modprobe kvm_amd (AMD)" in accel


def test_permission_denied_on_session_gives_the_group_hint() -> None:
    local = local_facts(kvm=DEV_DENIED, user_has_group=False, user_listed_in_group=False)
    # The session daemon runs as alice, so it cannot offer 'kvm' either.
    caps = capabilities(types=("qemu",))
    lv = libvirt_facts(caps, None, KVM_UNSUPPORTED, uri="qemu:///session")
    report = evaluate(facts(local, lv, uri="qemu:///session"))
    assert_well_formed(report)
    assert report.verdict is Verdict.DEGRADED
    checks = by_key(report)
    dev = checks["kvm_device"]
    assert dev.status is Status.WARN
    assert "alice may not open it (Permission denied)" in str(dev.meaning)
    assert advice_text(dev) == (
        "Join the 'kvm' group that owns /dev/kvm: sudo usermod -aG kvm alice,"
        " then log out and in again."
    )
    accel = checks["acceleration"]
    assert "KVM is not available" in str(accel.meaning)
    assert "sudo usermod -aG kvm alice" in advice_text(accel)


def test_permission_denied_on_system_still_warns() -> None:
    local = local_facts(kvm=DEV_DENIED, user_has_group=False, user_listed_in_group=False)
    report = evaluate(facts(local, libvirt_facts(capabilities(), domcaps())))
    assert_well_formed(report)
    assert report.verdict is Verdict.DEGRADED
    checks = by_key(report)
    assert checks["acceleration"].status is Status.PASS  # libvirt's daemon has access
    dev = checks["kvm_device"]
    assert dev.status is Status.WARN
    assert "system daemon still uses KVM" in str(dev.meaning)
    assert "usermod -aG kvm alice" in advice_text(dev)


def test_group_joined_but_not_in_this_session() -> None:
    local = local_facts(kvm=DEV_DENIED, user_has_group=False, user_listed_in_group=True)
    report = evaluate(facts(local, libvirt_facts(capabilities(), domcaps())))
    assert "log out and in again (or run: newgrp kvm)" in advice_text(by_key(report)["kvm_device"])


def test_nested_host_with_hidden_flags() -> None:
    report = evaluate(nested_host())
    assert_well_formed(report)
    assert report.verdict is Verdict.DEGRADED
    checks = by_key(report)
    assert checks["kvm_device"].status is Status.PASS
    assert checks["libvirt_kvm"].status is Status.PASS
    flags = checks["cpu_flags"]
    assert flags.status is Status.WARN
    assert "'hypervisor' flag" in str(flags.meaning)
    accel = checks["acceleration"]
    assert accel.status is Status.WARN
    text = str(accel.meaning)
    assert text.startswith("KVM is exposed but the CPU flags are hidden")
    # Names both the hidden flags and the working /dev/kvm.
    assert "neither vmx (Intel VT-x) nor svm (AMD-V)" in text
    assert "/dev/kvm answers (KVM API version 12)" in text
    assert "libvirt offers domain type 'kvm' for x86_64" in text
    assert "nested or virtualized host" in text
    assert "kvm_pvm" in text
    assert "prefer emulation: domain type 'qemu'" in advice_text(accel)
    assert "kvm_pvm" in str(checks["kvm_modules"].meaning)
    # Nothing in /sys says whether nesting works; libvirt's host-model CPU does.
    assert checks["nested"].status is Status.WARN
    assert checks["nested"].source is Source.LIBVIRT
    vhost = checks["vhost_net"]
    assert vhost.status is Status.WARN
    assert "CONFIG_VHOST_NET" in advice_text(vhost)  # no /proc/modules: cannot modprobe
    assert "CPU flags are hidden" in str(report.summary)


def test_nested_host_without_pvm_has_no_pvm_note() -> None:
    host = nested_host(proc_modules=PROC_MODULES_INTEL, sys_modules=frozenset(), vhost_net=True)
    report = evaluate(host)
    accel = by_key(report)["acceleration"]
    assert accel.status is Status.WARN
    assert "kvm_pvm" not in str(accel.meaning)
    assert report.verdict is Verdict.DEGRADED


def test_hidden_flags_and_kvm_device_but_libvirt_without_kvm() -> None:
    host = nested_host()
    assert host.libvirt is not None
    lv = dataclasses.replace(
        host.libvirt,
        capabilities=capabilities(hw=None, types=("qemu",)),
        domcaps_kvm=None,
        domcaps_kvm_error=KVM_UNSUPPORTED,
    )
    report = evaluate(dataclasses.replace(host, libvirt=lv))
    assert_well_formed(report)
    checks = by_key(report)
    assert report.verdict is Verdict.DEGRADED
    assert "KVM is not available" in str(checks["acceleration"].meaning)
    assert "sudo systemctl restart libvirtd" in advice_text(checks["libvirt_kvm"])
    assert "sudo systemctl restart libvirtd" in advice_text(checks["acceleration"])


def test_no_kvm_and_no_emulator_fails() -> None:
    local = local_facts(kvm=DEV_MISSING, proc_modules=PROC_MODULES_NO_KVM, nested={})
    caps = capabilities(guests=False)
    report = evaluate(facts(local, libvirt_facts(caps, None, KVM_UNSUPPORTED)))
    assert_well_formed(report)
    assert report.verdict is Verdict.UNUSABLE
    checks = by_key(report)
    assert checks["emulation"].status is Status.FAIL
    accel = checks["acceleration"]
    assert accel.status is Status.FAIL
    assert "neither KVM (domain type 'kvm') nor emulation (domain type 'qemu')" in str(
        accel.meaning
    )
    assert "qemu-system-x86" in advice_text(accel)
    assert str(report.summary) == "No guest can run on this host"


def test_domain_capabilities_denied_on_a_read_only_connection() -> None:
    lv = libvirt_facts(
        capabilities(),
        None,
        "operation forbidden: read only access prevents virConnectGetDomainCapabilities",
        domcaps_unavailable=True,
    )
    report = evaluate(facts(local_facts(), lv))
    checks = by_key(report)
    assert checks["libvirt_kvm"].status is Status.PASS
    assert "could not be asked" in str(checks["libvirt_kvm"].meaning)
    assert report.verdict is Verdict.READY


def test_kvm_listed_but_domain_capabilities_fail() -> None:
    report = evaluate(facts(local_facts(), libvirt_facts(capabilities(), None, KVM_UNSUPPORTED)))
    checks = by_key(report)
    assert checks["libvirt_kvm"].status is Status.WARN
    assert "lists domain type 'kvm'" in str(checks["libvirt_kvm"].meaning)
    assert checks["acceleration"].status is Status.WARN
    assert report.verdict is Verdict.DEGRADED


def test_libvirt_unreachable_runs_local_checks() -> None:
    error = "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory"
    report = evaluate(facts(local_facts(), None, libvirt_error=error))
    assert_well_formed(report)
    checks = by_key(report)
    assert checks["libvirt"].status is Status.WARN
    assert error in str(checks["libvirt"].meaning)
    assert "systemctl start libvirtd" in advice_text(checks["libvirt"])
    assert "libvirt_kvm" not in checks and "emulation" not in checks
    assert checks["acceleration"].status is Status.PASS
    assert checks["acceleration"].source is Source.LOCAL
    assert checks["kvm_device"].status is Status.PASS
    assert report.verdict is Verdict.DEGRADED


def test_libvirt_unreachable_and_no_kvm() -> None:
    local = local_facts(kvm=DEV_MISSING, proc_modules=PROC_MODULES_NO_KVM)
    report = evaluate(facts(local, None, libvirt_error="Connection refused"))
    accel = by_key(report)["acceleration"]
    assert accel.status is Status.WARN
    assert "not even emulation is confirmed" in str(accel.meaning)
    assert report.verdict is Verdict.DEGRADED


def test_a_driver_that_is_not_qemu() -> None:
    lv = libvirt_facts(
        capabilities(types=("test",)),
        None,
        "not supported",
        domcaps_unavailable=True,
        driver="TEST",
    )
    report = evaluate(facts(local_facts(), lv, uri="test:///default"))
    assert_well_formed(report)
    checks = by_key(report)
    assert "libvirt_kvm" not in checks
    assert checks["acceleration"].status is Status.FAIL
    assert "TEST driver" in str(checks["acceleration"].meaning)
    assert report.verdict is Verdict.UNUSABLE


# ------------------------------------------------------------------ remote hosts


def test_remote_host_with_kvm_from_capabilities_only() -> None:
    # The local facts are of a nested VM; for a remote URI they must not count.
    uri = "qemu+ssh://admin@host.example/system"
    lv = libvirt_facts(capabilities(), domcaps(), uri=uri)
    report = evaluate(facts(nested_host().local, lv, uri=uri))
    assert_well_formed(report)
    assert report.remote
    assert report.verdict is Verdict.READY
    checks = by_key(report)
    assert set(checks) == {
        "libvirt",
        "cpu_flags",
        "libvirt_kvm",
        "emulation",
        "acceleration",
        "nested",
        "iommu",
    }
    assert all(c.source is Source.LIBVIRT for c in report.checks)
    assert "host CPU features that libvirt reports" in str(checks["cpu_flags"].meaning)
    assert "includes vmx" in str(checks["nested"].meaning)
    assert "/dev/kvm" not in " ".join(str(c.meaning) for c in report.checks)
    notes = " ".join(str(n) for n in report.not_checked)
    assert "KVM device" in notes and "vhost-net" in notes and "NX" in notes


def test_remote_host_without_kvm() -> None:
    uri = "qemu+tls://host.example/system"
    lv = libvirt_facts(capabilities(types=("qemu",)), None, KVM_UNSUPPORTED, uri=uri)
    report = evaluate(facts(None, lv, uri=uri))
    assert_well_formed(report)
    assert report.verdict is Verdict.DEGRADED
    accel = by_key(report)["acceleration"]
    assert accel.status is Status.WARN
    assert "KVM is not available" in str(accel.meaning)
    assert advice_text(accel).startswith("On that host:")


def test_remote_host_with_hidden_flags() -> None:
    uri = "qemu+ssh://cloud-vm/system"
    lv = libvirt_facts(CAPS_NESTED, domcaps(model="kvm64", hw=None), uri=uri)
    report = evaluate(facts(None, lv, uri=uri))
    accel = by_key(report)["acceleration"]
    assert accel.status is Status.WARN
    assert "(AMD-V) appears in the host CPU features that libvirt reports" in str(accel.meaning)
    assert report.verdict is Verdict.DEGRADED


def test_remote_host_not_reached() -> None:
    uri = "qemu+ssh://admin@host.example/system"
    report = evaluate(facts(local_facts(), None, uri=uri, libvirt_error="Connection refused"))
    assert_well_formed(report)
    assert [c.key for c in report.checks] == ["libvirt"]
    assert report.checks[0].status is Status.FAIL
    assert report.verdict is Verdict.UNUSABLE


def test_remote_nx_missing_from_host_model() -> None:
    uri = "qemu+ssh://old-host/system"
    dcaps = domcaps().replace(
        "<feature policy='require' name='ss'/>", "<feature policy='disable' name='nx'/>"
    )
    report = evaluate(facts(None, libvirt_facts(capabilities(), dcaps, uri=uri), uri=uri))
    nx = by_key(report)["nx"]
    assert nx.status is Status.WARN and nx.source is Source.LIBVIRT
    assert report.verdict is Verdict.READY  # optional


@pytest.mark.parametrize(
    ("uri", "remote"),
    [
        ("qemu:///system", False),
        ("qemu:///session", False),
        ("qemu+unix:///system", False),
        ("qemu+unix:///system?socket=/run/libvirt/virtqemud-sock", False),
        ("test:///default", False),
        ("qemu+ssh://root@host/system", True),
        ("qemu+ssh:///system", True),
        ("qemu+tcp://10.0.0.2/system", True),
        ("qemu+tls://host.example/system", True),
        ("qemu+libssh2://user@host/system?known_hosts=/tmp/kh", True),
        ("qemu://host.example/system", True),
    ],
)
def test_is_remote(uri: str, remote: bool) -> None:
    assert hc.is_remote(uri) is remote


# ------------------------------------------------------------------ parsing


def test_cpu_flags_and_modules() -> None:
    flags = hc.cpu_flags(CPUINFO_INTEL)
    assert flags is not None and {"vmx", "nx", "ept"} <= flags
    assert hc.cpu_flags("processor : 0\nFeatures : fp asimd evtstrm\n") is None
    assert hc.loaded_modules(PROC_MODULES_INTEL) >= {"kvm", "kvm_intel", "vhost_net"}
    assert hc.loaded_modules(None, ["kvm", "kvm_pvm"]) == {"kvm", "kvm_pvm"}
    assert [hc.nested_enabled(t) for t in ("Y\n", "1", "N", "0", "?")] == [
        True,
        True,
        False,
        False,
        None,
    ]


def test_parse_capabilities() -> None:
    caps = hc.parse_capabilities(capabilities())
    assert caps is not None
    assert caps.arch == "x86_64"
    assert caps.cpu_model == "Skylake-Client-IBRS"
    assert caps.cpu_features is not None and "vmx" in caps.cpu_features
    assert caps.iommu is True
    assert caps.types("x86_64") == {"qemu", "kvm"}
    assert caps.emulators["x86_64"] == "/usr/bin/qemu-system-x86_64"
    assert hc.parse_capabilities("<capabilities") is None
    assert hc.host_model_features(domcaps()) == {
        "ss": "require",
        "vmx": "require",
        "pdcm": "require",
        "hypervisor": "require",
        "tsc_adjust": "require",
        "invtsc": "require",
    }


def test_text_is_data() -> None:
    text = by_key(evaluate(nested_host()))["acceleration"].meaning
    assert text.id == "hostcheck.acceleration.hidden"
    assert "{where}" in text.english and "{evidence}" in text.english
    args = dict(text.args)
    # Parts of a sentence are sentences of their own, for translation.
    assert isinstance(args["evidence"], hc.Text)
    assert args["evidence"].id == "hostcheck.evidence.both"


# ------------------------------------------------------------------ gathering


def test_gather_local_from_a_fake_root(tmp_path: Path) -> None:
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc/cpuinfo").write_text(CPUINFO_INTEL)
    (tmp_path / "proc/modules").write_text(PROC_MODULES_INTEL)
    params = tmp_path / "sys/module/kvm_intel/parameters"
    params.mkdir(parents=True)
    (params / "nested").write_text("Y\n")
    (tmp_path / "sys/module/kvm").mkdir()
    (tmp_path / "sys/module/ext4").mkdir()
    (tmp_path / "sys/class/iommu/dmar0").mkdir(parents=True)
    for group in ("0", "1", "2"):
        (tmp_path / "sys/kernel/iommu_groups" / group).mkdir(parents=True)
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev/vhost-net").touch()
    (tmp_path / "dev/kvm").touch()  # a plain file: the ioctl fails

    local = hc.gather_local(tmp_path)
    assert local.cpuinfo == CPUINFO_INTEL
    assert local.proc_modules == PROC_MODULES_INTEL
    assert local.sys_modules == {"kvm", "kvm_intel"}
    assert local.nested == {"kvm_intel": "Y"}
    assert local.vhost_net
    assert local.iommu_devices == ("dmar0",)
    assert local.iommu_groups == 3
    assert local.kvm.exists and local.kvm.api_version is None
    assert local.kvm.errno == errno.ENOTTY
    assert local.user


def test_gather_local_with_nothing(tmp_path: Path) -> None:
    local = hc.gather_local(tmp_path)
    assert local.proc_modules is None and local.cpuinfo == ""
    assert not local.kvm.exists and not local.vhost_net
    report = evaluate(facts(local, None, libvirt_error="down"))
    assert_well_formed(report)


def test_gather_from_the_test_driver() -> None:
    silence_stderr_printing()
    conn = libvirt.open("test:///default")
    try:
        host = hc.gather(conn, "test:///default")
    finally:
        conn.close()
    assert not host.remote and host.local is not None
    assert host.libvirt is not None and host.libvirt.capabilities
    assert host.libvirt.driver.upper() == "TEST"
    assert host.libvirt.domcaps_unavailable
    report = evaluate(host)
    assert report.verdict is Verdict.UNUSABLE
    assert by_key(report)["acceleration"].status is Status.FAIL


def test_gather_without_connection() -> None:
    host = hc.gather(None, "qemu+ssh://nowhere/system", "Connection refused")
    assert host.remote and host.local is None and host.libvirt is None
    assert host.libvirt_error == "Connection refused"


# ------------------------------------------------------------------ command line

CHECK_LINE = re.compile(
    r"^(PASS|WARN|FAIL)  (?P<title>.+?) \(from (this machine and libvirt|this machine|libvirt)"
    r"(, optional)?\): .+$"
)


def test_render_nested_host() -> None:
    report = evaluate(nested_host())
    lines = cli.render(report)
    assert lines[0] == "Checking qemu:///system (this machine)"
    assert lines[-1].startswith("Summary: WARN (exit status 1): Guests can run, with warnings")
    check_lines = [ln for ln in lines if CHECK_LINE.match(ln)]
    assert len(check_lines) == len(report.checks)
    accel = next(ln for ln in lines if ln.startswith("WARN  KVM acceleration"))
    assert "(from this machine and libvirt)" in accel
    following = lines[lines.index(accel) + 1]
    assert following.startswith("      → If KVM guests hang at boot")
    assert any(
        ln.startswith("PASS  KVM device (from this machine): /dev/kvm answers") for ln in lines
    )
    assert any("(from libvirt, optional)" in ln for ln in lines)


def test_main_prints_and_returns_the_verdict(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        hc, "open_connection", lambda uri, allow=False: (None, "Connection refused")
    )
    monkeypatch.setattr(hc, "gather", lambda conn, uri, error: nested_host())
    assert cli.main([]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("Summary: WARN (exit status 1)")


def test_main_on_the_test_driver(capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.StringIO()
    assert cli.main(["-c", "test:///default"], out=buf) == 2
    lines = buf.getvalue().splitlines()
    assert lines[0] == "Checking test:///default (this machine)"
    assert lines[-1].startswith("Summary: FAIL (exit status 2)")
    assert capsys.readouterr().err == ""  # libvirt's own error printing is off


def test_check_command_imports_no_qt() -> None:
    code = (
        "import sys, kvmdesk.__main__, kvmdesk.cli.check\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
