"""Helpers for the core tests: the shared fast timings, connections run in one
coroutine per test, and a guard that keeps a libvirt connection from being
freed under a running call."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing

TESTS = Path(__file__).resolve().parents[2]


def _shared_conftest(config: pytest.Config) -> Any:
    for plugin in config.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None)
        if file and Path(file).resolve() == TESTS / "conftest.py":
            return plugin
    raise LookupError("tests/conftest.py is not loaded")


@pytest.fixture(scope="session")
def fast(pytestconfig: pytest.Config) -> Timing:
    """``FAST`` from tests/conftest.py: the timings ``open_connection`` uses."""
    timing: Timing = _shared_conftest(pytestconfig).FAST
    return timing


@pytest.fixture(scope="session")
def data_dir(pytestconfig: pytest.Config) -> Path:
    path: Path = _shared_conftest(pytestconfig).DATA
    return path


class GuardedConnect:
    """A real virConnect that cannot be freed under a call.

    libvirt frees a connection on its last close, and a call that runs on it
    meanwhile reads freed memory: the process dies. kvmdesk closes a lost
    connection while its worker may still be inside a call, or about to start
    one (see test_core_connection.py, "a lost link must not free ..."). So
    that the other tests observe behaviour instead of crashing, the guard

    * records how many calls were running when close was asked for
      (``busy_at_close``) and lets them return before closing;
    * refuses calls that start once close was asked for, with an error of
      no particular kind (libvirt would crash or report a lost connection).

    With ``hold_stats`` set, the stats tick's listing (``getAllDomainStats``,
    or ``listDomainsID`` on the in-process test driver) waits until close is
    asked for, which makes the overlap certain.
    """

    def __init__(self, real: libvirt.virConnect) -> None:
        self._real = real
        self._cond = threading.Condition()
        self._busy = 0
        self._closing = False
        self.busy_at_close: list[int] = []
        self.refused: list[str] = []
        self.hold_stats = threading.Event()
        self.stats_held = threading.Event()
        self.close_asked = threading.Event()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._real, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._cond:
                if self._closing:
                    self.refused.append(name)
                    raise _refused(name)
                self._busy += 1
            try:
                if name in _STATS_CALLS and self.hold_stats.is_set():
                    self.stats_held.set()
                    self.close_asked.wait(10)
                return attr(*args, **kwargs)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

        return call

    def close(self) -> int:
        with self._cond:
            self._closing = True
            self.busy_at_close.append(self._busy)
            self.close_asked.set()
            self._cond.wait_for(lambda: self._busy == 0, timeout=30)
        return int(self._real.close())


_STATS_CALLS = frozenset({"getAllDomainStats", "listDomainsID"})


def _refused(name: str) -> libvirt.libvirtError:
    msg = f"test guard: {name} started after the connection was closed"
    exc = libvirt.libvirtError(msg)
    exc.err = (
        libvirt.VIR_ERR_OPERATION_ABORTED,
        libvirt.VIR_FROM_NONE,
        msg,
        2,
        None,
        None,
        None,
        0,
        0,
    )
    return exc


@pytest.fixture(autouse=True)
def guarded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[GuardedConnect]]:
    """Every ``libvirt.open`` in a core test returns a ``GuardedConnect``."""
    real_open: Callable[..., libvirt.virConnect] = libvirt.open
    made: list[GuardedConnect] = []

    def guarded_open(uri: str | None = None) -> GuardedConnect:
        conn = GuardedConnect(real_open(uri))
        made.append(conn)
        return conn

    monkeypatch.setattr(libvirt, "open", guarded_open)
    yield made


Until = Callable[..., Coroutine[Any, Any, None]]


@pytest.fixture
def until() -> Until:
    """``await until(predicate, timeout, what)`` inside a test's coroutine.

    Tests that need background tasks (stats, refresh, retry) run their whole
    body as one coroutine: between two ``run``/``wait_until`` calls qasync
    processes pending events once with no running loop, and a task resumed
    there dies with "no running event loop".
    """

    async def wait(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> None:
        async def poll() -> None:
            while not predicate():
                await asyncio.sleep(0.01)

        try:
            await asyncio.wait_for(poll(), timeout)
        except TimeoutError:
            pytest.fail(f"timed out waiting for {what or predicate}")

    return wait


@pytest.fixture
def connection(
    run: Callable[..., Any], data_uri: Callable[[str], str], fast: Timing
) -> Iterator[Callable[..., Connection]]:
    """``connection("two-domains.xml")``: a Connection with fast timings, not yet
    open; shut down after the test."""
    made: list[Connection] = []

    def make(name_or_uri: str, **kwargs: Any) -> Connection:
        uri = name_or_uri if ":" in name_or_uri else data_uri(name_or_uri)
        conn = Connection(uri, timing=fast, **kwargs)
        made.append(conn)
        return conn

    yield make
    for conn in made:
        run(conn.shutdown())


@pytest.fixture
def make_manager(
    run: Callable[..., Any], fast: Timing
) -> Iterator[Callable[[Settings], ConnectionManager]]:
    """Managers on given settings, with the fast timings; shut down afterwards."""
    made: list[ConnectionManager] = []

    def make(settings: Settings) -> ConnectionManager:
        mgr = ConnectionManager(settings, fast)
        made.append(mgr)
        return mgr

    yield make
    for mgr in made:
        run(mgr.shutdown())
