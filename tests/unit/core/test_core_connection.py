"""One Connection on the test driver: open, events, stats, failures, reconnect.

Each test runs its body as one coroutine (see ``until`` in conftest.py).
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.timing import Timing
from kvmdesk.paths import demo_uri
from kvmdesk.virt.errors import ErrorKind, NotConnectedError, classify
from kvmdesk.virt.lifecycle import Verb, apply
from kvmdesk.virt.records import DomainRecord, DomainState
from kvmdesk.virt.stats import CpuFigures

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
BETA = "b2b2b2b2-0000-4000-8000-000000000002"
Run = Callable[..., Any]
Make = Callable[..., Connection]
Until = Callable[..., Coroutine[Any, Any, None]]


class Recorder:
    """Collects every signal of a Connection."""

    def __init__(self, conn: Connection) -> None:
        self.states: list[ConnState] = []
        self.changed: list[DomainRecord] = []
        self.removed: list[str] = []
        self.resets = 0
        self.stats: list[dict[str, float]] = []
        self.hosts: list[Any] = []
        conn.stateChanged.connect(lambda: self.states.append(conn.state))
        conn.domainChanged.connect(self.changed.append)
        conn.domainRemoved.connect(self.removed.append)
        conn.domainsReset.connect(self._reset)
        conn.statsUpdated.connect(self.stats.append)
        conn.hostChanged.connect(self.hosts.append)

    def _reset(self) -> None:
        self.resets += 1


def _lost_error(msg: str = "End of file while reading data: Input/output error") -> Exception:
    exc = libvirt.libvirtError(msg)
    exc.err = (libvirt.VIR_ERR_SYSTEM_ERROR, libvirt.VIR_FROM_RPC, msg, 2, msg, None, None, 5, -1)
    return exc


async def _opened(conn: Connection) -> Connection:
    assert await conn.open_and_wait(), conn.failure
    return conn


# -- opening ------------------------------------------------------------------


def test_open_two_domains(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)
    assert run(conn.open_and_wait()) is True
    assert conn.state is ConnState.CONNECTED and conn.is_connected
    assert conn.failure is None and conn.retry_at is None
    assert conn.is_test_driver
    assert {r.name: r.state for r in conn.domains.values()} == {
        "alpha": DomainState.RUNNING,
        "beta": DomainState.SHUTOFF,
    }
    assert set(conn.domains) == {ALPHA, BETA}
    assert (conn.domains[ALPHA].vcpus, conn.domains[ALPHA].memory_kib) == (2, 2097152)
    assert (conn.domains[BETA].vcpus, conn.domains[BETA].memory_kib) == (1, 1048576)
    assert conn.host is not None and conn.host.hypervisor == "TEST"
    assert conn.has_events
    assert rec.states == [ConnState.CONNECTING, ConnState.CONNECTED]
    assert rec.resets == 1
    assert rec.hosts and rec.hosts[0].uri == conn.uri


def test_full_host_record_follows(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    async def body() -> None:
        await _opened(conn)
        await until(lambda: len(rec.hosts) >= 2, what="host record with capabilities")

    run(body())
    assert conn.host is rec.hosts[-1]
    assert conn.host.cpu_model


def test_open_when_connected_does_nothing(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")

    async def body() -> list[ConnState]:
        await _opened(conn)
        rec = Recorder(conn)
        assert await conn.open_and_wait()
        conn.open()
        await asyncio.sleep(0.05)
        return rec.states

    assert run(body()) == []


def test_empty_host(connection: Make, run: Run) -> None:
    conn = connection("empty.xml")
    assert run(conn.open_and_wait())
    assert conn.domains == {}


# -- events -------------------------------------------------------------------


def test_pause_arrives_through_the_event(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    async def body() -> None:
        await _opened(conn)
        assert conn.has_events  # so no polling: the event path delivers it
        await conn.call(apply, ALPHA, Verb.PAUSE)
        await until(
            lambda: any(r.uuid == ALPHA and r.state is DomainState.PAUSED for r in rec.changed),
            what="domainChanged(PAUSED)",
        )

    run(body())
    assert conn.domains[ALPHA].state is DomainState.PAUSED
    assert conn.domains[BETA].state is DomainState.SHUTOFF


def test_start_and_stop_arrive_through_events(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        await conn.call(apply, BETA, Verb.RUN)
        await conn.call(apply, ALPHA, Verb.FORCE_OFF)
        await until(
            lambda: (
                conn.domains[BETA].state is DomainState.RUNNING
                and conn.domains[ALPHA].state is DomainState.SHUTOFF
            ),
            what="both domains updated",
        )

    run(body())


def test_undefine_arrives_as_removal(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    def undefine(virt: libvirt.virConnect, uuid: str) -> None:
        virt.lookupByUUIDString(uuid).undefine()

    async def body() -> None:
        await _opened(conn)
        await conn.call(undefine, BETA)
        await until(lambda: BETA in rec.removed, what="domainRemoved(beta)")

    run(body())
    assert set(conn.domains) == {ALPHA}
    assert rec.removed == [BETA]


def test_defined_domain_arrives_as_change(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    def define(virt: libvirt.virConnect) -> str:
        dom = virt.defineXML(
            "<domain type='test'><name>gamma</name><memory>1024</memory>"
            "<os><type>hvm</type></os></domain>"
        )
        return str(dom.UUIDString())

    async def body() -> str:
        await _opened(conn)
        uuid = await conn.call(define)
        await until(lambda: uuid in conn.domains, what="new domain")
        return uuid

    uuid = run(body())
    assert conn.domains[uuid].name == "gamma"
    assert conn.domains[uuid].state is DomainState.SHUTOFF
    assert any(r.uuid == uuid for r in rec.changed)


def test_invalidate_refreshes_what_events_do_not_report(
    connection: Make, run: Run, until: Until
) -> None:
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        await conn.call(apply, BETA, Verb.AUTOSTART_ON)
        conn.invalidate(BETA)
        await until(lambda: conn.domains[BETA].autostart, what="autostart shown")
        await conn.call(apply, BETA, Verb.AUTOSTART_OFF)
        conn.invalidate()  # the whole list
        await until(lambda: not conn.domains[BETA].autostart, what="autostart off shown")

    run(body())


# -- statistics ---------------------------------------------------------------


def test_stats_updated_for_running_domains(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    async def body() -> None:
        await _opened(conn)
        await until(lambda: len(rec.stats) >= 2, what="two statsUpdated")

    run(body())
    for stats in rec.stats:
        assert set(stats) == {ALPHA}
        assert 0.0 <= stats[ALPHA] <= 100.0
    assert conn.cpu == rec.stats[-1]


def test_stats_follow_a_started_domain(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    async def body() -> None:
        await _opened(conn)
        await conn.call(apply, BETA, Verb.RUN)
        await until(lambda: rec.stats and BETA in rec.stats[-1], what="stats of beta")

    run(body())


def test_stats_ticks_say_which_figures_changed(connection: Make, run: Run, until: Until) -> None:
    """The worker compares each tick with the one before: the first has nothing
    to compare with, a stopped domain is named with no figure."""
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    async def body() -> None:
        await _opened(conn)
        await until(lambda: len(rec.stats) >= 2, what="two statsUpdated")
        await conn.call(apply, ALPHA, Verb.FORCE_OFF)
        await until(lambda: rec.stats and ALPHA not in rec.stats[-1], what="alpha stopped")

    run(body())
    ticks = [t for t in rec.stats if isinstance(t, CpuFigures)]
    assert len(ticks) == len(rec.stats)
    assert ticks[0].changed is None
    assert all(t.changed is not None for t in ticks[1:])
    stopped = next(t for t in ticks if ALPHA not in t)
    assert stopped.changed == {ALPHA: None}


# -- failures -----------------------------------------------------------------


def _unknown_scheme_has_no_driver(uri: str) -> None:
    """libvirt hands a URI no local driver claims to the system daemon when its
    socket exists; with a stale socket that is "connection refused" instead."""
    with pytest.raises(libvirt.libvirtError) as info:
        libvirt.open(uri)
    if classify(info.value).kind is not ErrorKind.NO_DRIVER:
        pytest.skip(f"{uri} is routed to a daemon socket here: {info.value}")


def test_bad_driver_is_permanent(connection: Make, run: Run, fast: Timing) -> None:
    _unknown_scheme_has_no_driver("foo:///x")
    conn = connection("foo:///x")
    rec = Recorder(conn)

    async def body() -> None:
        assert await conn.open_and_wait() is False
        await asyncio.sleep(4 * fast.backoff_start)

    run(body())
    assert conn.state is ConnState.DISCONNECTED
    assert conn.failure is not None and conn.failure.kind is ErrorKind.NO_DRIVER
    assert conn.retry_at is None
    assert rec.states == [ConnState.CONNECTING, ConnState.DISCONNECTED]
    assert conn.domains == {}


def test_bad_uri_is_permanent(connection: Make, run: Run, fast: Timing) -> None:
    conn = connection("::bad")
    rec = Recorder(conn)

    async def body() -> None:
        assert await conn.open_and_wait() is False
        await asyncio.sleep(4 * fast.backoff_start)

    run(body())
    assert conn.state is ConnState.DISCONNECTED
    assert conn.failure is not None and conn.failure.kind is ErrorKind.BAD_URI
    # Refused by the URI check: no attempt (and no worker) was started.
    assert rec.states == [ConnState.DISCONNECTED]


def test_missing_daemon_socket_retries_with_backoff(
    connection: Make, run: Run, until: Until, tmp_path: Path
) -> None:
    conn = connection(f"qemu+unix:///system?socket={tmp_path / 'none'}")
    rec = Recorder(conn)

    async def body() -> None:
        assert await conn.open_and_wait() is False
        assert conn.state is ConnState.WAITING
        assert conn.retry_at is not None
        await until(lambda: rec.states.count(ConnState.WAITING) >= 3, 20, "three attempts")

    run(body())
    assert conn.failure is not None and conn.failure.kind is ErrorKind.DAEMON_NOT_RUNNING
    assert ConnState.CONNECTED not in rec.states


def test_missing_test_file_waits_and_connects_once_it_appears(
    connection: Make, run: Run, until: Until, tmp_path: Path, data_dir: Path
) -> None:
    """A test:/// file that does not exist fails with an XML error (kind OTHER),
    which is not permanent: the connection keeps retrying, and connects as soon
    as the file is there."""
    path = tmp_path / "later.xml"
    conn = connection(f"test://{path}")

    async def body() -> None:
        assert await conn.open_and_wait() is False
        assert conn.state is ConnState.WAITING
        assert conn.failure is not None
        assert conn.failure.kind is ErrorKind.OTHER
        assert conn.failure.code == libvirt.VIR_ERR_XML_ERROR
        shutil.copy(data_dir / "two-domains.xml", path)
        await until(lambda: conn.state is ConnState.CONNECTED, 20, "connected")

    run(body())
    assert set(conn.domains) == {ALPHA, BETA}
    assert conn.failure is None


def test_backoff_grows_and_is_capped(
    connection: Make, run: Run, tmp_path: Path, fast: Timing
) -> None:
    conn = connection(f"qemu+unix:///system?socket={tmp_path / 'none'}")

    async def body() -> list[float]:
        conn._want_connected = True  # as open() sets it
        loop = asyncio.get_running_loop()
        delays = []
        for _ in range(6):
            await conn._connect()
            assert conn.retry_at is not None
            delays.append(round(conn.retry_at - loop.time(), 1))
        conn._want_connected = False
        return delays

    delays = run(body())
    assert delays[:3] == [fast.backoff_start, 2 * fast.backoff_start, 4 * fast.backoff_start]
    assert max(delays) == fast.backoff_max
    assert delays == sorted(delays)


def test_call_errors_other_than_a_lost_link_keep_the_connection(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        with pytest.raises(libvirt.libvirtError):
            await conn.call(apply, ALPHA, Verb.RESUME)

    run(body())
    assert conn.state is ConnState.CONNECTED


def test_call_when_not_connected(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")
    with pytest.raises(NotConnectedError):
        run(conn.call(apply, ALPHA, Verb.PAUSE))
    assert classify(NotConnectedError(conn.uri)).kind is ErrorKind.NOT_CONNECTED


def test_details_of_a_domain(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")

    async def body() -> tuple[Any, Any]:
        await _opened(conn)
        return (
            await conn.details(ALPHA),
            await conn.details("00000000-0000-4000-8000-00000000dead"),
        )

    details, missing = run(body())
    assert details.record.name == "alpha"
    assert [d.target for d in details.disks] == ["vda"]
    assert missing is None


def test_demo_host_gets_its_autostart_settings(connection: Make, run: Run) -> None:
    conn = connection(demo_uri())
    assert run(conn.open_and_wait())
    autostart = {r.name for r in conn.domains.values() if r.autostart}
    assert "web-frontend-01" in autostart
    assert "db-replica" not in autostart


# -- close --------------------------------------------------------------------


def test_close_stops_everything(connection: Make, run: Run, until: Until, fast: Timing) -> None:
    conn = connection("two-domains.xml")
    rec = Recorder(conn)

    async def body() -> None:
        await _opened(conn)
        await until(lambda: rec.stats, what="stats running")
        conn.close()
        assert conn.state is ConnState.DISCONNECTED
        assert conn.failure is None and conn.retry_at is None
        assert conn.cpu == {}
        await until(lambda: not conn._tasks, what="background tasks to end")
        seen = len(rec.stats)
        await asyncio.sleep(3 * fast.stats_interval)
        assert len(rec.stats) == seen
        with pytest.raises(NotConnectedError):
            await conn.call(apply, ALPHA, Verb.PAUSE)
        conn.invalidate(ALPHA)  # ignored when not connected
        assert not conn._tasks

    run(body())
    assert rec.states[-1] is ConnState.DISCONNECTED
    assert rec.states.count(ConnState.DISCONNECTED) == 1


def test_close_from_a_plain_slot(connection: Make, run: Run) -> None:
    """close() is also called outside any coroutine (a Qt slot)."""
    conn = connection("two-domains.xml")
    assert run(conn.open_and_wait())
    conn.close()
    assert conn.state is ConnState.DISCONNECTED


def test_close_then_open_again(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        conn.close()
        conn.open()
        await until(lambda: conn.state is ConnState.CONNECTED, what="connected again")

    run(body())
    assert set(conn.domains) == {ALPHA, BETA}


def test_shutdown_ends_disconnected(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        await conn.shutdown()

    run(body())
    assert conn.state is ConnState.DISCONNECTED
    assert not conn._tasks


def _record_releases(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, bool]]:
    """(thread, subscriptions, link still open) of each release of network
    and pool event subscriptions."""
    from kvmdesk.core import resource_events

    seen: list[tuple[int, int, bool]] = []
    release = resource_events.unsubscribe

    def recorded(virt: libvirt.virConnect, subscriptions: list[Any]) -> None:
        seen.append((threading.get_ident(), len(subscriptions), virt.isAlive() == 1))
        release(virt, subscriptions)

    monkeypatch.setattr(resource_events, "unsubscribe", recorded)
    return seen


@pytest.mark.parametrize("how", ["close", "shutdown"])
def test_event_subscriptions_are_released_off_the_gui_thread_before_the_close(
    connection: Make, run: Run, until: Until, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Each release is a round trip on a remote link: the GUI thread never
    waits for it (closing 50 hosts behind a slow link stopped the window)."""
    seen = _record_releases(monkeypatch)
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        if how == "close":
            conn.close()
        else:
            await conn.shutdown()
        await until(lambda: seen, what="the subscriptions released")

    run(body())
    assert len(seen) == 1
    thread, subscriptions, open_then = seen[0]
    assert thread != threading.get_ident()
    assert subscriptions == 3  # networks; pools' lifecycle and refresh
    assert open_then
    assert conn.state is ConnState.DISCONNECTED


# -- reconnecting -------------------------------------------------------------


def test_dropped_link_reconnects_by_itself(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")

    async def body() -> Recorder:
        await _opened(conn)
        rec = Recorder(conn)
        conn._on_close(None, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None)
        await until(lambda: conn.state is ConnState.WAITING, what="waiting")
        assert conn.failure is not None
        assert conn.failure.kind is ErrorKind.CONNECTION_LOST
        assert conn.failure.code == libvirt.VIR_CONNECT_CLOSE_REASON_EOF
        assert conn.retry_at is not None
        assert conn.cpu == {}
        await until(lambda: conn.state is ConnState.CONNECTED, what="reconnected")
        # the new link works: statistics and events flow again
        await until(lambda: rec.stats, what="stats after reconnecting")
        await conn.call(apply, ALPHA, Verb.PAUSE)
        await until(
            lambda: conn.domains[ALPHA].state is DomainState.PAUSED, what="event after reconnect"
        )
        return rec

    rec = run(body())
    assert rec.states == [ConnState.WAITING, ConnState.CONNECTING, ConnState.CONNECTED]
    assert rec.resets == 1
    assert conn.failure is None
    assert set(conn.domains) == {ALPHA, BETA}


@pytest.mark.parametrize(
    "reason",
    [libvirt.VIR_CONNECT_CLOSE_REASON_ERROR, libvirt.VIR_CONNECT_CLOSE_REASON_KEEPALIVE],
    ids=["error", "keepalive"],
)
def test_other_close_reasons_also_reconnect(
    connection: Make, run: Run, until: Until, reason: int
) -> None:
    conn = connection("two-domains.xml")

    async def body() -> None:
        await _opened(conn)
        conn._on_close(None, reason, None)
        await until(lambda: conn.state is ConnState.WAITING, what="waiting")
        assert conn.failure is not None and conn.failure.kind is ErrorKind.CONNECTION_LOST
        await until(lambda: conn.state is ConnState.CONNECTED, what="reconnected")

    run(body())


def test_close_callback_from_another_thread(connection: Make, run: Run, until: Until) -> None:
    """libvirt may call the close callback on any thread; the state changes on
    the loop's thread all the same."""
    conn = connection("two-domains.xml")
    seen_on: list[int] = []
    conn.stateChanged.connect(lambda: seen_on.append(threading.get_ident()))

    async def body() -> None:
        await _opened(conn)
        seen_on.clear()
        caller = threading.Thread(
            target=conn._on_close, args=(None, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None)
        )
        caller.start()
        caller.join()
        await until(lambda: conn.state is ConnState.WAITING, what="waiting")
        await until(lambda: conn.state is ConnState.CONNECTED, what="reconnected")

    run(body())
    assert set(seen_on) == {threading.get_ident()}


def test_close_by_client_is_not_a_loss(connection: Make, run: Run) -> None:
    conn = connection("two-domains.xml")

    async def body() -> list[ConnState]:
        await _opened(conn)
        rec = Recorder(conn)
        conn._on_close(None, libvirt.VIR_CONNECT_CLOSE_REASON_CLIENT, None)
        await asyncio.sleep(0.1)
        return rec.states

    assert run(body()) == []
    assert conn.state is ConnState.CONNECTED


def test_lost_link_reported_by_a_call_reconnects(connection: Make, run: Run, until: Until) -> None:
    conn = connection("two-domains.xml")

    def fails(_virt: libvirt.virConnect) -> None:
        raise _lost_error()

    async def body() -> None:
        await _opened(conn)
        with pytest.raises(libvirt.libvirtError):
            await conn.call(fails)
        assert conn.state is ConnState.WAITING
        assert conn.failure is not None and conn.failure.kind is ErrorKind.CONNECTION_LOST
        await until(lambda: conn.state is ConnState.CONNECTED, what="reconnected")

    run(body())


def test_close_while_waiting_cancels_the_retry(
    connection: Make, run: Run, until: Until, fast: Timing
) -> None:
    conn = connection("two-domains.xml")

    async def body() -> list[ConnState]:
        await _opened(conn)
        rec = Recorder(conn)
        conn._on_close(None, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None)
        await until(lambda: conn.state is ConnState.WAITING, what="waiting")
        conn.close()
        await asyncio.sleep(4 * fast.backoff_start)
        return rec.states

    assert run(body()) == [ConnState.WAITING, ConnState.DISCONNECTED]
    assert conn.state is ConnState.DISCONNECTED


def test_late_failure_of_an_old_call_does_not_drop_the_new_link(
    connection: Make, run: Run, until: Until
) -> None:
    """A call made on the link that was lost may fail only after the connection
    has reconnected; that failure belongs to the old link, not the new one."""
    conn = connection("two-domains.xml")
    started, release = threading.Event(), threading.Event()

    def slow_then_lost(_virt: libvirt.virConnect) -> None:
        started.set()
        release.wait(10)
        raise _lost_error()

    async def body() -> list[ConnState]:
        await _opened(conn)
        old = asyncio.ensure_future(conn.call(slow_then_lost))
        await until(started.is_set, what="the old call to run")
        conn._on_close(None, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None)
        await until(lambda: conn.state is ConnState.WAITING, what="waiting")
        await until(lambda: conn.state is ConnState.CONNECTED, what="reconnected")
        rec = Recorder(conn)
        release.set()
        with pytest.raises(libvirt.libvirtError):
            await old
        await asyncio.sleep(0.05)
        return rec.states

    assert run(body()) == []
    assert conn.state is ConnState.CONNECTED


# -- a lost link must not free the libvirt connection under a running call ----


async def _hold_stats_then(proxy: Any, until: Until, trigger: Callable[[], Any]) -> None:
    proxy.hold_stats.set()
    await until(proxy.stats_held.is_set, what="a stats call in the worker")
    result = trigger()
    if asyncio.iscoroutine(result):
        await result
    await until(proxy.close_asked.is_set, 30, "the libvirt connection to be closed")


def test_lost_link_is_closed_only_after_running_calls_return(
    connection: Make, guarded: list[Any], run: Run, until: Until
) -> None:
    """After a drop the old virConnect is closed; a stats call that is still
    running on it in the worker must have returned first (libvirt frees the
    connection on close, and the running call would crash the process)."""
    conn = connection("two-domains.xml")

    async def body() -> Any:
        await _opened(conn)
        proxy = guarded[-1]
        await _hold_stats_then(
            proxy,
            until,
            lambda: conn._on_close(None, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None),
        )
        return proxy

    assert run(body()).busy_at_close == [0]


def test_close_waits_for_running_calls(
    connection: Make, guarded: list[Any], run: Run, until: Until
) -> None:
    conn = connection("two-domains.xml")

    async def body() -> Any:
        await _opened(conn)
        proxy = guarded[-1]
        await _hold_stats_then(proxy, until, conn.close)
        return proxy

    assert run(body()).busy_at_close == [0]


def test_shutdown_waits_for_running_calls(
    connection: Make, guarded: list[Any], run: Run, until: Until
) -> None:
    conn = connection("two-domains.xml")

    async def body() -> Any:
        await _opened(conn)
        proxy = guarded[-1]
        await _hold_stats_then(proxy, until, conn.shutdown)
        return proxy

    assert run(body()).busy_at_close == [0]
