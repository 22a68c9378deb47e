"""The libvirt event implementation on the asyncio loop, driven directly.

Each test builds its own ``LibvirtEventLoop`` on the session loop and never
registers it: libvirt keeps the one that tests/conftest.py registered.
Opaques have libvirt's shape, ``(callback, opaque, free_callback)``, with no
free callback, which is what ``virEventInvokeFreeCallback`` unpacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import libvirt
import pytest

from kvmdesk.core.eventloop import LibvirtEventLoop, register_once

READ = libvirt.VIR_EVENT_HANDLE_READABLE
WRITE = libvirt.VIR_EVENT_HANDLE_WRITABLE
OPAQUE = ("opaque", None, None)


@pytest.fixture
def impl(aio_loop: asyncio.AbstractEventLoop) -> Iterator[LibvirtEventLoop]:
    impl = LibvirtEventLoop(aio_loop)
    yield impl
    for watch in list(impl._handles):
        impl.remove_handle(watch)
    for timer in list(impl._timers):
        impl.remove_timeout(timer)
    aio_loop.run_until_complete(asyncio.sleep(0))


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    yield a, b
    a.close()
    b.close()


def _spin(aio_loop: asyncio.AbstractEventLoop, seconds: float) -> None:
    aio_loop.run_until_complete(asyncio.sleep(seconds))


class Calls:
    """Records callbacks with the thread they ran on."""

    def __init__(self, sock: socket.socket | None = None) -> None:
        self.sock = sock
        self.calls: list[tuple[Any, ...]] = []
        self.threads: set[int] = set()

    def handle(self, watch: int, fd: int, events: int, opaque: Any) -> None:
        self.threads.add(threading.get_ident())
        self.calls.append((watch, fd, events, opaque))
        if self.sock is not None and events & READ:
            with contextlib.suppress(BlockingIOError):
                self.sock.recv(4096)  # drain, or the loop reports it again

    def timer(self, timer_id: int, opaque: Any) -> None:
        self.threads.add(threading.get_ident())
        self.calls.append((timer_id, opaque))


def test_handle_added_from_worker_thread_fires_on_loop_thread(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
) -> None:
    a, b = pair
    calls = Calls(a)
    watches: list[int] = []
    worker = threading.Thread(
        target=lambda: watches.append(impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE))
    )
    worker.start()
    worker.join()
    assert len(watches) == 1 and watches[0] > 0
    b.send(b"x")
    wait_until(lambda: calls.calls, what="readable callback")
    assert calls.calls[0] == (watches[0], a.fileno(), READ, OPAQUE)
    assert calls.threads == {threading.get_ident()}
    assert worker.ident not in calls.threads


def test_callback_repeats_for_new_data(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
) -> None:
    a, b = pair
    calls = Calls(a)
    impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE)
    for n in range(1, 4):
        b.send(b"x")
        wait_until(lambda n=n: len(calls.calls) >= n, what=f"callback {n}")


def test_writable_handle(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
) -> None:
    a, _b = pair
    calls = Calls()
    watch = impl.add_handle(a.fileno(), WRITE, calls.handle, OPAQUE)
    wait_until(lambda: calls.calls, what="writable callback")
    assert calls.calls[0][:3] == (watch, a.fileno(), WRITE)
    impl.update_handle(watch, 0)


def test_update_handle_to_zero_stops_callbacks(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    a, b = pair
    calls = Calls(a)
    watch = impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE)
    b.send(b"x")
    wait_until(lambda: calls.calls, what="first callback")
    impl.update_handle(watch, 0)
    seen = len(calls.calls)
    b.send(b"y")
    _spin(aio_loop, 0.3)
    assert len(calls.calls) == seen
    # and on again: the pending byte is reported
    impl.update_handle(watch, READ)
    wait_until(lambda: len(calls.calls) > seen, what="callback after re-enabling")


def test_update_handle_from_worker_thread(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    a, b = pair
    calls = Calls(a)
    watch = impl.add_handle(a.fileno(), 0, calls.handle, OPAQUE)
    b.send(b"x")
    _spin(aio_loop, 0.2)
    assert calls.calls == []
    worker = threading.Thread(target=impl.update_handle, args=(watch, READ))
    worker.start()
    worker.join()
    wait_until(lambda: calls.calls, what="callback after update from a thread")
    assert calls.threads == {threading.get_ident()}


def test_remove_handle_returns_0_then_minus_1(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    a, b = pair
    calls = Calls(a)
    watch = impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE)
    assert impl.remove_handle(watch) == 0
    assert impl.remove_handle(watch) == -1
    b.send(b"x")
    _spin(aio_loop, 0.3)
    assert calls.calls == []


def test_remove_handle_from_worker_thread(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    a, b = pair
    calls = Calls(a)
    watch = impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE)
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(impl.remove_handle(watch)))
    worker.start()
    worker.join()
    assert results == [0]
    b.send(b"x")
    _spin(aio_loop, 0.3)
    assert calls.calls == []


def test_unknown_watch_is_ignored(impl: LibvirtEventLoop) -> None:
    impl.update_handle(987654, READ)
    assert impl.remove_handle(987654) == -1
    impl.update_timeout(987654, 10)
    assert impl.remove_timeout(987654) == -1


def test_two_watches_on_one_fd(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    """libvirt may watch one fd twice; removing one keeps the other alive."""
    a, b = pair
    first, second = Calls(), Calls(a)
    w1 = impl.add_handle(a.fileno(), READ, first.handle, OPAQUE)
    w2 = impl.add_handle(a.fileno(), READ, second.handle, OPAQUE)
    assert w1 != w2
    b.send(b"x")
    wait_until(lambda: first.calls and second.calls, what="both callbacks")
    assert impl.remove_handle(w1) == 0
    seen = len(first.calls)
    b.send(b"y")
    wait_until(lambda: len(second.calls) >= 2, what="remaining callback")
    assert len(first.calls) == seen


def test_failing_callback_does_not_stop_the_loop(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    wait_until: Callable[..., None],
) -> None:
    a, b = pair
    good = Calls(a)

    def bad(*_args: Any) -> None:
        raise RuntimeError("boom")

    impl.add_handle(a.fileno(), READ, bad, OPAQUE)
    impl.add_handle(a.fileno(), READ, good.handle, OPAQUE)
    b.send(b"x")
    wait_until(lambda: good.calls, what="the good callback despite the bad one")


def test_free_callback_runs_later_on_the_loop(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    aio_loop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """libvirt's rule for removeHandle/removeTimeout: the free callback must not
    run inside the remove call (libvirt may hold the lock the free callback takes);
    it runs afterwards from the loop, exactly once."""
    freed: list[tuple[Any, bool]] = []
    inside = threading.local()

    def record(opaque: Any) -> None:
        freed.append((opaque, getattr(inside, "removing", False)))

    monkeypatch.setattr(libvirt, "virEventInvokeFreeCallback", record)
    a, _b = pair
    watch = impl.add_handle(a.fileno(), READ, Calls().handle, ("h", None, None))
    timer = impl.add_timeout(-1, Calls().timer, ("t", None, None))
    inside.removing = True
    impl.remove_handle(watch)
    impl.remove_timeout(timer)
    inside.removing = False
    _spin(aio_loop, 0.05)
    assert sorted(o[0] for o, _ in freed) == ["h", "t"]
    assert [during for _, during in freed] == [False, False]


# -- timers -------------------------------------------------------------------


def test_timer_fires_repeatedly_on_loop_thread(
    impl: LibvirtEventLoop, wait_until: Callable[..., None]
) -> None:
    calls = Calls()
    timer = impl.add_timeout(10, calls.timer, OPAQUE)
    assert timer > 0
    wait_until(lambda: len(calls.calls) >= 3, what="three timer ticks")
    assert set(calls.calls) == {(timer, OPAQUE)}
    assert calls.threads == {threading.get_ident()}


def test_zero_interval_fires_every_iteration(
    impl: LibvirtEventLoop, wait_until: Callable[..., None]
) -> None:
    calls = Calls()
    impl.add_timeout(0, calls.timer, OPAQUE)
    wait_until(lambda: len(calls.calls) >= 5, what="five immediate ticks")


def test_timer_added_from_worker_thread(
    impl: LibvirtEventLoop, wait_until: Callable[..., None]
) -> None:
    calls = Calls()
    worker = threading.Thread(target=impl.add_timeout, args=(5, calls.timer, OPAQUE))
    worker.start()
    worker.join()
    wait_until(lambda: len(calls.calls) >= 2, what="ticks of a timer added from a thread")
    assert calls.threads == {threading.get_ident()}


def test_minus_one_disables_and_reenables(
    impl: LibvirtEventLoop,
    wait_until: Callable[..., None],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    calls = Calls()
    timer = impl.add_timeout(-1, calls.timer, OPAQUE)
    _spin(aio_loop, 0.2)
    assert calls.calls == []
    impl.update_timeout(timer, 10)
    wait_until(lambda: len(calls.calls) >= 2, what="ticks after enabling")
    impl.update_timeout(timer, -1)
    seen = len(calls.calls)
    _spin(aio_loop, 0.3)
    assert len(calls.calls) == seen


def test_remove_timeout_stops_it(
    impl: LibvirtEventLoop,
    wait_until: Callable[..., None],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    calls = Calls()
    timer = impl.add_timeout(10, calls.timer, OPAQUE)
    wait_until(lambda: calls.calls, what="first tick")
    assert impl.remove_timeout(timer) == 0
    seen = len(calls.calls)
    _spin(aio_loop, 0.3)
    assert len(calls.calls) == seen
    assert impl.remove_timeout(timer) == -1


def test_timer_may_disable_itself_from_its_callback(
    impl: LibvirtEventLoop, aio_loop: asyncio.AbstractEventLoop, wait_until: Callable[..., None]
) -> None:
    ticks: list[int] = []

    def once(timer_id: int, _opaque: Any) -> None:
        ticks.append(timer_id)
        impl.update_timeout(timer_id, -1)

    impl.add_timeout(0, once, OPAQUE)
    wait_until(lambda: ticks, what="the single tick")
    _spin(aio_loop, 0.2)
    assert len(ticks) == 1


def test_timer_may_remove_itself_from_its_callback(
    impl: LibvirtEventLoop, aio_loop: asyncio.AbstractEventLoop, wait_until: Callable[..., None]
) -> None:
    ticks: list[int] = []

    def once(timer_id: int, _opaque: Any) -> None:
        ticks.append(timer_id)
        assert impl.remove_timeout(timer_id) == 0

    impl.add_timeout(0, once, OPAQUE)
    wait_until(lambda: ticks, what="the single tick")
    _spin(aio_loop, 0.2)
    assert len(ticks) == 1


def test_failing_timer_keeps_ticking(
    impl: LibvirtEventLoop, wait_until: Callable[..., None]
) -> None:
    ticks: list[int] = []

    def bad(timer_id: int, _opaque: Any) -> None:
        ticks.append(timer_id)
        raise RuntimeError("boom")

    impl.add_timeout(5, bad, OPAQUE)
    wait_until(lambda: len(ticks) >= 3, what="ticks despite exceptions")


def test_ids_are_unique_across_handles_and_timers(
    impl: LibvirtEventLoop, pair: tuple[socket.socket, socket.socket]
) -> None:
    a, _b = pair
    ids = [impl.add_handle(a.fileno(), 0, Calls().handle, OPAQUE) for _ in range(3)]
    ids += [impl.add_timeout(-1, Calls().timer, OPAQUE) for _ in range(3)]
    assert len(set(ids)) == 6


def test_register_once_returns_the_same_instance(aio_loop: asyncio.AbstractEventLoop) -> None:
    assert register_once(aio_loop) is register_once(aio_loop)


def test_plain_object_as_opaque(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    """libvirt always passes its (callback, opaque, free) tuple; any other opaque
    cannot be freed by virEventInvokeFreeCallback. Removing still answers 0 at
    once; the failed free is reported to the loop's exception handler later."""
    errors: list[dict[str, Any]] = []
    old = aio_loop.get_exception_handler()
    aio_loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        a, _b = pair
        watch = impl.add_handle(a.fileno(), READ, Calls().handle, object())
        timer = impl.add_timeout(-1, Calls().timer, object())
        assert impl.remove_handle(watch) == 0
        assert impl.remove_timeout(timer) == 0
        _spin(aio_loop, 0.05)
    finally:
        aio_loop.set_exception_handler(old)
    assert len(errors) == 2
    assert all(isinstance(e.get("exception"), TypeError) for e in errors)


def test_hooks_after_the_loop_closed_do_nothing() -> None:
    """libvirt frees a last stream or connection while the application quits:
    its hooks must not raise "Event loop is closed" into libvirt."""
    loop = asyncio.new_event_loop()
    impl = LibvirtEventLoop(loop)
    loop.close()
    watch = impl.add_handle(0, libvirt.VIR_EVENT_HANDLE_READABLE, lambda *a: None, None)
    impl.update_handle(watch, libvirt.VIR_EVENT_HANDLE_WRITABLE)
    assert impl.remove_handle(watch) == 0


# -- batching -----------------------------------------------------------------


def test_changes_from_a_thread_are_applied_in_one_flush(
    aio_loop: asyncio.AbstractEventLoop,
    pair: tuple[socket.socket, socket.socket],
    monkeypatch: pytest.MonkeyPatch,
    wait_until: Callable[..., None],
) -> None:
    """An RPC switches write interest on and off; a fleet makes many per turn."""
    flushes: list[int] = []
    flush = LibvirtEventLoop._flush

    def counted(self: LibvirtEventLoop) -> None:
        flushes.append(1)
        flush(self)

    monkeypatch.setattr(LibvirtEventLoop, "_flush", counted)
    impl = LibvirtEventLoop(aio_loop)
    a, b = pair
    calls = Calls(a)
    watch = impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE)
    timer = impl.add_timeout(-1, Calls().timer, OPAQUE)
    _spin(aio_loop, 0.05)
    flushes.clear()

    def churn() -> None:
        for _ in range(100):
            impl.update_handle(watch, READ | WRITE)
            impl.update_handle(watch, READ)
            impl.update_timeout(timer, 5000)

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()
    _spin(aio_loop, 0.05)
    assert flushes == [1]
    b.send(b"x")
    wait_until(lambda: calls.calls, what="the callback after the churn")
    assert {c[2] for c in calls.calls} == {READ}
    impl.remove_handle(watch)
    impl.remove_timeout(timer)
    _spin(aio_loop, 0.05)


def test_one_notifier_per_socket_and_direction_is_kept(
    impl: LibvirtEventLoop,
    pair: tuple[socket.socket, socket.socket],
    monkeypatch: pytest.MonkeyPatch,
    wait_until: Callable[..., None],
    aio_loop: asyncio.AbstractEventLoop,
) -> None:
    """Interest switched on and off re-enables the socket's notifiers, never
    makes new ones; they go when libvirt stops watching the socket."""
    from PySide6.QtCore import QSocketNotifier

    from kvmdesk.core import eventloop

    made: list[QSocketNotifier] = []

    class Counted(QSocketNotifier):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(eventloop, "QSocketNotifier", Counted)
    a, b = pair
    calls = Calls(a)
    watch = impl.add_handle(a.fileno(), READ, calls.handle, OPAQUE)
    for n in range(1, 6):
        impl.update_handle(watch, 0)
        _spin(aio_loop, 0.01)
        impl.update_handle(watch, READ | WRITE)
        _spin(aio_loop, 0.01)
        impl.update_handle(watch, READ)
        b.send(b"x")
        wait_until(lambda n=n: sum(1 for c in calls.calls if c[2] == READ) >= n, what=f"read {n}")
    assert len(made) == 2  # one for reading, one for writing
    impl.remove_handle(watch)
    assert not any(n.isEnabled() for n in made)


# -- lazy countdowns ------------------------------------------------------------


def _counting_flushes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    flushes: list[int] = []
    flush = LibvirtEventLoop._flush

    def counted(self: LibvirtEventLoop) -> None:
        flushes.append(1)
        flush(self)

    monkeypatch.setattr(LibvirtEventLoop, "_flush", counted)
    return flushes


def test_a_later_deadline_from_a_thread_needs_no_flush_and_is_kept(
    aio_loop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
    wait_until: Callable[..., None],
) -> None:
    """libvirt restarts a keepalive countdown on every message a worker
    receives: the GUI thread is not woken for it, and the timer still waits
    the whole interval from the last restart."""
    import time

    flushes = _counting_flushes(monkeypatch)
    impl = LibvirtEventLoop(aio_loop)
    fired: list[float] = []
    timer = impl.add_timeout(300, lambda *_a: fired.append(time.monotonic()), OPAQUE)
    _spin(aio_loop, 0.05)
    flushes.clear()
    restarts: list[float] = []

    def restart() -> None:
        for _ in range(20):
            impl.update_timeout(timer, 300)
            restarts.append(time.monotonic())
            time.sleep(0.02)

    worker = threading.Thread(target=restart)
    worker.start()
    while worker.is_alive():
        _spin(aio_loop, 0.01)
    wait_until(lambda: fired, what="the timer after the last restart")
    assert flushes == []
    assert fired[0] >= restarts[-1] + 0.3 * 0.95  # Qt's coarse timers may be 5 % early
    impl.remove_timeout(timer)
    _spin(aio_loop, 0.05)


def test_an_earlier_deadline_from_a_thread_fires_then(
    impl: LibvirtEventLoop, wait_until: Callable[..., None], aio_loop: asyncio.AbstractEventLoop
) -> None:
    calls = Calls()
    timer = impl.add_timeout(60_000, calls.timer, OPAQUE)
    _spin(aio_loop, 0.05)
    worker = threading.Thread(target=impl.update_timeout, args=(timer, 10))
    worker.start()
    worker.join()
    wait_until(lambda: calls.calls, what="the timer at its earlier deadline")


def test_a_timer_disabled_from_a_thread_never_fires(
    impl: LibvirtEventLoop, aio_loop: asyncio.AbstractEventLoop
) -> None:
    calls = Calls()
    timer = impl.add_timeout(100, calls.timer, OPAQUE)
    _spin(aio_loop, 0.02)
    worker = threading.Thread(target=impl.update_timeout, args=(timer, -1))
    worker.start()
    worker.join()
    _spin(aio_loop, 0.4)
    assert calls.calls == []


def test_a_timer_repeats_at_its_interval_after_firing(
    impl: LibvirtEventLoop, wait_until: Callable[..., None]
) -> None:
    """Armed again after each run (libvirt's timers repeat until changed)."""
    calls = Calls()
    impl.add_timeout(20, calls.timer, OPAQUE)
    wait_until(lambda: len(calls.calls) >= 4, what="four runs of a repeating timer")


def test_a_callback_that_restarts_its_own_timer_sets_the_next_deadline(
    impl: LibvirtEventLoop, aio_loop: asyncio.AbstractEventLoop, wait_until: Callable[..., None]
) -> None:
    """As libvirt's keepalive does when it is not due yet: the next run comes
    after the interval the callback asked for, not the timer's old one."""
    import time

    runs: list[float] = []

    def slower(timer_id: int, _opaque: Any) -> None:
        runs.append(time.monotonic())
        impl.update_timeout(timer_id, 300)

    impl.add_timeout(0, slower, OPAQUE)
    wait_until(lambda: len(runs) >= 2, what="the second run")
    assert runs[1] - runs[0] >= 0.3 * 0.95
