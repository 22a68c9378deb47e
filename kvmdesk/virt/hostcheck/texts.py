"""Sentences as data, and the titles of the checks.

Every sentence of the check is a ``Text``: a stable id, the English
template and its arguments, so that the layers above can translate them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence as data: a stable id, its English template and arguments."""

    id: str
    english: str
    # An argument is plain data (a path, a number) or a sentence part of its own.
    args: tuple[tuple[str, str | Text], ...] = ()

    def __str__(self) -> str:
        return self.english.format_map({k: str(v) for k, v in self.args})


def t(msg_id: str, english: str, **args: object) -> Text:
    """A ``Text``; an argument that is not a ``Text`` itself is kept as its string."""
    return Text(
        msg_id, english, tuple((k, v if isinstance(v, Text) else str(v)) for k, v in args.items())
    )


# The title of every check, by the check's key.
TITLES = {
    "libvirt": t("hostcheck.libvirt.title", "libvirt connection"),
    "cpu_flags": t("hostcheck.cpu_flags.title", "Hardware virtualization"),
    "kvm_device": t("hostcheck.kvm_device.title", "KVM device"),
    "kvm_modules": t("hostcheck.modules.title", "KVM kernel modules"),
    "libvirt_kvm": t("hostcheck.libvirt_kvm.title", "libvirt offers KVM"),
    "emulation": t("hostcheck.emulation.title", "Emulation"),
    "acceleration": t("hostcheck.acceleration.title", "KVM acceleration"),
    "nested": t("hostcheck.nested.title", "Nested virtualization"),
    "nx": t("hostcheck.nx.title", "NX (no-execute)"),
    "iommu": t("hostcheck.iommu.title", "IOMMU (device passthrough)"),
    "vhost_net": t("hostcheck.vhost_net.title", "vhost-net"),
}
# Stands in for an error that came without words.
UNKNOWN_ERROR = t("hostcheck.error.unknown", "unknown error")
