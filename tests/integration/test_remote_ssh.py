"""Remote hosts over ssh: kvmdesk's connections through a real sshd on 127.0.0.1.

The sshd, its throwaway keys and the private client config come from the
``ssh_bed`` session fixture (``conftest_ssh.py``). URIs name ``Host`` aliases
of that config, e.g. ``qemu+ssh://kvmdesk-test/system``; libvirt runs ``ssh``
and, on the far side, ``virt-ssh-helper`` (or ``nc``) to reach libvirtd.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core import messages
from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.models.tree import Column, DomainTreeModel, Role
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.lifecycle import Verb

try:
    from .conftest_ssh import HOST, UNKNOWN_KEY_HOST, SshBed
    from .tcpproxy import TcpProxy
except ImportError:
    from conftest_ssh import HOST, UNKNOWN_KEY_HOST, SshBed  # type: ignore[no-redef]
    from tcpproxy import TcpProxy  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
DATA = Path(__file__).resolve().parents[1] / "data"
RUNNING = "1c1c1c1c-0000-4000-8000-000000000001"  # "running" in lifecycle.xml


def _row(model: DomainTreeModel, conn: Connection, uuid: str, column: Column) -> Any:
    index = model.index_of_domain(conn, uuid, column)
    return model.data(index) if index.isValid() else None


def _tree_uuids(model: DomainTreeModel, conn: Connection) -> set[str]:
    parent = model.index_of_connection(conn)
    return {
        model.data(model.index(row, 0, parent), Role.UUID) for row in range(model.rowCount(parent))
    }


def _conn_text(model: DomainTreeModel, conn: Connection) -> str:
    index = model.index_of_connection(conn)
    return str(model.data(index.siblingAtColumn(Column.STATE)))


@pytest.fixture
def remote_test_file(ssh_bed: SshBed, tmp_path: Path) -> Iterator[str]:
    """test+ssh URI of a private copy of lifecycle.xml that the far side can read."""
    # The daemon side opens the file as root; tmp_path may sit below a 0700 dir.
    directory = ssh_bed.root / f"data-{os.getpid()}-{tmp_path.name}"
    directory.mkdir(mode=0o755)
    shutil.copy(DATA / "lifecycle.xml", directory / "lifecycle.xml")
    yield f"test+ssh://{HOST}{directory / 'lifecycle.xml'}"
    shutil.rmtree(directory, ignore_errors=True)


def test_qemu_over_ssh_tree_and_lifecycle(
    ssh_bed: SshBed,
    manager: Any,
    settings: Any,
    run: Any,
    wait_until: Any,
    libvirt_conn: Any,
    define_guest: Any,
) -> None:
    model = DomainTreeModel(manager)
    conn = manager.add(f"qemu+ssh://{HOST}/system", persist=False)
    assert run(conn.open_and_wait()), conn.failure
    assert conn.has_events
    assert _conn_text(model, conn) == "Connected"

    # The remote tree lists what the daemon has (other tests may add guests
    # concurrently, hence "eventually equal").
    def same_as_daemon() -> bool:
        return _tree_uuids(model, conn) == {d.UUIDString() for d in libvirt_conn.listAllDomains()}

    wait_until(same_as_daemon, 20, "the remote tree to match the daemon's domains")

    # A guest defined on the host shows up remotely by event.
    uuid = define_guest().UUIDString()
    wait_until(lambda: _row(model, conn, uuid, Column.STATE) == "Shutoff", 20, "remote row")

    service = ActionService(settings)
    assert run(service.apply(conn, [uuid], Verb.RUN)) == []
    wait_until(lambda: _row(model, conn, uuid, Column.STATE) == "Running", 30, "running row")
    assert libvirt_conn.lookupByUUIDString(uuid).isActive()

    cpu_ticks: list[dict[str, float]] = []
    conn.statsUpdated.connect(cpu_ticks.append)
    wait_until(lambda: any(uuid in tick for tick in cpu_ticks), 20, "remote stats")

    assert run(service.apply(conn, [uuid], Verb.PAUSE)) == []
    wait_until(lambda: _row(model, conn, uuid, Column.STATE) == "Paused", 20, "paused row")
    assert run(service.apply(conn, [uuid], Verb.FORCE_OFF)) == []
    wait_until(lambda: _row(model, conn, uuid, Column.STATE) == "Shutoff", 20, "forced off row")
    assert not libvirt_conn.lookupByUUIDString(uuid).isActive()

    argv = ssh_bed.argv_log.read_text()
    assert f"-- {HOST} sh -c" in argv and "virt-ssh-helper 'qemu:///system'" in argv


def test_test_driver_over_ssh(
    manager: Any, settings: Any, run: Any, wait_until: Any, remote_test_file: str
) -> None:
    model = DomainTreeModel(manager)
    conn = manager.add(remote_test_file, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    assert conn.is_test_driver and conn.has_events

    names = {r.name for r in conn.domains.values()}
    assert {"running", "paused", "shutoff", "saved", "transient"} <= names
    assert len(_tree_uuids(model, conn)) == len(conn.domains)
    assert _row(model, conn, RUNNING, Column.NAME) == "running"
    assert _row(model, conn, RUNNING, Column.STATE) == "Running"

    ticks: list[dict[str, float]] = []
    conn.statsUpdated.connect(ticks.append)
    wait_until(lambda: any(RUNNING in tick for tick in ticks), 10, "stats over ssh")

    service = ActionService(settings)
    assert run(service.apply(conn, [RUNNING], Verb.PAUSE)) == []
    wait_until(lambda: _row(model, conn, RUNNING, Column.STATE) == "Paused", 10, "paused row")
    assert run(service.apply(conn, [RUNNING], Verb.RESUME)) == []
    wait_until(lambda: _row(model, conn, RUNNING, Column.STATE) == "Running", 10, "resumed row")


def test_killed_ssh_reconnects_by_itself(
    ssh_bed: SshBed, manager: Any, run: Any, wait_until: Any, remote_test_file: str
) -> None:
    model = DomainTreeModel(manager)
    conn = manager.add(remote_test_file, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    states: list[ConnState] = []
    failures: list[Any] = []

    def record() -> None:
        states.append(conn.state)
        if conn.failure is not None:
            failures.append(conn.failure)

    conn.stateChanged.connect(record)

    pids = ssh_bed.ssh_pids(HOST)
    assert pids, "no ssh child of the test process found in /proc"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)

    wait_until(lambda: ConnState.WAITING in states, 15, "the lost link to be noticed")
    assert failures and failures[0].kind is ErrorKind.CONNECTION_LOST, failures
    wait_until(lambda: conn.state is ConnState.CONNECTED, 30, "the automatic reconnect")
    assert _conn_text(model, conn) == "Connected"
    assert _row(model, conn, RUNNING, Column.NAME) == "running"
    assert ssh_bed.ssh_pids(HOST), "the reconnect did not go through ssh"
    assert len(states) < 20  # one drop, one reconnect: no storm of state changes


def test_unresolvable_host(manager: Any, run: Any, ssh_bed: SshBed) -> None:
    model = DomainTreeModel(manager)
    conn = manager.add("qemu+ssh://no-such-host.invalid/system", persist=False)
    assert not run(conn.open_and_wait())
    assert conn.failure is not None
    assert conn.failure.kind is ErrorKind.NAME_NOT_RESOLVED, conn.failure
    assert "no-such-host.invalid" in conn.failure.message
    text = _conn_text(model, conn)
    assert messages.failure_summary(conn.failure) in text
    assert "host name could not be found" in text


def test_unknown_host_key_is_refused(manager: Any, run: Any, ssh_bed: SshBed) -> None:
    conn = manager.add(f"qemu+ssh://{UNKNOWN_KEY_HOST}/system", persist=False)
    assert not run(conn.open_and_wait())
    assert conn.state is not ConnState.CONNECTED
    assert conn.failure is not None
    # ssh's own words are kept for the Details section.
    assert "Host key verification failed" in conn.failure.message, conn.failure


def test_unknown_host_key_is_not_a_lost_connection(manager: Any, run: Any, ssh_bed: SshBed) -> None:
    conn = manager.add(f"qemu+ssh://{UNKNOWN_KEY_HOST}/system", persist=False)
    assert not run(conn.open_and_wait())
    assert conn.failure is not None
    assert conn.failure.kind is ErrorKind.HOST_KEY, conn.failure
    assert conn.state is ConnState.DISCONNECTED  # not retried blindly


def test_black_holed_link_is_dropped_then_reconnects(
    ssh_bed: SshBed, manager: Any, run: Any, wait_until: Any, remote_test_file: str
) -> None:
    with TcpProxy(ssh_bed.port) as proxy:
        alias = f"kvmdesk-test-proxy-{proxy.port}"
        ssh_bed.add_host(alias, port=proxy.port)
        uri = remote_test_file.replace(f"test+ssh://{HOST}/", f"test+ssh://{alias}/", 1)
        proxy.set_latency(0.02)  # a slow link still works
        conn = manager.add(uri, persist=False)
        hosts: list[Any] = []
        conn.hostChanged.connect(hosts.append)
        assert run(conn.open_and_wait()), conn.failure
        assert proxy.accepted == 1 and RUNNING in conn.domains
        # Wait for the full host record (the second hostChanged): from then
        # on only the stats loop talks to the host, one call at a time.
        # With two calls in flight when the keepalive timeout closes the
        # link, libvirt 9.0's client leaves one call hanging and crashes the
        # process (SIGSEGV in g_main_loop_quit) once the transport ends; the
        # same happens with plain libvirt-python and its default event loop.
        wait_until(lambda: len(hosts) >= 2, 20, "the full host record")
        proxy.set_latency(0)
        states: list[ConnState] = []
        conn.stateChanged.connect(lambda: states.append(conn.state))

        proxy.black_hole()
        # keepalive 1 s x 2 notices the silence after ~3 s; generous slack.
        timing = conn.timing
        limit = timing.keepalive_interval * (timing.keepalive_count + 1) + 15
        wait_until(lambda: conn.state is not ConnState.CONNECTED, limit, "the dead link")
        assert conn.failure is not None
        assert conn.failure.kind is ErrorKind.CONNECTION_LOST, conn.failure
        assert states[0] is ConnState.WAITING

        # Links opened while black-holed lost their bytes: cut them, forward again.
        proxy.restore()
        proxy.cut_all()
        wait_until(lambda: conn.state is ConnState.CONNECTED, 60, "the reconnect via the proxy")
        assert RUNNING in conn.domains
        run(conn.shutdown())
