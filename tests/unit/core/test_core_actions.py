"""ActionService: verbs on several domains, and deletion with a backup.

Tests run their body as one coroutine (see ``until`` in conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import libvirt
import pytest

from kvmdesk.core.actions import ActionService
from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.core.settings import Settings
from kvmdesk.virt.delete import Keep
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainState

Run = Callable[..., Any]
Make = Callable[..., Connection]
Until = Callable[..., Coroutine[Any, Any, None]]


def _uuid(conn: Connection, name: str) -> str:
    return next(u for u, r in conn.domains.items() if r.name == name)


class Service:
    def __init__(self, settings: Settings) -> None:
        self.svc = ActionService(settings)
        self.progress: list[tuple[str, int]] = []
        self.svc.started.connect(lambda n: self.progress.append(("started", n)))
        self.svc.finished.connect(lambda n: self.progress.append(("finished", n)))


@pytest.fixture
def service(settings: Settings) -> Service:
    return Service(settings)


async def _opened(conn: Connection) -> Connection:
    assert await conn.open_and_wait(), conn.failure
    return conn


def test_apply_to_several_domains(
    connection: Make, service: Service, run: Run, until: Until
) -> None:
    conn = connection("lifecycle.xml")

    async def body() -> list[Any]:
        await _opened(conn)
        uuids = [_uuid(conn, n) for n in ("running", "blocked", "transient")]
        failures = await service.svc.apply(conn, uuids, Verb.PAUSE)
        await until(
            lambda: all(conn.domains[u].state is DomainState.PAUSED for u in uuids),
            what="all three paused",
        )
        return failures

    assert run(body()) == []
    assert service.svc.running == 0
    assert service.progress == [("started", 1), ("finished", 0)]


def test_failures_carry_names_and_kinds(
    connection: Make, service: Service, run: Run, until: Until
) -> None:
    conn = connection("lifecycle.xml")

    async def body() -> list[Any]:
        await _opened(conn)
        uuids = [_uuid(conn, n) for n in ("running", "transient", "paused")]
        failures = await service.svc.apply(conn, uuids, Verb.SAVE)
        await until(
            lambda: (
                conn.domains[uuids[0]].state is DomainState.SAVED
                and conn.domains[uuids[2]].state is DomainState.SAVED
            ),
            what="the other two saved",
        )
        assert conn.domains[uuids[1]].state is DomainState.RUNNING
        return failures

    failures = run(body())
    # a transient domain has no managed save
    assert [(name, f.kind) for name, f in failures] == [("transient", ErrorKind.INVALID_OPERATION)]
    assert "transient" in failures[0][1].message
    # Each domain's command is logged with its own outcome, libvirt's words for the failure.
    logged = {e.command.lines[0][-1]: e for e in conn.command_log.entries}
    assert set(logged) == {"running", "transient", "paused"}
    assert logged["transient"].command.lines[0][:5] == (
        "virsh",
        "-c",
        conn.uri,
        "managedsave",
        "--domain",
    )
    assert logged["transient"].outcome is Outcome.FAILED
    assert logged["transient"].error == failures[0][1].message
    assert logged["running"].outcome is Outcome.OK and logged["running"].error == ""


def test_resume_of_a_running_domain_fails(connection: Make, service: Service, run: Run) -> None:
    """The test driver says "not paused" as an internal error (real drivers
    answer VIR_ERR_OPERATION_INVALID); either way the name comes back."""
    conn = connection("lifecycle.xml")

    async def body() -> list[Any]:
        await _opened(conn)
        uuids = [_uuid(conn, "running"), _uuid(conn, "paused")]
        return await service.svc.apply(conn, uuids, Verb.RESUME)

    failures = run(body())
    assert [name for name, _f in failures] == ["running"]
    assert failures[0][1].kind in (ErrorKind.INVALID_OPERATION, ErrorKind.OTHER)
    assert "not paused" in failures[0][1].message


def test_unknown_domain_is_named_by_uuid(connection: Make, service: Service, run: Run) -> None:
    conn = connection("lifecycle.xml")
    missing = "00000000-0000-4000-8000-00000000dead"

    async def body() -> list[Any]:
        await _opened(conn)
        return await service.svc.apply(conn, [missing], Verb.RUN)

    failures = run(body())
    assert [(name, f.kind) for name, f in failures] == [(missing, ErrorKind.NO_DOMAIN)]


def test_autostart_shows_without_an_event(
    connection: Make, service: Service, run: Run, until: Until
) -> None:
    conn = connection("lifecycle.xml")

    async def body() -> None:
        await _opened(conn)
        uuid = _uuid(conn, "shutoff")
        assert await service.svc.apply(conn, [uuid], Verb.AUTOSTART_ON) == []
        await until(lambda: conn.domains[uuid].autostart, what="autostart on")
        assert await service.svc.apply(conn, [uuid], Verb.AUTOSTART_OFF) == []
        await until(lambda: not conn.domains[uuid].autostart, what="autostart off")

    run(body())


def test_apply_when_not_connected_reports_each_domain(
    connection: Make, service: Service, run: Run
) -> None:
    conn = connection("lifecycle.xml")

    uuids: list[str] = []

    async def body() -> list[Any]:
        await _opened(conn)
        uuids.extend([_uuid(conn, "running"), _uuid(conn, "paused")])
        conn.close()
        return await service.svc.apply(conn, uuids, Verb.PAUSE)

    failures = run(body())
    # A closed connection forgets its domains, so they are named by UUID.
    assert [(name, f.kind) for name, f in failures] == [
        (uuids[0], ErrorKind.NOT_CONNECTED),
        (uuids[1], ErrorKind.NOT_CONNECTED),
    ]
    assert service.svc.running == 0


def test_not_connected_is_not_a_stale_libvirt_error(
    connection: Make, service: Service, run: Run, data_uri: Callable[[str], str]
) -> None:
    """A libvirtError built by hand copies the calling thread's last libvirt
    error; "not connected" must not turn into whatever failed there before."""
    conn = connection("lifecycle.xml")
    other = libvirt.open(data_uri("empty.xml"))

    uuids: list[str] = []

    async def body() -> list[Any]:
        await _opened(conn)
        uuids.append(_uuid(conn, "running"))
        conn.close()
        # an unrelated lookup fails on this (the GUI) thread just before
        with pytest.raises(libvirt.libvirtError):
            other.lookupByUUIDString("00000000-0000-4000-8000-00000000dead")
        return await service.svc.apply(conn, uuids, Verb.PAUSE)

    try:
        failures = run(body())
    finally:
        other.close()
    assert [(name, f.kind) for name, f in failures] == [(uuids[0], ErrorKind.NOT_CONNECTED)]


def test_delete_through_the_service(
    connection: Make, service: Service, settings: Settings, run: Run, until: Until
) -> None:
    conn = connection("delete.xml")
    removed: list[str] = []
    conn.domainRemoved.connect(removed.append)

    def volumes(virt: libvirt.virConnect) -> list[str]:
        return list(virt.storagePoolLookupByName("default").listVolumes())

    async def body() -> tuple[Any, Any, str, list[str]]:
        await _opened(conn)
        victim = _uuid(conn, "victim")
        plan = await service.svc.plan_delete(conn, victim)
        chosen = [c.disk.source for c in plan.choices if c.default_selected]
        outcome = await service.svc.delete(conn, plan, chosen)
        await until(lambda: victim in removed, what="domainRemoved(victim)")
        return plan, outcome, victim, await conn.call(volumes)

    plan, outcome, victim, left = run(body())
    assert [c.disk.source for c in plan.choices if c.default_selected] == [
        "/var/lib/libvirt/images/victim.qcow2"
    ]
    assert {c.keep for c in plan.choices} == {Keep.NONE, Keep.SHARED, Keep.READONLY, Keep.CDROM}
    assert outcome.complete
    assert outcome.deleted == ["/var/lib/libvirt/images/victim.qcow2"]
    assert outcome.backup is not None
    assert outcome.backup.parent == settings.backup_dir()
    assert outcome.backup.read_text(encoding="utf-8") == plan.xml
    assert victim not in conn.domains
    assert service.svc.running == 0
    assert service.progress == [("started", 1), ("finished", 0)] * 2
    assert "victim.qcow2" not in left
    assert "shared-data.raw" in left
    [entry] = conn.command_log.entries
    assert entry.outcome is Outcome.OK
    assert [argv[3:] for argv in entry.command.lines] == [
        ("undefine", "--domain", "victim"),
        ("vol-delete", "--vol", "/var/lib/libvirt/images/victim.qcow2"),
    ]


def test_delete_of_running_domain_through_the_service(
    connection: Make, service: Service, run: Run, until: Until
) -> None:
    conn = connection("delete.xml")

    async def body() -> Any:
        await _opened(conn)
        neighbour = _uuid(conn, "neighbour")
        plan = await service.svc.plan_delete(conn, neighbour)
        assert plan.active
        outcome = await service.svc.delete(conn, plan, [])
        await until(lambda: neighbour not in conn.domains, what="neighbour gone")
        return outcome

    outcome = run(body())
    assert outcome.forced_off and outcome.undefined
    [entry] = conn.command_log.entries
    assert [argv[3:] for argv in entry.command.lines] == [
        ("destroy", "--domain", "neighbour"),
        ("undefine", "--domain", "neighbour"),
    ]
