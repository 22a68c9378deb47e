"""Which verbs each state allows, and what each verb does on the test driver."""

from __future__ import annotations

from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.inventory import fetch_domain, list_domains
from kvmdesk.virt.lifecycle import Verb, allowed, apply
from kvmdesk.virt.records import DomainRecord, DomainState

Open = Callable[[str], libvirt.virConnect]
S = DomainState
V = Verb

# State -> verbs allowed for a persistent domain with autostart off.
# RUN needs an inactive domain (a CRASHED domain is still active in libvirt:
# it has to be forced off before it can run again).
ALLOWED: dict[DomainState, set[Verb]] = {
    S.NOSTATE: {V.AUTOSTART_ON},
    S.RUNNING: {V.SHUTDOWN, V.REBOOT, V.FORCE_OFF, V.PAUSE, V.SAVE, V.AUTOSTART_ON},
    S.BLOCKED: {V.SHUTDOWN, V.REBOOT, V.FORCE_OFF, V.PAUSE, V.SAVE, V.AUTOSTART_ON},
    S.PAUSED: {V.FORCE_OFF, V.RESUME, V.SAVE, V.AUTOSTART_ON},
    S.SHUTDOWN: {V.FORCE_OFF, V.AUTOSTART_ON},
    S.SHUTOFF: {V.RUN, V.AUTOSTART_ON},
    S.CRASHED: {V.FORCE_OFF, V.AUTOSTART_ON},
    S.PMSUSPENDED: {V.FORCE_OFF, V.AUTOSTART_ON},
    S.SAVED: {V.RUN, V.AUTOSTART_ON},
    S.SAVED_TO_FILE: {V.RUN, V.AUTOSTART_ON},
}


def _record(
    state: DomainState, *, persistent: bool = True, autostart: bool = False
) -> DomainRecord:
    return DomainRecord(
        uuid="u",
        name="n",
        state=state,
        reason=0,
        vcpus=1,
        memory_kib=1024,
        persistent=persistent,
        autostart=autostart,
        managed_save=state is S.SAVED,
    )


TABLE = [(state, verb, verb in ALLOWED[state]) for state in DomainState for verb in Verb]


def test_table_covers_every_state() -> None:
    assert set(ALLOWED) == set(DomainState)


@pytest.mark.parametrize(
    ("state", "verb", "expected"), TABLE, ids=[f"{s.name}-{v.name}" for s, v, _ in TABLE]
)
def test_allowed_table(state: DomainState, verb: Verb, expected: bool) -> None:
    assert allowed(_record(state), verb) is expected


@pytest.mark.parametrize("state", list(DomainState), ids=lambda s: s.name)
def test_autostart_off_allowed_only_when_on(state: DomainState) -> None:
    on = _record(state, autostart=True)
    assert allowed(on, Verb.AUTOSTART_OFF) is True
    assert allowed(on, Verb.AUTOSTART_ON) is False


@pytest.mark.parametrize("state", list(DomainState), ids=lambda s: s.name)
def test_transient_domain_cannot_save_or_autostart(state: DomainState) -> None:
    for autostart in (False, True):
        record = _record(state, persistent=False, autostart=autostart)
        for verb in (Verb.SAVE, Verb.AUTOSTART_ON, Verb.AUTOSTART_OFF):
            assert allowed(record, verb) is False
        # everything else does not depend on persistence
        for verb in set(Verb) - {Verb.SAVE, Verb.AUTOSTART_ON, Verb.AUTOSTART_OFF}:
            assert allowed(record, verb) is allowed(_record(state), verb)


# -- apply on the test driver -------------------------------------------------


def _state(conn: libvirt.virConnect, name: str) -> DomainState | None:
    record = fetch_domain(conn, conn.lookupByName(name).UUIDString())
    return record.state if record else None


def _uuid(conn: libvirt.virConnect, name: str) -> str:
    return str(conn.lookupByName(name).UUIDString())


@pytest.mark.parametrize(
    ("name", "verb", "after"),
    [
        ("shutoff", Verb.RUN, S.RUNNING),
        ("saved", Verb.RUN, S.RUNNING),
        ("running", Verb.SHUTDOWN, S.SHUTOFF),
        ("blocked", Verb.SHUTDOWN, S.SHUTOFF),
        ("running", Verb.REBOOT, S.RUNNING),
        ("running", Verb.FORCE_OFF, S.SHUTOFF),
        ("paused", Verb.FORCE_OFF, S.SHUTOFF),
        ("crashed", Verb.FORCE_OFF, S.SHUTOFF),
        ("pmsuspended", Verb.FORCE_OFF, S.SHUTOFF),
        ("in-shutdown", Verb.FORCE_OFF, S.SHUTOFF),
        ("running", Verb.PAUSE, S.PAUSED),
        ("paused", Verb.RESUME, S.RUNNING),
        ("running", Verb.SAVE, S.SAVED),
        ("paused", Verb.SAVE, S.SAVED),
    ],
)
def test_apply_changes_state(virt: Open, name: str, verb: Verb, after: DomainState) -> None:
    conn = virt("lifecycle.xml")
    apply(conn, _uuid(conn, name), verb)
    assert _state(conn, name) is after


def test_run_restores_the_managed_save(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    dom = conn.lookupByName("saved")
    assert dom.hasManagedSaveImage(0)
    apply(conn, _uuid(conn, "saved"), Verb.RUN)
    assert not dom.hasManagedSaveImage(0)
    record = fetch_domain(conn, _uuid(conn, "saved"))
    assert record is not None
    assert (record.state, record.managed_save) == (S.RUNNING, False)


def test_save_then_run_round_trip(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    uuid = _uuid(conn, "running")
    apply(conn, uuid, Verb.SAVE)
    record = fetch_domain(conn, uuid)
    assert record is not None
    assert (record.state, record.managed_save) == (S.SAVED, True)
    apply(conn, uuid, Verb.RUN)
    assert _state(conn, "running") is S.RUNNING


def test_autostart_on_and_off(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    uuid = _uuid(conn, "shutoff")
    dom = conn.lookupByUUIDString(uuid)
    apply(conn, uuid, Verb.AUTOSTART_ON)
    assert dom.autostart() == 1
    record = fetch_domain(conn, uuid)
    assert record is not None and record.autostart and record.state is S.SHUTOFF
    apply(conn, uuid, Verb.AUTOSTART_OFF)
    assert dom.autostart() == 0


def test_shutdown_of_transient_removes_it(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    uuid = _uuid(conn, "transient")
    apply(conn, uuid, Verb.SHUTDOWN)
    assert fetch_domain(conn, uuid) is None


@pytest.mark.parametrize(
    ("name", "verb", "kind"),
    [
        ("running", Verb.RESUME, ErrorKind.OTHER),
        ("paused", Verb.PAUSE, ErrorKind.OTHER),
        ("running", Verb.RUN, ErrorKind.OTHER),
    ],
)
def test_refused_verbs_raise(virt: Open, name: str, verb: Verb, kind: ErrorKind) -> None:
    """The test driver answers wrong-state requests with an internal error."""
    conn = virt("lifecycle.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        apply(conn, _uuid(conn, name), verb)
    assert classify(info.value).kind is kind


def test_apply_to_missing_domain(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        apply(conn, "00000000-0000-4000-8000-00000000dead", Verb.RUN)
    assert classify(info.value).kind is ErrorKind.NO_DOMAIN


def test_whatever_allowed_permits_libvirt_accepts(virt: Open) -> None:
    """For every domain of lifecycle.xml and every verb that ``allowed`` offers,
    libvirt carries the verb out (each on a fresh copy of the host)."""
    refused = []
    for record in list_domains(virt("lifecycle.xml")):
        for verb in Verb:
            if not allowed(record, verb):
                continue
            conn = virt("lifecycle.xml")
            try:
                apply(conn, record.uuid, verb)
            except libvirt.libvirtError as exc:
                refused.append((record.name, verb.name, exc.get_error_message()))
    assert refused == []
