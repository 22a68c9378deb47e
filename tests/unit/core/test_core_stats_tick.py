"""A connection's stats tick (``core.stats_tick``) on the test driver: it
keeps ticking through failures, a lost link found by a tick drops the
connection, and an answer for a link closed meanwhile is ignored.

Each test runs its body as one coroutine (see ``until`` in conftest.py).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.timing import Timing
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.lifecycle import Verb, apply

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
Run = Callable[..., Any]
Make = Callable[..., Connection]
Until = Callable[..., Coroutine[Any, Any, None]]


def _error(msg: str, code: int, domain: int) -> libvirt.libvirtError:
    exc = libvirt.libvirtError(msg)
    exc.err = (code, domain, msg, 2, msg, None, None, 5, -1)
    return exc


def _lost() -> libvirt.libvirtError:
    msg = "End of file while reading data: Input/output error"
    return _error(msg, libvirt.VIR_ERR_SYSTEM_ERROR, libvirt.VIR_FROM_RPC)


def _failing(
    monkeypatch: pytest.MonkeyPatch, failures: list[libvirt.libvirtError]
) -> list[tuple[Any, ...]]:
    """``sample_cpu`` raises the given errors first, then samples; every
    call's arguments are recorded."""
    real = virt_stats.sample_cpu
    calls: list[tuple[Any, ...]] = []

    def sample(*args: Any) -> Any:
        calls.append(args)
        if failures:
            raise failures.pop(0)
        return real(*args)

    monkeypatch.setattr(virt_stats, "sample_cpu", sample)
    return calls


def test_a_failed_tick_is_followed_by_the_next(
    connection: Make, run: Run, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tick that fails (not a lost link) leaves the connection up; the next
    tick is compared with the last one that succeeded."""
    conn = connection("two-domains.xml")
    ticks: list[virt_stats.CpuFigures] = []
    conn.statsUpdated.connect(ticks.append)
    failures: list[libvirt.libvirtError] = []
    calls = _failing(monkeypatch, failures)

    async def body() -> None:
        assert await conn.open_and_wait(), conn.failure
        await until(lambda: ticks and ALPHA in ticks[-1], what="alpha's figure")
        failures.append(
            _error("internal error: busy", libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_QEMU)
        )
        await until(lambda: not failures, what="the failing tick")
        seen, asked = len(ticks), len(calls)
        await conn.call(apply, ALPHA, Verb.FORCE_OFF)
        await until(lambda: len(ticks) > seen and len(calls) > asked, what="a tick after it")
        await until(lambda: ALPHA not in ticks[-1], what="alpha's figure gone")

    run(body())
    assert conn.state is ConnState.CONNECTED
    gone = next(t for t in ticks if ALPHA not in t)
    assert gone.changed == {ALPHA: None}


def test_a_tick_that_finds_the_link_lost_drops_the_connection(
    connection: Make, run: Run, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = connection("two-domains.xml")
    failures = [_lost()]
    states: list[ConnState] = []
    conn.stateChanged.connect(lambda: states.append(conn.state))
    ticks: list[virt_stats.CpuFigures] = []

    async def body() -> None:
        assert await conn.open_and_wait(), conn.failure
        _failing(monkeypatch, failures)
        await until(lambda: ConnState.WAITING in states, what="the lost link noticed")
        assert conn.failure is not None and conn.failure.kind is ErrorKind.CONNECTION_LOST
        await until(lambda: conn.state is ConnState.CONNECTED, what="reconnected")
        conn.statsUpdated.connect(ticks.append)
        await until(lambda: len(ticks) >= 1, what="ticks on the new link")

    run(body())


def test_an_answer_for_a_closed_link_is_ignored(
    connection: Make, run: Run, until: Until, monkeypatch: pytest.MonkeyPatch, fast: Timing
) -> None:
    conn = connection("two-domains.xml")
    ticks: list[virt_stats.CpuFigures] = []
    conn.statsUpdated.connect(ticks.append)
    inside, release = threading.Event(), threading.Event()
    real = virt_stats.sample_cpu

    def held(*args: Any) -> Any:
        if len(ticks) >= 1:
            inside.set()
            release.wait(10)
        return real(*args)

    monkeypatch.setattr(virt_stats, "sample_cpu", held)

    async def body() -> None:
        assert await conn.open_and_wait(), conn.failure
        await until(inside.is_set, what="a tick held in the worker")
        seen = len(ticks)
        conn.close()
        release.set()
        await asyncio.sleep(4 * fast.stats_interval)
        assert len(ticks) == seen
        assert conn.cpu == {}

    run(body())
