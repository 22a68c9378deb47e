"""kvmdesk's new VMs against virt-install's, scenario by scenario.

For each scenario the same choices go to ``virt-install --print-xml
--dry-run`` (the tool the wizard imitates) and to kvmdesk's planner, both
deciding for the same host (``tests/data/hostcaps``) and the same osinfo
database. Every element, attribute and text virt-install sets must be in
kvmdesk's definition too, or be listed in ``ACCEPTED`` with the reason
kvmdesk chooses otherwise; what kvmdesk adds is listed there as well.
Both tools' definitions, install-time and final, must pass
``virt-xml-validate``. Nothing touches a real libvirtd.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kvmdesk.domxml import Domain
from kvmdesk.domxml.canonical import canonical
from kvmdesk.domxml.guest_defaults import GuestTraits
from kvmdesk.domxml.install import (
    Firmware,
    InstallPlan,
    NetworkKind,
    SourceKind,
    StorageKind,
    build_domain,
    final_domain,
)
from kvmdesk.virt.domcaps import (
    host_traits,
    parse_capabilities,
    parse_domain_capabilities,
)
from kvmdesk.virt.osinfo import load_catalog

try:
    from .conftest import unavailable
    from .virt_install import CAPS, HOSTCAPS, available, facts, print_xml, validate
except ImportError:
    from conftest import unavailable  # type: ignore[no-redef]
    from virt_install import (  # type: ignore[no-redef]
        CAPS,
        HOSTCAPS,
        available,
        facts,
        print_xml,
        validate,
    )

OSINFO = Path("/usr/share/osinfo")
FULL_HOST = HOSTCAPS / "qemu-7.2-q35-kvm-ovmf-swtpm-domcaps.xml"
BARE_HOST = HOSTCAPS / "qemu-7.2-q35-kvm-domcaps.xml"
MAC = "52:54:00:6b:3c:01"
NEW_DISK_PATH = "/var/lib/libvirt/images/{name}.qcow2"


@dataclass(frozen=True)
class Scenario:
    name: str
    virt_install: list[str]  # what follows --name, --memory, --vcpus, --network
    plan: dict[str, object]  # InstallPlan fields besides the common ones
    os: str  # osinfo short id kvmdesk looks up; "" for kvmdesk's generic choices
    generic: str = ""  # kvmdesk's generic record when the database has no entry
    domcaps: Path = FULL_HOST
    memory: int = 2048
    network: bool = True
    paths: set[str] = field(default_factory=set)  # disk paths each tool names its own way


def scenarios(work: Path) -> list[Scenario]:
    iso = str(work / "debian-11.iso")
    win10 = str(work / "win10.iso")
    win11 = str(work / "win11.iso")
    disk = str(work / "existing.qcow2")
    kernel, initrd = str(work / "vmlinuz"), str(work / "initrd.img")
    new_disk = {
        "storage": StorageKind.NEW,
        "pool": "default",
        "volume": "vm.qcow2",
        "disk_bytes": 20 * 1024**3,
    }
    return [
        Scenario(
            "debian-iso",
            ["--cdrom", iso, "--disk", "size=20"],
            {"source": SourceKind.ISO, "media": iso, **new_disk},
            "debian11",
        ),
        Scenario(
            "debian-iso-uefi",
            ["--cdrom", iso, "--disk", "size=20", "--boot", "uefi"],
            {"source": SourceKind.ISO, "media": iso, "firmware": Firmware.UEFI, **new_disk},
            "debian11",
        ),
        Scenario(
            "windows10-iso",
            ["--cdrom", win10, "--disk", "size=64"],
            {"source": SourceKind.ISO, "media": win10, **new_disk},
            "win10",
            memory=4096,
        ),
        Scenario(
            "windows11-iso",
            ["--cdrom", win11, "--disk", "size=64"],
            {"source": SourceKind.ISO, "media": win11, **new_disk},
            "win11",
            memory=4096,
        ),
        Scenario(
            "windows11-no-ovmf-no-swtpm",
            ["--cdrom", win11, "--disk", "size=64"],
            {"source": SourceKind.ISO, "media": win11, **new_disk},
            "win11",
            domcaps=BARE_HOST,
            memory=4096,
        ),
        Scenario(
            "import",
            ["--import", "--disk", f"path={disk}"],
            {"source": SourceKind.IMPORT, "media": disk, "media_format": "qcow2"},
            "debian11",
        ),
        Scenario(
            "direct-kernel",
            [
                "--install",
                f"kernel={kernel},initrd={initrd},kernel_args=console=ttyS0",
                "--disk",
                "size=20",
            ],
            {
                "source": SourceKind.KERNEL,
                "kernel": kernel,
                "initrd": initrd,
                "cmdline": "console=ttyS0",
                **new_disk,
            },
            "debian11",
        ),
        Scenario(
            "pxe",
            ["--pxe", "--disk", "size=20"],
            {"source": SourceKind.PXE, **new_disk},
            "debian11",
        ),
        Scenario(
            "unknown-linux",
            ["--cdrom", iso, "--disk", "size=20"],
            {"source": SourceKind.ISO, "media": iso, **new_disk},
            "linux2022",
            generic="linux-generic",
        ),
        Scenario(
            "manual-no-os",
            ["--import", "--disk", "size=10"],
            {"source": SourceKind.MANUAL, **new_disk},
            "generic",
            generic="generic",
        ),
    ]


def _plan(scenario: Scenario, name: str) -> InstallPlan:
    catalog = load_catalog([OSINFO])
    record = catalog.find(scenario.generic or scenario.os)
    assert record is not None, scenario.os
    limits = parse_capabilities(CAPS.read_text(encoding="utf-8"), ["x86_64", 6144, 2])
    info = parse_domain_capabilities(scenario.domcaps.read_text(encoding="utf-8"), 2)
    guest: GuestTraits = record.traits()
    return InstallPlan(
        name=name,
        memory_mib=scenario.memory,
        vcpus=2,
        network=NetworkKind.NETWORK if scenario.network else NetworkKind.NONE,
        network_source="default",
        mac=MAC,
        guest=guest,
        host=host_traits(limits.guest("x86_64"), info),
        virt_type="kvm",
        arch="x86_64",
        **scenario.plan,  # type: ignore[arg-type]
    )


def _kvmdesk(plan: InstallPlan) -> list[str]:
    install = build_domain(plan).to_xml()
    final = final_domain(plan).to_xml()
    return [install] if final == install else [install, final]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = available()
    if missing:
        unavailable(f"not installed: {missing} (scripts/install-system-deps.sh test)")
    if not (OSINFO / "os").is_dir():
        unavailable("osinfo-db is not installed")
    path = tmp_path_factory.mktemp("virt-install")
    for name in (
        "debian-11.iso",
        "win10.iso",
        "win11.iso",
        "vmlinuz",
        "initrd.img",
        "existing.qcow2",
    ):
        (path / name).write_bytes(b"\0" * 4096)
    return path


@dataclass(frozen=True)
class Accepted:
    """A difference kvmdesk chooses, on purpose."""

    side: str  # "virt-install": only virt-install has it; "kvmdesk": only kvmdesk
    pattern: str  # a regular expression over facts (see virt_install.facts)
    reason: str


VI, KD = "virt-install", "kvmdesk"
ACCEPTED = (
    Accepted(
        VI,
        r"uuid(=UUID)?",
        "kvmdesk leaves the UUID to libvirt, which makes one when the VM is defined.",
    ),
    Accepted(
        VI,
        r"devices/emulator(=.*)?",
        "kvmdesk leaves the emulator to libvirt, which picks it from the domain type and "
        "architecture; on a remote host the binary may live elsewhere.",
    ),
    Accepted(
        VI,
        r"devices/graphics\[vnc\]@port=-1",
        "Both let libvirt pick the VNC port; kvmdesk says so with autoport.",
    ),
    Accepted(
        VI,
        r"devices/disk\[disk\](@type=file|/source@file=PATH)",
        "kvmdesk refers to a new disk as a volume of its storage pool (any pool type, also "
        "on a remote host), not as a file path.",
    ),
    Accepted(
        VI,
        r"devices/video/model@type=virtio",
        "A kernel booted directly rarely carries the virtio-gpu driver in its initramfs; "
        "VGA shows its console in any case.",
    ),
    Accepted(
        VI,
        r"metadata(/libosinfo:libosinfo(/libosinfo:os(@id=http://libosinfo.org/linux/2022)?)?)?",
        "An OS the database does not list is recorded as no OS: kvmdesk's generic Linux is "
        "a guess (said so on the summary page), not osinfo's 'Generic Linux 2022'.",
    ),
    Accepted(
        VI,
        r"os/type@machine=pc-i440fx-7\.2",
        "kvmdesk names the machine by its alias; libvirt stores the newest versioned "
        "machine, the one virt-install names.",
    ),
    Accepted(KD, r"(memory|currentMemory)@unit=KiB", "kvmdesk writes the unit out; both mean KiB."),
    Accepted(
        KD,
        r"on_(poweroff|crash)(=destroy)?|on_reboot(=restart)?",
        "kvmdesk writes libvirt's defaults out, so that the definition says what happens "
        "(on_reboot is destroy in both install-time definitions).",
    ),
    Accepted(
        KD,
        r"devices/serial\[pty\].*|devices/console\[pty\]/target.*",
        "A serial port and its console, spelled out: libvirt makes the same of "
        "virt-install's bare <console>, and the Console tab reads it.",
    ),
    Accepted(
        KD,
        r"devices/graphics\[vnc\]@(listen=127\.0\.0\.1|autoport=yes)",
        "VNC listens on the host's loopback only (reached through the viewer or an SSH "
        "tunnel), never on every interface.",
    ),
    Accepted(
        KD,
        r"devices/disk\[disk\](@type=volume|/source@(pool|volume)=.*)",
        "The new disk as a volume of its storage pool (see above).",
    ),
    Accepted(
        KD,
        r"devices/disk\[cdrom\]/driver(@name=qemu|@type=raw)?",
        "kvmdesk names the CD-ROM's format (raw) and keeps it when the drive is emptied, so "
        "media inserted later is read as raw, never probed.",
    ),
    Accepted(
        KD,
        r"metadata/kvmdesk:install.*",
        "The second phase travels with the VM (kvmdesk.domxml.install_marker): whichever "
        "kvmdesk sees the guest stop applies it, once, even after a dropped connection.",
    ),
    Accepted(
        KD,
        r"devices/memballoon(@model=none)?",
        "No memory balloon for an OS without its driver; virt-install leaves it to "
        "libvirt, which adds a virtio balloon the guest shows as an unknown device.",
    ),
    Accepted(
        KD,
        r"devices/tpm/backend@version=2\.0",
        "The TPM's version is written out: 2.0, which Windows 11 needs.",
    ),
    Accepted(
        KD,
        r"os/firmware.*|features/smm(@state=on)?",
        "Windows 11 gets Secure Boot with Microsoft's keys enrolled, and the SMM its "
        "firmware needs: its installer refuses a machine without Secure Boot.",
    ),
    Accepted(KD, r"os/type@machine=pc", "The machine's alias (see above)."),
    Accepted(
        KD,
        r"devices/disk\[disk\]/driver@(type=qcow2|discard=unmap)",
        "kvmdesk reads an imported image's format from the file, and lets a qcow2 image "
        "(thin) return the space the guest frees to the host.",
    ),
    Accepted(KD, r"devices/video/model@type=vga", "VGA for a kernel booted directly (see above)."),
)


def _reason(fact: str, side: str, used: set[Accepted]) -> Accepted | None:
    for accepted in ACCEPTED:
        if accepted.side == side and re.fullmatch(accepted.pattern, fact):
            used.add(accepted)
            return accepted
    return None


@dataclass
class Outcome:
    theirs: list[str]
    ours: list[str]
    unexplained: list[str]


@pytest.fixture(scope="module")
def outcomes(work: Path) -> tuple[dict[str, Outcome], set[Accepted]]:
    """Every scenario through both tools, once; and the accepted differences used."""
    used: set[Accepted] = set()
    found: dict[str, Outcome] = {}
    name = "vm"
    paths = {NEW_DISK_PATH.format(name=name)}
    for scenario in scenarios(work):
        args = ["--name", name, "--memory", str(scenario.memory), "--vcpus", "2"]
        args += ["--os-variant", scenario.os, "--network", "network=default"]
        theirs = print_xml(args + scenario.virt_install, scenario.domcaps, work)
        ours = _kvmdesk(_plan(scenario, name))
        unexplained = []
        for phase, (vi_xml, kd_xml) in enumerate(zip(theirs, ours, strict=False)):
            vi_facts, kd_facts = facts(vi_xml, paths), facts(kd_xml, paths)
            for side, only in ((VI, vi_facts - kd_facts), (KD, kd_facts - vi_facts)):
                for fact in sorted(only):
                    if _reason(fact, side, used) is None:
                        unexplained.append(f"phase {phase + 1}, only {side}: {fact}")
        found[scenario.name] = Outcome(theirs, ours, unexplained)
    return found, used


NAMES = [
    "debian-iso",
    "debian-iso-uefi",
    "windows10-iso",
    "windows11-iso",
    "windows11-no-ovmf-no-swtpm",
    "import",
    "direct-kernel",
    "pxe",
    "unknown-linux",
    "manual-no-os",
]


def test_the_scenario_list_is_complete(work: Path) -> None:
    assert [s.name for s in scenarios(work)] == NAMES


@pytest.mark.parametrize("scenario", NAMES)
def test_kvmdesk_sets_what_virt_install_sets(
    outcomes: tuple[dict[str, Outcome], set[Accepted]], scenario: str
) -> None:
    outcome = outcomes[0][scenario]
    # Both have a second phase, or neither has.
    assert len(outcome.ours) == len(outcome.theirs), (outcome.ours, outcome.theirs)
    assert outcome.unexplained == [], "\n".join(outcome.unexplained)


@pytest.mark.parametrize("scenario", NAMES)
def test_both_definitions_pass_virt_xml_validate(
    outcomes: tuple[dict[str, Outcome], set[Accepted]], scenario: str, work: Path
) -> None:
    outcome = outcomes[0][scenario]
    for tool, documents in (("virt-install", outcome.theirs), ("kvmdesk", outcome.ours)):
        for phase, xml in enumerate(documents, 1):
            validate(xml, work, f"{scenario}-{tool}-{phase}")


@pytest.mark.parametrize("scenario", NAMES)
def test_both_definitions_round_trip_through_the_model(
    outcomes: tuple[dict[str, Outcome], set[Accepted]], scenario: str
) -> None:
    """What virt-install prints (and kvmdesk builds) comes back from parse and build unchanged."""
    outcome = outcomes[0][scenario]
    for xml in outcome.theirs + outcome.ours:
        assert canonical(Domain.from_xml(xml).to_xml()) == canonical(xml)


def test_every_accepted_difference_is_still_needed(
    outcomes: tuple[dict[str, Outcome], set[Accepted]],
) -> None:
    unused = [a.pattern for a in ACCEPTED if a not in outcomes[1]]
    assert unused == []
