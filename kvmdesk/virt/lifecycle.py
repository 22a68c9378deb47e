"""Lifecycle verbs as virsh knows them. Each call blocks; run it in a worker."""

from __future__ import annotations

import enum

import libvirt

from kvmdesk.virt.records import DomainRecord, DomainState


class Verb(enum.Enum):
    RUN = "run"
    SHUTDOWN = "shutdown"
    REBOOT = "reboot"
    FORCE_OFF = "force_off"
    PAUSE = "pause"
    RESUME = "resume"
    SAVE = "save"
    AUTOSTART_ON = "autostart_on"
    AUTOSTART_OFF = "autostart_off"


def apply(conn: libvirt.virConnect, uuid: str, verb: Verb) -> None:
    """Apply ``verb`` to the domain; raises libvirtError as libvirt reports it."""
    dom = conn.lookupByUUIDString(uuid)
    if verb is Verb.RUN:
        # create() restores a managed save image when one exists, like `virsh start`.
        dom.create()
    elif verb is Verb.SHUTDOWN:
        dom.shutdown()
    elif verb is Verb.REBOOT:
        dom.reboot(0)
    elif verb is Verb.FORCE_OFF:
        dom.destroy()
    elif verb is Verb.PAUSE:
        dom.suspend()
    elif verb is Verb.RESUME:
        dom.resume()
    elif verb is Verb.SAVE:
        dom.managedSave(0)
    elif verb is Verb.AUTOSTART_ON:
        dom.setAutostart(1)
    elif verb is Verb.AUTOSTART_OFF:
        dom.setAutostart(0)
    else:  # pragma: no cover - enum is exhaustive
        raise ValueError(verb)


_RUNNING = {DomainState.RUNNING, DomainState.BLOCKED}


def allowed(record: DomainRecord, verb: Verb) -> bool:
    """Whether ``verb`` makes sense for a domain in its current state."""
    state = record.state
    if verb is Verb.RUN:
        # A CRASHED domain is kept (on_crash=preserve) and still active: force it off first.
        return state in (DomainState.SHUTOFF, DomainState.SAVED, DomainState.SAVED_TO_FILE)
    if verb in (Verb.SHUTDOWN, Verb.REBOOT, Verb.PAUSE):
        return state in _RUNNING
    if verb is Verb.FORCE_OFF:
        return state.is_active
    if verb is Verb.RESUME:
        return state is DomainState.PAUSED
    if verb is Verb.SAVE:
        return record.persistent and state in (*_RUNNING, DomainState.PAUSED)
    if verb is Verb.AUTOSTART_ON:
        return record.persistent and not record.autostart
    if verb is Verb.AUTOSTART_OFF:
        return record.persistent and record.autostart
    return False


def reached(conn: libvirt.virConnect, uuid: str, verb: Verb) -> bool | None:
    """After a dropped link: True when the domain is where ``verb`` takes it, else None.

    Saving ends shut off with a managed save image; running (a restore)
    ends active.
    """
    dom = conn.lookupByUUIDString(uuid)
    if verb is Verb.SAVE:
        done = not dom.isActive() and bool(dom.hasManagedSaveImage(0))
    else:
        done = bool(dom.isActive())
    return True if done else None
