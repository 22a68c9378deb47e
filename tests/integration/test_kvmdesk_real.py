"""kvmdesk's own services and tree model against the real libvirtd and QEMU.

The guest is defined, started, watched on its serial console, shut down,
forced off and deleted through ActionService and Connection, and every state
change must reach the tree through libvirt events alone.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import ConnState
from kvmdesk.models.tree import Column, DomainTreeModel
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainState

try:
    from .conftest import TEST_URI
    from .guest import SerialConsole, guest_domain_xml
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from guest import SerialConsole, guest_domain_xml  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
TESTBED = Path(__file__).resolve().parents[2] / "scripts" / "testbed.sh"


def _row_state(model: DomainTreeModel, conn: Any, uuid: str) -> str | None:
    index = model.index_of_domain(conn, uuid, Column.STATE)
    return model.data(index) if index.isValid() else None


def test_guest_lifecycle_through_kvmdesk(
    manager: Any,
    settings: Any,
    run: Any,
    wait_until: Any,
    libvirt_conn: Any,
    guest_assets: Any,
    unique_guest_name: str,
) -> None:
    model = DomainTreeModel(manager)
    service = ActionService(settings)
    conn = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    assert conn.has_events

    xml = guest_domain_xml(unique_guest_name, guest_assets)
    try:
        # Define through the connection's worker; the row appears by event.
        uuid = run(
            conn.call(
                lambda v, x: v.defineXMLFlags(x, libvirt.VIR_DOMAIN_DEFINE_VALIDATE).UUIDString(),
                xml,
            )
        )
        wait_until(lambda: _row_state(model, conn, uuid) == "Shutoff", 20, "defined row")

        assert run(service.apply(conn, [uuid], Verb.RUN)) == []
        console = SerialConsole(libvirt_conn, libvirt_conn.lookupByUUIDString(uuid))
        try:
            wait_until(lambda: _row_state(model, conn, uuid) == "Running", 20, "running row")
            console.wait_for("KVMDESK-GUEST-READY", timeout=120)
        finally:
            console.close()

        # Shut Down is a request the guest may miss while busy: ask again, as a
        # user would press the button again, until it is off.
        def is_off() -> bool:
            return conn.domains[uuid].state is DomainState.SHUTOFF

        for _attempt in range(6):
            failures = run(service.apply(conn, [uuid], Verb.SHUTDOWN))
            assert failures == [] or is_off(), failures
            try:
                wait_until(is_off, 15, "the guest to power off")
                break
            except pytest.fail.Exception:
                continue
        assert conn.domains[uuid].state is DomainState.SHUTOFF, "ACPI shutdown never finished"
        assert _row_state(model, conn, uuid) == "Shutoff"

        assert run(service.apply(conn, [uuid], Verb.RUN)) == []
        wait_until(lambda: conn.domains[uuid].state is DomainState.RUNNING, 20, "second start")
        assert run(service.apply(conn, [uuid], Verb.PAUSE)) == []
        wait_until(lambda: _row_state(model, conn, uuid) == "Paused", 20, "paused row")
        assert run(service.apply(conn, [uuid], Verb.FORCE_OFF)) == []
        wait_until(lambda: _row_state(model, conn, uuid) == "Shutoff", 20, "forced off row")

        plan = run(service.plan_delete(conn, uuid))
        outcome = run(service.delete(conn, plan, []))
        assert outcome.undefined and outcome.complete
        assert outcome.backup is not None and outcome.backup.read_text() == plan.xml
        wait_until(lambda: _row_state(model, conn, uuid) is None, 20, "row removal")
    finally:
        with pytest.raises(libvirt.libvirtError):
            libvirt_conn.lookupByName(unique_guest_name)


def test_actions_report_libvirt_errors(
    manager: Any, settings: Any, run: Any, define_guest: Any
) -> None:
    dom = define_guest()
    service = ActionService(settings)
    conn = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait())
    failures = run(service.apply(conn, [dom.UUIDString()], Verb.PAUSE))
    assert len(failures) == 1
    name, failure = failures[0]
    assert name == dom.name()
    assert failure.message  # libvirt's own words are kept for the Details section


def _daemon_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-x", "libvirtd"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_killed_daemon_disconnects_then_reconnects(
    manager: Any, run: Any, wait_until: Any, ssh_bed: Any
) -> None:
    """libvirtd killed: the local connection and one over ssh (the "remote"
    side's daemon is the same one) both say so, then reconnect by themselves."""
    if not _daemon_pids():
        pytest.fail("libvirtd is not running (scripts/testbed.sh start)")
    conn = manager.add(TEST_URI, persist=False)
    remote = manager.add("qemu+ssh://kvmdesk-test/system", persist=False)
    assert run(conn.open_and_wait())
    assert run(remote.open_and_wait()), remote.failure
    wait_until(lambda: remote.has_events, 20, "the remote event subscription")
    states: list[ConnState] = []
    conn.stateChanged.connect(lambda: states.append(conn.state))
    remote_failures: list[Any] = []
    remote.stateChanged.connect(
        lambda: remote_failures.append(remote.failure) if remote.failure else None
    )
    try:
        for pid in _daemon_pids():
            subprocess.run(["kill", "-9", str(pid)], check=False)
        wait_until(lambda: conn.state is not ConnState.CONNECTED, 15, "the drop to be noticed")
        assert conn.failure is not None
        wait_until(lambda: remote.state is not ConnState.CONNECTED, 20, "the remote drop")
        assert remote_failures and remote_failures[0].kind is ErrorKind.CONNECTION_LOST
    finally:
        subprocess.run([str(TESTBED), "start"], check=True, capture_output=True)
    wait_until(lambda: conn.state is ConnState.CONNECTED, 60, "the automatic reconnect")
    wait_until(lambda: remote.state is ConnState.CONNECTED, 90, "the remote reconnect")
    assert ConnState.WAITING in states
    # one notice per drop: the state changed a handful of times, not a storm
    assert len(states) < 20
