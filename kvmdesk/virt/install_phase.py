"""Switching a new VM from its install-time definition to its final one (blocking).

The New VM wizard defines a VM that installs from a CD-ROM, the network
or a kernel with a marker of what changes after the install
(``kvmdesk.domxml.install_marker``). ``finish_install`` applies it, once
the guest has shut down or rebooted by itself (state shut off, reason
"shutdown"): it re-reads the stored definition, applies each change whose
part nobody edited meanwhile, and defines the result with validation. The
marker leaves in the same define, so a second call, after a dropped
connection for instance, finds nothing to do.

A VM forced off, crashed, or running again is left alone: its install
goes on at its next start.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libvirt

from kvmdesk.domxml.install_marker import apply_marker, pending

# Secure: a VNC or SPICE password stays in the definition that is written back.
_READ_FLAGS = libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE


class Switch(enum.Enum):
    DONE = "done"  # the final definition is in place (maybe with parts skipped)
    NOT_PENDING = "not-pending"  # no install in progress (never, or already switched)
    WAITING = "waiting"  # still installing: running, or stopped by the user or a crash
    GONE = "gone"  # the VM no longer exists


@dataclass(frozen=True, slots=True)
class SwitchResult:
    uuid: str
    name: str
    switch: Switch
    applied: tuple[str, ...] = ()  # "boot", "eject:sda", "kernel", "on_reboot"
    skipped: tuple[str, ...] = ()  # edited since the install began: left as it was


def _guest_stopped(dom: libvirt.virDomain) -> bool:
    state, reason = dom.state()
    return bool(
        state == libvirt.VIR_DOMAIN_SHUTOFF and reason == libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN
    )


def install_pending(conn: libvirt.virConnect, uuid: str) -> bool:
    """Whether the VM still has its install-time definition."""
    try:
        dom = conn.lookupByUUIDString(uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return False
        raise
    return pending(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)) is not None


def finish_install(conn: libvirt.virConnect, uuid: str) -> SwitchResult:
    """Apply the final definition if the install is over; see the module docstring."""
    try:
        dom = conn.lookupByUUIDString(uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return SwitchResult(uuid, "", Switch.GONE)
        raise
    name = dom.name()
    xml = dom.XMLDesc(_READ_FLAGS)
    if pending(xml) is None:
        return SwitchResult(uuid, name, Switch.NOT_PENDING)
    if not _guest_stopped(dom):
        return SwitchResult(uuid, name, Switch.WAITING)
    applied = apply_marker(xml)
    if applied is None:  # pragma: no cover - pending() said there is a marker
        return SwitchResult(uuid, name, Switch.NOT_PENDING)
    conn.defineXMLFlags(applied.xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    return SwitchResult(uuid, name, Switch.DONE, applied.applied, applied.skipped)


__all__ = ["Switch", "SwitchResult", "finish_install", "install_pending"]
