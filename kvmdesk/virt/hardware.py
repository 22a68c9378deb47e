"""Reading and changing a domain's hardware: now, at next boot, or both.

``fetch_hardware`` reads what the Hardware tab edits: the next-boot
definition with its secrets (``VIR_DOMAIN_XML_SECURE``, where the
connection may read them: a define built from a definition without them
would delete a VNC password), the live definition of a running domain,
autostart, and what the host offers (``virt.hardware_offer``).

``apply_hardware`` carries out one Apply:

* next boot (``Scope.CONFIG``): the edited definition is defined through
  ``xmledit.save_xml``, which refuses (``XmlConflict``) when the stored
  definition is no longer the one the forms were built from, puts back
  secrets the forms never saw, validates, and reports what libvirt dropped;
* now (``Scope.LIVE``): each ``LiveOp`` with ``VIR_DOMAIN_AFFECT_LIVE``
  (``setVcpusFlags``, ``setMemoryFlags``, ``updateDeviceFlags``,
  ``attachDeviceFlags``, ``detachDeviceFlags``). A live step that fails
  does not undo the stored definition: the change is then pending until
  the guest restarts, and the outcome says which step failed and why.

Detaching is asynchronous in QEMU: ``virt.device_removal.RemovalWatch``
waits for the guest's answer (the ``device-removed`` or
``device-removal-failed`` event), and a device the guest keeps or refuses
is reported as such.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import libvirt

from kvmdesk.virt.device_removal import DETACH_WAIT_S, NotReleased, RemovalWatch
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.hardware_offer import HostOffer, host_offer
from kvmdesk.virt.steps import Journal
from kvmdesk.virt.xmledit import read_definition, save_journal, save_xml


class Scope(enum.Flag):
    LIVE = enum.auto()  # the running guest, now
    CONFIG = enum.auto()  # the stored definition, from the next boot
    BOTH = LIVE | CONFIG


class OpKind(enum.Enum):
    VCPUS = "vcpus"
    MEMORY = "memory"
    UPDATE = "update"  # change media, link state
    ATTACH = "attach"
    DETACH = "detach"


@dataclass(frozen=True)
class LiveOp:
    """One change to the running guest; ``xml`` is a <device> for the device kinds."""

    kind: OpKind
    value: int = 0  # vCPUs, or memory in KiB
    xml: str = ""
    alias: str = ""  # DETACH: the live alias to wait for


@dataclass(frozen=True)
class HardwareState:
    stored: str  # the next-boot definition, with secrets where allowed
    secure: bool  # read with its secrets
    live: str | None  # the running definition; None when shut off
    persistent: bool
    autostart: bool
    offer: HostOffer


@dataclass(frozen=True)
class ApplyOutcome:
    stored: bool  # the next-boot definition was changed
    running: bool
    dropped: tuple[str, ...] = ()  # what libvirt did not keep of the stored edit
    live_done: tuple[LiveOp, ...] = ()
    live_failed: tuple[tuple[LiveOp, Failure], ...] = field(default=())

    @property
    def pending_restart(self) -> bool:
        """Stored, but not (all) done on the running guest."""
        return self.stored and self.running and bool(self.live_failed)


def fetch_hardware(conn: libvirt.virConnect, uuid: str) -> HardwareState:
    dom = conn.lookupByUUIDString(uuid)
    stored, secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    active = bool(dom.isActive())
    live = read_definition(dom, 0)[0] if active else None
    persistent = bool(dom.isPersistent())
    autostart = bool(dom.autostart()) if persistent else False
    return HardwareState(stored, secure, live, persistent, autostart, host_offer(conn, stored))


def apply_hardware(
    conn: libvirt.virConnect,
    uuid: str,
    original: str,
    edited: str,
    live_ops: tuple[LiveOp, ...],
    scope: Scope,
    *,
    original_secure: bool = True,
    journal: Journal | None = None,
) -> ApplyOutcome:
    """Store ``edited`` (CONFIG) and/or run ``live_ops`` (LIVE), in that order.

    Raises ``XmlConflict``, ``SecretsUnreadable`` or libvirt's error of
    the define before anything is changed; live failures are collected.
    """
    stored = False
    dropped: tuple[str, ...] = ()
    if Scope.CONFIG in scope and edited != original:
        result = save_xml(
            conn,
            uuid,
            original,
            edited,
            original_secure=original_secure,
            journal=journal or save_journal(),
        )
        stored, dropped = True, result.dropped
    dom = conn.lookupByUUIDString(uuid)
    running = bool(dom.isActive())
    done: list[LiveOp] = []
    failed: list[tuple[LiveOp, Failure]] = []
    if Scope.LIVE in scope and running:
        for op in live_ops:
            try:
                run_live(dom, op)
            except libvirt.libvirtError as exc:
                failed.append((op, classify(exc)))
            except NotReleased as kept:
                kind = ErrorKind.INVALID_OPERATION if kept.refused else ErrorKind.TIMEOUT
                failed.append((op, Failure(kind, kept.reason)))
            else:
                done.append(op)
    return ApplyOutcome(stored, running, dropped, tuple(done), tuple(failed))


def run_live(dom: libvirt.virDomain, op: LiveOp) -> None:
    live = libvirt.VIR_DOMAIN_AFFECT_LIVE
    if op.kind is OpKind.VCPUS:
        dom.setVcpusFlags(op.value, live)
    elif op.kind is OpKind.MEMORY:
        dom.setMemoryFlags(op.value, live)
    elif op.kind is OpKind.UPDATE:
        dom.updateDeviceFlags(op.xml, live)
    elif op.kind is OpKind.ATTACH:
        dom.attachDeviceFlags(op.xml, live)
    else:
        with RemovalWatch(dom.connect(), dom, op.alias, DETACH_WAIT_S) as watch:
            dom.detachDeviceFlags(op.xml, live)
            watch.wait()


def set_autostart(conn: libvirt.virConnect, uuid: str, on: bool) -> None:
    conn.lookupByUUIDString(uuid).setAutostart(1 if on else 0)


__all__ = [
    "ApplyOutcome",
    "HardwareState",
    "LiveOp",
    "NotReleased",
    "OpKind",
    "Scope",
    "apply_hardware",
    "fetch_hardware",
    "run_live",
    "set_autostart",
]
