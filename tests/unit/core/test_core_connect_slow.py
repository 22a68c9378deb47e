"""Opening a connection that does not answer: time-out, cancel, late answers.

The open call is held back by a gate in front of the real ``open_uri`` (as
an ssh that never answers would hold it), so the connection must give up
on it, and close what it returns should it ever return.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import libvirt
import pytest

import kvmdesk.core.opening as opening_module
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.timing import Timing
from kvmdesk.core.worker import Worker
from kvmdesk.virt.errors import ErrorKind

Run = Callable[..., Any]


class Gate:
    """Holds every open call until released; records what the calls returned."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.opened: list[libvirt.virConnect] = []

    def wrap(self, real: Callable[..., libvirt.virConnect]) -> Callable[..., libvirt.virConnect]:
        def open_uri(uri: str, **kwargs: Any) -> libvirt.virConnect:
            self.entered.set()
            self.release.wait(30)
            virt = real(uri, **kwargs)
            self.opened.append(virt)
            return virt

        return open_uri


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    monkeypatch.setattr(opening_module, "open_uri", gate.wrap(opening_module.open_uri))
    yield gate
    gate.release.set()


@pytest.fixture
def slow_timing(fast: Timing) -> Timing:
    timing = Timing(
        stats_interval=fast.stats_interval,
        poll_interval=fast.poll_interval,
        keepalive_interval=fast.keepalive_interval,
        keepalive_count=fast.keepalive_count,
        backoff_start=5.0,  # no second attempt within a test
        backoff_max=5.0,
        connect_timeout=0.3,
    )
    return timing


def _is_closed(virt: libvirt.virConnect) -> bool:
    try:
        return not virt.isAlive()
    except libvirt.libvirtError:
        return True


def test_an_open_that_never_returns_times_out_and_waits_to_retry(
    gate: Gate, slow_timing: Timing, data_uri: Callable[[str], str], run: Run
) -> None:
    conn = Connection(data_uri("two-domains.xml"), timing=slow_timing)
    try:
        assert run(conn.open_and_wait()) is False
        assert conn.state is ConnState.WAITING
        assert conn.failure is not None and conn.failure.kind is ErrorKind.TIMEOUT
        assert conn.retry_at is not None
        # The abandoned call returns later: what it opened is closed, not used.
        gate.release.set()

        async def closed_late() -> None:
            for _ in range(200):
                if gate.opened and _is_closed(gate.opened[0]):
                    return
                await asyncio.sleep(0.02)

        run(closed_late())
        assert gate.opened and _is_closed(gate.opened[0])
        assert conn.state is ConnState.WAITING  # the late answer changed nothing
    finally:
        run(conn.shutdown())


def test_close_while_connecting_cancels(
    gate: Gate, fast: Timing, data_uri: Callable[[str], str], run: Run
) -> None:
    conn = Connection(data_uri("two-domains.xml"), timing=fast)
    states: list[ConnState] = []
    conn.stateChanged.connect(lambda: states.append(conn.state))

    async def body() -> None:
        conn.open()
        while not gate.entered.is_set():
            await asyncio.sleep(0.01)
        assert conn.state is ConnState.CONNECTING
        conn.close()  # what Disconnect does while the row says "Connecting…"
        assert conn.state is ConnState.DISCONNECTED and conn.failure is None
        gate.release.set()
        for _ in range(200):
            if gate.opened and _is_closed(gate.opened[0]):
                return
            await asyncio.sleep(0.02)

    try:
        run(body())
        assert gate.opened and _is_closed(gate.opened[0]), "the late connection was left open"
        assert conn.state is ConnState.DISCONNECTED
        assert conn.domains == {}
        assert states == [ConnState.CONNECTING, ConnState.DISCONNECTED]
    finally:
        run(conn.shutdown())


def test_connecting_again_after_a_cancel_works(
    gate: Gate, fast: Timing, data_uri: Callable[[str], str], run: Run
) -> None:
    conn = Connection(data_uri("two-domains.xml"), timing=fast)

    async def body() -> bool:
        conn.open()
        while not gate.entered.is_set():
            await asyncio.sleep(0.01)
        conn.close()
        gate.release.set()  # from now on opens go straight through
        return await conn.open_and_wait()

    try:
        assert run(body()) is True
        assert len(conn.domains) == 2
    finally:
        run(conn.shutdown())


# -- the worker ----------------------------------------------------------------


def test_worker_threads_never_hold_up_exit() -> None:
    worker = Worker("test", threads=1)
    stuck = threading.Event()
    worker.submit(stuck.wait, 30)
    assert all(t.daemon for t in worker._threads)
    worker.shutdown()  # does not wait for the stuck call
    stuck.set()


def test_worker_runs_calls_in_order_and_passes_errors(run: Run) -> None:
    worker = Worker("test", threads=1)
    seen: list[int] = []

    async def body() -> None:
        await asyncio.gather(*(worker.run(seen.append, i) for i in range(5)))
        with pytest.raises(ZeroDivisionError):
            await worker.run(lambda: 1 / 0)

    try:
        run(body())
        assert seen == [0, 1, 2, 3, 4]
    finally:
        worker.shutdown(wait=True)


def test_worker_drops_queued_calls_on_shutdown() -> None:
    worker = Worker("test", threads=1)
    hold, started = threading.Event(), threading.Event()

    def running() -> bool:
        started.set()
        return hold.wait(30)

    first = worker.submit(running)
    assert started.wait(5)
    queued = worker.submit(lambda: "never")
    worker.shutdown()
    assert queued.cancelled()
    hold.set()
    assert first.result(5) is True
    with pytest.raises(RuntimeError):
        worker.submit(lambda: None)
