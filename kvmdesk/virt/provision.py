"""Creating the VM the New VM wizard planned.

``provision`` creates the new volumes, defines the domain with validation
and starts it. It is transactional: on any failure it removes only what it
created itself (the volumes, the definition), never a disk that existed
before, and the ``ProvisionOutcome`` it carries says exactly what exists
now, including what could not be removed (a dropped link).

The checks of the input, run before anything is created, live in
``kvmdesk.virt.plan_checks``; they are importable from here too.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libvirt

from kvmdesk.virt.disk_paths import HostDevice
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.plan_checks import (
    FORMATS,
    MAX_NAME_LENGTH,
    NewVolume,
    PathCheck,
    PlanInputError,
    check_host_path,
    check_name,
    check_name_text,
    check_new_volume,
    check_path_text,
    free_volume_name,
    is_remote_uri,
    name_taken,
    parse_count,
    parse_size_gib,
    pool_space,
)
from kvmdesk.virt.steps import Journal
from kvmdesk.virt.steps import Step as JournalStep
from kvmdesk.virt.storage import volume_xml


class Step(enum.Enum):
    CHECK = "check"
    VOLUME = "volume"
    DEFINE = "define"
    START = "start"


@dataclass(slots=True)
class ProvisionOutcome:
    """What ``provision`` did, and what exists now."""

    name: str
    uuid: str = ""
    created: list[str] = field(default_factory=list)  # volumes made (pool/name)
    removed: list[str] = field(default_factory=list)  # of those, removed again
    leftover: list[tuple[str, str]] = field(default_factory=list)  # could not remove: why
    defined: bool = False
    undefined: bool = False  # the definition was removed again
    undefine_error: str = ""
    started: bool = False
    failed_step: Step | None = None
    failed_item: str = ""  # the volume being created, when that failed
    failure: Failure | None = None
    input_error: PlanInputError | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.input_error is None

    @property
    def domain_exists(self) -> bool:
        return self.defined and not self.undefined

    @property
    def remaining_volumes(self) -> list[str]:
        return [v for v in self.created if v not in self.removed]


class ProvisionError(Exception):
    def __init__(self, outcome: ProvisionOutcome) -> None:
        self.outcome = outcome
        what = outcome.input_error or (outcome.failure.message if outcome.failure else "")
        super().__init__(f"{outcome.failed_step}: {what}")


Progress = Callable[[Step, str], None]


def _domain_name(domain_xml: str) -> str:
    try:
        return (ET.fromstring(domain_xml).findtext("name") or "").strip()
    except ET.ParseError:
        return ""


def _refuse_existing(conn: libvirt.virConnect, domain_xml: str) -> None:
    """Never redefine a domain that exists (an edited XML naming one, or its
    UUID): defining would overwrite it, and a rollback would remove it."""
    try:
        root = ET.fromstring(domain_xml)
    except ET.ParseError:
        return  # libvirt refuses it at define, before anything of it exists
    name = (root.findtext("name") or "").strip()
    if name and name_taken(conn, name):
        raise PlanInputError("name", "taken", name)
    uuid = (root.findtext("uuid") or "").strip()
    if uuid:
        try:
            taken = conn.lookupByUUIDString(uuid).name()
        except libvirt.libvirtError as exc:
            if exc.get_error_code() not in (libvirt.VIR_ERR_NO_DOMAIN, libvirt.VIR_ERR_INVALID_ARG):
                raise
        else:
            raise PlanInputError("name", "taken", taken)


def _undefine(dom: libvirt.virDomain) -> None:
    """Undefine, with the UEFI variables file if the driver knows the flag."""
    try:
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() not in (
            libvirt.VIR_ERR_INVALID_ARG,
            libvirt.VIR_ERR_NO_SUPPORT,
            libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED,
        ):
            raise
        dom.undefine()


def _rollback(
    conn: libvirt.virConnect,
    outcome: ProvisionOutcome,
    dom: libvirt.virDomain | None,
    volumes: list[tuple[str, libvirt.virStorageVol]],
) -> None:
    if dom is not None and outcome.defined:
        try:
            if dom.isActive():
                dom.destroy()
            _undefine(dom)
            outcome.undefined = True
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                outcome.undefined = True
            else:
                outcome.undefine_error = exc.get_error_message() or str(exc)
    if outcome.defined and not outcome.undefined:
        # A defined domain still points at its volumes: removing them would
        # leave it with missing disks. Report them as still there instead.
        for label, _vol in volumes:
            outcome.leftover.append((label, "the virtual machine still uses it"))
        return
    for label, vol in reversed(volumes):
        try:
            vol.delete(0)
            outcome.removed.append(label)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
                outcome.removed.append(label)
            else:
                outcome.leftover.append((label, exc.get_error_message() or str(exc)))


def provision_journal(volumes: Sequence[NewVolume], *, start: bool = True) -> Journal:
    """The steps of ``provision``: check, each volume, define, start."""
    steps = [JournalStep("check", writes=False)]
    steps += [JournalStep(volume_step(volume)) for volume in volumes]
    steps.append(JournalStep("define"))
    if start:
        steps.append(JournalStep("start"))
    return Journal(steps)


def volume_step(volume: NewVolume) -> str:
    return f"volume:{volume.label}"


def provision(
    conn: libvirt.virConnect,
    domain_xml: str,
    volumes: Sequence[NewVolume],
    *,
    start: bool = True,
    progress: Progress | None = None,
    journal: Journal | None = None,
) -> ProvisionOutcome:
    """Create ``volumes``, define ``domain_xml`` (validated) and start it.

    Returns the outcome on success; raises ``ProvisionError`` with the
    outcome after rolling back what this call created. A dropped link is
    not rolled back (nothing can be removed over it): its libvirt error
    propagates, and ``journal`` says how far it got (``recheck``).
    """
    journal = journal or provision_journal(volumes, start=start)
    outcome = ProvisionOutcome(name=_domain_name(domain_xml))
    made: list[tuple[str, libvirt.virStorageVol]] = []
    dom: libvirt.virDomain | None = None
    step = Step.CHECK
    try:
        journal.begin("check")
        _refuse_existing(conn, domain_xml)
        journal.done("check")
        for volume in volumes:
            step = Step.VOLUME
            outcome.failed_item = volume.label
            if progress is not None:
                progress(step, volume.label)
            check_new_volume(conn, volume)
            pool = conn.storagePoolLookupByName(volume.pool)
            journal.begin(volume_step(volume))
            vol = pool.createXML(volume_xml(volume.name, volume.capacity, volume.format), 0)
            journal.done(volume_step(volume))
            made.append((volume.label, vol))
            outcome.created.append(volume.label)
        outcome.failed_item = ""
        step = Step.DEFINE
        if progress is not None:
            progress(step, outcome.name)
        journal.begin("define")
        dom = conn.defineXMLFlags(domain_xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
        journal.done("define")
        outcome.defined = True
        outcome.name = dom.name()
        outcome.uuid = dom.UUIDString()
        journal.notes["uuid"] = outcome.uuid
        if start:
            step = Step.START
            if progress is not None:
                progress(step, outcome.name)
            journal.begin("start")
            dom.create()
            journal.done("start")
            outcome.started = True
    except PlanInputError as exc:
        outcome.failed_step = step
        outcome.input_error = exc
        _rollback(conn, outcome, dom, made)
        raise ProvisionError(outcome) from exc
    except Exception as exc:
        outcome.failed_step = step
        outcome.failure = classify(exc)
        if outcome.failure.kind is ErrorKind.CONNECTION_LOST:
            raise  # nothing can be removed over a dead link: re-read after the reconnect
        _rollback(conn, outcome, dom, made)
        raise ProvisionError(outcome) from exc
    return outcome


@dataclass(frozen=True, slots=True)
class ProvisionCheck:
    """What exists after a dropped link, as a re-read found it."""

    name: str
    uuid: str  # "" when no domain has the plan's identity
    running: bool
    volumes: tuple[str, ...]  # new volumes (pool/name) that exist

    @property
    def domain_exists(self) -> bool:
        return bool(self.uuid)


def recheck(
    conn: libvirt.virConnect,
    domain_xml: str,
    volumes: Sequence[NewVolume],
    journal: Journal,
) -> ProvisionCheck:
    """After a dropped link: which new volumes exist, and whether the domain does."""
    begun = set(journal.completed) | {journal.in_flight}
    left = []
    for volume in volumes:
        if volume_step(volume) not in begun:
            continue  # never asked for: its name may be anyone's
        try:
            conn.storagePoolLookupByName(volume.pool).storageVolLookupByName(volume.name)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() not in (
                libvirt.VIR_ERR_NO_STORAGE_VOL,
                libvirt.VIR_ERR_NO_STORAGE_POOL,
            ):
                raise
        else:
            left.append(volume.label)
    name = _domain_name(domain_xml)
    dom = None
    if "define" in begun:  # before it, a domain with this name was refused: not ours
        uuid = journal.notes.get("uuid", "")
        try:
            dom = conn.lookupByUUIDString(uuid) if uuid else conn.lookupByName(name)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
    if dom is None:
        return ProvisionCheck(name, "", False, tuple(left))
    return ProvisionCheck(str(dom.name()), str(dom.UUIDString()), bool(dom.isActive()), tuple(left))


def remove_volumes(conn: libvirt.virConnect, labels: Sequence[str]) -> ProvisionOutcome:
    """Delete new volumes a cut creation left (``pool/name``), through the storage API."""
    outcome = ProvisionOutcome(name="")
    for label in labels:
        pool_name, _slash, name = label.partition("/")
        try:
            conn.storagePoolLookupByName(pool_name).storageVolLookupByName(name).delete(0)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
                outcome.removed.append(label)
            else:
                outcome.leftover.append((label, exc.get_error_message() or str(exc)))
        else:
            outcome.removed.append(label)
    return outcome


__all__ = [
    "FORMATS",
    "MAX_NAME_LENGTH",
    "HostDevice",
    "NewVolume",
    "PathCheck",
    "PlanInputError",
    "Progress",
    "ProvisionCheck",
    "ProvisionError",
    "ProvisionOutcome",
    "Step",
    "check_host_path",
    "check_name",
    "check_name_text",
    "check_new_volume",
    "check_path_text",
    "free_volume_name",
    "is_remote_uri",
    "name_taken",
    "parse_count",
    "parse_size_gib",
    "pool_space",
    "provision",
    "provision_journal",
    "recheck",
    "remove_volumes",
    "volume_step",
]
