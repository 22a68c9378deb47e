"""The ``virt-install`` command line that creates what the New VM wizard creates.

It passes what kvmdesk decided (name, memory, vCPUs, OS, install source,
disk, network, firmware, platform) in virt-install's options, and lets
virt-install choose the devices from the same osinfo entry, as kvmdesk's
defaults table does. ``tests/integration/test_virt_install_compare.py``
lists, with reasons, where kvmdesk's definition differs from what this
command makes; ``test_command_equivalence_real.py`` runs this very command
with ``--print-xml --dry-run`` and compares.
"""

from __future__ import annotations

from kvmdesk.domxml.install import (
    Firmware,
    InstallPlan,
    NetworkKind,
    SourceKind,
    StorageKind,
)
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command, Note, joined, noted, safe_uri

GIB = 1024**3

# kvmdesk's own records for an OS the database does not know, as osinfo names them.
GENERIC_VARIANTS = {
    "linux-generic": "linux2022",
    "linux-old": "generic",
    "windows-generic": "win10",
    "generic": "generic",
}


def sub_value(value: str) -> str:
    """A value inside virt-install's ``a=b,c=d`` options: quoted when it holds , or =."""
    if any(ch in value for ch in ',="'):
        return '"' + value.replace('"', '\\"') + '"'
    return value


def suboptions(*pairs: tuple[str, str]) -> str:
    return ",".join(f"{key}={sub_value(value)}" for key, value in pairs if value)


def _size(size_bytes: int) -> str:
    gib = size_bytes / GIB
    return str(int(gib)) if gib == int(gib) else f"{gib:.3f}".rstrip("0")


def _disk(plan: InstallPlan) -> list[str]:
    if plan.source is SourceKind.IMPORT:
        return ["--disk", suboptions(("path", plan.media), ("format", plan.media_format))]
    if plan.storage is StorageKind.NEW:
        pairs = (
            ("pool", plan.pool),
            ("size", _size(plan.disk_bytes)),
            ("format", plan.disk_format),
        )
        return ["--disk", suboptions(*pairs)]
    if plan.storage is StorageKind.EXISTING:
        return ["--disk", suboptions(("path", plan.disk_path), ("format", plan.disk_format))]
    return ["--disk", "none"]


def _source(plan: InstallPlan) -> list[str]:
    if plan.source is SourceKind.ISO:
        return ["--cdrom", plan.media]
    if plan.source in (SourceKind.IMPORT, SourceKind.MANUAL):
        return ["--import"]
    if plan.source is SourceKind.PXE:
        return ["--pxe"]
    install = suboptions(
        ("kernel", plan.kernel), ("initrd", plan.initrd), ("kernel_args", plan.cmdline)
    )
    media = ["--disk", suboptions(("path", plan.media), ("device", "cdrom"))] if plan.media else []
    return ["--install", install, *media]


def _network(plan: InstallPlan) -> list[str]:
    kind, source, mac = plan.network, plan.network_source, plan.mac
    if kind is NetworkKind.NETWORK:
        return ["--network", suboptions(("network", source), ("mac", mac))]
    if kind is NetworkKind.BRIDGE:
        return ["--network", suboptions(("bridge", source), ("mac", mac))]
    if kind is NetworkKind.DIRECT:
        pairs = (("type", "direct"), ("source", source), ("source_mode", "bridge"), ("mac", mac))
        return ["--network", suboptions(*pairs)]
    if kind is NetworkKind.USER:
        return ["--network", "user" + (f",mac={sub_value(mac)}" if mac else "")]
    return ["--network", "none"]


def os_variant(plan: InstallPlan) -> str:
    short = plan.guest.short_id
    return GENERIC_VARIANTS.get(short, short) if not plan.guest.osinfo_id else short


def virt_install_argv(uri: str, plan: InstallPlan) -> tuple[list[str], bool]:
    """The argument vector, and whether a password left the URI."""
    shown, removed = safe_uri(uri)
    argv = ["virt-install", "--connect", shown, "--name", plan.name]
    argv += ["--memory", str(plan.memory_mib), "--vcpus", str(plan.vcpus)]
    argv += ["--os-variant", os_variant(plan)]
    argv += ["--virt-type", plan.virt_type, "--arch", plan.arch]
    if plan.machine:
        argv += ["--machine", plan.machine]
    if plan.firmware is Firmware.UEFI:
        argv += ["--boot", "uefi"]
    argv += _source(plan)
    argv += _disk(plan)
    argv += _network(plan)
    if plan.virtio_win:
        argv += ["--disk", suboptions(("path", plan.virtio_win), ("device", "cdrom"))]
    argv += ["--graphics", "vnc,listen=127.0.0.1", "--noautoconsole"]
    return argv, removed


def virt_install(uri: str, plan: InstallPlan) -> Command:
    argv, removed = virt_install_argv(uri, plan)
    notes = frozenset({Note.SECRET_REMOVED}) if removed else frozenset()
    return Command((tuple(argv),), notes=notes)


def new_vm(uri: str, plan: InstallPlan, xml: str, customized: bool) -> Command:
    """What creating the VM does: virt-install, or, for a definition the user
    customized in XML, the new disk, ``virsh define`` of that XML and start."""
    if not customized:
        return virt_install(uri, plan)
    steps = []
    if plan.storage is StorageKind.NEW and plan.source is not SourceKind.IMPORT:
        steps.append(
            virsh_commands.vol_create_as(
                uri, plan.pool, plan.volume, plan.disk_bytes, plan.disk_format
            )
        )
    steps.append(virsh_commands.define_xml(uri, plan.name, xml))
    steps.append(virsh_commands.domain(uri, "start", plan.name))
    return noted(joined(steps), Note.NO_SINGLE_COMMAND)
