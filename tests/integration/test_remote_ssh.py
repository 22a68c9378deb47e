"""Remote hosts over ssh: kvmdesk's connections through a real sshd on 127.0.0.1.

The sshd, its throwaway keys and the private client config come from the
``ssh_bed`` session fixture (``conftest_ssh.py``). URIs name ``Host`` aliases
of that config, e.g. ``qemu+ssh://kvmdesk-test/system``; libvirt runs ``ssh``
and, on the far side, ``virt-ssh-helper`` (or ``nc``) to reach libvirtd.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from kvmdesk.virt.shown import shown

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
    # A remote host subscribes to events just after its domains are shown.
    wait_until(lambda: conn.has_events, 20, "the event subscription")
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
    assert conn.is_test_driver
    wait_until(lambda: conn.has_events, 20, "the event subscription")

    names = {r.name for r in conn.domains.values()}
    assert {"running", "paused", "shutoff", "saved", "transient"} <= names
    assert len(_tree_uuids(model, conn)) == len(conn.domains)
    assert _row(model, conn, RUNNING, Column.NAME) == shown("running")
    assert _row(model, conn, RUNNING, Column.STATE) == "Running"

    ticks: list[dict[str, float]] = []
    conn.statsUpdated.connect(ticks.append)
    # Bulk stats arrive; the test driver reports no CPU time in them, and a
    # remote host is never asked per domain, so there is no figure to show.
    wait_until(lambda: len(ticks) >= 1, 10, "stats over ssh")
    assert _row(model, conn, RUNNING, Column.CPU) == ""

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
    assert _row(model, conn, RUNNING, Column.NAME) == shown("running")
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
        # Wait for the full host record (for a remote host the only
        # hostChanged; a local one gets a quick record first): from then
        # on only the stats loop talks to the host, one call at a time.
        # With two calls in flight when the keepalive timeout closes the
        # link, libvirt 9.0's client leaves one call hanging and crashes the
        # process (SIGSEGV in g_main_loop_quit) once the transport ends; the
        # same happens with plain libvirt-python and its default event loop.
        wait_until(lambda: len(hosts) >= 1, 20, "the full host record")
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


# -- the far side is missing something; ssh misbehaves -------------------------


def test_missing_nc_on_the_host_is_named(manager: Any, run: Any, ssh_bed: SshBed) -> None:
    """proxy=netcat makes the far side run nc; without it the row says so."""
    model = DomainTreeModel(manager)
    conn = manager.add(f"qemu+ssh://{HOST}/system?proxy=netcat", persist=False)
    opened = run(conn.open_and_wait())
    if shutil.which("nc"):  # a host with nc simply connects
        assert opened, conn.failure
        return
    assert not opened
    assert conn.failure is not None
    assert conn.failure.kind is ErrorKind.REMOTE_HELPER_MISSING, conn.failure
    assert "nc" in conn.failure.message  # ssh's own words stay for Details
    text = _conn_text(model, conn)
    assert "virt-ssh-helper or nc" in text
    assert "proxy=native" in messages.failure_hint(conn.failure)


def _fake_ssh(directory: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``ssh`` first on PATH that runs ``body``; returns the file it writes its pid to."""
    directory.mkdir()
    pid_file = directory / "pids"
    script = directory / "ssh"
    script.write_text(f"#!/bin/sh\necho $$ >> '{pid_file}'\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
    return pid_file


def _kill_all(pid_file: Path) -> None:
    if not pid_file.exists():
        return
    for line in pid_file.read_text().split():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(line), signal.SIGKILL)


def test_ssh_that_hangs_forever_is_abandoned_then_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any, wait_until: Any, ssh_bed: SshBed
) -> None:
    from PySide6.QtCore import QTimer

    from kvmdesk.core.timing import Timing

    pid_file = _fake_ssh(tmp_path / "bin", "exec sleep 600", monkeypatch)
    timing = Timing(keepalive_interval=1, keepalive_count=2, backoff_start=30, connect_timeout=2)
    conn = Connection(f"qemu+ssh://{HOST}/system", timing=timing)
    beats: list[int] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: beats.append(1))
    heartbeat.start(50)
    try:
        conn.open()
        wait_until(lambda: conn.state is ConnState.WAITING, 20, "the open to be abandoned")
        assert conn.failure is not None and conn.failure.kind is ErrorKind.TIMEOUT
        assert len(beats) >= 10, "the GUI thread stood still while ssh hung"
        assert pid_file.exists(), "libvirt did not run the fake ssh"
        conn.close()  # the user gives up waiting for the retry
        assert conn.state is ConnState.DISCONNECTED and conn.failure is None
    finally:
        heartbeat.stop()
        _kill_all(pid_file)
        run(conn.shutdown())


def test_ssh_that_exits_at_once_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Any, wait_until: Any, ssh_bed: SshBed
) -> None:
    from kvmdesk.core.timing import Timing

    pid_file = _fake_ssh(
        tmp_path / "bin", "echo 'ssh: broken on purpose' >&2; exit 255", monkeypatch
    )
    timing = Timing(backoff_start=0.2, backoff_max=0.4, connect_timeout=10)
    conn = Connection(f"qemu+ssh://{HOST}/system", timing=timing)
    try:
        conn.open()
        wait_until(
            lambda: pid_file.exists() and len(pid_file.read_text().split()) >= 3,
            30,
            "three attempts",
        )
        assert conn.state in (ConnState.WAITING, ConnState.CONNECTING)
        assert conn.failure is None or conn.failure.kind is not ErrorKind.OTHER
    finally:
        conn.close()
        run(conn.shutdown())


def test_one_dead_host_does_not_hold_up_the_others(
    ssh_bed: SshBed,
    manager: Any,
    settings: Any,
    run: Any,
    wait_until: Any,
    remote_test_file: str,
) -> None:
    """A black-holed host hangs its own calls only: another host's actions and
    stats go on, and the GUI thread keeps turning."""
    from PySide6.QtCore import QTimer

    model = DomainTreeModel(manager)
    with TcpProxy(ssh_bed.port) as proxy:
        alias = f"kvmdesk-test-dead-{proxy.port}"
        ssh_bed.add_host(alias, port=proxy.port)
        dead_uri = remote_test_file.replace(f"test+ssh://{HOST}/", f"test+ssh://{alias}/", 1)
        dead = manager.add(dead_uri, persist=False)
        alive = manager.add(remote_test_file, persist=False)
        assert run(dead.open_and_wait()), dead.failure
        assert run(alive.open_and_wait()), alive.failure
        wait_until(lambda: dead.has_events and alive.has_events, 20, "both subscribed")

        proxy.black_hole()
        service = ActionService(settings)
        # An action on the dead host: its call hangs until keepalive gives up.
        hung = asyncio.ensure_future(service.apply(dead, [RUNNING], Verb.PAUSE))
        beats: list[int] = []
        heartbeat = QTimer()
        heartbeat.timeout.connect(lambda: beats.append(1))
        heartbeat.start(20)
        try:
            ticks: list[dict[str, float]] = []
            alive.statsUpdated.connect(ticks.append)
            assert run(service.apply(alive, [RUNNING], Verb.PAUSE)) == []
            wait_until(
                lambda: _row(model, alive, RUNNING, Column.STATE) == "Paused", 10, "paused row"
            )
            assert run(service.apply(alive, [RUNNING], Verb.RESUME)) == []
            wait_until(lambda: len(ticks) >= 2, 15, "stats of the live host")
            assert dead.state is ConnState.CONNECTED and not hung.done()  # still hanging
            assert len(beats) >= 10
            # The dead host is noticed by keepalive; the live one is untouched.
            limit = dead.timing.keepalive_interval * (dead.timing.keepalive_count + 1) + 15
            wait_until(lambda: dead.state is not ConnState.CONNECTED, limit, "the dead link")
            wait_until(hung.done, 10, "the hung action to end")
            assert alive.state is ConnState.CONNECTED
        finally:
            heartbeat.stop()
            run(dead.shutdown())


def test_remote_rows_need_no_turn_beyond_an_open_and_one_listing(
    ssh_bed: SshBed, manager: Any, run: Any, wait_until: Any, remote_test_file: str
) -> None:
    """Over a slow link every turn costs a round trip: a remote host's rows
    are shown after the turns of a plain open and one bulk listing, and the
    event subscription, keepalive, full listing and host record come after."""
    import libvirt

    with TcpProxy(ssh_bed.port) as proxy:
        alias = f"kvmdesk-test-turns-{proxy.port}"
        ssh_bed.add_host(alias, port=proxy.port)
        uri = remote_test_file.replace(f"test+ssh://{HOST}/", f"test+ssh://{alias}/", 1)
        proxy.set_latency(0.01)

        def plain() -> int:
            # A client with the same event loop registered: libvirt's own
            # open asks whether the server speaks keepalive, as kvmdesk's does.
            virt = libvirt.open(uri)
            try:
                virt.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE)
                return proxy.turns
            finally:
                virt.close()

        proxy.turns = 0
        floor = run(asyncio.get_event_loop().run_in_executor(None, plain))

        proxy.turns = 0
        model = DomainTreeModel(manager)
        conn = manager.add(uri, persist=False)
        listed: list[tuple[int, bool, Any, int]] = []
        conn.domainsReset.connect(
            lambda: listed.append((proxy.turns, conn.has_events, conn.host, len(conn.domains)))
        )
        assert run(conn.open_and_wait()), conn.failure
        turns, subscribed, host, domains = listed[0]
        assert turns == floor
        assert domains == len(conn.domains) and RUNNING in conn.domains
        assert not subscribed and host is None
        wait_until(lambda: len(_tree_uuids(model, conn)) == domains, 10, "the rows")
        # What the rows did not wait for still comes, on the same link.
        wait_until(lambda: conn.has_events and conn.host is not None, 20, "events and host")
        assert proxy.turns > turns and proxy.accepted == 2
        run(conn.shutdown())
