"""Sentences as data, and the titles of the checks.

Every sentence of the check is a ``Text``: a stable id, the English
template and its arguments, so that the layers above can translate them.
Write each one as ``check_text("hostcheck.<id>", "English {arg}")`` with two
string literals, then ``.with_args(arg=...)``: pyside6-lupdate reads that
call as ``QT_TRANSLATE_NOOP`` (``make translations`` says so with
``-tr-function-alias``) and files the English text under the id as its
context, which is what ``ui/host/host_check_page.tr_text`` asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence as data: a stable id, its English template and arguments."""

    id: str
    english: str
    # An argument is plain data (a path, a number) or a sentence part of its own.
    args: tuple[tuple[str, str | Text], ...] = ()

    def __str__(self) -> str:
        return self.english.format_map({k: str(v) for k, v in self.args})

    def with_args(self, **args: object) -> Text:
        """The same sentence with arguments; one that is not a ``Text`` is kept as its string."""
        return replace(
            self, args=tuple((k, v if isinstance(v, Text) else str(v)) for k, v in args.items())
        )


def check_text(msg_id: str, english: str) -> Text:
    """A ``Text`` without arguments (see the module's note on how to call it)."""
    return Text(msg_id, english)


# The title of every check, by the check's key.
TITLES = {
    "libvirt": check_text("hostcheck.libvirt.title", "libvirt connection"),
    "cpu_flags": check_text("hostcheck.cpu_flags.title", "Hardware virtualization"),
    "kvm_device": check_text("hostcheck.kvm_device.title", "KVM device"),
    "kvm_modules": check_text("hostcheck.modules.title", "KVM kernel modules"),
    "libvirt_kvm": check_text("hostcheck.libvirt_kvm.title", "libvirt offers KVM"),
    "emulation": check_text("hostcheck.emulation.title", "Emulation"),
    "acceleration": check_text("hostcheck.acceleration.title", "KVM acceleration"),
    "nested": check_text("hostcheck.nested.title", "Nested virtualization"),
    "nx": check_text("hostcheck.nx.title", "NX (no-execute)"),
    "iommu": check_text("hostcheck.iommu.title", "IOMMU (device passthrough)"),
    "vhost_net": check_text("hostcheck.vhost_net.title", "vhost-net"),
}
# Stands in for an error that came without words.
UNKNOWN_ERROR = check_text("hostcheck.error.unknown", "unknown error")
