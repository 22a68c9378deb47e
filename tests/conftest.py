"""Fixtures shared by every test: one qasync loop, test-driver URIs, settings.

libvirt accepts one event implementation per process, so the whole session
shares one qasync loop on pytest-qt's QApplication.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import hypothesis  # noqa: F401  (see below)
import pytest
import qasync
from PySide6.QtCore import QTranslator

from kvmdesk.core.connection import Connection
from kvmdesk.core.eventloop import register_once
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.paths import TRANSLATIONS
from kvmdesk.virt.errors import silence_stderr_printing

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# hypothesis is imported here, at collection, on purpose: otherwise its pytest
# plugin imports it only in the terminal summary, and CPython 3.11.7's
# ast.parse (pytest rewrites plugin modules) can fail there with "AST
# constructor recursion depth mismatch" after threads of abandoned libvirt
# calls have come and gone, failing a session whose tests all passed.

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

FAST = Timing(
    stats_interval=0.2,
    poll_interval=0.2,
    keepalive_interval=1,
    keepalive_count=2,
    backoff_start=0.2,
    backoff_max=1.0,
)


class SessionLoop(qasync.QEventLoop):
    """The test session's loop: it stays the running loop between tests.

    qasync's run_until_complete ends with one more processEvents() after
    clearing the running loop, and pytest-qt's waits process events too; a
    task that wakes up then (a stats tick, a reconnect timer) would die on
    "no running event loop". In the application the loop never stops, so
    the tests keep it current the whole time.
    """

    def run_forever(self) -> Any:
        try:
            return super().run_forever()
        finally:
            asyncio.events._set_running_loop(self)


@pytest.fixture(scope="session")
def translations_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm files built from the .ts sources now (never a stale build)."""
    sys.path.insert(0, str(ROOT / "packaging"))
    from lrelease import compile_all

    out = tmp_path_factory.mktemp("qm")
    compile_all(TRANSLATIONS, out)
    return out


@pytest.fixture(scope="session", autouse=True)
def english_plurals(qapp: Any, translations_qm: Path) -> Iterator[None]:
    """The English plural forms the application installs ("1 volume", "2 volumes")."""
    translator = QTranslator()
    assert translator.load("kvmdesk_en", str(translations_qm))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture(scope="session")
def aio_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    loop = SessionLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    register_once(loop)
    silence_stderr_printing()
    yield loop
    # Joins the executor's QThreads; left running at exit, Qt aborts the process.
    asyncio.events._set_running_loop(None)
    if not loop.is_closed() and not loop.is_running():
        loop.close()


@pytest.fixture
def run(aio_loop: asyncio.AbstractEventLoop) -> Callable[[Coroutine[Any, Any, T]], T]:
    """Run a coroutine to completion on the shared loop (Qt events keep flowing)."""

    def runner(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        return aio_loop.run_until_complete(asyncio.wait_for(coro, timeout))

    return runner


@pytest.fixture
def wait_until(aio_loop: asyncio.AbstractEventLoop) -> Callable[..., None]:
    """Spin the loop until ``predicate()`` holds, or fail after ``timeout`` s."""

    def waiter(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
        async def poll() -> None:
            while not predicate():
                await asyncio.sleep(0.01)

        try:
            aio_loop.run_until_complete(asyncio.wait_for(poll(), timeout))
        except TimeoutError:
            pytest.fail(f"timed out waiting for {what or predicate}")

    return waiter


@pytest.fixture
def data_uri(tmp_path: Path) -> Callable[[str], str]:
    """test:/// URI of a private copy of a fixture file in tests/data."""

    def make(name: str) -> str:
        copy = tmp_path / name
        shutil.copy(DATA / name, copy)
        return f"test://{copy}"

    return make


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "kvmdesk.ini")


@pytest.fixture
def open_connection(
    run: Callable[..., Any], data_uri: Callable[[str], str]
) -> Iterator[Callable[[str], Connection]]:
    """Open a Connection on a fixture file; closed after the test."""
    opened: list[Connection] = []

    def opener(name_or_uri: str) -> Connection:
        uri = name_or_uri if ":" in name_or_uri else data_uri(name_or_uri)
        conn = Connection(uri, timing=FAST)
        assert run(conn.open_and_wait()), conn.failure
        opened.append(conn)
        return conn

    yield opener
    for conn in opened:
        run(conn.shutdown())


@pytest.fixture
def fast_timing() -> Timing:
    return FAST


@pytest.fixture
def manager(settings: Settings, run: Callable[..., Any]) -> Iterator[Any]:
    """A ConnectionManager with fast timings; every connection shut down afterwards."""
    from kvmdesk.core.manager import ConnectionManager

    mgr = ConnectionManager(settings, FAST)
    yield mgr
    run(mgr.shutdown())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Print a failure at once: should the process die later, it is not lost."""
    if report.failed:
        sys.stderr.write(f"\n--- {report.nodeid} ({report.when}) failed ---\n")
        sys.stderr.write(f"{report.longreprtext}\n")
        sys.stderr.flush()
